"""A student's data: all of it as one JSON document, and the deletion of all of it.

Both live in lessons because they compose what lessons holds (classes, retakes)
with what quizzes holds (attempts, responses, review cards, reports,
accommodations). `student_data` reads a fixed number of queries however much a
student has done. `delete_student_account` removes the account and every row
about it (the foreign keys cascade; see docs/decisions.md, "Deleting a student's
account"), keeps problem reports without their author or comment, and leaves an
audit entry that names the account by number only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from corpus.plumbing import audit
from lessons.models import Membership, Retake
from quizzes import results
from quizzes.models import (
    Attempt,
    ProblemReport,
    QuestionVersion,
    QuizOverride,
    Response,
    ReviewCard,
)

FORMAT_VERSION = 1
DELETE_PERMISSION = "lessons.delete_student_account"


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _texts(options: list[dict], ids: list[str]) -> list[str]:
    by_id = {option["id"]: option["text"] for option in options}
    return [by_id.get(option_id, option_id) for option_id in ids]


def student_data(*, user: User, now: datetime.datetime) -> dict:
    """Everything Thaw holds about `user`, as JSON-ready data. Eight queries.

    Whether an answer was right is given only where the student may already see
    it (practice, or a finished test whose quiz shows marks): a download must not
    reveal what the results page still withholds. The key itself is never included.
    """
    memberships = Membership.objects.filter(student=user).select_related("school_class")
    attempts = list(Attempt.objects.filter(user=user).select_related("quiz").order_by("started_at"))
    responses = list(
        Response.objects.filter(attempt__user=user)
        .select_related("question")
        .order_by("attempt_id", "answered_at", "pk")
    )
    # The wording of each question as it was when answered, where it changed since.
    versions = {
        (v.question_id, v.version): v
        for v in QuestionVersion.objects.filter(question__responses__attempt__user=user).distinct()
    }
    by_attempt: dict[int, list[Response]] = {}
    for response in responses:
        by_attempt.setdefault(response.attempt_id, []).append(response)
    # Read once for the list below and for each attempt's own due date (what its results
    # page shows depends on it), rather than once per attempt.
    overrides = list(QuizOverride.objects.filter(user=user).select_related("quiz"))
    by_quiz = {override.quiz_id: override for override in overrides}
    for attempt in attempts:
        attempt.know_override(by_quiz.get(attempt.quiz_id))
    return {
        "format": "thaw-student-data",
        "version": FORMAT_VERSION,
        "exported_at": _iso(now),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "classes": [
            {"name": m.school_class.name, "joined_at": _iso(m.joined_at)} for m in memberships
        ],
        "attempts": [
            _attempt(attempt, by_attempt.get(attempt.pk, []), versions, now) for attempt in attempts
        ],
        "review_cards": [
            {
                "question": card.question.stem,
                "due_at": _iso(card.due_at),
                "last_reviewed_at": _iso(card.last_reviewed_at),
                "reviews": card.reviews,
                "lapses": card.lapses,
            }
            for card in ReviewCard.objects.filter(user=user).select_related("question")
        ],
        "problem_reports": [
            {
                "question": report.question.stem,
                "reason": report.get_reason_display(),
                "comment": report.comment,
                "created_at": _iso(report.created_at),
                "resolved_at": _iso(report.resolved_at),
                "resolution": report.get_resolution_display() if report.resolution else "",
            }
            for report in ProblemReport.objects.filter(user=user).select_related("question")
        ],
        "accommodations": [
            {
                "quiz": override.quiz.title,
                "time_multiplier": (
                    str(override.time_multiplier) if override.time_multiplier else None
                ),
                "extra_minutes": override.extra_minutes,
                "extra_attempts": override.extra_attempts,
                "due_at": _iso(override.due_at),
                "note": override.note,
            }
            for override in overrides
        ],
        "retakes": [
            {"assignment": retake.assignment.title, "allowed_at": _iso(retake.created_at)}
            for retake in Retake.objects.filter(student=user).select_related("assignment")
        ],
    }


def _attempt(attempt: Attempt, responses: list[Response], versions: dict, now) -> dict:
    marks_shown = attempt.is_practice or (
        attempt.is_finished and results.review_level(attempt=attempt, now=now) != results.SCORE
    )
    return {
        "quiz": attempt.quiz.title,
        "number": attempt.number,
        "mode": attempt.mode,
        "started_at": _iso(attempt.started_at),
        "finished_at": _iso(attempt.finished_at),
        "closed_by_deadline": attempt.closed_by_deadline,
        "score": attempt.score if attempt.is_finished else None,
        "max_score": attempt.max_score if attempt.is_finished else None,
        "responses": [
            _response(r, versions.get((r.question_id, r.question_version)), marks_shown)
            for r in responses
        ],
    }


def _response(response: Response, version: QuestionVersion | None, marks_shown: bool) -> dict:
    # The stored wording when the question changed after this answer (as
    # quizzes.revision.version_for does), else the question as it is.
    changed = response.question_version != response.question.version
    seen = version if changed and version is not None else response.question
    return {
        "question": seen.stem,
        "answer": _texts(seen.options, response.answer),
        "correct": response.is_correct if marks_shown else None,
        "answered_at": _iso(response.answered_at),
    }


# --- Deleting a student's account -------------------------------------------------------


class AccountNotDeletable(Exception):
    """This path deletes students only; `str(error)` says why not this account."""


@dataclass(frozen=True)
class DeletedAccount:
    user_id: int
    rows: dict[str, int]  # model label: rows deleted with the account


def is_student(user: User) -> bool:
    """No role at all: not staff, not a superuser, in no group, teaching no class."""
    return not (
        user.is_staff
        or user.is_superuser
        or user.groups.exists()
        or user.taught_classes.exists()
        or user.user_permissions.exists()
    )


def find_account(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


def account_summary(*, user: User) -> dict[str, int]:
    """What deleting the account would remove, as counts for the confirm page."""
    return {
        "classes": user.memberships.count(),
        "attempts": user.attempts.count(),
        "review cards": user.review_cards.count(),
        "problem reports": user.problem_reports.count(),
    }


@transaction.atomic
def delete_student_account(*, curator: User, student_id: int) -> DeletedAccount:
    """Delete a student's account and everything about them; AccountNotDeletable for anyone else.

    The caller has checked that `curator` may (DELETE_PERMISSION). Rows that must
    outlive the student lose them instead: a problem report keeps its question and
    reason (a curator may still need to fix the question) without author or comment.
    """
    student = User.objects.select_for_update().filter(pk=student_id).first()
    if student is None:
        raise AccountNotDeletable("There is no such account (it may have been deleted already).")
    if student.pk == curator.pk or not is_student(student):
        raise AccountNotDeletable(
            "Only student accounts can be deleted here. Staff, teachers and curators are "
            "removed by an administrator in the admin."
        )
    ProblemReport.objects.filter(user=student).update(user=None, comment="")
    # Rows that name the account without a foreign key: the admin's history of it
    # and django-axes' login records (username, address, browser).
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(student.pk)
    ).delete()
    _delete_login_records(student.username)
    # Their LMS identity (lessons/lti): the platform's id for them would outlive the account
    # (django-lti's foreign key to the user is SET_NULL); a later launch makes a new account.
    from lti_tool.models import LtiUser

    LtiUser.objects.filter(auth_user=student).delete()
    _, rows = student.delete()
    rows = {label: count for label, count in sorted(rows.items()) if count}
    audit.record(
        user=curator,
        action="account.delete",
        changes={"account": f"student account #{student_id}", "rows": rows},
    )
    return DeletedAccount(user_id=student_id, rows=rows)


def _delete_login_records(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=username).delete()
