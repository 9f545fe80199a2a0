"""The results page of a finished attempt: what it shows of each question, by the quiz's rules.

How much is revealed (`review_level`) follows the quiz's reveal rule and the student's own
due date; a row shows the wording the student answered (quizzes.revision).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from quizzes import editorial, feedback_entries, revision
from quizzes.cards import Feedback, Stem
from quizzes.grading import is_ordering
from quizzes.models import Attempt, Question, Quiz, Response

FULL = "full"  # answers, correct answers, explanations
MARKS = "marks"  # score and which were right (Reveal.NEVER)
SCORE = "score"  # the score only, until the due date (Reveal.AFTER_DUE)


def review_level(*, attempt: Attempt, now: datetime.datetime) -> str:
    if attempt.reveals_answers_at(now):
        return FULL
    if attempt.quiz.reveal_answers == Quiz.Reveal.NEVER:
        return MARKS
    return SCORE


@dataclass(frozen=True)
class ReviewRow:
    number: int
    question: Question
    response: Response | None
    level: str
    notes: tuple = ()
    entries: tuple = ()

    @property
    def stem(self) -> Stem:
        return Stem.parse(self.question.stem)

    @property
    def your_answer(self) -> list[str]:
        if self.response is None:
            return []
        texts = {option["id"]: option["text"] for option in self.question.options}
        return [texts.get(option_id, option_id) for option_id in self.response.answer]

    @property
    def is_ordering(self) -> bool:
        return is_ordering(self.question.type)

    @property
    def feedback(self) -> Feedback | None:
        return (
            Feedback(
                question=self.question,
                response=self.response,
                given_notes=self.notes,
                given_entries=self.entries,
            )
            if self.level == FULL
            else None
        )


def review_rows(*, attempt: Attempt, level: str) -> list[ReviewRow]:
    """One row per question of a finished attempt; three queries however many questions,
    and two for the editorial notes when the answers are shown (two more if there are any).
    An answered question shows the wording its student answered (one query more when a
    curator has changed any since: quizzes.revision)."""
    responses = {r.question_id: r for r in attempt.responses.order_by()}  # no join for order
    questions = Question.objects.select_related("passage__source").in_bulk(attempt.question_ids)
    questions = revision.as_answered(questions=questions, responses=responses.values())
    notes = editorial.notes_by_question(questions=list(questions.values())) if level == FULL else {}
    # No query unless a question rests on a timeline or glossary entry instead of a passage.
    entries = (
        feedback_entries.entries_by_question(questions=list(questions.values()))
        if level == FULL
        else {}
    )
    return [
        ReviewRow(
            n,
            questions[pk],
            responses.get(pk),
            level,
            tuple(notes.get(pk, ())),
            entries.get(pk, ()),
        )
        for n, pk in enumerate(attempt.question_ids, 1)
        if pk in questions
    ]
