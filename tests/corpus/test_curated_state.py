"""The database is the truth at run time (corpus.curated): a curator's glossary edit made
in the app survives every later `load_corpus`, which says so; a file changed since is
reported as a conflict, never taken silently; `export_corpus --files` or
`load_corpus --take-file` settles it."""

from __future__ import annotations

import io
import tomllib

import pytest
from django.core.management import call_command

from corpus import curation, reference_editing
from corpus.models import GlossaryTerm, SourceErrata
from tests.factories import make_user
from tests.reliability.test_fuzz import data_dir  # noqa: F401 - a fixture: the tiny corpus

pytestmark = pytest.mark.django_db

TERM = """[[term]]
slug = "stalin"
name = "Joseph Stalin"
kind = "person"
role = "soviet-leader"
aliases = ["Stalin"]
description = "{description}"
citations = [{{ source = "fuzz-manifest-source", quote = "names Stalin and the Congress" }}]
"""


def load(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_corpus", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def description() -> str:
    return GlossaryTerm.objects.get(slug="stalin").description


def curator_edits_the_glossary(text: str) -> None:
    page = reference_editing.page(which="glossary")
    reference_editing.save_text(which="glossary", text=text, base=page.base, user=make_user())


@pytest.fixture
def edited(data_dir):  # noqa: F811 - the fixture
    """Loaded twice from the files, then the curator's edit of the one term."""
    glossary = data_dir / "glossary.toml"
    glossary.write_text(TERM.format(description="Party leader."), encoding="utf-8")
    load()
    out, err = load()
    assert "CONFLICT" not in out + err and description() == "Party leader."
    curator_edits_the_glossary(TERM.format(description="General Secretary."))
    assert description() == "General Secretary."
    return glossary


def test_a_load_keeps_the_curators_glossary_edit_and_says_so(edited):
    out, err = load()
    assert description() == "General Secretary."
    assert GlossaryTerm.objects.get(slug="stalin").curator_edited_at is not None
    assert "kept curators' changes made in the app" in out and "term stalin" in out
    assert "CONFLICT" not in out + err
    load("--force")  # a forced reload of every source keeps it too
    assert description() == "General Secretary."


def test_a_file_changed_since_the_curators_edit_is_a_conflict_and_the_edit_is_kept(edited):
    edited.write_text(TERM.format(description="Dictator."), encoding="utf-8")
    out, err = load()
    assert "CONFLICT" in out  # with the load's report ...
    assert "CONFLICT" in err and "term stalin" in err  # ... and where an operator's log shows it
    assert description() == "General Secretary."
    _out, err = load()  # reported at every load until it is settled
    assert "CONFLICT" in err


def test_export_settles_a_conflict_with_the_curators_version(edited):
    edited.write_text(TERM.format(description="Dictator."), encoding="utf-8")
    load()
    call_command("export_corpus", files=str(edited.parent), stderr=io.StringIO())
    (term,) = tomllib.loads(edited.read_text(encoding="utf-8"))["term"]
    assert term["description"].strip() == "General Secretary."
    out, err = load()
    assert "CONFLICT" not in out + err and "the files now hold" in out
    assert GlossaryTerm.objects.get(slug="stalin").curator_edited_at is None
    # From now on the files lead again: a later change of the file is loaded.
    edited.write_text(TERM.format(description="Dictator."), encoding="utf-8")
    load()
    assert description() == "Dictator."


def test_take_file_settles_a_conflict_with_the_files_version(edited):
    edited.write_text(TERM.format(description="Dictator."), encoding="utf-8")
    load()
    out, err = load("--take-file", "term:stalin")
    assert "took the files' version of: term stalin" in out and "CONFLICT" not in err
    assert description() == "Dictator."
    assert GlossaryTerm.objects.get(slug="stalin").curator_edited_at is None


def test_errata_saved_in_the_app_are_kept_over_a_changed_errata_file(data_dir):  # noqa: F811
    load()
    source = curation.Source.objects.get(slug="fuzz-manifest-source")
    app = '[[correction]]\nwrong = "closed session"\nright = "closed sitting"\n'
    curation.save_errata(source=source, text=app, user=make_user())
    (data_dir / "errata" / "fuzz-manifest-source.toml").write_text(
        '[[correction]]\nwrong = "Thaw"\nright = "thaw"\n', encoding="utf-8"
    )
    _out, err = load()
    assert "CONFLICT" in err and "errata fuzz-manifest-source" in err
    assert SourceErrata.objects.get(source=source).text == app
    assert source.passages.filter(is_current=True, text__contains="closed sitting").exists()
    assert source.passages.filter(is_current=True, text__contains="Thaw that").exists()
