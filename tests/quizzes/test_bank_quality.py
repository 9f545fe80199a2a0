"""Regressions for the defects a teacher found reading the generated bank (one test each)."""

import dataclasses
import datetime
import random
import re

from corpus.models import GlossaryTerm
from quizzes.generation import (
    chronology,
    cloze_date,
    cloze_name,
    cloze_quantity,
    compare_renderings,
    generate_bank,
    quote_attribution,
    true_false,
    who_what_when,
)
from quizzes.generation.answer_keys import AnswerKeys, key_cap
from quizzes.generation.balancing import (
    HELD_KEY,
    HELD_TRUE_FALSE,
    balance_true_false,
    in_band,
    spread_keys,
)
from quizzes.generation.candidates import Candidate
from quizzes.generation.gates import check
from quizzes.generation.glossary_choice import surname
from quizzes.generation.statements import is_declarative
from tests.quizzes.conftest import ENCYCLOPEDIA, SPEECH, event, passage, snapshot, source, term

CR = source(SPEECH, "speech-congressional-record", "Congressional Record translation")
ENCYC = source(ENCYCLOPEDIA, "encyclopedia-article", "Encyclopedia article")
ANTHOLOGY = source(SPEECH, "speech-anthology", "Anthology translation")
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


# --- issue 14: every type to the bar (one regression per failure class the raters found) ---

TITO_CR = (
    "Once, when I came from Kiev to Moscow, I was invited to visit Stalin who, pointing to the "
    "copy of a letter lately sent to Tito, asked me, 'Have you read this?'"
)
TITO_ENCYC = (
    "Once, when I came from Kiev to Moscow, I was invited to visit Stalin, who, pointing to the "
    "copy of a letter recently sent to Tito, asked me, 'Have you read this?'"
)


def test_renderings_differing_by_a_synonym_ask_nothing():
    # "lately" / "recently" was published with "recently" among the options: two failures
    # (UNIQUE, WORTH) in one question
    corpus = snapshot(
        [passage(CR, TITO_CR), passage(ENCYC, TITO_ENCYC, quoted_work=SPEECH)], terms=leaders()
    )
    made, rejections = run(compare_renderings, corpus)
    assert made == []
    assert compare_renderings.TRIVIAL in {r.reason for r in rejections}


def test_chronology_cites_and_quotes_the_passage_that_dates_each_event():
    rozenblum = passage(
        CR,
        "The way in which the former NKVD workers manufactured fictitious centers is seen from "
        "the confession of Comrade Rozenblum, who was arrested in 1937 by the Leningrad NKVD.",
    )
    shin_bet = passage(
        ENCYC,
        "By the afternoon of April 13 1956, the Shin Bet in Israel had received photographs of "
        "the speech.",
    )
    deportation = passage(
        ENCYC, "In March 1944, all the Chechens and Ingushi were deported.", quoted_work=SPEECH
    )
    beria = passage(ENCYC, "Khrushchev garnered support for the arrest and execution of Beria.")
    events = [
        event("rozenblum", datetime.date(1937, 1, 1), "Rozenblum arrested", "year"),
        event("shin-bet", datetime.date(1956, 4, 13), "The Shin Bet receives photographs of it"),
        event("chechens", datetime.date(1944, 3, 1), "Deportation of the Chechens", "month"),
        # "c. 1953": no cited passage dates it, so it is ordered by nothing the student sees
        event("beria", datetime.date(1953, 1, 1), "Beria arrested and executed", "approx"),
    ]
    cites = {"rozenblum": rozenblum, "shin-bet": shin_bet, "chechens": deportation, "beria": beria}
    corpus = snapshot(
        list(cites.values()),
        events=events,
        event_citations={slug: [p] for slug, p in cites.items()},
    )
    made, rejections = run(chronology, corpus)
    assert made
    assert ("event's date is not stated in its cited passages", "beria") in {
        (r.reason, r.detail) for r in rejections
    }
    for question in made:
        assert "Beria arrested and executed" not in question.answer_texts
        cited = {p.key for p in question.cited}
        assert cited == {cites[slug].key for slug in question.identity}
        lines = question.quote.split("\n")
        assert len(lines) == len(question.identity)
        assert "(the encyclopedia article on the speech)" in question.quote
        assert "1937" in question.quote and "April 13 1956" in question.quote
        assert check(question) is None


