"""A student signs up with a class join code and lands on the dashboard."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError

from lessons.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Membership,
    SchoolClass,
    generate_join_code,
)
from tests.factories import make_school_class, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "kremlin-thaw-1956"


def signup_data(**overrides) -> dict:
    data = {
        "join_code": "THAW1956",
        "username": "nadia",
        "display_name": "Nadia K.",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


@pytest.fixture
def school_class():
    return make_school_class(name="10B History", join_code="THAW1956")


def test_signup_page_asks_for_code_username_name_and_password(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "Join your class" in html
    for name in ["join_code", "username", "display_name", "password1", "password2"]:
        assert f'name="{name}"' in html
    assert "e-mail" in html  # "No e-mail address needed"


def test_signup_link_can_carry_the_join_code(client):
    html = client.get("/accounts/signup/?code=THAW1956").content.decode()
    assert 'value="THAW1956"' in html


def test_signup_creates_student_in_class_logs_in_and_lands_on_dashboard(client, school_class):
    response = client.post("/accounts/signup/", signup_data(join_code=" thaw-1956 "), follow=True)
    assert response.redirect_chain == [("/dashboard/", 302)]
    user = User.objects.get(username="nadia")
    assert user.first_name == "Nadia K."
    assert not user.is_staff and not user.groups.exists()
    assert list(user.school_classes.all()) == [school_class]
    assert response.context["user"] == user
    html = response.content.decode()
    assert "Welcome, Nadia K.! You have joined 10B History." in html
    assert "You haven't taken a quiz yet — start with Lesson 1" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"join_code": "NOSUCH99"}, "join_code", "No class has this join code"),
        ({"join_code": ""}, "join_code", "This field is required"),
        ({"username": ""}, "username", "This field is required"),
        ({"username": "bad name!"}, "username", "Enter a valid username"),
        ({"display_name": "   "}, "display_name", "This field is required"),
        ({"password1": "short", "password2": "short"}, "password2", "too short"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "19561956195", "password2": "19561956195"}, "password2", "entirely numeric"),
        ({"password2": "kremlin-thaw-1957"}, "password2", "didn’t match"),
    ],
)
def test_bad_signup_shows_a_field_error_and_creates_nothing(
    client, school_class, overrides, field, message
):
    response = client.post("/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(username="nadia").exists()
    assert not Membership.objects.exists()
    assert "_auth_user_id" not in client.session


def test_disabled_join_code_is_refused(client):
    make_school_class(name="Closed", join_code="CLOSED22", join_enabled=False)
    response = client.post("/accounts/signup/", signup_data(join_code="closed22"))
    assert "This class is not accepting new students" in response.content.decode()
    assert not User.objects.filter(username="nadia").exists()


def test_taken_username_is_refused_whatever_its_case(client, school_class):
    make_user(username="Nadia")
    response = client.post("/accounts/signup/", signup_data(username="nadia"))
    assert (
        "A user with that username already exists." in response.context["form"].errors["username"]
    )
    assert User.objects.count() == 1
    assert not Membership.objects.exists()


def test_username_taken_during_signup_rolls_back_and_shows_the_error(client, school_class):
    # Two students choosing one name at the same moment: the form saw it free,
    # the database refuses the second; nothing half-made is left behind.
    with mock.patch.object(SchoolClass, "add_student", side_effect=IntegrityError("race")):
        response = client.post("/accounts/signup/", signup_data())
    assert (
        "A user with that username already exists." in response.context["form"].errors["username"]
    )
    assert not User.objects.filter(username="nadia").exists()


def test_logged_in_user_visiting_signup_goes_to_dashboard(client):
    client.force_login(make_user())
    assert client.get("/accounts/signup/")["Location"] == "/dashboard/"


def test_join_codes_avoid_look_alike_characters():
    codes = {generate_join_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set("0O1I")


def test_new_class_gets_a_generated_join_code():
    school_class = SchoolClass.objects.create(name="11A")
    assert len(school_class.join_code) == JOIN_CODE_LENGTH and school_class.join_enabled
