"""A student downloads all their data as JSON; a curator deletes a student's account,
after which no row anywhere references that student (every foreign key is walked)."""

import datetime
import decimal
import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from corpus.models import AuditEntry
from lessons.accounts.privacy import AccountNotDeletable, delete_student_account, student_data
from lessons.accounts.roles import CURATORS, ensure_role_groups
from lessons.classes.assignments import PICKED, allow_retake, create_assignment, set_accommodation
from quizzes import curation, review
from quizzes.models import Attempt, ProblemReport, Question, Quiz, ReviewCard
from quizzes.reports import submit_report
from quizzes.taking import finish_attempt, record_answer, start_attempt
from tests.factories import make_question, make_school_class, make_teacher, make_user
from tests.reliability.figures import record

pytestmark = pytest.mark.django_db

User = get_user_model()
DOWNLOAD = "/accounts/my-data/"
DELETE = "/accounts/delete-student/"


def make_curator(**kwargs):
    user = make_user(is_staff=True, **kwargs)
    user.groups.add(ensure_role_groups()[CURATORS])
    return user


def take(quiz, user, *, right: int, now):
    """One finished attempt: the first `right` questions answered right, the rest wrong."""
    attempt = start_attempt(quiz=quiz, user=user, now=now)
    for n, pk in enumerate(attempt.question_ids):
        question = Question.objects.get(pk=pk)
        answer = question.answer if n < right else ["c"]
        record_answer(attempt=attempt, question=question, answer=answer, now=now)
    return finish_attempt(attempt=attempt, now=now)


def build_student_life(*, username: str, teacher, curator, now, edits: bool = True):
    """A student with a bit of everything Thaw keeps about a student."""
    student = make_user(
        username=username, first_name=username.title(), last_name="K.", email=f"{username}@ex.org"
    )
    school_class = make_school_class(name=f"Class of {username}", teachers=[teacher])
    school_class.add_student(student)
    questions = [
        make_question(stem=f"{username}: which name completes sentence {n}?") for n in range(3)
    ]
    practice = create_assignment(
        school_class=school_class,
        teacher=teacher,
        what=PICKED,
        question_ids=[q.pk for q in questions],
        rules={"mode": Quiz.Mode.PRACTICE},
        title=f"Practice for {username}",
    )
    secret = create_assignment(
        school_class=school_class,
        teacher=teacher,
        what=PICKED,
        question_ids=[q.pk for q in questions],
        rules={
            "mode": Quiz.Mode.TEST,
            "reveal_answers": Quiz.Reveal.AFTER_DUE,
            "due_at": now + datetime.timedelta(days=3),
        },
        title=f"Test for {username}",
    )
    take(practice.quiz, student, right=2, now=now - datetime.timedelta(days=2))
    take(secret.quiz, student, right=1, now=now - datetime.timedelta(hours=1))
    submit_report(user=student, question=questions[0], reason="typo", comment=f"{username} says")
    set_accommodation(
        assignment=secret,
        student_id=student.pk,
        time_multiplier=decimal.Decimal("1.5"),
        extra_minutes=0,
        extra_attempts=1,
        due_at=None,
        note=f"extra time for {username}",
    )
    allow_retake(assignment=practice, student=student, teacher=teacher)
    # A review quiz of their own (owned by the student), started.
    ReviewCard.objects.filter(user=student).update(due_at=now - datetime.timedelta(days=1))
    review_quiz = review.build_review_quiz(user=student, now=now)
    start_attempt(quiz=review_quiz, user=student, now=now)
    if edits:
        # A curator rewords a question after the student answered it.
        curation.edit_question(
            question=questions[1],
            user=curator,
            stem=f"{username}: reworded later",
            options=questions[1].options,
            answer=questions[1].answer,
            explanation="",
        )
    # Rows that name the account without a foreign key.
    AccessLog.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="x", http_accept="x", path_info="/"
    )
    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.1",
        user_agent="x",
        http_accept="x",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    LogEntry.objects.create(
        user=curator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(student.pk),
        object_repr=username,
        action_flag=CHANGE,
    )
    return student


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def people(now):
    teacher = make_teacher(username="tamara")
    curator = make_curator(username="konstantin")
    anna = build_student_life(username="anna", teacher=teacher, curator=curator, now=now)
    boris = build_student_life(username="boris", teacher=teacher, curator=curator, now=now)
    return {"teacher": teacher, "curator": curator, "anna": anna, "boris": boris}


def download(client, user):
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return response, json.loads(response.content)


