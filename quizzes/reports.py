"""Students' problem reports: "Report a problem" on a question they were shown.

A report goes to the curators' queue (with a count per question); resolving one
records who resolved it and how. Students are not notified.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from corpus.plumbing import audit, rate_limits
from quizzes.models import Attempt, ProblemReport, Question, Response

MAX_COMMENT = 2000
# A student reports a question or two in a lesson; a script sent forty in 0.2 s, all stored.
# Counted per account on the shared cache (corpus.plumbing.rate_limits); only stored reports count.
REPORTS_PER_USER = rate_limits.Limit("problem-report", count=10, seconds=10 * 60)


class ReportError(ValueError):
    """A report that cannot be taken; the message is one line for the student."""


def was_shown(*, user, question: Question) -> bool:
    """Whether `user` has been shown `question`: answered it, or has an attempt on a
    quiz that asks it (a student may report before answering)."""
    if not user.is_authenticated:
        return False
    if Response.objects.filter(attempt__user=user, question=question).exists():
        return True
    return (
        Attempt.objects.filter(Q(quiz__items__question=question), user=user).exists()
        or question.review_cards.filter(user=user).exists()
    )


@transaction.atomic
def submit_report(*, user, question: Question, reason: str, comment: str = "") -> ProblemReport:
    if reason not in ProblemReport.Reason.values:
        raise ReportError("Choose what is wrong with the question.")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ReportError(f"Please keep the comment under {MAX_COMMENT} characters.")
    if reason == ProblemReport.Reason.OTHER and not comment:
        raise ReportError("Please say what is wrong in the comment.")
    if not was_shown(user=user, question=question):
        raise ReportError("You can only report a question you have been shown.")
    if question.reports.filter(user=user, resolved_at__isnull=True).exists():
        raise ReportError(
            "You have already reported this question; a curator will look at it soon."
        )
    decision = rate_limits.hit(REPORTS_PER_USER, who=str(user.pk))
    if not decision.allowed:
        raise ReportError(
            f"You have sent many reports in a short time. Please wait {decision.wait_text} "
            "before sending another."
        )
    answered = Response.objects.filter(attempt__user=user, question=question).first()
    return ProblemReport.objects.create(
        question=question,
        question_version=answered.question_version if answered else question.version,
        user=user,
        reason=reason,
        comment=comment,
    )


@transaction.atomic
def resolve_report(
    *, report: ProblemReport, user, resolution: str, note: str = ""
) -> ProblemReport:
    if resolution not in ProblemReport.Resolution.values:
        raise ReportError("Choose how the report was resolved.")
    if report.resolved_at is not None:
        raise ReportError("This report is already resolved.")
    report.resolved_at = timezone.now()
    report.resolved_by = user
    report.resolution = resolution
    report.resolution_note = note.strip()[:300]
    report.save(update_fields=["resolved_at", "resolved_by", "resolution", "resolution_note"])
    audit.record(
        user=user,
        action="report.resolve",
        obj=report,
        changes={
            "question": report.question_id,
            "resolution": resolution,
            "note": report.resolution_note,
        },
    )
    return report
