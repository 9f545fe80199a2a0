"""load_corpus, import_source and export_corpus as an operator runs them."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus.curated import CurationReport
from corpus.management.commands import load_corpus as load_corpus_command
from corpus.models import GlossaryTerm, Passage, Source, TimelineEvent, Work
from tests.factories import make_event, make_term

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
ROOT = DATA.parents[1]


@pytest.fixture
def data_dir(tmp_path, settings):
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(DATA / "sources.toml", target / "sources.toml")
    shutil.copytree(DATA / "sources", target / "sources")
    shutil.copytree(DATA / "errata", target / "errata")
    settings.CORPUS_DATA_DIR = target
    return target


@pytest.fixture
def downstream(monkeypatch):
    """Stand-ins for the glossary/timeline loader and the search index, which are
    tested with their own modules; here we check that load_corpus calls them."""
    calls: list[str] = []

    def load_reference_data(**_options):
        calls.append("reference")
        return types.SimpleNamespace(terms=0, events=0, curation=CurationReport())

    def rebuild_index():
        calls.append("index")
        return 0

    monkeypatch.setattr(load_corpus_command, "load_reference_data", load_reference_data)
    monkeypatch.setattr(load_corpus_command, "rebuild_index", rebuild_index)
    return calls


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def database_state() -> tuple:
    return (
        list(Work.objects.order_by("pk").values()),
        list(Source.objects.order_by("pk").values()),
        list(Passage.objects.order_by("pk").values()),
    )


def directory_state(path: Path) -> list[tuple[str, bytes]]:
    return sorted(
        (str(p.relative_to(path)), p.read_bytes()) for p in path.rglob("*") if p.is_file()
    )


# --- load_corpus ---------------------------------------------------------------


@pytest.mark.django_db
def test_load_corpus_prints_a_summary_per_source_and_calls_reference_and_index(
    data_dir, downstream
):
    output = run("load_corpus")
    assert "speech-congressional-record: 88 passages, 88 added, 0 changed, 0 retired" in output
    assert "20 corrections applied" in output
    assert len([line for line in output.splitlines() if " passages, " in line]) == 5
    assert downstream == ["reference", "index"]


@pytest.mark.django_db
def test_second_load_corpus_reports_every_source_unchanged(data_dir, downstream):
    run("load_corpus")
    output = run("load_corpus")
    sources = [line for line in output.splitlines() if " passages)" in line]
    assert len(sources) == 5 and all("unchanged" in line for line in sources)
    assert "editorial: 0 reference works, 0 notes (unchanged)" in output


@pytest.mark.django_db
def test_load_corpus_with_a_missing_file_fails_in_one_line_and_changes_nothing(
    data_dir, downstream
):
    run("load_corpus")
    before = database_state()
    (data_dir / "sources" / "002_c88ca9a72314d376.txt").unlink()
    (data_dir / "errata" / "speech-anthology.toml").write_text(
        '[[correction]]\nwrong = "Comrades!"\nright = "Comrades,"\n'
    )
    with pytest.raises(CommandError, match="resolution-news-booklet: file not found") as error:
        run("load_corpus")
    assert "\n" not in str(error.value)
    assert database_state() == before


@pytest.mark.django_db
def test_load_corpus_rolls_back_when_reference_data_fails(data_dir, monkeypatch):
    def broken(**_options):
        raise ValueError("glossary.toml: term 'x' cites a quotation not found")

    monkeypatch.setattr(load_corpus_command, "load_reference_data", broken)
    with pytest.raises(CommandError, match="cites a quotation not found"):
        run("load_corpus")
    assert database_state() == ([], [], [])


@pytest.mark.django_db
def test_load_corpus_refuses_unknown_options(data_dir, downstream):
    with pytest.raises(CommandError, match="unrecognized arguments: --bogus"):
        run("load_corpus", "--bogus")
    assert database_state() == ([], [], [])


def test_a_bad_option_on_the_command_line_is_a_one_line_error():
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_source",
            "x.md",
            "--work",
            "w",
            "--title",
            "t",
            "--date",
            "1956",
            "--bogus",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--bogus" in result.stderr


# --- import_source ------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Reactions in Poland\n\n"
        "The speech was read out at *party meetings* across Poland in March 1956.\n\n"
        "## Hungary\n\n"
        "- It encouraged the reformers.\n- It worried the leadership.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_import_source_adds_a_source_that_load_corpus_keeps(data_dir, downstream, notes):
    run("load_corpus")
    output = run(
        "import_source",
        str(notes),
        "--work",
        "Reactions to the speech",
        "--title",
        "Notes on reactions",
        "--date",
        "1956-03",
        "--author",
        "A. Teacher",
    )
    assert "notes-on-reactions: 5 passages, 5 added" in output
    source = Source.objects.get(slug="notes-on-reactions")
    assert (source.work.title, source.date_display, source.file_name) == (
        "Reactions to the speech",
        "March 1956",
        "notes-on-reactions.md",
    )
    passages = list(source.passages.order_by("ordinal"))
    assert [p.kind for p in passages] == ["heading", "body", "heading", "body", "body"]
    assert (
        passages[1].text == "The speech was read out at party meetings across Poland in March 1956."
    )
    assert passages[3].section == "Hungary"
    # Kept in the database, as a curator's upload is: nothing is written under corpus/data.
    assert source.curated_file.text == notes.read_text()
    assert not (data_dir / "sources" / "notes-on-reactions.md").exists()
    assert not (data_dir / "imported").exists()

    keys = {p.key for p in passages}
    output = run("load_corpus")
    assert "notes-on-reactions: unchanged (5 passages)" in output
    assert "source notes-on-reactions" in output  # listed among curators' changes kept
    assert Source.objects.filter(slug="notes-on-reactions").count() == 1
    # Exported, it ships: a fresh database gets it back from the files, keys and all.
    call_command("export_corpus", "--files", stdout=io.StringIO(), stderr=io.StringIO())
    assert (data_dir / "sources" / "notes-on-reactions.md").read_bytes() == notes.read_bytes()
    assert (
        'slug = "notes-on-reactions"'
        in (data_dir / "imported" / "notes-on-reactions.toml").read_text()
    )
    Passage.objects.all().delete()
    Source.objects.all().delete()
    Work.objects.all().delete()
    run("load_corpus")
    source = Source.objects.get(slug="notes-on-reactions")
    assert {p.key for p in source.passages.all()} == keys
    assert source.curator_edited_at is None  # the files hold it now


@pytest.mark.django_db
def test_import_source_into_an_existing_work_by_slug(data_dir, downstream, notes):
    run("load_corpus")
    run(
        "import_source",
        str(notes),
        "--work",
        "secret-speech",
        "--title",
        "Speech notes",
        "--date",
        "1956",
    )
    assert Source.objects.get(slug="speech-notes").work.slug == "secret-speech"
    assert Work.objects.count() == 4


def _bad_inputs(tmp_path: Path, data_dir: Path) -> dict[str, tuple[list[str], str]]:
    def file(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    good = file("good.md", b"# Title\n\nA paragraph of text.\n")
    base = ["--work", "secret-speech", "--title", "Good", "--date", "1956-02-25"]
    return {
        "missing file": ([str(tmp_path / "nope.md"), *base], "no such file"),
        "empty file": ([file("empty.md", b""), *base], "empty"),
        "blank file": ([file("blank.md", b"\n \n"), *base], "no text"),
        "binary file": ([file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), *base], "binary"),
        "non-UTF-8": ([file("latin.txt", "Caf\xe9 Moskva".encode("latin-1")), *base], "not UTF-8"),
        "not text": ([file("scan.pdf", b"%PDF-1.4 text"), *base], "plain text or Markdown"),
        "too big": ([file("big.md", b"word " * 300), *base], "limit"),
        "same content": (
            [str(data_dir / "sources" / "003_924c01cb305699af.txt"), *base],
            "already in the corpus",
        ),
        "existing slug": ([good, *base, "--slug", "speech-anthology"], "already exists"),
        "bad date": ([good, *base[:-1], "25/02/1956"], "bad date"),
        "impossible date": ([good, *base[:-1], "1956-02-30"], "bad date"),
        "bad kind": ([good, *base, "--kind", "poem"], "unknown kind"),
        "bad slug": ([good, *base, "--slug", "Not A Slug"], "bad slug"),
        "unknown option": ([good, *base, "--colour", "red"], "unrecognized arguments"),
        "missing title": ([good, "--work", "secret-speech", "--date", "1956"], "--title"),
    }


BAD_INPUTS = [
    "missing file",
    "empty file",
    "blank file",
    "binary file",
    "non-UTF-8",
    "not text",
    "too big",
    "same content",
    "existing slug",
    "bad date",
    "impossible date",
    "bad kind",
    "bad slug",
    "unknown option",
    "missing title",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_INPUTS)
def test_import_source_bad_input_is_a_one_line_error_that_changes_nothing(
    case, data_dir, downstream, tmp_path, settings
):
    run("load_corpus")
    if case == "too big":
        settings.CORPUS_MAX_UPLOAD_BYTES = 1000
    args, message = _bad_inputs(tmp_path, data_dir)[case]
    before, files = database_state(), directory_state(data_dir)
    with pytest.raises(CommandError, match=message) as error:
        run("import_source", *args)
    assert "\n" not in str(error.value)
    assert database_state() == before
    assert directory_state(data_dir) == files


# --- export_corpus ---------------------------------------------------------------------


@pytest.mark.django_db
def test_export_corpus_writes_documented_json_to_stdout(data_dir, downstream):
    run("load_corpus")
    passage = Passage.objects.get(
        source__slug="speech-anthology", text__startswith="Vladimir Ilyich said:"
    )
    term = make_term(slug="lenin", name="Lenin")
    term.citations.add(passage)
    event = make_event(slug="speech", title="The speech")
    event.citations.add(passage)
    event.terms.add(term)

    exported = json.loads(run("export_corpus", "--format", "json"))
    assert set(exported) == {
        "format",
        "version",
        "works",
        "sources",
        "passages",
        "glossary",
        "timeline",
    }
    assert exported["version"] == 1
    assert len(exported["sources"]) == 5
    row = next(p for p in exported["passages"] if p["key"] == passage.key)
    assert row == {
        "source": "speech-anthology",
        "key": passage.key,
        "ordinal": passage.ordinal,
        "kind": "body",
        "section": "'We must abolish the cult of the individual'",
        "page_start": 270,
        "page_end": 270,
        "text": "Vladimir Ilyich said:",
        "quality": "good",
        "quality_note": "",
        "corrections": [],
        "is_current": True,
        "quoted_work": None,
        "text_changed_at": None,
    }
    assert exported["glossary"][0]["citations"] == [
        {"source": "speech-anthology", "key": passage.key}
    ]
    assert exported["timeline"][0]["citations"] == [
        {"source": "speech-anthology", "key": passage.key}
    ]
    assert exported["timeline"][0]["terms"] == ["lenin"]


@pytest.mark.django_db
def test_export_corpus_is_deterministic_and_writes_a_file(data_dir, downstream, tmp_path):
    run("load_corpus")
    target = tmp_path / "corpus.json"
    run("export_corpus", "--format", "json", "-o", str(target))
    assert target.read_text(encoding="utf-8") == run("export_corpus")


@pytest.mark.django_db
def test_export_corpus_runs_a_constant_number_of_queries(
    data_dir, downstream, django_assert_num_queries
):
    run("load_corpus")
    for n in range(3):
        make_term(slug=f"t{n}").citations.add(*Passage.objects.all()[:3])
        make_event(slug=f"e{n}").citations.add(*Passage.objects.all()[:2])
    with django_assert_num_queries(8):
        run("export_corpus")
    assert GlossaryTerm.objects.count() == 3 and TimelineEvent.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["-o", "/no/such/dir/corpus.json"], "does not exist"),
        (["--pretty"], "unrecognized arguments"),
    ],
)
def test_export_corpus_bad_options_are_one_line_errors(args, message):
    with pytest.raises(CommandError, match=message) as error:
        run("export_corpus", *args)
    assert "\n" not in str(error.value)
