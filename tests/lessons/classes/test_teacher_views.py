"""A teacher's pages and actions: classes, join codes, rosters, assignments,
accommodations, retakes; and the whole journey from a new class to item analysis."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lessons.classes.assignments import student_assignments
from lessons.models import Assignment, Membership, Retake, SchoolClass
from quizzes.models import Attempt, Question, Quiz, QuizOverride
from quizzes.taking import finish_attempt, record_answer, start_attempt
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_module,
    make_passage,
    make_question,
    make_quiz,
    make_school_class,
    make_section,
    make_source,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    return make_teacher(username="tamara", first_name="Tamara")


@pytest.fixture
def school_class(teacher):
    return make_school_class(name="10B", teachers=[teacher])


@pytest.fixture
def tclient(client, teacher):
    client.force_login(teacher)
    return client


def build_module(*, slug: str, ordinal: int, questions: int = 4):
    """A module citing `questions` passages, with one published question on each."""
    source = make_source(slug=f"src-{slug}", title=f"Source {slug}")
    module = make_module(slug=slug, title=f"Lesson {slug}", ordinal=ordinal)
    passages = [
        make_passage(source=source, key=f"{slug}-{i}", text=f"Fact {slug} {i} was stated.")
        for i in range(questions)
    ]
    make_section(
        module=module,
        body=" ".join(
            f'Claim {i}.[^src-{slug}: "fact {slug} {i} was stated"]' for i in range(questions)
        ),
    )
    made = [
        make_question(
            passage=p,
            explanation_quote=p.text,
            options=[
                {"id": "a", "text": f"Right {n}"},
                {"id": "b", "text": f"Wrong {n}"},
                {"id": "c", "text": f"Other {n}"},
            ],
        )
        for n, p in enumerate(passages)
    ]
    return module, made


# --- Classes ------------------------------------------------------------------------


def test_a_teacher_creates_a_class_and_is_its_teacher(tclient, teacher):
    response = tclient.post(reverse("classes:teacher_classes"), {"name": "  11A   History "})
    school_class = SchoolClass.objects.get()
    assert response["Location"] == reverse("classes:teacher_class", args=[school_class.pk])
    assert school_class.name == "11A History"
    assert list(school_class.teachers.all()) == [teacher]


def test_a_class_without_a_name_is_refused_with_a_message(tclient):
    response = tclient.post(reverse("classes:teacher_classes"), {"name": "   "})
    assert response.status_code == 200 and b"Give the class a name." in response.content
    assert not SchoolClass.objects.exists()


def test_the_class_list_shows_an_empty_state_then_the_classes(tclient, teacher):
    assert b"No classes yet." in tclient.get(reverse("classes:teacher_classes")).content
    make_school_class(name="9C", teachers=[teacher], students=[make_user()])
    content = tclient.get(reverse("classes:teacher_classes")).content
    assert b"9C" in content and b"1 student " in content


def test_regenerating_the_code_stops_the_old_one_and_htmx_gets_the_panel(tclient, school_class):
    old = school_class.join_code
    response = tclient.post(
        reverse("classes:teacher_join_code", args=[school_class.pk]), HTTP_HX_REQUEST="true"
    )
    school_class.refresh_from_db()
    assert school_class.join_code != old
    assert response.content.decode().lstrip().startswith('<section id="join-panel"')
    assert school_class.join_code.encode() in response.content
    plain = tclient.post(reverse("classes:teacher_join_code", args=[school_class.pk]))
    assert plain.status_code == 302


def test_switching_joining_off_closes_the_code_to_students(tclient, client, school_class):
    tclient.post(reverse("classes:teacher_join_toggle", args=[school_class.pk]), {"enabled": "0"})
    school_class.refresh_from_db()
    assert school_class.join_enabled is False
    tclient.logout()
    student = make_user()
    client.force_login(student)
    response = client.post(reverse("classes:class_join"), {"join_code": school_class.join_code})
    assert b"not accepting new students" in response.content
    assert not Membership.objects.filter(student=student).exists()


def test_removing_a_student_keeps_their_account_and_work(tclient, school_class):
    student = make_user()
    school_class.add_student(student)
    quiz = make_quiz()
    make_assignment(school_class=school_class, quiz=quiz)
    attempt = make_finished_attempt(
        quiz=quiz, user=student, results=[(quiz.questions.first(), True)]
    )
    response = tclient.post(
        reverse("classes:teacher_student_remove", args=[school_class.pk, student.pk]),
        HTTP_HX_REQUEST="true",
    )
    # The row is swapped for a focused status message: the keyboard stays where it was.
    row = response.content.decode()
    assert response.status_code == 200 and f'id="member-{student.pk}"' in row
    assert 'role="status"' in row and "autofocus" in row and "was removed from the class" in row
    assert not Membership.objects.filter(student=student).exists()
    assert (
        User.objects.filter(pk=student.pk).exists()
        and Attempt.objects.filter(pk=attempt.pk).exists()
    )


def test_a_co_teacher_is_added_by_username_but_only_if_a_teacher(tclient, school_class):
    make_user(username="pupil")
    colleague = make_teacher(username="boris")
    tclient.post(
        reverse("classes:teacher_co_teacher", args=[school_class.pk]), {"username": "pupil"}
    )
    assert school_class.teachers.count() == 1
    response = tclient.post(
        reverse("classes:teacher_co_teacher", args=[school_class.pk]),
        {"username": "BORIS"},
        follow=True,
    )
    assert colleague in school_class.teachers.all()
    assert b"now co-teaches this class" in response.content


# --- Rosters -------------------------------------------------------------------------


def _upload(text: str | bytes, name: str = "roster.csv"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_roster_creates_accounts_and_shows_each_password_once(tclient, school_class):
    response = tclient.post(
        reverse("classes:teacher_roster", args=[school_class.pk]),
        {"roster": _upload("username,display_name\nanna.k,Anna K.\nboris.p,Boris P.\n")},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"shown only once" in response.content
    anna = User.objects.get(username="anna.k")
    assert school_class.memberships.count() == 2
    password = response.context["created"][0].password
    assert password.encode() in response.content and anna.check_password(password)
    # Nothing keeps the password: the class page does not show it again.
    assert (
        password.encode()
        not in tclient.get(reverse("classes:teacher_class", args=[school_class.pk])).content
    )


@pytest.mark.parametrize(
    "data,expected",
    [
        ("name,email\nanna,a@example.com\n", b"The first line must be the header"),
        ("username,display_name\nanna,Anna\nanna,Anna again\n", b"Line 3:"),
        ("username,display_name\ntaken,Taken\n", b"already taken"),
        ("", b"Choose a CSV file"),
        (
            "username,display_name\nzoe,Zoë\n".encode("latin-1"),
            b"not UTF-8",
        ),
        ("username,display_name\nanna,=cmd|' /C calc'!A0\n", b"formula"),
        (b"username,display_name\n" + b"x" * (10 * 1024 * 1024), b"too large"),
    ],
)
def test_a_bad_roster_lists_the_problems_and_creates_nobody(tclient, school_class, data, expected):
    make_user(username="taken")
    users = User.objects.count()
    response = tclient.post(
        reverse("classes:teacher_roster", args=[school_class.pk]), {"roster": _upload(data)}
    )
    assert response.status_code == 400  # a refused file, as the other upload pages
    assert expected in response.content
    assert User.objects.count() == users and school_class.memberships.count() == 0


def test_a_roster_with_one_bad_line_creates_none_of_the_good_ones(tclient, school_class):
    lines = ["username,display_name"] + [f"s{i},Student {i}" for i in range(10)] + ["bad name,Bad"]
    response = tclient.post(
        reverse("classes:teacher_roster", args=[school_class.pk]),
        {"roster": _upload("\n".join(lines))},
    )
    assert b"Line 12:" in response.content and b"Nothing was imported" in response.content
    assert not User.objects.filter(username__startswith="s").exists()


# --- Assignments ------------------------------------------------------------------------

RULES = {
    "mode": "test",
    "reveal_answers": "after_due",
    "attempts_allowed": "2",
    "time_limit_minutes": "20",
}


def test_assigning_a_lesson_copies_its_quiz_with_this_classs_rules(tclient, school_class):
    module, questions = build_module(slug="speech", ordinal=1)
    due = timezone.localtime() + datetime.timedelta(days=3)
    response = tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {
            "what": "lesson",
            "module": module.pk,
            "due_at": due.strftime("%Y-%m-%dT%H:%M"),
            "shuffle_options": "on",
            **RULES,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    quiz = assignment.quiz
    assert (assignment.module, assignment.title) == (module, f"Lesson: {module.title}")
    assert (quiz.mode, quiz.attempts_allowed, quiz.time_limit_minutes, quiz.reveal_answers) == (
        "test",
        2,
        20,
        "after_due",
    )
    assert quiz.shuffle_options and not quiz.shuffle_questions
    assert quiz.due_at is not None and abs(quiz.due_at - due) < datetime.timedelta(minutes=1)
    # A test: its pool is the lesson's every question, ten drawn for each student.
    assert set(quiz.questions.all()) == set(questions) and quiz.draw_count == 10
    # No quiz with a key (the lesson's own, open to all) takes the class's rules.
    assert not Quiz.objects.filter(key__isnull=False, due_at__isnull=False).exists()


def test_two_classes_given_the_same_lesson_get_separate_quizzes(tclient, teacher, school_class):
    module, _ = build_module(slug="leak", ordinal=2)
    other = make_school_class(teachers=[teacher])
    for target in (school_class, other):
        tclient.post(
            reverse("classes:teacher_assign", args=[target.pk]),
            {"what": "module_quiz", "module": module.pk, **RULES},
        )
    first, second = Assignment.objects.all()
    assert first.quiz_id != second.quiz_id


def test_assigning_a_whole_source_quiz(tclient, school_class):
    _module, questions = build_module(slug="src", ordinal=3)
    source = questions[0].passage.source
    tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {"what": "source_quiz", "source": source.pk, **RULES},
    )
    quiz = Assignment.objects.get().quiz
    assert quiz.kind == Quiz.Kind.SOURCE and quiz.questions.count() == 4


def test_picking_questions_lists_the_filtered_bank_then_assigns_the_ticked_ones(
    tclient, school_class
):
    _module, questions = build_module(slug="pick", ordinal=1)
    hard = make_question(
        difficulty=Question.Difficulty.HARD, stem="A hard question from elsewhere?"
    )
    preview = tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {"what": "picked", "difficulties": ["hard"], "preview": "1", **RULES},
    )
    assert b"A hard question from elsewhere?" in preview.content
    assert questions[0].stem.encode() not in preview.content
    assert not Assignment.objects.exists()
    tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {
            "what": "picked",
            "question_ids": [hard.pk],
            "difficulties": ["hard"],
            "title": "Hard one",
            **RULES,
        },
    )
    assignment = Assignment.objects.get()
    assert assignment.title == "Hard one" and list(assignment.quiz.questions.all()) == [hard]


def test_a_random_draw_takes_n_questions_from_the_filtered_pool(tclient, school_class):
    module, questions = build_module(slug="draw", ordinal=1, questions=6)
    make_question()  # outside the lesson: never drawn
    tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {"what": "drawn", "module": module.pk, "count": "3", **RULES},
    )
    quiz = Assignment.objects.get().quiz
    # The filtered bank is the pool; each student's attempt draws three of it.
    assert set(quiz.questions.all()) == set(questions) and quiz.draw_count == 3


def test_assigning_with_no_matching_questions_says_so_and_creates_nothing(tclient, school_class):
    make_module(slug="empty", title="Empty lesson")
    module = make_module(slug="empty2")
    response = tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {"what": "lesson", "module": module.pk, **RULES},
    )
    assert b"no published questions" in response.content
    assert (
        not Assignment.objects.exists()
        and not Quiz.objects.filter(kind="module", owner__isnull=False).exists()
    )


def test_a_due_date_before_the_opening_date_is_refused(tclient, school_class):
    module, _ = build_module(slug="dates", ordinal=1)
    response = tclient.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {
            "what": "lesson",
            "module": module.pk,
            "opens_at": "2030-05-02T10:00",
            "due_at": "2030-05-01T10:00",
            **RULES,
        },
    )
    assert b"The due date must be after the opening date." in response.content
    assert not Assignment.objects.exists()


# --- Accommodations and retakes -----------------------------------------------------------


def test_an_accommodation_becomes_the_students_quiz_rules_and_shows_in_the_gradebook(
    tclient, school_class
):
    student = make_user(first_name="Vera")
    school_class.add_student(student)
    quiz = make_quiz(time_limit_minutes=20, attempts_allowed=1)
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    url = reverse(
        "classes:teacher_accommodation", args=[school_class.pk, assignment.pk, student.pk]
    )
    assert tclient.get(url).status_code == 200
    tclient.post(
        url,
        {
            "time_multiplier": "1.5",
            "extra_minutes": "5",
            "extra_attempts": "1",
            "due_at": "",
            "note": "IEP",
        },
    )
    rules = quiz.rules_for(student)
    assert (rules.time_limit_minutes, rules.attempts_allowed) == (35, 2)
    book = tclient.get(
        reverse("classes:teacher_gradebook", args=[school_class.pk])
    ).content.decode()
    assert "Accommodation: time ×1.5, +5 min, +1 attempt" in book
    tclient.post(
        url, {"time_multiplier": "", "extra_minutes": "0", "extra_attempts": "0", "due_at": ""}
    )
    assert not QuizOverride.objects.exists()


def test_a_retake_asks_only_what_the_student_got_wrong_and_is_theirs_alone(tclient, school_class):
    student = make_user()
    school_class.add_student(student)
    right, wrong1, wrong2 = make_question(), make_question(), make_question()
    quiz = make_quiz(questions=[right, wrong1, wrong2], mode="test")
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(
        quiz=quiz, user=student, results=[(right, True), (wrong1, False), (wrong2, False)]
    )
    response = tclient.post(
        reverse("classes:teacher_retake", args=[school_class.pk, assignment.pk, student.pk]),
        follow=True,
    )
    assert b"may now retake the 2 questions" in response.content
    retake = Retake.objects.get()
    assert (retake.quiz.kind, retake.quiz.owner) == (Quiz.Kind.RETAKE, student)
    assert [i.question for i in retake.quiz.items.order_by("position")] == [wrong1, wrong2]
    attempt = start_attempt(quiz=retake.quiz, user=student, now=timezone.now())
    assert attempt.question_ids == [wrong1.pk, wrong2.pk]
    assert retake.quiz not in Quiz.objects.available_to(make_user())


def test_a_retake_is_refused_when_nothing_was_finished_or_missed(tclient, school_class):
    student = make_user()
    school_class.add_student(student)
    question = make_question()
    quiz = make_quiz(questions=[question])
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    url = reverse("classes:teacher_retake", args=[school_class.pk, assignment.pk, student.pk])
    assert b"has not finished this assignment yet" in tclient.post(url, follow=True).content
    make_finished_attempt(quiz=quiz, user=student, results=[(question, True)])
    assert b"nothing to retake" in tclient.post(url, follow=True).content
    assert not Retake.objects.exists()


def test_the_teacher_sees_a_students_answers_and_the_key(tclient, school_class):
    student = make_user(first_name="Pyotr")
    school_class.add_student(student)
    question = make_question()
    quiz = make_quiz(questions=[question], reveal_answers="never")
    make_assignment(school_class=school_class, quiz=quiz)
    attempt = make_finished_attempt(quiz=quiz, user=student, results=[(question, False)])
    page = tclient.get(reverse("classes:teacher_student", args=[school_class.pk, student.pk]))
    assert (
        reverse("classes:teacher_attempt", args=[school_class.pk, attempt.pk]).encode()
        in page.content
    )
    detail = tclient.get(
        reverse("classes:teacher_attempt", args=[school_class.pk, attempt.pk])
    ).content.decode()
    assert "Correct answer: <strong>Yezhov</strong>" in detail and "Wrong" in detail


def test_students_see_their_assignments_with_due_and_late_states():
    student = make_user()
    school_class = make_school_class(students=[student])
    now = timezone.now()
    soon = make_assignment(
        school_class=school_class,
        quiz=make_quiz(due_at=now + datetime.timedelta(days=1)),
        title="Soon",
    )
    missed = make_assignment(
        school_class=school_class,
        quiz=make_quiz(due_at=now - datetime.timedelta(days=1)),
        title="Missed",
    )
    make_assignment(
        school_class=school_class,
        quiz=make_quiz(opens_at=now + datetime.timedelta(days=1)),
        title="Not open",
    )
    make_assignment(school_class=make_school_class(), quiz=make_quiz(), title="Other class")
    # In the class before "Missed" was due (one who joined after it is not late at all).
    Membership.objects.filter(student=student).update(joined_at=now - datetime.timedelta(days=9))
    states = {s.assignment.title: s.state for s in student_assignments(user=student, now=now)}
    assert states == {"Soon": "todo", "Missed": "missed"}
    assert soon and missed


def test_an_accommodations_due_date_never_gives_an_undated_assignment_a_deadline():
    student = make_user()
    school_class = make_school_class(students=[student])
    now = timezone.now()
    undated = make_assignment(school_class=school_class, quiz=make_quiz(), title="Undated")
    QuizOverride.objects.create(
        quiz=undated.quiz, user=student, due_at=now - datetime.timedelta(days=1)
    )
    (item,) = student_assignments(user=student, now=now)
    # As Quiz.rules_for says: an override extends a due date, it never adds one.
    assert item.due_at is None and item.state == "todo"


# --- The whole journey ---------------------------------------------------------------------


def test_a_new_teacher_from_class_to_item_analysis(client, django_capture_on_commit_callbacks):
    build_module(slug="secret-speech", ordinal=1)
    module2, questions = build_module(slug="the-leak", ordinal=2, questions=5)
    teacher = make_teacher(username="newteacher")
    client.force_login(teacher)

    client.post(reverse("classes:teacher_classes"), {"name": "Journey class"})
    school_class = teacher.taught_classes.get()

    roster = "username,display_name\n" + "".join(f"pupil{i:02},Pupil {i}\n" for i in range(30))
    page = client.post(
        reverse("classes:teacher_roster", args=[school_class.pk]), {"roster": _upload(roster)}
    )
    assert page.status_code == 200 and page.content.count(b'class="password-slip"') == 30
    assert school_class.memberships.count() == 30

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    client.post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {
            "what": "lesson",
            "module": module2.pk,
            "mode": "test",
            "reveal_answers": "after_due",
            "due_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
            "attempts_allowed": "1",
        },
    )
    assignment = school_class.assignments.get()
    assert assignment.quiz.mode == "test"

    book = client.get(reverse("classes:teacher_gradebook", args=[school_class.pk])).content.decode()
    assert book.count("Not started") == 30

    # Ten students take the test; the first question is the class's blind spot.
    now = timezone.now()
    for i in range(10):
        student = User.objects.get(username=f"pupil{i:02}")
        attempt = start_attempt(quiz=assignment.quiz, user=student, now=now)
        for question in Question.objects.filter(pk__in=attempt.question_ids):
            wrong = question == questions[0] and i < 7
            record_answer(
                attempt=attempt, question=question, answer=["b"] if wrong else ["a"], now=now
            )
        finish_attempt(attempt=attempt, now=now)
    in_progress = start_attempt(
        quiz=assignment.quiz, user=User.objects.get(username="pupil29"), now=now
    )
    assert in_progress.finished_at is None

    book = client.get(reverse("classes:teacher_gradebook", args=[school_class.pk])).content.decode()
    assert book.count('class="cell cell-done"') == 10
    assert book.count('class="cell cell-in_progress"') == 1
    assert "10 of 30 done" in book

    export = client.get(reverse("classes:teacher_gradebook_csv", args=[school_class.pk]))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 31
    scores = {row[1]: row[2] for row in rows[1:]}
    assert scores["pupil00"] == "80" and scores["pupil09"] == "100" and scores["pupil20"] == ""

    analysis = client.get(
        reverse("classes:teacher_item_analysis", args=[school_class.pk, assignment.pk])
    )
    items = analysis.context["items"]
    assert items[0].question == questions[0] and items[0].wrong == 7
    assert "70% wrong" in analysis.content.decode()
    assert questions[0].passage.get_absolute_url() in analysis.content.decode()


def test_a_student_sees_a_retake_until_they_finish_it():
    from lessons.classes.assignments import allow_retake, student_retakes

    teacher, student = make_teacher(), make_user()
    school_class = make_school_class(teachers=[teacher], students=[student])
    question = make_question()
    quiz = make_quiz(questions=[question])
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    make_finished_attempt(quiz=quiz, user=student, results=[(question, False)])
    retake = allow_retake(assignment=assignment, student=student, teacher=teacher)
    assert student_retakes(user=student) == [retake]
    assert student_retakes(user=teacher) == []
    attempt = start_attempt(quiz=retake.quiz, user=student, now=timezone.now())
    finish_attempt(attempt=attempt, now=timezone.now())
    assert student_retakes(user=student) == []


@pytest.mark.parametrize("size", [2, 25])
def test_teacher_pages_run_a_fixed_number_of_queries(
    tclient, teacher, school_class, django_assert_num_queries, size
):
    students = [make_user() for _ in range(size)]
    for student in students:
        school_class.add_student(student)
    questions = [make_question() for _ in range(size)]
    quiz = make_quiz(questions=questions)
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    for student in students:
        make_finished_attempt(quiz=quiz, user=student, results=[(q, False) for q in questions])
    make_school_class(teachers=[teacher])
    # The session comes from the cache (config/settings.py): no query reads it.
    pages = {
        reverse("classes:teacher_classes"): 4,
        reverse("classes:teacher_class", args=[school_class.pk]): 8,
        reverse("classes:teacher_item_analysis", args=[school_class.pk, assignment.pk]): 7,
        reverse("classes:teacher_student", args=[school_class.pk, students[0].pk]): 8,
    }
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert tclient.get(url).status_code == 200


def test_the_accommodation_form_shows_the_saved_later_due_date(tclient, school_class):
    student = make_user()
    school_class.add_student(student)
    quiz = make_quiz(due_at=timezone.now())
    assignment = make_assignment(school_class=school_class, quiz=quiz)
    url = reverse(
        "classes:teacher_accommodation", args=[school_class.pk, assignment.pk, student.pk]
    )
    tclient.post(url, {"due_at": "2031-03-05T09:30", "extra_minutes": "", "extra_attempts": ""})
    assert QuizOverride.objects.get().due_at is not None
    assert b'value="2031-03-05T09:30"' in tclient.get(url).content


@pytest.mark.parametrize("size", [1, 12])
def test_a_students_assignments_take_two_queries_however_many(django_assert_num_queries, size):
    student = make_user()
    school_class = make_school_class(students=[student])
    for _ in range(size):
        quiz = make_quiz(count=1, due_at=timezone.now() + datetime.timedelta(days=1))
        make_assignment(school_class=school_class, quiz=quiz)
        make_finished_attempt(quiz=quiz, user=student, results=[(quiz.questions.get(), True)])
    with django_assert_num_queries(2):
        assigned = student_assignments(user=student, now=timezone.now())
    assert [a.state for a in assigned] == ["done"] * size


def test_the_student_assignment_list_shows_due_and_late_states():
    from django.template.loader import render_to_string

    student = make_user()
    school_class = make_school_class(students=[student])
    now = timezone.now()
    make_assignment(
        school_class=school_class,
        quiz=make_quiz(due_at=now - datetime.timedelta(days=1)),
        title="Missed one",
    )
    make_assignment(
        school_class=school_class,
        quiz=make_quiz(due_at=now + datetime.timedelta(days=1)),
        title="Due soon",
    )
    Membership.objects.filter(student=student).update(joined_at=now - datetime.timedelta(days=9))
    html = render_to_string(
        "lessons/teacher/_student_assignments.html",
        {"assigned": student_assignments(user=student, now=now), "retakes": []},
    )
    assert "Missed: closed" in html and "To do" in html and "Due soon" in html
    assert "No assignments yet" in render_to_string("lessons/teacher/_student_assignments.html", {})
