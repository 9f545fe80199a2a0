"""Curated entries written back as TOML, in the layout of the data files.

`export_corpus --files DIR` writes reference works, notes, glossary terms and timeline
events with these functions, so that a curator's edits in the app are reviewed as a diff
of the files; the curators' note form shows a note's targets and citations as the same
inline tables, one per line. What is written reads back as the same entry.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

HEADERS = {
    "work": (
        "# Reference works (corpus/data/references/*.toml): see docs/editorial-notes.md.\n"
        '# Cited by slug and locator: { work = "slug", at = "p. 12" }.\n'
    ),
    "note": (
        "# Editorial notes (corpus/data/notes/*.toml): see docs/editorial-notes.md.\n"
        "# kind = correction | context | dispute; body is plain text, paragraphs separated\n"
        "# by a blank line.\n"
    ),
}


def string(value: str) -> str:
    """A TOML basic string (JSON's escaping is TOML's for every character we write)."""
    return json.dumps(value, ensure_ascii=False)


def inline(value: Any) -> str:
    """A value as TOML on one line: strings, numbers, lists and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{key} = {inline(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(inline(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _multiline(value: str, *, width: int | None = None) -> str:
    """A text as a multi-line basic string: kept as written (a note's body, whose line
    breaks are paragraphs), or wrapped at `width` (a glossary description, whose line
    breaks the loader folds into spaces)."""
    if '"""' in value or "\\" in value or any(ord(c) < 32 and c != "\n" for c in value):
        return string(value)  # rare: one line with escapes rather than a broken block
    if width:
        value = textwrap.fill(value, width=width, break_long_words=False, break_on_hyphens=False)
    return '"""\n' + value + '\n"""'


def _array_of_tables(values: list) -> str:
    if not values:
        return "[]"
    return "[\n" + "".join(f"  {inline(item)},\n" for item in values) + "]"


def table(
    name: str, values: dict[str, Any], *, blocks: Mapping[str, int | None] | None = None
) -> str:
    """One [[work]], [[note]], [[term]]... table: lists of tables one per line, and the
    texts named in `blocks` (key -> wrapping width, None to keep the lines; by default a
    note's body) as multi-line strings."""
    blocks = {"body": None} if blocks is None else blocks
    lines = [f"[[{name}]]"]
    for key, value in values.items():
        if key in blocks and isinstance(value, str):
            lines.append(f"{key} = {_multiline(value, width=blocks[key])}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key} = {_array_of_tables(value)}")
        else:
            lines.append(f"{key} = {inline(value)}")
    return "\n".join(lines) + "\n"


def document(name: str, tables: Iterable[dict[str, Any]], *, header: str | None = None) -> str:
    """A whole file: its header comment, then each table, a blank line between."""
    head = header if header is not None else HEADERS[name]
    body = "\n".join(table(name, values) for values in tables)
    return (head.rstrip("\n") + "\n\n" if head.strip() else "") + body


def leading_comment(text: str) -> str:
    """The comment lines a file starts with (kept when the file is written again)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or (not line.strip() and lines):
            lines.append(line)
            continue
        break
    return "\n".join(lines).rstrip("\n") + "\n" if lines else ""
