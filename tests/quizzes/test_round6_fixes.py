"""Round 6 of blind rating: the failure classes, each from a rejected question
(docs/question-quality/round6/rejected.md)."""

from __future__ import annotations

import datetime
import random

from corpus.models import Work
from quizzes.generation import cloze_name, cloze_quantity, source_attribution
from quizzes.generation.candidates import Candidate, Rejection
from quizzes.generation.cloze import A_QUESTION, SET_PHRASE, Sentence, in_context
from quizzes.generation.cloze_date import distractors_for as date_distractors
from quizzes.generation.cloze_date import find_dates
from quizzes.generation.cloze_name import died_here
from quizzes.generation.compare_renderings import _sentence_window
from quizzes.generation.name_choice import death_of
from tests.quizzes.conftest import passage, people, snapshot, source, term

SPEECH_1956 = Work(
    slug="secret-speech",
    title="On the Cult of Personality",
    kind=Work.Kind.SPEECH,
    ordinal=0,
    date=datetime.date(1956, 2, 25),
)


def _dead(name, *aliases, died):
    t = term(name, *aliases, role="soviet-leader")
    t.died = died
    return t


# --- R112, R010: "After the criminal murder of _____", "During _____'s life" ----------------


def test_a_sentence_telling_of_the_keys_death_or_past_life_is_seen():
    assert died_here("After the criminal murder of ", ", mass repressions began.")
    assert died_here("During ", "'s life the central committee was a real collective.")
    assert died_here("On 1 December 1934 ", " was shot in Leningrad.")
    assert not died_here("In 1937 ", " signed the order.")
    assert not died_here("During the life of the party, ", " spoke often.")


def test_only_the_dead_are_offered_for_a_murdered_man():
    kirov = _dead("Sergei Kirov", "Kirov", died="1934-12-01")
    zhdanov = _dead("Andrei Zhdanov", "Zhdanov", died="1948-08-31")
    frunze = _dead("Mikhail Frunze", "Frunze", died="1925-10-31")
    kuibyshev = _dead("Valerian Kuibyshev", "Kuibyshev", died="1935-01-25")
    living = [t for t in people() if t.name not in ("Vladimir Lenin", "Joseph Stalin")]
    text = (
        "After the criminal murder of Kirov, mass repressions and brutal acts of violation "
        "of socialist legality began in the whole country, as the commission found."
    )
    corpus = snapshot(
        [passage(source(SPEECH_1956, "speech"), text)],
        terms=[kirov, zhdanov, frunze, kuibyshev, *living],
    )
    asked = [
        c
        for c in cloze_name.generate(corpus=corpus, rng=random.Random(3))
        if isinstance(c, Candidate) and c.answer_texts == ["Kirov"]
    ]
    assert asked, "Kirov is asked about"
    by_name = {t.name: t for t in corpus.terms} | {s: t for t in corpus.terms for s in t.aliases}
    for option in asked[0].options:
        person = by_name[option["text"]]
        assert death_of(person) is not None and death_of(person)[0] < 1956, option["text"]


# --- R051: "to put into effect _____'s behests" ----------------------------------------------


def test_a_set_phrase_after_the_blank_is_not_asked():
    assert SET_PHRASE.match("Lenin's behests.", len("Lenin"))
    assert SET_PHRASE.match("Lenin's mausoleum", len("Lenin"))
    assert not SET_PHRASE.match("Lenin's letter", len("Lenin"))


# --- R108: "allowed the Germans to come up to Moscow and _____" -----------------------------


def test_a_place_in_a_list_of_places_is_not_asked():
    text = (
        "The Soviet Army used the tactics of so-called active defense, which allowed the "
        "Germans to come up to Moscow and Stalingrad, at a terrible cost to the country."
    )
    places = [
        term(name, kind="place", role="city")
        for name in ("Stalingrad", "Leningrad", "Kiev", "Sochi")
    ]
    corpus = snapshot([passage(source(SPEECH_1956, "speech"), text)], terms=places)
    items = list(cloze_name.generate(corpus=corpus, rng=random.Random(1)))
    assert not [c for c in items if isinstance(c, Candidate)]
    assert any(
        isinstance(r, Rejection) and r.reason == "a place in a list: other places share it"
        for r in items
    )


