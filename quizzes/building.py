"""Building the built-in quizzes from the question bank.

A quiz is chosen deterministically (same bank, same key → same questions), with
the types interleaved and at most one question per fact: a true/false sentence
and a cloze blanking the same sentence would give each other away, as would two
questions whose answer is the same name or date. When the bank changes, the
quiz's items are refreshed; an attempt already started keeps the question ids
it was given (`Attempt.question_ids`), so it never changes under the student.

The lesson and source quizzes are practice, open to everyone, with the same
questions for all: they are built from the practice share of the bank only
(`Question.is_test_only`), so a test may keep the rest for itself.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from django.db import transaction

from corpus.models import Passage, Source
from quizzes.grading import is_ordering
from quizzes.models import Question, Quiz, QuizItem, words_key
from quizzes.passage_groups import PassageGroup, entry_ids


def question_facts(question: Question) -> set[tuple[str, str]]:
    """What a question gives away: the sentence it quotes and, for choice
    questions, its answer. Two questions sharing any of these are not in one quiz."""
    facts = set()
    if quote := question.quote_key:
        facts.add(("quote", quote))
    if question.type != Question.Type.TRUE_FALSE and not is_ordering(question.type):
        facts.update(("answer", words_key(text)) for text in question.correct_texts())
    return facts


def _rank(question: Question, key: str) -> tuple:
    # Better questions first; among equals a hash of the quiz key and the
    # question's fingerprint, so different quizzes do not all start alike but
    # one quiz is the same on every call.
    salt = hashlib.sha256(f"{key}:{question.fingerprint}".encode()).hexdigest()
    return (-question.quality_score, salt)


def select_questions(
    *,
    key: str,
    questions: Iterable[Question],
    size: int,
    sections: Sequence[Collection[int]] = (),
) -> list[Question]:
    """Up to `size` questions: types taken in turn, best first, no fact twice. With
    `sections` (the question ids of each section of a lesson), the sections in turn
    instead, each giving its best question of the type the quiz has least of so far."""
    if sections:
        return _by_section(key=key, questions=questions, size=size, sections=sections)
    by_type: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        by_type[question.type].append(question)
    queues = [sorted(group, key=lambda q: _rank(q, key)) for _t, group in sorted(by_type.items())]
    chosen: list[Question] = []
    seen: set[tuple[str, str]] = set()
    while len(chosen) < size and any(queues):
        for queue in queues:
            while queue:
                question = queue.pop(0)
                facts = question_facts(question)
                if facts & seen:
                    continue
                seen |= facts
                chosen.append(question)
                break
            if len(chosen) == size:
                break
    return chosen


def _by_section(
    *, key: str, questions: Iterable[Question], size: int, sections: Sequence[Collection[int]]
) -> list[Question]:
    ranked = sorted(questions, key=lambda q: _rank(q, key))
    placed = set().union(*sections)
    # A question no section holds (an event the lesson lists but no section tells) waits
    # in a last queue of its own, taken in its turn.
    queues = [[q for q in ranked if q.pk in ids] for ids in sections]
    queues.append([q for q in ranked if q.pk not in placed])
    order = {q.pk: n for n, q in enumerate(ranked)}
    chosen: list[Question] = []
    taken: set[int] = set()
    seen: set[tuple[str, str]] = set()
    types: dict[str, int] = defaultdict(int)
    while len(chosen) < size and any(queues):
        for queue in queues:
            queue[:] = [q for q in queue if q.pk not in taken and not question_facts(q) & seen]
            if not queue:
                continue
            question = min(queue, key=lambda q: (types[q.type], order[q.pk]))
            chosen.append(question)
            taken.add(question.pk)
            seen |= question_facts(question)
            types[question.type] += 1
            if len(chosen) == size:
                break
    return chosen


@transaction.atomic
def _sync(*, key: str, defaults: dict, questions: list[Question]) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(key=key, defaults=defaults)
    if not created and any(getattr(quiz, f) != v for f, v in defaults.items()):
        Quiz.objects.filter(pk=quiz.pk).update(**defaults)
        for field, value in defaults.items():
            setattr(quiz, field, value)
    wanted = [q.pk for q in questions]
    if list(quiz.items.order_by("position").values_list("question_id", flat=True)) != wanted:
        quiz.items.all().delete()
        QuizItem.objects.bulk_create(
            QuizItem(quiz=quiz, question_id=pk, position=n) for n, pk in enumerate(wanted, 1)
        )
    return quiz


def _citing(passage_ids: list[int]):
    """Published questions citing the passages (a source's quiz): the rule of a group."""
    return PassageGroup(key="", label="", passage_ids=frozenset(passage_ids)).questions()


def practice_share(questions: Iterable[Question]) -> list[Question]:
    """The questions practice may show: every one not in the test-only share."""
    return [question for question in questions if not question.is_test_only]


def test_only_share(questions: Iterable[Question]) -> list[Question]:
    return [question for question in questions if question.is_test_only]


def quiz_for_passages(
    *, key: str, title: str, passages, size: int = 10, kind: str = Quiz.Kind.CUSTOM
) -> Quiz:
    """Get or create the quiz `key`, from the practice share of the questions citing `passages`."""
    passage_ids = frozenset(p.pk if isinstance(p, Passage) else p for p in passages)
    group = PassageGroup(key=key, label=title, passage_ids=passage_ids)
    return quiz_for_group(key=key, title=title, group=group, size=size, kind=kind)


def quiz_for_group(
    *, key: str, title: str, group: PassageGroup, size: int = 10, kind: str = Quiz.Kind.CUSTOM
) -> Quiz:
    """Get or create the quiz `key` (a lesson's end-of-lesson quiz: lessons names its key and
    passes `kind=MODULE`), from the practice share of the group's pool
    (`PassageGroup.questions`), its sections taken in turn."""
    questions = group_quiz_questions(key=key, group=group, size=size)
    return _sync(key=key, defaults={"title": title, "kind": kind}, questions=questions)


def group_quiz_questions(*, key: str, group: PassageGroup, size: int = 10) -> list[Question]:
    """What the quiz `key` of a group asks (`quiz_for_group`), without saving it: for a
    measurement that must not write (tests/benchmarks/pool_overlap.py)."""
    pool = practice_share(group.questions())
    sections = section_members(group=group, questions=pool) if group.sections else ()
    return select_questions(key=key, questions=pool, size=size, sections=sections)


def section_members(*, group: PassageGroup, questions: Sequence[Question]) -> list[set[int]]:
    """For each of the group's sections, the ids of `questions` it holds. Three queries."""
    cites = entry_ids(questions)
    return [
        {
            pk
            for pk, (passages, events, terms) in cites.items()
            if section.holds(passage_ids=passages, event_ids=events, term_ids=terms)
        }
        for section in group.sections
    ]


def quiz_for_source(*, source: Source, size: int = 15) -> Quiz:
    """The whole-source quiz ("source:<slug>"): the practice share of the questions
    citing the source's current passages."""
    passage_ids = list(source.passages.current().values_list("pk", flat=True))
    key = f"source:{source.slug}"
    pool = practice_share(_citing(passage_ids))
    questions = select_questions(key=key, questions=pool, size=size)
    return _sync(
        key=key,
        defaults={"title": f"Quiz: {source.title}", "kind": Quiz.Kind.SOURCE, "source": source},
        questions=questions,
    )


# --- Teachers' quizzes: picked, drawn at random, or a retake of what was missed -------
#
# Each assignment gets its own Quiz row (its rules differ from class to class);
# these functions copy questions into it. They know nothing of classes: the
# caller (lessons.classes.assignments) passes the pool's passages, the rules and a seed.

RULE_FIELDS = (
    "mode",
    "opens_at",
    "due_at",
    "time_limit_minutes",
    "attempts_allowed",
    "shuffle_questions",
    "shuffle_options",
    "reveal_answers",
)


def question_pool(
    *,
    group: PassageGroup | None = None,
    passage_ids: Iterable[int] | None = None,
    source: Source | None = None,
    types: Iterable[str] = (),
    difficulties: Iterable[str] = (),
):
    """Published questions, filtered by lesson (`group`: its pool, `PassageGroup.questions`),
    the passages they cite, source, type and difficulty. Both shares: the caller keeps the
    practice share for practice (`practice_share`)."""
    pool = Question.objects.published()
    if group is not None:
        pool = group.questions()
    if passage_ids is not None:
        pool = pool.filter(pk__in=_citing(list(passage_ids)).values("pk"))
    if source is not None:
        pool = pool.filter(source=source)
    if types := list(types):
        pool = pool.filter(type__in=types)
    if difficulties := list(difficulties):
        pool = pool.filter(difficulty__in=difficulties)
    return pool.order_by("pk")


@transaction.atomic
def quiz_from_questions(
    *,
    title: str,
    questions: Iterable[Question | int],
    kind: str = Quiz.Kind.CUSTOM,
    owner=None,
    source: Source | None = None,
    rules: dict | None = None,
    draw_count: int | None = None,
    draw_from: str = Quiz.DrawFrom.UNSEEN,
) -> Quiz:
    """A new quiz asking `questions` in the order given, with `rules` (fields in RULE_FIELDS);
    with `draw_count`, `questions` are its pool and each attempt draws that many
    (quizzes.drawing)."""
    rules = dict(rules or {})
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not quiz rules: {', '.join(sorted(unknown))}")
    quiz = Quiz.objects.create(
        title=title,
        kind=kind,
        owner=owner,
        source=source,
        draw_count=draw_count,
        draw_from=draw_from,
        **rules,
    )
    ids = list(dict.fromkeys(q.pk if isinstance(q, Question) else q for q in questions))
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, question_id=pk, position=n) for n, pk in enumerate(ids, 1)
    )
    return quiz


def missed_question_ids(*, attempt) -> list[int]:
    """The questions of a finished attempt answered wrong, in the order they were asked."""
    wrong = set(attempt.responses.filter(is_correct=False).values_list("question_id", flat=True))
    return [pk for pk in attempt.question_ids if pk in wrong]


def retake_quiz(*, attempt, title: str, rules: dict | None = None) -> Quiz | None:
    """A retake (owned by the attempt's student) of the questions it got wrong; None if none."""
    missed = missed_question_ids(attempt=attempt)
    if not missed:
        return None
    return quiz_from_questions(
        title=title, questions=missed, kind=Quiz.Kind.RETAKE, owner=attempt.user, rules=rules
    )
