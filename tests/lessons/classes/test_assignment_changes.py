"""Assignments a teacher can manage (issue 16 part 3): edit the rules, extend the due date
for everyone, delete with what goes said first, a date in the past confirmed rather than
accepted silently; one student added by a form; the roster's count after a removal."""

import datetime
import html

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from lessons.classes.assignments import student_assignments
from lessons.models import Assignment, Membership, PasswordChangeRequired, Retake
from quizzes.models import Attempt, Quiz, QuizOverride, Response
from quizzes.taking import QuizUnavailable, start_attempt
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
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def teacher():
    return make_teacher(username="tamara")


@pytest.fixture
def school_class(teacher):
    return make_school_class(name="10B", teachers=[teacher])


@pytest.fixture
def tclient(client, teacher):
    client.force_login(teacher)
    return client


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


def _url(name: str, assignment: Assignment) -> str:
    return reverse(name, args=[assignment.school_class_id, assignment.pk])


def _edit_data(assignment: Assignment, **changes) -> dict:
    quiz = assignment.quiz
    data = {
        "title": assignment.title,
        "opens_at": _local(quiz.opens_at) if quiz.opens_at else "",
        "due_at": _local(quiz.due_at) if quiz.due_at else "",
        "mode": quiz.mode,
        "reveal_answers": quiz.reveal_answers,
        "attempts_allowed": quiz.attempts_allowed or "",
        "time_limit_minutes": quiz.time_limit_minutes or "",
    }
    return {**data, **changes}


# --- Editing --------------------------------------------------------------------------------


def test_a_teacher_edits_the_dates_mode_and_attempts_of_an_assignment(tclient, school_class):
    assignment = make_assignment(
        school_class=school_class, title="Leak quiz", quiz_kwargs={"mode": "practice"}
    )
    due = NOW + datetime.timedelta(days=3)
    page = tclient.get(_url("classes:teacher_assignment_edit", assignment))
    assert page.status_code == 200 and 'value="Leak quiz"' in page.content.decode()
    response = tclient.post(
        _url("classes:teacher_assignment_edit", assignment),
        _edit_data(
            assignment,
            title="Leak test",
            due_at=_local(due),
            mode="test",
            attempts_allowed="2",
        ),
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get(pk=assignment.quiz_id)
    assert (quiz.mode, quiz.attempts_allowed, quiz.title) == ("test", 2, "Leak test")
    assert abs(quiz.due_at - due) < datetime.timedelta(minutes=1)
    assert Assignment.objects.get(pk=assignment.pk).title == "Leak test"
    message = list(
        tclient.get(reverse("classes:teacher_class", args=[school_class.pk])).context["messages"]
    )
    assert "changed title, due date, mode, attempts allowed" in str(message[0])


def test_a_test_with_questions_kept_for_tests_cannot_become_practice(tclient, school_class):
    kept = make_question(test_only=True)
    quiz = make_quiz(questions=[kept, make_question()], mode="test")
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    response = tclient.post(
        _url("classes:teacher_assignment_edit", assignment), _edit_data(assignment, mode="practice")
    )
    assert response.status_code == 400
    assert "1 of this assignment's questions are kept for tests" in html.unescape(
        response.content.decode()
    )
    assert Quiz.objects.get(pk=quiz.pk).mode == "test"


def test_another_teachers_assignment_cannot_be_edited_extended_or_deleted(client, school_class):
    assignment = make_assignment(school_class=school_class)
    client.force_login(make_teacher())
    for name in (
        "classes:teacher_assignment_edit",
        "classes:teacher_assignment_extend",
        "classes:teacher_assignment_delete",
    ):
        assert client.post(_url(name, assignment), {}).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- A due date in the past -----------------------------------------------------------------


def test_assigning_with_a_due_date_in_the_past_asks_first_then_assigns(tclient, school_class):
    question = make_question()
    past = NOW - datetime.timedelta(days=1)
    data = {
        "what": "picked",
        "question_ids": [question.pk],
        "mode": "practice",
        "reveal_answers": "immediately",
        "due_at": _local(past),
    }
    url = reverse("classes:teacher_assign", args=[school_class.pk])
    asked = tclient.post(url, data)
    page = asked.content.decode()
    assert asked.status_code == 200 and "has already passed" in page
    assert "every student who has not handed it in would be late" in page
    assert 'name="past_due_ok" value="on"' in page  # the confirm button
    assert not Assignment.objects.exists()
    confirmed = tclient.post(url, {**data, "past_due_ok": "on"})
    assert confirmed.status_code == 302 and Assignment.objects.count() == 1


def test_editing_moves_the_due_date_into_the_past_only_when_confirmed(tclient, school_class):
    assignment = make_assignment(
        school_class=school_class, quiz_kwargs={"due_at": NOW + datetime.timedelta(days=2)}
    )
    past = _local(NOW - datetime.timedelta(hours=2))
    url = _url("classes:teacher_assignment_edit", assignment)
    asked = tclient.post(url, _edit_data(assignment, due_at=past))
    assert asked.status_code == 400 and "has already passed" in asked.content.decode()
    assert Quiz.objects.get(pk=assignment.quiz_id).due_at > NOW
    confirmed = tclient.post(url, _edit_data(assignment, due_at=past, past_due_ok="on"))
    assert confirmed.status_code == 302, confirmed.context["form"].errors
    assert Quiz.objects.get(pk=assignment.quiz_id).due_at < NOW


def test_renaming_an_assignment_already_past_due_asks_nothing(tclient, school_class):
    assignment = make_assignment(
        school_class=school_class, quiz_kwargs={"due_at": NOW - datetime.timedelta(days=5)}
    )
    response = tclient.post(
        _url("classes:teacher_assignment_edit", assignment), _edit_data(assignment, title="Renamed")
    )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).title == "Renamed"


