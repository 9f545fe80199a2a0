"""Property tests of the curators' TOML parsers: errata (corpus/errata.py) and the glossary
and timeline files (corpus/reference.py), through the functions the curation pages call.

Random and hostile documents (junk, wrong types, NUL escapes, nesting thousands deep, good
corrections) end in a CurationError that leaves the database as it was, or are saved as a
curator's change in the database: the stored errata hold the text and every passage reads
as the corrections say. Either way no file under the data directory is written (the
database is the truth at run time, docs/decisions.md). Never another exception, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corpus import curation
from corpus.errata import ErrataError, apply_corrections, parse_errata
from corpus.models import GlossaryTerm, Passage, Source, SourceErrata, TimelineEvent

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = """Property Source

Comrades, the cult of the individual acquired such monstrous size.

The Central Committee considers it absolutely necessary to say so.
"""
MANIFEST = """[[work]]
slug = "property-work"
title = "Property work"
kind = "speech"
date = "1956-02-25"
ordinal = 1
summary = ""

[[source]]
slug = "property-source"
work = "property-work"
file = "property.txt"
profile = "generic"
ordinal = 1
title = "Property source"
kind = "other"
author = ""
date = "1956"
date_display = "1956"
language = "English"
translator = ""
citation = ""
url = ""
"""


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def savepoint():
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


@pytest.fixture
def data_dir(tmp_path, settings):
    (tmp_path / "sources").mkdir()
    (tmp_path / "errata").mkdir()
    (tmp_path / "sources" / "property.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(MANIFEST, encoding="utf-8")
    for name in ("glossary.toml", "timeline.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    settings.CORPUS_DATA_DIR = tmp_path
    call_command("load_corpus", verbosity=0)
    return tmp_path


def toml_string(text: str) -> str:
    # A JSON string is a TOML basic string (its escapes are TOML's), surrogates aside.
    return json.dumps(text)


WORDS = st.sampled_from(
    ["cult", "individual", "monstrous", "size", "Comrades", "Central", "necessary", "say so."]
)
STRINGS = st.one_of(
    WORDS,
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "a\x00b", "\x1b", "x" * 3000, "ё", "\\", '"']),
)
VALUES = st.one_of(
    STRINGS.map(toml_string),
    st.sampled_from(["1", "-5", "true", "[]", "[1, 2]", "{}", "{a = 1}", "1956-02-25", "nan"]),
    st.just("[" * 3000 + "]" * 3000),
    st.just("9" * 5000),
)


@st.composite
def errata_documents(draw) -> str:
    if draw(st.integers(0, 6)) == 0:
        return draw(st.text(max_size=200))
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        lines.append(draw(st.sampled_from(["[[correction]]"] * 6 + ["[correction]", "[[other]]"])))
        keys = draw(
            st.lists(st.sampled_from(["wrong", "right", "note", "extra"]), unique=True, max_size=4)
        )
        for key in keys:
            value = draw(st.one_of(VALUES, WORDS.map(toml_string)))
            lines.append(f"{key} = {value}")
    if draw(st.integers(0, 5)) == 0:
        lines.insert(0, f"correction = {draw(VALUES)}")
    return "\n".join(lines) + "\n"


def passage_texts() -> list[str]:
    return list(
        Passage.objects.filter(source__slug="property-source", is_current=True)
        .order_by("ordinal")
        .values_list("text", flat=True)
    )


def data_files(data_dir) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()
    }


def stored_errata() -> tuple[str, bool] | None:
    errata = SourceErrata.objects.filter(source__slug="property-source").first()
    return None if errata is None else (errata.text, errata.curator_edited_at is not None)


@EXAMPLES
@given(text=errata_documents())
def test_errata_are_saved_and_applied_or_refused_with_nothing_changed(data_dir, text):
    files = data_files(data_dir)
    with savepoint():
        source = Source.objects.get(slug="property-source")
        before, errata_before = passage_texts(), stored_errata()
        try:
            curation.save_errata(source=source, text=text, user=None)
        except curation.CurationError as error:
            event("refused")
            assert str(error)
            assert stored_errata() == errata_before
            assert passage_texts() == before
        else:
            event("saved")
            assert stored_errata() == (text, True)
            corrections = parse_errata(text, name="property-source.toml")
            assert passage_texts() == [apply_corrections(t, corrections)[0] for t in before]
        assert data_files(data_dir) == files


@EXAMPLES
@given(text=errata_documents())
def test_the_errata_parser_says_why_or_returns_corrections_of_text(text):
    try:
        corrections = parse_errata(text, name="x.toml")
    except ErrataError as error:
        assert str(error).startswith("x.toml: ")
    else:
        for correction in corrections:
            assert isinstance(correction.wrong, str) and correction.wrong
            assert "\x00" not in correction.wrong + correction.right + correction.note


@st.composite
def reference_documents(draw) -> str:
    table = draw(st.sampled_from(["term", "event"]))
    keys = (
        ["slug", "name", "kind", "role", "aliases", "description", "citations", "references"]
        if table == "term"
        else ["slug", "date", "precision", "title", "description", "citations", "terms"]
    )
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"[[{table}]]")
        for key in draw(st.lists(st.sampled_from([*keys, "junk"]), unique=True, max_size=6)):
            lines.append(f"{key} = {draw(VALUES)}")
    if draw(st.integers(0, 6)) == 0:
        lines = [draw(st.text(max_size=100))]
    return "\n".join(lines) + "\n"


def reference_rows() -> tuple[list, list]:
    return (
        sorted(
            GlossaryTerm.objects.values_list("slug", "name", "description", "curator_edited_at")
        ),
        sorted(
            TimelineEvent.objects.values_list("slug", "title", "description", "curator_edited_at")
        ),
    )


@EXAMPLES
@given(which=st.sampled_from(["glossary", "timeline"]), text=reference_documents())
def test_glossary_and_timeline_files_are_saved_or_refused_with_nothing_changed(
    data_dir, which, text
):
    files = data_files(data_dir)
    with savepoint():
        before = reference_rows()
        page = curation.reference_page(which=which)
        try:
            saved = curation.save_reference_text(which=which, text=text, base=page.base, user=None)
        except curation.CurationError as error:
            event("refused")
            assert str(error)
            assert reference_rows() == before
        else:
            event("saved")
            # What was saved is what the page now shows: every entry posted, marked as a
            # curator's change (the glossary and timeline started empty).
            model = GlossaryTerm if which == "glossary" else TimelineEvent
            rows = model.objects.order_by("slug")
            assert sorted(saved) == [row.slug for row in rows]
            assert all(row.curator_edited_at is not None for row in rows)
            if saved:
                shown = curation.reference_page(which=which).text
                assert (
                    curation.save_reference_text(
                        which=which,
                        text=shown,
                        base=curation.reference_page(which=which).base,
                        user=None,
                    )
                    == []
                )
        assert data_files(data_dir) == files
