"""The student issue's "done when", as a new student would live it, through the real views:
sign up with a class code, read module 1, take its quiz in practice mode, get feedback
with the highlighted passage, see mastery change, and find due reviews the next day."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from quizzes.models import Attempt, Question

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DAY_ONE = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def loaded_site():
    for command in ("load_corpus", "load_lessons", "generate_questions", "seed_demo"):
        call_command(command, verbosity=0)


def mastery_of_module_one(client) -> str:
    html = client.get(reverse("classes:dashboard")).content.decode()
    match = re.search(r"The Secret Speech.{0,800}?(\d+)\s*%", html, re.S)
    return match.group(1) if match else "none"


def test_a_new_student_learns_practises_and_comes_back_for_review(client, loaded_site):
    with time_machine.travel(DAY_ONE, tick=False):
        signup = client.post(
            reverse("accounts:signup"),
            {
                "join_code": "THAW1956",
                "username": "new-pupil",
                "display_name": "New Pupil",
                "password1": "a-long-secret-1956",
                "password2": "a-long-secret-1956",
            },
        )
        assert signup.status_code == 302
        assert mastery_of_module_one(client) in {"none", "0"}

        lesson = client.get(reverse("modules:lesson_detail", kwargs={"slug": "the-secret-speech"}))
        assert b"Take the end-of-lesson quiz" in lesson.content

        start = client.post(reverse("modules:lesson_quiz", kwargs={"slug": "the-secret-speech"}))
        quiz_page = client.get(start["Location"])
        client.post(re.search(r'action="([^"]*/start/)"', quiz_page.content.decode()).group(1))
        attempt = Attempt.objects.get(user__username="new-pupil")
        assert attempt.mode == "practice" and len(attempt.question_ids) >= 5

        questions = Question.objects.in_bulk(attempt.question_ids)
        wrong_given = False
        for question_id in attempt.question_ids:
            question = questions[question_id]
            page = client.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk}))
            assert (
                question.stem[:30].split("“")[0] in page.content.decode() or page.status_code == 200
            )
            # One answer is wrong on purpose, the rest right.
            answer = list(question.answer)
            if not wrong_given and question.type != Question.Type.CHRONOLOGY:
                answer = [o["id"] for o in question.options if o["id"] not in question.answer][:1]
                wrong_given = True
            field = "order" if question.type == Question.Type.CHRONOLOGY else "choice"
            feedback = client.post(
                reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
                {"question": question_id, field: answer},
                HTTP_HX_REQUEST="true",
            )
            html = feedback.content.decode()
            if question.passage is None:
                # What happened: the timeline or glossary entry it rests on, with its sources.
                assert "evidence-entry" in html and "Sources:" in html
                continue
            if question.highlight_start is not None:
                assert "<mark" in html  # the answer highlighted in the quoted passage
            assert question.passage.get_absolute_url() in html  # read it in context
        client.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))

        mastery = int(mastery_of_module_one(client))
        assert 0 < mastery < 100  # all right but the first

    with time_machine.travel(DAY_ONE + datetime.timedelta(days=1, hours=1), tick=False):
        dashboard = client.get(reverse("classes:dashboard")).content.decode()
        due = re.search(r"Reviews due</h2>\s*<p class=\"stat-value\">(\d+)</p>", dashboard)
        assert due and int(due.group(1)) >= 1
        review = client.post(reverse("quizzes:review_start"))
        assert review.status_code == 302
        assert Attempt.objects.filter(user__username="new-pupil", quiz__kind="review").exists()
