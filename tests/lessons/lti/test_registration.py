"""Registering an LMS: the curators' page, the command, Thaw's keys."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from lessons.accounts.roles import CURATORS, ensure_role_groups
from lessons.lti.registration import jwks, rotate_key
from tests.factories import make_teacher, make_user

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Moodle of School 57",
    "issuer": "https://moodle.school57.example",
    "client_id": "AbC123",
    "auth_url": "https://moodle.school57.example/mod/lti/auth.php",
    "token_url": "https://moodle.school57.example/mod/lti/token.php",
    "keyset_url": "https://moodle.school57.example/mod/lti/certs.php",
    "deployment_ids": "3",
}


@pytest.fixture
def curator_client(client):
    curator = make_user(username="kostya", is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    return client


def test_a_curator_registers_a_platform_and_sees_what_to_paste(curator_client):
    page = curator_client.get(reverse("lti:lti_platforms"))
    assert page.status_code == 200
    for url in ("/lti/launch/", "/lti/login/", "/lti/jwks.json"):
        assert f"http://testserver{url}".encode() in page.content
    response = curator_client.post(reverse("lti:lti_platforms"), FIELDS)
    registration = LtiRegistration.objects.get()
    assert response["Location"] == reverse("lti:lti_platform", kwargs={"pk": registration.pk})
    assert registration.client_id == "AbC123"
    assert LtiDeployment.objects.get().is_active
    shown = curator_client.get(response["Location"])
    assert b"Moodle of School 57" in shown.content and b"allowed" in shown.content


def test_a_bad_registration_is_refused_with_what_to_fix_and_saves_nothing(curator_client):
    response = curator_client.post(
        reverse("lti:lti_platforms"), {**FIELDS, "token_url": "token.php"}
    )
    assert response.status_code == 400
    assert b"The access token URL must be a web address" in response.content
    assert not LtiRegistration.objects.exists()


def test_a_curator_allows_a_waiting_deployment(curator_client):
    curator_client.post(reverse("lti:lti_platforms"), {**FIELDS, "deployment_ids": ""})
    registration = LtiRegistration.objects.get()
    waiting = LtiDeployment.objects.create(registration=registration, deployment_id="9")
    url = reverse("lti:lti_platform", kwargs={"pk": registration.pk})
    assert b"waiting to be allowed" in curator_client.get(url).content
    curator_client.post(url, {"deployment": waiting.pk, "active": "1"})
    waiting.refresh_from_db()
    assert waiting.is_active


def test_teachers_and_students_cannot_open_the_platforms_page(client):
    for user in (make_teacher(username="t"), make_user(username="s")):
        client.force_login(user)
        assert client.get(reverse("lti:lti_platforms")).status_code == 403


def test_the_command_registers_once_and_prints_the_urls():
    args = [
        "--name=Canvas",
        "--issuer=https://canvas.instructure.com",
        "--client-id=10000000000042",
        "--auth-url=https://sso.canvaslms.com/api/lti/authorize_redirect",
        "--token-url=https://sso.canvaslms.com/login/oauth2/token",
        "--jwks-url=https://sso.canvaslms.com/api/lti/security/jwks",
        "--deployment=1:abc",
        "--base-url=https://thaw.school.example",
    ]
    out = io.StringIO()
    call_command("lti_register", *args, stdout=out)
    call_command("lti_register", *args, stdout=io.StringIO())  # again: the same platform
    assert LtiRegistration.objects.count() == 1
    assert "https://thaw.school.example/lti/login/" in out.getvalue()
    with pytest.raises(CommandError, match="must be a web address"):
        call_command("lti_register", *args[:3], "--auth-url=nope", *args[4:], stdout=io.StringIO())


def test_rotating_keys_signs_with_the_new_key_and_keeps_recent_ones_in_the_jwks():
    first = Key.objects.generate()
    new = rotate_key(now=timezone.now())
    kids = {k["kid"] for k in jwks()["keys"]}
    assert {str(first), str(new)} <= kids  # the old key stays a week for tokens in flight
    later = timezone.now() + datetime.timedelta(days=8)
    newest = rotate_key(now=later)
    assert {k["kid"] for k in jwks()["keys"]} == {str(newest)} | (
        {str(new)} if new.datetime_created >= later - datetime.timedelta(days=7) else set()
    )
    assert str(first) not in {k["kid"] for k in jwks()["keys"]}
    out = io.StringIO()
    call_command("lti_rotate_keys", stdout=out)
    assert out.getvalue().startswith("New key")


def test_the_jwks_is_public_json(client):
    response = client.get(reverse("lti:lti_jwks"))
    assert response.status_code == 200 and response.json()["keys"][0]["kty"] == "RSA"


def test_deleting_a_students_account_deletes_their_lms_identity_too(client, platform, registered):
    from django.contrib.auth.models import User
    from lti_tool.models import LtiUser

    from lessons.accounts.privacy import delete_student_account
    from tests.lessons.lti.conftest import launch

    launch(client, platform, sub="s-1")
    student = User.objects.get(first_name="Sasha Student")
    curator = make_user(username="kostya", is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    delete_student_account(curator=curator, student_id=student.pk)
    assert not LtiUser.objects.filter(sub="s-1").exists()
    assert LtiUser.objects.filter(sub="s-2").exists()  # a classmate's stays
