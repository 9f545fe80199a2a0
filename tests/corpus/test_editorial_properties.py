"""Property tests of the editorial parsers (corpus/editorial.py): reference works
(references/*.toml, `[[work]]`) and editorial notes (notes/*.toml, `[[note]]`).

Random and hostile tables (every key, junk values, wrong types, NUL escapes, numbers
thousands of digits long, nesting thousands deep, raw junk files) go through the parsers the
curation forms use (`parse_work`, `parse_note`) and through the loaders `load_corpus`
calls. Each ends in problems named for the curator (EditorialDataError, with the database as
it was), or in rows that say what the file says. Never another exception, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corpus.editorial import (
    NOTE_KEYS,
    WORK_KEYS,
    EditorialDataError,
    load_notes,
    load_reference_works,
    parse_note,
    parse_work,
)
from corpus.models import EditorialNote, ReferenceWork
from corpus.plumbing.plain_text import control_character_problem

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def savepoint():
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


TEXT = st.one_of(
    st.text(alphabet="abcdefghij ЁёЖ'’-.,", min_size=1, max_size=20),
    st.text(max_size=15),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\x1b[2J", "x" * 3000, "<script>x</script>"]),
)
SCALARS = st.one_of(
    TEXT,
    st.integers(),
    st.sampled_from([1956, 2003, 0, -1, 10**4000]),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["source", "quote", "work", "at", "who", "says"]), children, max_size=3
        )
    ),
    max_leaves=8,
)
SLUGS = st.one_of(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), TEXT)
KINDS = st.one_of(
    st.sampled_from(
        ["book", "article", "chapter", "website", "document", "correction", "dispute", "context"]
    ),
    TEXT,
)


@st.composite
def tables(draw, keys: set[str]) -> dict:
    table = {"slug": draw(SLUGS), "kind": draw(KINDS)}
    for key in draw(st.lists(st.sampled_from(sorted(keys | {"junk"})), unique=True, max_size=8)):
        table[key] = draw(st.one_of(TEXT, VALUES))
    if "year" in keys and draw(st.booleans()):
        table["year"] = draw(st.integers(900, 2200))
    if draw(st.integers(0, 6)) == 0:
        return draw(VALUES)  # not a table at all
    return table


def toml_value(value) -> str:
    """A TOML value for a JSON-like one (JSON strings are TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "0.0"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_file(name: str, entries: list) -> str:
    lines = []
    for entry in entries:
        lines.append(f"[[{name}]]")
        if isinstance(entry, dict):
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in entry.items()]
        else:
            lines.append(f"junk = {toml_value(entry)}")
    return "\n".join(lines) + "\n"


@EXAMPLES
@given(raw=tables(WORK_KEYS))
def test_parse_work_names_the_problems_or_gives_clean_text(raw):
    entry, problems = parse_work(raw)
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        assert control_character_problem(entry.values()) is None


@EXAMPLES
@given(raw=tables(NOTE_KEYS))
def test_parse_note_names_the_problems_or_gives_clean_text(raw):
    entry, problems = parse_note(raw)
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        assert control_character_problem([entry.slug, entry.title, entry.body]) is None


FILES = st.one_of(
    st.tuples(st.just("work"), st.lists(tables(WORK_KEYS), max_size=3)).map(
        lambda t: ("references", toml_file(*t))
    ),
    st.tuples(st.just("note"), st.lists(tables(NOTE_KEYS), max_size=3)).map(
        lambda t: ("notes", toml_file(*t))
    ),
    st.tuples(
        st.sampled_from(["references", "notes"]),
        st.one_of(
            st.text(max_size=80),
            st.just("x = " + "[" * 5000 + "]" * 5000),
            st.just("x = " + "9" * 5000),
            st.just("[[work]]\n[[note]]\n"),
        ),
    ),
)


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "references").mkdir()
    (tmp_path / "notes").mkdir()
    return tmp_path


def rows() -> tuple[list, list]:
    return (
        list(ReferenceWork.objects.order_by("slug").values_list("slug", "title", "year")),
        list(EditorialNote.objects.order_by("slug").values_list("slug", "title", "body")),
    )


@EXAMPLES
@given(file=FILES)
def test_a_reference_or_note_file_loads_whole_or_not_at_all(data_dir, file):
    folder, text = file
    path = data_dir / folder / "property.toml"
    path.write_text(text, encoding="utf-8")
    try:
        with savepoint():
            before = rows()
            try:
                works = load_reference_works(data_dir=data_dir)
                load_notes(data_dir=data_dir, works=works)
            except EditorialDataError as error:
                event("refused")
                assert str(error)
                assert rows() == before
                return
            event("loaded")
            loaded_works, _notes = rows()
            if folder == "references":
                listed = text.count("[[work]]")
                assert len(loaded_works) == listed
    finally:
        path.unlink()
