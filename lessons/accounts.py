"""Roles as Django groups and permissions, and the demo accounts `make run` prints.

A curator is a staff user in the `curators` group (may change the corpus and the
question bank in the admin and the curation pages); a teacher is in the `teachers`
group; everyone else is a student. Views check permissions, never group names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from lessons.models import SchoolClass

CURATORS = "curators"
TEACHERS = "teachers"

# Curators edit everything the corpus and the bank hold.
_CURATOR_APPS = ["corpus", "quizzes", "lessons"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str


DEMO_ACCOUNTS = [
    DemoAccount("student", "thaw-student-1956", "student", "Sasha Student"),
    DemoAccount("teacher", "thaw-teacher-1956", "teacher", "Tamara Teacher"),
    DemoAccount("curator", "thaw-curator-1956", "curator", "Konstantin Curator"),
]


# A fixed code so the README and a teacher's slides can print it; generated
# codes avoid 0/O/1/I, but a code typed from this printout is not misread.
DEMO_CLASS_NAME = "Demo class — 10B History"
DEMO_JOIN_CODE = "THAW1956"


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.set(Permission.objects.filter(content_type__app_label__in=_CURATOR_APPS))
    teachers, _ = Group.objects.get_or_create(name=TEACHERS)
    return {CURATORS: curators, TEACHERS: teachers}


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) the demo accounts; safe to run any number of times."""
    groups = ensure_role_groups()
    for account in DEMO_ACCOUNTS:
        first, _, last = account.display_name.partition(" ")
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.is_staff = account.role == "curator"
        user.set_password(account.password)
        user.save()
        if account.role == "curator":
            user.groups.add(groups[CURATORS])
        elif account.role == "teacher":
            user.groups.add(groups[TEACHERS])
    ensure_demo_class()
    return DEMO_ACCOUNTS


@transaction.atomic
def ensure_demo_class() -> SchoolClass:
    """The demo class, taught by the demo teacher, with the demo student in it."""
    school_class, _ = SchoolClass.objects.update_or_create(
        join_code=DEMO_JOIN_CODE, defaults={"name": DEMO_CLASS_NAME, "join_enabled": True}
    )
    school_class.teachers.add(User.objects.get(username="teacher"))
    school_class.add_student(User.objects.get(username="student"))
    return school_class


@transaction.atomic
def sign_up_student(
    *, username: str, display_name: str, password: str, school_class: SchoolClass
) -> User:
    """Create a student account (no e-mail) and make it a member of `school_class`.

    The caller has validated the inputs (lessons.forms.SignupForm); a username
    taken meanwhile raises IntegrityError and nothing is written.
    """
    user = User.objects.create_user(username=username, password=password, first_name=display_name)
    school_class.add_student(user)
    return user
