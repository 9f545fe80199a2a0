"""The class roster kept as the LMS lists it (Names and Role Provisioning Services 2.0).

`sync_roster` reads the course's members from the LMS (every page of them) and makes the
Thaw class match: an active learner is added (an account made for a newcomer), an active
teacher joins the class's teachers, and a student the LMS brought who is no longer an
active learner there leaves the class through `remove_student` (their attempts stay
theirs; one left open is closed as it stands). Students who joined with the join code,
and teachers, are never removed by it: the LMS is only the authority on whom it enrolled.

It runs on a launch when the last synchronisation is older than SYNC_EVERY (the first
launch of a course, then every few minutes at most) and from `manage.py lti_sync_rosters`.
A failure (the LMS down, the service not granted) is kept on the course for its teacher,
and changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction

from lessons.lti import courses, people
from lessons.lti.models import CourseLink

logger = logging.getLogger("thaw.lti")

SYNC_EVERY = datetime.timedelta(minutes=10)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class RosterUnavailable(Exception):
    """The LMS did not give the roster; `str(error)` says why, for the teacher."""


@dataclass
class RosterChange:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    teachers_added: list[str] = field(default_factory=list)
    problem: str = ""


def fetch_members(*, course: CourseLink) -> list[dict]:
    """Every member the LMS lists for the course; RosterUnavailable when it cannot."""
    from pylti1p3.exception import LtiException
    from pylti1p3.names_roles import NamesRolesProvisioningService
    from requests import RequestException

    from lessons.lti.connection import service_connector

    context = course.context
    if not context.memberships_url:
        raise RosterUnavailable(
            "The LMS did not offer this course's list of members to Thaw (Names and Role "
            "Provisioning Services is off in the tool's settings there)."
        )
    connector = service_connector(context.deployment.registration)
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": context.memberships_url}
    )
    try:
        return list(service.get_members())
    except (LtiException, RequestException, ValueError, KeyError) as error:
        status = getattr(getattr(error, "response", None), "status_code", None)
        detail = f"it answered {status}" if status else str(error)[:200]
        raise RosterUnavailable(f"The LMS did not give the course's members ({detail}).") from error


@transaction.atomic
def apply_members(*, course: CourseLink, members: list[dict]) -> RosterChange:
    """Make the class match the LMS's members (pure of HTTP: `fetch_members` read them)."""
    from lti_tool.models import LtiUser

    registration = course.context.deployment.registration
    school_class = course.school_class
    change = RosterChange()
    active_learners: set[int] = set()
    current = set(school_class.memberships.values_list("student_id", flat=True))
    teachers = set(school_class.teachers.values_list("pk", flat=True))
    for member in members:
        sub = member.get("user_id")
        if not isinstance(sub, str) or not sub:
            continue
        role = people.thaw_role(member.get("roles"))
        active = member.get("status", "Active") == "Active"
        if role is None or not active:
            continue
        lti_user = people.lti_user_for(registration=registration, sub=sub)
        user = people.account_for(lti_user=lti_user, claims=member)
        if role == people.TEACHER:
            if user.pk not in teachers:
                courses.add_teacher(school_class=school_class, user=user)
                change.teachers_added.append(user.first_name)
            continue
        active_learners.add(user.pk)
        if user.pk not in current:
            courses.add_learner(school_class=school_class, user=user)
            change.added.append(user.first_name)
    # Only students the LMS brought: linked to an LMS user of this platform.
    from_lms = set(
        LtiUser.objects.filter(
            registration=registration, auth_user_id__in=current - active_learners
        ).values_list("auth_user_id", flat=True)
    )
    names = dict(school_class.students.filter(pk__in=from_lms).values_list("pk", "first_name"))
    for user_id in sorted(from_lms - teachers):
        if courses.remove_learner(school_class=school_class, user_id=user_id):
            change.removed.append(names.get(user_id, "a student"))
    return change


def sync_roster(*, course: CourseLink, now: datetime.datetime) -> RosterChange:
    """Fetch and apply the course's roster, recording when it worked or why it did not."""
    try:
        members = fetch_members(course=course)
    except RosterUnavailable as error:
        CourseLink.objects.filter(pk=course.pk).update(roster_problem=str(error)[:500])
        logger.warning("LMS roster of class %s not synchronised: %s", course.school_class_id, error)
        return RosterChange(problem=str(error))
    change = apply_members(course=course, members=members)
    CourseLink.objects.filter(pk=course.pk).update(roster_synced_at=now, roster_problem="")
    return change


def sync_if_due(*, course: CourseLink, now: datetime.datetime) -> RosterChange | None:
    """`sync_roster` unless one ran within SYNC_EVERY (claimed with a conditional UPDATE,
    so a class launching at once synchronises once)."""
    from django.db.models import Q

    due = CourseLink.objects.filter(pk=course.pk).filter(
        Q(roster_synced_at__isnull=True) | Q(roster_synced_at__lt=now - SYNC_EVERY)
    )
    if not due.update(roster_synced_at=now):
        return None
    return sync_roster(course=course, now=now)
