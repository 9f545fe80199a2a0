"""Control characters at the boundary: stripped from typed text, refused in files."""

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from corpus.plumbing.plain_text import (
    PlainCharField,
    control_character_problem,
    strip_control_characters,
)
from lessons.models import SchoolClass
from tests.factories import make_school_class


def test_nul_and_other_controls_are_stripped_but_line_breaks_kept_in_a_textarea():
    assert strip_control_characters("a\x00b\x07c\x1b[31md\x7fe\x85f\tg\nh\r\n") == (
        "abc[31mdef\tg\nh\r\n"
    )


def test_a_one_line_text_turns_tabs_and_line_breaks_into_spaces():
    assert strip_control_characters("Anna\tK.\r\nB\x00", multiline=False) == "Anna K.  B"


def test_a_file_value_is_refused_naming_the_character_wherever_it_is_nested():
    assert control_character_problem(["ok", {"key": ["deep\x00"]}]) == (
        "holds a control character (U+0000)"
    )
    assert control_character_problem({"a\x1f": "key too"}) == "holds a control character (U+001F)"
    assert control_character_problem({"text": "Ёлка\tand\nlines 😀", "n": 5}) is None


@given(st.text())
def test_stripped_text_is_never_refused(text):
    assert control_character_problem(strip_control_characters(text)) is None
    assert control_character_problem(strip_control_characters(text, multiline=False)) is None


class _Form(forms.Form):
    name = PlainCharField(max_length=20)
    comment = PlainCharField(widget=forms.Textarea, required=False)


def test_the_form_field_strips_before_validating():
    form = _Form({"name": " \x00Anna\x07 ", "comment": "line one\x00\nline two"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Anna", "comment": "line one\nline two"}


def test_a_field_of_control_characters_only_is_empty():
    form = _Form({"name": "\x00\x01", "comment": ""})
    assert not form.is_valid() and "name" in form.errors


@pytest.mark.django_db
def test_a_signup_display_name_with_a_nul_is_stored_without_it(client):
    # A NUL reached PostgreSQL as a 500 before; the display name field now strips it.
    make_school_class(join_code="NULCLASS")
    response = client.post(
        reverse("accounts:signup"),
        {
            "join_code": "NULCLASS",
            "username": "nadia",
            "display_name": "Nadia\x00 K.\x1b",
            "password1": "a-long-password-1956",
            "password2": "a-long-password-1956",
        },
    )
    assert response.status_code == 302
    assert SchoolClass.objects.get().memberships.get().student.first_name == "Nadia K."
