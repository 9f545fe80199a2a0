"""Saving a generated bank: create, update in place, never touch what a curator locked.

Decision (docs/question-format.md): a generated question whose fingerprint a
run no longer produces is retired, not deleted (attempts may point at it),
but only if no curator has locked it and only within the sources the run
covered. A retired generated question that is produced again comes back.
"""

from __future__ import annotations

import time
from collections import Counter

from django.conf import settings
from django.db import transaction

from quizzes.generation import BankResult
from quizzes.models import GenerationRun, Question

DEFAULT_PUBLISH_THRESHOLD = 0.7
SAMPLES_PER_REASON = 5
_COMPARED = (
    "stem", "options", "answer", "explanation", "explanation_quote", "highlight_start",
    "highlight_end", "passage_id", "source_id", "work_id", "generator", "generator_version",
    "quality_score", "difficulty", "status",
)  # fmt: skip


def publish_threshold() -> float:
    return float(getattr(settings, "QUESTION_PUBLISH_THRESHOLD", DEFAULT_PUBLISH_THRESHOLD))


@transaction.atomic
def save_bank(
    *, result: BankResult, seed: int, sources: list[str] | None, started: float
) -> GenerationRun:
    threshold = publish_threshold()
    run = GenerationRun(seed=seed, sources=sorted(sources or []), candidates=result.candidates)
    existing = {q.fingerprint: q for q in Question.objects.all()}
    produced: set[str] = set()
    for candidate in result.accepted:
        produced.add(candidate.fingerprint)
        status = (
            Question.Status.PUBLISHED
            if candidate.quality_score >= threshold
            else Question.Status.NEEDS_REVIEW
        )
        fresh = candidate.to_question(status=status)
        current = existing.get(candidate.fingerprint)
        if current is None:
            fresh.save()
            _set_citations(fresh, candidate)
            run.created += 1
        elif current.curator_locked:
            run.locked_skipped += 1
        elif any(getattr(current, f) != getattr(fresh, f) for f in _COMPARED):
            for f in _COMPARED:
                setattr(current, f, getattr(fresh, f))
            current.save()
            _set_citations(current, candidate)
            run.updated += 1
        else:
            run.unchanged += 1
        if status == Question.Status.PUBLISHED and not (current and current.curator_locked):
            run.published += 1
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


def _set_citations(question: Question, candidate) -> None:
    extra = [p for p in candidate.extra_passages if p.pk and p.pk != question.passage_id]
    question.extra_citations.set(extra)