def test_date_question_is_asked_only_where_its_cited_passage_states_the_date():
    # "First reports of the speech in the West", March 1956: the cited passage says "the
    # next day", so the key could not be checked against it
    cite = passage(CR, "The speech was reported in the foreign media the next day.")
    dated = passage(
        ENCYC, "On March 5 1956, the Party Presidium ordered the reading of the report."
    )
    events = [
        event("reports", datetime.date(1956, 3, 1), "First reports of the speech", "month"),
        event("readings", datetime.date(1956, 3, 5), "The speech is read out in party meetings"),
    ]
    corpus = snapshot(
        [cite, dated],
        events=events,
        event_citations={"reports": [cite], "readings": [cite, dated]},
    )
    made, rejections = run(who_what_when, corpus)
    asked = {c.identity[1]: c for c in made if c.identity[0] == "event"}
    assert set(asked) == {"readings"}
    assert ("event's date is not stated in its cited passages", "reports") in {
        (r.reason, r.detail) for r in rejections
    }
    assert asked["readings"].passage is dated  # the passage that dates it, not the first cited
    assert asked["readings"].stem.endswith("according to the encyclopedia article on the speech?")
    assert check(asked["readings"]) is None


def test_description_naming_what_its_citations_do_not_is_cut_to_what_they_bear_out():
    cite = passage(ENCYC, "The rehabilitation of victims of political repressions was slow.")
    rehabilitation = term("Rehabilitation", kind=GlossaryTerm.Kind.CONCEPT, role="concept")
    rehabilitation.description = (
        "Clearing the victims of repression. Eikhe was rehabilitated posthumously."
    )
    others = [
        term(name, kind=GlossaryTerm.Kind.CONCEPT, role="concept")
        for name in ("Socialist legality", "Collective leadership", "Cult of the individual")
    ]
    eikhe = term("Robert Eikhe", "Eikhe", role="repression-victim")
    corpus = snapshot(
        [cite],
        terms=[*leaders(), rehabilitation, *others, eikhe],
        term_citations={"rehabilitation": [cite]},
    )
    made, _ = run(who_what_when, corpus)
    (question,) = [c for c in made if c.identity == ("term", "rehabilitation")]
    assert "Eikhe" not in question.stem  # the cited passage says nothing of Eikhe


def test_figure_distractors_never_exceed_the_total_the_stem_names():
    text = (
        "Of the 1,966 delegates, 1,108 were declared 'counter-revolutionaries', 848 were "
        "executed, and 98 of 139 members and candidates to the Central Committee were declared "
        "'enemies of the people'."
    )
    congress = term(
        "17th Party Congress", "17th party congress", kind="event", role="party-congress"
    )
    earlier = "The delegates to the 17th party congress met in 1934. " + text
    corpus = snapshot([passage(ENCYC, earlier)], terms=[*leaders(), congress])
    made, _ = run(cloze_quantity, corpus)
    by_answer = {c.answer_texts[0]: c for c in made}
    figures = lambda c: [int(o["text"].replace(",", "")) for o in c.options]  # noqa: E731
    assert all(v < 1966 for v in figures(by_answer["1,108"]))  # 2,216 was offered
    assert all(v < 139 for v in figures(by_answer["98"]))  # 147 and 172 were offered
    assert all(98 < v < 848 for v in figures(by_answer["139"]))  # 70 was offered


