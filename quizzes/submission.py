"""One POST of the question form: a move of the ordering buttons, or an answer.

What happened, and the card to show next; the view turns it into HTTP (the URL a plain
form goes to, the status code of a refused answer), so this module knows no URLs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from corpus.plumbing.params import whole_number
from quizzes.cards import CLOSED, FEEDBACK, QUESTION, QuestionCard, card_for, card_question
from quizzes.grading import InvalidAnswer, clean_answer, is_ordering, move
from quizzes.models import Attempt, Question, Response
from quizzes.taking import KEPT_FIRST, AttemptClosed, Recorded, record_answer


@dataclass
class Submission:
    """What answering did: the card to show (htmx, or `show_here`), and for a plain form
    where it goes next: question `position` (None: the current one), or the results page
    when the attempt is `closed`."""

    card: QuestionCard
    message: str = ""
    level: str = "info"
    # A move or a refused answer shows the same question again, with no redirect.
    show_here: bool = False
    # The form sent what the page never offers (a question not in the quiz, an option that
    # is not one of the question's): the answer is refused.
    refused: bool = False
    position: int | None = None
    closed: bool = False


def submit(*, attempt: Attempt, data, now: datetime.datetime) -> Submission:
    """Handle one POST of the question form.

    `data` is a QueryDict: `question`, then `choice` (one id) or `order` (ids in
    order), and `move` ("up:<id>" / "down:<id>") for a reordering without JavaScript.
    """
    question_id = whole_number(data.get("question"))
    question = (
        card_question(question_id, evidence=attempt.is_practice)
        if question_id in attempt.question_ids
        else None
    )
    if question is None:
        card = card_for(attempt=attempt)
        card.error = "That question is not part of this quiz. Here is your current question."
        return Submission(card, card.error, "error", show_here=True, refused=True)
    default_order = attempt.option_ids(question)
    order = data.getlist("order") if is_ordering(question.type) else []
    try:
        order = clean_answer(question_type=question.type, option_ids=default_order, given=order)
    except InvalidAnswer:
        order = default_order
    if data.get("move"):
        if Response.objects.filter(attempt=attempt, question=question).exists():
            # A move sent for a question answered since (the browser's Back sending an old
            # ordering form again): show its answer, never the question open once more.
            position = attempt.question_ids.index(question.pk) + 1
            notice = "You have already answered this question: here is your answer."
            card = card_for(attempt=attempt, position=position, notice=notice)
            return Submission(card, notice, position=position)
        return _move(attempt=attempt, question=question, order=order, action=data["move"])
    given = data.getlist("order") if is_ordering(question.type) else data.getlist("choice")
    try:
        recorded = record_answer(attempt=attempt, question=question, answer=given, now=now)
    except InvalidAnswer as error:
        card = QuestionCard(attempt, QUESTION, question, order=order, error=str(error))
        return Submission(card, str(error), "error", show_here=True, refused=True)
    except AttemptClosed as error:
        card = QuestionCard(attempt, CLOSED, notice=str(error))
        return Submission(card, str(error), "error", closed=True)
    return _answered(attempt=attempt, question=question, recorded=recorded)


def _move(*, attempt: Attempt, question: Question, order: list[str], action: str) -> Submission:
    direction, _, option_id = action.partition(":")
    card = QuestionCard(attempt, QUESTION, question, order=order)
    try:
        card.order = move(order=order, option_id=option_id, direction=direction)
        card.moved, card.moved_direction = option_id, direction
    except InvalidAnswer as error:
        card.error = str(error)
    return Submission(card, show_here=True)


def _answered(*, attempt: Attempt, question: Question, recorded: Recorded) -> Submission:
    notice = ""
    if recorded.status == KEPT_FIRST:
        notice = (
            "You had already answered this question, so your first answer stands "
            "and the new one was not recorded."
        )
    position = attempt.question_ids.index(question.pk) + 1
    if attempt.is_practice:
        card = QuestionCard(attempt, FEEDBACK, question, response=recorded.response, notice=notice)
        return Submission(card, notice, position=position)
    saved = notice or f"Your answer to question {position} was saved."
    return Submission(card_for(attempt=attempt, notice=saved), saved)
