"""`manage.py load_lessons`: idempotent, and all-or-nothing on a broken citation."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from lessons.models import Citation, Module, Section
from tests.factories import make_event, make_passage, make_source

MODULE = """+++
slug = "{slug}"
title = "{title}"
ordinal = {ordinal}
objectives = ["Explain the night meeting."]
prompts = ["Why at night?"]
timeline = ["speech-given"]
+++

## The night meeting {{#night}}

The delegates were summoned at night.[^speech-anthology: "{quote}"]

{{{{ excerpt source="speech-anthology" quote="no photograph" }}}}

## Afterwards

It was over.[^speech-anthology: "no photograph of Stalin"]
"""


@pytest.fixture
def corpus(db):
    source = make_source(slug="speech-anthology", title="Speech anthology")
    make_passage(source=source, key="night", text="The delegates were summoned to a night meeting.")
    make_passage(source=source, key="hall", text="There was no photograph of Stalin in the hall.")
    make_event(slug="speech-given", date=datetime.date(1956, 2, 25))
    return source


def write(
    tmp_path, name="01-module.md", slug="night", title="Night", ordinal=1, quote="night meeting"
):
    path = tmp_path / name
    path.write_text(
        MODULE.format(slug=slug, title=title, ordinal=ordinal, quote=quote), encoding="utf-8"
    )
    return path


def snapshot():
    return (
        list(Module.objects.order_by("pk").values()),
        list(Section.objects.order_by("pk").values()),
        list(Citation.objects.order_by("pk").values()),
        list(Module.timeline_events.through.objects.order_by("pk").values()),
    )


def test_load_creates_module_sections_citations_and_timeline(corpus, tmp_path, capsys):
    call_command("load_lessons", str(write(tmp_path)))
    module = Module.objects.get(slug="night")
    assert [s.slug for s in module.sections.all()] == ["night", "afterwards"]
    assert module.objective_list == ["Explain the night meeting."]
    assert [e.slug for e in module.timeline_events.all()] == ["speech-given"]
    night = module.sections.get(slug="night")
    assert sorted(night.citations.values_list("kind", "passage__key")) == [
        ("excerpt", "hall"),
        ("note", "night"),
    ]
    assert "1 created" in capsys.readouterr().out


def test_second_load_changes_nothing(corpus, tmp_path, capsys):
    path = write(tmp_path)
    call_command("load_lessons", str(path))
    before = snapshot()
    call_command("load_lessons", str(path))
    assert snapshot() == before
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_edited_file_updates_in_place_and_drops_removed_sections(corpus, tmp_path):
    path = write(tmp_path)
    call_command("load_lessons", str(path))
    module_pk = Module.objects.get().pk
    path.write_text(path.read_text().split("## Afterwards")[0].replace("Night", "Nights"))
    call_command("load_lessons", str(path))
    module = Module.objects.get()
    assert module.pk == module_pk and module.title == "Nights"
    assert [s.slug for s in module.sections.all()] == ["night"]


def test_broken_citation_aborts_naming_file_and_quote_and_writes_nothing(corpus, tmp_path):
    good = write(tmp_path, name="01-good.md", slug="good")
    call_command("load_lessons", str(good))
    good.write_text(good.read_text().replace('title = "Night"', 'title = "Changed"'))
    bad = write(tmp_path, name="02-bad.md", slug="bad", quote="a day meeting")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_lessons", str(good), str(bad))
    message = str(error.value)
    assert "02-bad.md" in message and "a day meeting" in message
    assert "\n" not in message
    assert snapshot() == before  # not even the good file's change was kept


def test_unknown_timeline_event_aborts(corpus, tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text().replace('"speech-given"', '"no-such-event"'))
    with pytest.raises(CommandError, match="no-such-event"):
        call_command("load_lessons", str(path))
    assert not Module.objects.exists()


def test_dry_run_checks_everything_and_writes_nothing(corpus, tmp_path, capsys):
    call_command("load_lessons", str(write(tmp_path)), "--dry-run")
    assert not Module.objects.exists()
    assert "[dry run]" in capsys.readouterr().out


def test_missing_file_is_a_one_line_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such lesson file"):
        call_command("load_lessons", str(tmp_path / "nope.md"))