# --- questions are not completed ------------------------------------------------------------


def test_a_question_is_no_sentence_to_complete():
    text = "Were there any signs that Beria was an enemy of the party? No, there were none."
    p = passage(source(SPEECH_1956, "speech"), text)
    end = text.index("?") + 1
    shown, problem = in_context(corpus=snapshot([p]), sentence=Sentence(p, 0, end))
    assert shown is None and problem == A_QUESTION


# --- R080, R134: figures the sentence makes impossible ---------------------------------------


def _figure_distractors(text: str, key: str) -> list[int]:
    figures = cloze_quantity.find_figures(text)
    answer = next(f for f in figures if f.text == key)
    others = [f for f in figures if f is not answer]
    found, _ = cloze_quantity.distractors_for(
        answer=answer,
        pool=[],
        passage_text=text,
        rng=random.Random(5),
        others=others,
        sentence=text,
    )
    return [int(v.replace(",", "")) for v in found]


def test_a_span_of_a_career_is_not_offered_twice_as_long():
    text = "Stalin headed the party and the country for 30 years and many victories were gained."
    values = _figure_distractors(text, "30")
    assert len(values) == 3
    assert all(v <= 45 for v in values), values


def test_a_total_keeps_its_part_more_than_half():
    text = (
        "Of 1,966 delegates with either voting or advisory rights, 1,108 persons were arrested "
        "on charges of anti-revolutionary crimes, i.e., decidedly more than a majority."
    )
    for v in _figure_distractors(text, "1,966"):
        assert 1108 * 2 > v > 1108, v
    for v in _figure_distractors(text, "1,108"):
        assert 1966 / 2 < v < 1966, v


# --- R107: "from the end of 1936 after a telegram … dated … on _____" ------------------------


def test_a_year_the_sentence_names_holds_every_option():
    text = (
        "Mass repressions grew tremendously from the end of 1936 after a telegram from Stalin "
        "and Zhdanov, dated from Sochi on September 25, 1936, was addressed to Kaganovich."
    )
    dates = find_dates(text)
    answer = next(d for d in dates if d.text == "September 25, 1936")
    others = [d for d in dates if d is not answer]
    found, _ = date_distractors(
        answer=answer,
        pool={"day": set(), "month": set(), "year": set()},
        passage_text=text,
        rng=random.Random(2),
        others=others,
        sentence=text,
    )
    assert found and all(text_date.endswith("1936") for text_date in found), found


# --- R102, R117: a generic sentence tells no document's voice ---------------------------------


def test_a_which_document_excerpt_names_something():
    corpus = snapshot([], terms=people())
    generic = (
        "We are absolutely certain that our party, armed with the historical resolutions, "
        "will lead the Soviet people along the Leninist path to new successes."
    )
    assert not source_attribution.anchored(corpus, generic)
    assert source_attribution.anchored(
        corpus, "Stalin headed the party and the country for 30 years."
    )
    assert source_attribution.anchored(
        corpus, "The July plenum studied the reasons for the conflict with Yugoslavia."
    )


# --- R122: the quotation cut mid-clause ---------------------------------------------------------


def test_a_rendering_is_shown_from_the_start_of_a_clause():
    text = (
        "I therefore propose to the comrades to consider the method by which to remove Stalin "
        "from his post, and to select another man for it who, above all, would differ from "
        "Stalin in only one quality, namely, greater tolerance, greater loyalty, greater "
        "politeness and a more considerate attitude towards the comrades."
    )
    start = text.index("politeness")
    a, _ = _sentence_window(text, start, start + len("politeness"))
    assert text[a:].startswith("another man for it who")
