"""The gradebook grid, its class summary, its CSV export, and its constant query count."""

import csv
import datetime
import decimal
import io

import pytest
from django.utils import timezone

from lessons.gradebook import gradebook, gradebook_csv, spreadsheet_safe
from quizzes.models import QuizOverride
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_question,
    make_quiz,
    make_school_class,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _statuses(book):
    return {row.student.username: [c.status for c in row.cells] for row in book.rows}


def test_each_cell_shows_the_students_status_and_best_score():
    done, late, working, idle = (make_user(username=n) for n in ("done", "late", "working", "idle"))
    school_class = make_school_class(students=[done, late, working, idle])
    questions = [make_question() for _ in range(4)]
    quiz = make_quiz(questions=questions, due_at=NOW - datetime.timedelta(hours=1))
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    early = NOW - datetime.timedelta(hours=3)
    make_finished_attempt(
        quiz=quiz,
        user=done,
        results=[(q, i < 3) for i, q in enumerate(questions)],
        started_at=early,
    )
    make_finished_attempt(
        quiz=quiz,
        user=done,
        results=[(q, i < 1) for i, q in enumerate(questions)],
        started_at=early,
    )
    make_finished_attempt(
        quiz=quiz,
        user=late,
        results=[(q, True) for q in questions],
        started_at=NOW - datetime.timedelta(minutes=50),
        finished_at=NOW - datetime.timedelta(minutes=10),
    )
    make_finished_attempt(quiz=quiz, user=working, results=[], finished=False)
    quiz.due_at = NOW + datetime.timedelta(days=1)  # `working` is still in time
    quiz.save()
    book = gradebook(school_class=school_class, now=NOW)
    assert _statuses(book) == {
        "done": ["done"],
        "idle": ["not_started"],
        "late": ["done"],
        "working": ["in_progress"],
    }
    [row_done] = [r for r in book.rows if r.student.username == "done"]
    assert row_done.cells[0].percent == 75  # the better of 3/4 and 1/4
    [summary] = book.summaries
    assert (summary.assignment, summary.completed, summary.students) == (assignment, 2, 4)
    assert summary.average == round((75 + 100) / 2)


def test_finishing_after_the_due_date_is_late_unless_an_accommodation_extends_it():
    slow, excused = make_user(username="slow"), make_user(username="excused")
    school_class = make_school_class(students=[slow, excused])
    question = make_question()
    due = NOW - datetime.timedelta(days=1)
    quiz = make_quiz(questions=[question], due_at=due)
    make_assignment(school_class=school_class, quiz=quiz)
    for user in (slow, excused):
        make_finished_attempt(
            quiz=quiz,
            user=user,
            results=[(question, True)],
            finished_at=due + datetime.timedelta(hours=2),
        )
    QuizOverride.objects.create(
        quiz=quiz, user=excused, due_at=due + datetime.timedelta(days=2), extra_attempts=1
    )
    book = gradebook(school_class=school_class, now=NOW)
    assert _statuses(book) == {"slow": ["late"], "excused": ["done"]}
    cell = next(r for r in book.rows if r.student == excused).cells[0]
    assert cell.override is not None and "+1 attempt" in cell.accommodation


def test_nothing_submitted_after_the_due_date_is_late():
    student = make_user()
    school_class = make_school_class(students=[student])
    make_assignment(
        school_class=school_class, quiz=make_quiz(due_at=NOW - datetime.timedelta(minutes=5))
    )
    assert gradebook(school_class=school_class, now=NOW).rows[0].cells[0].status == "late"


def test_attempts_of_students_no_longer_in_the_class_are_left_out():
    gone = make_user()
    school_class = make_school_class()
    question = make_question()
    quiz = make_quiz(questions=[question])
    make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(quiz=quiz, user=gone, results=[(question, True)])
    book = gradebook(school_class=school_class, now=NOW)
    assert book.rows == [] and book.summaries[0].average is None


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-3", "@cmd", "\tx", "\rx"])
def test_spreadsheet_formulas_are_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


def test_csv_has_a_bom_and_quotes_formula_looking_names():
    student = make_user(username="evil", first_name='=HYPERLINK("http://x","hi")')
    school_class = make_school_class(students=[student])
    question = make_question()
    quiz = make_quiz(questions=[question], title="Ёлка: тест")
    make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(quiz=quiz, user=student, results=[(question, True)])
    QuizOverride.objects.create(quiz=quiz, user=student, time_multiplier=decimal.Decimal("1.5"))
    text = gradebook_csv(book=gradebook(school_class=school_class, now=NOW))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Student", "Username", "Ёлка: тест — score %"]
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][2:5] == ["100", "Done", "time ×1.5"]


def _class_of(*, students: int, assignments: int):
    teacher = make_teacher()
    users = [make_user() for _ in range(students)]
    school_class = make_school_class(teachers=[teacher], students=users)
    for _ in range(assignments):
        question = make_question()
        quiz = make_quiz(questions=[question])
        make_assignment(school_class=school_class, quiz=quiz)
        for user in users[::2]:
            make_finished_attempt(quiz=quiz, user=user, results=[(question, True)])
        QuizOverride.objects.create(quiz=quiz, user=users[-1], extra_minutes=5)
    return teacher, school_class


@pytest.mark.parametrize("students,assignments", [(3, 2), (40, 6)])
def test_the_gradebook_page_runs_the_same_queries_for_any_class_size(
    client, django_assert_num_queries, students, assignments
):
    teacher, school_class = _class_of(students=students, assignments=assignments)
    client.force_login(teacher)
    # session, user, permissions (2), class, memberships, assignments, attempts, overrides
    with django_assert_num_queries(9):
        response = client.get(f"/teach/classes/{school_class.pk}/gradebook/")
    assert response.status_code == 200
    assert response.content.count(b'class="cell cell-') == students * assignments


@pytest.mark.parametrize("students,assignments", [(3, 2), (40, 6)])
def test_the_csv_export_runs_the_same_queries_for_any_class_size(
    client, django_assert_num_queries, students, assignments
):
    teacher, school_class = _class_of(students=students, assignments=assignments)
    client.force_login(teacher)
    with django_assert_num_queries(9):
        response = client.get(f"/teach/classes/{school_class.pk}/gradebook.csv")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == students + 1
