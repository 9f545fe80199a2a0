"""Checks for understanding: one or two questions at the end of each lesson section.

Chosen from the lesson's pool of the question bank (published questions citing a passage
the section cites or excerpts, or resting on a timeline event or glossary term of that
section: lessons.modules.passage_groups), deterministically: the best first, never two that give each other away
anywhere on the page (`quizzes.building.question_facts`), and only from the share of the
bank that practice may show (`practice_questions`: tests keep the rest for themselves).
Ordering questions are left to the quizzes (moving items about needs a card of its own),
and so is any question whose wording uses words from our workshop rather than the
classroom.

Answering a check goes through the quiz-taking machinery: the lesson has a practice quiz
of its checks (key "checks:<lesson-slug>"), each student an attempt at it, and each answer
is a Response, so it counts as practice, schedules a review card, and is "seen" when a
test later draws questions for that student. The key (`Question.answer`) is read only to
grade and to show feedback once the student has answered.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from lessons.models import Module
from lessons.modules.passage_groups import module_group
from quizzes.building import (
    practice_share,
    question_facts,
    section_members,
    select_questions,
)
from quizzes.cards import Feedback, Stem
from quizzes.editorial import notes_by_question
from quizzes.grading import is_ordering
from quizzes.models import Question, Quiz, QuizItem, Response
from quizzes.taking import finish_attempt, record_answer, start_attempt

CHECKS_PER_SECTION = 2
# A safety net: the stamps in the key already change with the lesson and the bank.
CHECKS_CACHE_SECONDS = 3600
# Words of the workshop, not the classroom: a question using them is not shown in a lesson.
JARGON = re.compile(r"\b(corpus|cloze|renderings?|passage ids?)\b", re.IGNORECASE)


def checks_quiz_key(module: Module) -> str:
    return f"checks:{module.slug}"


def _plain(question: Question) -> bool:
    words = [question.stem, question.explanation, *(o["text"] for o in question.options)]
    return not any(JARGON.search(text) for text in words)


def practice_questions(questions: Iterable[Question]) -> list[Question]:
    """The questions a check may ask: practice's share of the bank (never the test-only
    share), answered by choosing, in plain words. The one place checks decide it."""
    return [q for q in practice_share(questions) if not is_ordering(q.type) and _plain(q)]


def choose_checks(
    *,
    lesson: str,
    sections: Sequence[tuple[str, set[int]]],
    questions: Iterable[Question],
    per_section: int = CHECKS_PER_SECTION,
) -> dict[str, list[Question]]:
    """For each (section slug, ids of the questions it holds), up to `per_section` of
    those questions. Pure.

    Sections are served in order; a question, or one sharing a fact with a question
    already chosen, is not chosen again."""
    pool = practice_questions(questions)
    chosen: dict[str, list[Question]] = {}
    taken: set[int] = set()
    seen: set[tuple[str, str]] = set()
    for slug, held in sections:
        candidates = [
            q for q in pool if q.pk not in taken and q.pk in held and not question_facts(q) & seen
        ]
        picked = select_questions(
            key=f"checks:{lesson}:{slug}", questions=candidates, size=per_section
        )
        for question in picked:
            taken.add(question.pk)
            seen |= question_facts(question)
        chosen[slug] = picked
    return chosen


def lesson_checks(*, module: Module, sections: Sequence) -> dict[str, list[Question]]:
    """The checks of every section of `module`: the questions each section holds in the
    lesson's pool (what it cites, the timeline events placed in it and the glossary terms
    it links: lessons.modules.passage_groups.module_group), so a section that tells what happened from
    reference works is checked too.

    Choosing reads the lesson's whole pool (a dozen queries), and the choice changes only
    when the lesson or the bank does: it is kept in the cache under both their stamps, so
    a page costs two queries (the bank's stamp, the chosen questions)."""
    bank = Question.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    key = ":".join(
        (
            "lesson-checks",
            module.slug,
            f"{module.updated_at:%Y%m%d%H%M%S%f}",
            f"{bank['changed']:%Y%m%d%H%M%S%f}" if bank["changed"] else "-",
            str(bank["count"]),
        )
    )
    kept = cache.get(key)
    if kept is not None:
        ids = {pk for pks in kept.values() for pk in pks}
        found = Question.objects.published().filter(pk__in=ids).select_related("passage__source")
        by_id = {q.pk: q for q in found}
        return {
            section.slug: [by_id[pk] for pk in kept.get(section.slug, []) if pk in by_id]
            for section in sections
        }
    chosen = _choose_for_lesson(module=module, sections=sections)
    cache.set(key, {slug: [q.pk for q in qs] for slug, qs in chosen.items()}, CHECKS_CACHE_SECONDS)
    return chosen


def _choose_for_lesson(*, module: Module, sections: Sequence) -> dict[str, list[Question]]:
    group = module_group(module)
    questions = practice_questions(group.questions().select_related("passage__source"))
    members = section_members(group=group, questions=questions) if group.sections else []
    held = {part.key: ids for part, ids in zip(group.sections, members, strict=True)}
    return choose_checks(
        lesson=module.slug,
        sections=[(section.slug, held.get(section.slug, set())) for section in sections],
        questions=questions,
    )


# --- what a check shows --------------------------------------------------------------


@dataclass
class CheckCard:
    """One check as the page shows it: the question, and once answered the feedback. The
    key is read only through `feedback`, which is empty until there is a response."""

    module: Module
    section_slug: str
    question: Question
    number: int  # within the section
    response: Response | None = None
    notes: tuple | None = None  # None: the feedback reads them itself (one card)
    error: str = ""
    focus: bool = False

    @property
    def anchor(self) -> str:
        return f"check-{self.question.pk}"

    @property
    def is_answered(self) -> bool:
        return self.response is not None

    @cached_property
    def stem(self) -> Stem:
        return Stem.parse(self.question.stem)

    @property
    def kind(self) -> str:
        return "true_false" if self.question.type == Question.Type.TRUE_FALSE else "choice"

    @cached_property
    def options(self) -> list[dict]:
        chosen = set(self.response.answer) if self.response else set()
        return [
            {
                "id": option["id"],
                "input_id": f"check-{self.question.pk}-{option['id']}",
                "text": option["text"],
                "chosen": option["id"] in chosen,
            }
            for option in self.question.options
        ]

    @property
    def your_answer(self) -> list[str]:
        return [o["text"] for o in self.options if o["chosen"]]

    @cached_property
    def feedback(self) -> Feedback | None:
        if self.response is None:
            return None
        return Feedback(question=self.question, response=self.response, given_notes=self.notes)


def check_cards(
    *, module: Module, sections: Sequence, chosen: Mapping[str, list[Question]], user
) -> dict[str, list[CheckCard]]:
    """The cards of each section, with `user`'s answers: one query for the answers when
    logged in, two more for the editorial notes of the answered ones (two more if any)."""
    responses: dict[int, Response] = {}
    ids = [q.pk for questions in chosen.values() for q in questions]
    if user.is_authenticated and ids:
        answered = Response.objects.filter(
            attempt__user=user, attempt__quiz__key=checks_quiz_key(module), question_id__in=ids
        ).order_by("answered_at", "pk")
        responses = {r.question_id: r for r in answered}  # the latest answer wins
    notes = (
        notes_by_question(questions=[q for qs in chosen.values() for q in qs if q.pk in responses])
        if responses
        else {}
    )
    return {
        section.slug: [
            CheckCard(
                module,
                section.slug,
                question,
                n,
                responses.get(question.pk),
                tuple(notes.get(question.pk, ())),
            )
            for n, question in enumerate(chosen.get(section.slug, []), 1)
        ]
        for section in sections
    }


# --- answering -------------------------------------------------------------------------


def _sync_quiz(*, module: Module, question_ids: list[int]) -> Quiz:
    # As quizzes.building keeps its built-in quizzes: found by key, its items made to
    # match what the page asks (an attempt keeps the ids it started with).
    quiz, _ = Quiz.objects.get_or_create(
        key=checks_quiz_key(module),
        defaults={"title": f"Quick checks: {module.title}", "kind": Quiz.Kind.CUSTOM},
    )
    current = list(quiz.items.order_by("position").values_list("question_id", flat=True))
    if current != question_ids:
        with transaction.atomic():
            quiz.items.all().delete()
            QuizItem.objects.bulk_create(
                QuizItem(quiz=quiz, question_id=pk, position=n)
                for n, pk in enumerate(question_ids, 1)
            )
    return quiz


def answer_check(
    *,
    module: Module,
    chosen: Mapping[str, list[Question]],
    question: Question,
    user,
    choice: list[str],
    now: datetime.datetime,
) -> Response:
    """Record `user`'s answer to one of the lesson's checks in their attempt at the
    lesson's checks quiz; returns the response (the first one, if they had answered).

    Raises quizzes.grading.InvalidAnswer (nothing chosen, a tampered form) with a
    message for the student."""
    ids = [q.pk for questions in chosen.values() for q in questions]
    quiz = _sync_quiz(module=module, question_ids=ids)
    attempt = start_attempt(quiz=quiz, user=user, now=now)
    if question.pk not in attempt.question_ids:
        # The bank changed since this attempt began: close it with what it has, start anew.
        finish_attempt(attempt=attempt, now=now)
        attempt = start_attempt(quiz=quiz, user=user, now=now)
    recorded = record_answer(attempt=attempt, question=question, answer=choice, now=now)
    if attempt.answered_count >= attempt.question_count:
        finish_attempt(attempt=attempt, now=now)
    return recorded.response


def attach_checks(*, module: Module, sections: Sequence, user) -> None:
    """Give each section the lesson page shows its `checks` (CheckCards, with `user`'s
    answers). `sections` with citations prefetched; three queries, more once answered
    (`lesson_checks`, `check_cards`)."""
    cards = check_cards(
        module=module,
        sections=sections,
        chosen=lesson_checks(module=module, sections=sections),
        user=user,
    )
    for section in sections:
        section.checks = cards[section.slug]