# --- Download -------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_students_own_data(client, people):
    response, data = download(client, people["anna"])
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="thaw-data-anna-')
    assert "no-store" in response["Cache-Control"]
    assert data["account"]["username"] == "anna"
    assert data["account"]["email"] == "anna@ex.org"
    assert data["account"]["date_joined"]
    assert [c["name"] for c in data["classes"]] == ["Class of anna"]
    quizzes = [a["quiz"] for a in data["attempts"]]
    assert "Practice for anna" in quizzes and "Test for anna" in quizzes
    practice = next(a for a in data["attempts"] if a["quiz"] == "Practice for anna")
    assert practice["score"] == 2 and practice["max_score"] == 3
    assert [r["correct"] for r in practice["responses"]] == [True, True, False]
    assert practice["responses"][0]["answer"] == ["Yezhov"]
    assert practice["responses"][2]["answer"] == ["Beria"]
    # The stem as the student saw it, not as a curator reworded it afterwards.
    stems = [r["question"] for r in practice["responses"]]
    assert "anna: which name completes sentence 1?" in stems
    assert "anna: reworded later" not in stems
    assert data["review_cards"] and all("anna" in c["question"] for c in data["review_cards"])
    assert [r["comment"] for r in data["problem_reports"]] == ["anna says"]
    assert [a["note"] for a in data["accommodations"]] == ["extra time for anna"]
    assert data["accommodations"][0]["time_multiplier"] == "1.50"
    assert [r["assignment"] for r in data["retakes"]] == ["Practice for anna"]


def test_download_holds_nobody_elses_data(client, people):
    response, _ = download(client, people["anna"])
    text = response.content.decode()
    assert "boris" not in text.lower()
    assert "tamara" not in text and "konstantin" not in text


def test_download_never_reveals_what_the_results_page_still_withholds(client, people):
    _, data = download(client, people["anna"])
    test = next(a for a in data["attempts"] if a["quiz"] == "Test for anna")
    # Reveal after the due date, which is three days away: marks withheld, score shown.
    assert test["score"] == 1
    assert {r["correct"] for r in test["responses"]} == {None}
    assert "answer_key" not in json.dumps(data) and '"key"' not in json.dumps(data)


def test_download_needs_a_login_and_cannot_name_another_account(client, people):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # There is no parameter naming an account: whatever is asked, you get your own.
    for user in (people["boris"], people["teacher"]):
        client.force_login(user)
        response = client.get(DOWNLOAD, {"user": people["anna"].pk, "username": "anna"})
        data = json.loads(response.content)
        assert data["account"]["username"] == user.username
        assert "anna" not in response.content.decode()


def test_download_is_a_get_only(client, people):
    client.force_login(people["anna"])
    assert client.post(DOWNLOAD).status_code == 405


def test_dashboard_links_to_the_download(client, people):
    client.force_login(people["anna"])
    assert f'href="{DOWNLOAD}"' in client.get(reverse("classes:dashboard")).content.decode()


def test_download_costs_the_same_queries_however_much_was_done(
    client, people, now, django_assert_num_queries
):
    for user in (make_user(username="newcomer"), people["anna"]):
        # The eight reads of lessons.accounts.privacy.student_data, however much the student did.
        with django_assert_num_queries(8):
            student_data(user=user, now=now)
        client.force_login(user)
        client.get(DOWNLOAD)  # the session is read (and cached) once
        # The view adds only the session and the user.
        with django_assert_num_queries(10, exact=False):
            client.get(DOWNLOAD)


# --- Deletion -------------------------------------------------------------------------------


