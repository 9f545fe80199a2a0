"""Lesson Markdown → sanitised HTML with citations and excerpts; glossary links when shown."""

import pytest

from corpus.models import GlossaryTerm
from lessons.modules.rendering import LessonContentError, assemble_module, render_section_body
from tests.factories import make_passage, make_section, make_source, make_term


@pytest.fixture
def anthology(db):
    source = make_source(slug="speech-anthology", title="Speech anthology")
    make_passage(source=source, key="night", text="The delegates were summoned to a night meeting.")
    make_passage(source=source, key="hall", text="There was no photograph of Stalin in the hall.")
    return source


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>Text.",
        '<img src="x" onerror="alert(1)">',
        "[a link](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">click</a>',
        "<iframe src='https://example.com'></iframe>",
        '<p style="color:red" onmouseover="alert(1)">x</p>',
    ],
)
def test_raw_html_and_script_urls_in_a_body_are_inert(body):
    html = render_section_body(body=body, glossary=[]).html
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "<img" not in html and "style=" not in html


@pytest.mark.django_db
def test_markdown_formatting_survives_sanitising():
    html = render_section_body(
        body="### Sub\n\nSome *emphasis* and **strong**, a [link](https://example.org).\n\n- one\n- two",
        glossary=[],
    ).html
    assert "<h3>Sub</h3>" in html
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
    assert "<li>one</li>" in html


@pytest.mark.django_db
def test_section_level_headings_in_a_body_are_demoted_to_text():
    # The page owns h1 and h2; a body's headings start at h3.
    html = render_section_body(body="# Big\n\nText.", glossary=[]).html
    assert "<h1" not in html and "Big" in html


def test_citations_resolve_to_the_passage_containing_the_quote(anthology):
    rendered = render_section_body(
        body='They met.[^speech-anthology: "summoned to a NIGHT meeting"]', glossary=[]
    )
    assert [(r.kind, r.passage.key) for r in rendered.refs] == [("note", "night")]


def test_a_quote_no_passage_contains_is_an_error_naming_source_and_quote(anthology):
    with pytest.raises(LessonContentError) as error:
        render_section_body(body='X.[^speech-anthology: "a day meeting"]', glossary=[])
    assert "speech-anthology" in str(error.value) and "a day meeting" in str(error.value)
    assert "\n" not in str(error.value)


def test_an_unknown_source_is_an_error(anthology):
    with pytest.raises(LessonContentError, match="no-such-source"):
        render_section_body(body='X.[^no-such-source: "night meeting"]', glossary=[])


def test_an_excerpt_inside_a_quotation_is_rejected(anthology):
    with pytest.raises(LessonContentError, match="alone on its line"):
        render_section_body(
            body='> {{ excerpt source="speech-anthology" quote="night meeting" }}', glossary=[]
        )


def test_an_excerpt_becomes_a_block_of_its_own(anthology):
    rendered = render_section_body(
        body='- item\n  {{ excerpt source="speech-anthology" quote="night meeting" }}',
        glossary=[],
    )
    assert "<p>@@excerpt-0@@</p>" in rendered.html


def page_html(section, glossary) -> str:
    """The section as its page shows it, with the glossary as it is now."""
    return str(assemble_module(sections=[section], glossary=glossary).sections[0].parts[0])


def test_the_stored_html_has_no_glossary_link_only_the_authors_marks(anthology):
    stalin = make_term(slug="stalin", name="Joseph Stalin", aliases=["Stalin"])
    html = render_section_body(
        body="Stalin spoke. The [[leading body|presidium]] met.",
        glossary=[stalin, make_term(slug="presidium", name="Presidium")],
    ).html
    assert "data-term=" not in html and "<a" not in html
    assert '<span data-term-key="presidium">leading body</span>' in html


