"""Rate limits on problem reports, sign-ups and join codes (corpus.plumbing.rate_limits, lessons.accounts.abuse,
quizzes.reports): each refusal says how long to wait, and a class doing its work never
meets one."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from corpus.plumbing import rate_limits
from lessons.accounts import abuse
from lessons.models import SchoolClass
from quizzes.models import ProblemReport
from tests.factories import (
    make_finished_attempt,
    make_question,
    make_quiz,
    make_school_class,
    make_user,
)

pytestmark = pytest.mark.django_db


def sign_up(client, n, code="OPENCODE", address="10.0.0.1"):
    client.logout()
    return client.post(
        reverse("accounts:signup"),
        {
            "join_code": code,
            "username": f"pupil{n}",
            "display_name": f"Pupil {n}",
            "password1": "a-long-password-1956",
            "password2": "a-long-password-1956",
        },
        REMOTE_ADDR=address,
    )


def test_a_class_of_thirty_signs_up_from_the_schools_one_address(client):
    school_class = make_school_class(join_code="OPENCODE")
    for n in range(30):
        assert sign_up(client, n).status_code == 302
    assert school_class.memberships.count() == 30


def test_sign_ups_into_one_class_are_limited_per_hour(client, monkeypatch):
    monkeypatch.setattr(abuse, "SIGNUPS_PER_CLASS", rate_limits.Limit("signup-class", 3, 3600))
    school_class = make_school_class(join_code="OPENCODE")
    for n in range(3):
        assert sign_up(client, n, address=f"10.0.0.{n}").status_code == 302
    refused = sign_up(client, 99, address="10.9.9.9")
    assert refused.status_code == 429
    assert "Many accounts were made into this class in the last hour" in refused.content.decode()
    assert school_class.memberships.count() == 3


def test_sign_ups_from_one_address_are_limited_per_hour(client, monkeypatch):
    monkeypatch.setattr(abuse, "SIGNUPS_PER_ADDRESS", rate_limits.Limit("signup-address", 2, 3600))
    make_school_class(join_code="OPENCODE")
    make_school_class(join_code="OTHERCDE")
    assert sign_up(client, 1).status_code == 302
    assert sign_up(client, 2, code="OTHERCDE").status_code == 302
    refused = sign_up(client, 3)
    assert refused.status_code == 429 and "from your network" in refused.content.decode()
    assert sign_up(client, 4, address="10.0.0.2").status_code == 302


def test_wrong_join_codes_from_one_address_are_limited_and_then_no_code_is_looked_up(client):
    make_school_class(join_code="OPENCODE")
    for n in range(abuse.WRONG_CODES_PER_ADDRESS.count):
        response = sign_up(client, n, code=f"WRONG{n:03d}")
        assert "No class has this join code" in response.content.decode()
    refused = sign_up(client, 1, code="OPENCODE")  # even the right code: no lookup now
    assert refused.status_code == 429
    assert "Too many wrong join codes were tried" in refused.content.decode()
    assert not SchoolClass.objects.get().memberships.exists()
    assert sign_up(client, 1, code="OPENCODE", address="10.0.0.2").status_code == 302


def test_a_logged_in_account_may_try_ten_wrong_codes_in_ten_minutes(client):
    school_class = make_school_class(join_code="OPENCODE")
    student = make_user()
    client.force_login(student)
    for n in range(abuse.WRONG_CODES_PER_USER.count):
        client.post(
            reverse("classes:class_join"), {"join_code": f"WRONG{n:03d}"}, REMOTE_ADDR=f"10.1.0.{n}"
        )
    refused = client.post(
        reverse("classes:class_join"), {"join_code": "OPENCODE"}, REMOTE_ADDR="10.2.0.1"
    )
    assert refused.status_code == 429
    assert "Too many wrong join codes" in refused.content.decode()
    htmx = client.post(
        reverse("classes:class_join"), {"join_code": "OPENCODE"}, HTTP_HX_REQUEST="true"
    )  # htmx swaps only a 2xx: the fragment says it
    assert htmx.status_code == 200 and "Too many wrong join codes" in htmx.content.decode()
    assert not school_class.memberships.exists()


def test_right_codes_never_count(client):
    for n in range(abuse.WRONG_CODES_PER_ADDRESS.count + 5):
        make_school_class(join_code=f"CLASS{n:03d}")
    for n in range(abuse.WRONG_CODES_PER_ADDRESS.count + 5):
        assert sign_up(client, n, code=f"CLASS{n:03d}").status_code == 302


@pytest.fixture
def shown(client):
    """A student who was shown ten questions, and those questions."""
    student = make_user()
    questions = [make_question() for _ in range(12)]
    quiz = make_quiz(questions=questions)
    make_finished_attempt(quiz=quiz, user=student, results=[(q, False) for q in questions])
    client.force_login(student)
    return questions


def report(client, question, comment="The date is wrong."):
    return client.post(
        reverse("curation:report", args=[question.pk]),
        {"reason": "other", "comment": comment},
        HTTP_HX_REQUEST="true",
    )


def test_problem_reports_are_limited_to_ten_in_ten_minutes(client, shown):
    for question in shown[:10]:
        assert "Thank you" in report(client, question).content.decode()
    refused = report(client, shown[10]).content.decode()
    assert "You have sent many reports in a short time. Please wait" in refused
    assert ProblemReport.objects.count() == 10


def test_the_same_question_is_reported_once_until_resolved(client, shown):
    assert "Thank you" in report(client, shown[0]).content.decode()
    again = report(client, shown[0], comment="Still wrong.").content.decode()
    assert "You have already reported this question" in again
    assert ProblemReport.objects.count() == 1


def test_a_burst_of_forty_reports_stores_ten(client, shown):
    for _ in range(4):
        for question in shown[:10]:
            report(client, question, comment="spam")
    assert ProblemReport.objects.count() == 10


def test_limits_count_on_the_file_cache_the_workers_share(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path,
        }
    }
    caches["default"].clear()
    limit = rate_limits.Limit("test-file", 3, 600)
    decisions = [rate_limits.hit(limit, who="10.0.0.1", now=1000.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 200 and decisions[-1].wait_text == "4 minutes"
    assert rate_limits.hit(limit, who="10.0.0.1", now=1200.0).allowed  # the next window
    assert rate_limits.hit(limit, who="10.0.0.2", now=1000.0).allowed  # someone else