def test_false_statement_never_rests_on_a_made_up_figure():
    # "Stalin headed the party and the country for 15 years" was published as false:
    # 15 is nowhere in the story, a word swap rather than a confusion a student might make
    text = "Stalin headed the party and the country for 30 years and many victories were gained."
    corpus = snapshot([passage(CR, text)], terms=leaders())
    assert not [c for c in all_seeds(true_false, corpus, range(10)) if "15 years" in c.stem]


def test_stems_pointing_outside_themselves_are_refused():
    such = "Lenin advised that such people should be patiently educated without extreme methods."
    this = (
        "We can assume that this was also a design for the future annihilation of the old "
        "Political Bureau members and a cover for all shameful acts of Stalin."
    )
    bureau = term("Political Bureau", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body")
    bodies = [
        bureau,
        term("Central Committee", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body"),
        term("Presidium", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body"),
        term("Orgburo", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body"),
    ]
    corpus = snapshot([passage(CR, such), passage(CR, this)], terms=[*leaders(), *bodies])
    for module in (true_false, cloze_name):
        for candidate in all_seeds(module, corpus, range(5)):
            assert check(candidate) is not None, candidate.stem


def test_many_lenin_keys_in_one_lesson_wait_for_review_not_deleted():
    # 24 published keys were Lenin: a student guessing "Lenin" scored well
    lenin = [
        passage(CR, f"In the letter number {n}, Lenin warned the comrades of the party.", pk=n)
        for n in range(1, 13)
    ]
    dates = [
        passage(CR, f"On March {n}, 1937, the plenum of the central committee met.", pk=100 + n)
        for n in range(1, 21)
    ]
    corpus = snapshot([*lenin, *dates], terms=leaders())
    kept = [*run(cloze_name, corpus)[0], *run(cloze_date, corpus)[0]]
    keys = AnswerKeys(corpus.terms)
    assert sum(keys.key(c.answer_texts[0]) == "Vladimir Lenin" for c in kept) == 12
    lesson = frozenset(p.pk for p in [*lenin, *dates])
    spread_keys(kept, keys, [lesson], threshold=0.0)
    published = [c for c in kept if not c.held]
    keyed_lenin = [c for c in published if keys.key(c.answer_texts[0]) == "Vladimir Lenin"]
    assert len(keyed_lenin) == key_cap(len(published)) == 1
    held = [c for c in kept if c.held == HELD_KEY]
    assert len(held) == 11  # still in the bank, waiting for a curator, not deleted


def test_true_and_false_versions_of_one_sentence_never_both_reach_the_bank():
    text = "Lenin used severe methods only in the most necessary cases, when Stalin was young."
    twin = passage(ANTHOLOGY, text)
    corpus = snapshot([passage(CR, text), twin], terms=leaders())
    result = generate_bank(corpus=corpus, seed=3)
    statements = [c for c in result.accepted if c.type == "true_false"]
    assert len({c.quote for c in statements}) == len(statements)


def test_a_lesson_of_mostly_false_statements_holds_back_the_surplus():
    # 21 of 27 published statements were false: answering "false" every time scored 78 %
    declaration = "On October 1, 1939, Eikhe sent his declaration to Stalin."
    arrest = "Comrade Eikhe was arrested on April 29, 1938, on slanderous materials."
    corpus = snapshot([passage(CR, arrest), passage(CR, declaration)], terms=leaders())
    made = [c for c in all_seeds(true_false, corpus, range(3))]
    template = {
        answer: next(c for c in made if c.answer == [answer]) for answer in ("true", "false")
    }
    statements = []
    for n in range(10):
        answer = "false" if n < 8 else "true"
        statements.append(
            dataclasses.replace(
                template[answer],
                passage=passage(CR, f"{arrest} ({n})", pk=500 + n),
                identity=(str(n),),
            )
        )
    lesson = frozenset(range(500, 510))
    balance_true_false(statements, [lesson], threshold=0.0)
    live = [c for c in statements if not c.held]
    true = sum(c.answer == ["true"] for c in live)
    assert in_band(true, len(live)) and true == 2
    assert all(c.held == HELD_TRUE_FALSE for c in statements if c.held)
