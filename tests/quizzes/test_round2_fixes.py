"""Round 2 of blind rating: the failure classes, each from a rejected question."""

from __future__ import annotations

import datetime
import random

import pytest

from corpus.models import GlossaryTerm, Work
from quizzes.generation import generate_bank, lesson_groups, load_snapshot
from quizzes.generation.claim_source import naming_slip
from quizzes.generation.cloze import INTRODUCES_UNSHOWN, in_context, sentences
from quizzes.generation.cloze_date import FoundDate, distractors_for, find_dates
from quizzes.generation.clues import outranks, own_words
from quizzes.generation.documents_named import name_documents
from quizzes.generation.sentences import without_citations
from quizzes.generation.time_bounds import (
    dead_by_then,
    later_bodies,
    report_ceiling,
    words_floor,
)
from tests.quizzes.conftest import SPEECH, passage, people, snapshot, source, term


def _dated(name, *aliases, died, kind=GlossaryTerm.Kind.PERSON, role="soviet-leader"):
    t = term(name, *aliases, kind=kind, role=role)
    t.died = died
    return t


def _terms():
    terms = [t for t in people() if t.slug != "joseph-stalin"]
    plot = term("Doctors' plot", "doctor plotters", kind=GlossaryTerm.Kind.EVENT, role="repression")
    plot.description = 'The "affair of the doctor plotters", announced on 13 January 1953.'
    return [
        *terms,
        _dated("Joseph Stalin", "Stalin", died="1953-03-05"),
        _dated("Zhdanov", died="1948-08-31"),
        plot,
    ]


# --- class 1: options impossible in time ----------------------------------------------


def test_no_one_dead_before_words_after_stalins_death_is_an_option():
    # R002: Zhdanov (died 1948) offered as the speaker of "After Stalin's death, ..."
    corpus = snapshot([], terms=_terms())
    words = "After Stalin's death, the Central Committee began to implement a policy"
    floor = words_floor(corpus, words=words, context=words)
    khrushchev = term("Nikita Khrushchev", "Khrushchev", role="soviet-leader")
    assert floor == (1953, 3)
    assert "zhdanov" in dead_by_then(corpus, floor, key=khrushchev)


def test_no_one_dead_before_the_event_a_passage_tells_of_is_an_option():
    # R060: Zhdanov offered as the speaker of Stalin's threat in the doctors' plot of 1953
    corpus = snapshot([], terms=_terms())
    context = "Stalin reached the conclusion that there are doctor plotters in the Soviet Union."
    words = "If you do not obtain confessions from the doctors we will shorten you by a head."
    floor = words_floor(corpus, words=words, context=context)
    stalin = next(t for t in corpus.terms if t.slug == "joseph-stalin")
    assert floor == (1953, 0)
    assert "zhdanov" in dead_by_then(corpus, floor, key=stalin)
    # Words said before the bound is known (Stalin too was dead by 1954): no exclusion.
    assert dead_by_then(corpus, (1954, 0), key=stalin) == frozenset()


def test_a_date_option_stays_before_the_document_that_reports_it():
    # R062: 1958 offered for an examination the speech of February 1956 reports
    work = Work(slug="speech-1956", title="The speech", kind=Work.Kind.SPEECH, ordinal=0)
    work.date = datetime.date(1956, 2, 25)
    speech = source(work, "speech-text")
    text = "During the examination in 1955 of the Komarov case Rozenblum revealed the fact."
    p = passage(speech, text)
    corpus = snapshot([p], terms=_terms())
    ceiling = report_ceiling(corpus, passage=p, sentence=text)
    assert ceiling == datetime.date(1956, 2, 25)
    answer = find_dates(text)[0]
    pool = {"year": {datetime.date(y, 1, 1) for y in range(1950, 1961)}}
    for seed in range(20):
        labels, _ = distractors_for(
            answer=answer, pool=pool, passage_text=text, rng=random.Random(seed), latest=ceiling
        )
        assert all(int(label) <= 1956 for label in labels), labels


def test_no_date_after_the_writers_death_for_what_he_wrote():
    # R079: January 1928 offered for a letter Lenin (died January 1924) wrote
    speech = source(SPEECH, "speech-text-2")
    text = "In December 1922, in a letter to the Party Congress, Vladimir Ilyich wrote that"
    p = passage(speech, text)
    lenin = _dated("Vladimir Lenin", "Lenin", "Vladimir Ilyich", died="1924-01-21")
    corpus = snapshot([p], terms=[lenin])
    assert report_ceiling(corpus, passage=p, sentence=text) <= datetime.date(1924, 1, 31)
    assert isinstance(find_dates(text)[0], FoundDate)


def test_a_sentence_ending_in_a_colon_is_not_blanked():
    # R079: "In _____, in a letter to the Party Congress, Vladimir Ilyich wrote:"
    speech = source(SPEECH, "speech-text-3")
    p = passage(
        speech, "In December 1922, in a letter to the Party Congress, Vladimir Ilyich wrote:"
    )
    corpus = snapshot([p], terms=_terms())
    (sentence,) = list(sentences(p))
    assert in_context(corpus=corpus, sentence=sentence) == (None, INTRODUCES_UNSHOWN)


def test_a_body_first_known_decades_later_is_no_option():
    # R047: Izvestiia TsK KPSS (1989) offered as the paper the CIA leaked to in 1956
    org = GlossaryTerm.Kind.ORGANIZATION
    times = term("The New York Times", kind=org, role="press")
    times.description = "Printed the full text of the speech on 5 June 1956."
    journal = term("Izvestiia TsK KPSS", kind=org, role="press")
    journal.description = "The party's journal, which printed the speech in 1989."
    corpus = snapshot([], terms=[times, journal])
    assert later_bodies(corpus, 1956, key=times) == {"izvestiia-tsk-kpss"}
    assert later_bodies(corpus, 1989, key=times) == frozenset()


