"""Thaw accounts for LMS users, and what their course roles make them in Thaw.

An LMS user is an `lti_tool.LtiUser` (the platform's registration and its `sub`); the
first launch (or roster synchronisation) that meets one gives it a Thaw account of its
own, without a password: it signs in only through its LMS. A Thaw account is never
linked to an LMS identity because a browser happened to be signed in to it: on a shared
classroom computer that would hand one student's account to the next.

We keep the name the LMS gives (as the display name, like a roster import's) and no
e-mail address: Thaw has no use for one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.contrib.auth.models import User
from django.db import transaction

# Course roles that teach in Thaw; sub-roles ("Instructor#TeachingAssistant") count too.
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper")
LEARNER = "Learner"

TEACHER = "teacher"
STUDENT = "student"


def _context_role(role: str) -> str | None:
    """`Instructor` of `…/membership#Instructor`, `…/membership/Instructor#TeachingAssistant`
    or a bare `Instructor`; None for institution and system roles."""
    if re.fullmatch(r"\w+", role):
        return role
    prefix = "http://purl.imsglobal.org/vocab/lis/v2/membership"
    if role.startswith(prefix + "#"):
        return role[len(prefix) + 1 :]
    if role.startswith(prefix + "/"):
        return role[len(prefix) + 1 :].split("#", 1)[0]
    return None


def thaw_role(roles: list[str] | None) -> str | None:
    """TEACHER, STUDENT, or None (a mentor, a guest: nothing Thaw offers them)."""
    names = {_context_role(role) for role in roles or () if isinstance(role, str)}
    if names & set(TEACHING_ROLES):
        return TEACHER
    if LEARNER in names:
        return STUDENT
    return None


def display_name(claims: dict) -> str:
    """The name the LMS gives, cut to what the account holds; "LMS user" without one."""
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    name = " ".join(str(name or "").split())
    return name[:150] or "LMS user"


def _username_base(name: str, *, issuer: str, sub: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:30] or "user"
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()
    return f"lms-{slug}-{digest[:6]}"


def _free_username(base: str) -> str:
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@transaction.atomic
def account_for(*, lti_user, claims: dict) -> User:
    """The Thaw account of an LMS user: theirs, or a new one without a password.

    The display name follows the LMS's (a name changed there changes here)."""
    from lti_tool.models import LtiUser

    name = display_name(claims)
    # Locked, so two launches of a new user at once make one account, not two.
    lti_user = LtiUser.objects.select_for_update().get(pk=lti_user.pk)
    user = lti_user.auth_user
    if user is None:
        issuer = lti_user.registration.issuer
        user = User(
            username=_free_username(_username_base(name, issuer=issuer, sub=lti_user.sub)),
            first_name=name,
        )
        user.set_unusable_password()
        user.save()
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user", "datetime_modified"])
    elif user.first_name != name and claims.get("name") is not None:
        user.first_name = name
        user.save(update_fields=["first_name"])
    return user


def lti_user_for(*, registration, sub: str):
    """The LtiUser of `sub` on this registration, made on first sight (no claims kept)."""
    from lti_tool.models import LtiUser

    lti_user, _ = LtiUser.objects.get_or_create(registration=registration, sub=sub)
    return lti_user
