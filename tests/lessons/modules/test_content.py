"""The four shipped modules (lessons/content/*.md) against the real corpus."""

from pathlib import Path

import pytest
from django.core.management import call_command

from corpus.citations import Citation, CitationError, CitationIndex
from corpus.editorial import read_works
from lessons.models import Citation as LessonCitation
from lessons.models import Module
from lessons.modules.loading import content_files, parse_module
from lessons.modules.rendering import parse_body

DATA = Path(__file__).resolve().parents[3] / "corpus" / "data"

SOURCES = [
    "speech-congressional-record",
    "speech-anthology",
    "resolution-news-booklet",
    "history-today-article",
    "encyclopedia-article",
]


@pytest.fixture
def real_corpus(db):
    from corpus.ingest import load_corpus

    load_corpus()


def shipped_modules():
    return [(path, parse_module(text=path.read_text(encoding="utf-8"))) for path in content_files()]


def test_four_modules_ship_with_objectives_sections_prompts_and_timeline():
    modules = shipped_modules()
    assert [m.ordinal for _, m in modules] == [1, 2, 3, 4]
    for path, module in modules:
        assert 4 <= len(module.sections) <= 8, path.name
        assert 3 <= len(module.prompts) <= 5, path.name
        assert module.objectives, path.name
        assert module.timeline, path.name
        refs = [ref for s in module.sections for ref in parse_body(body=s.body).refs]
        assert any(ref.kind == "excerpt" for ref in refs), path.name
        assert {ref.source for ref in refs if ref.kind != "ref"} <= set(SOURCES), path.name


def test_every_reference_work_the_shipped_modules_cite_is_in_the_bibliography():
    # read_works raises, listing every problem, if a references file is malformed.
    known = {work.slug for work in read_works(data_dir=DATA)}
    unknown = sorted(
        {
            f"{path.name}: {ref.source}"
            for path, module in shipped_modules()
            for section in module.sections
            for ref in parse_body(body=section.body).refs
            if ref.kind == "ref" and ref.source not in known
        }
    )
    assert unknown == []


def test_every_citation_in_the_shipped_modules_resolves_against_the_cleaned_text(real_corpus):
    index = CitationIndex.for_sources(SOURCES)
    problems, count = [], 0
    for path, module in shipped_modules():
        for section in module.sections:
            for ref in parse_body(body=section.body).refs:
                if ref.kind == "ref":
                    continue  # reference works: the test above
                count += 1
                try:
                    index.find(Citation(source=ref.source, quote=ref.quote))
                except CitationError as error:
                    problems.append(f"{path.name} / {section.title}: {error}")
    assert count > 150
    assert problems == []


def test_every_section_of_the_shipped_modules_cites_the_sources():
    # What a source says is cited to a passage, what happened to a reference work.
    for path, module in shipped_modules():
        for section in module.sections:
            cited = [r for r in parse_body(body=section.body).refs if r.kind in ("note", "ref")]
            assert cited, f"{path.name} / {section.title} cites no passage or reference work"


def test_load_lessons_loads_the_shipped_modules_once_and_then_changes_nothing(db, capsys):
    call_command("load_corpus")  # sources, glossary and timeline
    call_command("load_lessons")
    assert Module.objects.count() == 4
    assert LessonCitation.objects.filter(passage__is_current=False).count() == 0
    capsys.readouterr()
    call_command("load_lessons")
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out
