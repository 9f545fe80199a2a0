"""Spaced review: every answer schedules a card; wrong answers come back sooner."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from quizzes import review
from quizzes.models import Question, Quiz, ReviewCard
from quizzes.taking import finish_attempt, record_answer
from tests.factories import make_attempt, make_question, make_quiz

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


def answer(quiz, user, *, right: bool):
    attempt = make_attempt(quiz=quiz, user=user, now=timezone.now())
    question = Question.objects.get(pk=attempt.question_ids[0])
    record_answer(
        attempt=attempt, question=question, answer=["a" if right else "b"], now=timezone.now()
    )
    return ReviewCard.objects.get(user=user, question=question)


def test_a_wrong_answer_is_due_within_a_day_and_a_right_one_later(student):
    with time_machine.travel(TODAY, tick=False):
        wrong = answer(make_quiz(count=1), student, right=False)
        right = answer(make_quiz(count=1), student, right=True)
    assert wrong.due_at <= TODAY + datetime.timedelta(days=1)
    assert right.due_at > wrong.due_at
    assert wrong.lapses == 1 and right.lapses == 0


def test_tomorrow_the_due_count_shows_the_missed_question(student):
    with time_machine.travel(TODAY, tick=False):
        answer(make_quiz(count=1), student, right=False)
        answer(make_quiz(count=1), student, right=True)
        assert review.due_count(user=student, now=timezone.now()) == 0
    tomorrow = TODAY + datetime.timedelta(days=1, minutes=1)
    assert review.due_count(user=student, now=tomorrow) == 1
    assert review.due_count(user=student, now=TODAY + datetime.timedelta(days=3)) == 2


def test_answering_the_same_question_again_updates_its_one_card(student):
    question = make_question()
    with time_machine.travel(TODAY, tick=False):
        answer(make_quiz(questions=[question]), student, right=True)
    with time_machine.travel(TODAY + datetime.timedelta(days=2), tick=False):
        card = answer(make_quiz(questions=[question]), student, right=True)
    assert ReviewCard.objects.filter(user=student, question=question).count() == 1
    assert card.reviews == 2
    assert card.due_at > TODAY + datetime.timedelta(days=4)  # the interval grows


def test_build_review_quiz_serves_due_cards_most_overdue_first(student):
    q1, q2, q3 = make_question(), make_question(), make_question()
    for days, question in ((0, q1), (1, q2)):
        with time_machine.travel(TODAY + datetime.timedelta(days=days), tick=False):
            answer(make_quiz(questions=[question]), student, right=False)
    with time_machine.travel(TODAY - datetime.timedelta(hours=1), tick=False):
        answer(make_quiz(questions=[q3]), student, right=True)  # due an hour before q2
    later = TODAY + datetime.timedelta(days=2, hours=1)
    quiz = review.build_review_quiz(user=student, now=later)
    assert quiz.kind == Quiz.Kind.REVIEW and quiz.owner == student
    assert list(quiz.items.values_list("question_id", flat=True)) == [q1.pk, q3.pk, q2.pk]
    assert review.build_review_quiz(user=student, now=later, size=1).items.count() == 1


def test_nothing_due_means_no_review_quiz(student):
    assert review.build_review_quiz(user=student, now=TODAY) is None


def test_a_retired_question_is_not_served_for_review(student):
    question = make_question()
    with time_machine.travel(TODAY, tick=False):
        answer(make_quiz(questions=[question]), student, right=False)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.RETIRED)
    assert review.due_count(user=student, now=TODAY + datetime.timedelta(days=5)) == 0


def test_a_test_schedules_its_reviews_only_when_it_ends(student):
    quiz = make_quiz(count=2, mode=Quiz.Mode.TEST)
    with time_machine.travel(TODAY, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
        question = Question.objects.get(pk=attempt.question_ids[0])
        record_answer(attempt=attempt, question=question, answer=["b"], now=timezone.now())
        # Before the end a card would tell the student, tomorrow, that this was wrong.
        assert not ReviewCard.objects.filter(user=student).exists()
        finish_attempt(attempt=attempt, now=timezone.now())
    assert ReviewCard.objects.filter(user=student).count() == 1


def test_a_test_that_never_reveals_answers_adds_nothing_to_review(student):
    quiz = make_quiz(count=1, mode=Quiz.Mode.TEST, reveal_answers=Quiz.Reveal.NEVER)
    attempt = make_attempt(quiz=quiz, user=student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    record_answer(attempt=attempt, question=question, answer=["b"], now=timezone.now())
    finish_attempt(attempt=attempt, now=timezone.now())
    assert not ReviewCard.objects.filter(user=student).exists()


def test_a_test_revealed_after_its_due_date_is_not_reviewed_before_it(student):
    due = TODAY + datetime.timedelta(days=7)
    quiz = make_quiz(count=1, mode=Quiz.Mode.TEST, reveal_answers=Quiz.Reveal.AFTER_DUE, due_at=due)
    with time_machine.travel(TODAY, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
        question = Question.objects.get(pk=attempt.question_ids[0])
        record_answer(attempt=attempt, question=question, answer=["b"], now=timezone.now())
        finish_attempt(attempt=attempt, now=timezone.now())
    assert ReviewCard.objects.get(user=student).due_at == due
