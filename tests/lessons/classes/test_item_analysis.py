"""Item analysis: questions ranked by how often the class got them wrong, with the options chosen."""

import pytest

from lessons.classes.item_analysis import item_analysis
from quizzes.models import Question, Response
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_question,
    make_quiz,
    make_school_class,
    make_user,
)

pytestmark = pytest.mark.django_db


def _answer(attempt, question, option):
    Response.objects.filter(attempt=attempt, question=question).update(
        answer=[option], is_correct=option in question.answer
    )


def test_questions_come_most_missed_first_with_each_options_count_and_passage():
    students = [make_user() for _ in range(4)]
    school_class = make_school_class(students=students)
    easy, hard, untouched = make_question(), make_question(), make_question()
    quiz = make_quiz(questions=[easy, hard, untouched])
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    for n, student in enumerate(students):
        attempt = make_finished_attempt(
            quiz=quiz, user=student, results=[(easy, True), (hard, True)]
        )
        _answer(attempt, easy, "a" if n else "b")  # one wrong
        _answer(attempt, hard, ["b", "b", "c", "a"][n])  # three wrong, "b" twice
    outsider = make_user()
    make_finished_attempt(quiz=quiz, user=outsider, results=[(easy, False)])  # not in the class
    open_attempt = make_finished_attempt(
        quiz=quiz, user=students[0], results=[(easy, False)], finished=False
    )
    assert open_attempt.finished_at is None  # unfinished work is not counted

    first, second, third = item_analysis(assignment=assignment)
    assert [first.question, second.question, third.question] == [hard, easy, untouched]
    assert (first.answered, first.wrong, first.wrong_percent) == (4, 3, 75)
    assert [(o.text, o.count, o.correct) for o in first.options] == [
        ("Yezhov", 1, True),
        ("Yagoda", 2, False),
        ("Beria", 1, False),
    ]
    assert (second.wrong, third.answered, third.wrong_percent) == (1, 0, None)
    assert first.passage_url == hard.passage.get_absolute_url()


def test_ordering_questions_count_wrong_orders_without_option_bars():
    student = make_user()
    school_class = make_school_class(students=[student])
    question = make_question(type=Question.Type.CHRONOLOGY, answer=["a", "b", "c"])
    quiz = make_quiz(questions=[question])
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(quiz=quiz, user=student, results=[(question, False)])
    [result] = item_analysis(assignment=assignment)
    assert (result.is_ordering, result.wrong, result.options) == (True, 1, [])


def test_item_analysis_runs_two_queries_however_many_answers(django_assert_num_queries):
    students = [make_user() for _ in range(6)]
    school_class = make_school_class(students=students)
    questions = [make_question() for _ in range(5)]
    quiz = make_quiz(questions=questions)
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    for student in students:
        make_finished_attempt(quiz=quiz, user=student, results=[(q, False) for q in questions])
    assignment = type(assignment).objects.select_related("quiz").get(pk=assignment.pk)
    with django_assert_num_queries(2):
        assert len(item_analysis(assignment=assignment)) == 5
