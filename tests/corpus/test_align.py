"""Aligning renderings: pure functions over plain objects with a .text."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from corpus.align import (
    align_renderings,
    compare_wordings,
    find_testament_quote,
    word_diff,
)


@dataclass(frozen=True)
class P:
    key: str
    text: str


SPEECH_000 = (
    'Vladimir Ilyich said: "Stalin is excessively rude, and this defect, which can be freely '
    "tolerated in our midst and in contacts among us Communists, becomes a defect which cannot "
    "be tolerated in one holding the position of the Secretary General. Because of this, I "
    "propose that the comrades consider the method by which Stalin would be removed from this "
    "position and by which another man would be selected for it, a man, who above all, would "
    "differ from Stalin in only one quality, namely, greater tolerance, greater loyalty, greater "
    'kindness, and more considerate attitude toward the comrades, a less capricious temper, etc.".'
)
SPEECH_001 = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and "
    "in contacts among us Communists, becomes a defect which cannot be tolerated in one holding "
    "the position of the Secretary-General. Because of this I propose that the comrades consider "
    "the method by which Stalin would be removed from this position and by which another man "
    "would be selected for it, a man who, above all, would differ from Stalin in only one quality, "
    "namely, greater tolerance, greater loyalty, greater kindness and more considerate attitude "
    "towards the comrades, a less capricious temper, &c."
)
RESOLUTION_002 = (
    "In addition to this letter, writing early in January 1923, V. I. Lenin reverted to some of "
    "Stalin's individual qualities, intolerable in a leader. “Stalin is excessively rude,” Lenin "
    "wrote, “and this defect, which can be freely tolerated in our midst and in contacts among "
    "us, communists, becomes a defect which cannot be tolerated in one holding the post of "
    "general secretary. I therefore propose to the comrades to consider the method by which to "
    "remove Stalin from his post, and to select another man for it who, above all, would differ "
    "from Stalin in only one quality, namely, greater tolerance, greater loyalty, greater "
    "politeness and a more considerate attitude towards the comrades, a less capricious temper, "
    "etc.”"
)

FULLER = [
    P(
        "a",
        "Comrades, in the report of the Central Committee of the party at the 20th Congress, "
        "quite a lot has been said about the cult of the individual and its harmful consequences.",
    ),
    P(
        "b",
        "Allow me first of all to remind you how severely the classics of Marxism-Leninism "
        "denounced every manifestation of the cult of the individual.",
    ),
    P("c", SPEECH_000),
    P(
        "d",
        "As later events have proven, Lenin's anxiety was justified; in the first period after "
        "Lenin's death Stalin still paid attention to his advice.",
    ),
]
EXCERPT = [
    P(
        "1",
        "Comrades! In the report of the Central Committee of the party at the twentieth "
        "Congress, quite a lot has been said about the cult of the individual and its harmful "
        "consequences.",
    ),
    P(
        "2",
        "Such a belief about a man, and specifically about Stalin, was cultivated among us "
        "for many years, and it appears in no other rendering here.",
    ),
    P("3", SPEECH_001),
    P(
        "4",
        "As later events have proven, Lenin's anxiety was justified: in the first period after "
        "Lenin's death Stalin still paid attention to his advice.",
    ),
]


def _keys(row):
    return [p.key for p in row.left], [p.key for p in row.right]


def test_excerpt_passages_pair_with_their_fuller_passages_in_order():
    rows = align_renderings(fuller=FULLER, excerpt=EXCERPT).rows
    matched = [_keys(row) for row in rows if row.status == "matched"]
    assert matched == [(["a"], ["1"]), (["c"], ["3"]), (["d"], ["4"])]


def test_unmatched_passages_on_either_side_become_gap_rows_in_reading_order():
    rows = align_renderings(fuller=FULLER, excerpt=EXCERPT).rows
    assert [(row.status, _keys(row)) for row in rows] == [
        ("matched", (["a"], ["1"])),
        ("left-only", (["b"], [])),
        ("right-only", ([], ["2"])),
        ("matched", (["c"], ["3"])),
        ("matched", (["d"], ["4"])),
    ]


def test_one_passage_may_match_two_consecutive_passages_on_the_other_side():
    fuller = [P("x", SPEECH_000 + " " + FULLER[3].text)]
    excerpt = [P("3", SPEECH_001), P("4", EXCERPT[3].text)]
    rows = align_renderings(fuller=fuller, excerpt=excerpt).rows
    assert [_keys(row) for row in rows] == [(["x"], ["3", "4"])]


def test_a_passage_out_of_order_is_not_paired_backwards():
    fuller = [FULLER[0], FULLER[3]]
    excerpt = [EXCERPT[3], EXCERPT[0]]
    rows = align_renderings(fuller=fuller, excerpt=excerpt).rows
    assert sum(1 for row in rows if row.status == "matched") == 1


def test_texts_that_share_nothing_align_to_gaps_only():
    alignment = align_renderings(fuller=[P("a", "Tito " * 20)], excerpt=[P("1", "Beria " * 20)])
    assert {row.status for row in alignment.rows} == {"left-only", "right-only"}
    assert alignment.matched_count == 0


def test_empty_sides_give_gap_rows_without_error():
    assert align_renderings(fuller=[], excerpt=[]).rows == ()
    assert [r.status for r in align_renderings(fuller=FULLER[:1], excerpt=[]).rows] == ["left-only"]


def test_word_diff_marks_reworded_words_and_keeps_the_rest_equal():
    segments = word_diff(left=FULLER[0].text, right=EXCERPT[0].text)
    changed = [(s.op, s.left, s.right) for s in segments if s.op != "equal"]
    assert changed == [("replace", "20th", "twentieth")]


def test_word_diff_ignores_punctuation_case_and_hyphens():
    segments = word_diff(
        left="Comrades, the Secretary General!", right="comrades: the Secretary-General."
    )
    assert all(s.op == "equal" for s in segments)


def test_word_diff_reports_inserted_and_deleted_words():
    segments = word_diff(left="greater kindness and more", right="greater kindness and a more")
    assert [(s.op, s.left, s.right) for s in segments if s.op != "equal"] == [("insert", "", "a")]
    segments = word_diff(left="a man, who above all", right="who above all")
    assert [(s.op, s.left) for s in segments if s.op != "equal"] == [("delete", "a man,")]


@given(left=st.text(max_size=200), right=st.text(max_size=200))
def test_word_diff_sides_rebuild_each_text(left, right):
    segments = word_diff(left=left, right=right)
    assert "".join(s.left for s in segments) == left
    assert "".join(s.right for s in segments) == right


def test_testament_quote_is_found_and_cut_to_the_quoted_words():
    paraphrase = P(
        "p",
        "because of the fact that Stalin is excessively rude, that he does not "
        "have a proper attitude toward his comrades",
    )
    quote = find_testament_quote(passages=[paraphrase, P("q", SPEECH_000)])
    assert quote.passage.key == "q"
    assert quote.text.startswith("Stalin is excessively rude, and this defect")
    assert quote.text.endswith("a less capricious temper, etc.")


def test_testament_quote_also_matches_too_rude_and_skips_the_lead_in():
    quote = find_testament_quote(passages=[P("r", RESOLUTION_002)])
    assert quote.text.startswith("Stalin is excessively rude")
    assert "January 1923" not in quote.text
    too_rude = find_testament_quote(passages=[P("t", "He wrote that Stalin is too rude, and ...")])
    assert too_rude.text.startswith("Stalin is too rude")


def test_no_testament_quote_in_passages_without_it():
    assert find_testament_quote(passages=[P("x", "Nothing about rudeness here.")]) is None


def test_three_wordings_show_kindness_against_politeness_without_a_reference_text():
    texts = [
        find_testament_quote(passages=[P("0", SPEECH_000)]).text,
        find_testament_quote(passages=[P("1", SPEECH_001)]).text,
        find_testament_quote(passages=[P("2", RESOLUTION_002)]).text,
    ]
    comparison = compare_wordings(texts=texts)
    varied = [" ".join(p.text for p in pieces if p.varies) for pieces in comparison.pieces]
    # "kindness" is marked in both speech renderings, although they agree with each other,
    # because the third rendering differs: no wording is the yardstick.
    assert "kindness" in varied[0] and "kindness" in varied[1]
    assert "politeness" in varied[2]
    speech_pair = comparison.differences[0]
    assert (speech_pair.first, speech_pair.second) == (0, 1)
    assert not any("kindness" in s.left for s in speech_pair.segments)
    resolution_pair = comparison.differences[1]
    assert any("kindness" in s.left and "politeness" in s.right for s in resolution_pair.segments)


def test_each_wording_is_rebuilt_from_its_pieces():
    comparison = compare_wordings(texts=["a b c", "a x c", "a b c d"])
    assert ["".join(p.text for p in pieces) for pieces in comparison.pieces] == [
        "a b c",
        "a x c",
        "a b c d",
    ]
    assert len(comparison.differences) == 3