# --- Extending for the whole class ------------------------------------------------------------


def test_extending_lets_every_student_back_in_and_carries_open_attempts(tclient, school_class):
    old_due = NOW + datetime.timedelta(minutes=30)
    quiz = make_quiz(due_at=old_due, mode="test")
    assignment = make_assignment(school_class=school_class, quiz=quiz, title="Leak test")
    working, late = make_user(), make_user()
    for student in (working, late):
        school_class.add_student(student)
    attempt = start_attempt(quiz=quiz, user=working, now=NOW)
    assert attempt.deadline_at == old_due  # stopped by the due date, no time limit
    # The due date passes; the late student can no longer start.
    Quiz.objects.filter(pk=quiz.pk).update(due_at=NOW - datetime.timedelta(hours=1))
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=NOW - datetime.timedelta(hours=1))
    with pytest.raises(QuizUnavailable, match="closed"):
        start_attempt(quiz=Quiz.objects.get(pk=quiz.pk), user=late, now=NOW)

    new_due = NOW + datetime.timedelta(days=2)
    page = tclient.get(_url("classes:teacher_assignment_extend", assignment)).content.decode()
    assert "A later due date for the whole class" in page
    response = tclient.post(
        _url("classes:teacher_assignment_extend", assignment), {"due_at": _local(new_due)}
    )
    assert response.status_code == 302
    message = str(next(iter(tclient.get(response.url).context["messages"])))
    assert "is now due" in message and "2 students who had not handed it in" in message
    quiz.refresh_from_db()
    assert abs(quiz.due_at - new_due) < datetime.timedelta(minutes=1)
    assert Attempt.objects.get(pk=attempt.pk).deadline_at == quiz.due_at  # carried along
    assert start_attempt(quiz=quiz, user=late, now=NOW).quiz_id == quiz.pk
    states = {s.assignment.pk: s.state for s in student_assignments(user=late, now=NOW)}
    assert states[assignment.pk] == "in_progress"


def test_an_extension_must_be_later_than_the_current_date(tclient, school_class):
    due = NOW + datetime.timedelta(days=3)
    assignment = make_assignment(school_class=school_class, quiz_kwargs={"due_at": due})
    response = tclient.post(
        _url("classes:teacher_assignment_extend", assignment),
        {"due_at": _local(due - datetime.timedelta(days=1))},
    )
    assert response.status_code == 400
    assert "later than the current due date" in response.content.decode()


# --- Deleting -----------------------------------------------------------------------------------


def test_deleting_says_what_goes_with_it_then_removes_the_work(tclient, school_class, teacher):
    quiz = make_quiz(count=2, mode="test")
    assignment = make_assignment(school_class=school_class, quiz=quiz, title="Leak test")
    done, working = make_user(), make_user()
    for student in (done, working):
        school_class.add_student(student)
    questions = list(quiz.questions.all())
    finished = make_finished_attempt(quiz=quiz, user=done, results=[(questions[0], False)])
    make_finished_attempt(quiz=quiz, user=working, results=[(questions[0], True)], finished=False)
    retake_quiz = make_quiz(questions=[questions[0]], kind=Quiz.Kind.RETAKE, owner=done)
    Retake.objects.create(assignment=assignment, student=done, quiz=retake_quiz, allowed_by=teacher)
    QuizOverride.objects.create(quiz=quiz, user=working, extra_attempts=1)

    page = tclient.get(_url("classes:teacher_assignment_delete", assignment)).content.decode()
    assert "2 students have started it: 1 finished attempt and 1 still in progress" in page
    assert "1 retake you allowed" in page and "1 accommodation set on it" in page
    assert "Their scores leave the gradebook and their dashboards." in page
    assert Assignment.objects.filter(pk=assignment.pk).exists()  # nothing gone on a GET

    response = tclient.post(_url("classes:teacher_assignment_delete", assignment))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not Quiz.objects.filter(pk__in=[quiz.pk, retake_quiz.pk]).exists()
    assert not Response.objects.filter(attempt=finished.pk).exists()
    assert student_assignments(user=done, now=NOW) == []