def test_marked_terms_and_first_mentions_link_to_the_glossary_when_shown(anthology):
    stalin = make_term(slug="stalin", name="Joseph Stalin", aliases=["Stalin"])
    presidium = make_term(slug="presidium", name="Presidium")
    section = make_section(
        body="Stalin spoke. Stalin again. The [[leading body|presidium]] met. The Presidium sat."
    )
    html = page_html(section, [stalin, presidium])
    assert html.count('data-term="stalin"') == 1  # the first mention only
    assert 'href="/glossary/stalin/"' in html
    assert 'hx-get="/glossary/stalin/"' in html and 'hx-target="#term-popover"' in html
    assert html.count("data-term=") == 2  # the marked term is not linked a second time
    assert ">leading body</a>" in html


def test_a_marked_term_no_longer_in_the_glossary_is_plain_text(anthology):
    make_term(slug="presidium", name="Presidium")
    section = make_section(body="The [[leading <body>|presidium]] met.")
    GlossaryTerm.objects.filter(slug="presidium").delete()  # a curator removed it since
    html = page_html(section, list(GlossaryTerm.objects.all()))
    assert "The leading &lt;body&gt; met." in html and "data-term" not in html


def test_no_glossary_link_inside_a_link_code_or_heading(anthology):
    stalin = make_term(slug="stalin", name="Stalin")
    section = make_section(
        body="### Stalin\n\n[Stalin's page](https://example.org) `Stalin` and then Stalin."
    )
    html = page_html(section, [stalin])
    assert html.count("data-term") == 1
    assert html.endswith(
        'and then <a class="term" href="/glossary/stalin/" hx-get="/glossary/stalin/" '
        'hx-target="#term-popover" hx-swap="innerHTML" data-term="stalin">Stalin</a>.</p>'
    )


def test_a_citation_is_never_linked_inside_and_a_term_is_linked_once_across_excerpts(anthology):
    night = make_term(slug="night", name="night meeting")
    section = make_section(
        body='A night meeting.[^speech-anthology: "night meeting"]\n\n'
        '{{ excerpt source="speech-anthology" quote="no photograph" }}\n\n'
        "Another night meeting."
    )
    page = assemble_module(sections=[section], glossary=[night])
    before, after = (str(part) for part in page.sections[0].parts if isinstance(part, str))
    assert before.count('data-term="night"') == 1 and "data-term" not in after
    assert 'title="Speech anthology, ' in before  # the citation's link, its title untouched


def test_an_unknown_marked_term_is_an_error(anthology):
    with pytest.raises(LessonContentError, match="Nobody"):
        render_section_body(body="[[Nobody]] spoke.", glossary=[])


def test_module_numbers_citations_across_sections_and_reuses_a_passages_number(anthology):
    first = make_section(
        body='A.[^speech-anthology: "night meeting"] B.[^speech-anthology: "no photograph"]'
    )
    second = make_section(module=first.module, body='C.[^speech-anthology: "summoned to a night"]')
    page = assemble_module(sections=[first, second])
    assert [n.number for n in page.notes] == [1, 2]
    assert page.notes[0].quotes == ["night meeting", "summoned to a night"]
    second_html = str(page.sections[1].parts[0])
    assert ">1</a></sup>" in second_html
    assert 'href="/sources/speech-anthology/#p-night"' in second_html


def test_two_quotations_of_one_passage_in_a_row_show_its_number_once(anthology):
    section = make_section(
        body='The delegates met at night.[^speech-anthology: "night meeting"]'
        '[^speech-anthology: "delegates were summoned"] Then'
        ' again.[^speech-anthology: "night meeting"] And a'
        ' photograph.[^speech-anthology: "no photograph"][^speech-anthology: "night meeting"]'
    )
    page = assemble_module(sections=[section])
    html = str(page.sections[0].parts[0])
    # "29 29" is gone; the same number after other words, or after another number, stays.
    assert html.count(">1</a></sup>") == 3 and html.count(">2</a></sup>") == 1
    assert "</sup><sup" in html  # 2 then 1: different sources side by side
    assert page.notes[0].quotes == ["night meeting", "delegates were summoned"]
    assert "¶" not in html and "p-night" in html  # no passage id in the words shown
