"""Round 5 of blind rating: the failure classes, each from a rejected question
(docs/question-quality/round5/rejected.md)."""

from __future__ import annotations

import datetime
import random

from corpus.models import GlossaryTerm
from quizzes.generation import cloze_name, source_attribution
from quizzes.generation.answer_keys import AnswerKeys
from quizzes.generation.balancing import spread_keys
from quizzes.generation.candidates import Candidate, Rejection
from quizzes.generation.clues import ruled_out
from quizzes.generation.compare_renderings import quoted_speaker
from quizzes.generation.name_choice import of_the_time
from quizzes.generation.time_bounds import career_floor, dead_by_then
from quizzes.generation.true_false import praise_only
from tests.quizzes.conftest import (
    RESOLUTION,
    SPEECH,
    event,
    passage,
    people,
    snapshot,
    source,
    term,
)

PLACE, PERSON = GlossaryTerm.Kind.PLACE, GlossaryTerm.Kind.PERSON


def _entry(name, *aliases, kind=PERSON, role="soviet-leader", description=""):
    t = term(name, *aliases, kind=kind, role=role)
    t.description = description
    return t


# --- R072: Stockholm offered for the city of a Polish "Stalin engineering works" ---------

POZNAN = _entry("Poznan", kind=PLACE, role="city", description="Polish city where workers rose.")
WARSAW = _entry("Warsaw", kind=PLACE, role="city", description="Capital of Poland.")
TBILISI = _entry("Tbilisi", kind=PLACE, role="city", description="Capital of Soviet Georgia.")
STOCKHOLM = _entry("Stockholm", kind=PLACE, role="city", description="Capital of Sweden.")
BERLIN = _entry("Berlin", kind=PLACE, role="city", description="German city, divided.")


def test_a_western_city_is_no_option_for_a_city_of_the_communist_world():
    corpus = snapshot([], terms=[POZNAN, WARSAW, TBILISI, STOCKHOLM, BERLIN])
    stem = (
        "On 28 June 1956 workers of _____'s Stalin engineering works, in dispute over work "
        "quotas, march into the city centre."
    )
    assert ruled_out(corpus, POZNAN, STOCKHOLM, stem)
    assert ruled_out(corpus, POZNAN, WARSAW, stem) is None
    assert ruled_out(corpus, POZNAN, TBILISI, stem) is None
    # Germany was on both sides: Berlin stays a confusion for a Polish city.
    assert ruled_out(corpus, POZNAN, BERLIN, stem) is None
    # The other way round is a real confusion: where did Rettie file his story from?
    filed = "Rettie went on holiday to _____, where he filed the story."
    assert ruled_out(corpus, STOCKHOLM, WARSAW, filed) is None


# --- R013: Brezhnev offered as a member of the Politburo of 1936 ----------------------------

BREZHNEV = _entry(
    "Leonid Brezhnev",
    "Brezhnev",
    description="Soviet party leader after Khrushchev's removal in 1964; in 1968 analysts saw a "
    "resurrection of Stalin.",
)
KAGANOVICH = _entry(
    "Lazar Kaganovich",
    "Kaganovich",
    description="Member of the top leadership until 1957; addressee of the telegram of 1936.",
)


def test_a_person_whose_entry_begins_decades_later_is_not_of_the_time():
    corpus = snapshot([], terms=[BREZHNEV, KAGANOVICH])
    assert not of_the_time(corpus, BREZHNEV, (1936, 9))
    assert of_the_time(corpus, KAGANOVICH, (1936, 9))
    # Within the entry's era he is: Brezhnev in 1956 is no anachronism.
    assert of_the_time(corpus, BREZHNEV, (1956, 6))


# --- R085: "the critical remarks of _____ during the period immediately following his death" -


def test_a_sentence_speaking_of_the_blanked_persons_death_asks_nothing():
    src = source(RESOLUTION, "resolution")
    text = (
        "Having retained the post of general secretary of the central committee, Stalin did "
        "take into account the critical remarks of Vladimir Ilyich during the period "
        "immediately following his death. Molotov and Kaganovich were silent then."
    )
    corpus = snapshot([passage(src, text)], terms=people())
    items = list(cloze_name.generate(corpus=corpus, rng=random.Random(1)))
    asked_lenin = [c for c in items if isinstance(c, Candidate) and "Lenin" in c.answer_texts]
    assert not asked_lenin
    assert any(
        isinstance(r, Rejection) and r.reason == "the sentence speaks of the key's death"
        for r in items
    )


# --- R007: Lenin offered as the speaker in a story of the congress of 1956 ------------------