# --- class 4: the stem names the document ---------------------------------------------


@pytest.mark.parametrize(
    ("stem", "named"),
    [
        (  # R009
            "On what date did the State Department release the text to the press?",
            "release the text of Khrushchev's Secret Speech to the press",
        ),
        (  # R024
            "On what date was the CC resolution made public?",
            "the CC resolution on the cult of the individual made public",
        ),
        (  # R028
            "In March 1956, the Polish party printed the speech for its members.",
            "printed Khrushchev's Secret Speech for",
        ),
        (  # R076
            "On 17 May 1956, the State Department told its Moscow embassy that the CIA had a copy.",
            "had a copy of Khrushchev's Secret Speech.",
        ),
    ],
)
def test_a_stem_from_a_timeline_title_names_its_document(stem, named):
    assert named in name_documents(stem)


def test_a_named_document_is_left_alone_and_the_name_gives_no_date_away():
    stem = "Khrushchev's Secret Speech was printed; the speech was read."
    assert name_documents(stem) == stem
    assert "30 June" not in name_documents("On what date was the CC resolution made public?")


# --- class 2: the description gives the key away ---------------------------------------


def test_a_description_using_the_keys_own_words_gives_it_away():
    # R018: "it demands that the cult be abolished" describing "Cult of the individual"
    cult = term("Cult of the individual", kind=GlossaryTerm.Kind.CONCEPT, role="doctrine")
    stem = (
        "Which term is described here? “The speech's term for the elevation of Stalin; it "
        "demands that the cult be abolished 'decisively, once and for all'.”"
    )
    assert own_words(cult, stem)
    assert not own_words(cult, stem.replace("the cult", "it"))


def test_the_head_of_state_is_no_option_for_a_subordinate_office():
    # R057: Eisenhower (President) offered for "the Under Secretary of State"
    west = "western-official"
    ike = term("Dwight D. Eisenhower", role=west)
    ike.description = "Dwight D. Eisenhower was the President of the United States from 1953."
    hoover = term("Herbert Hoover Jr.", role=west)
    hoover.description = "This person was the Under Secretary of State from October 1954."
    assert outranks(ike, hoover)
    assert not outranks(hoover, ike)


# --- class 6: a slip of a name is no refuted claim ----------------------------------------


def test_a_correction_giving_only_the_bodys_other_name_is_a_naming_slip():
    # R090: "sent by order of the Soviet Politburo" corrected to "the Presidium"
    org = GlossaryTerm.Kind.ORGANIZATION
    presidium = term("Presidium of the Central Committee", "Party Presidium", kind=org)
    politburo = term("Political Bureau", "Politburo", kind=org)
    politburo.same_as = [presidium.slug]
    corpus = snapshot([], terms=[presidium, politburo])
    claim = "copies of the speech were sent by order of the Soviet Politburo."
    correct = "From October 1952 to 1966 the top body was called the Presidium."
    assert naming_slip(corpus, claim, correct)
    assert not naming_slip(corpus, claim, "No copies were sent before 1957.")


# --- class 5: citations -------------------------------------------------------------------


def test_a_bibliographic_reference_is_stripped_from_a_quoted_statement():
    # R005
    text = (
        "'The intellect of scores of millions,' said Joseph Stalin, 'creates something "
        "immeasurably higher than a forecast of the greatest genius' (Works, Vol. 26, Page 431)."
    )
    assert without_citations(text).endswith("greatest genius'.")
    assert without_citations("He was arrested (in 1937) and shot.") == (
        "He was arrested (in 1937) and shot."
    )


# --- the real bank: the rejected questions do not come back --------------------------------


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.bank
def test_the_real_bank_offers_no_option_impossible_in_time(real_bank):
    bank = generate_bank(corpus=load_snapshot(), seed=1956, groups=lesson_groups())
    for c in bank.accepted:
        texts = [o["text"] for o in c.options]
        if c.type == "quote_attribution" and (
            "After Stalin's death" in c.stem or "confessions from the doctors" in c.stem
        ):
            assert "Zhdanov" not in texts, c.stem  # R002, R060
        if c.type == "cloze_date" and "Komarov case" in c.stem:
            assert all(not t.isdigit() or int(t) <= 1956 for t in texts), texts  # R062
        if c.type == "cloze_name" and "the CIA leaked the speech to" in c.stem:
            assert "Izvestiia TsK KPSS" not in texts  # R047
        assert "(Works, Vol." not in c.stem  # R005
        if c.type == "claim_source":
            assert "Soviet Politburo" not in c.stem  # R090: a naming slip
        assert not c.stem.rstrip("”").endswith(":"), c.stem  # R079
        if c.type == "disagreement":
            assert not c.stem.startswith("The speech and"), c.stem  # R029
        if "described here?" in c.stem:
            assert not c.stem.split("“", 1)[1].startswith("In whose"), c.stem  # R055
            assert "cult be abolished" not in c.stem  # R018
            if "the Under Secretary of State" in c.stem:  # R057
                assert "Dwight D. Eisenhower" not in texts
            if "led by Mao Zedong" in c.stem:  # R072
                assert "Communist Party of the United States" not in texts
        if c.type in ("who_what_when", "true_false") and not c.excerpt:
            assert "release the text to" not in c.stem  # R009
            assert "had a copy." not in c.stem  # R076
