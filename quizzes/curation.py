"""Curating the question bank: the review queue's filters, decisions and edits.

Every decision a curator makes locks the question against regeneration
(`curator_locked`) and is written to the audit log (corpus.plumbing.audit). An edit also
keeps the wording it replaces as a QuestionVersion (quizzes.revision, the one way a
question's wording changes), so a response given to an earlier version can still be
shown with the question its student saw.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from corpus.models import Source
from corpus.plumbing import audit
from corpus.proposals import propose
from quizzes import exchange, revision
from quizzes.models import ProblemReport, Question
from quizzes.passage_groups import PassageGroup

PAGE_SIZE = 25
FLAGS = {
    "low_facility": "Low facility (< 20% correct)",
    "high_facility": "High facility (> 95% correct)",
    "negative_discrimination": "Negative discrimination",
    "reported": "Reported by students",
    "passage_changed": "Passage text changed",
}
PASSAGE_CHANGED = "The cited passage's text changed; check the question still matches it."


class CurationError(ValueError):
    """A curation action that cannot be done; the message is one line for the curator."""


@dataclass
class QueueFilters:
    status: str = ""
    type: str = ""
    source: str = ""
    passages: list[int] | None = None  # None: any passage; []: none (a lesson citing nothing)
    # A lesson (quizzes.passage_groups): its questions, resting on its entries too.
    group: PassageGroup | None = None
    score_min: float | None = None
    score_max: float | None = None
    flag: str = ""


def _open_reports() -> Subquery:
    counts = (
        ProblemReport.objects.open()
        .filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def filter_queue(*, filters: QueueFilters, queryset: QuerySet | None = None) -> QuerySet:
    """The questions matching `filters`, annotated with their open report counts.

    A lesson is its group (quizzes.passage_groups: the passages it cites, the events and
    terms it uses; `quizzes` never imports `lessons`), typed passage ids narrow it."""
    qs = queryset if queryset is not None else Question.objects.all()
    qs = qs.annotate(open_reports=_open_reports())
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.source:
        qs = qs.filter(source__slug=filters.source)
    if filters.group is not None:
        qs = qs.filter(filters.group.question_filter())
    if filters.passages is not None:
        qs = qs.filter(
            Q(passage_id__in=filters.passages)
            | Q(pk__in=Question.extra_citations.through.objects.filter(
                passage_id__in=filters.passages
            ).values("question_id"))
        )  # fmt: skip
    if filters.score_min is not None:
        qs = qs.filter(quality_score__gte=filters.score_min)
    if filters.score_max is not None:
        qs = qs.filter(quality_score__lte=filters.score_max)
    if filters.flag in ("low_facility", "high_facility", "negative_discrimination"):
        qs = qs.filter(**{f"statistics__{filters.flag}": True})
    elif filters.flag == "reported":
        qs = qs.filter(open_reports__gt=0)
    elif filters.flag == "passage_changed":
        qs = qs.filter(review_reason=PASSAGE_CHANGED)
    return qs.order_by("-open_reports", "status", "type", "id")


def queue_page(*, filters: QueueFilters, page: int) -> tuple[list[Question], int]:
    """One page of the queue and the total: two queries, whatever the bank's size."""
    qs = filter_queue(filters=filters)
    total = qs.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows = list(qs.select_related("passage", "source", "statistics")[start : start + PAGE_SIZE])
    return rows, total


def _decide(question: Question, *, status: str) -> None:
    question.status = status
    question.curator_locked = True
    question.edited_at = timezone.now()
    if status != Question.Status.NEEDS_REVIEW:
        question.review_reason = ""
    question.save(
        update_fields=["status", "curator_locked", "edited_at", "review_reason", "updated_at"]
    )


def _grounded(question: Question) -> bool:
    """Whether the question rests on something a student can check: a passage, or a
    timeline event, glossary term or editorial note (`Question.rests_on_entry`)."""
    if question.passage_id is not None:
        return True
    return Question.objects.filter(pk=question.pk).filter(Question.rests_on_entry()).exists()


@transaction.atomic
def set_status(*, question: Question, user, status: str) -> Question:
    if status not in Question.Status.values:
        raise CurationError(f"Unknown status {status!r}.")
    if status == Question.Status.PUBLISHED and not _grounded(question):
        raise CurationError(
            "A question that cites no passage and rests on no timeline or glossary entry "
            "cannot be published."
        )
    old = question.status
    _decide(question, status=status)
    audit.record(
        user=user, action=f"question.{status}", obj=question, changes={"status": [old, status]}
    )
    return question