def test_no_one_dead_before_the_speakers_first_deed_is_offered_for_his_words():
    lenin = _entry(
        "Vladimir Lenin",
        "Lenin",
        description="Leader of the revolution until his death in January 1924.",
    )
    khrushchev = _entry("Nikita Khrushchev", "Khrushchev", description="First Secretary.")
    molotov = _entry("Vyacheslav Molotov", "Molotov", description="Foreign minister.")
    stalin_dies = event("stalin-dies", datetime.date(1953, 3, 5), "Stalin dies")
    corpus = snapshot([], terms=[lenin, khrushchev, molotov], events=[stalin_dies])
    corpus.event_terms["stalin-dies"] = [khrushchev.slug]
    floor = career_floor(corpus, khrushchev)
    assert floor == (1953, 0)
    excluded = dead_by_then(corpus, floor, key=khrushchev)
    assert lenin.slug in excluded and molotov.slug not in excluded


# --- R011: "Lenin's wisdom in dealing with people was evident in his work with cadres." -----


def test_praise_of_a_person_is_no_fact_to_state():
    assert praise_only("Lenin's wisdom in dealing with people was evident in his work with cadres.")
    assert praise_only(
        "The great modesty of the genius of the revolution, Joseph Stalin, is known."
    )
    # A figure or a date is a fact to test, praise or not.
    assert not praise_only("In 1937 Stalin's wisdom was praised by 1,108 delegates.")
    assert not praise_only("Stalin ordered the arrest of Eikhe in April 1938.")
    assert not praise_only("Yezhov was replaced by Beria at the head of the NKVD.")


# --- R060: "In raising the question of combating the cult of the person of J. V. Stalin …" ---

_LONG_TAIL = (
    " the central committee of the party, acting in the interests of the party and of the "
    "people and of the whole international communist movement, proceeded from the need to "
    "overcome its consequences in every sphere of the life of the party and of the state, "
    "and to restore the Leninist norms of party life and the principles of collective "
    "leadership in full."
)


def test_a_sentence_too_long_to_show_whole_is_not_cut_at_a_comma():
    src = source(RESOLUTION, "resolution")
    opening = "In raising the question of combating the cult of the person of J. V. Stalin,"
    long_one = passage(src, opening + _LONG_TAIL)
    assert source_attribution._excerpt(long_one) is None
    # A sentence of the right length after it is shown whole.
    whole = "The central committee raised the question of the cult of the person of Stalin openly."
    two = passage(src, opening + _LONG_TAIL + " " + whole)
    span = source_attribution._excerpt(two)
    assert span is not None and two.text[span[0] : span[1]] == whole


# --- R080: a rendering of Lenin's letter that never says it is Lenin's ----------------------


def test_the_stem_names_whose_words_two_renderings_quote():
    corpus = snapshot([], terms=people())
    record = (
        'Vladimir Ilyich said: "Stalin is excessively rude, and this defect becomes a defect '
        'which cannot be tolerated; a man who would differ from Stalin in greater kindness."'
    )
    assert quoted_speaker(corpus, record, record.index("kindness")).name == "Vladimir Lenin"
    booklet = (
        "“Stalin is excessively rude,” Lenin wrote, “and this defect cannot be tolerated in a "
        "man who would differ from Stalin in greater politeness.”"
    )
    assert quoted_speaker(corpus, booklet, booklet.index("politeness")).name == "Vladimir Lenin"
    plain = "Stalin put forward the thesis that the tragedy was the result of a sudden attack."
    assert quoted_speaker(corpus, plain, plain.index("tragedy")) is None


# --- 5 % of a lesson's items: every question a test may draw counts --------------------------


def _item(n: int, answer: str, type_: str = "cloze_name") -> Candidate:
    src = source(SPEECH, "speech")
    p = passage(src, f"Sentence {n}.", pk=n)
    options = [{"id": "a", "text": answer}, {"id": "b", "text": f"Other {n}"}]
    return Candidate(
        type=type_,
        generator=type_,
        version=1,
        stem=f"Question {n}?",
        options=options,
        answer=["a"],
        passage=p,
        explanation="",
        quote="",
        highlight=None,
        identity=(f"q{n}",),
        option_kind="person",
        support_text="",
    )


def test_the_key_cap_is_five_per_cent_of_every_question_of_the_lesson():
    lenin = [_item(n, "Vladimir Lenin") for n in range(1, 4)]
    others = [_item(n, f"Person {n}") for n in range(4, 41)]
    statements = [_item(n, "True" if n % 2 else "False", type_="true_false") for n in range(41, 61)]
    for c in statements:
        c.options = [{"id": "a", "text": c.options[0]["text"]}]
    kept = [*lenin, *others, *statements]
    lesson = frozenset(c.passage.pk for c in kept)
    spread_keys(kept, AnswerKeys(people()), [lesson], threshold=0.0)
    published_lenin = [c for c in lenin if not c.held]
    # 60 items in the lesson: Lenin may be the key of 3 (5 %), not only of 2 (5 % of the
    # 40 one-answer questions alone).
    assert len(published_lenin) == 3
    # A fourth Lenin is held: 3 of the 60 items left are his.
    fourth = _item(61, "Vladimir Lenin")
    spread_keys([*kept, fourth], AnswerKeys(people()), [lesson | {61}], threshold=0.0)
    assert sum(not c.held for c in [*lenin, fourth]) == 3
