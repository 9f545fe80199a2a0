import pytest

from corpus.plumbing.params import MAX_PAGE, page_span, requested_page, whole_number


@pytest.mark.parametrize(
    "text,expected",
    [
        ("42", 42),
        ("0", 0),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past a 64-bit id
        ("5" * 5000, None),  # int() itself refuses to parse this many digits
        ("²", None),  # isdigit() says yes, int() says no
        ("٣", None),  # an Arabic-Indic digit: not ASCII
        ("-1", None),
        (" 1", None),
        ("", None),
        (None, None),
    ],
)
def test_only_short_ascii_digit_strings_are_whole_numbers(text, expected):
    assert whole_number(text) == expected


def test_a_smaller_limit_for_positions():
    assert whole_number("123456", max_digits=6) == 123456
    assert whole_number("1234567", max_digits=6) is None


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ({}, 1),
        ({"page": "3"}, 3),
        ({"page": "0"}, 1),
        ({"page": "-2"}, 1),
        ({"page": "²"}, 1),
        ({"page": "9" * 5000}, 1),
        ({"page": "999999"}, MAX_PAGE),
    ],
)
def test_the_page_asked_for_is_a_page_whatever_is_typed(query, page):
    assert requested_page(query) == page


def test_a_page_past_the_last_shows_the_last():
    assert page_span(7, total=45, size=20) == (3, 3)
    assert page_span(1, total=0, size=20) == (1, 1)
    assert page_span(2, total=41, size=20) == (2, 3)
