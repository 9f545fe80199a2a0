"""Taking a quiz: start or resume an attempt, answer, finish.

What a question card shows is quizzes/cards.py, a submitted question form
quizzes/submission.py, the results page quizzes/results.py; URLs and status codes
are the views'.

The rules that keep a score honest live here, not in views:
- an attempt fixes its questions (and, when the quiz shuffles, its option order)
  at the start, so reloading, a second tab or a bank refresh never changes it;
- an answer is written at most once (the Response unique constraint), and only
  while the attempt is open (a conditional UPDATE whose row count is checked),
  so a double click, a retry or the back button never counts twice and a late
  answer never slips in after `finish`;
- `finish` is one conditional UPDATE (idempotent), and the score is counted from
  the stored responses in the same transaction;
- the clock: after the deadline plus a grace period an answer is refused and the
  attempt is closed with what was answered;
- a drawn quiz draws each attempt's questions for its student from its pool
  (quizzes.drawing): a test never asks what the student has seen answered;
- a student who leaves the class of a quiz has their open attempts closed with
  what they answered (`close_on_leaving`), and further answers are refused.
SQLite ignores `select_for_update()`, so nothing here relies on it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q

from quizzes import drawing, finishing, review
from quizzes.grading import InvalidAnswer, grade, is_ordering
from quizzes.models import Attempt, Question, Quiz, QuizItem, QuizRules, Response
from quizzes.prepared import PreparedQuery


class QuizUnavailable(Exception):
    """The quiz cannot be started now; `str(error)` is a message for the student."""


class AttemptClosed(Exception):
    """The attempt takes no more answers; `str(error)` is a message for the student."""


# The grace is for an answer in flight when the clock runs out (quiz.js submits at
# zero), so it is a twentieth of the time limit, at most QUIZ_GRACE_SECONDS (60 s):
# three seconds on a one-minute test, not a minute that would double it.
GRACE_SHARE = 0.05


def grace(quiz: Quiz) -> datetime.timedelta:
    """How long after a deadline an answer is still taken: proportional to the quiz's time
    limit (the same for every student: it is for the network, not for thinking)."""
    cap = settings.QUIZ_GRACE_SECONDS
    if quiz.time_limit_minutes:
        return datetime.timedelta(seconds=min(cap, quiz.time_limit_minutes * 60 * GRACE_SHARE))
    return datetime.timedelta(seconds=cap)


def is_past(moment: datetime.datetime | None, *, now: datetime.datetime, quiz: Quiz) -> bool:
    """Whether `moment` and its grace have passed. The grace is taken from now rather than
    added to the moment, so a date at the end of the calendar cannot overflow."""
    return moment is not None and now - grace(quiz) > moment


def is_overdue(*, attempt: Attempt, now: datetime.datetime, rules: QuizRules | None = None) -> bool:
    return is_past(attempt.effective_deadline(rules), now=now, quiz=attempt.quiz)


# --- Finding an attempt -------------------------------------------------------------

# Read on every request of the quiz flow, so compiled once (quizzes/prepared.py). The
# user's id is part of the query: another student's attempt is simply not found.
_USER_ATTEMPT = PreparedQuery(
    lambda user_id, pk: (
        Attempt.objects.filter(user_id=user_id, pk=pk).select_related("quiz").order_by()
    )
)


def attempt_for(*, user, pk: int) -> Attempt | None:
    """The user's attempt `pk` with its quiz (as `user.attempts.select_related("quiz")`
    finds it), or None if the user has no such attempt."""
    attempt = _USER_ATTEMPT.one(user_id=user.pk, pk=pk)
    if attempt is not None:
        attempt.user = user  # as a query through `user.attempts` sets it: no query for it
    return attempt


# --- Starting -----------------------------------------------------------------------

# Read whenever a quiz is started: compiled once (quizzes/prepared.py).
_QUIZ = PreparedQuery(lambda pk: Quiz.objects.filter(pk=pk).order_by())
_QUIZ_QUESTION_IDS = PreparedQuery(
    lambda quiz_id: (
        QuizItem.objects.filter(quiz_id=quiz_id)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
)


def quiz_to_start(*, pk: int, user) -> Quiz | None:
    """The quiz `pk` if `user` may take it (`Quiz.is_available_to`), else None."""
    quiz = _QUIZ.one(pk=pk)
    return quiz if quiz is not None and quiz.is_available_to(user) else None


# The page sees an empty quiz in its question count, Start in the questions it reads:
# both say it in these words.
NO_QUESTIONS_YET = "This quiz has no questions yet. Please try again later."
_NOTHING_LEFT = (
    "You have already seen the answers to every question this test could ask you, so it "
    "has nothing fair left to ask. Please tell your teacher: they can set you another."
)


def _rows_of(question_ids: list[int]) -> list[tuple]:
    """(pk, type, options, answer) of each question, for the option orders. One query."""
    return list(
        Question.objects.filter(pk__in=question_ids).values_list("pk", "type", "options", "answer")
    )


def _rows(questions: list[Question]) -> list[tuple]:
    """The same, from questions already loaded (a draw): no query."""
    return [(q.pk, q.type, q.options, q.answer) for q in questions]


def _option_orders(*, rows: list[tuple], rng: random.Random) -> dict[str, list[str]]:
    orders = {}
    for pk, qtype, options, answer in sorted(rows, key=lambda row: row[0]):
        if qtype == Question.Type.TRUE_FALSE:
            continue  # "True, False" is the order everyone expects
        ids = [option["id"] for option in options]
        rng.shuffle(ids)
        if is_ordering(qtype) and ids == list(answer) and len(ids) > 1:
            ids = ids[1:] + ids[:1]  # never hand out an ordering already solved
        orders[str(pk)] = ids
    return orders


def start_attempt(*, quiz: Quiz, user, now: datetime.datetime) -> Attempt:
    """The user's open attempt at `quiz` (resumed), or a new one; QuizUnavailable if none may start.

    Not one transaction: on SQLite a transaction takes the write lock when it
    begins, and holding it through these reads made a class starting a quiz
    together queue on it (`make bench`, synchronized start). The one write that
    matters is the INSERT, and the (quiz, user, number) constraint settles a race.
    """
    # Attempts read through `quiz.attempts` come with `.quiz` set to this quiz already:
    # no join to load it again.
    attempts = quiz.attempts.filter(user=user)
    # One query for both questions (is one open? how many are finished?): the usual
    # click on Start finds none open, and two queries cost twice the ORM's work.
    # Finished attempts only: one still open here was just started by another tab
    # (twenty Start clicks at once, tests/reliability), and taking its number makes
    # our INSERT collide below and join it, instead of opening a second attempt.
    counts = attempts.aggregate(
        open_id=Max("pk", filter=Q(finished_at__isnull=True)),
        taken=Count("pk", filter=Q(finished_at__isnull=False)),
    )
    taken = counts["taken"]
    current = attempts.get(pk=counts["open_id"]) if counts["open_id"] else None
    if current is not None and not is_overdue(attempt=current, now=now):
        return current
    if current is not None:
        finish_attempt(attempt=current, now=now, by_deadline=True)
        taken += 1
    # The attempt just closed has read them already (when the quiz has a due date).
    rules = current.rules() if current is not None else quiz.rules_for(user)
    refused = why_not_start(quiz=quiz, rules=rules, taken=taken, now=now)
    if refused is not None:
        raise QuizUnavailable(refused.message)
    number = taken + 1
    # The draw and the orders are stored on the attempt, so they need no seed; an
    # unpredictable source means the code being public tells no one anything.
    rng = random.SystemRandom()
    shortfall = 0
    if quiz.draw_count:
        draw, pool_size = drawing.draw_for(quiz=quiz, user_id=user.pk, now=now, rng=rng)
        if not draw.questions:
            raise QuizUnavailable(_NOTHING_LEFT if pool_size else NO_QUESTIONS_YET)
        question_ids, shortfall = draw.question_ids, draw.shortfall
        # Every student's questions come in their own order, and so do the options.
        orders = _option_orders(rows=_rows(draw.questions), rng=rng)
    else:
        question_ids = _QUIZ_QUESTION_IDS.all(quiz_id=quiz.pk)
        if not question_ids:
            raise QuizUnavailable(NO_QUESTIONS_YET)
        if quiz.shuffle_questions:
            rng.shuffle(question_ids)
        orders = (
            _option_orders(rows=_rows_of(question_ids), rng=rng) if quiz.shuffle_options else {}
        )
    limit = (
        now + datetime.timedelta(minutes=rules.time_limit_minutes)
        if rules.time_limit_minutes
        else None
    )
    deadline = min((m for m in (limit, rules.due_at) if m is not None), default=None)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=number,
                mode=quiz.mode,
                question_ids=question_ids,
                option_orders=orders,
                started_at=now,
                deadline_at=deadline,
                pool_shortfall=shortfall,
            )
    except IntegrityError:
        # A double click on Start: the other request made this attempt first.
        return attempts.in_progress().get(number=number)


@dataclass(frozen=True)
class StartState:
    """What the quiz page offers: "resume", "start", or "none" with the reason (one of
    OPENS_LATER, CLOSED, EMPTY, USED_UP) and a message for the student."""

    action: str
    message: str = ""
    attempt: Attempt | None = None
    reason: str = ""


OPENS_LATER = "opens_later"
CLOSED = "closed"  # its due date (the student's own) has passed
EMPTY = "empty"
USED_UP = "used_up"


def why_not_start(
    *,
    quiz: Quiz,
    rules: QuizRules,
    taken: int,
    now: datetime.datetime,
    question_count: int | None = None,
) -> StartState | None:
    """Why no new attempt may start now ("none", with its reason), or None if one may.
    The one home of these rules: start_attempt and the quiz page both ask it. `taken`:
    attempts used; `question_count`: when known (the page), 0 refuses at once."""
    if quiz.opens_at and now < quiz.opens_at:
        when = f"{quiz.opens_at:%-d %B %Y at %H:%M}"
        return StartState("none", f"This quiz opens on {when}.", reason=OPENS_LATER)
    if is_past(rules.due_at, now=now, quiz=quiz):
        when = f"{rules.due_at:%-d %B %Y at %H:%M}"
        return StartState("none", f"This quiz closed on {when}.", reason=CLOSED)
    if question_count == 0:
        return StartState("none", NO_QUESTIONS_YET, reason=EMPTY)
    allowed = rules.attempts_allowed
    if allowed is not None and taken >= allowed:
        plural = "s" if allowed != 1 else ""
        message = f"You have used all {allowed} attempt{plural} this quiz allows."
        return StartState("none", message, reason=USED_UP)
    return None


def start_state(
    *, quiz: Quiz, rules: QuizRules, attempts: list[Attempt], now: datetime.datetime
) -> StartState:
    """The same checks as start_attempt, on rows already loaded (no queries), for the button."""
    current = next((a for a in attempts if not a.is_finished), None)
    if current is not None and not is_overdue(attempt=current, now=now, rules=rules):
        return StartState("resume", attempt=current)
    refused = why_not_start(
        quiz=quiz,
        rules=rules,
        taken=len(attempts),
        now=now,
        question_count=getattr(quiz, "question_count", None),
    )
    return refused or StartState("start")


# --- Answering ----------------------------------------------------------------------

LEFT_CLASS = (
    "You are no longer in the class this quiz was set for, so this attempt was closed "
    "with the answers you had given and this answer was not recorded."
)

RECORDED = "recorded"
REPEATED = "repeated"  # the same answer again: harmless, same feedback
KEPT_FIRST = "kept_first"  # a different answer to an answered question: not recorded


@dataclass(frozen=True)
class Recorded:
    response: Response
    status: str


class _AttemptFinished(Exception):
    pass


def record_answer(
    *, attempt: Attempt, question: Question, answer: object, now: datetime.datetime
) -> Recorded:
    """Grade and store `answer`; at most once per question, only while the attempt is open.

    Raises InvalidAnswer (malformed; nothing stored) or AttemptClosed (finished,
    or past its deadline plus grace: then it is closed with what was answered).
    """
    if question.pk not in attempt.question_ids:
        raise InvalidAnswer("That question is not part of this quiz.")
    if attempt.is_finished:
        raise AttemptClosed(
            LEFT_CLASS
            if attempt.closed_by_removal
            else "This attempt is already finished, so no more answers are recorded."
        )
    if is_overdue(attempt=attempt, now=now):
        finish_attempt(attempt=attempt, now=now, by_deadline=True)
        raise AttemptClosed(
            "Time is up for this attempt, so this answer was not recorded. "
            "The answers you gave before the deadline have been submitted."
        )
    cleaned, correct = grade(
        question_type=question.type,
        option_ids=attempt.option_ids(question),
        key=question.answer,
        given=answer,
    )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                attempt=attempt,
                question=question,
                question_version=question.version,
                answer=cleaned,
                is_correct=correct,
                answered_at=now,
            )
            # Conditional on the attempt still being open: a finish that won the
            # race leaves no row to update, and the insert is rolled back with it.
            updated = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
                answered_count=F("answered_count") + 1, last_answered_at=now
            )
            if updated != 1:
                raise _AttemptFinished
            if attempt.is_practice:
                # A test schedules its reviews at the end, when answers may be shown.
                review.schedule_answers(
                    user_id=attempt.user_id, results={question.pk: correct}, now=now
                )
    except IntegrityError:
        first = Response.objects.get(attempt=attempt, question=question)
        return Recorded(first, REPEATED if first.answer == cleaned else KEPT_FIRST)
    except _AttemptFinished:
        # Finished by another request meanwhile: by the student, the clock, or their removal
        # from the class (one small read, only on this rare path, to say which).
        if Attempt.objects.filter(pk=attempt.pk, closed_by_removal=True).exists():
            raise AttemptClosed(LEFT_CLASS) from None
        raise AttemptClosed("This attempt was finished, so this answer was not recorded.") from None
    attempt.answered_count += 1
    return Recorded(response, RECORDED)


# --- Finishing ----------------------------------------------------------------------


@transaction.atomic
def finish_attempt(
    *,
    attempt: Attempt,
    now: datetime.datetime,
    by_deadline: bool = False,
    by_removal: bool = False,
) -> Attempt:
    """Close the attempt and score it from its stored responses; a second call changes nothing."""
    closed = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
        finished_at=now, closed_by_deadline=by_deadline, closed_by_removal=by_removal
    )
    if closed == 1:
        # A new statement after the UPDATE took the row lock: on PostgreSQL it
        # sees every answer committed before us, and later ones find the attempt closed.
        results = dict(attempt.responses.order_by().values_list("question_id", "is_correct"))
        score, max_score = sum(results.values()), len(attempt.question_ids)
        Attempt.objects.filter(pk=attempt.pk).update(score=score, max_score=max_score)
        _schedule_test_reviews(attempt=attempt, results=results, now=now)
        # What we just wrote, so no need to read it back: each response was inserted in
        # the same transaction as its +1 on answered_count, so the count is the responses'.
        attempt.finished_at, attempt.closed_by_deadline = now, by_deadline
        attempt.closed_by_removal = by_removal
        attempt.score, attempt.max_score, attempt.answered_count = score, max_score, len(results)
        # Other apps' work for a finished attempt (an LMS grade), in this transaction.
        finishing.attempt_finished(attempt=attempt)
        return attempt
    # Closed by another request (a second tab, the clock): show what it stored.
    attempt.refresh_from_db(
        fields=[
            "finished_at",
            "score",
            "max_score",
            "closed_by_deadline",
            "closed_by_removal",
            "answered_count",
        ]
    )
    return attempt


def _schedule_test_reviews(
    *, attempt: Attempt, results: Mapping[int, bool], now: datetime.datetime
) -> None:
    # Review serves a question with feedback, so it must not come back before the
    # quiz reveals its answers to this student (their own due date), and never for a
    # quiz that keeps them secret.
    quiz = attempt.quiz
    if attempt.is_practice or quiz.reveal_answers == Quiz.Reveal.NEVER:
        return
    if quiz.reveal_answers == Quiz.Reveal.AFTER_DUE:
        if quiz.due_at is None:
            return
        review.schedule_answers(
            user_id=attempt.user_id,
            results=results,
            now=now,
            not_before=attempt.answers_shown_from(),
        )
        return
    review.schedule_answers(user_id=attempt.user_id, results=results, now=now)


def close_if_overdue(*, attempt: Attempt, now: datetime.datetime) -> bool:
    """Close an open attempt past its deadline plus grace; True if it is (now) closed that way."""
    if attempt.is_finished or not is_overdue(attempt=attempt, now=now):
        return False
    finish_attempt(attempt=attempt, now=now, by_deadline=True)
    return True


def close_on_leaving(*, audience_id: int, user_ids: list[int], now: datetime.datetime) -> int:
    """Close the open attempts of `user_ids` at the quizzes of an audience they have left
    (a student removed from a class), graded on what they answered, so nothing is lost
    and no further answer is taken. Returns how many were closed.

    The caller removes them from the audience in the same transaction: a Start after it
    is refused, and an answer racing it finds the attempt closed (`record_answer`)."""
    attempts = Attempt.objects.in_progress().filter(
        quiz__audience_id=audience_id, user_id__in=user_ids
    )
    closed = 0
    for attempt in attempts.select_related("quiz"):
        finish_attempt(attempt=attempt, now=now, by_removal=True)
        closed += 1
    return closed
