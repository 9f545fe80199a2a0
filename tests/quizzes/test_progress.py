"""A student's results per question, type and glossary term (quizzes.progress)."""

import datetime

import pytest
from django.utils import timezone

from quizzes.models import Question, Quiz
from quizzes.progress import attempt_history, latest_results, missed_question_types, missed_terms
from tests.factories import (
    make_finished_attempt,
    make_passage,
    make_question,
    make_quiz,
    make_term,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 1, 12, 0))


def hours_ago(hours: int) -> datetime.datetime:
    return NOW - datetime.timedelta(hours=hours)


def test_latest_try_decides_whether_a_question_counts_as_correct():
    student = make_user()
    right_then_wrong, wrong_then_right = make_question(), make_question()
    quiz = make_quiz(questions=[right_then_wrong, wrong_then_right])
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=hours_ago(5),
        results=[(right_then_wrong, True), (wrong_then_right, False)],
    )
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=hours_ago(2),
        results=[(right_then_wrong, False), (wrong_then_right, True)],
    )
    assert latest_results(user=student, now=NOW) == {
        right_then_wrong.pk: False,
        wrong_then_right.pk: True,
    }


def test_results_are_only_the_users_own():
    student, other = make_user(), make_user()
    question = make_question()
    quiz = make_quiz(questions=[question])
    make_finished_attempt(
        quiz=quiz, user=other, started_at=hours_ago(3), results=[(question, True)]
    )
    assert latest_results(user=student, now=NOW) == {}
    assert list(attempt_history(user=student)) == []


def test_unfinished_and_unrevealed_answers_do_not_count():
    student = make_user()
    question = make_question()
    in_progress = make_quiz(questions=[question], mode=Quiz.Mode.TEST)
    make_finished_attempt(
        quiz=in_progress,
        user=student,
        started_at=hours_ago(1),
        finished=False,
        results=[(question, True)],
    )
    hidden = make_quiz(
        questions=[question],
        mode=Quiz.Mode.TEST,
        reveal_answers=Quiz.Reveal.AFTER_DUE,
        due_at=NOW + datetime.timedelta(days=1),
    )
    make_finished_attempt(
        quiz=hidden, user=student, started_at=hours_ago(3), results=[(question, False)]
    )
    assert latest_results(user=student, now=NOW) == {}
    # Once the due date passes, the hidden test's answers count.
    later = NOW + datetime.timedelta(days=2)
    assert latest_results(user=student, now=later) == {question.pk: False}


def test_missed_question_types_rank_the_most_wrong_answers_first():
    student = make_user()
    dates = [make_question(type=Question.Type.CLOZE_DATE) for _ in range(3)]
    names = [make_question(type=Question.Type.CLOZE_NAME) for _ in range(2)]
    true_false = make_question(type=Question.Type.TRUE_FALSE)
    quiz = make_quiz(questions=[*dates, *names, true_false])
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=hours_ago(3),
        results=[
            (dates[0], False),
            (dates[1], False),
            (dates[2], True),
            (names[0], False),
            (names[1], True),
            (true_false, True),
        ],
    )
    missed = missed_question_types(user=student, now=NOW, limit=3)
    assert [(m.label, m.missed, m.answered) for m in missed] == [
        ("Fill in the date", 2, 3),
        ("Fill in the name", 1, 2),
    ]
    assert missed[0].percent_missed == 67


def test_every_question_type_has_a_plain_name_for_students():
    from quizzes.progress import PLAIN_TYPE_NAMES

    assert set(PLAIN_TYPE_NAMES) == set(Question.Type.values)
    jargon = ("cloze", "rendering", "attribution", "chronology", "corpus", ":")
    assert not [n for n in PLAIN_TYPE_NAMES.values() if any(j in n.lower() for j in jargon)]


def test_missed_terms_come_from_the_passages_of_questions_wrong_on_the_latest_try():
    student = make_user()
    yezhov, stalin, kirov = (
        make_term(name="Yezhov"),
        make_term(name="Stalin"),
        make_term(name="Kirov"),
    )
    passages = [make_passage() for _ in range(4)]
    for passage in passages:
        passage.glossary_terms.add(stalin)
    passages[0].glossary_terms.add(yezhov)
    passages[1].glossary_terms.add(kirov)
    questions = [make_question(passage=p) for p in passages]
    quiz = make_quiz(questions=questions)
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=hours_ago(5),
        results=[
            (questions[0], False),
            (questions[1], False),
            (questions[2], True),
            (questions[3], True),
        ],
    )
    # Kirov's question is right on the second try, so only Yezhov and Stalin are missed.
    make_finished_attempt(
        quiz=quiz, user=student, started_at=hours_ago(2), results=[(questions[1], True)]
    )
    missed = missed_terms(user=student, now=NOW, limit=5)
    # Yezhov: 1 of 1 missed ranks above Stalin: 1 of 4, though Stalin is everywhere.
    assert [(m.term.name, m.missed, m.answered) for m in missed] == [
        ("Yezhov", 1, 1),
        ("Stalin", 1, 4),
    ]


def test_attempt_history_lists_finished_attempts_newest_first():
    student = make_user()
    quiz = make_quiz(questions=[make_question()])
    old = make_finished_attempt(quiz=quiz, user=student, started_at=hours_ago(10))
    new = make_finished_attempt(quiz=quiz, user=student, started_at=hours_ago(2))
    make_finished_attempt(quiz=quiz, user=student, started_at=hours_ago(1), finished=False)
    assert list(attempt_history(user=student)) == [new, old]


def test_progress_queries_do_not_grow_with_attempts(django_assert_num_queries):
    student = make_user()
    passage = make_passage()
    passage.glossary_terms.add(make_term())
    questions = [make_question(passage=passage) for _ in range(10)]
    quiz = make_quiz(questions=questions)
    for n in range(12):
        make_finished_attempt(
            quiz=quiz,
            user=student,
            started_at=hours_ago(40 - n),
            results=[(q, (i + n) % 3 == 0) for i, q in enumerate(questions)],
        )
    with django_assert_num_queries(1):
        latest = latest_results(user=student, now=NOW)
    with django_assert_num_queries(1):
        missed_question_types(user=student, now=NOW)
    with django_assert_num_queries(1):
        missed_terms(user=student, now=NOW, latest=latest)
