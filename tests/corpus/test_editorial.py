"""Reference works and editorial notes: reading the files, checking them, loading them."""

from __future__ import annotations

import datetime
import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus.editorial import (
    EditorialDataError,
    load_notes,
    load_reference_works,
    parse_note,
    parse_work,
    read_notes,
    read_works,
)
from corpus.models import (
    EditorialDeletion,
    EditorialNote,
    NotePassage,
    ReferenceCitation,
    ReferenceWork,
)
from corpus.reference import ReferenceDataError, load_reference_data
from tests.factories import make_event, make_passage, make_source, make_term

pytestmark = pytest.mark.django_db

WORKS = """
[[work]]
slug = "taubman-2003"
kind = "book"
authors = ["William Taubman"]
issuer = ""
editors = []
title = "Khrushchev: The Man and His Era"
container = ""
volume = ""
issue = ""
publisher = "W. W. Norton"
place = "New York"
year = 2003
date = ""
pages = ""
url = ""
doi = ""
note = "Biography."

[[work]]
slug = "kramer-1998"
kind = "article"
authors = ["Mark Kramer"]
title = "The Soviet Union and the 1956 Crises in Hungary and Poland: Reassessments and New Findings"
container = "Journal of Contemporary History"
volume = "33"
issue = "2"
year = 1998
pages = "163–214"
doi = "10.1177/002200949803300202"
"""

NOTES = """
[[note]]
slug = "deportation-dates"
kind = "correction"
title = "The speech misdates the deportations"
body = \"\"\"
The speech says the Karachai were deported at the end of October 1943.

They were deported on 2 November 1943.
\"\"\"
targets = [
  { passage = { source = "speech", quote = "the end of October, 1943" } },
  { term = "karachai" },
  { event = "deportations" },
  { lesson = "the-secret-speech", quote = "The speech lists the deported peoples." },
]
references = [ { work = "taubman-2003", at = "p. 283" } ]
passages = [ { source = "resolution", quote = "the peoples were rehabilitated" } ]
claim = "According to the speech, the Karachai were deported at the end of October 1943."
correct = "The Karachai were deported on 2 November 1943."

[[note]]
slug = "delegates"
kind = "dispute"
title = "How many delegates?"
body = "The sources count the delegates differently."
targets = [ { passage = { source = "resolution", quote = "delegates of the congress" } } ]
positions = [
  { who = "The resolution", says = "1,436 delegates", passage = { source = "resolution", quote = "delegates of the congress" } },
  { who = "Kramer", says = "1,349 voting delegates", reference = { work = "kramer-1998", at = "p. 170" } },
]
"""


@pytest.fixture
def corpus():
    speech = make_source(slug="speech", title="The speech")
    resolution = make_source(slug="resolution", title="The resolution")
    return {
        "deport": make_passage(
            source=speech,
            key="deport",
            ordinal=1,
            text="At the end of October, 1943, all the Karachai were deported.",
        ),
        "rehab": make_passage(
            source=resolution,
            key="rehab",
            ordinal=1,
            text="Later the peoples were rehabilitated in full.",
        ),
        "delegates": make_passage(
            source=resolution,
            key="delegates",
            ordinal=2,
            text="The delegates of the congress heard the report.",
        ),
        "term": make_term(slug="karachai", name="Karachai"),
        "event": make_event(slug="deportations", title="Deportations"),
    }


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.CORPUS_DATA_DIR = tmp_path
    (tmp_path / "references").mkdir()
    (tmp_path / "notes").mkdir()
    return tmp_path


def write(data_dir, folder: str, name: str, text: str) -> None:
    (data_dir / folder / f"{name}.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def load_all():
    works = load_reference_works()
    return load_notes(works=works)


@pytest.fixture
def loaded(corpus, data_dir):
    write(data_dir, "references", "scholarship", WORKS)
    write(data_dir, "notes", "speech", NOTES)
    return load_all()


# --- parsing -------------------------------------------------------------------------------


def test_a_work_with_every_field_parses_without_problems():
    entry, problems = parse_work(
        {"slug": "x-1", "kind": "book", "authors": ["A B"], "title": "T", "year": 2000}
    )
    assert problems == []
    assert entry.authors == ("A B",)
    assert entry.date is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"kind": "book", "authors": ["A"], "title": "T", "year": 2000}, "needs a slug"),
        ({"slug": "x", "kind": "film", "authors": ["A"], "title": "T", "year": 2000}, "'film'"),
        ({"slug": "x", "kind": "book", "authors": ["A"], "title": "T"}, "needs year"),
        (
            {"slug": "x", "kind": "book", "authors": ["A"], "title": "T", "year": 2000, "isbn": 1},
            "unknown key(s) isbn",
        ),
        (
            {
                "slug": "x",
                "kind": "book",
                "authors": ["A"],
                "title": "T",
                "year": 2000,
                "date": "5 June",
            },
            "not an ISO date",
        ),
        (
            {
                "slug": "x",
                "kind": "book",
                "authors": ["A"],
                "title": "T",
                "year": 2000,
                "url": "ftp://x",
            },
            "not an http(s) address",
        ),
    ],
)
def test_a_malformed_work_is_named_with_its_problem(raw, expected):
    _, problems = parse_work(raw)
    assert any(expected in problem for problem in problems), problems