def test_deleting_an_untouched_assignment_says_no_student_started_it(tclient, school_class):
    assignment = make_assignment(school_class=school_class)
    page = tclient.get(_url("classes:teacher_assignment_delete", assignment)).content.decode()
    assert "No student has started it" in page and "cannot be brought back" not in page


def test_the_class_page_offers_edit_extend_and_delete(tclient, school_class):
    dated = make_assignment(
        school_class=school_class,
        title="Dated",
        quiz_kwargs={"due_at": NOW + datetime.timedelta(1)},
    )
    undated = make_assignment(school_class=school_class, title="Undated")
    html = tclient.get(reverse("classes:teacher_class", args=[school_class.pk])).content.decode()
    for assignment in (dated, undated):
        assert _url("classes:teacher_assignment_edit", assignment) in html
        assert _url("classes:teacher_assignment_delete", assignment) in html
    assert _url("classes:teacher_assignment_extend", dated) in html
    assert _url("classes:teacher_assignment_extend", undated) not in html  # no date to extend


# --- One student, by hand ---------------------------------------------------------------


def test_a_teacher_adds_one_student_and_sees_the_one_time_password_once(tclient, school_class):
    url = reverse("classes:teacher_student_add", args=[school_class.pk])
    assert tclient.get(url).status_code == 200
    response = tclient.post(url, {"username": "anna.k", "display_name": "Anna  K."})
    page = response.content.decode()
    assert response.status_code == 200 and "1 account created" in page
    assert "no-store" in response["Cache-Control"]
    student = User.objects.get(username="anna.k")
    assert student.first_name == "Anna K."
    assert Membership.objects.filter(school_class=school_class, student=student).exists()
    assert PasswordChangeRequired.objects.filter(user=student).exists()
    password = page.split("<dt>Password</dt><dd><code>")[1].split("</code>")[0]
    assert student.check_password(password)


@pytest.mark.parametrize(
    ("username", "display_name", "message"),
    [
        ("Anna.K", "Anna", "already taken"),  # another case of an existing name
        ("anna k", "Anna", "may only use letters, digits"),
        ("boris", "=HYPERLINK()", "looks like a spreadsheet formula"),
    ],
)
def test_adding_a_student_is_checked_as_a_roster_line_is(
    tclient, school_class, username, display_name, message
):
    make_user(username="anna.k")
    before = User.objects.count()
    response = tclient.post(
        reverse("classes:teacher_student_add", args=[school_class.pk]),
        {"username": username, "display_name": display_name},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert User.objects.count() == before


# --- The roster's count after a removal ---------------------------------------------------


def test_removing_a_student_by_htmx_updates_the_count_out_of_band(tclient, school_class):
    students = [make_user() for _ in range(3)]
    for student in students:
        school_class.add_student(student)
    page = tclient.get(reverse("classes:teacher_class", args=[school_class.pk])).content.decode()
    assert '<span class="muted" id="student-count">(3)</span>' in page
    response = tclient.post(
        reverse("classes:teacher_student_remove", args=[school_class.pk, students[0].pk]),
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert 'id="student-count" hx-swap-oob="true">(2)</span>' in fragment
    assert "<template>" in fragment  # beside a table row, the parser keeps only a template


def test_the_delete_page_costs_the_same_queries_however_much_work_there_is(
    tclient, school_class, django_assert_num_queries
):
    quiz = make_quiz(count=1)
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    url = _url("classes:teacher_assignment_delete", assignment)
    question = quiz.questions.get()
    make_finished_attempt(quiz=quiz, user=make_user(), results=[(question, True)])
    tclient.get(url)
    # the user, their permissions (2), the class, the assignment, what deleting takes (3)
    with django_assert_num_queries(8) as few:
        tclient.get(url)
    for _ in range(5):
        make_finished_attempt(quiz=quiz, user=make_user(), results=[(question, False)])
    with django_assert_num_queries(len(few.captured_queries)):
        page = tclient.get(url).content.decode()
    assert "6 students have started it: 6 finished attempts" in page
