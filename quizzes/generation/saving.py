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
    kept: list = []  # candidates whose question's fields are unchanged
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
            kept.append(candidate)
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
    # A question whose only change is what it rests on counts as updated, not unchanged.
    moved = _set_entries(
        created=created, unlocked=[(existing[c.fingerprint], c) for c in kept], changed=changed
    )
    run.updated += moved
    run.unchanged -= moved
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


_ENTRY_TABLES = (
    (Question.events.through, "timelineevent_id", "events"),
    (Question.terms.through, "glossaryterm_id", "terms"),
    (Question.notes.through, "editorialnote_id", "notes"),
)


def _wanted_entries(candidate) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(dict.fromkeys(e.pk for e in getattr(candidate, attribute) if e.pk))
        for _, _, attribute in _ENTRY_TABLES
    )


def _set_entries(*, created, unlocked, changed) -> int:
    """Give the questions the events, terms and notes their candidates rest on. The new and
    changed ones are rewritten; an unchanged one only if its entries changed (returned:
    how many of those, which count as updated). Three queries a table at most."""
    rewrite = [*created, *changed]
    if unlocked:
        ids = [q.pk for q, _ in unlocked]
        have: dict[int, list[list[int]]] = {pk: [[], [], []] for pk in ids}
        for index, (through, column, _) in enumerate(_ENTRY_TABLES):
            rows = through.objects.filter(question_id__in=ids).order_by("pk")
            for question_id, pk in rows.values_list("question_id", column):
                have[question_id][index].append(pk)
        moved = [
            (q, c) for q, c in unlocked if tuple(tuple(x) for x in have[q.pk]) != _wanted_entries(c)
        ]
        rewrite += moved
    else:
        moved = []
    if not rewrite:
        return 0
    ids = [q.pk for q, _ in rewrite]
    for index, (through, column, _) in enumerate(_ENTRY_TABLES):
        through.objects.filter(question_id__in=ids).delete()
        rows = [
            through(question_id=question.pk, **{column: pk})
            for question, candidate in rewrite
            for pk in _wanted_entries(candidate)[index]
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
    return len(moved)
