"""Log-in throttling (lessons.accounts.login_throttle): progressive delays per username, a limit per
address across usernames, lifted by a teacher, and never the 15-minute lockout that let a
classmate keep a student out of a test."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.cache import caches
from django.urls import reverse

from lessons.accounts import login_throttle
from tests.factories import make_school_class, make_teacher

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC)
RIGHT = "the-right-password-1956"


@pytest.fixture
def axes_backends(settings):
    # As in production: django-axes' backend first (tests/conftest.py leaves it out).
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    return User.objects.create_user("pupil", password=RIGHT, first_name="Pia Pupil")


def log_in(client, password, *, username="pupil", address="10.0.0.1", url="login"):
    client.logout()
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def at(seconds: float):
    return time_machine.travel(START + datetime.timedelta(seconds=seconds), tick=False)


def test_the_delay_doubles_from_five_seconds_to_a_minute_after_four_free_failures():
    assert [login_throttle.delay_after(n) for n in range(1, 11)] == [
        0,
        0,
        0,
        0,
        5,
        10,
        20,
        40,
        60,
        60,
    ]
    assert login_throttle.delay_after(10**6) == 60


def test_five_wrong_passwords_from_a_classmate_cost_the_student_seconds(client, axes_backends):
    with at(0):
        for _ in range(5):
            assert log_in(client, "wrong").status_code == 200  # the form again
        refused = log_in(client, RIGHT)
    assert refused.status_code == 429
    assert "Wait 5 seconds" in refused.content.decode()
    assert "Your teacher can let you log in at once" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    with at(6):
        assert log_in(client, RIGHT).status_code == 302


def test_tries_during_the_wait_are_refused_and_do_not_lengthen_it(client, axes_backends):
    with at(0):
        for _ in range(5):
            log_in(client, "wrong")
        for _ in range(20):  # hammering: each refused before the password is checked
            assert log_in(client, "wrong").status_code == 429
    with at(5):
        assert log_in(client, RIGHT).status_code == 302


def test_a_sustained_attack_keeps_the_wait_at_one_minute_at_most(client, axes_backends):
    moment = 0
    for _ in range(12):  # an attacker who tries again the moment each wait ends
        with at(moment):
            log_in(client, "wrong")
            wait = login_throttle.paused(usernames=["pupil"]).get("pupil", 0)
        moment += wait
    assert wait == 60
    with at(moment):
        assert log_in(client, RIGHT).status_code == 302


def test_a_success_forgets_the_failures(client, axes_backends):
    with at(0):
        for _ in range(4):
            log_in(client, "wrong")
        assert log_in(client, RIGHT).status_code == 302
        log_in(client, "wrong")
        # Four free failures again: the one above is the first.
        assert log_in(client, RIGHT).status_code == 302


def test_failures_are_forgotten_after_fifteen_quiet_minutes(client, axes_backends):
    with at(0):
        for _ in range(8):
            log_in(client, "wrong")
    with at(15 * 60 + 1):
        assert login_throttle.paused(usernames=["pupil"]) == {}


def test_other_accounts_on_the_same_address_are_not_slowed(client, axes_backends):
    User.objects.create_user("classmate", password=RIGHT)
    with at(0):
        for _ in range(9):
            log_in(client, "wrong")
        assert log_in(client, RIGHT, username="classmate").status_code == 302


def test_the_same_account_is_slowed_from_every_address(client, axes_backends):
    with at(0):
        for n in range(5):
            log_in(client, "wrong", address=f"10.0.0.{n}")
        assert log_in(client, RIGHT, address="192.0.2.7").status_code == 429


def test_guessing_across_many_usernames_from_one_address_is_stopped(client, axes_backends):
    limit = login_throttle.ADDRESS_FAILURES.count
    with at(0):
        # One password tried on a hundred accounts (all but the last counted directly:
        # a hundred log-in pages would only make the test slow).
        for n in range(limit - 1):
            login_throttle.record_failure(username=f"guess{n}", address="10.0.0.1")
        assert log_in(client, "password1", username="guess-last").status_code == 200
        refused = log_in(client, RIGHT)
        assert refused.status_code == 429
        assert "from your network" in refused.content.decode()
        # Another address is not affected, nor is a student already logged in.
        assert log_in(client, RIGHT, address="10.0.0.2").status_code == 302
    with at(15 * 60 + 1):
        assert log_in(client, RIGHT).status_code == 302


def test_a_teacher_sees_the_pause_on_the_class_page_and_lifts_it(client, axes_backends):
    teacher = make_teacher(first_name="Tamara")
    school_class = make_school_class(teachers=[teacher], students=[axes_backends])
    with at(0):
        for _ in range(7):
            log_in(client, "wrong")
        client.force_login(teacher)
        page = client.get(reverse("classes:teacher_class", args=[school_class.pk])).content.decode()
        assert "Log-in paused" in page and "Pia Pupil (pupil): can try again in 5 seconds" in page
        unlock = reverse("classes:teacher_login_unlock", args=[school_class.pk, axes_backends.pk])
        assert f'action="{unlock}"' in page
        response = client.post(unlock, follow=True)
        assert "Pia Pupil can log in again now." in response.content.decode()
        assert "Log-in paused" not in response.content.decode()
        assert not AccessAttempt.objects.filter(username="pupil").exists()
        assert log_in(client, RIGHT).status_code == 302


def test_a_teacher_cannot_lift_a_pause_for_a_student_of_another_class(client, axes_backends):
    teacher = make_teacher()
    school_class = make_school_class(teachers=[teacher])
    with at(0):
        for _ in range(5):
            log_in(client, "wrong")
        client.force_login(teacher)
        unlock = reverse("classes:teacher_login_unlock", args=[school_class.pk, axes_backends.pk])
        assert client.post(unlock).status_code == 404
        assert login_throttle.paused(usernames=["pupil"]) == {"pupil": 5}


def test_the_admin_log_in_is_throttled_too(client, axes_backends):
    User.objects.create_user("staffer", password=RIGHT, is_staff=True)
    with at(0):
        for _ in range(5):
            log_in(client, "wrong", username="staffer", url="admin:login")
        refused = log_in(client, RIGHT, username="staffer", url="admin:login")
    assert "Too many wrong passwords for this account" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_axes_records_the_attempts_but_locks_nobody_out(client, axes_backends):
    with at(0):
        for _ in range(6):
            log_in(client, "wrong")
    assert AccessAttempt.objects.get(username="pupil").failures_since_start >= 5
    with at(11):
        assert log_in(client, RIGHT).status_code == 302


def test_the_throttle_works_on_the_file_cache_the_workers_share(
    client, axes_backends, settings, tmp_path
):
    # Production's cache (config/settings.py): every worker reads the same files.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path,
        }
    }
    caches["default"].clear()
    with at(0):
        for _ in range(5):
            log_in(client, "wrong")
        assert log_in(client, RIGHT).status_code == 429
    assert any(tmp_path.iterdir())


def test_the_unlock_login_command_lifts_a_pause(client, axes_backends):
    from io import StringIO

    from django.core.management import call_command

    with at(0):
        for _ in range(6):
            log_in(client, "wrong")
        out = StringIO()
        call_command("unlock_login", "pupil", stdout=out)
        assert out.getvalue() == "pupil may log in now (it had 5 seconds to wait).\n"
        assert log_in(client, RIGHT).status_code == 302
