"""Regressions for the defects a teacher found reading the generated bank (one test each)."""

import datetime
import random
import re

from corpus.models import GlossaryTerm
from quizzes.generation import (
    chronology,
    cloze_name,
    cloze_quantity,
    quote_attribution,
    true_false,
    who_what_when,
)
from quizzes.generation.candidates import Candidate
from quizzes.generation.gates import check
from quizzes.generation.glossary_choice import surname
from quizzes.generation.statements import is_declarative
from tests.quizzes.conftest import ENCYCLOPEDIA, SPEECH, event, passage, snapshot, source, term

CR = source(SPEECH, "speech-congressional-record", "Congressional Record translation")
ENCYC = source(ENCYCLOPEDIA, "encyclopedia-article", "Encyclopedia article")
CR.author = "Nikita Khrushchev"


def run(module, corpus, seed=1):
    items = list(module.generate(corpus=corpus, rng=random.Random(seed)))
    return [i for i in items if isinstance(i, Candidate)], [
        i for i in items if not isinstance(i, Candidate)
    ]


def leaders():
    return [
        *snapshot([]).terms,
        term("Nikita Khrushchev", "Khrushchev", "Khruschev", role="soviet-leader"),
    ]


def all_seeds(module, corpus, seeds=range(25)):
    for seed in seeds:
        yield from run(module, corpus, seed)[0]


def test_false_statement_uses_canonical_names_never_the_author_or_a_bit_player():
    texts = [
        "After the war Stalin separated himself from the collective even more.",
        "Stalin originated the concept of the enemy of the people.",
        "Stalin ignored the norms of party life and trampled on collective leadership.",
        "Stalin thought that now he could decide all things alone.",
        "Stalin had so elevated himself above the party that he ceased to consider it.",
        "Lenin never imposed by force his views upon his coworkers.",
        "Lenin used severe methods only in the most necessary cases.",
        "A telegram was addressed to Molotov and other members of the Political Bureau.",
    ]
    corpus = snapshot([passage(CR, t) for t in texts], terms=leaders())
    swaps = {
        tuple(re.search(r"has “(.+)”, not “(.+)”", c.explanation).groups())
        for c in all_seeds(true_false, corpus)
        if c.answer == ["false"]
    }
    swapped_in = {new for _, new in swaps}
    assert not swapped_in & {"Khruschev", "Khrushchev", "Nikita Khrushchev"}
    # Molotov is named in one passage, Stalin in five: too minor to stand in for him
    assert ("Stalin", "Molotov") not in swaps
    assert ("Stalin", "Lenin") in swaps


def test_short_name_is_a_word_of_the_canonical_name_not_a_misspelt_alias():
    assert surname(term("Nikita Khrushchev", "Khrushchev", "Khruschev")) == "Khrushchev"
    assert surname(term("Mao Zedong", "Mao", "Chairman Mao")) == "Mao"


def test_questions_headings_and_bullets_are_not_true_false_statements():
    assert not is_declarative(
        "HOW, indeed, could it happen that the cult of the person of Stalin could have appeared?"
    )
    assert not is_declarative("Exaggerations of the role of Zhdanov in the Great Patriotic War")
    assert not is_declarative("On the basis of the decisions, the central committee calls upon:")
    assert is_declarative("Stalin originated the concept enemy of the people.")
    corpus = snapshot(
        [
            passage(
                ENCYC,
                "Exaggerations of the role of Zhdanov in the Great Patriotic War (World War II)",
            ),
            passage(
                CR,
                "HOW, indeed, could it happen that the cult of the person of Stalin, with all "
                "the attendant adverse consequences, could have appeared in 1934?",
            ),
        ]
    )
    assert list(all_seeds(true_false, corpus, range(10))) == []


def test_sentence_with_an_unresolved_he_or_my_is_neither_true_false_nor_cloze():
    text = (
        "Not waiting for my reply he answered that Tito would fall within 1948, "
        "said Stalin to Molotov."
    )
    corpus = snapshot([passage(CR, text)], terms=leaders())
    assert list(all_seeds(true_false, corpus, range(10))) == []
    made, rejections = run(cloze_name, corpus)
    assert made == []
    assert {r.reason for r in rejections} == {"first or second person with no speaker named"}


def test_figure_is_asked_with_the_congress_it_counts_and_dropped_without_one():
    text = (
        "The same fate met the majority of the delegates to the 17th party congress. Of 1,966 "
        "delegates with either voting or advisory rights, 1,108 persons were arrested."
    )
    congress = term(
        "17th Party Congress", "17th party congress", kind="event", role="party-congress"
    )
    twentieth = passage(CR, "The 20th Party Congress met with 1,355 voting delegates in 1956.")
    corpus = snapshot([passage(CR, text), twentieth], terms=[*leaders(), congress])
    made, _ = run(cloze_quantity, corpus)
    delegates = next(c for c in made if c.answer_texts == ["1,966"])
    assert "about the 17th Party Congress?" in delegates.stem
    assert check(delegates) is None
    bare = snapshot(
        [passage(CR, "Of 1,966 delegates with either voting or advisory rights, 1,108 persons.")]
    )
    made, rejections = run(cloze_quantity, bare)
    assert made == [] and rejections[0].reason == "figure without what it counts"


