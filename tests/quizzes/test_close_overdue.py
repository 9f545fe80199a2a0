"""The close_overdue_attempts command grades what was answered once the grace period ends."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from quizzes.taking import record_answer, start_attempt
from tests.factories import make_quiz

NOW = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("close_overdue_attempts", stdout=out)
    return out.getvalue()


def test_overdue_attempt_is_closed_with_its_answers_after_the_grace_period():
    student = User.objects.create_user("ana")
    quiz = make_quiz(time_limit_minutes=10)
    attempt = start_attempt(quiz=quiz, user=student, now=NOW)
    question = quiz.questions.order_by("quiz_items__position").first()
    record_answer(
        attempt=attempt,
        question=question,
        answer=question.answer,
        now=NOW + datetime.timedelta(minutes=1),
    )
    with time_machine.travel(NOW + datetime.timedelta(minutes=10, seconds=30), tick=False):
        assert run().startswith("0 overdue")  # still inside the 60 s grace
    with time_machine.travel(NOW + datetime.timedelta(minutes=12), tick=False):
        assert run().startswith("1 overdue attempt closed")
        assert run().startswith("0 overdue")  # idempotent
    attempt.refresh_from_db()
    assert attempt.finished_at is not None
    assert attempt.score == 1


def test_attempts_without_a_deadline_stay_open():
    student = User.objects.create_user("ben")
    attempt = start_attempt(quiz=make_quiz(), user=student, now=NOW)
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert run().startswith("0 overdue")
    attempt.refresh_from_db()
    assert attempt.finished_at is None
