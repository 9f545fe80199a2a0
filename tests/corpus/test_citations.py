import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.citations import (
    Citation,
    CitationError,
    find_passage,
    normalise_for_match,
    resolve_citations,
)
from tests.factories import make_passage, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def speech():
    source = make_source(slug="speech")
    return {
        "source": source,
        "testament": make_passage(
            source=source,
            text="This letter -- a political document of tremendous importance, known in the "
            "party history as Lenin's 'testament' -- was distributed among the delegates.",
        ),
        "concept": make_passage(
            source=source,
            text='Stalin originated the concept "enemy of the people". This term automatically '
            "rendered it unnecessary that the ideological errors be proven.",
        ),
        "formula": make_passage(
            source=source,
            text="The formula 'enemy of the people' was specifically introduced for the purpose "
            "of physically annihilating such individuals.",
        ),
    }


def test_quote_with_curly_quotes_em_dash_odd_case_and_spacing_finds_the_passage(speech):
    passage = find_passage(
        source="speech",
        quote="importance,  known in the\nparty history as LENIN’S ‘testament’—was distributed",
    )

    assert passage == speech["testament"]


def test_quote_with_straight_quotes_finds_passage_printed_with_curly_ones():
    passage = make_passage(
        source=make_source(slug="booklet"),
        text="“Stalin is excessively rude,” Lenin wrote – in January 1923.",
    )

    assert find_passage(
        source="booklet", quote='"Stalin is excessively rude," Lenin wrote - in'
    ) == (passage)


def test_dash_variants_and_the_spaces_around_them_are_one_wording():
    assert normalise_for_match("Marxism--Leninism") == normalise_for_match("Marxism – Leninism")
    assert normalise_for_match("letter -- a") == normalise_for_match("letter—a")


def test_missing_quote_error_names_the_source_and_the_quote(speech):
    with pytest.raises(CitationError) as error:
        find_passage(source="speech", quote="greater politeness")

    assert "'speech'" in str(error.value)
    assert "greater politeness" in str(error.value)
    assert "no current passage" in str(error.value)


def test_ambiguous_quote_error_says_how_many_passages_and_which(speech):
    with pytest.raises(CitationError) as error:
        find_passage(source="speech", quote="enemy of the people")

    message = str(error.value)
    assert message.startswith("2 passages of 'speech' contain 'enemy of the people'")
    assert f"¶{speech['concept'].ordinal}" in message
    assert f"¶{speech['formula'].ordinal}" in message


def test_unknown_source_is_reported_as_such(speech):
    with pytest.raises(CitationError, match="no source 'speach'"):
        find_passage(source="speach", quote="enemy of the people")


def test_citation_error_is_a_lookup_error(speech):
    with pytest.raises(LookupError):
        find_passage(source="speech", quote="nowhere in the text")


def test_empty_quote_is_rejected_rather_than_matching_everything(speech):
    with pytest.raises(CitationError, match="empty quotation"):
        find_passage(source="speech", quote="  ")


def test_quote_is_only_looked_for_in_the_named_source(speech):
    make_passage(source=make_source(slug="anthology"), text="Tito did not fall.")

    with pytest.raises(CitationError):
        find_passage(source="speech", quote="Tito did not fall")


def test_retired_passages_are_not_searched(speech):
    speech["formula"].is_current = False
    speech["formula"].save()

    assert find_passage(source="speech", quote="enemy of the people") == speech["concept"]


def test_source_with_only_retired_passages_reports_missing_quote_not_unknown_source():
    make_passage(source=make_source(slug="old"), text="Kirov was murdered.", is_current=False)

    with pytest.raises(CitationError, match="no current passage of 'old'"):
        find_passage(source="old", quote="Kirov was murdered")


def test_batch_resolution_returns_each_citations_passage(speech):
    other = make_passage(source=make_source(slug="anthology"), text="Tito did not fall.")
    wanted = {
        Citation(source="speech", quote="Lenin's 'testament'"): speech["testament"],
        Citation(source="speech", quote="ideological errors be proven"): speech["concept"],
        Citation(source="anthology", quote="tito DID not fall"): other,
    }

    assert resolve_citations(citations=wanted) == wanted


def test_batch_resolution_lists_every_failure_at_once(speech):
    with pytest.raises(CitationError) as error:
        resolve_citations(
            citations=[
                Citation(source="speech", quote="greater kindness"),
                Citation(source="speech", quote="enemy of the people"),
                Citation(source="speech", quote="physically annihilating"),
            ]
        )

    message = str(error.value)
    assert "greater kindness" in message
    assert "2 passages of 'speech' contain 'enemy of the people'" in message
    assert "physically annihilating" not in message


def test_batch_resolution_takes_one_query_however_many_citations(speech, django_assert_num_queries):
    other_source = make_source(slug="anthology")
    many = []
    for n in range(20):
        make_passage(source=other_source, text=f"Paragraph {n:03d} of the anthology.")
        many.append(Citation(source="anthology", quote=f"paragraph {n:03d}"))
    few = [Citation(source="speech", quote="testament")]

    with django_assert_num_queries(1):
        resolve_citations(citations=few)
    with django_assert_num_queries(1):
        resolve_citations(citations=[*few, *many])


@given(
    st.text(alphabet="abcXYZ '\"-\n", max_size=40),
)
def test_normalisation_ignores_quote_style_dash_style_and_whitespace(text):
    curly = text.replace("'", "’").replace('"', "”").replace("-", "—").replace(" ", "\u00a0 ")

    assert normalise_for_match(curly) == normalise_for_match(text)
