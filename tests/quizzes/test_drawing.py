"""Drawn quizzes: each student's questions come from a pool, never one whose answer they saw."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.drawing import choose, pool_report, seen_questions
from quizzes.models import Attempt, Question, Quiz, QuizOverride
from quizzes.statistics import update_item_statistics
from quizzes.taking import QuizUnavailable, finish_attempt, record_answer, start_attempt
from tests.factories import (
    make_finished_attempt,
    make_passage,
    make_question,
    make_quiz,
    make_user,
    sentence_in_share,
)

pytestmark = pytest.mark.django_db


def bank(count: int, *, test_only: bool | None = False, start: int = 0) -> list[Question]:
    """`count` questions on sentences of their own, each with its own answer."""
    passage = make_passage()
    return [
        make_question(
            passage=passage,
            options=[
                {"id": "a", "text": f"Answer {n}"},
                {"id": "b", "text": f"Wrong {n}"},
                {"id": "c", "text": f"Other {n}"},
                {"id": "d", "text": f"Else {n}"},
            ],
            answer=["a"],
            explanation_quote=sentence_in_share(
                f"Sentence {n} of the pool.", test_only=bool(test_only)
            ),
            test_only=test_only,
        )
        for n in range(start, start + count)
    ]


def drawn_test(questions, *, draw=10, **kwargs) -> Quiz:
    kwargs.setdefault("mode", Quiz.Mode.TEST)
    kwargs.setdefault("reveal_answers", Quiz.Reveal.NEVER)
    return make_quiz(questions=questions, draw_count=draw, **kwargs)


def practised(user, questions):
    """The user answered `questions` in a practice quiz (feedback shown after each)."""
    quiz = make_quiz(questions=questions, mode=Quiz.Mode.PRACTICE)
    return make_finished_attempt(quiz=quiz, user=user, results=[(q, False) for q in questions])


def test_each_attempt_draws_its_count_and_keeps_them():
    pool = bank(30)
    student = make_user()
    attempt = start_attempt(quiz=drawn_test(pool), user=student, now=timezone.now())
    assert len(attempt.question_ids) == 10 and set(attempt.question_ids) <= {q.pk for q in pool}
    assert attempt.pool_shortfall == 0
    # Every drawn question shows its options in this attempt's own order.
    assert set(attempt.option_orders) == {str(pk) for pk in attempt.question_ids}
    again = start_attempt(quiz=attempt.quiz, user=student, now=timezone.now())
    assert again.pk == attempt.pk and again.question_ids == attempt.question_ids


def test_a_test_never_draws_a_question_the_student_saw_answered_in_practice():
    pool = bank(20)
    student = make_user()
    practised(student, pool[:12])
    attempt = start_attempt(quiz=drawn_test(pool, draw=8), user=student, now=timezone.now())
    assert set(attempt.question_ids) == {q.pk for q in pool[12:]}


def test_an_answer_seen_in_a_practice_still_open_counts_too():
    pool = bank(6)
    student = make_user()
    practice = make_quiz(questions=pool[:2], mode=Quiz.Mode.PRACTICE)
    open_attempt = start_attempt(quiz=practice, user=student, now=timezone.now())
    first = Question.objects.get(pk=open_attempt.question_ids[0])
    record_answer(attempt=open_attempt, question=first, answer=["b"], now=timezone.now())
    attempt = start_attempt(quiz=drawn_test(pool, draw=6), user=student, now=timezone.now())
    # The answered one was shown with its key; the other was never answered.
    assert first.pk not in attempt.question_ids and len(attempt.question_ids) == 5


def test_a_question_on_a_sentence_whose_answer_was_shown_is_not_drawn():
    sentence = sentence_in_share("In 1937 Yezhov headed the NKVD.")
    passage = make_passage()
    seen = make_question(passage=passage, type=Question.Type.TRUE_FALSE, explanation_quote=sentence)
    cloze = make_question(passage=passage, explanation_quote=sentence)
    others = bank(3)
    student = make_user()
    practised(student, [seen])
    attempt = start_attempt(
        quiz=drawn_test([cloze, *others], draw=4), user=student, now=timezone.now()
    )
    assert cloze.pk not in attempt.question_ids
    assert attempt.question_ids and attempt.pool_shortfall == 1


def test_what_a_student_has_seen_follows_what_their_results_pages_show():
    pool = bank(12)
    student, now = make_user(), timezone.now()
    shown = make_quiz(questions=pool[:3], mode=Quiz.Mode.TEST)  # answers shown at once
    # Every question of the attempt, answered or not: the results page shows them all.
    make_finished_attempt(quiz=shown, user=student, results=[(pool[0], True)])
    Attempt.objects.filter(quiz=shown).update(question_ids=[q.pk for q in pool[:3]])
    marks = make_quiz(questions=pool[3:6], mode=Quiz.Mode.TEST, reveal_answers=Quiz.Reveal.NEVER)
    # Marks only: whether an answer was right is shown for the questions answered.
    make_finished_attempt(quiz=marks, user=student, results=[(pool[3], False)])
    later = make_quiz(
        questions=pool[6:9],
        mode=Quiz.Mode.TEST,
        reveal_answers=Quiz.Reveal.AFTER_DUE,
        due_at=now - datetime.timedelta(days=1),
    )
    # The class's due date has passed, but this student's own is later: nothing shown yet.
    QuizOverride.objects.create(quiz=later, user=student, due_at=now + datetime.timedelta(days=2))
    make_finished_attempt(quiz=later, user=student, results=[(pool[6], True)])
    running = make_quiz(questions=pool[9:], mode=Quiz.Mode.TEST)
    make_finished_attempt(quiz=running, user=student, results=[(pool[9], True)], finished=False)
    seen = seen_questions(user_ids=[student.pk], now=now)[student.pk]
    assert seen == {pool[0].pk, pool[1].pk, pool[2].pk, pool[3].pk}
    after = seen_questions(user_ids=[student.pk], now=now + datetime.timedelta(days=3))
    assert after[student.pk] == seen | {pool[6].pk}


def test_two_students_get_different_questions_and_option_orders():
    pool = bank(40)
    quiz = drawn_test(pool)
    first = start_attempt(quiz=quiz, user=make_user(), now=timezone.now())
    second = start_attempt(quiz=quiz, user=make_user(), now=timezone.now())
    # The least asked first: with 40 to choose from, the second shares none of the first's.
    assert not set(first.question_ids) & set(second.question_ids)
    assert len(second.question_ids) == 10
    # Orders differ too: the chance that 10 shuffles of four options all agree is 24**-10.
    third = start_attempt(quiz=drawn_test(pool, draw=40), user=make_user(), now=timezone.now())
    fourth = start_attempt(quiz=third.quiz, user=make_user(), now=timezone.now())
    assert third.question_ids != fourth.question_ids
    assert third.option_orders != fourth.option_orders


def test_a_second_attempt_after_the_answers_were_shown_draws_fresh_questions():
    pool = bank(20)
    quiz = drawn_test(pool, attempts_allowed=2, reveal_answers=Quiz.Reveal.IMMEDIATELY)
    student = make_user()
    first = start_attempt(quiz=quiz, user=student, now=timezone.now())
    finish_attempt(attempt=first, now=timezone.now())
    second = start_attempt(quiz=quiz, user=student, now=timezone.now())
    assert second.number == 2 and not set(first.question_ids) & set(second.question_ids)


def test_a_pool_that_runs_short_asks_fewer_never_a_seen_one_and_records_it():
    pool = bank(12)
    student = make_user()
    practised(student, pool[:5])
    attempt = start_attempt(quiz=drawn_test(pool, draw=10), user=student, now=timezone.now())
    assert set(attempt.question_ids) == {q.pk for q in pool[5:]}
    assert attempt.pool_shortfall == 3


def test_with_every_answer_seen_the_test_does_not_start_and_says_why():
    pool = bank(4)
    student = make_user()
    practised(student, pool)
    with pytest.raises(QuizUnavailable, match="already seen the answers"):
        start_attempt(quiz=drawn_test(pool), user=student, now=timezone.now())
    assert not Attempt.objects.filter(quiz__draw_count=10).exists()


def test_test_only_draws_keep_to_the_test_only_share_and_practice_to_the_rest():
    practice_side, test_side = bank(10), bank(10, test_only=True, start=10)
    pool = practice_side + test_side
    test = drawn_test(pool, draw=20, draw_from=Quiz.DrawFrom.TEST_ONLY)
    asked = start_attempt(quiz=test, user=make_user(), now=timezone.now()).question_ids
    assert set(asked) == {q.pk for q in test_side}
    practice = make_quiz(questions=pool, draw_count=20, mode=Quiz.Mode.PRACTICE)
    asked = start_attempt(quiz=practice, user=make_user(), now=timezone.now()).question_ids
    assert set(asked) == {q.pk for q in practice_side}


def test_no_two_drawn_questions_give_each_other_away():
    passage = make_passage()
    sentence = sentence_in_share("The 20th congress met in February 1956.")
    twins = [
        make_question(passage=passage, explanation_quote=sentence, type=t)
        for t in (Question.Type.CLOZE_DATE, Question.Type.TRUE_FALSE)
    ]
    same_answer = bank(2)
    Question.objects.filter(pk=same_answer[1].pk).update(options=same_answer[0].options)
    attempt = start_attempt(
        quiz=drawn_test([*twins, *same_answer], draw=4), user=make_user(), now=timezone.now()
    )
    assert len(attempt.question_ids) == 2 and attempt.pool_shortfall == 2


def test_a_retired_question_leaves_the_pool():
    pool = bank(3)
    Question.objects.filter(pk=pool[0].pk).update(status=Question.Status.RETIRED)
    attempt = start_attempt(quiz=drawn_test(pool, draw=3), user=make_user(), now=timezone.now())
    assert sorted(attempt.question_ids) == sorted(q.pk for q in pool[1:])


def test_choose_prefers_unseen_questions_in_practice_without_requiring_them():
    pool = bank(5)
    seen = {q.pk for q in pool[:3]}
    picked = choose(
        pool=pool,
        count=4,
        seen_ids=seen,
        seen_sentences=set(),
        uses={},
        rng=random.Random(1),
        strict=False,
    )
    assert {q.pk for q in pool[3:]} <= {q.pk for q in picked} and len(picked) == 4


def test_the_pool_report_names_who_will_get_fewer_questions():
    pool = bank(12)
    keen, fresh = make_user(), make_user()
    practised(keen, pool[:6])
    report = pool_report(quiz=drawn_test(pool), user_ids=[keen.pk, fresh.pk], now=timezone.now())
    assert (report.size, report.eligible, report.fresh, report.draw_count) == (12, 12, 10, 10)
    assert report.short == {keen.pk: 6} and not report.is_short
    tiny = pool_report(quiz=drawn_test(pool[:4]), user_ids=[], now=timezone.now())
    assert tiny.is_short and tiny.fresh == 4


@pytest.mark.parametrize("history", [1, 12])
def test_starting_a_drawn_test_runs_a_fixed_number_of_queries(history, django_assert_num_queries):
    pool = bank(30)
    student = make_user()
    for n in range(history):
        practised(student, [pool[n % 5]])
    quiz = drawn_test(pool)
    quiz = Quiz.objects.get(pk=quiz.pk)
    # The quiz's open attempt and count (one aggregate), the student's override, the
    # pool, what the student has seen (two), those questions' sentences, how often
    # each was drawn; then the INSERT in its savepoint.
    with django_assert_num_queries(10):
        start_attempt(quiz=quiz, user=student, now=timezone.now())


def test_item_statistics_count_each_question_where_it_was_asked():
    pool = bank(12)
    quiz = drawn_test(pool, draw=4)
    asked: dict[int, int] = {}
    for _ in range(6):
        attempt = start_attempt(quiz=quiz, user=make_user(), now=timezone.now())
        for pk in attempt.question_ids:
            question = Question.objects.get(pk=pk)
            record_answer(attempt=attempt, question=question, answer=["a"], now=timezone.now())
            asked[pk] = asked.get(pk, 0) + 1
        finish_attempt(attempt=attempt, now=timezone.now())
    update_item_statistics()
    counts = {
        q.pk: q.statistics.responses
        for q in Question.objects.filter(pk__in=asked).select_related("statistics")
    }
    assert counts == asked
    # Twenty-four questions asked over a pool of twelve: the least asked go first, so
    # every question was asked twice.
    assert set(asked.values()) == {2}


def test_the_pages_of_a_drawn_test_run_as_many_queries_as_any_other(
    client, django_assert_num_queries
):
    student = make_user()
    client.force_login(student)
    quiz = drawn_test(bank(30))
    with django_assert_num_queries(4):  # user, quiz, the user's attempts, any override
        client.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk}))
    attempt = start_attempt(quiz=quiz, user=student, now=timezone.now())
    with django_assert_num_queries(4):  # user, attempt and quiz, answered ids, the question
        client.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk}))


@pytest.mark.parametrize("reveal", [Quiz.Reveal.AFTER_DUE, Quiz.Reveal.NEVER])
def test_the_results_page_runs_the_same_queries_however_many_questions(client, reveal):
    """Waiting for the student's own due date reads their override once, not per question."""
    student = make_user()
    client.force_login(student)
    due = timezone.now() + datetime.timedelta(days=1)
    counts = []
    for size in (3, 30):
        quiz = drawn_test(bank(size), draw=size, reveal_answers=reveal, due_at=due)
        QuizOverride.objects.create(
            quiz=quiz, user=student, due_at=due + datetime.timedelta(days=1)
        )
        attempt = start_attempt(quiz=quiz, user=student, now=timezone.now())
        finish_attempt(attempt=attempt, now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
