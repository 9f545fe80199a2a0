"""A class's assignment quizzes are for that class: its students (present, not past),
its teachers and the quiz's owner. Built-in lesson and source quizzes stay open to all."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lessons.classes.assignments import (
    PICKED,
    add_co_teacher,
    create_assignment,
    remove_student,
    student_assignments,
)
from lessons.classes.roster import RosterRow, create_roster_accounts
from quizzes.models import Attempt, Quiz
from quizzes.taking import finish_attempt, record_answer, start_attempt
from tests.factories import (
    make_question,
    make_quiz,
    make_school_class,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "kremlin-thaw-1956"


@pytest.fixture
def teacher():
    return make_teacher(username="tamara")


@pytest.fixture
def member():
    return make_user(username="masha")


@pytest.fixture
def outsider():
    return make_user(username="oleg")


@pytest.fixture
def school_class(teacher, member):
    return make_school_class(
        name="10B", teachers=[teacher], students=[member], join_code="JOIN10BB"
    )


def assign(school_class, teacher, title="Purges quiz"):
    questions = [make_question() for _ in range(2)]
    return create_assignment(
        school_class=school_class,
        teacher=teacher,
        what=PICKED,
        question_ids=[q.pk for q in questions],
        rules={"mode": Quiz.Mode.TEST},
        title=title,
    )


@pytest.fixture
def quiz(school_class, teacher):
    return assign(school_class, teacher).quiz


def detail(client, user, quiz):
    client.force_login(user)
    return client.get(reverse("quizzes:quiz_detail", args=[quiz.pk]))


def start(client, user, quiz):
    client.force_login(user)
    return client.post(reverse("quizzes:quiz_start", args=[quiz.pk]))


# --- Who may see and start --------------------------------------------------------------


def test_student_outside_the_class_gets_404_on_the_quiz_page_and_start(client, quiz, outsider):
    assert detail(client, outsider, quiz).status_code == 404
    assert start(client, outsider, quiz).status_code == 404
    assert not Attempt.objects.filter(user=outsider).exists()


def test_anonymous_visitor_gets_404_on_a_class_quiz(client, quiz):
    assert client.get(reverse("quizzes:quiz_detail", args=[quiz.pk])).status_code == 404


def test_htmx_request_from_an_outsider_gets_404_too(client, quiz, outsider):
    client.force_login(outsider)
    response = client.get(reverse("quizzes:quiz_detail", args=[quiz.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_member_sees_and_starts_the_class_quiz(client, quiz, member):
    page = detail(client, member, quiz)
    assert page.status_code == 200 and quiz.title in page.content.decode()
    response = start(client, member, quiz)
    attempt = Attempt.objects.get(user=member, quiz=quiz)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()


def test_owner_and_co_teacher_can_open_the_class_quiz(client, quiz, teacher, school_class):
    assert detail(client, teacher, quiz).status_code == 200
    colleague = make_teacher(username="ivan")
    assert detail(client, colleague, quiz).status_code == 404
    add_co_teacher(school_class=school_class, username="ivan")
    assert detail(client, colleague, quiz).status_code == 200


def test_built_in_lesson_and_source_quizzes_stay_open_to_everyone(client, outsider):
    lesson_quiz = make_quiz(key="module:the-speech", kind=Quiz.Kind.MODULE)
    source_quiz = make_quiz(key="source:the-speech", kind=Quiz.Kind.SOURCE)
    for quiz in (lesson_quiz, source_quiz):
        assert detail(client, outsider, quiz).status_code == 200
        client.logout()
        assert client.get(reverse("quizzes:quiz_detail", args=[quiz.pk])).status_code == 200


def test_another_students_retake_stays_private(client, member, outsider):
    retake = make_quiz(kind=Quiz.Kind.RETAKE, owner=member)
    assert detail(client, member, retake).status_code == 200
    assert detail(client, outsider, retake).status_code == 404


# --- Membership changes ------------------------------------------------------------------


def test_removed_student_cannot_start_but_still_sees_their_results(
    client, quiz, member, school_class, teacher
):
    now = timezone.now()
    attempt = start_attempt(quiz=quiz, user=member, now=now)
    for question_id in attempt.question_ids:
        question = quiz.questions.get(pk=question_id)
        record_answer(attempt=attempt, question=question, answer=question.answer, now=now)
    finish_attempt(attempt=attempt, now=now)

    client.force_login(teacher)
    removed = client.post(
        reverse("classes:teacher_student_remove", args=[school_class.pk, member.pk])
    )
    assert removed.status_code == 302

    assert detail(client, member, quiz).status_code == 404
    assert start(client, member, quiz).status_code == 404
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 1
    review = client.get(reverse("quizzes:attempt_review", args=[attempt.pk]))
    assert review.status_code == 200
    assert review.context["attempt"].score == 2
    assert len(review.context["rows"]) == 2
    history = client.get(reverse("classes:dashboard"))
    assert history.status_code == 200 and quiz.title in history.content.decode()


def test_removed_students_open_attempt_can_still_be_finished(client, quiz, member, school_class):
    # Answers given before removal stay theirs; the attempt is theirs to close.
    attempt = start_attempt(quiz=quiz, user=member, now=timezone.now())
    remove_student(school_class=school_class, student_id=member.pk)
    client.force_login(member)
    response = client.post(reverse("quizzes:attempt_finish", args=[attempt.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_student_who_joins_later_with_the_code_can_take_earlier_assignments(client, quiz, outsider):
    assert detail(client, outsider, quiz).status_code == 404
    joined = client.post(reverse("classes:class_join"), {"join_code": "JOIN10BB"})
    assert joined.status_code == 302
    assert detail(client, outsider, quiz).status_code == 200
    assert start(client, outsider, quiz).status_code == 302


def test_student_who_signs_up_with_the_code_can_take_the_class_quiz(client, quiz):
    client.post(
        "/accounts/signup/",
        {
            "join_code": "JOIN10BB",
            "username": "nadia",
            "display_name": "Nadia K.",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    nadia = User.objects.get(username="nadia")
    assert detail(client, nadia, quiz).status_code == 200


def test_students_imported_from_a_roster_can_take_the_class_quiz(client, quiz, teacher):
    client.force_login(teacher)
    csv = b"username,display_name\nanna.k,Anna K.\n"
    response = client.post(
        reverse("classes:teacher_roster", args=[quiz.assignment.school_class.pk]),
        {"roster": SimpleUploadedFile("roster.csv", csv, content_type="text/csv")},
    )
    assert response.status_code == 200
    anna = User.objects.get(username="anna.k")
    # Sent to choose her own password first (tests/lessons/accounts/test_one_time_passwords.py) ...
    assert detail(client, anna, quiz)["Location"] == reverse("password_change")
    anna.password_change_required.delete()  # ... as changing it does
    assert detail(client, anna, quiz).status_code == 200


def test_roster_function_adds_accounts_to_the_audience(school_class, quiz):
    created = create_roster_accounts(
        school_class=school_class, rows=[RosterRow(2, "pavel", "Pavel")]
    )
    assert quiz in Quiz.objects.available_to(created[0].user)


def test_a_student_in_two_classes_keeps_one_after_leaving_the_other(
    client, teacher, member, school_class, quiz
):
    other_class = make_school_class(name="11A", teachers=[teacher], students=[member])
    other_quiz = assign(other_class, teacher, title="11A quiz").quiz
    remove_student(school_class=school_class, student_id=member.pk)
    available = set(Quiz.objects.available_to(member))
    assert other_quiz in available and quiz not in available


def test_class_made_in_the_admin_gets_its_audience_when_students_change(admin_client, outsider):
    school_class = make_school_class(name="Made in admin")
    teacher = make_teacher(username="boris")
    quiz = assign(school_class, teacher).quiz
    assert quiz not in Quiz.objects.available_to(outsider)
    url = reverse("admin:lessons_schoolclass_change", args=[school_class.pk])
    response = admin_client.post(
        url,
        {
            "name": school_class.name,
            "join_code": school_class.join_code,
            "join_enabled": "on",
            "teachers": [],
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-student": str(outsider.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert quiz in Quiz.objects.available_to(outsider)


# --- Lists -------------------------------------------------------------------------------


def test_students_lists_show_only_their_own_classes_quizzes(client, teacher, member, quiz):
    other_class = make_school_class(name="11A", teachers=[teacher], students=[make_user()])
    other_quiz = assign(other_class, teacher, title="Only for 11A").quiz
    public = make_quiz(key="module:open-lesson", kind=Quiz.Kind.MODULE)

    available = set(Quiz.objects.available_to(member))
    assert quiz in available and public in available and other_quiz not in available
    assigned = [
        item.assignment.quiz for item in student_assignments(user=member, now=timezone.now())
    ]
    assert assigned == [quiz]

    client.force_login(member)
    html = client.get(reverse("classes:dashboard")).content.decode()
    assert "Purges quiz" in html and "Only for 11A" not in html


def test_availability_is_one_query_without_duplicate_rows(
    teacher, member, school_class, quiz, django_assert_num_queries
):
    # The teacher owns the quiz and is in its audience, with a class of students:
    # a join through the members would list the quiz once per member.
    for n in range(3):
        school_class.add_student(make_user(username=f"extra{n}"))
    with django_assert_num_queries(1):
        owned = list(Quiz.objects.available_to(teacher).filter(pk=quiz.pk))
    assert owned == [quiz]
    assert Quiz.objects.available_to(member).filter(pk=quiz.pk).count() == 1


# --- The data migration ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_restricts_existing_assignment_quizzes_to_their_class():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("lessons", "0003_assignments_retakes"), ("quizzes", "0006_quiz_audience")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldUser = old.get_model("auth", "User")
    student = OldUser.objects.create(username="old-student")
    teacher = OldUser.objects.create(username="old-teacher")
    OldUser.objects.create(username="stranger")
    school_class = old.get_model("lessons", "SchoolClass").objects.create(
        name="Old class", join_code="OLDCLASS"
    )
    school_class.teachers.add(teacher)
    old.get_model("lessons", "Membership").objects.create(
        school_class=school_class, student=student
    )
    quiz = old.get_model("quizzes", "Quiz").objects.create(title="Old assignment", owner=teacher)
    built_in = old.get_model("quizzes", "Quiz").objects.create(
        title="Lesson quiz", key="module:old", kind="module"
    )
    old.get_model("lessons", "Assignment").objects.create(
        school_class=school_class, quiz=quiz, title="Old assignment"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    def visible(username):
        return set(
            Quiz.objects.available_to(User.objects.get(username=username)).values_list(
                "title", flat=True
            )
        )

    assert visible("old-student") == {"Old assignment", "Lesson quiz"}
    assert visible("old-teacher") == {"Old assignment", "Lesson quiz"}
    assert visible("stranger") == {"Lesson quiz"}
    assert built_in.pk and Quiz.objects.get(pk=built_in.pk).audience_id is None


def test_demo_class_audience_holds_its_teacher_and_student():
    from lessons.accounts.demo import ensure_demo_accounts
    from lessons.models import SchoolClass

    ensure_demo_accounts()
    demo = SchoolClass.objects.get(join_code="THAW1956")
    members = set(demo.audience.members.values_list("username", flat=True))
    assert members == {"teacher", "student"}
