"""Drawing a quiz's questions for each student from a pool, never one whose answer they have seen.

A drawn quiz (`Quiz.draw_count` set) holds a pool of questions, its items; each attempt
draws `draw_count` of them for its student when it starts and keeps them
(`Attempt.question_ids`), so a reload never changes them. The design, and why, is in
docs/decisions.md ("Item pools and per-student draws"); the overlaps it gives on the
bank we ship are in docs/reliability.md.

What a student has *seen* is every question whose answer Thaw has shown them: feedback
after an answer in any practice attempt (lesson and source quizzes, review, retakes,
practice assignments), a results page that shows the answers (for that student's own
due date), and the marks of a test that keeps its answers hidden (for a true/false
question, "you were wrong" is the key). A question on the same sentence as a seen one
counts as seen too: the feedback quoted the sentence it is built on.

A test draws:
- none of the questions its student has seen (nor, with `Quiz.DrawFrom.TEST_ONLY`,
  any question outside the test-only share, which practice never shows);
- no two questions that give each other away (`building.question_facts`);
- the questions asked least in this quiz so far first, at random among equals (as
  Moodle's random questions prefer the least used): two students starting one after
  the other share as few questions as the pool allows, and every question gets its
  share of responses for the item statistics;
- when the pool runs short, fewer questions, never a seen one to fill the gap: the
  attempt records how many it lacks (`Attempt.pool_shortfall`) and the teacher is told.
A practice quiz draws the same way from the practice share, preferring unseen
questions without requiring them: seeing an answer again is what practice is for.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q

from quizzes.building import practice_share, question_facts, test_only_share
from quizzes.models import Attempt, Question, Quiz, Response

# What a draw reads of each question of the pool: its facts, its split, its options.
_DRAW_FIELDS = ("type", "options", "answer", "explanation_quote", "fingerprint")


def seen_questions(*, user_ids: Collection[int], now: datetime.datetime) -> dict[int, set[int]]:
    """For each user: the questions whose answer they have been shown by `now`. Two queries."""
    seen: dict[int, set[int]] = defaultdict(set)
    # Results pages that show the answers show every question of the attempt, answered or not.
    shown = Attempt.objects.filter(user_id__in=user_ids).revealing_answers_at(now).order_by()
    for user_id, question_ids in shown.values_list("user_id", "question_ids"):
        seen[user_id].update(question_ids)
    # Feedback after each answer of practice (finished or not), and the marks of a test
    # that keeps its answers hidden.
    answered = Response.objects.filter(attempt__user_id__in=user_ids).filter(
        Q(attempt__mode=Quiz.Mode.PRACTICE)
        | Q(attempt__finished_at__isnull=False, attempt__quiz__reveal_answers=Quiz.Reveal.NEVER)
    )
    for user_id, question_id in answered.order_by().values_list("attempt__user_id", "question_id"):
        seen[user_id].add(question_id)
    return seen


def sentences_of(question_ids: Collection[int]) -> dict[int, str]:
    """{question id: the sentence it is built on (`Question.quote_key`)}. One query, none for no ids."""
    if not question_ids:
        return {}
    rows = Question.objects.filter(pk__in=list(question_ids)).exclude(explanation_quote="")
    return {
        pk: Question(explanation_quote=quote).quote_key
        for pk, quote in rows.order_by().values_list("pk", "explanation_quote")
    }


def pool_of(quiz: Quiz) -> list[Question]:
    """The quiz's questions that are still published (a curator may retire one). One query."""
    return list(
        Question.objects.published()
        .filter(quiz_items__quiz_id=quiz.pk)
        .only(*_DRAW_FIELDS)
        .order_by("pk")
    )


def eligible(*, quiz: Quiz, pool: Iterable[Question]) -> list[Question]:
    """The part of the pool the quiz may ask. Checked at every draw, not only when the pool
    was copied: practice never asks a test-only question, whatever its pool holds."""
    if quiz.mode == Quiz.Mode.PRACTICE:
        return practice_share(pool)
    if quiz.draw_from == Quiz.DrawFrom.TEST_ONLY:
        return test_only_share(pool)
    return list(pool)


def uses_in(quiz: Quiz) -> Counter[int]:
    """How often each question was drawn in the quiz so far, by anyone. One query."""
    uses: Counter[int] = Counter()
    for question_ids in quiz.attempts.order_by().values_list("question_ids", flat=True):
        uses.update(question_ids)
    return uses