def user_references(user_id: int) -> dict[str, int]:
    """Rows in every table that point at `user_id` through a relation to the user model,
    auto-created many-to-many tables included."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # a reverse relation: the other model's field is walked there
            if not (field.is_relation and field.related_model is User):
                continue
            if isinstance(field, models.ForeignKey):  # OneToOneField included
                count = model._default_manager.filter(**{field.attname: user_id}).count()
            elif isinstance(field, models.ManyToManyField):
                count = model._default_manager.filter(**{field.name: user_id}).count()
            else:
                continue
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def relations_to_user() -> list[str]:
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is User
    ]


def test_curator_deletes_a_student_and_no_row_references_them(client, people):
    anna, boris = people["anna"], people["boris"]
    before = user_references(anna.pk)
    # The walk sees the student everywhere they left a trace, so "none after" means something.
    for expected in (
        "lessons.Membership.student",
        "quizzes.Attempt.user",
        "quizzes.ReviewCard.user",
        "quizzes.ProblemReport.user",
        "quizzes.QuizOverride.user",
        "quizzes.Quiz.owner",
        "lessons.Retake.student",
        "quizzes.Audience_members.user",
        "lessons.SchoolClass.students",
    ):
        assert expected in before, expected
    boris_before = user_references(boris.pk)

    client.force_login(people["curator"])
    page = client.get(DELETE, {"username": "ANNA"})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="student"' in html and "csrfmiddlewaretoken" in html
    response = client.post(DELETE, {"student": anna.pk}, follow=True)
    assert response.status_code == 200
    assert f"Deleted student account #{anna.pk}" in response.content.decode()

    assert not User.objects.filter(pk=anna.pk).exists()
    assert user_references(anna.pk) == {}
    # Rows that named her without a foreign key are gone too.
    assert not AccessLog.objects.filter(username="anna").exists()
    assert not AccessAttempt.objects.filter(username="anna").exists()
    assert not LogEntry.objects.filter(object_id=str(anna.pk), object_repr="anna").exists()
    # Her report stays for the curators, without author or comment.
    report = ProblemReport.objects.get(question__stem__startswith="anna:")
    assert report.user_id is None and report.comment == ""
    # Another student's data is untouched.
    assert user_references(boris.pk) == boris_before
    assert Attempt.objects.filter(user=boris).count() == 3

    figures = [
        f"- Relations to the user model walked: {len(relations_to_user())} "
        "(foreign keys, one-to-ones and many-to-many tables of every installed app).",
        f"- A student with classes, attempts, reviews, a report, an accommodation and a retake "
        f"left {sum(before.values())} referencing rows in {len(before)} relations; after "
        "deletion: 0.",
    ]
    record("privacy", figures, title="Deleting a student's account")


def test_deletion_is_audited_without_personal_data(people):
    anna = people["anna"]
    deleted = delete_student_account(curator=people["curator"], student_id=anna.pk)
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.user == people["curator"]
    assert entry.changes["account"] == f"student account #{anna.pk}"
    assert entry.changes["rows"]["quizzes.Attempt"] == 3 == deleted.rows["quizzes.Attempt"]
    stored = json.dumps([entry.object_label, entry.object_id, entry.changes])
    assert "anna" not in stored.lower() and "K." not in stored


def test_delete_page_refuses_curators_teachers_and_staff(client, people):
    curator = people["curator"]
    other_curator = make_curator(username="vera")
    staff = make_user(username="stas", is_staff=True)
    client.force_login(curator)
    for target in (other_curator, people["teacher"], staff, curator):
        html = client.get(DELETE, {"username": target.username}).content.decode()
        assert "not a student account" in html and 'name="student"' not in html
        response = client.post(DELETE, {"student": target.pk}, follow=True)
        assert "Only student accounts can be deleted here" in response.content.decode()
        assert User.objects.filter(pk=target.pk).exists()
    assert not AuditEntry.objects.filter(action="account.delete").exists()


def test_students_and_teachers_cannot_reach_the_delete_page(client, people):
    anna = people["anna"]
    for user in (people["boris"], people["teacher"], make_user(username="stas", is_staff=True)):
        client.force_login(user)
        assert client.get(DELETE, {"username": "anna"}).status_code == 403
        assert client.post(DELETE, {"student": anna.pk}).status_code == 403
    client.logout()
    assert client.post(DELETE, {"student": anna.pk}).status_code == 302  # to the login page
    assert User.objects.filter(pk=anna.pk).exists()


def test_delete_needs_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["curator"])
    assert client.post(DELETE, {"student": people["anna"].pk}).status_code == 403
    assert User.objects.filter(pk=people["anna"].pk).exists()


def test_bad_or_missing_account_gives_a_message_not_an_error(client, people):
    client.force_login(people["curator"])
    for value in ("", "abc", "999999"):
        response = client.post(DELETE, {"student": value}, follow=True)
        assert response.status_code == 200
    html = client.get(DELETE, {"username": "nobody-here"}).content.decode()
    assert "No account has the username" in html


def test_domain_function_refuses_a_curator(people):
    with pytest.raises(AccountNotDeletable):
        delete_student_account(curator=people["curator"], student_id=make_curator().pk)


def test_admin_user_page_links_curators_to_the_delete_page(client, people):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:auth_user_change", args=[people["anna"].pk])
    html = client.get(url).content.decode()
    assert f"{DELETE}?username=anna" in html
