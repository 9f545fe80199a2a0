"""Taking a quiz: start or resume an attempt, answer, finish; and what one question card shows.

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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse

from corpus.params import whole_number
from quizzes import drawing, editorial, feedback_entries, finishing, review, revision
from quizzes.grading import InvalidAnswer, clean_answer, grade, is_ordering, move
from quizzes.models import Attempt, Question, Quiz, QuizItem, QuizRules, Response
from quizzes.prepared import PreparedQuery

BLANK = "_____"


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
            raise QuizUnavailable(
                _NOTHING_LEFT
                if pool_size
                else "This quiz has no questions yet. Please try again later."
            )
        question_ids, shortfall = draw.question_ids, draw.shortfall
        # Every student's questions come in their own order, and so do the options.
        orders = _option_orders(rows=_rows(draw.questions), rng=rng)
    else:
        question_ids = _QUIZ_QUESTION_IDS.all(quiz_id=quiz.pk)
        if not question_ids:
            raise QuizUnavailable("This quiz has no questions yet. Please try again later.")
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
        return StartState("none", "This quiz has no questions yet.", reason=EMPTY)
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


# --- What the student sees ------------------------------------------------------------

_QUOTED = re.compile(r"^(?P<lead>[^“]*?)\s*“(?P<quote>.*)”(?P<tail>[^”]*)$", re.S)
_ASKED = re.compile(r"^(?P<lead>.*?\?)\s+(?P<quote>\S.*)$", re.S)


@dataclass(frozen=True)
class Stem:
    """A stem split for display: the question, then the text it is about.

    Each part is a list of text pieces that had a blank between them, so the
    template can draw the gap (and label it for screen readers) without |safe.
    """

    lead: list[str]
    quote: list[str]
    quoted: bool

    @classmethod
    def parse(cls, text: str) -> Stem:
        if match := _QUOTED.match(text):
            lead = match["lead"] + (match["tail"] if match["tail"].strip() else "")
            return cls(lead.split(BLANK), match["quote"].split(BLANK), True)
        if match := _ASKED.match(text):
            return cls(match["lead"].split(BLANK), match["quote"].split(BLANK), False)
        return cls(text.split(BLANK), [], False)


QUESTION = "question"  # asking; nothing about the key may be in the page
FEEDBACK = "feedback"  # practice: answered, show right/wrong and why
SAVED = "saved"  # test: answered, feedback waits for the end
COMPLETE = "complete"  # every question answered: offer to finish
CLOSED = "closed"  # the attempt takes no more answers


@dataclass
class QuestionCard:
    """Everything one card of an attempt shows. Feedback properties return nothing
    unless the card is in the FEEDBACK state, so a template cannot leak the key.

    What the template reads more than once (the kind, the options) is computed once:
    a card is built, its order or move set, then rendered, and never changed after."""

    attempt: Attempt
    state: str
    question: Question | None = None
    order: list[str] = field(default_factory=list)
    response: Response | None = None
    notice: str = ""
    error: str = ""
    moved: str = ""
    moved_direction: str = ""
    focus: bool = False

    @property
    def total(self) -> int:
        return self.attempt.question_count

    @property
    def answered(self) -> int:
        return self.attempt.answered_count

    @cached_property
    def position(self) -> int:
        return self.attempt.question_ids.index(self.question.pk) + 1 if self.question else 0

    @property
    def unanswered(self) -> int:
        return max(self.total - self.answered, 0)

    @cached_property
    def kind(self) -> str:
        if is_ordering(self.question.type):
            return "ordering"
        if self.question.type == Question.Type.TRUE_FALSE:
            return "true_false"
        return "choice"

    @cached_property
    def stem(self) -> Stem:
        return Stem.parse(self.question.stem)

    @cached_property
    def options(self) -> list[dict]:
        texts = {option["id"]: option["text"] for option in self.question.options}
        ids = self.order or self.attempt.option_ids(self.question)
        chosen = set(self.response.answer) if self.response and self.state != QUESTION else set()
        ids = [option_id for option_id in ids if option_id in texts]
        question_id = self.question.pk
        return [
            {
                "id": option_id,
                # The radio's id, made here: two lookups per option fewer in the loop.
                "input_id": f"q{question_id}-{option_id}",
                "text": texts[option_id],
                "position": n,
                "first": n == 1,
                "last": n == len(ids),
                "chosen": option_id in chosen,
                "moved": option_id == self.moved,
                "focus": self._focus_button(option_id, n, len(ids)),
            }
            for n, option_id in enumerate(ids, 1)
        ]

    def _focus_button(self, option_id: str, n: int, count: int) -> str:
        """Which move button of the moved item keeps the focus after a reload or a swap:
        the one just pressed, or the other once the item reaches an end of the list."""
        if option_id != self.moved:
            return ""
        if self.moved_direction == "up":
            return "up" if n > 1 else "down"
        return "down" if n < count else "up"

    @property
    def announcement(self) -> str:
        for option in self.options if self.moved else []:
            if option["moved"]:
                return (
                    f"“{option['text']}” is now number {option['position']} of {len(self.order)}."
                )
        return ""

    @property
    def your_answer(self) -> list[str]:
        if self.response is None or self.state not in (FEEDBACK, SAVED):
            return []
        texts = {option["id"]: option["text"] for option in self.question.options}
        return [texts.get(option_id, option_id) for option_id in self.response.answer]

    @cached_property
    def feedback(self) -> Feedback | None:
        if self.state != FEEDBACK or self.response is None:
            return None
        return Feedback(question=self.question, response=self.response)


@dataclass(frozen=True)
class Feedback:
    """The revealed side of an answered question: used by feedback and the review page.
    The link and the citation are read twice by the template: computed once (a reverse())."""

    question: Question
    response: Response | None
    # Editorial notes on the question's passages, when the caller has them (the results
    # page reads every row's in one go); a card's feedback reads its own (`notes`).
    given_notes: tuple | None = None
    # The timeline and glossary entries a question without a passage rests on, when the
    # caller has them (the results page); a card's feedback reads its own (`entries`).
    given_entries: tuple | None = None

    @property
    def is_correct(self) -> bool:
        return bool(self.response and self.response.is_correct)

    @cached_property
    def notes(self) -> tuple:
        """Editorial notes on the question's passage or a passage it cites: asked only
        here, so only once the answer is revealed (quizzes.editorial)."""
        if self.given_notes is not None:
            return self.given_notes
        return tuple(editorial.notes_for_question(question=self.question))

    @cached_property
    def entries(self) -> tuple:
        """The entries a question without a passage rests on, shown in its place: asked
        only here, so only once the answer is revealed (quizzes.feedback_entries)."""
        if self.given_entries is not None:
            return self.given_entries
        return feedback_entries.entries_for_question(question=self.question)

    @cached_property
    def correct_answer(self) -> list[str]:
        return self.question.correct_texts()

    @property
    def is_ordering(self) -> bool:
        return is_ordering(self.question.type)

    @property
    def quotes_each_source(self) -> bool:
        """The quotation is one line per source, each naming it (a chronology's events, the
        two sides of a disagreement): no single citation under it."""
        return self.is_ordering or self.question.type in (
            Question.Type.DISAGREEMENT,
            Question.Type.CLAIM_SOURCE,
        )

    @cached_property
    def quote(self) -> tuple[str, str, str]:
        return self.question.highlighted_quote

    @cached_property
    def passage_url(self) -> str:
        passage = self.question.passage
        return passage.get_absolute_url() if passage else ""

    @cached_property
    def source_title(self) -> str:
        passage = self.question.passage
        return passage.source.title if passage else ""


# Feedback names the passage and its source; of those rows it needs only what
# makes the link and the citation. Loading whole passages (their text) and
# sources was the costliest query of answering (measured by `make bench`).
_EVIDENCE = ("passage__key", "passage__source__slug", "passage__source__title")
# What a card and grading read of the question. The rest (curation's fields and four
# timestamps, each parsed from text on SQLite) is a tenth of a millisecond per card.
_CARD_FIELDS = (
    "type",
    "stem",
    "options",
    "answer",
    "explanation",
    "explanation_quote",
    "highlight_start",
    "highlight_end",
    "passage",
    "version",
)


# A card's reads run on every request of the quiz flow: compiled once (quizzes/prepared.py).
# No ORDER BY: one row by its key (as get() leaves it out), or a set of ids.
_CARD_QUESTION = PreparedQuery(
    lambda pk: Question.objects.only(*_CARD_FIELDS).filter(pk=pk).order_by()
)
_CARD_QUESTION_WITH_EVIDENCE = PreparedQuery(
    lambda pk: (
        Question.objects.select_related("passage__source")
        .only(*_CARD_FIELDS, *_EVIDENCE)
        .filter(pk=pk)
        .order_by()
    )
)
_ANSWERED_IDS = PreparedQuery(
    lambda attempt_id: (
        Response.objects.filter(attempt_id=attempt_id)
        .order_by()
        .values_list("question_id", flat=True)
    )
)


def _question(question_id: int, *, evidence: bool = False) -> Question | None:
    """The question; with `evidence`, also what its feedback shows (passage, source)."""
    questions = _CARD_QUESTION_WITH_EVIDENCE if evidence else _CARD_QUESTION
    return questions.one(pk=question_id)


def card_for(*, attempt: Attempt, position: int | None = None, notice: str = "") -> QuestionCard:
    """The card to show: question `position` if it is answered (its feedback), else the
    first unanswered question (where a student who closed the tab picks up)."""
    ids = attempt.question_ids
    # order_by(): Response's default ordering is by attempt, which joined the attempt
    # table into every card's query for nothing. The next question needs only which
    # ids are answered; a revisited one needs its response.
    revisit = bool(position and 1 <= position <= len(ids))
    if revisit:
        answered = {r.question_id: r for r in attempt.responses.order_by()}
    else:
        answered = dict.fromkeys(_ANSWERED_IDS.all(attempt_id=attempt.pk))
    if revisit and ids[position - 1] in answered:
        response = answered[ids[position - 1]]
        state = FEEDBACK if attempt.is_practice else SAVED
        return QuestionCard(
            attempt,
            state,
            _question(ids[position - 1], evidence=state == FEEDBACK),
            response=response,
            notice=notice,
        )
    for question_id in ids:
        if question_id not in answered and (question := _question(question_id)):
            return QuestionCard(attempt, QUESTION, question, notice=notice)
    return QuestionCard(attempt, COMPLETE, notice=notice)


# --- A submitted form -------------------------------------------------------------------


@dataclass
class Submission:
    """What answering did: the card to show (htmx), or where a plain form goes next."""

    card: QuestionCard
    redirect_to: str
    message: str = ""
    level: str = "info"
    # A move or a refused answer shows the same question again, with no redirect.
    show_here: bool = False
    status: int = 200


def _question_url(attempt: Attempt, position: int | None = None) -> str:
    url = reverse("attempt_question", kwargs={"pk": attempt.pk})
    return f"{url}?q={position}" if position else url


def submit(*, attempt: Attempt, data, now: datetime.datetime) -> Submission:
    """Handle one POST of the question form: a move of the ordering buttons, or an answer.

    `data` is a QueryDict: `question`, then `choice` (one id) or `order` (ids in
    order), and `move` ("up:<id>" / "down:<id>") for a reordering without JavaScript.
    """
    question_id = whole_number(data.get("question"))
    question = (
        _question(question_id, evidence=attempt.is_practice)
        if question_id in attempt.question_ids
        else None
    )
    if question is None:
        card = card_for(attempt=attempt)
        card.error = "That question is not part of this quiz. Here is your current question."
        return Submission(card, _question_url(attempt), card.error, "error", True, 400)
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
            return Submission(card, _question_url(attempt, position), notice)
        return _move(attempt=attempt, question=question, order=order, action=data["move"])
    given = data.getlist("order") if is_ordering(question.type) else data.getlist("choice")
    try:
        recorded = record_answer(attempt=attempt, question=question, answer=given, now=now)
    except InvalidAnswer as error:
        card = QuestionCard(attempt, QUESTION, question, order=order, error=str(error))
        return Submission(card, _question_url(attempt), str(error), "error", True, 400)
    except AttemptClosed as error:
        card = QuestionCard(attempt, CLOSED, notice=str(error))
        url = reverse("attempt_review", kwargs={"pk": attempt.pk})
        return Submission(card, url, str(error), "error")
    return _answered(attempt=attempt, question=question, recorded=recorded)


def _move(*, attempt: Attempt, question: Question, order: list[str], action: str) -> Submission:
    direction, _, option_id = action.partition(":")
    card = QuestionCard(attempt, QUESTION, question, order=order)
    try:
        card.order = move(order=order, option_id=option_id, direction=direction)
        card.moved, card.moved_direction = option_id, direction
    except InvalidAnswer as error:
        card.error = str(error)
    return Submission(card, _question_url(attempt), show_here=True)


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
        return Submission(card, _question_url(attempt, position), notice)
    saved = notice or f"Your answer to question {position} was saved."
    return Submission(card_for(attempt=attempt, notice=saved), _question_url(attempt), saved)


# --- The results page --------------------------------------------------------------------

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
