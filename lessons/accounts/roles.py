"""Roles as Django groups and permissions, signing up, and where each role lands after log-in.

A curator is a staff user in the `curators` group (may change the corpus, the question
bank and lesson content in the admin and the curation pages, never classes or students'
work); a teacher is in the `teachers` group; everyone else is a student. Views check
permissions, never group names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse

# From the models' own module, not lessons.models: this package's __init__ imports this
# module while lessons.models is still loading.
from lessons.accounts.models import PasswordChangeRequired

if TYPE_CHECKING:
    from lessons.classes.models import SchoolClass

CURATORS = "curators"
TEACHERS = "teachers"

# Curators edit the corpus, the question bank and lesson content, and may delete a
# student's account (lessons.accounts.privacy). Nothing about classes or students' work: no
# classes, memberships, assignments, accommodations, attempts, answers or review cards
# (least privilege, issue #15; the admin also keeps those to superusers, corpus.plumbing.admin_access).
# A curator who also teaches is put in the teachers' group as well.
CURATOR_PERMISSIONS = (
    Q(content_type__app_label="corpus")
    | Q(
        content_type__app_label="quizzes",
        content_type__model__in=[
            "question",
            "questionversion",
            "problemreport",
            "itemstatistics",
            "generationrun",
        ],
    )
    | Q(
        content_type__app_label="lessons",
        # Lesson content; a task's written answers (taskanswer) are students' work.
        content_type__model__in=[
            "module",
            "section",
            "citation",
            "sourcetask",
            "taskdocument",
            "taskstep",
        ],
    )
    | Q(content_type__app_label="lessons", codename="delete_student_account")
    # Registering an LMS (LTI) and rotating Thaw's keys: the /lti/platforms/ pages.
    | Q(content_type__app_label="lessons", codename="manage_lti_platforms")
)
# Teachers create classes and assignments; the views check `lessons.add_schoolclass`.
TEACHER_PERMISSIONS = Q(content_type__app_label="lessons") & Q(
    codename__in=["add_schoolclass", "change_schoolclass", "add_assignment", "change_assignment"]
)


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.set(Permission.objects.filter(CURATOR_PERMISSIONS))
    teachers, _ = Group.objects.get_or_create(name=TEACHERS)
    # Views check this permission, not the group name ("Classes" in the nav too).
    teachers.permissions.add(*Permission.objects.filter(TEACHER_PERMISSIONS))
    return {CURATORS: curators, TEACHERS: teachers}


@transaction.atomic
def sign_up_student(
    *, username: str, display_name: str, password: str, school_class: SchoolClass
) -> User:
    """Create a student account (no e-mail) and make it a member of `school_class`.

    The caller has validated the inputs (lessons.accounts.forms.SignupForm); a username
    taken meanwhile raises IntegrityError and nothing is written.
    """
    user = User.objects.create_user(username=username, password=password, first_name=display_name)
    school_class.add_student(user)
    return user


# --- Where each role starts --------------------------------------------------------------


def start_page_for(user: User) -> str:
    """The page a user lands on after logging in without a ?next=: their own work.

    Curators start at the review queue, teachers at their classes, students at their
    dashboard. A curator may also teach (the group holds every lessons permission),
    so the curator test comes first.
    """
    if user.is_staff and user.has_perm("quizzes.change_question"):
        return reverse("curation:queue")
    if user.has_perm("lessons.add_schoolclass"):
        return reverse("classes:teacher_classes")
    return reverse("classes:dashboard")


# --- The "Classes" link in the navigation ------------------------------------------------
#
# Checking a permission in every page's nav costs two queries per page (the
# permission cache lives on the user object, which is loaded afresh on each
# request). The role is looked up once, at login, and kept in the session,
# which every page reads anyway. A teacher added to the group while logged in
# sees the link after logging in again; the teacher pages themselves always
# check the permission.
TEACHER_SESSION_KEY = "thaw_teacher"


@receiver(user_logged_in)
def remember_teacher_role(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[TEACHER_SESSION_KEY] = user.has_perm("lessons.add_schoolclass")


# An account made by a roster import logs in with a password its teacher printed: it
# must choose its own first. Looked up once here, at log-in, so that other users'
# pages cost no query for it; lessons.accounts.middleware reads the session and clears both.
PASSWORD_CHANGE_SESSION_KEY = "thaw_must_change_password"  # noqa: S105 (a session key)


@receiver(user_logged_in)
def remember_password_change_required(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[PASSWORD_CHANGE_SESSION_KEY] = True
    else:
        request.session.pop(PASSWORD_CHANGE_SESSION_KEY, None)


# --- Log-in throttling -------------------------------------------------------------------


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username django-axes records for a log-in, cut to its 255-character column.

    Django's log-in form does not enforce the username's length, so a longer one reached
    axes' INSERT: a 500 on PostgreSQL (found by tests/reliability/test_fuzz.py). No real
    username is that long (150 at most), so cutting changes no lockout of a real account.
    """
    source = credentials or getattr(request, "POST", {})
    username = source.get("username")
    return username[:255] if isinstance(username, str) else username
