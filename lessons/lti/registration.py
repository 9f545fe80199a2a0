"""LMS platforms registered with Thaw, Thaw's own keys, and what to paste into the LMS.

A platform is an `lti_tool.LtiRegistration` (issuer, client id, its auth, token and
JWKS URLs) with its deployments (`LtiDeployment`, allowed one by one). Curators (the
`lessons.manage_lti_platforms` permission) register them on /lti/platforms/ or with
`manage.py lti_register`; both go through `register_platform`.

Thaw signs what it sends (deep-linking responses, service-token requests) with the
newest active key of `lti_tool.Key`; its JWKS lists every active key. `rotate_key`
makes a new key and retires those older than a week: a platform that cached the
JWKS finds the new key's `kid` missing, fetches it again, and tokens signed just
before the rotation still check out against the old key meanwhile.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse

from corpus.plumbing import audit

KEEP_OLD_KEYS = datetime.timedelta(days=7)


class RegistrationError(Exception):
    """A registration that cannot be saved; `str(error)` says why, for a curator."""


def ensure_key():
    """Thaw's newest active key, made the first time one is needed."""
    from lti_tool.models import Key

    key = Key.objects.active().order_by("-datetime_created", "-pk").first()
    return key or Key.objects.generate()


@transaction.atomic
def rotate_key(*, now: datetime.datetime, user=None):
    """A new signing key; keys older than KEEP_OLD_KEYS leave the JWKS. Returns the new key."""
    from lti_tool.models import Key

    new = Key.objects.generate()
    retired = (
        Key.objects.active()
        .filter(datetime_created__lt=now - KEEP_OLD_KEYS)
        .exclude(pk=new.pk)
        .update(is_active=False)
    )
    if user is not None:
        audit.record(
            user=user, action="lti.rotate_key", changes={"kid": str(new), "retired": retired}
        )
    return new


def jwks() -> dict:
    from lti_tool.models import Key

    ensure_key()
    return Key.objects.as_jwks()


@dataclass(frozen=True)
class PlatformFields:
    name: str
    issuer: str
    client_id: str
    auth_url: str
    token_url: str
    keyset_url: str
    deployment_ids: tuple[str, ...] = ()


def _problems(fields: PlatformFields) -> list[str]:
    problems = []
    check = URLValidator(schemes=["https", "http"])
    for label, value in (
        ("The issuer", fields.issuer),
        ("The authentication request URL", fields.auth_url),
        ("The access token URL", fields.token_url),
        ("The public keyset URL", fields.keyset_url),
    ):
        try:
            check(value)
        except ValidationError:
            problems.append(f"{label} must be a web address (https://…); “{value}” is not.")
    if not fields.client_id.strip():
        problems.append("The client ID is empty: the LMS shows it once the tool is saved there.")
    if not fields.name.strip():
        problems.append("Give the platform a name (for example “Moodle of our school”).")
    for deployment_id in fields.deployment_ids:
        if len(deployment_id) > 255:
            problems.append("A deployment ID is longer than 255 characters.")
    return problems


@transaction.atomic
def register_platform(*, fields: PlatformFields, user=None, registration=None):
    """Create (or, given `registration`, change) a platform; its deployment ids are allowed.

    The issuer and client ID together name a platform: registering them again changes
    the one already there. RegistrationError (nothing written) for bad fields."""
    from lti_tool.models import LtiDeployment, LtiRegistration

    if problems := _problems(fields):
        raise RegistrationError(" ".join(problems))
    issuer, client_id = fields.issuer.strip(), fields.client_id.strip()
    clash = LtiRegistration.objects.filter(issuer=issuer, client_id=client_id)
    if registration is None:
        registration = clash.first() or LtiRegistration()
    elif clash.exclude(pk=registration.pk).exists():
        raise RegistrationError("Another platform is registered with this issuer and client ID.")
    registration.name = fields.name.strip()[:255]
    registration.issuer = issuer
    registration.client_id = client_id
    registration.auth_url = fields.auth_url.strip()
    registration.token_url = fields.token_url.strip()
    registration.keyset_url = fields.keyset_url.strip()
    registration.is_active = True
    registration.save()
    for deployment_id in dict.fromkeys(d.strip() for d in fields.deployment_ids if d.strip()):
        LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id, defaults={"is_active": True}
        )
    ensure_key()
    if user is not None:
        audit.record(
            user=user,
            action="lti.register_platform",
            changes={"name": registration.name, "issuer": issuer, "client_id": client_id},
        )
    return registration


def set_deployment_active(*, registration, deployment_pk: int, active: bool, user=None) -> bool:
    updated = registration.deployments.filter(pk=deployment_pk).update(is_active=active)
    if updated and user is not None:
        audit.record(
            user=user,
            action="lti.deployment",
            changes={"platform": registration.name, "deployment": deployment_pk, "active": active},
        )
    return bool(updated)


@dataclass(frozen=True)
class ToolUrls:
    """What a curator pastes into the LMS (docs/lti.md says where)."""

    tool_url: str
    login_url: str
    redirect_url: str
    jwks_url: str
    deep_linking_url: str


def tool_urls(request) -> ToolUrls:
    absolute = request.build_absolute_uri
    launch = absolute(reverse("lti:lti_launch"))
    return ToolUrls(
        tool_url=launch,
        login_url=absolute(reverse("lti:lti_login")),
        redirect_url=launch,
        jwks_url=absolute(reverse("lti:lti_jwks")),
        deep_linking_url=launch,
    )