NOTE = {
    "slug": "n",
    "kind": "context",
    "title": "T",
    "body": "B",
    "targets": [{"term": "beria"}],
    "references": [{"work": "w", "at": "p. 1"}],
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": "opinion"}, "'opinion', not one of correction, context, dispute"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"targets": []}, "needs at least one target"),
        ({"targets": [{"person": "beria"}]}, "has a target that is not one of"),
        ({"targets": [{"passage": {"source": "s"}}]}, "a passage target that is not"),
        (
            {"kind": "correction", "references": [], "passages": [{"source": "s", "quote": "q"}]},
            "is a correction but cites no reference work",
        ),
        ({"references": []}, "cites neither a reference work nor a passage"),
        ({"claim": "x"}, "only a correction may have"),
        ({"positions": [{"who": "a", "says": "b"}]}, "only a dispute may have"),
        ({"body": "<p>hi</p>"}, "HTML in its body"),
        ({"passages": [{"source": "s", "quote": 'say "no"'}]}, "double quote inside"),
        ({"references": [{"work": "w", "page": "1"}]}, "a reference that is not"),
    ],
)
def test_a_malformed_note_is_named_with_its_problem(change, expected):
    _, problems = parse_note({**NOTE, **change})
    assert any(expected in problem and "note 'n'" in problem for problem in problems), problems


def test_a_body_keeps_its_lines_and_shows_as_paragraphs():
    entry, problems = parse_note({**NOTE, "body": "\n  One line\nwraps here.  \n\nTwo.\n"})
    assert problems == []
    note = EditorialNote(body=entry.body)
    assert note.paragraphs == ["One line wraps here.", "Two."]


# --- loading -------------------------------------------------------------------------------


def test_loading_creates_works_notes_and_every_link(loaded, corpus):
    assert ReferenceWork.objects.count() == 2
    note = EditorialNote.objects.for_display().get(slug="deportation-dates")
    assert note.kind == "correction"
    assert note.claim.startswith("According to the speech")
    assert [link.passage for link in note.target_links] == [corpus["deport"]]
    assert [link.passage for link in note.cited_links] == [corpus["rehab"]]
    assert [(c.work.slug, c.at) for c in note.references] == [("taubman-2003", "p. 283")]
    assert list(note.terms.all()) == [corpus["term"]]
    assert list(note.events.all()) == [corpus["event"]]
    assert [(t.lesson, t.quote) for t in note.lesson_targets.all()] == [
        ("the-secret-speech", "The speech lists the deported peoples.")
    ]
    assert note.file == "speech"
    dispute = EditorialNote.objects.for_display().get(slug="delegates")
    rows = dispute.position_rows
    assert [row["who"] for row in rows] == ["The resolution", "Kramer"]
    assert rows[0]["link"].passage == corpus["delegates"] and rows[0]["reference"] is None
    assert (
        rows[1]["reference"].text
        == "Kramer, “The Soviet Union and the 1956 Crises in Hungary and Poland,” p. 170"
    )
    assert dispute.references == []  # the position's reference is not the note's own


def test_a_second_load_changes_nothing_and_says_so(loaded, django_assert_max_num_queries):
    assert loaded.changed
    report = load_all()
    assert not report.changed
    assert "unchanged" in report.summary()
    assert "2 reference works, 2 notes" in report.summary()


def test_an_edited_file_updates_the_note_and_its_links(loaded, data_dir, corpus):
    write(
        data_dir,
        "notes",
        "speech",
        NOTES.replace('{ term = "karachai" },', "").replace('at = "p. 283"', 'at = "pp. 283–284"'),
    )
    report = load_all()
    assert report.changed
    note = EditorialNote.objects.get(slug="deportation-dates")
    assert note.terms.count() == 0
    assert ReferenceCitation.objects.get(note=note).at == "pp. 283–284"


