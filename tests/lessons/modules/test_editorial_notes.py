"""Reference works cited in lessons, and editorial notes placed in a lesson page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.models import EditorialNote
from lessons.modules.editorial import check_lesson_targets
from lessons.modules.loading import load_modules
from lessons.modules.rendering import (
    LessonContentError,
    find_sentence,
    render_section_body,
    split_blocks,
)
from tests.factories import (
    make_module,
    make_note,
    make_passage,
    make_reference_work,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anthology():
    source = make_source(slug="speech-anthology", title="Speech anthology")
    make_passage(source=source, key="night", text="The delegates were summoned to a night meeting.")
    make_passage(source=source, key="hall", text="There was no photograph of Stalin in the hall.")
    return source


@pytest.fixture
def taubman():
    return make_reference_work(
        slug="taubman-2003",
        authors=["William Taubman"],
        title="Khrushchev: The Man and His Era",
        publisher="W. W. Norton",
        place="New York",
        year=2003,
    )


BODY = """The congress met at night.[^speech-anthology: "summoned to a night meeting"]

It was *closed* to guests.[^ref:taubman-2003: "pp. 270–289"] Nobody took notes.

{{ excerpt source="speech-anthology" quote="no photograph of Stalin" }}

- A list item that says [[nothing|nothing-term]] much.
"""


def lesson(anthology, taubman, *, body: str = BODY, slug: str = "the-speech"):
    module = make_module(slug=slug, title="The speech")
    make_section(
        module=module,
        slug="night",
        title="Night",
        body=body.replace("[[nothing|nothing-term]]", "nothing"),
    )
    return module


# --- reference works cited in the Markdown ----------------------------------------------------


def test_a_reference_citation_is_numbered_with_the_others_and_listed_in_full(
    client, anthology, taubman
):
    lesson(anthology, taubman)
    html = client.get("/lessons/the-speech/").content.decode()
    assert 'aria-label="Source 2: Taubman, Khrushchev"' in html
    assert 'href="/sources/#ref-taubman-2003"' in html
    assert (
        "Taubman, William. <cite>Khrushchev: The Man and His Era</cite>. New York: W. W. Norton, 2003."
        in html
    )
    assert "cited at pp. 270–289" in html


def test_the_same_work_cited_twice_keeps_its_number_and_lists_both_locators(
    client, anthology, taubman
):
    body = 'One.[^ref:taubman-2003: "p. 1"] Two.[^speech-anthology: "night meeting"] Three.[^ref:taubman-2003: "p. 2"]'
    lesson(anthology, taubman, body=body)
    html = client.get("/lessons/the-speech/").content.decode()
    assert html.count('aria-label="Source 1: Taubman, Khrushchev"') == 2
    assert "cited at p. 1; p. 2" in html


def test_a_locator_may_hold_curly_quotes(anthology, taubman):
    rendered = render_section_body(
        body='Said.[^ref:taubman-2003: "section “Secret speech”"]', glossary=[]
    )
    assert [(r.kind, r.source, r.quote, r.work) for r in rendered.refs] == [
        ("ref", "taubman-2003", "section “Secret speech”", taubman)
    ]


def test_an_unknown_reference_work_is_an_error_naming_it(anthology):
    with pytest.raises(LessonContentError, match="no reference work 'nobody-1999'"):
        render_section_body(body='Said.[^ref:nobody-1999: "p. 4"]', glossary=[])


def test_a_malformed_reference_citation_says_how_to_write_one(anthology):
    with pytest.raises(LessonContentError, match=r'\[\^ref:work-slug: "p. 12"\]'):
        render_section_body(body="Said.[^ref:taubman-2003 p. 4]", glossary=[])


# --- finding the sentence a note is about -----------------------------------------------------


def test_split_blocks_cuts_top_level_elements_only():
    html = "<p>One <em>a</em></p>\n<ul>\n<li>x</li>\n<li>y<ul><li>z</li></ul></li>\n</ul>\n<hr>\n<h3>H</h3>"
    assert split_blocks(html) == [
        "<p>One <em>a</em></p>",
        "<ul>\n<li>x</li>\n<li>y<ul><li>z</li></ul></li>\n</ul>",
        "<hr>",
        "<h3>H</h3>",
    ]
    assert "\n".join(split_blocks(html)) == html


def test_a_sentence_is_found_as_written_in_the_markdown_with_its_directives():
    blocks = split_blocks(
        render_section_body(
            body="It was *closed* to guests -- all of them. Next.", glossary=[]
        ).html
    )
    quoted = 'It was *closed* to guests — all of them.[^speech-anthology: "x"]'
    assert find_sentence(quote=quoted, sections=[("s", blocks)]) == [("s", 0)]
    assert find_sentence(quote="It was open", sections=[("s", blocks)]) == []


# --- notes on the page ------------------------------------------------------------------------


def test_a_note_on_a_sentence_follows_the_paragraph_that_holds_it(client, anthology, taubman):
    lesson(anthology, taubman)
    make_note(
        title="Closed, but not to everyone",
        lessons=[("the-speech", "It was *closed* to guests.")],
        references=[(taubman, "p. 271")],
    )
    html = client.get("/lessons/the-speech/").content.decode()
    note_at = html.index("Closed, but not to everyone")
    assert html.index("Nobody took notes.") < note_at < html.index("no photograph of Stalin")
    assert '<span class="editorial-kind">Context</span>' in html
    assert "Second paragraph of note" in html
    assert 'href="/sources/#ref-taubman-2003"' in html[note_at:]


def test_a_note_on_an_excerpted_passage_shows_under_the_excerpt(client, anthology, taubman):
    lesson(anthology, taubman)
    hall = anthology.passages.get(key="hall")
    make_note(
        kind="correction", title="There was a photograph", on=[hall], references=[(taubman, "p. 3")]
    )
    html = client.get("/lessons/the-speech/").content.decode()
    assert html.index("no photograph of Stalin") < html.index("There was a photograph")
    assert '<span class="editorial-kind">Correction</span>' in html


def test_a_note_whose_sentence_left_the_lesson_is_shown_at_the_end(client, anthology, taubman):
    lesson(anthology, taubman)
    make_note(title="Orphaned note", lessons=[("the-speech", "A sentence that was edited away.")])
    make_note(title="Another lesson's note", lessons=[("other-lesson", "It was closed to guests.")])
    html = client.get("/lessons/the-speech/").content.decode()
    assert "Notes on this lesson" in html
    assert html.index("Notes on this lesson") < html.index("Orphaned note")
    assert "Another lesson's note" not in html


def test_note_text_is_escaped(client, anthology, taubman):
    lesson(anthology, taubman)
    make_note(
        title="<script>alert(1)</script>",
        body="<img src=x onerror=alert(1)>",
        lessons=[("the-speech", "Nobody took notes.")],
    )
    html = client.get("/lessons/the-speech/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _lesson_queries(client) -> tuple[int, str]:
    client.get("/lessons/the-speech/")  # the sections' checks are chosen once, then kept
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/lessons/the-speech/").content.decode()
    return len(queries), html


@pytest.mark.parametrize("count", [1, 8])
def test_notes_add_a_fixed_number_of_queries_to_the_lesson_page(client, anthology, taubman, count):
    lesson(anthology, taubman)
    # The lesson page's own queries (tests/lessons/modules/test_views.py counts them) include one
    # for its notes; with notes come their reference works, passages and lesson sentences.
    without, _ = _lesson_queries(client)
    hall = anthology.passages.get(key="hall")
    night = anthology.passages.get(key="night")
    for n in range(count):
        make_note(
            lessons=[("the-speech", "Nobody took notes.")],
            on=[hall],
            references=[(taubman, f"p. {n}")],
            cites=[night],
        )
    with_notes, html = _lesson_queries(client)
    assert with_notes == without + 3
    assert html.count('class="editorial-note') == 2 * count


# --- loading ----------------------------------------------------------------------------------


def write_lesson(tmp_path, body: str):
    path = tmp_path / "01-the-speech.md"
    path.write_text(f'+++\nslug = "the-speech"\ntitle = "The speech"\n+++\n\n## Night\n\n{body}\n')
    return path


def test_load_lessons_refuses_a_note_whose_sentence_is_not_in_the_lesson(tmp_path, anthology):
    make_note(slug="lost-note", lessons=[("the-speech", "A sentence nobody wrote.")])
    path = write_lesson(tmp_path, 'The congress met at night.[^speech-anthology: "night meeting"]')
    with pytest.raises(
        LessonContentError,
        match=r"note 'lost-note': lesson 'the-speech' has no sentence 'A sentence nobody wrote\.'",
    ):
        load_modules(paths=[path])
    from lessons.models import Module

    assert not Module.objects.exists()


def test_load_lessons_asks_for_more_words_when_two_paragraphs_hold_the_sentence(
    tmp_path, anthology
):
    make_note(slug="vague-note", lessons=[("the-speech", "met at night")])
    path = write_lesson(
        tmp_path,
        'They met at night.[^speech-anthology: "night meeting"]\n\nThey met at night again.',
    )
    with pytest.raises(
        LessonContentError,
        match="2 paragraphs of lesson 'the-speech' contain 'met at night'; quote more words",
    ):
        load_modules(paths=[path])


def test_load_lessons_accepts_a_note_whose_sentence_is_there(tmp_path, anthology):
    make_note(slug="good-note", lessons=[("the-speech", "They met at night.")])
    path = write_lesson(tmp_path, 'They met at night.[^speech-anthology: "night meeting"]')
    out = io.StringIO()
    call_command("load_lessons", str(path), stdout=out)
    assert "1 created" in out.getvalue()


def test_the_curators_form_checker_names_unknown_lessons_and_missing_sentences(anthology, taubman):
    lesson(anthology, taubman)
    assert check_lesson_targets([("n", "the-speech", "Nobody took notes.")]) == []
    assert check_lesson_targets([("n", "no-such-lesson", "x")]) == [
        "note 'n': no lesson 'no-such-lesson'"
    ]
    assert check_lesson_targets([("n", "the-speech", "Everybody took notes.")]) == [
        "note 'n': lesson 'the-speech' has no sentence 'Everybody took notes.'"
    ]


def test_note_kinds_read_as_plain_words():
    assert dict(EditorialNote.Kind.choices) == {
        "correction": "Correction",
        "context": "Context",
        "dispute": "Historians disagree",
    }
