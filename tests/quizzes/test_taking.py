"""The attempt lifecycle: resume, answer at most once, finish once, the clock."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from quizzes.cards import card_for
from quizzes.grading import InvalidAnswer
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.taking import (
    KEPT_FIRST,
    RECORDED,
    REPEATED,
    AttemptClosed,
    QuizUnavailable,
    finish_attempt,
    record_answer,
    start_attempt,
)
from tests.factories import make_attempt, make_question, make_quiz

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


def nth(attempt, n=0):
    return Question.objects.get(pk=attempt.question_ids[n])


def test_starting_again_resumes_the_open_attempt(student):
    quiz = make_quiz(count=3)
    first = make_attempt(quiz=quiz, user=student)
    assert make_attempt(quiz=quiz, user=student).pk == first.pk
    assert Attempt.objects.count() == 1


def test_the_card_resumes_at_the_first_unanswered_question(student):
    attempt = make_attempt(quiz=make_quiz(count=3), user=student)
    record_answer(attempt=attempt, question=nth(attempt, 0), answer=["a"], now=timezone.now())
    fresh = Attempt.objects.select_related("quiz").get(pk=attempt.pk)  # "a new tab"
    card = card_for(attempt=fresh)
    assert card.state == "question"
    assert card.question.pk == attempt.question_ids[1]
    assert (card.position, card.total, card.answered) == (2, 3, 1)


def test_the_same_answer_twice_counts_once_and_says_so(student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    question = nth(attempt)
    first = record_answer(attempt=attempt, question=question, answer=["a"], now=timezone.now())
    again = record_answer(attempt=attempt, question=question, answer=["a"], now=timezone.now())
    assert (first.status, again.status) == (RECORDED, REPEATED)
    assert again.response.pk == first.response.pk
    assert Response.objects.count() == 1
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 1


def test_a_different_second_answer_is_not_recorded(student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    question = nth(attempt)
    record_answer(attempt=attempt, question=question, answer=["b"], now=timezone.now())
    second = record_answer(attempt=attempt, question=question, answer=["a"], now=timezone.now())
    assert second.status == KEPT_FIRST
    assert Response.objects.get().answer == ["b"]
    assert not Response.objects.get().is_correct


def test_concurrent_looking_duplicates_from_two_copies_of_the_attempt(student):
    # Two requests each loaded the attempt before either wrote.
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    copy = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    record_answer(attempt=attempt, question=nth(attempt), answer=["a"], now=timezone.now())
    record_answer(attempt=copy, question=nth(attempt), answer=["a"], now=timezone.now())
    assert Response.objects.count() == 1
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 1


def test_a_malformed_answer_stores_nothing(student):
    attempt = make_attempt(quiz=make_quiz(count=1), user=student)
    with pytest.raises(InvalidAnswer):
        record_answer(attempt=attempt, question=nth(attempt), answer=["zz"], now=timezone.now())
    assert not Response.objects.exists()


def test_a_question_from_another_quiz_is_refused(student):
    attempt = make_attempt(quiz=make_quiz(count=1), user=student)
    with pytest.raises(InvalidAnswer):
        record_answer(attempt=attempt, question=make_question(), answer=["a"], now=timezone.now())


def test_finish_is_idempotent_and_scores_the_stored_responses(student):
    attempt = make_attempt(quiz=make_quiz(count=3), user=student)
    record_answer(attempt=attempt, question=nth(attempt, 0), answer=["a"], now=timezone.now())
    record_answer(attempt=attempt, question=nth(attempt, 1), answer=["b"], now=timezone.now())
    first = finish_attempt(attempt=attempt, now=NOON)
    again = finish_attempt(
        attempt=Attempt.objects.get(pk=attempt.pk), now=NOON + datetime.timedelta(hours=1)
    )
    assert (first.score, first.max_score) == (1, 3)
    assert again.finished_at == NOON
    assert again.score == 1


def test_an_answer_after_finishing_is_refused(student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    stale = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    finish_attempt(attempt=attempt, now=timezone.now())
    with pytest.raises(AttemptClosed):
        record_answer(attempt=attempt, question=nth(attempt), answer=["a"], now=timezone.now())
    # A request that loaded the attempt before it was finished: the conditional
    # UPDATE finds it closed and the insert is rolled back.
    with pytest.raises(AttemptClosed):
        record_answer(attempt=stale, question=nth(attempt), answer=["a"], now=timezone.now())
    assert not Response.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).score == 0


def test_an_answer_within_the_grace_period_counts(student, settings):
    settings.QUIZ_GRACE_SECONDS = 60
    quiz = make_quiz(count=2, time_limit_minutes=10)  # a grace of 30 s: a twentieth
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
    late = NOON + datetime.timedelta(minutes=10, seconds=29)
    assert (
        record_answer(attempt=attempt, question=nth(attempt), answer=["a"], now=late).status
        == RECORDED
    )


def test_an_answer_after_deadline_and_grace_is_refused_and_the_attempt_closed(student, settings):
    settings.QUIZ_GRACE_SECONDS = 60
    quiz = make_quiz(count=2, time_limit_minutes=10)
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
        record_answer(attempt=attempt, question=nth(attempt, 0), answer=["a"], now=NOON)
    too_late = NOON + datetime.timedelta(minutes=10, seconds=31)
    with pytest.raises(AttemptClosed, match="Time is up"):
        record_answer(attempt=attempt, question=nth(attempt, 1), answer=["a"], now=too_late)
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.closed_by_deadline
    assert (attempt.score, attempt.max_score, Response.objects.count()) == (1, 2, 1)


def test_the_due_date_limits_the_attempt_too_and_its_extension_is_honoured(student):
    quiz = make_quiz(count=2, due_at=NOON + datetime.timedelta(minutes=5))
    attempt = make_attempt(quiz=quiz, user=student, now=NOON)
    Quiz.objects.filter(pk=quiz.pk).update(due_at=NOON + datetime.timedelta(hours=1))
    attempt = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    later = NOON + datetime.timedelta(minutes=30)
    # The attempt's own deadline was the old due date; the earliest still wins.
    with pytest.raises(AttemptClosed):
        record_answer(attempt=attempt, question=nth(attempt), answer=["a"], now=later)


def test_a_quiz_past_its_due_date_or_not_yet_open_cannot_be_started(student):
    closed = make_quiz(count=1, due_at=NOON)
    with pytest.raises(QuizUnavailable, match="closed"):
        start_attempt(quiz=closed, user=student, now=NOON + datetime.timedelta(hours=1))
    future = make_quiz(count=1, opens_at=NOON)
    with pytest.raises(QuizUnavailable, match="opens"):
        start_attempt(quiz=future, user=student, now=NOON - datetime.timedelta(hours=1))


def test_attempts_allowed_is_enforced(student):
    quiz = make_quiz(count=1, attempts_allowed=1)
    attempt = make_attempt(quiz=quiz, user=student)
    finish_attempt(attempt=attempt, now=timezone.now())
    with pytest.raises(QuizUnavailable, match="all 1 attempt "):
        start_attempt(quiz=quiz, user=student, now=timezone.now())


def test_a_new_attempt_after_finishing_gets_the_next_number(student):
    quiz = make_quiz(count=1)
    finish_attempt(attempt=make_attempt(quiz=quiz, user=student), now=timezone.now())
    assert make_attempt(quiz=quiz, user=student).number == 2


def test_reopening_an_overdue_attempt_closes_it_and_starts_afresh(student):
    quiz = make_quiz(count=1, time_limit_minutes=5)
    old = make_attempt(quiz=quiz, user=student, now=NOON)
    new = start_attempt(quiz=quiz, user=student, now=NOON + datetime.timedelta(hours=1))
    old.refresh_from_db()
    assert old.closed_by_deadline and new.number == 2


def test_shuffled_options_are_fixed_per_attempt_and_keep_every_id(student):
    questions = [
        make_question(options=[{"id": c, "text": f"Option {c}"} for c in "abcdef"], answer=["c"])
        for _ in range(5)
    ]
    tf = make_question(
        type=Question.Type.TRUE_FALSE,
        options=[{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
        answer=["true"],
    )
    quiz = make_quiz(questions=[*questions, tf], shuffle_options=True)
    attempt = make_attempt(quiz=quiz, user=student)
    orders = [attempt.option_ids(q) for q in questions]
    assert all(sorted(order) == list("abcdef") for order in orders)
    assert any(order != list("abcdef") for order in orders)
    assert attempt.option_ids(tf) == ["true", "false"]
    reloaded = Attempt.objects.get(pk=attempt.pk)
    assert [reloaded.option_ids(q) for q in questions] == orders


def test_a_shuffled_chronology_is_never_handed_out_solved(student):
    chronology = [
        make_question(
            type=Question.Type.CHRONOLOGY,
            options=[{"id": "a", "text": "First"}, {"id": "b", "text": "Second"}],
            answer=["a", "b"],
        )
        for _ in range(10)
    ]
    attempt = make_attempt(quiz=make_quiz(questions=chronology, shuffle_options=True), user=student)
    assert all(attempt.option_ids(q) == ["b", "a"] for q in chronology)


def test_shuffled_questions_keep_every_question(student):
    quiz = make_quiz(count=8, shuffle_questions=True)
    attempt = make_attempt(quiz=quiz, user=student)
    assert sorted(attempt.question_ids) == sorted(quiz.items.values_list("question_id", flat=True))


@pytest.mark.parametrize(
    "limit,grace_seconds",
    [(1, 3), (10, 30), (20, 60), (90, 60)],  # a twentieth of the limit, at most 60 s
)
def test_the_grace_period_is_proportional_to_the_time_limit(
    student, settings, limit, grace_seconds
):
    settings.QUIZ_GRACE_SECONDS = 60
    quiz = make_quiz(count=3, time_limit_minutes=limit)
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
    deadline = NOON + datetime.timedelta(minutes=limit)
    just_in = deadline + datetime.timedelta(seconds=grace_seconds - 1)
    record_answer(attempt=attempt, question=nth(attempt, 0), answer=["a"], now=just_in)
    too_late = deadline + datetime.timedelta(seconds=grace_seconds + 1)
    with pytest.raises(AttemptClosed, match="Time is up"):
        record_answer(attempt=attempt, question=nth(attempt, 1), answer=["a"], now=too_late)


def test_a_quiz_without_a_time_limit_keeps_the_full_grace_after_its_due_date(student, settings):
    settings.QUIZ_GRACE_SECONDS = 60
    quiz = make_quiz(count=2, due_at=NOON + datetime.timedelta(hours=1))
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
    late = NOON + datetime.timedelta(hours=1, seconds=59)
    assert (
        record_answer(attempt=attempt, question=nth(attempt), answer=["a"], now=late).status
        == RECORDED
    )


@pytest.mark.parametrize("reason", ["opens_later", "closed", "used_up", "empty"])
def test_the_quiz_page_and_its_start_button_give_the_same_reason(client, student, reason):
    """One home for why a quiz cannot start (taking.why_not_start): a student whose page
    was open when the quiz closed, or who presses Start anyway, reads the same words."""
    from django.contrib.messages import get_messages
    from django.db.models import Count

    from quizzes.taking import start_state

    now = timezone.now()
    quiz = {
        "opens_later": lambda: make_quiz(opens_at=now + datetime.timedelta(days=2)),
        "closed": lambda: make_quiz(due_at=now - datetime.timedelta(days=2)),
        "used_up": lambda: make_quiz(attempts_allowed=1),
        "empty": lambda: make_quiz(count=0),
    }[reason]()
    if reason == "used_up":
        finish_attempt(attempt=make_attempt(quiz=quiz, user=student), now=now)
    client.force_login(student)
    page = client.get(f"/quizzes/{quiz.pk}/").content.decode()
    started = client.post(f"/quizzes/{quiz.pk}/start/")
    said = [str(message) for message in get_messages(started.wsgi_request)]

    attempts = list(Attempt.objects.filter(quiz=quiz, user=student))
    quiz = Quiz.objects.annotate(question_count=Count("items")).get(pk=quiz.pk)  # as the page
    state = start_state(quiz=quiz, rules=quiz.rules_for(student), attempts=attempts, now=now)
    assert (state.action, state.reason) == ("none", reason)
    assert started.status_code == 302 and started["Location"] == f"/quizzes/{quiz.pk}/"
    assert said == [state.message]
    assert state.message in page
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == len(attempts)
