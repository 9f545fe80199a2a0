"""The gradebook grid, its class summary, its CSV export, and its constant query count."""

import csv
import datetime
import decimal
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.classes.gradebook import gradebook, gradebook_csv, spreadsheet_safe
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


def test_the_due_date_of_each_cell_follows_the_students_quiz_rules():
    """Lateness is judged against the due date Quiz.rules_for gives the student: the
    first finish counts, a later accommodation date extends the quiz's, an earlier one
    changes nothing, and one on a quiz without a due date adds none."""
    due = NOW - datetime.timedelta(days=1)
    hours = datetime.timedelta(hours=1)
    names = [
        "on_time",
        "late",
        "on_time_then_late",
        "extended_in_time",
        "extended_but_later_still",
        "earlier_date_ignored",
        "open_past_due",
        "idle_past_due",
        "extended_idle",
        "extended_open",
    ]
    students = {name: make_user(username=name) for name in names}
    school_class = make_school_class(students=list(students.values()))
    question = make_question()
    dated = make_quiz(questions=[question], due_at=due)
    undated = make_quiz(questions=[question])
    make_assignment(school_class=school_class, quiz=dated)
    make_assignment(school_class=school_class, quiz=undated)

    def finish(name, at, quiz=dated):
        make_finished_attempt(
            quiz=quiz, user=students[name], results=[(question, True)], finished_at=at
        )

    def extend(name, to, quiz=dated):
        QuizOverride.objects.create(quiz=quiz, user=students[name], due_at=to)

    finish("on_time", due - hours)
    finish("late", due + 2 * hours)
    finish("on_time_then_late", due - hours)
    finish("on_time_then_late", due + hours)
    extend("extended_in_time", due + 2 * 24 * hours)
    finish("extended_in_time", due + 2 * hours)
    extend("extended_but_later_still", due + 24 * hours)
    finish("extended_but_later_still", due + 30 * hours)
    extend("earlier_date_ignored", due - 48 * hours)
    finish("earlier_date_ignored", due - 24 * hours)
    make_finished_attempt(quiz=dated, user=students["open_past_due"], finished=False)
    extend("extended_idle", NOW + 24 * hours)
    extend("extended_open", NOW + 24 * hours)
    make_finished_attempt(quiz=dated, user=students["extended_open"], finished=False)
    # The undated quiz: an accommodation's date adds no due date to it.
    extend("late", NOW - 48 * hours, quiz=undated)
    finish("late", NOW - hours, quiz=undated)
    extend("idle_past_due", NOW - 48 * hours, quiz=undated)

    statuses = _statuses(gradebook(school_class=school_class, now=NOW))
    assert statuses == {
        "on_time": ["done", "not_started"],
        "late": ["late", "done"],
        "on_time_then_late": ["done", "not_started"],
        "extended_in_time": ["done", "not_started"],
        "extended_but_later_still": ["late", "not_started"],
        "earlier_date_ignored": ["done", "not_started"],
        "open_past_due": ["late", "not_started"],
        "idle_past_due": ["late", "not_started"],
        "extended_idle": ["not_started", "not_started"],
        "extended_open": ["in_progress", "not_started"],
    }
    for name, student in students.items():
        assert undated.rules_for(student).due_at is None, name


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


def test_the_page_shows_each_students_row_with_escaped_names_and_working_links(client):
    teacher = make_teacher()
    plain = make_user(username="plain", first_name="Vera")
    marked_up = make_user(username="marked", first_name='<b>"Ann"</b> & co')
    school_class = make_school_class(teachers=[teacher], students=[plain, marked_up])
    question = make_question()
    quiz = make_quiz(questions=[question])
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(quiz=quiz, user=plain, results=[(question, True)])
    QuizOverride.objects.create(quiz=quiz, user=marked_up, extra_minutes=10)
    client.force_login(teacher)
    page = client.get(reverse("classes:teacher_gradebook", args=[school_class.pk])).content.decode()

    def accommodation_url(student):
        return reverse(
            "classes:teacher_accommodation", args=[school_class.pk, assignment.pk, student.pk]
        )

    assert "<b>" not in page and "&lt;b&gt;&quot;Ann&quot;&lt;/b&gt; &amp; co" in page
    student_url = reverse("classes:teacher_student", args=[school_class.pk, plain.pk])
    assert f'<th scope="row"><a href="{student_url}">Vera</a></th>' in page
    assert (
        '<td class="cell cell-done"><span class="cell-status">Done</span> '
        f'<span class="cell-score">100%</span> <a href="{accommodation_url(plain)}" '
        'class="cell-accommodation"><span class="visually-hidden">Add an accommodation for '
        "Vera</span>"
    ) in page
    assert (
        f'<a href="{accommodation_url(marked_up)}" class="cell-accommodation has-accommodation" '
        'title="Accommodation: +10 min"><span aria-hidden="true">◆</span>'
        '<span class="visually-hidden">Accommodation: +10 min. Change</span></a>'
    ) in page


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


@pytest.mark.parametrize("students,assignments", [(5, 2), (200, 4)])
def test_the_gradebook_page_runs_the_same_queries_for_any_class_size(
    client, django_assert_num_queries, students, assignments
):
    teacher, school_class = _class_of(students=students, assignments=assignments)
    client.force_login(teacher)
    # user, permissions (2), class, memberships, assignments, attempts, overrides (the
    # session comes from the cache)
    with django_assert_num_queries(8):
        response = client.get(f"/teach/classes/{school_class.pk}/gradebook/")
    assert response.status_code == 200
    assert response.content.count(b'class="cell cell-') == students * assignments


@pytest.mark.parametrize("students,assignments", [(5, 2), (200, 4)])
def test_the_csv_export_runs_the_same_queries_for_any_class_size(
    client, django_assert_num_queries, students, assignments
):
    teacher, school_class = _class_of(students=students, assignments=assignments)
    client.force_login(teacher)
    with django_assert_num_queries(8):  # the page's queries
        response = client.get(f"/teach/classes/{school_class.pk}/gradebook.csv")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == students + 1
