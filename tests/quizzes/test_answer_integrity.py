"""The key never reaches the browser before the student has answered (practice) or finished (test).

Every rendered question page and htmx fragment is scanned for the ways a key
leaks: the explanation or the quoted evidence, a highlight, correctness words
or classes, data attributes, JSON, and the correct option's markup differing
from the others' in anything but its id.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Question, Quiz
from quizzes.taking import record_answer
from tests.factories import make_attempt, make_question, make_quiz

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
EXPLANATION = "Secret-explanation-text for this question"
QUOTE = "Quoted evidence sentence naming Zzanswer-{n} plainly."


def choice(qtype, n, stem):
    return make_question(
        type=qtype,
        stem=stem,
        options=[
            {"id": "p", "text": f"Decoy one {n}"},
            {"id": "q", "text": f"Zzanswer-{n}"},
            {"id": "r", "text": f"Decoy two {n}"},
            {"id": "s", "text": f"Decoy three {n}"},
        ],
        answer=["q"],
        explanation=f"{EXPLANATION} {n}",
        explanation_quote=QUOTE.format(n=n),
        highlight_start=32,
        highlight_end=32 + len(f"Zzanswer-{n}"),
    )


def every_type():
    questions = [
        choice(
            "cloze_name", 1, "Which name completes this sentence? “In 1937 _____ ran the NKVD.”"
        ),
        choice("cloze_date", 2, "Which year completes this sentence? “Arrested in _____ he was.”"),
        choice("cloze_quantity", 3, "Which figure completes this? “Of the _____ delegates …”"),
        choice("who_what_when", 4, "Who does Thaw's glossary describe here? “An NKVD chief.”"),
        choice("quote_attribution", 5, "Who said these words? “Stalin is excessively rude.”"),
        choice("source_attribution", 6, "Which document does this passage come from? “Text.”"),
        choice("compare_renderings", 7, "Which word does the anthology use here? “more _____”"),
        make_question(
            type=Question.Type.TRUE_FALSE,
            stem="True or false? According to the speech: “Kirov was murdered in 1934.”",
            options=[{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
            answer=["false"],
            explanation=f"{EXPLANATION} 8",
            explanation_quote=QUOTE.format(n=8),
        ),
        make_question(
            type=Question.Type.CHRONOLOGY,
            stem="Put these events in chronological order, from the earliest to the latest.",
            options=[
                {"id": "a", "text": "Event late"},
                {"id": "b", "text": "Event early"},
                {"id": "c", "text": "Event middle"},
            ],
            answer=["b", "c", "a"],
            explanation=f"{EXPLANATION} 9",
            explanation_quote=QUOTE.format(n=9),
        ),
    ]
    return questions


def assert_no_key(text, question, *, asked):
    """`text` shows `question` (if `asked`) or no question at all, and nothing of any key."""
    assert EXPLANATION not in text
    assert "Quoted evidence" not in text
    assert "<mark" not in text
    assert "correct" not in text.lower()
    assert "is-right" not in text and "is-wrong" not in text
    assert "application/json" not in text and "data-answer" not in text
    assert re.findall(r"data-[\w-]+", text) in ([], ["data-deadline"])
    if not asked:
        return
    key = question.answer
    if question.type == Question.Type.CHRONOLOGY:
        shown = re.findall(r'name="order" value="(\w+)"', text)
        assert sorted(shown) == sorted(key) and shown != key
        return
    labels = re.findall(r'<label class="option".*?</label>', text, flags=re.S)
    assert len(labels) == len(question.options)
    # The correct option's markup is the others' with only its id and text changed.
    texts = {option["id"]: option["text"] for option in question.options}
    masked = set()
    for label in labels:
        option_id = re.search(r'value="(\w+)"', label)[1]
        masked.add(
            label.replace(texts[option_id], "TEXT")
            .replace(f'"{option_id}"', '"ID"')
            .replace(f'-{option_id}"', '-ID"')
        )
    assert len(masked) == 1, masked


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


@pytest.mark.parametrize("mode", [Quiz.Mode.PRACTICE, Quiz.Mode.TEST])
@pytest.mark.parametrize("shuffle", [False, True])
def test_no_question_page_or_fragment_carries_the_key(client, student, mode, shuffle):
    client.force_login(student)
    questions = every_type()
    quiz = make_quiz(questions=questions, mode=mode, shuffle_options=shuffle)
    attempt = make_attempt(quiz=quiz, user=student)
    url = reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    answer_url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
    by_id = {q.pk: q for q in questions}
    for position, question_id in enumerate(attempt.question_ids, 1):
        question = by_id[question_id]
        for headers in ({}, HTMX):
            assert_no_key(client.get(url, **headers).text, question, asked=True)
        # A refused answer, and (for chronology) a move, re-render the question.
        refused = client.post(answer_url, {"question": question_id, "choice": "zz"}, **HTMX)
        assert_no_key(refused.text, question, asked=True)
        if question.type == Question.Type.CHRONOLOGY:
            shown = attempt.option_ids(question)
            moved = client.post(
                answer_url, {"question": question_id, "order": shown, "move": f"down:{shown[0]}"}
            )
            assert_no_key(moved.text, question, asked=False)
            assert "Event" in moved.text
        wrong = next(o["id"] for o in question.options if [o["id"]] != question.answer)
        record_answer(
            attempt=attempt,
            question=question,
            answer=list(reversed(question.answer)) if len(question.answer) > 1 else [wrong],
            now=timezone.now(),
        )
        if mode == Quiz.Mode.TEST:
            # In a test, an answered question shows only what the student chose.
            for headers in ({}, HTMX):
                saved = client.get(f"{url}?q={position}", **headers).text
                assert_no_key(saved, question, asked=False)
    # Every question answered: the "finish" card and the quiz page show no key either.
    assert_no_key(client.get(url, **HTMX).text, None, asked=False)
    detail = client.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk})).text
    assert EXPLANATION not in detail and "<mark" not in detail


def test_an_htmx_answer_in_a_test_returns_the_next_question_without_any_key(client, student):
    client.force_login(student)
    questions = every_type()
    attempt = make_attempt(quiz=make_quiz(questions=questions, mode=Quiz.Mode.TEST), user=student)
    answer_url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
    for question_id, following in zip(attempt.question_ids, attempt.question_ids[1:], strict=False):
        question = next(q for q in questions if q.pk == question_id)
        field = "order" if question.type == Question.Type.CHRONOLOGY else "choice"
        response = client.post(
            answer_url, {"question": question_id, field: question.answer}, **HTMX
        )
        assert_no_key(response.text, next(q for q in questions if q.pk == following), asked=True)


def test_the_key_appears_only_after_answering_in_practice(client, student):
    client.force_login(student)
    question = every_type()[0]
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=student)
    url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
    feedback = client.post(url, {"question": question.pk, "choice": "p"}, **HTMX).text
    assert EXPLANATION in feedback and "<mark>Zzanswer-1</mark>" in feedback
