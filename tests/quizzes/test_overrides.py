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


# --- Every rule that hangs on the due date follows the student's own -----------------------


def after_due_test(due):
    from quizzes.models import Quiz

    return make_quiz(count=2, due_at=due, mode=Quiz.Mode.TEST, reveal_answers=Quiz.Reveal.AFTER_DUE)


def test_answers_wait_for_the_students_own_later_due_date(students):
    from quizzes.models import Attempt
    from quizzes.results import FULL, SCORE, review_level

    ana, ben = students
    due = NOW + datetime.timedelta(hours=1)
    quiz = after_due_test(due)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=due + datetime.timedelta(days=2))
    for student in (ana, ben):
        finish_attempt(attempt=start_attempt(quiz=quiz, user=student, now=NOW), now=NOW)
    later = due + datetime.timedelta(hours=1)
    ana_attempt, ben_attempt = (Attempt.objects.get(user=s) for s in (ana, ben))
    assert review_level(attempt=ben_attempt, now=later) == FULL
    assert review_level(attempt=ana_attempt, now=later) == SCORE
    assert ana_attempt.answers_shown_from() == due + datetime.timedelta(days=2)
    assert review_level(attempt=ana_attempt, now=due + datetime.timedelta(days=2)) == FULL


def test_progress_counts_an_answer_only_once_the_students_own_due_date_passed(students):
    from quizzes.progress import latest_results
    from quizzes.taking import record_answer

    ana, ben = students
    due = NOW + datetime.timedelta(hours=1)
    quiz = after_due_test(due)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=due + datetime.timedelta(days=2))
    for student in (ana, ben):
        attempt = start_attempt(quiz=quiz, user=student, now=NOW)
        question = quiz.questions.get(pk=attempt.question_ids[0])
        record_answer(attempt=attempt, question=question, answer=["a"], now=NOW)
        finish_attempt(attempt=attempt, now=NOW)
    later = due + datetime.timedelta(hours=1)
    assert len(latest_results(user=ben, now=later)) == 1
    assert latest_results(user=ana, now=later) == {}
    assert len(latest_results(user=ana, now=due + datetime.timedelta(days=3))) == 1


def test_review_of_a_test_waits_for_the_students_own_due_date(students):
    from quizzes.models import ReviewCard
    from quizzes.taking import record_answer

    ana, _ = students
    due = NOW + datetime.timedelta(hours=1)
    quiz = after_due_test(due)
    own_due = due + datetime.timedelta(days=5)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=own_due)
    attempt = start_attempt(quiz=quiz, user=ana, now=NOW)
    for question in quiz.questions.all():
        record_answer(attempt=attempt, question=question, answer=["a"], now=NOW)
    finish_attempt(attempt=attempt, now=NOW)
    assert ReviewCard.objects.filter(user=ana).count() == 2
    assert all(card.due_at >= own_due for card in ReviewCard.objects.filter(user=ana))


def test_a_due_date_at_the_end_of_the_calendar_breaks_nothing(students):
    """A date saved before dates were bounded (or through the database) still works."""
    from quizzes.taking import is_overdue, start_state

    ana, ben = students
    far = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)
    quiz = make_quiz(due_at=NOW + datetime.timedelta(days=1), time_limit_minutes=10)
    QuizOverride.objects.create(quiz=quiz, user=ana, due_at=far)
    rules = quiz.rules_for(ana)
    assert start_state(quiz=quiz, rules=rules, attempts=[], now=NOW).action == "start"
    attempt = start_attempt(quiz=quiz, user=ana, now=NOW)
    assert not is_overdue(attempt=attempt, now=NOW + datetime.timedelta(minutes=5))
    assert is_overdue(attempt=attempt, now=NOW + datetime.timedelta(minutes=11))
    far_quiz = make_quiz(due_at=far)
    assert start_attempt(quiz=far_quiz, user=ben, now=NOW).deadline_at == far
