"""django-axes: five wrong passwords lock one username on one address for 15 minutes."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def axes_backends(settings):
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    User.objects.create_user("pupil", password="the-right-password-1956")


def log_in(client, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": "pupil", "password": password},
        REMOTE_ADDR=address,
    )


def test_fifth_failure_locks_out_even_the_right_password(client, axes_backends):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert log_in(client, "wrong").status_code == 200  # the form again, with an error
        assert log_in(client, "wrong").status_code == 429
        locked = log_in(client, "the-right-password-1956")
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_fifteen_minutes(client, axes_backends):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            log_in(client, "wrong")
    with time_machine.travel(START + datetime.timedelta(minutes=16), tick=False):
        assert log_in(client, "the-right-password-1956").status_code == 302


def test_other_addresses_are_not_locked_out(client, axes_backends):
    # A school shares one address: locking by address alone would lock the class.
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            log_in(client, "wrong", address="10.0.0.1")
        assert log_in(client, "the-right-password-1956", address="10.0.0.2").status_code == 302


def test_reset_command_lifts_a_lockout(client, axes_backends):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            log_in(client, "wrong")
        call_command("axes_reset_username", "pupil")
        assert log_in(client, "the-right-password-1956").status_code == 302
