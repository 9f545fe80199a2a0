"""A roster account's printed password works once: at its first log-in it must choose its own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.accounts.middleware import MESSAGE
from lessons.classes.roster import create_roster_accounts, parse_roster
from lessons.models import PasswordChangeRequired
from tests.factories import make_quiz, make_school_class, make_teacher, make_user

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password_change/"
NEW_PASSWORD = "a-password-of-my-own-1956"


@pytest.fixture
def school_class():
    return make_school_class(name="10B History")


@pytest.fixture
def roster_student(school_class):
    rows = parse_roster(data=b"username,display_name\nanna.k,Anna K.\n").rows
    [account] = create_roster_accounts(school_class=school_class, rows=rows)
    return account


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def change_password(client, old: str, new: str = NEW_PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_roster_import_marks_each_account_to_change_its_password(roster_student):
    assert PasswordChangeRequired.objects.filter(user=roster_student.user).exists()


def test_the_printable_passwords_page_says_they_must_be_changed_at_first_log_in(
    client, school_class
):
    teacher = make_teacher()
    school_class.teachers.add(teacher)
    client.force_login(teacher)
    response = client.post(
        reverse("classes:teacher_roster", args=[school_class.pk]),
        {"roster": SimpleUploadedFile("roster.csv", b"username,display_name\nanna.k,Anna K.\n")},
    )
    html = response.content.decode()
    assert "students must choose a password of their own" in html
    assert "choose your own password: this one works only once" in html  # on the slip
    assert PasswordChangeRequired.objects.filter(user__username="anna.k").exists()


def test_a_roster_student_is_sent_to_change_the_printed_password_at_log_in(client, roster_student):
    log_in(client, "anna.k", roster_student.password)
    response = client.get(reverse("classes:dashboard"), follow=True)
    assert response.redirect_chain == [(CHANGE, 302)]
    html = response.content.decode()
    assert "Change password" in html and MESSAGE in html


def test_before_changing_it_neither_the_dashboard_nor_a_quiz_can_be_reached(client, roster_student):
    quiz = make_quiz(title="Quiz on the speech")
    log_in(client, "anna.k", roster_student.password)
    for url in [
        reverse("classes:dashboard"),
        reverse("modules:home"),
        reverse("quizzes:quiz_detail", args=[quiz.pk]),
        reverse("accounts:account_data_download"),
    ]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, CHANGE), url
    start = client.post(reverse("quizzes:quiz_start", args=[quiz.pk]))
    assert (start.status_code, start["Location"]) == (302, CHANGE)
    assert not quiz.attempts.exists()


def test_an_htmx_request_gets_a_client_redirect_not_a_swapped_page(client, roster_student):
    log_in(client, "anna.k", roster_student.password)
    response = client.get(reverse("classes:dashboard") + "?page=2", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == CHANGE
    assert b"attempt-history" not in response.content


def test_a_wrong_old_password_changes_nothing_and_keeps_the_student_on_the_page(
    client, roster_student
):
    log_in(client, "anna.k", roster_student.password)
    response = change_password(client, old="not-the-printed-one")
    assert response.status_code == 200 and b"aria-invalid" in response.content
    assert client.get(reverse("classes:dashboard"))["Location"] == CHANGE
    assert PasswordChangeRequired.objects.filter(user=roster_student.user).exists()


def test_after_changing_it_every_page_opens_and_the_printed_password_is_dead(
    client, roster_student
):
    quiz = make_quiz(title="Quiz on the speech")
    log_in(client, "anna.k", roster_student.password)
    response = change_password(client, old=roster_student.password)
    assert response.status_code == 302
    assert client.get(reverse("classes:dashboard")).status_code == 200
    assert client.get(reverse("quizzes:quiz_detail", args=[quiz.pk])).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=roster_student.user).exists()

    client.post(reverse("logout"))
    assert log_in(client, "anna.k", roster_student.password).status_code == 200  # refused
    assert log_in(client, "anna.k", NEW_PASSWORD).status_code == 302
    assert client.get(reverse("classes:dashboard")).status_code == 200  # not sent back


def test_logging_out_is_allowed_before_changing_it(client, roster_student):
    log_in(client, "anna.k", roster_student.password)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] != CHANGE
    assert client.get(reverse("modules:home")).status_code == 200  # a visitor now


@pytest.mark.parametrize("who", ["teacher", "signed_up"])
def test_a_teacher_or_a_student_who_signed_up_is_never_redirected(client, school_class, who):
    if who == "teacher":
        make_teacher(username="tamara", password="a-teachers-password-1956")
        log_in(client, "tamara", "a-teachers-password-1956")
        pages = [reverse("classes:dashboard"), reverse("classes:teacher_classes")]
    else:
        client.post(
            reverse("accounts:signup"),
            {
                "username": "sasha",
                "display_name": "Sasha S.",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "join_code": school_class.join_code,
            },
        )
        client.post(reverse("logout"))
        assert log_in(client, "sasha", NEW_PASSWORD).status_code == 302
        pages = [reverse("classes:dashboard")]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_check_costs_other_users_no_query(client, school_class, roster_student):
    """The same page, the same queries, for a student the flag was never set for and for
    the roster student once they have changed their password."""
    other = make_user(username="boris", password=NEW_PASSWORD)
    school_class.add_student(other)
    log_in(client, "boris", NEW_PASSWORD)
    with CaptureQueriesContext(connection) as plain:
        assert client.get(reverse("classes:dashboard")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, "anna.k", roster_student.password)
    change_password(client, old=roster_student.password)
    with CaptureQueriesContext(connection) as changed:
        assert client.get(reverse("classes:dashboard")).status_code == 200
    assert len(changed.captured_queries) == len(plain.captured_queries)
    assert not any("lessons_passwordchangerequired" in q["sql"] for q in changed.captured_queries)
