"""Editorial notes in a question's feedback: after the answer, never before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Quiz
from quizzes.taking import finish_attempt
from tests.factories import (
    make_attempt,
    make_note,
    make_passage,
    make_question,
    make_quiz,
    make_reference_work,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NOTE_TITLE = "The speech misdates the deportations"


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


@pytest.fixture
def pupil(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def work():
    return make_reference_work(slug="taubman-2003", authors=["William Taubman"], title="Khrushchev")


def noted_question(work, *, on_extra: bool = False):
    passage = make_passage(text="At the end of October, 1943, the Karachai were deported.")
    question = make_question(passage=passage)
    noted = passage
    if on_extra:
        noted = make_passage(text="Another passage the question also cites.")
        question.extra_citations.add(noted)
    make_note(
        kind="correction",
        title=NOTE_TITLE,
        body="They were deported on 2 November 1943.",
        on=[noted],
        references=[(work, "p. 283")],
    )
    return question


def answer(client, attempt, **headers):
    return client.post(
        reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
        {"question": attempt.question_ids[0], "choice": "b"},
        **headers,
    )


@pytest.mark.parametrize("on_extra", [False, True])
def test_a_practice_question_shows_the_note_only_after_the_answer(pupil, student, work, on_extra):
    question = noted_question(work, on_extra=on_extra)
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=student)
    before = pupil.get(
        reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert NOTE_TITLE not in before and "2 November 1943" not in before
    after = answer(pupil, attempt, **HTMX).content.decode()
    assert NOTE_TITLE in after
    assert '<span class="editorial-kind">Correction</span>' in after
    assert "They were deported on 2 November 1943." in after
    assert 'href="/sources/#ref-taubman-2003"' in after


def test_the_note_shows_when_the_feedback_is_opened_again_without_javascript(pupil, student, work):
    attempt = make_attempt(quiz=make_quiz(questions=[noted_question(work)]), user=student)
    answer(pupil, attempt)
    page = pupil.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk}) + "?q=1")
    assert NOTE_TITLE in page.content.decode()


def test_a_question_without_a_note_shows_none(pupil, student, work):
    noted_question(work)
    attempt = make_attempt(quiz=make_quiz(count=1), user=student)
    assert "editorial-note" not in answer(pupil, attempt, **HTMX).content.decode()


def test_a_test_keeps_the_note_until_the_results_reveal_the_answers(pupil, student, work):
    quiz = make_quiz(
        questions=[noted_question(work)],
        mode=Quiz.Mode.TEST,
        reveal_answers=Quiz.Reveal.AFTER_DUE,
        due_at=timezone.now() + timezone.timedelta(days=2),
    )
    attempt = make_attempt(quiz=quiz, user=student)
    saved = answer(pupil, attempt, **HTMX).content.decode()
    assert NOTE_TITLE not in saved
    finish_attempt(attempt=attempt, now=timezone.now())
    results = pupil.get(
        reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert NOTE_TITLE not in results  # the answers wait for the due date
    Quiz.objects.filter(pk=quiz.pk).update(reveal_answers=Quiz.Reveal.IMMEDIATELY)
    results = pupil.get(
        reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert NOTE_TITLE in results


def _answer_and_finish(client, attempt) -> tuple[int, str, int, str]:
    """Queries and page of the first answer (htmx), then of the results page."""
    with CaptureQueriesContext(connection) as answering:
        answered = answer(client, attempt, **HTMX).content.decode()
    # Counted now: each request of the test client empties the connection's query log.
    answer_queries = len(answering)
    for question_id in attempt.question_ids[1:]:
        client.post(
            reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
            {"question": question_id, "choice": "a"},
        )
    finish_attempt(attempt=attempt, now=timezone.now())
    with CaptureQueriesContext(connection) as reviewing:
        results = client.get(
            reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
        ).content.decode()
    return answer_queries, answered, len(reviewing), results


@pytest.mark.parametrize("notes", [1, 6])
def test_notes_add_a_fixed_number_of_queries_to_feedback_and_results(pupil, student, work, notes):
    # The same flow without notes: the queries tests/quizzes/test_quiz_views.py counts,
    # which include one for the notes (two on the results page).
    plain = make_attempt(quiz=make_quiz(count=3), user=student)
    answer_base, _, results_base, _ = _answer_and_finish(pupil, plain)

    questions = [noted_question(work, on_extra=bool(n % 2)) for n in range(3)]
    for question in questions:
        for n in range(notes - 1):
            make_note(on=[question.passage], references=[(work, f"p. {n}")])
    attempt = make_attempt(quiz=make_quiz(questions=questions), user=student)
    answering, answered, reviewing, results = _answer_and_finish(pupil, attempt)
    # With notes: their reference works and their passages, however many notes.
    assert answering == answer_base + 2
    assert answered.count('class="editorial-note') == notes
    assert reviewing == results_base + 2
    assert results.count('class="editorial-note') == 3 * notes