@transaction.atomic
def bulk_set_status(*, queryset: QuerySet, user, status: str) -> int:
    """Publish or retire every question of a (filtered) selection; one audit entry."""
    if status not in (Question.Status.PUBLISHED, Question.Status.RETIRED):
        raise CurationError("Bulk actions only publish or retire.")
    qs = Question.objects.filter(pk__in=queryset.values("pk"))
    if status == Question.Status.PUBLISHED:
        qs = qs.filter(Q(passage__isnull=False) | Question.rests_on_entry())
    ids = list(qs.exclude(status=status).values_list("pk", flat=True))
    count = Question.objects.filter(pk__in=ids).update(
        status=status,
        curator_locked=True,
        edited_at=timezone.now(),
        review_reason="",
        updated_at=timezone.now(),
    )
    audit.record(
        user=user,
        action=f"question.bulk_{status}",
        changes={"count": count, "question_ids": ids[:500]},
    )
    return count


def edit_question(
    *,
    question: Question,
    user,
    stem: str,
    options: list[dict],
    answer: list[str],
    explanation: str,
) -> Question:
    """Change the wording or key (quizzes.revision: checked as an import is, a new version,
    locked against regeneration, audited). CurationError says why it cannot be saved."""
    wording = {"stem": stem.strip(), "options": options, "answer": answer}
    wording["explanation"] = explanation
    try:
        revision.revise(question=question, user=user, action="question.edit", wording=wording)
    except revision.InvalidQuestion as error:
        raise CurationError(f"This question cannot be saved: {error}.") from None
    return question


@transaction.atomic
def flag_changed_passages(*, now=None) -> int:
    """Send every question whose cited passage changed text since it was last checked
    back to review (retired ones stay retired). Called after generation and after
    the curation pages change a source; returns how many were flagged."""
    now = now or timezone.now()
    changed = Q(passage__text_changed_at__isnull=False) & (
        Q(passage_checked_at__isnull=True, created_at__lt=F("passage__text_changed_at"))
        | Q(passage_checked_at__lt=F("passage__text_changed_at"))
    )
    extra = Question.extra_citations.through.objects.filter(
        question_id=OuterRef("pk"), passage__text_changed_at__isnull=False
    ).filter(
        Q(question__passage_checked_at__isnull=True, question__created_at__lt=F("passage__text_changed_at"))
        | Q(question__passage_checked_at__lt=F("passage__text_changed_at"))
    )  # fmt: skip

    ids = list(
        Question.objects.exclude(status=Question.Status.RETIRED)
        .filter(changed | Exists(extra))
        .values_list("pk", flat=True)
    )
    Question.objects.filter(pk__in=ids).update(
        status=Question.Status.NEEDS_REVIEW, review_reason=PASSAGE_CHANGED, passage_checked_at=now
    )
    return len(ids)


@transaction.atomic
def accept_passage(*, question: Question, user) -> Question:
    """The curator checked the question against the changed passage."""
    question.review_reason = ""
    question.passage_checked_at = timezone.now()
    question.save(update_fields=["review_reason", "passage_checked_at", "updated_at"])
    audit.record(user=user, action="question.passage_checked", obj=question)
    return question


# --- sources --------------------------------------------------------------------------------


def regenerate(*, sources: list[str], seed: int = 1956):
    """Run the question generators for these sources and flag changed passages."""
    from quizzes.generation import generate_bank, lesson_groups, load_snapshot
    from quizzes.generation.note_changes import review_note_changes
    from quizzes.generation.saving import save_bank

    started = time.monotonic()
    propose(sources=sources)  # what the glossary and timeline lack waits for a curator
    corpus = load_snapshot(sources=sources)
    result = generate_bank(corpus=corpus, seed=seed, groups=lesson_groups())
    saving = timezone.now()
    run = save_bank(result=result, seed=seed, sources=sources, started=started)
    flag_changed_passages()
    review_note_changes(produced={c.fingerprint for c in result.accepted}, run_started=saving)
    return run


def follow_sources(*, sources: list[str]) -> int:
    """What a source uploaded or a proposal decided on the corpus's curation pages brings
    (registered with corpus.curation when quizzes starts): the documents' questions
    generated again. How many are new."""
    return regenerate(sources=sources).created


@transaction.atomic
def regenerate_source(*, source: Source, user):
    run = regenerate(sources=[source.slug])
    audit.record(
        user=user,
        action="source.regenerate",
        obj=source,
        changes={"created": run.created, "updated": run.updated, "retired": run.retired},
    )
    return run


# --- exchange -------------------------------------------------------------------------------


def encode_upload(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_upload(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def import_bank(*, data: bytes, user) -> exchange.ImportPreview:
    """Import after a preview: all or nothing, audited (each changed question too)."""
    with transaction.atomic():
        preview = exchange.import_questions(data=data, user=user)
        audit.record(
            user=user,
            action="bank.import",
            changes={"added": len(preview.added), "updated": len(preview.updated)},
        )
    return preview
