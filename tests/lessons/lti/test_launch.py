"""Launches from the test platform: who is signed in where, and every refusal."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from jwcrypto.jwk import JWK

from lessons.lti.models import CourseLink, UsedNonce
from tests.lessons.lti.conftest import launch, login_step
from tests.lessons.lti.platform import CLIENT_ID, LTI

pytestmark = pytest.mark.django_db


def _class():
    return CourseLink.objects.select_related("school_class").get().school_class


def test_a_student_launch_signs_in_a_new_account_without_a_password_in_the_courses_class(
    client, platform, registered
):
    response = launch(client, platform, sub="s-1")
    assert response.status_code == 302 and response["Location"] == reverse("classes:dashboard")
    student = User.objects.get(first_name="Sasha Student")
    assert not student.has_usable_password()
    assert student.username.startswith("lms-sasha-student-")
    school_class = _class()
    assert school_class.name == "History 10B (LMS)" and not school_class.join_enabled
    assert school_class.memberships.filter(student=student).exists()
    assert school_class.audience.members.filter(pk=student.pk).exists()
    page = client.get(reverse("classes:dashboard"))
    assert page.status_code == 200 and b"Sasha Student" in page.content
    # The first launch of a course reads its roster: the classmates are there too.
    assert sorted(school_class.students.values_list("first_name", flat=True)) == [
        "Boris Second",
        "Sasha Student",
        "Vera Third",
    ]
    assert school_class.teachers.get().first_name == "Tamara Teacher"


def test_a_second_launch_finds_the_same_account_and_class(client, platform, registered):
    launch(client, platform, sub="s-1")
    client.logout()
    launch(client, platform, sub="s-1")
    assert User.objects.filter(first_name="Sasha Student").count() == 1
    assert CourseLink.objects.count() == 1


def test_a_teacher_launch_opens_the_class_page_with_teacher_rights(client, platform, registered):
    response = launch(client, platform, sub="t-1")
    school_class = _class()
    assert response["Location"] == reverse("classes:teacher_class", kwargs={"pk": school_class.pk})
    teacher = User.objects.get(first_name="Tamara Teacher")
    assert teacher.has_perm("lessons.add_schoolclass")
    assert client.get(response["Location"]).status_code == 200


def test_thaws_pages_may_be_framed_by_the_lms_after_a_launch_and_by_nobody_before(
    client, platform, registered
):
    before = client.get(reverse("modules:lesson_list"))
    assert before["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in before["Content-Security-Policy"]
    launch(client, platform, sub="s-1")
    after = client.get(reverse("modules:lesson_list"))
    assert "X-Frame-Options" not in after
    assert f"frame-ancestors 'self' {platform.url}" in after["Content-Security-Policy"]


def test_over_https_the_launched_browsers_session_and_csrf_cookies_work_in_the_lms_frame(
    client, platform, registered
):
    platform.tool_launch_url = "https://testserver/lti/launch/"
    response = launch(client, platform, sub="s-1", secure=True)
    assert response.status_code == 302, response.content[:300]
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["samesite"] == "None" and cookie["secure"], name
    assert response.cookies["thaw_lti"]["samesite"] == "None"
    # A browser that never came from an LMS keeps Lax cookies.
    from django.test import Client

    other = Client()
    other.force_login(User.objects.create_user("plain", password="x-long-password-1956"))
    page = other.get(reverse("classes:dashboard"), secure=True)
    assert page.status_code == 200 and "thaw_lti" not in page.cookies


# --- Refused launches: each with a page saying what to do, each logged -----------------


def _refused(response, caplog, words: str) -> None:
    assert response.status_code in (400, 403)
    assert words.encode() in response.content, response.content[:800]
    assert "X-Frame-Options" not in response  # shown inside the LMS that sent it
    assert any("LTI launch refused" in r.getMessage() for r in caplog.records)
    assert not User.objects.exists() or not User.objects.filter(username__startswith="lms-")


def _post_token(client, platform, *, sub="s-1", change=None, key=None):
    params = login_step(client, platform, sub=sub)
    claims = platform.claims(sub=sub, nonce=params["nonce"], message="resource:link-1")
    (change or (lambda c: None))(claims)
    token = platform.launch_token(claims, key=key)
    return client.post("/lti/launch/", {"id_token": token, "state": params["state"]})


def test_a_launch_signed_with_another_key_is_refused(client, platform, registered, caplog):
    forged = JWK.generate(kty="RSA", size=2048, kid=platform.key["kid"])
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = _post_token(client, platform, key=forged)
    _refused(response, caplog, "could not check this launch")
    assert "Signature verification failed" in caplog.text


def test_an_expired_launch_is_refused(client, platform, registered, caplog):
    def expire(claims):
        claims["iat"], claims["exp"] = int(time.time()) - 900, int(time.time()) - 600

    caplog.set_level(logging.WARNING, logger="thaw.lti")
    _refused(_post_token(client, platform, change=expire), caplog, "too old")


def test_a_launch_without_an_expiry_is_refused(client, platform, registered, caplog):
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = _post_token(client, platform, change=lambda claims: claims.pop("exp"))
    _refused(response, caplog, "could not check this launch")


def test_a_replayed_launch_is_refused_and_signs_nobody_in(client, platform, registered, caplog):
    import requests

    from tests.lessons.lti.conftest import form_of

    params = login_step(client, platform, sub="s-1")
    page = requests.get(f"{platform.url}/auth", params=params, timeout=5)
    _, fields = form_of(page.text)
    assert client.post("/lti/launch/", fields).status_code == 302
    client.logout()
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    again = client.post("/lti/launch/", fields)
    assert again.status_code == 403 and b"already used once" in again.content
    assert "replayed launch" in caplog.text
    assert "_auth_user_id" not in client.session
    assert UsedNonce.objects.count() == 1


def test_a_launch_meant_for_another_tool_is_refused(client, platform, registered, caplog):
    def other_audience(claims):
        claims["aud"] = "another-tools-client-id"

    caplog.set_level(logging.WARNING, logger="thaw.lti")
    _refused(_post_token(client, platform, change=other_audience), caplog, "does not know the LMS")


def test_a_deployment_nobody_allowed_is_refused_until_a_curator_allows_it(
    client, platform, registered, caplog
):
    from lti_tool.models import LtiDeployment

    def new_deployment(claims):
        claims[LTI + "deployment_id"] = "deployment-unknown"

    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = _post_token(client, platform, change=new_deployment)
    _refused(response, caplog, "deployment-unknown")
    waiting = LtiDeployment.objects.get(deployment_id="deployment-unknown")
    assert not waiting.is_active  # listed on the platform's page, waiting for a curator
    LtiDeployment.objects.filter(pk=waiting.pk).update(is_active=True)
    assert _post_token(client, platform, change=new_deployment).status_code == 302


def test_a_launch_without_the_browsers_state_cookie_is_refused(
    client, platform, registered, caplog
):
    params = login_step(client, platform, sub="s-1")
    claims = platform.claims(sub="s-1", nonce=params["nonce"], message="resource:link-1")
    client.cookies.clear()  # another browser, or one that blocks the LMS frame's cookies
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = client.post(
        "/lti/launch/", {"id_token": platform.launch_token(claims), "state": params["state"]}
    )
    _refused(response, caplog, "did not start from Thaw")


def test_a_launch_from_an_unregistered_lms_is_refused_at_the_login_step(client, platform, caplog):
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = client.get("/lti/login/", platform.login_params(sub="s-1"))
    assert response.status_code == 403 and b"registered in Thaw" in response.content
    assert "OIDC login refused" in caplog.text


def test_opening_the_launch_address_by_hand_says_what_it_is(client, caplog):
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    response = client.get("/lti/launch/")
    assert response.status_code == 403 and b"opened by your LMS" in response.content


def test_a_mentor_is_refused_with_a_page_saying_why(client, platform, registered, caplog):
    platform.member("s-3").role = "Mentor"
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    params = login_step(client, platform, sub="s-3")
    claims = platform.claims(sub="s-3", nonce=params["nonce"], message="resource:link-1")
    response = client.post(
        "/lti/launch/", {"id_token": platform.launch_token(claims), "state": params["state"]}
    )
    assert response.status_code == 403 and b"teachers and students only" in response.content


def test_a_launched_student_asking_for_teacher_pages_is_refused_and_logged(
    client, platform, registered, caplog
):
    launch(client, platform, sub="s-1")
    school_class = _class()
    caplog.set_level(logging.WARNING)
    assert (
        client.get(reverse("classes:teacher_class", kwargs={"pk": school_class.pk})).status_code
        == 403
    )
    assert (
        client.get(reverse("classes:teacher_gradebook", kwargs={"pk": school_class.pk})).status_code
        == 403
    )
    picker = client.get(reverse("lti:lti_pick"))
    assert picker.status_code == 403 and b"when a teacher adds Thaw work" in picker.content
    assert "Forbidden" in caplog.text and "picker without a deep-linking launch" in caplog.text


def test_a_student_cannot_start_deep_linking(client, platform, registered, caplog):
    caplog.set_level(logging.WARNING, logger="thaw.lti")
    params = login_step(client, platform, sub="s-1", message="deep-link")
    claims = platform.claims(sub="s-1", nonce=params["nonce"], message="deep-link")
    response = client.post(
        "/lti/launch/", {"id_token": platform.launch_token(claims), "state": params["state"]}
    )
    assert response.status_code == 403 and b"Only the course" in response.content
    assert CLIENT_ID  # the platform's client id is what aud names