def test_two_sources_disagreeing_on_one_figure_never_supply_each_others_distractor():
    corpus = snapshot(
        [
            passage(CR, "At the 20th Party Congress in 1956, 1,500 delegates heard the speech."),
            passage(ENCYC, "At the 20th Party Congress in 1956, 1,355 voting delegates met."),
        ],
        terms=[
            *leaders(),
            term("20th Party Congress", kind=GlossaryTerm.Kind.EVENT, role="party-congress"),
        ],
    )
    made, _ = run(cloze_quantity, corpus)
    for question in made:
        assert not {"1,500", "1,355"} <= {o["text"] for o in question.options}


def test_trivial_name_cloze_waits_for_review_and_never_offers_a_misspelling():
    corpus = snapshot(
        [passage(CR, "Finally no words could lift Stalin up to the heavens.")], terms=leaders()
    )
    (question,) = run(cloze_name, corpus)[0]
    assert question.quality_score < 0.7
    assert "Khruschev" not in [o["text"] for o in question.options]


def test_timeline_question_is_a_proper_question_citing_its_source():
    # "Death" opens a title as a common noun because the corpus writes "death" in lower case
    cite = passage(
        CR,
        "Comrade Eikhe was arrested on April 29, 1938, long before Stalin's death. The speech "
        "was given on February 25, 1956. In December 1922 Lenin wrote a letter to the congress. "
        "Stalin died in 1953.",
    )
    events = [
        event("eikhe-arrested", datetime.date(1938, 4, 29), "Eikhe arrested"),
        event("speech", datetime.date(1956, 2, 25), "Khrushchev delivers the Secret Speech"),
        event(
            "letter", datetime.date(1922, 12, 1), "Lenin's letter to the party congress", "month"
        ),
        event("death", datetime.date(1953, 1, 1), "Death of Stalin", "year"),
    ]
    corpus = snapshot([cite], events=events, event_citations={e.slug: [cite] for e in events})
    stems = {
        c.identity[1]: c.stem for c in run(who_what_when, corpus)[0] if c.identity[0] == "event"
    }
    assert stems["eikhe-arrested"] == (
        "On what date was Eikhe arrested, according to Khrushchev's Secret Speech?"
    )
    assert stems["speech"].startswith("On what date did Khrushchev deliver the Secret Speech")
    assert stems["letter"].startswith(
        "In which month was Lenin's letter to the party congress written"
    )
    assert stems["death"].startswith("In which year did the death of Stalin take place")
    assert not any("Thaw" in s for s in stems.values())


def test_chronology_draws_many_sets_far_apart_and_barely_overlapping():
    events = [
        event(f"e{n}", datetime.date(1920 + 2 * n, 1 + n % 12, 1), f"Event number {n} happens")
        for n in range(20)
    ]
    cites = {
        e.slug: passage(CR, f"Event {e.slug} happened on {e.date:%B} 1, {e.date.year}.")
        for e in events
    }
    corpus = snapshot(
        list(cites.values()),
        events=events,
        event_citations={slug: [cite] for slug, cite in cites.items()},
    )
    made, _ = run(chronology, corpus)
    assert len(made) >= 15
    sets = [set(c.identity) for c in made]
    assert all(len(a & b) <= 1 for i, a in enumerate(sets) for b in sets[i + 1 :])


def test_quotation_split_by_its_attribution_is_joined_and_the_speaker_is_beside_the_verb():
    text = (
        '"Only he will win and retain the power," said Lenin to Stalin, "who believes in the '
        'people, who submerges himself in the fountain of the living creativeness."'
    )
    (question,) = run(quote_attribution, snapshot([passage(CR, text)]))[0]
    assert "power, who believes in the people" in question.stem
    assert question.answer_texts == ["Vladimir Lenin"]


def test_quotation_of_the_speech_in_another_work_is_attributed_to_its_author():
    quoted = passage(
        ENCYC,
        '"After the death of the leader, the Central Committee began to explain concisely and '
        'consistently that it is impermissible to elevate one person into a superman."',
        quoted_work=SPEECH,
    )
    speech = passage(CR, "The speech itself.")
    corpus = snapshot([quoted, speech], terms=leaders())
    made, rejections = run(quote_attribution, corpus)
    assert not rejections, rejections
    (question,) = made
    assert question.answer_texts == ["Nikita Khrushchev"]
    assert "Secret Speech" not in question.stem  # naming the quoted work gives the answer away
