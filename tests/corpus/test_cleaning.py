"""Cleaning profiles, errata and quality flags: pure functions, no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import cleaning
from corpus.cleaning import Block, assess_quality, clean
from corpus.errata import Correction, ErrataError, apply_corrections, parse_errata

SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "data" / "sources"


def blocks_of(number: str, profile: str) -> list[Block]:
    (path,) = SOURCES.glob(f"{number}_*.txt")
    return clean(path.read_text(encoding="utf-8"), profile=profile)


def find(blocks: list[Block], needle: str) -> Block:
    (block,) = [b for b in blocks if needle in b.text]
    return block


# --- 000, the Congressional Record text ----------------------------------------


def test_archive_header_is_not_body_text_and_its_citation_and_summary_are_editors_notes():
    blocks = blocks_of("000", "wilson-center")
    texts = " ".join(b.text for b in blocks)
    for label in ("Citation:", "Credits:", "Original Language:", "Contents:", "Leon Levy"):
        assert label not in texts
    assert blocks[0].kind == "editorial"
    assert "Congressional Record" in blocks[0].text and "June 4, 1956" in blocks[0].text
    assert blocks[1].kind == "editorial"
    assert blocks[1].text.startswith("In a secret speech before a closed plenum")
    assert blocks[2].kind == "heading"
    assert blocks[2].text.startswith("Secret Speech Delivered by First Party Secretary")


def test_archive_elisions_are_kept_as_editorial_marks():
    blocks = blocks_of("000", "wilson-center")
    elision = blocks[3]
    assert (elision.text, elision.kind) == ("[...]", "editorial")


def test_stage_directions_stay_in_the_speech_text():
    blocks = blocks_of("000", "wilson-center")
    block = find(blocks, "On February 4 Eikhe was shot.")
    assert "[Indignation in the hall.]" in block.text
    assert block.kind == "body"


def test_paragraph_split_by_the_scan_is_rejoined():
    blocks = blocks_of("000", "wilson-center")
    block = find(blocks, "Thirdly, to restore completely")
    assert "expressed in the constitution of the Soviet Union" in block.text


# --- 001, the anthology ----------------------------------------------------------


def test_anthology_pages_come_from_the_page_markers():
    blocks = blocks_of("001", "pandoc-anthology")
    pages = {b.page_start for b in blocks if b.page_start} | {
        b.page_end for b in blocks if b.page_end
    }
    assert pages == set(range(269, 276))
    assert find(blocks, "reflect on Lenin's plain words").page_start == 269
    assert find(blocks, "reflect on Lenin's plain words").page_end == 270
    assert find(blocks, "Vladimir Ilyich said:").page_start == 270
    assert find(blocks, "We are absolutely certain").page_start == 275


def test_a_word_split_by_a_page_marker_is_whole():
    blocks = blocks_of("001", "pandoc-anthology")
    block = find(blocks, "the great task of building communism.")
    assert (block.page_start, block.page_end) == (274, 275)


def test_text_before_the_first_page_marker_has_no_invented_page():
    blocks = blocks_of("001", "pandoc-anthology")
    assert blocks[0].page_start is None
    assert find(blocks, "Six months after the death of Stalin").page_start is None


def test_italic_stage_directions_become_brackets():
    blocks = blocks_of("001", "pandoc-anthology")
    block = find(blocks, "Long live the victorious banner")
    assert block.text.endswith("[Tumultuous, prolonged applause ending in standing ovation.]")
    assert not any("(*" in b.text or "*)" in b.text for b in blocks)


def test_italic_introduction_and_closing_note_are_editorial_and_block_quotes_quotations():
    blocks = blocks_of("001", "pandoc-anthology")
    assert find(blocks, "Six months after the death of Stalin").kind == "editorial"
    assert find(blocks, "1,355 voting delegates").kind == "editorial"
    assert find(blocks, "Although delivered in secret").kind == "editorial"
    assert find(blocks, "After taking over the position of Secretary-General").kind == "quotation"


def test_mojibake_bullet_is_repaired_and_an_empty_bullet_dropped():
    assert cleaning.fix_encoding("â€¢") == "•"
    blocks = blocks_of("001", "pandoc-anthology")
    assert blocks[-1].text.startswith("Although delivered in secret")


def test_double_hyphens_become_dashes():
    blocks = blocks_of("001", "pandoc-anthology")
    assert "(1894–1971)" in find(blocks, "Six months after").text
    assert not any("--" in b.text for b in blocks)


# --- 002, the booklet --------------------------------------------------------------


def test_booklet_parts_are_sections_one_to_four():
    blocks = blocks_of("002", "news-booklet")
    sections = [b.section for b in blocks if b.section.startswith("Part")]
    assert list(dict.fromkeys(sections)) == ["Part 1", "Part 2", "Part 3", "Part 4"]
    assert find(blocks, "2. HOW, indeed").section == "Part 2"
    assert find(blocks, "3. THE cult of the individual").section == "Part 3"


def test_booklet_title_page_stays_and_the_cover_goes():
    blocks = blocks_of("002", "news-booklet")
    assert blocks[0].kind == "heading"
    assert blocks[0].text == "ON OVERCOMING THE CULT OF THE INDIVIDUAL AND ITS CONSEQUENCES"
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "ON OVERCOMING THE CULT OF THE INDIVIDUAL AND ITS CONSEQUENCES",
        "Resolution of the Central Committee of the Communist Party of the Soviet Union",
    ]
    assert blocks[2].text == "June 30, 1956"


def test_words_and_paragraphs_broken_across_pages_are_rejoined():
    blocks = blocks_of("002", "news-booklet")
    assert (
        "the cult of J. V. Stalin and its consequences has evoked"
        in find(blocks, "has evoked").text
    )
    assert "with all the peaceful forces" in find(blocks, "peaceful forces").text
    assert (
        "many honest communists and non-party people"
        in find(blocks, "people had been slandered").text
    )
    assert "Why are the enemies" in find(blocks, "central committee of our party told").text


def test_hyphen_kept_when_the_document_spells_the_compound_with_one():
    document = "We need self-criticism.\n\nThe party needs more of its self-\n\ncriticism and all."
    blocks = cleaning.rejoin_broken_paragraphs(
        [Block("The party needs more of its work and its self-"), Block("criticism and all.")],
        document=document,
        require_lowercase=True,
    )
    assert [b.text for b in blocks] == [
        "The party needs more of its work and its self-criticism and all."
    ]


def test_footnoted_citations_lose_their_italics_but_keep_parentheses():
    blocks = blocks_of("002", "news-booklet")
    assert "(Works, Vol. 26, Page 431)" in find(blocks, "Page 431").text


# --- 003, the magazine page ----------------------------------------------------------


def test_fused_heading_is_split_off_as_its_own_section():
    blocks = blocks_of("003", "magazine-ocr")
    heading = find(blocks, "What Possible Consequences")
    assert heading.text == "What Possible Consequences Could There Be From This Speech"
    assert heading.kind == "heading"
    after = blocks[blocks.index(heading) + 1]
    assert after.section == heading.text
    assert "areas" in blocks[blocks.index(heading) - 1].text


def test_photo_caption_is_an_editors_note():
    blocks = blocks_of("003", "magazine-ocr")
    assert find(blocks, "(third from left)").kind == "editorial"


def test_running_footer_becomes_the_page_number():
    blocks = blocks_of("003", "magazine-ocr")
    assert not any("HISTORY TODAY" in b.text or b.text == "58" for b in blocks)
    assert {b.page_start for b in blocks} == {58}


def test_column_fragments_are_garbled_and_the_cut_off_end_a_fragment():
    blocks = blocks_of("003", "magazine-ocr")
    flags = [assess_quality(b, is_last=i == len(blocks) - 1)[0] for i, b in enumerate(blocks)]
    assert flags[blocks.index(find(blocks, "tect of perestroika"))] == "garbled"
    assert flags[blocks.index(find(blocks, "extrac ing thing"))] == "garbled"
    assert flags[-1] == "fragment"
    assert flags.count("garbled") == 2


# --- 004, the encyclopedia copy --------------------------------------------------------


def test_web_boilerplate_and_empty_headings_are_dropped():
    blocks = blocks_of("004", "web-encyclopedia")
    texts = [b.text for b in blocks]
    # The search term the copying site printed as a stray first line; the phrase
    # itself occurs in the article's last story, which keeps it.
    assert "staring angrily" not in texts
    assert "Khrushchev, staring angrily around the room" in texts[-1]
    assert "See also" not in texts and "External links" not in texts
    assert blocks[0].text == "On the Personality Cult and its Consequences"
    assert blocks[-1].text.startswith("The following (probably apocryphal) story")


def test_bullets_are_passages_and_quoted_bullets_quotations():
    blocks = blocks_of("004", "web-encyclopedia")
    quotations = [b for b in blocks if b.kind == "quotation"]
    assert len(quotations) == 9
    assert all(b.text.startswith('"') for b in quotations)
    item = find(blocks, "Deportations of whole nationalities")
    assert (item.text, item.kind, item.list_item) == (
        "Deportations of whole nationalities",
        "body",
        True,
    )
    assert assess_quality(item, is_last=False)[0] == "good"


def test_plain_line_headings_become_sections():
    blocks = blocks_of("004", "web-encyclopedia")
    assert find(blocks, "Reuters journalist John Rettie").section == "Reports of the speech"
    assert find(blocks, "probably apocryphal").section == "Popular culture"


# --- quality on a document nobody has seen ------------------------------------------


def test_unseen_column_ocr_is_garbled_and_plain_prose_good():
    ocr = Block("The new pol ic to the west v fr his th Many of wa were ers to in the s A man w")
    prose = Block(
        "The delegates listened in silence for four hours, and at the end they left the hall "
        "without applause; many of them did not dare to look at one another."
    )
    assert assess_quality(ocr, is_last=False)[0] == "garbled"
    assert assess_quality(prose, is_last=False) == ("good", "")


def test_initials_acronyms_and_ordinals_are_not_junk():
    block = Block(
        "On 5 March J. V. Stalin, the CC of the CPSU and the 17th congress of the USSR met."
    )
    assert assess_quality(block, is_last=False)[0] == "good"


def test_text_cut_mid_sentence_is_a_fragment():
    assert assess_quality(Block("congress had called for more."), is_last=False)[0] == "fragment"
    assert (
        assess_quality(Block("It was read out to the party and the"), is_last=True)[0] == "fragment"
    )
    assert assess_quality(Block("It was read out to the intel-"), is_last=False)[0] == "fragment"


def test_a_paragraph_that_is_only_a_stage_direction_is_a_stage_block():
    blocks = clean("Stalin was above criticism.\n\n[Commotion in the hall.]\n\n", profile="generic")
    assert [b.kind for b in blocks] == ["body", "stage"]


# --- generic Markdown -------------------------------------------------------------------


def test_generic_profile_strips_markdown_and_uses_headings_as_sections():
    text = "# A *title*\n\nSome **bold** and [a link](https://x.org) text.\n\n## Part\n\n- one item.\n- two item.\n"
    blocks = clean(text, profile="generic")
    assert [(b.kind, b.text, b.section) for b in blocks] == [
        ("heading", "A title", "A title"),
        ("body", "Some bold and a link text.", "A title"),
        ("heading", "Part", "Part"),
        ("body", "one item.", "Part"),
        ("body", "two item.", "Part"),
    ]


def _as_markdown(blocks: list[Block]) -> str:
    prefix = {"heading": "# ", "quotation": "> "}
    return "\n\n".join(("- " if b.list_item else prefix.get(b.kind, "")) + b.text for b in blocks)


markdownish = st.text(
    alphabet=st.sampled_from(list("ab Z.,-*_#>[]()`{}\n\n\n•â€¢\\!'\"0")) | st.characters(),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_generic_cleaning_never_raises_nor_yields_empty_passages(text):
    for block in clean(text, profile="generic"):
        assert block.text == block.text.strip()
        assert block.text
        assert "\n" not in block.text
        assert any(ch.isalnum() for ch in block.text) or block.text in ("[...]", "[…]", "…")


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_generic_cleaning_is_idempotent(text):
    once = clean(text, profile="generic")
    twice = clean(_as_markdown(once), profile="generic")
    assert [b.text for b in twice] == [b.text for b in once]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_inline_markup_stripping_is_idempotent(text):
    once = cleaning.strip_inline_markup(text)
    assert cleaning.strip_inline_markup(once) == once


@given(st.text(max_size=300), st.booleans())
def test_quality_is_always_one_of_the_three_flags(text, is_last):
    assert assess_quality(Block(text.strip() or "x"), is_last=is_last)[0] in {
        "good",
        "fragment",
        "garbled",
    }


# --- errata ------------------------------------------------------------------------------


def test_corrections_never_change_part_of_a_longer_word():
    text, applied = apply_corrections(
        "their sleeves before their eves", [Correction(wrong="eves", right="eyes")]
    )
    assert text == "their sleeves before their eyes"
    assert applied == [{"wrong": "eves", "right": "eyes"}]


def test_a_correction_records_only_the_words_it_changes():
    _text, applied = apply_corrections(
        "which were onlv incipient",
        [Correction(wrong="were onlv incipient", right="were only incipient")],
    )
    assert applied == [{"wrong": "onlv", "right": "only"}]


def test_correction_ending_in_punctuation_matches_before_a_comma():
    text, _ = apply_corrections("in the part), and", [Correction(wrong="part),", right="party,")])
    assert text == "in the party, and"


@pytest.mark.parametrize(
    "data",
    [
        "[[correction]]\nwrong = 'x'\n",
        "[[correction]]\nright = 'x'\n",
        "[[correction]]\nwrong = 'x'\nright = 'x'\n",
        "correction = 3",
        "[[correction]\n",
    ],
)
def test_malformed_errata_are_refused_with_the_file_name(data):
    with pytest.raises(ErrataError, match=r"demo\.toml"):
        parse_errata(data, name="demo.toml")
