import pytest

from corpus.plumbing.params import whole_number


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
