"""Class item analysis: which questions of an assignment the class got wrong, and how.

For each question of the assignment's quiz, over the finished attempts of the
class's current students: how many answered, how many were wrong, and how often
each option was chosen (the distractors that caught them). Questions come out
most-missed first, each with the passage to reteach. Two queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lessons.models import Assignment
from quizzes.grading import is_ordering
from quizzes.models import Question, Response


@dataclass(frozen=True)
class OptionCount:
    id: str
    text: str
    count: int
    correct: bool


@dataclass
class ItemResult:
    question: Question
    answered: int = 0
    wrong: int = 0
    chosen: Counter = field(default_factory=Counter)

    @property
    def wrong_percent(self) -> int | None:
        return round(100 * self.wrong / self.answered) if self.answered else None

    @property
    def is_ordering(self) -> bool:
        return is_ordering(self.question.type)

    @property
    def options(self) -> list[OptionCount]:
        """Each option with how often it was chosen; empty for ordering questions."""
        if self.is_ordering:
            return []
        key = set(self.question.answer)
        return [
            OptionCount(o["id"], o["text"], self.chosen[o["id"]], o["id"] in key)
            for o in self.question.options
        ]

    @property
    def passage_url(self) -> str:
        passage = self.question.passage
        return passage.get_absolute_url() if passage is not None else ""


def item_analysis(*, assignment: Assignment) -> list[ItemResult]:
    """The assignment's questions, most often wrong first (unanswered ones last)."""
    items = {
        item.question_id: ItemResult(question=item.question)
        for item in assignment.quiz.items.select_related("question__passage__source").order_by(
            "position"
        )
    }
    responses = Response.objects.filter(
        attempt__quiz=assignment.quiz,
        attempt__finished_at__isnull=False,
        attempt__user__memberships__school_class_id=assignment.school_class_id,
        question_id__in=list(items),
    ).values_list("question_id", "answer", "is_correct")
    for question_id, answer, correct in responses:
        result = items[question_id]
        result.answered += 1
        result.wrong += not correct
        if not result.is_ordering:
            result.chosen.update(str(a) for a in (answer if isinstance(answer, list) else [answer]))
    ranked = list(items.values())
    ranked.sort(
        key=lambda r: (r.answered == 0, -(r.wrong / r.answered if r.answered else 0), -r.wrong)
    )
    return ranked
