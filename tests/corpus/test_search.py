"""Full-text search: same behaviour on SQLite FTS5 and PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.models import Passage
from corpus.search import rebuild_index, search_passages, search_terms
from tests.factories import make_passage, make_passages, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    source = make_source(slug="speech-congressional-record", title="Congressional Record")
    rude = make_passage(
        source=source,
        text='Vladimir Ilyich said: "Stalin is excessively rude, and this defect ..."',
    )
    kirov = make_passage(
        source=source, text="The murder of Kirov & Co. on 1 December 1934 <b>was</b> used."
    )
    tito = make_passage(
        source=source, text="I will shake my little finger and there will be no Tito."
    )
    return {"rude": rude, "kirov": kirov, "tito": tito, "source": source}


def test_finds_passage_containing_every_word(corpus):
    results = search_passages(query="Stalin rude")
    assert [hit.passage for hit in results.hits] == [corpus["rude"]]
    assert results.total == 1


def test_snippet_highlights_the_matched_words(corpus):
    snippet = search_passages(query="rude").hits[0].snippet
    assert "<mark>rude</mark>" in snippet


def test_last_word_matches_as_a_prefix_while_typing(corpus):
    assert [hit.passage for hit in search_passages(query="Kir").hits] == [corpus["kirov"]]


def test_stemming_finds_other_forms_of_a_word(corpus):
    assert search_passages(query="murders kirov").total == 1


def test_passage_text_is_escaped_before_highlighting(corpus):
    snippet = search_passages(query="murder").hits[0].snippet
    assert "<b>" not in snippet
    assert "Kirov &amp; Co." in snippet


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "Stalin AND",
        "NOT rude",
        "*",
        "rude*",
        "NEAR(Stalin rude)",
        "Stalin OR -rude",
        "'; DROP TABLE corpus_passage; --",
        "(((",
        "col:rude",
        "^rude",
        "rude:*",
        "a & b | !c",
        "Stalin\x00rude",
    ],
)
def test_query_syntax_in_user_input_never_breaks_the_search(corpus, query):
    results = search_passages(query=query)
    assert results.total >= 0
    assert Passage.objects.count() == 3


def test_query_operators_are_searched_as_plain_words(corpus):
    make_passage(source=corpus["source"], text="The troops came near the frontier.")
    assert search_passages(query="NEAR").total == 1
    assert search_passages(query="frontier NEAR").total == 1


def test_empty_or_punctuation_only_query_gives_no_results_not_an_error(corpus):
    for query in ["", "   ", "!!! ??? ...", '"']:
        results = search_passages(query=query)
        assert results.hits == [] and results.total == 0 and results.terms == ()


def test_very_long_query_is_shortened_to_a_few_terms(corpus):
    results = search_passages(query="rude " + "word " * 5000)
    assert len(results.terms) <= 12
    assert len(results.query) <= 200


def test_retired_passages_are_not_found(corpus):
    corpus["rude"].is_current = False
    corpus["rude"].save()
    assert search_passages(query="rude").total == 0


def test_edited_passage_text_is_searchable_at_once(corpus):
    corpus["tito"].text = "Tito remained in power in Yugoslavia."
    corpus["tito"].save()
    assert search_passages(query="Yugoslavia").total == 1
    assert search_passages(query="finger").total == 0


def test_garbled_passages_are_found_with_their_quality_flag(corpus):
    make_passage(
        source=corpus["source"], text="One of those w young Alexander tect", quality="garbled"
    )
    hit = search_passages(query="Alexander").hits[0]
    assert hit.passage.quality == Passage.Quality.GARBLED


def test_results_are_paged_with_a_total_count(corpus):
    make_passages(source=corpus["source"], count=25, text="Comrades, passage {n} of many.")
    first = search_passages(query="comrades", limit=10)
    third = search_passages(query="comrades", limit=10, offset=20)
    assert first.total == third.total == 25
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert first.has_next and not third.has_next
    assert third.page == 3 and third.page_count == 3
    assert not {h.passage.pk for h in first.hits} & {h.passage.pk for h in third.hits}


def test_offset_past_the_end_gives_no_hits_but_the_total(corpus):
    results = search_passages(query="rude", offset=1000)
    assert results.hits == [] and results.total == 1


def test_rebuild_index_counts_current_passages(corpus):
    corpus["tito"].is_current = False
    corpus["tito"].save()
    assert rebuild_index() == 2
    assert search_passages(query="rude").total == 1


def test_search_terms_drop_single_letters_and_duplicates():
    assert search_terms("Stalin's stalin S 1956") == (("stalin", "1956"), False)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_any_input_gives_results_or_none_never_an_error(corpus, query):
    results = search_passages(query=query)
    assert results.total >= len(results.hits) >= 0
    for hit in results.hits:
        assert "<script" not in hit.snippet


# --- forgiving spelling (corpus.spelling) ------------------------------------------------


def test_variant_map_pairs_alike_spellings_within_one_glossary_term_only():
    from corpus.spelling import variant_map

    found = variant_map(
        spellings=[
            ["Lavrentiy Beria", "Beria", "Beriya"],
            ["Kosior", "Kossior"],
            ["János Kádár", "Kadar"],
            ["Władysław Gomułka", "Wladyslaw Gomulka"],
            ["General Secretary", "Secretary General"],
            ["Berlin"],  # like "Beria", but another term: never a variant of it
        ]
    )
    assert found["beria"] == ("beriya",) and found["beriya"] == ("beria",)
    assert found["kossior"] == ("kosior",)
    assert found["kadar"] == ("kádár",)
    assert found["wladyslaw"] == ("władysław",) and found["gomułka"] == ("gomulka",)
    assert "secretary" not in found and "general" not in found
    assert "berlin" not in found


@pytest.fixture
def spellings():
    """The speech spells him "Beriya" and "Kossior"; the encyclopedia "Beria" and "Kosior"."""
    from tests.factories import make_term

    source = make_source(slug="speech-congressional-record", title="Congressional Record")
    beriya = make_passage(source=source, text="Beriya also handled this case cruelly.")
    beria = make_passage(source=source, text="Beria was arrested in June 1953.")
    kossior = make_passage(source=source, text="Comrades Rudzutak and Kossior were shot.")
    make_term(slug="beria", name="Lavrentiy Beria", aliases=["Beria", "Beriya"])
    make_term(slug="kosior", name="Kosior", aliases=["Kossior"])
    return {"beriya": beriya, "beria": beria, "kossior": kossior}


def test_a_name_is_found_in_every_spelling_the_glossary_knows(spellings):
    results = search_passages(query="Beria")
    assert {hit.passage for hit in results.hits} == {spellings["beria"], spellings["beriya"]}
    assert results.other_spellings == ("beriya",)
    assert any("<mark>Beriya</mark>" in hit.snippet for hit in results.hits)
    assert [hit.passage for hit in search_passages(query="Kosior shot").hits] == [
        spellings["kossior"]
    ]


def test_a_misspelt_word_that_finds_nothing_gets_a_suggestion_that_finds_something(spellings):
    results = search_passages(query="Berya")
    assert results.total == 0
    assert results.suggestion in {"beria", "beriya"}
    assert search_passages(query=results.suggestion).total == 2
    assert search_passages(query="handled Berya").suggestion == "handled beriya"
    # Words the corpus has are left alone; nothing close: no suggestion.
    assert search_passages(query="Beria cruelly arrested").suggestion == ""
    assert search_passages(query="zzzzqqq").suggestion == ""


def test_a_suggestion_is_offered_only_if_it_finds_something(spellings):
    assert search_passages(query="arested").suggestion == "arrested"
    # "kossior arrested" would be the suggestion, but no passage has both words.
    assert search_passages(query="Kossior arested").suggestion == ""
