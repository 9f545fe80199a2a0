"""Built-in quizzes: deterministic, mixed, one question per fact, refreshed without touching attempts."""

import pytest
from django.utils import timezone

from quizzes.building import quiz_for_passages, quiz_for_source
from quizzes.models import Question, Quiz
from tests.factories import (
    make_attempt,
    make_passage,
    make_question,
    make_source,
    sentence_in_share,
)

pytestmark = pytest.mark.django_db


def item_ids(quiz):
    return list(quiz.items.order_by("position").values_list("question_id", flat=True))


def question(passage, qtype, answer_text, quote, *, test_only=False, **kwargs):
    """A question on `quote` (made to fall in the practice share, unless `test_only`)."""
    return make_question(
        passage=passage,
        type=qtype,
        options=[{"id": "a", "text": answer_text}, {"id": "b", "text": f"not {answer_text}"}],
        answer=["a"],
        explanation_quote=sentence_in_share(quote, test_only=test_only),
        **kwargs,
    )


def test_same_bank_same_key_gives_the_same_quiz():
    passage = make_passage()
    for n in range(8):
        question(passage, "cloze_name", f"Name {n}", f"Sentence {n}.")
    first = quiz_for_passages(key="one", title="One", passages=[passage], size=5, kind="module")
    second = quiz_for_passages(key="one", title="One", passages=[passage], size=5, kind="module")
    assert first.pk == second.pk
    assert item_ids(first) == item_ids(second)
    assert len(item_ids(first)) == 5
    assert first.kind == Quiz.Kind.MODULE


def test_types_are_mixed():
    passage = make_passage()
    for n in range(6):
        question(passage, "cloze_name", f"Name {n}", f"Name sentence {n}.")
        question(passage, "cloze_date", f"19{n}0", f"Date sentence {n}.")
    quiz = quiz_for_passages(key="module:mix", title="Mix", passages=[passage], size=4)
    types = list(quiz.items.order_by("position").values_list("question__type", flat=True))
    assert sorted(types) == ["cloze_date", "cloze_date", "cloze_name", "cloze_name"]
    assert types[0] != types[1]


def test_two_questions_on_the_same_fact_are_not_both_asked():
    passage = make_passage()
    sentence = "In 1934 the 17th congress met."
    question(passage, "cloze_date", "1934", sentence, quality_score=1.0)
    question(passage, "true_false", "True", sentence, quality_score=0.9)
    question(passage, "who_what_when", "1934", "A different sentence.", quality_score=0.8)
    quiz = quiz_for_passages(key="module:facts", title="Facts", passages=[passage], size=10)
    assert len(item_ids(quiz)) == 1


def test_only_published_questions_citing_the_passages_are_drawn():
    passage, other = make_passage(), make_passage()
    cited = question(passage, "cloze_name", "A", "One.")
    extra = question(other, "cloze_name", "B", "Two.")
    extra.extra_citations.add(passage)
    question(passage, "cloze_name", "C", "Three.", status=Question.Status.NEEDS_REVIEW)
    question(other, "cloze_name", "D", "Four.")
    quiz = quiz_for_passages(key="module:cited", title="Cited", passages=[passage])
    assert sorted(item_ids(quiz)) == sorted([cited.pk, extra.pk])


def test_a_bank_change_refreshes_the_quiz_but_not_a_started_attempt(django_user_model):
    user = django_user_model.objects.create_user("kolya", password="pw-123456789")
    passage = make_passage()
    old = question(passage, "cloze_name", "A", "One.")
    quiz = quiz_for_passages(key="module:refresh", title="R", passages=[passage])
    attempt = make_attempt(quiz=quiz, user=user)
    Question.objects.filter(pk=old.pk).update(status=Question.Status.RETIRED)
    new = question(passage, "cloze_name", "B", "Two.")
    quiz = quiz_for_passages(key="module:refresh", title="R", passages=[passage])
    assert item_ids(quiz) == [new.pk]
    attempt.refresh_from_db()
    assert attempt.question_ids == [old.pk]


def test_quiz_for_source_uses_the_source_slug_and_its_current_passages(django_user_model):
    source = make_source(slug="speech-test", title="The speech")
    current = make_passage(source=source)
    retired = make_passage(source=source, is_current=False)
    asked = question(current, "cloze_name", "A", "One.")
    question(retired, "cloze_name", "B", "Two.")
    quiz = quiz_for_source(source=source)
    assert quiz.key == "source:speech-test"
    assert quiz.kind == Quiz.Kind.SOURCE and quiz.source == source
    assert item_ids(quiz) == [asked.pk]
    assert quiz_for_source(source=source).pk == quiz.pk


def test_a_title_change_is_picked_up():
    passage = make_passage()
    question(passage, "cloze_name", "A", "One.")
    quiz_for_passages(key="module:t", title="Old", passages=[passage])
    assert quiz_for_passages(key="module:t", title="New", passages=[passage]).title == "New"
    assert Quiz.objects.get(key="module:t").title == "New"


def test_no_questions_gives_an_empty_quiz_that_cannot_be_started(django_user_model):
    from quizzes.taking import QuizUnavailable, start_attempt

    user = django_user_model.objects.create_user("empty", password="pw-123456789")
    quiz = quiz_for_passages(key="module:empty", title="Empty", passages=[make_passage()])
    with pytest.raises(QuizUnavailable, match="no questions"):
        start_attempt(quiz=quiz, user=user, now=timezone.now())


def test_the_lesson_and_source_quizzes_never_ask_a_test_only_question():
    source = make_source(slug="speech-shares")
    passage = make_passage(source=source)
    practice = [question(passage, "cloze_name", f"P{n}", f"Practice {n}.") for n in range(3)]
    for n in range(3):
        question(passage, "cloze_name", f"T{n}", f"Kept for tests {n}.", test_only=True)
    lesson = quiz_for_passages(key="module:shares", title="S", passages=[passage], size=10)
    whole = quiz_for_source(source=source)
    assert sorted(item_ids(lesson)) == sorted(item_ids(whole)) == sorted(q.pk for q in practice)


def test_questions_on_one_sentence_fall_in_the_same_share():
    sentence = "On 25 February 1956 the congress heard the speech."
    split = {
        Question(explanation_quote=sentence, fingerprint=f"{n:064x}").is_test_only
        for n in range(50)
    }
    assert len(split) == 1  # the sentence decides, not the question
    shares = [Question(fingerprint=f"{n:064x}").is_test_only for n in range(2000)]
    assert 0.29 < sum(shares) / len(shares) < 0.38  # about a third are test-only
