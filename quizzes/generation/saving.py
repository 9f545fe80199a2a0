"""Saving a generated bank: create, update in place, never touch what a curator locked.

Decision (docs/question-format.md): a generated question whose fingerprint a
run no longer produces is retired, not deleted (attempts may point at it),
but only if no curator has locked it and only within the sources the run
covered. A retired generated question that is produced again comes back.
"""

from __future__ import annotations

import time
from collections import Counter

from django.db import transaction
from django.utils import timezone

from quizzes.generation import BankResult
from quizzes.generation.balancing import publish_threshold
from quizzes.models import GenerationRun, Question

SAMPLES_PER_REASON = 5
BATCH = 200
_FIELDS = (
    "stem", "options", "answer", "explanation", "explanation_quote", "highlight_start",
    "highlight_end", "passage_id", "source_id", "work_id", "generator", "generator_version",
    "quality_score", "difficulty", "status",
)  # fmt: skip


@transaction.atomic
def save_bank(
    *, result: BankResult, seed: int, sources: list[str] | None, started: float
) -> GenerationRun:
    threshold = publish_threshold()
    run = GenerationRun(seed=seed, sources=sorted(sources or []), candidates=result.candidates)
    existing = {q.fingerprint: q for q in Question.objects.all()}
    produced: set[str] = set()
    created: list[tuple[Question, object]] = []
    changed: list[tuple[Question, object]] = []
    for candidate in result.accepted:
        produced.add(candidate.fingerprint)
        status = (
            Question.Status.PUBLISHED
            if candidate.quality_score >= threshold and not candidate.held
            else Question.Status.NEEDS_REVIEW
        )
        fresh = candidate.to_question(status=status)
        current = existing.get(candidate.fingerprint)
        if current is None:
            created.append((fresh, candidate))
            run.created += 1
        elif current.curator_locked:
            run.locked_skipped += 1
        elif any(getattr(current, f) != getattr(fresh, f) for f in _FIELDS):
            for f in _FIELDS:
                setattr(current, f, getattr(fresh, f))
            changed.append((current, candidate))
            run.updated += 1
        else:
            run.unchanged += 1
        if status == Question.Status.PUBLISHED and not (current and current.curator_locked):
            run.published += 1
    # A whole bank is a few hundred rows: written in bulk, not one query per question.
    Question.objects.bulk_create([q for q, _ in created], batch_size=BATCH)
    if changed:
        now = timezone.now()
        for question, _ in changed:
            question.updated_at = now
        Question.objects.bulk_update(
            [q for q, _ in changed], [*_FIELDS, "updated_at"], batch_size=BATCH
        )
    _set_citations([*created, *changed])
    stale = (
        Question.objects.generated()
        .exclude(generator="")
        .exclude(status=Question.Status.RETIRED)
        .exclude(fingerprint__in=produced)
    )
    if sources:
        stale = stale.filter(source__slug__in=sources)
    run.retired = stale.update(status=Question.Status.RETIRED)
    counts = Counter(r.reason for r in result.rejections)
    run.rejections = dict(sorted(counts.items()))
    samples: Counter[str] = Counter()
    for rejection in result.rejections:
        if samples[rejection.reason] < SAMPLES_PER_REASON:
            samples[rejection.reason] += 1
            run.rejection_samples.append(
                {
                    "generator": rejection.generator,
                    "reason": rejection.reason,
                    "detail": rejection.detail[:300],
                    "passage": rejection.passage_key,
                }
            )
    run.duration_seconds = round(time.monotonic() - started, 3)
    run.save()
    return run


def _set_citations(pairs) -> None:
    """Replace the extra citations of these questions with their candidates' (two queries)."""
    if not pairs:
        return
    through = Question.extra_citations.through
    through.objects.filter(question_id__in=[q.pk for q, _ in pairs]).delete()
    rows = []
    for question, candidate in pairs:
        seen = {question.passage_id}
        for passage in candidate.extra_passages:
            if passage.pk and passage.pk not in seen:
                seen.add(passage.pk)
                rows.append(through(question_id=question.pk, passage_id=passage.pk))
    through.objects.bulk_create(rows, batch_size=BATCH)
