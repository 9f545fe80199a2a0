"""Checking a roster CSV: every bad row is reported by line, and a bad file creates nothing."""

import pytest
from django.contrib.auth.models import User

from lessons.classes.roster import (
    MAX_BYTES,
    check_roster,
    create_roster_accounts,
    one_time_password,
    parse_roster,
)
from lessons.models import Membership
from tests.factories import make_school_class, make_user


def roster(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_good_roster_gives_one_row_per_student_with_spaces_tidied():
    result = parse_roster(
        data=roster("username,display_name", "anna.k,  Anna   K. ", "boris,Boris P.")
    )
    assert result.ok
    assert [(r.line, r.username, r.display_name) for r in result.rows] == [
        (2, "anna.k", "Anna K."),
        (3, "boris", "Boris P."),
    ]


def test_a_spreadsheet_byte_order_mark_and_blank_lines_are_accepted():
    data = "\ufeffusername,display name\r\nanna,Anna\r\n\r\n".encode()
    assert parse_roster(data=data).ok


def test_wrong_columns_in_the_header_are_reported_on_line_1():
    result = parse_roster(data=roster("name,email", "Anna,anna@example.com"))
    assert not result.ok and result.rows == []
    assert result.problems[0][0] == 1 and "username,display_name" in result.problems[0][1]


def test_a_row_with_the_wrong_number_of_columns_is_reported_by_line():
    result = parse_roster(data=roster("username,display_name", "anna,Anna", "boris,Boris,extra"))
    assert result.problems == [(3, "Expected 2 columns, found 3.")]


def test_duplicate_usernames_in_the_file_are_reported_whatever_their_case():
    result = parse_roster(data=roster("username,display_name", "anna,Anna", "ANNA,Anna Two"))
    assert result.problems == [(3, "The username “ANNA” is also on line 2.")]


@pytest.mark.django_db
def test_a_username_already_taken_is_reported():
    make_user(username="Anna")
    result = check_roster(data=roster("username,display_name", "anna,Anna", "boris,Boris"))
    assert result.problems == [(2, "The username “anna” is already taken.")]


def test_an_empty_file_is_reported():
    assert parse_roster(data=b"").problems == [(0, "The file is empty.")]
    assert parse_roster(data=roster("username,display_name")).problems[0][1] == (
        "The file has a header but no students."
    )


def test_a_10_megabyte_file_is_refused_before_it_is_read():
    result = parse_roster(data=b"username,display_name\n" + b"a" * (10 * 1024 * 1024))
    assert "too large" in result.problems[0][1]
    assert MAX_BYTES < 10 * 1024 * 1024


def test_a_file_that_is_not_utf8_is_refused_with_a_hint():
    result = parse_roster(data="username,display_name\nzoe,Zoë\n".encode("latin-1"))
    assert "not UTF-8" in result.problems[0][1]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"])
def test_formula_looking_names_are_refused(name):
    result = parse_roster(data=roster("username,display_name", f"anna,{name}"))
    assert result.problems and "formula" in result.problems[0][1]


def test_an_invalid_username_is_reported():
    result = parse_roster(data=roster("username,display_name", "anna k,Anna"))
    assert "may only use letters" in result.problems[0][1]


def test_one_time_passwords_differ_and_avoid_look_alike_characters():
    passwords = {one_time_password() for _ in range(50)}
    assert len(passwords) == 50
    assert not any(ch in p for p in passwords for ch in "01lIO")


@pytest.mark.django_db
def test_creating_accounts_hashes_the_passwords_and_adds_the_students():
    school_class = make_school_class()
    rows = parse_roster(data=roster("username,display_name", "anna,Anna K.")).rows
    [account] = create_roster_accounts(school_class=school_class, rows=rows)
    user = User.objects.get(username="anna")
    assert user.first_name == "Anna K."
    assert account.password not in user.password  # stored only as a hash
    assert user.check_password(account.password)
    assert Membership.objects.filter(school_class=school_class, student=user).exists()
