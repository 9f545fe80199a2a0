"""Choosing a lesson section's checks for understanding (lessons.modules.checks.choose_checks)."""

import pytest

from lessons.modules.checks import choose_checks, practice_questions
from quizzes.models import Question
from tests.factories import make_passage, make_question, sentence_in_share


@pytest.fixture
def passages(db):
    return [make_passage(key=f"p{n}", text=f"Passage {n} of the checks test.") for n in range(4)]


def question(passage, *, quality=0.5, sentence="", test_only=None, **kwargs):
    # The factory's stem mentions the "test corpus": workshop words, never a check.
    kwargs.setdefault("stem", f"Who wrote this? “{sentence}”")
    # Each its own answer: two questions with one answer give each other away.
    kwargs.setdefault(
        "options", [{"id": "a", "text": f"The writer of {sentence}"}, {"id": "b", "text": "Nobody"}]
    )
    if sentence:
        kwargs["explanation_quote"] = sentence_in_share(sentence, test_only=bool(test_only))
    return make_question(passage=passage, quality_score=quality, test_only=test_only, **kwargs)


def choose(sections, questions):
    """Sections given by the passages they cite: each holds the questions citing one."""
    held = [(slug, {q.pk for q in questions if q.passage_id in ids}) for slug, ids in sections]
    return choose_checks(lesson="lesson", sections=held, questions=questions)


def test_a_section_gets_its_two_best_questions_on_the_passages_it_cites(passages):
    low = question(passages[0], quality=0.2, sentence="Low sentence.")
    best = question(passages[0], quality=0.9, sentence="Best sentence.")
    good = question(passages[0], quality=0.7, sentence="Good sentence.")
    elsewhere = question(passages[1], quality=1.0, sentence="Other sentence.")
    chosen = choose([("a", {passages[0].pk})], [low, best, good, elsewhere])
    assert {q.pk for q in chosen["a"]} == {best.pk, good.pk}


def test_test_only_questions_are_never_checks(passages):
    kept = question(passages[0], quality=0.1, sentence="Practice sentence.", test_only=False)
    secret = question(passages[0], quality=1.0, sentence="Secret sentence.", test_only=True)
    assert secret.is_test_only and not kept.is_test_only
    chosen = choose([("a", {passages[0].pk})], [secret, kept])
    assert [q.pk for q in chosen["a"]] == [kept.pk]


def test_questions_on_one_sentence_are_never_both_on_the_page(passages):
    sentence = sentence_in_share("Both quote this sentence.")
    first = make_question(
        passage=passages[0], explanation_quote=sentence, quality_score=0.9, stem="Who said it?"
    )
    second = make_question(
        passage=passages[1], explanation_quote=sentence, quality_score=0.8, stem="When?"
    )
    chosen = choose([("a", {passages[0].pk}), ("b", {passages[1].pk})], [first, second])
    assert [q.pk for q in chosen["a"]] == [first.pk]
    assert chosen["b"] == []  # its only question would give the first one away


def test_a_question_citing_two_sections_passages_is_asked_once(passages):
    shared = question(passages[0], quality=0.9, sentence="Shared sentence.")
    chosen = choose_checks(
        lesson="lesson", sections=[("a", {shared.pk}), ("b", {shared.pk})], questions=[shared]
    )
    assert [q.pk for q in chosen["a"]] == [shared.pk] and chosen["b"] == []


def test_ordering_questions_and_workshop_words_are_left_to_the_quizzes(passages):
    ordering = question(
        passages[0],
        sentence="Ordering sentence.",
        type=Question.Type.CHRONOLOGY,
        answer=["a", "b", "c"],
    )
    jargon = question(
        passages[0],
        sentence="Jargon sentence.",
        type=Question.Type.COMPARE_RENDERINGS,
        stem="Two renderings word this sentence differently. Which word?",
    )
    plain = question(passages[0], sentence="Plain sentence.")
    assert practice_questions([ordering, jargon, plain]) == [plain]


def test_the_choice_is_the_same_every_time(passages):
    questions = [
        question(passages[n % 2], quality=0.5, sentence=f"Equal sentence {n}.") for n in range(8)
    ]
    sections = [("a", {passages[0].pk}), ("b", {passages[1].pk})]
    first = choose(sections, questions)
    assert all(len(first[slug]) == 2 for slug in "ab")
    assert choose(sections, list(reversed(questions))) == first