def choose(
    *,
    pool: Iterable[Question],
    count: int,
    seen_ids: Collection[int],
    seen_sentences: Collection[str],
    uses: Mapping[int, int],
    rng: random.Random,
    strict: bool,
) -> list[Question]:
    """Up to `count` questions of `pool`, in a random order: the rules of a draw above.

    `strict` (a test) leaves seen questions out; otherwise they only come last."""

    def seen(question: Question) -> bool:
        sentence = question.quote_key
        return question.pk in seen_ids or bool(sentence and sentence in seen_sentences)

    candidates = [question for question in pool if not (strict and seen(question))]
    candidates.sort(key=lambda q: (seen(q), uses.get(q.pk, 0), rng.random()))
    chosen: list[Question] = []
    given_away: set[tuple[str, str]] = set()
    for question in candidates:
        if len(chosen) == count:
            break
        facts = question_facts(question)
        if facts & given_away:
            continue
        given_away |= facts
        chosen.append(question)
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class Draw:
    questions: list[Question]
    wanted: int

    @property
    def question_ids(self) -> list[int]:
        return [question.pk for question in self.questions]

    @property
    def shortfall(self) -> int:
        return max(self.wanted - len(self.questions), 0)


def draw_for(
    *, quiz: Quiz, user_id: int, now: datetime.datetime, rng: random.Random
) -> tuple[Draw, int]:
    """This student's draw from the quiz's pool, and how many questions the pool may ask.

    Five queries: the pool, what the student has seen (two), the sentences of those
    questions, how often each question was drawn so far."""
    pool = eligible(quiz=quiz, pool=pool_of(quiz))
    seen_ids = seen_questions(user_ids=[user_id], now=now).get(user_id, set())
    chosen = choose(
        pool=pool,
        count=quiz.draw_count or len(pool),
        seen_ids=seen_ids,
        seen_sentences=set(sentences_of(seen_ids).values()),
        uses=uses_in(quiz),
        rng=rng,
        strict=quiz.mode == Quiz.Mode.TEST,
    )
    return Draw(chosen, quiz.draw_count or len(pool)), len(pool)


# --- What the teacher and the curator see ------------------------------------------------


@dataclass(frozen=True)
class PoolReport:
    """A drawn quiz's pool, its split, and the students a draw would now give fewer questions."""

    size: int  # published questions in the pool
    test_only: int
    draw_count: int
    draw_from: str
    mode: str
    eligible: int  # the ones this quiz may ask (its mode and draw_from applied)
    fresh: int  # what a draw gives a student who has seen nothing
    short: dict[int, int]  # user id -> questions a draw would give them now, when below

    @property
    def practice(self) -> int:
        return self.size - self.test_only

    @property
    def is_short(self) -> bool:
        return self.fresh < self.draw_count


def pool_report(*, quiz: Quiz, user_ids: Collection[int], now: datetime.datetime) -> PoolReport:
    """What the pool of a drawn quiz gives each of `user_ids` now. Four queries.

    The counts come from the same `choose` the draw uses, with a fixed seed: a draw at
    random may do a question or so worse when two of the pool's questions give each
    other away, which the attempt then records."""
    pool = pool_of(quiz)
    allowed = eligible(quiz=quiz, pool=pool)
    seen = seen_questions(user_ids=user_ids, now=now)
    sentences = sentences_of(set().union(*seen.values()) if seen else set())
    strict = quiz.mode == Quiz.Mode.TEST
    wanted = quiz.draw_count or len(allowed)

    def gives(seen_ids: set[int]) -> int:
        return len(
            choose(
                pool=allowed,
                count=wanted,
                seen_ids=seen_ids,
                seen_sentences={sentences[pk] for pk in seen_ids if pk in sentences},
                uses={},
                rng=random.Random(0),  # noqa: S311 (a count, not a secret)
                strict=strict,
            )
        )

    fresh = gives(set())
    short = {}
    for user_id in user_ids:
        if seen.get(user_id) and (n := gives(seen[user_id])) < min(wanted, fresh):
            short[user_id] = n
    return PoolReport(
        size=len(pool),
        test_only=len(test_only_share(pool)),
        draw_count=wanted,
        draw_from=quiz.draw_from,
        mode=quiz.mode,
        eligible=len(allowed),
        fresh=fresh,
        short=short,
    )
