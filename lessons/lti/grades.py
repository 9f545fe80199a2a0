"""A finished attempt's score, sent to the LMS line item of its assignment (AGS 2.0), once.

`queue_score` runs inside the transaction that finishes an attempt (registered with
`quizzes.finishing`): for an attempt at an assignment placed in an LMS course, by an
LMS user, it writes one `LmsScore` row (one per attempt: the table's unique constraint),
and asks for it to be sent once that transaction commits. `send_due` sends what is
waiting (after the commit, and from `manage.py lti_send_grades`): a sender first claims
the row with a conditional UPDATE, so two senders never post the same score; a failure
leaves it waiting with a growing delay (1 min, 2, 4 … up to 6 h) and after MAX_TRIES
it is given up, which the teacher's gradebook shows.

The score carries the attempt's own times (`timestamp` and `submission.submittedAt` are
when it finished, `submission.startedAt` when it began) and says the activity is completed and fully
graded: Thaw grades every question itself. The LMS keeps the latest score by
timestamp, so a second attempt's score replaces the first's there as it does in Thaw's
gradebook only if it is later; Thaw's gradebook shows the best.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lessons.lti.models import LmsScore, Placement

logger = logging.getLogger("thaw.lti")

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_READ_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
MAX_TRIES = 12
FIRST_DELAY = datetime.timedelta(minutes=1)
LONGEST_DELAY = datetime.timedelta(hours=6)
CLAIM_FOR = datetime.timedelta(minutes=2)


def queue_score(*, attempt) -> LmsScore | None:
    """The attempt's score row, if its assignment sits in an LMS course and its student came
    from that LMS; None otherwise. Called by quizzes.finishing inside the finish."""
    from lti_tool.models import LtiUser

    if attempt.quiz.audience_id is None:
        return None  # not a class's assignment: no query for lesson and source quizzes
    placement = (
        Placement.objects.filter(assignment__quiz_id=attempt.quiz_id)
        .select_related("course__context__deployment")
        .first()
    )
    if placement is None:
        return None
    lti_user = LtiUser.objects.filter(
        auth_user_id=attempt.user_id,
        registration_id=placement.course.context.deployment.registration_id,
    ).first()
    if lti_user is None:
        return None  # a student who joined with the code: their grade stays in Thaw
    score, created = LmsScore.objects.get_or_create(
        attempt=attempt,
        defaults={
            "placement": placement,
            "lti_user": lti_user,
            "score_given": attempt.score or 0,
            "score_maximum": attempt.max_score or 0,
            "started_at": attempt.started_at,
            "finished_at": attempt.finished_at,
            "next_try_at": attempt.finished_at,
        },
    )
    if created:
        transaction.on_commit(lambda: send_due(now=timezone.now(), only=[score.pk]))
    return score


def score_payload(score: LmsScore) -> dict:
    """The AGS score (application/vnd.ims.lis.v1.score+json) for the row."""
    return {
        "userId": score.lti_user.sub,
        "scoreGiven": score.score_given,
        "scoreMaximum": max(score.score_maximum, 1),
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": score.finished_at.isoformat(),
        # AGS 2.0's submission times (Canvas reads submittedAt as the submission's time).
        "submission": {
            "startedAt": score.started_at.isoformat(),
            "submittedAt": score.finished_at.isoformat(),
        },
    }


def _delay(tries: int) -> datetime.timedelta:
    return min(FIRST_DELAY * (2 ** max(tries - 1, 0)), LONGEST_DELAY)


def _lineitem_url(*, placement: Placement, connector) -> str:
    """The placement's line item: known from a launch, or found among the course's line
    items by its resource id (and kept)."""
    if placement.lineitem_url:
        return placement.lineitem_url
    context = placement.course.context
    if not context.lineitems_url:
        return ""
    from pylti1p3.assignments_grades import AssignmentsGradesService

    scopes = [LINEITEM_SCOPE, LINEITEM_READ_SCOPE, SCORE_SCOPE]
    service = AssignmentsGradesService(
        connector, {"scope": scopes, "lineitems": context.lineitems_url}
    )
    found = service.find_lineitem_by_resource_id(placement.resource_id)
    url = (found.get_id() if found else "") or ""
    if url:
        Placement.objects.filter(pk=placement.pk).update(lineitem_url=url)
    return url


def _post(score: LmsScore, *, connector) -> None:
    url = _lineitem_url(placement=score.placement, connector=connector)
    if not url:
        raise SendFailed(
            "The LMS has not said where this assignment's grades go yet (open the link in "
            "the course once)."
        )
    base, _, query = url.partition("?")
    scores_url = base.rstrip("/") + "/scores" + (f"?{query}" if query else "")
    connector.make_service_request(
        [SCORE_SCOPE],
        scores_url,
        is_post=True,
        data=json.dumps(score_payload(score)),
        content_type="application/vnd.ims.lis.v1.score+json",
    )


class SendFailed(Exception):
    pass


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return f"The LMS answered {response.status_code} ({response.reason or 'error'})."
    text = str(error) or error.__class__.__name__
    return text[:480]


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def _claim(score_pk: int, *, now: datetime.datetime) -> bool:
    """Take the row for this sender; False when another holds it or it is no longer due."""
    return bool(
        LmsScore.objects.due(now=now).filter(pk=score_pk).update(claimed_until=now + CLAIM_FOR)
    )


def send_due(*, now: datetime.datetime, only: list[int] | None = None, limit: int = 500):
    """Send the scores that are due (or those of `only`, if due). Never raises: a failure is
    recorded on its row. Returns a SendReport."""
    from requests import RequestException

    from lessons.lti.connection import service_connector

    report = SendReport()
    due = LmsScore.objects.due(now=now)
    if only is not None:
        due = due.filter(pk__in=only)
    pks = list(due.values_list("pk", flat=True)[:limit])
    connectors: dict[int, object] = {}  # one token per registration and run
    for pk in pks:
        if not _claim(pk, now=now):
            continue
        score = LmsScore.objects.select_related(
            "lti_user", "placement__course__context__deployment__registration"
        ).get(pk=pk)
        registration = score.placement.course.context.deployment.registration
        try:
            connector = connectors.get(registration.pk) or service_connector(registration)
            connectors[registration.pk] = connector
            _post(score, connector=connector)
        except Exception as error:  # any failure waits for its next try
            from pylti1p3.exception import LtiException, LtiServiceException

            if not isinstance(
                error, LtiServiceException | LtiException | RequestException | SendFailed
            ):
                logger.exception("Sending LMS score %s failed unexpectedly", pk)
            tries = score.tries + 1
            given_up = tries >= MAX_TRIES
            LmsScore.objects.filter(pk=pk).update(
                tries=tries,
                status=LmsScore.Status.FAILED if given_up else LmsScore.Status.PENDING,
                next_try_at=now + _delay(tries),
                claimed_until=None,
                last_error=_describe(error),
            )
            logger.warning("LMS score %s not sent (try %s): %s", pk, tries, _describe(error))
            report.failed += 1
            report.given_up += given_up
            continue
        LmsScore.objects.filter(pk=pk).update(
            status=LmsScore.Status.SENT,
            sent_at=now,
            tries=score.tries + 1,
            claimed_until=None,
            last_error="",
        )
        report.sent += 1
    return report


@dataclass(frozen=True)
class ClassScores:
    """How the class's LMS grades stand, for its gradebook."""

    sent: int
    pending: int
    failed: int
    last_error: str = ""

    @property
    def any(self) -> bool:
        return bool(self.sent or self.pending or self.failed)


def class_scores(*, school_class) -> ClassScores | None:
    """The class's LMS scores (two queries), or None without a query for a class that is no
    LMS course's when the caller loaded it with `select_related("lti_course")`."""
    from lessons.lti.models import CourseLink

    try:
        link = school_class.lti_course
    except CourseLink.DoesNotExist:
        return None
    rows = LmsScore.objects.filter(placement__course=link)
    counts = rows.aggregate(
        sent=Count("pk", filter=Q(status=LmsScore.Status.SENT)),
        pending=Count("pk", filter=Q(status=LmsScore.Status.PENDING)),
        failed=Count("pk", filter=Q(status=LmsScore.Status.FAILED)),
    )
    error = (
        rows.exclude(last_error="")
        .exclude(status=LmsScore.Status.SENT)
        .order_by("-pk")
        .values_list("last_error", flat=True)
        .first()
    )
    return ClassScores(**counts, last_error=error or "")
