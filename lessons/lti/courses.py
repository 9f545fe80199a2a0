"""The Thaw class of an LMS course, and who is in it.

The first launch from a course makes its class (named after the course) and links
the two (`CourseLink`); every later launch and roster synchronisation finds it. A
teacher joins the class's teachers (and the `teachers` group, so the teachers' pages
open to them), a learner becomes a student through `SchoolClass.add_student`, and a
learner the LMS no longer lists leaves through `lessons.classes.assignments.remove_student`:
the same functions as everywhere else, so the class's quiz audience and the attempts
left open are handled as they are for a join code or a teacher's removal.

A course's class does not take join codes (the LMS keeps its roster); its teacher may
turn them on. Students who joined that way are never removed by the LMS's roster.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from lessons.accounts.roles import TEACHERS, ensure_role_groups
from lessons.classes.assignments import remove_student
from lessons.lti.models import CourseLink
from lessons.models import SchoolClass


def _class_name(context) -> str:
    name = context.title or context.label or "LMS course"
    return f"{name[:180]} (LMS)"


def course_for(*, context) -> CourseLink:
    """The link of an LMS course (an `lti_tool.LtiContext`) to its Thaw class, made on first use."""
    link = CourseLink.objects.select_related("school_class").filter(context=context).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            school_class = SchoolClass.objects.create(name=_class_name(context), join_enabled=False)
            school_class.sync_audience()
            return CourseLink.objects.create(context=context, school_class=school_class)
    except IntegrityError:
        # Two first launches at once: the other made it (its class stays, unused, rolled back).
        return CourseLink.objects.select_related("school_class").get(context=context)


def add_teacher(*, school_class: SchoolClass, user: User) -> None:
    """Make `user` a teacher in Thaw and of this class (and its quiz audience)."""
    user.groups.add(ensure_role_groups()[TEACHERS])
    school_class.teachers.add(user)
    school_class.quiz_audience().members.add(user)


def add_learner(*, school_class: SchoolClass, user: User) -> None:
    school_class.add_student(user)


def remove_learner(*, school_class: SchoolClass, user_id: int) -> bool:
    return remove_student(school_class=school_class, student_id=user_id)
