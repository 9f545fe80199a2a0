"""Lesson prose reads at about grade 10 (issue 13): the Flesch–Kincaid grade of each
shipped lesson's own words, measured with textstat.

Measured on what a student reads as the lesson's prose: citations and excerpts left out
(an excerpt is the source speaking, not the lesson), glossary links as their text,
headings and Markdown marks dropped. Run with `-s` to see the figure for each lesson.
"""

import re

import pytest
import textstat

from lessons.modules.loading import content_files, parse_module
from lessons.modules.rendering import PLACEHOLDER, parse_body
from lessons.modules.source_analysis import parse_task, task_files

# "About grade 10": a band wide enough for an honest lesson, narrow enough to notice one
# written for university readers or for children.
LOWEST, HIGHEST = 8.0, 12.0
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`>]")
_BULLET = re.compile(r"^\s*(?:[-+]|\d+\.)\s+", re.MULTILINE)


def lesson_prose(text: str) -> str:
    """A lesson file's prose as a student reads it, without directives or Markdown."""
    paragraphs = []
    for section in parse_module(text=text).sections:
        parsed = parse_body(body=section.body)

        def words(match: re.Match, terms=parsed.terms) -> str:
            return terms[int(match["index"])].text if match["kind"] == "term" else ""

        body = PLACEHOLDER.sub(words, parsed.markdown)
        lines = [line for line in body.splitlines() if not line.lstrip().startswith("#")]
        body = _BULLET.sub("", _MARKS.sub("", _LINK.sub(r"\1", "\n".join(lines))))
        paragraphs.append(body)
    return "\n\n".join(paragraphs)


def test_prose_keeps_the_words_and_drops_the_directives():
    text = (
        '+++\nslug = "s"\ntitle = "T"\n+++\n\n## One {#one}\n\n### A heading\n\n'
        'The [[Presidium|presidium]] met.[^speech-anthology: "quoted words"]\n\n'
        '{{ excerpt source="speech-anthology" quote="excerpted words" }}\n\n'
        "- A *listed* [point](/x/).\n"
    )
    prose = lesson_prose(text)
    assert "The Presidium met." in prose and "A listed point." in prose
    assert "quoted" not in prose and "excerpted" not in prose and "heading" not in prose


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.stem)
def test_each_lesson_reads_at_about_grade_ten(path):
    prose = lesson_prose(path.read_text(encoding="utf-8"))
    grade = textstat.flesch_kincaid_grade(prose)
    print(f"{path.stem}: Flesch-Kincaid grade {grade} ({textstat.lexicon_count(prose)} words)")
    assert LOWEST <= grade <= HIGHEST, f"{path.name} reads at grade {grade}"


@pytest.mark.parametrize("path", task_files(), ids=lambda p: p.stem)
def test_each_source_analysis_task_is_no_harder_to_read_than_its_lesson(path):
    # The task's own words (its intro, head notes, questions and hints), not the documents.
    task = parse_task(text=path.read_text(encoding="utf-8"))
    parts = [task.intro, *(d.note for d in task.documents)]
    parts += [text for step in task.steps for text in (step.question, *step.hints)]
    prose = " ".join(p if p.rstrip()[-1:] in ".?!”" else f"{p}." for p in parts if p)
    grade = textstat.flesch_kincaid_grade(prose)
    print(f"task {path.stem}: Flesch-Kincaid grade {grade}")
    assert grade <= HIGHEST, f"{path.name} reads at grade {grade}"
