"""Passage text to safe HTML: escaping first, then stage directions, corrections, terms."""

import html as html_module
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from corpus.align import DiffSegment, WordingPiece
from corpus.markup import (
    diff_html,
    link_terms,
    mark_passage,
    segments_with_terms,
    term_mark,
    variant_html,
)


@dataclass
class Term:
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


STALIN = Term("stalin", "Stalin", ["I. V. Stalin"])
CC = Term("central-committee", "Central Committee", ["CC"])
COMMITTEE = Term("committee", "Committee")


def test_text_is_escaped():
    html = mark_passage(text='Stalin <script>alert("x")</script> & co.').html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; co." in html


def test_stage_direction_is_styled_and_labelled_for_screen_readers():
    html = mark_passage(text="We must abolish it. [Tumultuous applause.] Comrades!").html
    assert '<span class="stage-direction">' in html
    assert "Stage direction: </span>[Tumultuous applause.]</span>" in html


def test_parenthesised_applause_is_a_stage_direction_but_other_parentheses_are_text():
    html = mark_passage(
        text="Long live the party. (Prolonged applause.) He (i.e., Lenin) said"
    ).html
    assert html.count("stage-direction") == 1
    assert "(i.e., Lenin)" in html


def test_elision_and_editorial_insertion_are_marked_as_the_editors():
    html = mark_passage(text="[...] Comrades! [We must] abolish [Stalin]'s cult").html
    assert 'class="elision"' in html and "words left out by this edition" in html
    assert html.count('class="interpolation"') == 2


def test_correction_is_marked_with_what_the_scan_read():
    marked = mark_passage(
        text="that he is capricious, and abuses his power",
        corrections=[{"wrong": "lie", "right": "he"}],
    )
    assert 'title="OCR correction: &#x27;lie&#x27; → &#x27;he&#x27;"' in marked.html
    assert '>he<span class="correction-mark"' in marked.html
    assert marked.unplaced_corrections == ()


def test_correction_whose_words_occur_twice_is_listed_not_guessed():
    marked = mark_passage(
        text="he said that he is capricious", corrections=[{"wrong": "lie", "right": "he"}]
    )
    assert "correction-mark" not in marked.html
    assert [(c.wrong, c.right) for c in marked.unplaced_corrections] == [("lie", "he")]


def test_malformed_corrections_are_ignored():
    marked = mark_passage(text="text", corrections=[{"right": "x"}, "junk", 3])
    assert marked.html == "text" and marked.unplaced_corrections == ()


def test_term_links_to_glossary_page_with_htmx_popover_at_first_mention_only():
    html = mark_passage(text="Stalin and again Stalin's rule", terms=[STALIN]).html
    assert html.count('class="term"') == 1
    assert 'href="/glossary/stalin/"' in html and 'hx-get="/glossary/stalin/"' in html
    assert 'hx-target="#term-popover"' in html
    assert html.endswith("again Stalin&#x27;s rule")


def test_longer_spelling_wins_and_word_boundaries_hold():
    segments = segments_with_terms(
        text="The Central Committee, not Stalinism or the committees.",
        terms=[CC, COMMITTEE, STALIN],
    )
    terms = [(s.text, s.term.slug) for s in segments if s.kind == "term"]
    assert terms == [("Central Committee", "central-committee")]


def test_term_inside_stage_direction_is_still_marked():
    html = mark_passage(text="[Stalin's name causes movement in the hall.]", terms=[STALIN]).html
    assert 'class="stage-direction"' in html and 'class="term"' in html


def test_term_name_with_markup_characters_is_escaped():
    html = mark_passage(text="A <b> term", terms=[Term("b", "<b>")]).html
    assert "<b>" not in html.replace('<b">', "")
    assert "&lt;b&gt;</a>" in html


@given(text=st.text(max_size=300))
def test_any_text_comes_out_with_no_raw_angle_brackets_from_the_text(text):
    html = mark_passage(text=text, terms=[STALIN], corrections=[{"wrong": "x", "right": "y"}]).html
    stripped = html
    for tag in ("<span", "</span>", "<a ", "</a>"):
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped.replace('class="', "")


def test_longer_spelling_wins_over_a_shorter_one_and_each_term_is_marked_once():
    lenin = Term("lenin", "Lenin", ["Vladimir Ilyich"])
    testament = Term("testament", "Lenin's testament")
    text = "Stalin's rudeness, Lenin’s testament and Lenin; Leninism; Vladimir Ilyich; Stalin."
    segments = segments_with_terms(text=text, terms=[STALIN, lenin, testament])
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.term.slug) for s in segments if s.kind == "term"] == [
        ("Stalin", "stalin"),
        ("Lenin’s testament", "testament"),
        ("Lenin", "lenin"),
    ]


def linked(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="term" href="/glossary/([^/]+)/"[^>]*>([^<]*)</a>', html)


def test_link_terms_links_first_mentions_in_text_but_not_in_links_code_or_headings():
    html = (
        '<h3>Stalin</h3><p><a href="https://example.org">Stalin</a> <code>CC</code> '
        '<abbr title="a > Central Committee">CC</abbr> and Stalin, Stalin.</p>'
    )
    out = link_terms(html=html, terms=[STALIN, CC])
    assert linked(out) == [("central-committee", "CC"), ("stalin", "Stalin")]
    assert out.startswith("<h3>Stalin</h3>")
    assert '<abbr title="a > Central Committee">' in out  # a tag is never cut


def test_link_terms_links_an_authors_mark_and_carries_what_it_linked_across_calls():
    seen: set[str] = set()
    first = link_terms(
        html=f"<p>Stalin and {term_mark(key='cc', text='the CC')}.</p>",
        terms=[STALIN, CC],
        seen=seen,
    )
    second = link_terms(
        html="<p>Stalin and the Central Committee.</p>", terms=[STALIN, CC], seen=seen
    )
    assert linked(first) == [("stalin", "Stalin"), ("central-committee", "the CC")]
    assert linked(second) == [] and seen == {"stalin", "central-committee"}


def test_an_authors_mark_of_a_term_not_in_the_glossary_is_its_text():
    out = link_terms(html=f"<p>{term_mark(key='gone', text='<Gone> & co')}</p>", terms=[STALIN])
    assert out == "<p>&lt;Gone&gt; &amp; co</p>"


@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_link_terms_keeps_the_text_and_adds_only_term_links(text):
    out = link_terms(html=f"<p>{escape(text)}</p>", terms=[STALIN, CC, COMMITTEE])
    bare = re.sub(r'<a class="term" [^>]*>([^<]*)</a>', r"\1", out)
    assert bare.startswith("<p>") and bare.endswith("</p>") and "<" not in bare[3:-4]
    assert html_module.unescape(bare[3:-4]) == text


def test_diff_sides_use_del_and_ins_with_text_labels():
    segments = [
        DiffSegment("equal", "greater ", "greater "),
        DiffSegment("replace", "kindness", "politeness"),
        DiffSegment("insert", "", "a"),
    ]
    left = diff_html(segments=segments, side="left")
    right = diff_html(segments=segments, side="right")
    assert "<del" in left and "kindness" in left and "politeness" not in left
    assert "<ins" in right and "politeness" in right and "[only in this version: " in right
    assert "[worded differently: " in left


def test_variant_pieces_are_marked_and_escaped():
    html = variant_html(pieces=[WordingPiece("a <b> ", False), WordingPiece("kindness ", True)])
    assert html.startswith("a &lt;b&gt; ")
    assert '<mark class="variant">' in html and html.endswith("</mark> ")
