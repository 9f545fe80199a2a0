"""Whole numbers typed into forms and query strings: ids and positions.

Shared by every app (corpus.plumbing: plumbing all may import). `str.isdigit()` is not enough:
"²" passes it and `int()` then fails, and a 5,000-digit string fails `int()` too (Python
refuses to parse it), so each was a 500 until the fuzzing tests found them.
"""

from __future__ import annotations


def whole_number(text: str | None, *, max_digits: int = 18) -> int | None:
    """`text` as a non-negative int if it is 1 to `max_digits` ASCII digits, else None.
    18 digits stay within a 64-bit database id."""
    if text and text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None


# A page number beyond this is read as this one: a huge one would overflow the database's
# OFFSET (a 500 the fuzz test found).
MAX_PAGE = 100_000


def requested_page(query) -> int:
    """The page a query string asks for (`?page=`): 1 when absent or malformed."""
    return min(whole_number(query.get("page"), max_digits=6) or 1, MAX_PAGE)


def page_span(page: int, *, total: int, size: int) -> tuple[int, int]:
    """(the page shown, the number of pages) for `total` rows, `size` to a page."""
    pages = max(1, -(-total // size))
    return min(max(page, 1), pages), pages
