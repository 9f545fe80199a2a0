"""Control characters at the boundary: what a form or an uploaded file may put in the database.

Shared by every app (corpus.plumbing: plumbing all may import). PostgreSQL refuses a NUL character
in text and in JSON (`\\u0000`), so a NUL that reached a write was a 500 there and stored on
SQLite; the other control characters (the C0 range but tab, newline and carriage return,
DEL, and the C1 range) are never meant in a name, a question or a correction, and
terminals and spreadsheets act on some of them. One rule for both engines:

- typed text (form fields, `PlainTextMixin`) has them stripped: a paste from a word
  processor should not be refused for an invisible character;
- files (question banks, rosters, errata and reference TOML, sources) are refused with the
  place and the character named (`control_character_problem`): a file holding a NUL is
  damaged or not text, and guessing what it meant would import something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django import forms

# C0 controls except tab (09), newline (0A) and carriage return (0D); DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(text: str, *, multiline: bool = True) -> str:
    """`text` without control characters; a one-line text also loses tabs and line breaks
    (each becomes a space, so words stay apart)."""
    if multiline:
        return _CONTROL.sub("", text)
    return _CONTROL.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))


def first_control_character(text: str) -> str | None:
    match = _CONTROL.search(text)
    return match.group() if match else None


def describe(character: str) -> str:
    """A character named for a message: "U+0000"."""
    return f"U+{ord(character):04X}"


def control_character_problem(value: object) -> str | None:
    """Why `value` (a string, or lists and dicts of them, as a parsed file holds) cannot be
    stored: "holds a control character (U+0000)", or None. Keys are checked too."""
    for text in _strings(value):
        character = first_control_character(text)
        if character is not None:
            return f"holds a control character ({describe(character)})"
    return None


def _strings(value: object) -> Iterator[str]:
    # Iterative: a parsed document may be nested as deep as its parser allowed.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


class PlainTextMixin:
    """A form field whose text has control characters stripped before it is validated.

    A Textarea keeps its line breaks and tabs; a one-line input turns them into spaces.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            multiline = isinstance(getattr(self, "widget", None), forms.Textarea)
            value = strip_control_characters(value, multiline=multiline)
            if getattr(self, "strip", False):
                value = value.strip()
            if value in self.empty_values:
                return self.empty_value
        return value


class PlainCharField(PlainTextMixin, forms.CharField):
    """`forms.CharField` for typed text: names, titles, comments, notes."""