TAUBMAN_ONLY = WORKS.split('[[work]]\nslug = "kramer')[0]
FIRST_NOTE_ONLY = NOTES.split('[[note]]\nslug = "delegates"')[0]


def test_notes_and_works_removed_from_the_files_are_deleted(loaded, data_dir):
    write(data_dir, "notes", "speech", FIRST_NOTE_ONLY)
    write(data_dir, "references", "scholarship", TAUBMAN_ONLY)
    report = load_all()
    assert list(EditorialNote.objects.values_list("slug", flat=True)) == ["deportation-dates"]
    assert not ReferenceWork.objects.filter(slug="kramer-1998").exists()
    assert report.deleted == 2


def test_a_slug_in_two_files_is_refused_naming_both(corpus, data_dir):
    write(data_dir, "references", "scholarship", WORKS)
    write(data_dir, "references", "more", WORKS.split("[[work]]")[1].join(["[[work]]", ""]))
    with pytest.raises(EditorialDataError, match=r"'taubman-2003' is also in more.toml"):
        load_reference_works()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'quote = "the end of October, 1943"',
            'quote = "the middle of May"',
            "no current passage of 'speech' contains 'the middle of May'",
        ),
        ('{ term = "karachai" }', '{ term = "chechens" }', "no glossary term 'chechens'"),
        ('{ event = "deportations" }', '{ event = "nowhere" }', "no timeline event 'nowhere'"),
        ('work = "taubman-2003"', 'work = "nobody-1999"', "no reference work 'nobody-1999'"),
        (
            'source = "resolution", quote = "the peoples',
            'source = "pravda", quote = "the peoples',
            "no source 'pravda'",
        ),
    ],
)
def test_a_bad_reference_leaves_the_database_as_it_was(loaded, data_dir, old, new, message):
    before = list(NotePassage.objects.values_list("pk", "quote"))
    assert old in NOTES
    write(data_dir, "notes", "speech", NOTES.replace(old, new))
    with pytest.raises(EditorialDataError) as error:
        load_all()
    assert "note 'deportation-dates'" in str(error.value)
    assert message in str(error.value)
    assert list(NotePassage.objects.values_list("pk", "quote")) == before


def test_not_valid_toml_is_one_readable_error(corpus, data_dir):
    write(data_dir, "notes", "broken", "[[note]\nslug = ")
    with pytest.raises(EditorialDataError, match=r"broken\.toml: not valid TOML"):
        load_notes()


def test_every_problem_of_a_file_is_listed_at_once(corpus, data_dir):
    write(data_dir, "references", "scholarship", WORKS)
    write(
        data_dir,
        "notes",
        "bad",
        """
        [[note]]
        slug = "one"
        kind = "sermon"
        title = "T"
        body = "B"
        targets = [ { term = "karachai" } ]
        references = [ { work = "taubman-2003" } ]

        [[note]]
        slug = "two"
        kind = "correction"
        title = "T"
        body = "B"
        targets = [ { term = "karachai" } ]
        passages = [ { source = "speech", quote = "Karachai" } ]
        """,
    )
    with pytest.raises(EditorialDataError) as error:
        load_all()
    message = str(error.value)
    assert "bad.toml: note 'one' has kind 'sermon'" in message
    assert "bad.toml: note 'two' is a correction but cites no reference work" in message


# --- edits made in the app -----------------------------------------------------------------


def test_an_edit_made_in_the_app_is_kept_over_the_file_until_exported(loaded, data_dir):
    note = EditorialNote.objects.get(slug="deportation-dates")
    note.title = "A curator's better title"
    note.curator_edited_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    note.save()
    report = load_all()
    assert EditorialNote.objects.get(slug="deportation-dates").title == "A curator's better title"
    assert report.kept == ["note deportation-dates"]
    assert "export_corpus --files" in report.summary()
    # The file catches up (what export_corpus writes): the mark is cleared.
    write(
        data_dir,
        "notes",
        "speech",
        NOTES.replace("The speech misdates the deportations", "A curator's better title"),
    )
    report = load_all()
    assert report.caught_up == ["note deportation-dates"]
    assert EditorialNote.objects.get(slug="deportation-dates").curator_edited_at is None


