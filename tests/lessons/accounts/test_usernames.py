"""Usernames are normalised (NFKC) and refused when they look like an existing one
(lessons.accounts.usernames), at sign-up and in a roster."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from lessons.accounts.usernames import existing_look_alike, skeletons
from lessons.classes.roster import check_roster, parse_roster
from tests.factories import make_school_class, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "look_alike",
    ["ѕtudent", "stud\u0435nt", "ｓｔｕｄｅｎｔ", "STUDENT", "ѕТUDЕNТ", "stud℮nt"],
)
def test_look_alikes_share_a_skeleton(look_alike):
    assert skeletons(look_alike) & skeletons("student")


@pytest.mark.parametrize("different", ["students", "studant", "Иван", "anna1", "annal"])
def test_different_names_do_not(different):
    assert not skeletons(different) & skeletons("student")


def test_a_cyrillic_name_is_welcome_when_nothing_looks_like_it():
    make_user(username="student")
    assert existing_look_alike("иван") is None
    make_user(username="иван")
    assert existing_look_alike("ИВАН") == "иван"


@pytest.fixture(autouse=True)
def open_class():
    return make_school_class(join_code="OPENCODE")


def sign_up(client, username):
    return client.post(
        reverse("accounts:signup"),
        {
            "join_code": "OPENCODE",
            "username": username,
            "display_name": "Someone",
            "password1": "a-long-password-1956",
            "password2": "a-long-password-1956",
        },
    )


def test_signing_up_as_a_look_alike_of_an_existing_student_is_refused(client):
    make_user(username="student")
    response = sign_up(client, "ѕtudent")  # a Cyrillic ѕ
    assert response.status_code == 200
    assert "looks too much like “student”, which is already taken" in response.content.decode()
    assert not User.objects.filter(username="ѕtudent").exists()


def test_the_plain_name_is_refused_when_a_look_alike_came_first(client):
    make_user(username="ѕtudent")
    response = sign_up(client, "student")
    assert "looks too much like “ѕtudent”" in response.content.decode()


def test_a_full_width_username_is_stored_normalised(client):
    assert sign_up(client, "ｐｕｐｉｌ").status_code == 302
    assert User.objects.filter(username="pupil").exists()


def roster(*lines):
    return ("\n".join(["username,display_name", *lines]) + "\n").encode()


def test_a_roster_refuses_look_alikes_of_existing_accounts_and_of_its_own_rows():
    make_user(username="student")
    result = check_roster(data=roster("ѕtudent,Cyrillic S", "anna,Anna", "аnna,Cyrillic A"))
    assert result.problems == [
        (
            2,
            "The username “ѕtudent” looks too much like “student”, which is already taken: "
            "choose one that cannot be mistaken for it.",
        ),
        (4, "The username “аnna” looks too much like “anna” on line 3."),
    ]


def test_a_roster_stores_usernames_normalised():
    result = parse_roster(data=roster("ａｎｎａ,Anna"))
    assert result.ok and result.rows[0].username == "anna"
