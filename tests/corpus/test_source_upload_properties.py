"""Property tests of the source upload (corpus.curation.upload_source, the curation page's
"Add a source"): random and hostile files and form values.

Each upload ends in a CurationError with no source, work or passage added, or in a new
source kept in the database (its text a SourceFile) whose passages hold the document's text
and whose manifest entry, written by `export_corpus --files` to another directory, reads
back. Either way no file is written in the corpus folder (the database is the truth at run
time). Never another exception, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import tempfile
import tomllib
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from corpus import curation
from corpus.cleaning import fix_encoding, normalise_dashes
from corpus.exporting import export_files
from corpus.ingest import read_manifest
from corpus.models import Passage, Source, SourceFile, Work

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MANIFEST = "# Nothing loaded from files: the one work is made in the database (as in the admin).\n"


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
    (tmp_path / "sources.toml").write_text(MANIFEST, encoding="utf-8")
    for name in ("glossary.toml", "timeline.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    settings.CORPUS_DATA_DIR = tmp_path
    return tmp_path


def files_in(folder) -> set:
    return {path for path in folder.rglob("*") if path.is_file()}


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzАБВЁё,.;'’ -", min_size=1, max_size=10)
PARAGRAPH = st.lists(WORDS, min_size=3, max_size=25).map(" ".join)
DOCUMENTS = st.one_of(
    st.lists(PARAGRAPH, min_size=1, max_size=5).map(lambda ps: "\n\n".join(ps).encode()),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"",
            b"   \n\n ",
            b"a\x00b",
            "Ёлка\n\nx".encode("utf-16"),
            b"\x1b[2J text",
            b"\xef\xbb\xbf",
        ]
    ),
)
HOSTILE = st.sampled_from(
    ['"', "'''", '"""', "\\", "]]", "[[work]]", "\n", "\x00", "\x7f", "=", "x" * 400, "ё", ""]
)
FIELD = st.one_of(WORDS, HOSTILE, st.text(max_size=20))
NAMES = st.sampled_from(
    ["doc.txt", "doc.md", "doc.TXT", "doc.csv", "doc", "../../doc.txt", ".txt", "x" * 300 + ".txt"]
)


@st.composite
def uploads(draw) -> dict:
    """Mostly hostile in every field; a third of them a plausible document and form."""
    if draw(st.integers(0, 2)) == 0:
        return {
            "name": draw(st.sampled_from(["speech.txt", "notes.md", "x" * 260 + ".txt"])),
            "data": "\n\n".join(draw(st.lists(PARAGRAPH, min_size=1, max_size=5))).encode(),
            "title": draw(WORDS.filter(str.strip)) + draw(st.sampled_from(["", " ё", ' "q"'])),
            "work": draw(st.sampled_from(["kept-work", "A new work", "Новая"])),
            "date": draw(st.sampled_from(["", "1956", "1956-06", "1956-06-30"])),
            "kind": draw(st.sampled_from(Source.Kind.values)),
            "author": draw(st.one_of(st.just(""), WORDS)),
            "citation": draw(st.one_of(st.just(""), WORDS, HOSTILE)),
        }
    return {
        "name": draw(NAMES),
        "data": draw(DOCUMENTS),
        "title": draw(FIELD),
        "work": draw(st.one_of(FIELD, st.just("kept-work"))),
        "date": draw(
            st.one_of(
                st.sampled_from(["", "1956", "1956-02", "1956-02-30", "0000", "99999"]), FIELD
            )
        ),
        "kind": draw(st.sampled_from([*Source.Kind.values, "", "nonsense"])),
        "author": draw(FIELD),
        "citation": draw(FIELD),
    }


@EXAMPLES
@given(upload=uploads())
@example(
    upload={
        "name": "doc.txt",
        "data": b"A first paragraph of the document.\n\nA second one.",
        "title": "Title\x00",
        "work": "kept-work",
        "date": "1956",
        "kind": "other",
        "author": "",
        "citation": "",
    }
)
@example(
    upload={
        "name": "doc.txt",
        "data": b"A first paragraph of the document.\n\nA second one.",
        "title": "Title",
        "work": "kept-work",
        "date": "1956",
        "kind": "other",
        "author": "",
        "citation": "Cited\x00 here",
    }
)
@example(
    upload={
        "name": "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ.txt",
        "data": b"A first paragraph of the document.\n\nA second one.",
        "title": "Long name",
        "work": "kept-work",
        "date": "1956",
        "kind": "other",
        "author": "",
        "citation": "",
    }
)
@example(  # mojibake repaired in the passage: "\x80" is "€" (found by a run)
    upload={
        "name": "doc.txt",
        "data": b"0\xc2\x80",
        "title": "a",
        "work": "kept-work",
        "date": "",
        "kind": "full",
        "author": ";",
        "citation": ";",
    }
)
@example(  # typewriter dashes become an en dash in the passage (found by CI)
    upload={
        "name": "speech.txt",
        "data": b"; ; a--",
        "title": "a",
        "work": "kept-work",
        "date": "",
        "kind": "full",
        "author": "",
        "citation": "",
    }
)
def test_an_upload_adds_one_whole_source_or_nothing(data_dir, upload):
    data, title = upload["data"], upload["title"]
    files = files_in(data_dir)
    with savepoint():
        Work.objects.create(slug="kept-work", title="Kept work", kind="speech")
        counts = (Source.objects.count(), Work.objects.count(), Passage.objects.count())
        try:
            source = curation.upload_source(user=None, **upload)
        except curation.CurationError as error:
            event("refused")
            assert str(error)
            assert (Source.objects.count(), Work.objects.count(), Passage.objects.count()) == counts
            assert files_in(data_dir) == files
            return
        event("added")
        assert files_in(data_dir) == files
        assert source.title == " ".join(title.split()) or source.title == title.strip()
        text = " ".join(data.decode("utf-8-sig").split())
        for passage in source.passages.all():
            # Read as the cleaning reads it: mojibake repaired ("\x80" is "€" mis-decoded),
            # typewriter dashes as pandoc reads them ("--" an en dash).
            assert " ".join(passage.text.split())[:20] in normalise_dashes(fix_encoding(text))
        stored = SourceFile.objects.get(source=source)  # the upload as it came
        assert " ".join(stored.text.split()) == text
        with tempfile.TemporaryDirectory() as folder:
            export_files(directory=Path(folder))
            assert source.slug in {entry.slug for entry in read_manifest(Path(folder)).sources}
            for path in (Path(folder) / "imported").glob("*.toml"):
                tomllib.loads(path.read_text(encoding="utf-8"))
