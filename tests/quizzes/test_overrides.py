"""Accommodations: a student's extra time, extra attempts and later due date apply
when they take the quiz, and to nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from quizzes.models import QuizOverride
from quizzes.taking import QuizUnavailable, finish_attempt, start_attempt
from tests.factories import make_quiz

NOW = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def students():
    return User.objects.create_user("ana"), User.objects.create_user("ben")


def test_time_multiplier_and_extra_minutes_lengthen_only_that_students_limit(students):
    ana, ben = students
    quiz = make_quiz(time_limit_minutes=20)
    QuizOverride.objects.create(
        quiz=quiz, user=ana, time_multiplier=Decimal("1.5"), extra_minutes=5
    )
    assert start_attempt(quiz=quiz, user=ana, now=NOW).deadline_at == NOW + datetime.timedelta(
        minutes=35
    )
    assert start_attempt(quiz=quiz, user=ben, now=NOW).deadline_at == NOW + datetime.timedelta(
        minutes=20
    )


def test_extra_attempts_let_a_student_start_again(students):
    ana, ben = students
    quiz = make_quiz(attempts_allowed=1)
    QuizOverride.objects.create(quiz=quiz, user=ana, extra_attempts=1)
    for student in (ana, ben):
        finish_attempt(attempt=start_attempt(quiz=quiz, user=student, now=NOW), now=NOW)
    assert start_attempt(quiz=quiz, user=ana, now=NOW).number == 2
    with pytest.raises(QuizUnavailable, match="used all 1 attempt"):
        start_attempt(quiz=quiz, user=ben, now=NOW)


def test_a_later_due_date_keeps_the_quiz_open_for_that_student(students):
    ana, ben = students
    quiz = make_quiz(due_at=NOW - datetime.timedelta(days=1))
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=NOW + datetime.timedelta(days=2))
    attempt = start_attempt(quiz=quiz, user=ana, now=NOW)
    assert attempt.deadline_at == NOW + datetime.timedelta(days=2)
    with pytest.raises(QuizUnavailable, match="closed"):
        start_attempt(quiz=quiz, user=ben, now=NOW)


def test_an_override_never_shortens_the_due_date(students):
    ana, _ = students
    due = NOW + datetime.timedelta(days=3)
    quiz = make_quiz(due_at=due)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=NOW + datetime.timedelta(days=1))
    assert quiz.rules_for(ana).due_at == due


def test_answers_are_accepted_until_the_extended_due_date(students):
    from quizzes.taking import is_overdue

    ana, _ = students
    due = NOW + datetime.timedelta(hours=1)
    quiz = make_quiz(due_at=due)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=due + datetime.timedelta(days=1))
    attempt = start_attempt(quiz=quiz, user=ana, now=NOW)
    assert not is_overdue(attempt=attempt, now=due + datetime.timedelta(hours=2))
    assert is_overdue(attempt=attempt, now=due + datetime.timedelta(days=1, minutes=2))