def test_a_note_made_in_the_app_survives_a_load(loaded, corpus):
    note = EditorialNote.objects.create(
        slug="app-note",
        kind="context",
        title="Made in the app",
        body="Body.",
        file="curated",
        curator_edited_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    NotePassage.objects.create(
        note=note, passage=corpus["rehab"], role="target", quote="peoples were rehabilitated"
    )
    ReferenceCitation.objects.create(
        note=note, work=ReferenceWork.objects.get(slug="taubman-2003"), at="p. 1"
    )
    report = load_all()
    assert EditorialNote.objects.filter(slug="app-note").exists()
    assert "note app-note" in report.kept


def test_a_note_deleted_in_the_app_stays_deleted_while_the_file_lists_it(loaded, data_dir):
    EditorialNote.objects.filter(slug="delegates").delete()
    EditorialDeletion.objects.create(what="note", slug="delegates")
    report = load_all()
    assert not EditorialNote.objects.filter(slug="delegates").exists()
    assert report.skipped == ["note delegates"]
    # Exported: the file no longer lists it, and the deletion is forgotten.
    write(data_dir, "notes", "speech", FIRST_NOTE_ONLY)
    load_all()
    assert not EditorialDeletion.objects.exists()


# --- glossary and timeline references ------------------------------------------------------


GLOSSARY = """
[[term]]
slug = "karachai"
name = "Karachai"
kind = "concept"
description = "A people of the Caucasus."
citations = []
references = [ { work = "taubman-2003", at = "p. 283" } ]
"""

TIMELINE = """
[[event]]
slug = "hungary"
date = 1956-10-23
precision = "day"
title = "Revolution in Hungary"
description = "It began on 23 October 1956."
citations = []
terms = []
references = [ { work = "kramer-1998", at = "pp. 190–192" } ]
"""


def test_glossary_and_timeline_entries_may_rest_on_reference_works_alone(corpus, data_dir):
    write(data_dir, "references", "scholarship", WORKS)
    (data_dir / "glossary.toml").write_text(GLOSSARY, encoding="utf-8")
    (data_dir / "timeline.toml").write_text(TIMELINE, encoding="utf-8")
    load_reference_works()
    report = load_reference_data()
    assert report.changed
    term_refs = ReferenceCitation.objects.filter(term__slug="karachai").select_related("work")
    assert [(c.work.slug, c.at) for c in term_refs] == [("taubman-2003", "p. 283")]
    assert ReferenceCitation.objects.get(event__slug="hungary").at == "pp. 190–192"
    assert not load_reference_data().changed


def test_a_glossary_entry_citing_an_unknown_work_is_refused(corpus, data_dir):
    (data_dir / "glossary.toml").write_text(GLOSSARY, encoding="utf-8")
    (data_dir / "timeline.toml").write_text("", encoding="utf-8")
    with pytest.raises(
        ReferenceDataError, match="glossary term 'karachai': no reference work 'taubman-2003'"
    ):
        load_reference_data()


def test_an_entry_with_neither_citations_nor_references_is_refused(corpus, data_dir):
    (data_dir / "glossary.toml").write_text(
        GLOSSARY.replace('references = [ { work = "taubman-2003", at = "p. 283" } ]', ""),
        encoding="utf-8",
    )
    (data_dir / "timeline.toml").write_text("", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="needs at least one citation"):
        load_reference_data()


def test_a_work_still_cited_by_the_glossary_is_not_deleted(corpus, data_dir):
    write(data_dir, "references", "scholarship", WORKS)
    (data_dir / "glossary.toml").write_text(GLOSSARY, encoding="utf-8")
    (data_dir / "timeline.toml").write_text("", encoding="utf-8")
    load_reference_works()
    load_reference_data()
    write(
        data_dir, "references", "scholarship", TAUBMAN_ONLY.replace("taubman-2003", "taubman-2004")
    )
    with pytest.raises(
        EditorialDataError, match=r"taubman-2003 \(cited by glossary term 'karachai'\)"
    ):
        load_all()


# --- export_corpus --editorial -----------------------------------------------------------


def export(directory) -> str:
    err = io.StringIO()
    call_command("export_corpus", "--editorial", str(directory), stderr=err, stdout=io.StringIO())
    return err.getvalue()


def test_export_writes_files_that_load_back_unchanged(loaded, data_dir, tmp_path):
    target = tmp_path / "exported"
    target.mkdir()
    export(target)
    assert sorted(p.name for p in (target / "notes").iterdir()) == ["speech.toml"]
    assert sorted(p.name for p in (target / "references").iterdir()) == ["scholarship.toml"]
    text = (target / "notes" / "speech.toml").read_text()
    assert 'body = """\nThe speech says the Karachai were deported' in text
    assert '  { passage = { source = "speech", quote = "the end of October, 1943" } },' in text

    def by_slug(entries):
        return sorted(entries, key=lambda entry: entry.slug)

    assert by_slug(read_notes(data_dir=target)) == by_slug(read_notes(data_dir=data_dir))
    assert by_slug(read_works(data_dir=target)) == by_slug(read_works(data_dir=data_dir))
    # Loaded from the exported files, nothing changes.
    assert not load_all_from(target).changed


def load_all_from(directory):
    return load_notes(data_dir=directory, works=load_reference_works(data_dir=directory))


def test_an_edit_made_in_the_app_reaches_the_file_as_a_small_diff(loaded, data_dir):
    path = data_dir / "notes" / "speech.toml"
    before = path.read_text()
    assert "already hold" in export(data_dir)  # nothing curated: the file is left alone
    assert path.read_text() == before
    note = EditorialNote.objects.get(slug="delegates")
    note.title = "How many delegates were there?"
    note.curator_edited_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    note.save()
    assert "wrote" in export(data_dir)
    after = path.read_text()
    # The other note is untouched, byte for byte; the edited one carries the new title.
    first = before[: before.index('[[note]]\nslug = "delegates"')]
    assert after.startswith(first)
    assert 'title = "How many delegates were there?"' in after[len(first) :]
    assert "How many delegates?" not in after
    report = load_all()
    assert report.caught_up == ["note delegates"]
    assert "already hold" in export(data_dir)


def test_export_keeps_a_files_comments_and_order(loaded, data_dir):
    path = data_dir / "notes" / "speech.toml"
    text = path.read_text().replace(
        '[[note]]\nslug = "delegates"', '# Counted differently.\n[[note]]\nslug = "delegates"'
    )
    path.write_text("# Notes on the speech, by the lesson 1 author.\n\n" + text)
    load_all()
    note = EditorialNote.objects.get(slug="deportation-dates")
    note.title = "Edited in the app"
    note.curator_edited_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    note.save()
    export(data_dir)
    text = path.read_text()
    assert text.startswith("# Notes on the speech, by the lesson 1 author.\n")
    assert "# Counted differently.\n[[note]]\n" in text
    assert text.index('slug = "deportation-dates"') < text.index('slug = "delegates"')
    assert 'title = "Edited in the app"' in text


def test_a_note_made_in_the_app_goes_to_the_curated_file_and_a_deleted_one_leaves(
    loaded, data_dir, corpus
):
    note = EditorialNote.objects.get(slug="delegates")
    EditorialDeletion.objects.create(what="note", slug="delegates")
    note.delete()
    made = EditorialNote.objects.create(
        slug="app-note",
        kind="context",
        title="Made in the app",
        body="Body.",
        file="curated",
        curator_edited_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    NotePassage.objects.create(
        note=made, passage=corpus["rehab"], role="target", quote="peoples were rehabilitated"
    )
    ReferenceCitation.objects.create(
        note=made, work=ReferenceWork.objects.get(slug="taubman-2003"), at="p. 9"
    )
    export(data_dir)
    assert 'slug = "delegates"' not in (data_dir / "notes" / "speech.toml").read_text()
    assert 'slug = "app-note"' in (data_dir / "notes" / "curated.toml").read_text()
    report = load_all()
    assert not EditorialDeletion.objects.exists()
    assert report.caught_up == ["note app-note"]


def test_export_never_undoes_a_file_edit_that_was_not_loaded(loaded, data_dir):
    path = data_dir / "notes" / "speech.toml"
    path.write_text(path.read_text().replace("How many delegates?", "Edited in the file"))
    output = export(data_dir)
    assert "Edited in the file" in path.read_text()
    assert "note delegates: the file differs from the database" in output


def test_export_into_a_missing_directory_is_one_line(db, tmp_path):
    with pytest.raises(CommandError, match="it is not a directory"):
        export(tmp_path / "nowhere")


def test_a_control_character_or_deep_nesting_is_refused_readably(corpus, data_dir):
    _, problems = parse_note({**NOTE, "title": "Bad\u0000title"})
    assert any("control character" in problem for problem in problems)
    write(data_dir, "notes", "deep", "x = " + "[" * 5000 + "]" * 5000)
    with pytest.raises(EditorialDataError, match=r"deep\.toml: not valid TOML"):
        load_notes()


def test_a_number_too_long_to_read_is_a_toml_error_not_a_crash(corpus, data_dir):
    write(data_dir, "references", "huge", "[[work]]\nyear = " + "9" * 5000 + "\n")
    with pytest.raises(EditorialDataError, match=r"huge\.toml: not valid TOML"):
        load_reference_works()
