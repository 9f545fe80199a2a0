"""Item statistics: how hard each question is and whether it separates students.

For each question with responses (from finished and unfinished attempts alike):

- facility: the share of responses that are correct (0..1);
- discrimination: the point-biserial correlation between the item score (1/0)
  and the *rest* of the attempt's score (correct answers in the same attempt,
  not counting this item), so an item is not correlated with itself;
- choice counts: how often each option was chosen (distractor analysis).

A question is flagged, once it has at least MIN_RESPONSES responses, when its
facility is above HIGH_FACILITY or below LOW_FACILITY, or its discrimination is
negative. The computation runs in `update_item_statistics` (a command and the
queue's "recompute" button), never while a student answers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from quizzes.models import ItemStatistics, Response

MIN_RESPONSES = 20
HIGH_FACILITY = 0.95
LOW_FACILITY = 0.20


@dataclass(frozen=True)
class ResponseRow:
    attempt_id: int
    question_id: int
    is_correct: bool
    answer: object = None


@dataclass
class ItemResult:
    question_id: int
    responses: int
    facility: float
    discrimination: float | None
    choice_counts: dict[str, int] = field(default_factory=dict)

    @property
    def flags(self) -> list[str]:
        if self.responses < MIN_RESPONSES:
            return []
        flags = []
        if self.facility > HIGH_FACILITY:
            flags.append("high_facility")
        if self.facility < LOW_FACILITY:
            flags.append("low_facility")
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative_discrimination")
        return flags


def point_biserial(*, item: Sequence[int], rest: Sequence[float]) -> float | None:
    """Pearson r of a 0/1 item score with the rest score; None when either is constant."""
    n = len(item)
    if n < 2 or n != len(rest):
        return None
    mean_x, mean_y = sum(item) / n, sum(rest) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(item, rest, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in item)
    syy = sum((y - mean_y) ** 2 for y in rest)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _chosen(answer: object) -> list[str]:
    if isinstance(answer, list):
        # An ordering answer is a permutation, not a choice: only single choices count.
        return [str(answer[0])] if len(answer) == 1 else []
    return [str(answer)] if answer not in (None, "") else []


def compute_items(*, rows: Iterable[ResponseRow]) -> dict[int, ItemResult]:
    rows = list(rows)
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        totals[row.attempt_id] += int(row.is_correct)
    by_question: dict[int, list[ResponseRow]] = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)
    results = {}
    for question_id, answers in by_question.items():
        item = [int(r.is_correct) for r in answers]
        rest = [totals[r.attempt_id] - int(r.is_correct) for r in answers]
        counts: dict[str, int] = defaultdict(int)
        for r in answers:
            for choice in _chosen(r.answer):
                counts[choice] += 1
        results[question_id] = ItemResult(
            question_id=question_id,
            responses=len(answers),
            facility=sum(item) / len(item),
            discrimination=point_biserial(item=item, rest=rest),
            choice_counts=dict(sorted(counts.items())),
        )
    return results


@transaction.atomic
def update_item_statistics() -> int:
    """Recompute every question's statistics from the stored responses; returns how many."""
    rows = (
        ResponseRow(attempt_id=a, question_id=q, is_correct=c, answer=ans)
        for a, q, c, ans in Response.objects.values_list(
            "attempt_id", "question_id", "is_correct", "answer"
        ).iterator(chunk_size=5000)
    )
    results = compute_items(rows=rows)
    now = timezone.now()
    ItemStatistics.objects.exclude(question_id__in=results.keys()).delete()
    objs = [
        ItemStatistics(
            question_id=r.question_id,
            responses=r.responses,
            facility=r.facility,
            discrimination=r.discrimination,
            choice_counts=r.choice_counts,
            low_facility="low_facility" in r.flags,
            high_facility="high_facility" in r.flags,
            negative_discrimination="negative_discrimination" in r.flags,
            computed_at=now,
        )
        for r in results.values()
    ]
    ItemStatistics.objects.bulk_create(
        objs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["question"],
        update_fields=[
            "responses",
            "facility",
            "discrimination",
            "choice_counts",
            "low_facility",
            "high_facility",
            "negative_discrimination",
            "computed_at",
        ],
    )
    return len(objs)
