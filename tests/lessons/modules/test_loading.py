"""Parsing lesson content files: front matter, sections, directives."""

import pytest

from lessons.modules.loading import parse_module
from lessons.modules.rendering import LessonContentError, parse_body

GOOD = """+++
slug = "the-speech"
title = "The speech"
ordinal = 2
summary = "A summary."
objectives = ["Know one thing.", "Know another."]
prompts = ["Why?", "How?", "When?"]
timeline = ["speech-given"]
+++

## The closed session {#closed}

Khrushchev spoke at night.[^speech-anthology: "a closely guarded night meeting"]

{{ excerpt source="speech-anthology" quote="1,355 voting delegates" }}

### A subheading

More text about [[Stalin]] and [[the party|cpsu]].

## Lenin's testament

Text.
"""


def test_front_matter_becomes_module_fields():
    module = parse_module(text=GOOD)
    assert module.slug == "the-speech"
    assert module.title == "The speech"
    assert module.ordinal == 2
    assert module.objectives == ("Know one thing.", "Know another.")
    assert module.prompts == ("Why?", "How?", "When?")
    assert module.timeline == ("speech-given",)


def test_level_two_headings_open_sections_with_explicit_or_derived_anchors():
    module = parse_module(text=GOOD)
    assert [(s.slug, s.title) for s in module.sections] == [
        ("closed", "The closed session"),
        ("lenins-testament", "Lenin's testament"),
    ]
    assert "### A subheading" in module.sections[0].body


def test_directives_are_found_in_order_and_replaced_by_placeholders():
    body = parse_module(text=GOOD).sections[0].body
    parsed = parse_body(body=body)
    assert sorted((r.kind, r.index, r.source, r.quote) for r in parsed.refs) == [
        ("excerpt", 0, "speech-anthology", "1,355 voting delegates"),
        ("note", 0, "speech-anthology", "a closely guarded night meeting"),
    ]
    assert [(t.text, t.key) for t in parsed.terms] == [("Stalin", "Stalin"), ("the party", "cpsu")]
    assert "@@note-0@@" in parsed.markdown
    assert "\n\n@@excerpt-0@@\n\n" in parsed.markdown
    assert "[^" not in parsed.markdown and "{{" not in parsed.markdown


def test_citation_accepts_curly_quotes_around_the_quotation():
    parsed = parse_body(body="A fact.[^speech-anthology: “seven-hour report”]")
    assert parsed.refs[0].quote == "seven-hour report"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## No front matter\n\nText.", "front matter"),
        ('+++\ntitle = "x"\n+++\n## S\n\nText.', "needs a slug"),
        ('+++\nslug = "x"\ntitle = "X"\ncolour = "red"\n+++\n## S\n\nText.', "colour"),
        ('+++\nslug = "x"\ntitle = "X"\nprompts = "one"\n+++\n## S\n\nText.', "prompts"),
        ('+++\nslug = "x"\ntitle = "X"\n+++\nStray text.\n## S\n\nText.', "before the first"),
        ('+++\nslug = "x"\ntitle = "X"\n+++\n## S\n\nA.\n## S\n\nB.', "share the anchor"),
        ('+++\nslug = "x"\ntitle = "X"\n+++\n## S\n\n## T\n\nB.', "is empty"),
        ('+++\nslug = "x"\ntitle = "X"\n+++\n\nNo sections.', "before the first"),
        ('+++\nslug = "x" title\n+++\n## S\n\nText.', "not valid TOML"),
    ],
)
def test_malformed_file_is_rejected_with_a_readable_reason(text, message):
    with pytest.raises(LessonContentError, match=message):
        parse_module(text=text)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A fact.[^speech-anthology: unquoted words]", "malformed citation"),
        ('Text {{ excerpt source="speech-anthology" quote="x" }} inline.', "alone on its line"),
        ('{{ excerpt source="speech-anthology" }}', 'quote="..."'),
        ('{{ excerpt source="speech-anthology" quote="x" colour="red" }}', "nothing else"),
    ],
)
def test_malformed_directive_is_rejected(body, message):
    with pytest.raises(LessonContentError, match=message):
        parse_body(body=body)
