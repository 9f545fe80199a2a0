"""A disagreement question on the quiz card: its options before the answer, both sides quoted
after it, each with its own source, and the dispute's note."""

import pytest
from django.urls import reverse

from quizzes.models import Question
from tests.factories import make_attempt, make_note, make_passage, make_question, make_quiz

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pupil(client, django_user_model):
    user = django_user_model.objects.create_user("sasha", password="pw-123456789")
    client.force_login(user)
    return client, user


def disagreement() -> Question:
    history_today = make_passage(text="In closed session 1,500 delegates listened to the speech.")
    editor = make_passage(text="The congress was held with 1,355 voting delegates.")
    question = make_question(
        type=Question.Type.DISAGREEMENT,
        passage=history_today,
        stem="History Today and the anthology's editor give different answers to this "
        "question: How many delegates were at the 20th Congress? What does each of them say?",
        options=[
            {"id": "a", "text": "History Today: 1,355. The anthology's editor: 1,500."},
            {"id": "b", "text": "History Today: 1,500. The anthology's editor: 1,355."},
            {"id": "c", "text": "History Today: 1,430. The anthology's editor: 1,500."},
        ],
        answer=["b"],
        explanation="History Today: 1,500. The anthology's editor: 1,355.",
        explanation_quote=f"“{history_today.text}” (History Today)\n“{editor.text}” "
        "(The anthology's editor)",
    )
    question.extra_citations.add(editor)
    note = make_note(
        kind="dispute", title="The sources count the delegates differently", on=[editor]
    )
    question.notes.add(note)
    return question


def test_a_disagreement_quotes_both_sides_after_the_answer_each_with_its_source(pupil):
    client, user = pupil
    question = disagreement()
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=user)

    card = client.get(
        reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert "History Today: 1,500. The anthology&#x27;s editor: 1,355." in card
    assert "1,500 delegates listened" not in card  # nothing revealed before the answer

    answered = client.post(
        reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
        {"question": question.pk, "choice": "b"},
        **HTMX,
    ).content.decode()
    assert "“In closed session 1,500 delegates listened to the speech.” (History Today)" in answered
    assert "(The anthology&#x27;s editor)" in answered
    assert "<cite>" not in answered.split('class="evidence"')[1].split("</figure>")[0]
    assert "The sources count the delegates differently" in answered  # the dispute's note
