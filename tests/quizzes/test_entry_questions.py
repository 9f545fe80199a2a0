"""Questions resting on timeline events and glossary terms that cite reference works: what
happened, keyed to the entry, with like-for-like distractors (quizzes/generation/entries.py)."""

import datetime
import itertools
import random
import re
import tomllib
from pathlib import Path

from corpus.models import EditorialNote, GlossaryTerm, ReferenceCitation, ReferenceWork
from quizzes.generation import (
    entry_clozes,
    event_questions,
    event_statements,
    generate_bank,
    lesson_chronology,
    term_questions,
)
from quizzes.generation.balancing import memberships
from quizzes.generation.candidates import Candidate
from quizzes.generation.entries import past_clause
from quizzes.generation.event_dates import once
from quizzes.generation.gates import check
from quizzes.passage_groups import PassageGroup
from tests.quizzes.conftest import event, snapshot, term

FRUS = ReferenceWork(slug="frus", kind="official", title="FRUS", year=1990)
D = datetime.date


def run(module, corpus, seed=1):
    items = list(module.generate(corpus=corpus, rng=random.Random(seed)))
    return [i for i in items if isinstance(i, Candidate)], [
        i for i in items if not isinstance(i, Candidate)
    ]


def dated(slug, date, title, description="", *, pk, precision="day"):
    found = event(slug, date, title, precision=precision)
    found.pk = pk
    found.description = description
    return found


def polish_terms():
    people = [
        term("Bolesław Bierut", "Bierut", role="foreign-communist-leader"),
        term("Edward Ochab", "Ochab", role="foreign-communist-leader"),
        term("Władysław Gomułka", "Gomułka", role="foreign-communist-leader"),
        term("Imre Nagy", "Nagy", role="foreign-communist-leader"),
        term("János Kádár", "Kádár", role="foreign-communist-leader"),
        term("Palmiro Togliatti", "Togliatti", role="foreign-communist-leader"),
    ]
    for pk, person in enumerate(people, start=100):
        person.pk = pk
    return people


def spring_1956():
    return [
        dated("tbilisi", D(1956, 3, 9), "Troops fire on demonstrators in Tbilisi", pk=1),
        dated(
            "bierut-dies",
            D(1956, 3, 12),
            "Bolesław Bierut dies in Moscow",
            "Bierut dies of a heart attack during a stay in Moscow.",
            pk=2,
        ),
        dated(
            "guardian",
            D(1956, 3, 17),
            "The Manchester Guardian reports Khrushchev's attack on Stalin",
            pk=3,
        ),
        dated(
            "ochab",
            D(1956, 3, 20),
            "Edward Ochab becomes first secretary of the Polish party",
            "After Bierut's death, Edward Ochab becomes first secretary.",
            pk=4,
        ),
        dated("letter", D(1922, 12, 23), "Lenin begins his letter to the party congress", pk=5),
        dated("daily", D(1956, 4, 5), "The People's Daily answers the speech", pk=6),
        dated("release", D(1956, 6, 4), "The State Department releases the text", pk=7),
    ]


def corpus_of(events, *, terms=None, unreferenced=(), notes=None, groups=()):
    terms = terms if terms is not None else polish_terms()
    refs = {e.slug: [ReferenceCitation(work=FRUS, at="doc. 1")] for e in events}
    for slug in unreferenced:
        refs[slug] = []
    return snapshot(
        [],
        terms=terms,
        events=events,
        event_references=refs,
        term_references={t.slug: [ReferenceCitation(work=FRUS, at="p. 1")] for t in terms},
        event_notes=notes or {},
        event_terms={
            "ochab": ["edward-ochab", "poland"],
            "gomulka": ["władysław-gomułka", "poland"],
            "bierut-dies": ["bolesław-bierut"],
            "daily": ["palmiro-togliatti", "władysław-gomułka", "imre-nagy", "jános-kádár"],
            "letter": ["andrei-zhdanov", "vladimir-lenin"],
            "release": ["georgii-malenkov"],
        },
        groups=groups,
    )


def by_identity(candidates, *identity):
    return next(c for c in candidates if c.identity == identity)


def test_an_events_date_is_asked_with_other_events_dates_near_it_and_rests_on_the_event():
    corpus = corpus_of(spring_1956())
    made, _ = run(event_questions, corpus)
    question = by_identity(made, "event", "bierut-dies")
    assert question.stem == "On what date did Bolesław Bierut die in Moscow?"
    assert question.answer_texts == ["12 March 1956"]
    assert set(question.distractor_texts) == {"9 March 1956", "17 March 1956", "20 March 1956"}
    assert question.passage is None and question.events == [corpus.events[1]]
    assert check(question) is None


def test_a_far_away_event_is_no_date_distractor_and_shifted_days_would_give_the_key_away():
    # Lenin died in 1924: 1956 for his letter would be absurd; "23 December 1921" and
    # "23 December 1923" beside the key would point at its day
    corpus = corpus_of(spring_1956())
    made, rejected = run(event_questions, corpus)
    assert not [c for c in made if c.identity == ("event", "letter")]
    assert ("too few dates of other events", "letter") in {(r.reason, r.detail) for r in rejected}
    postscript = dated("postscript", D(1923, 1, 4), "Lenin proposes removing Stalin", pk=20)
    stroke = dated("stroke", D(1923, 3, 10), "Lenin suffers a third stroke", pk=21)
    made, _ = run(event_questions, corpus_of([*spring_1956(), postscript, stroke]))
    letter = by_identity(made, "event", "letter")
    assert "4 January 1923" in letter.distractor_texts
    assert sum(text.startswith("23 December") for text in letter.distractor_texts) == 1
    assert all(not text.endswith("1956") for text in letter.distractor_texts)


def test_a_date_the_entry_itself_names_is_never_a_distractor():
    events = spring_1956()
    events[1].description = "Bierut dies in Moscow; on 17 March the Guardian had not yet heard."
    made, _ = run(event_questions, corpus_of(events))
    assert "17 March 1956" not in by_identity(made, "event", "bierut-dies").distractor_texts


def test_an_event_without_a_reference_work_or_with_a_disputed_date_is_not_asked():
    dispute = EditorialNote(
        slug="when",
        kind=EditorialNote.Kind.DISPUTE,
        title="When did the West first hear?",
        positions=[{"who": "A", "says": "early March 1956"}],
    )
    corpus = corpus_of(spring_1956(), unreferenced=["guardian"], notes={"ochab": [dispute]})
    made, rejected = run(event_questions, corpus)
    assert not [c for c in made if c.identity[1] in ("guardian", "ochab")]
    reasons = {r.detail: r.reason for r in rejected}
    assert reasons["guardian"] == "timeline event cites no reference work"
    assert reasons["ochab"] == "historians disagree about the date"


def test_a_dispute_about_something_else_than_the_date_does_not_stop_the_date():
    toll = EditorialNote(
        slug="toll",
        kind=EditorialNote.Kind.DISPUTE,
        title="How many died in Tbilisi?",
        positions=[{"who": "A", "says": "22 dead"}, {"who": "B", "says": "several hundred"}],
    )
    made, _ = run(event_questions, corpus_of(spring_1956(), notes={"bierut-dies": [toll]}))
    assert any(c.identity[1] == "bierut-dies" for c in made)


def test_a_title_naming_two_acts_months_apart_is_never_dated_by_one_of_them():
    beria = dated("beria", D(1953, 6, 26), "Beria arrested and executed", pk=9)
    made, rejected = run(event_questions, corpus_of([*spring_1956(), beria]))
    assert not [c for c in made if c.identity[1] == "beria"]
    assert "the title names two things done at different times" in {r.reason for r in rejected}


def test_a_title_the_entrys_date_does_not_belong_to_is_not_asked():
    readings = dated(
        "readings",
        D(1956, 3, 5),
        "The speech is read out in party meetings",
        "On 5 March 1956 the Party Presidium orders the report read at meetings.",
        pk=10,
    )
    made, _ = run(event_questions, corpus_of([*spring_1956(), readings]))
    assert not [c for c in made if c.identity[1] == "readings"]


def test_who_did_it_offers_people_of_the_same_role_none_whose_entry_names_the_key():
    people = polish_terms()
    kadar = next(t for t in people if t.slug == "jános-kádár")
    kadar.description = "Hungarian communist who sat in Edward Ochab's government."
    made, _ = run(event_questions, corpus_of(spring_1956(), terms=people))
    question = by_identity(made, "event-actor", "ochab")
    assert question.stem == "Who became first secretary of the Polish party on 20 March 1956?"
    assert question.answer_texts == ["Edward Ochab"]
    # Bierut is named in the entry ("After Bierut's death"); Kádár's entry names Ochab
    assert not {"Bolesław Bierut", "János Kádár"} & set(question.distractor_texts)
    assert check(question) is None


def test_which_event_took_place_on_a_date_offers_other_events_a_few_days_away():
    made, _ = run(event_questions, corpus_of(spring_1956()))
    question = by_identity(made, "event-on-date", "guardian")
    assert question.stem == "Which of these events took place on 17 March 1956?"
    assert question.answer_texts == [
        "The Manchester Guardian reports Khrushchev's attack on Stalin"
    ]
    assert "Bolesław Bierut dies in Moscow" in question.distractor_texts
    assert "12 March 1956" in question.explanation  # each option's date, for the feedback
    assert check(question) is None
    # A paper that reported on 17 March may have reported again on the 20th (blind
    # raters, round 1; the historian's audit, G1): no wrong answer for a later day.
    later = by_identity(made, "event-on-date", "ochab")
    assert question.answer_texts[0] not in later.distractor_texts


def test_titles_become_past_tense_clauses_only_when_they_have_a_verb():
    corpus = corpus_of(spring_1956())
    assert past_clause("Bolesław Bierut dies in Moscow", corpus).predicate == "died in Moscow"
    assert (
        past_clause("Gomułka elected first secretary in Poland", corpus).predicate
        == "was elected first secretary in Poland"
    )
    told = past_clause(
        "The State Department tells its Moscow embassy that the CIA has a copy", corpus
    )
    assert told.sentence("on 17 May 1956") == (
        "On 17 May 1956, the State Department told its Moscow embassy that the CIA had a copy."
    )
    assert past_clause("Death of Stalin", corpus) is None
    assert past_clause("Beria arrested and executed", corpus) is None


def test_statements_alternate_true_and_false_and_a_false_one_takes_a_neighbours_date():
    made, _ = run(event_statements, corpus_of(spring_1956()))
    answers = [c.answer[0] for c in sorted(made, key=lambda c: c.events[0].date)]
    assert len(made) >= 4
    for n in range(1, len(answers) + 1):  # every stretch from the start is about half true
        assert abs(answers[:n].count("true") - answers[:n].count("false")) <= 1
    bierut = by_identity(made, "event-statement", "bierut-dies")
    assert bierut.answer == ["false"]
    wrong = re.search(r"On (\d+ March 1956), Bolesław Bierut died in Moscow\.", bierut.stem)
    assert wrong and wrong.group(1) in {"9 March 1956", "17 March 1956", "20 March 1956"}
    assert bierut.explanation.endswith(f"12 March 1956, not {wrong.group(1)}.")
    assert all(check(c) is None for c in made)


def test_a_lesson_chronology_orders_only_that_lessons_events_set_a_week_apart():
    events = spring_1956()
    extra = [
        dated("gomulka", D(1956, 10, 21), "Gomułka elected first secretary in Poland", pk=11),
        dated("hungary", D(1956, 10, 23), "The Hungarian revolution begins", pk=12),
        dated("nagy", D(1958, 6, 16), "Imre Nagy is hanged", pk=13),
        dated("apg", D(1957, 6, 29), "The Central Committee condemns the Anti-Party Group", pk=14),
        dated("body", D(1961, 10, 31), "Stalin's body removed from Lenin's mausoleum", pk=15),
    ]
    lesson = PassageGroup(
        key="module:four", label="Four", event_ids=frozenset({1, 6, 7, 11, 12, 13, 14, 15})
    )
    made, _ = run(lesson_chronology, corpus_of([*events, *extra], groups=[lesson]))
    assert made
    for question in made:
        assert {e.pk for e in question.events} <= lesson.event_ids
        dates = [e.date for e in question.events]
        assert dates == sorted(dates)
        assert all((b - a).days > 7 for a, b in itertools.pairwise(dates))
        assert check(question) is None


def test_a_glossary_entry_on_reference_works_is_described_and_rests_on_the_term():
    people = polish_terms()
    bierut, ochab, gomulka = people[:3]
    bierut.description = (
        "Leader of the Polish United Workers' Party from 1948. He died on 12 March 1956 "
        "during a stay in Moscow."
    )
    ochab.description = "Polish communist, first secretary of the party from 20 March 1956."
    gomulka.description = "Polish communist leader, in prison as late as 1954."
    made, _ = run(term_questions, corpus_of([], terms=people))
    question = by_identity(made, "term", bierut.slug)
    assert question.stem.startswith("Who is described here? “Leader of the Polish United")
    assert question.answer_texts == ["Bolesław Bierut"] and question.terms == [bierut]
    assert question.passage is None and check(question) is None
    # "the Polish United Workers' Party": only Poles beside him (round 1, R062: Mao and
    # Eugene Dennis offered as the leader of Poland's party), so three options.
    assert sorted(question.distractor_texts) == ["Edward Ochab", "Władysław Gomułka"]


def test_a_description_naming_the_key_or_leaving_only_the_key_to_fit_is_not_asked():
    hungary = term("Hungary", kind=GlossaryTerm.Kind.PLACE, role="country")
    hungary.description = "Country whose Hungarian revolution began on 23 October 1956."
    places = [
        hungary,
        *(
            term(n, kind=GlossaryTerm.Kind.PLACE, role="country")
            for n in ("Poland", "Spain", "Israel")
        ),
    ]
    biography = term(
        "Short Biography", "biography", kind=GlossaryTerm.Kind.DOCUMENT, role="document"
    )
    biography.description = "The official biography of Stalin, revised in 1947."
    documents = [
        biography,
        *(
            term(n, kind=GlossaryTerm.Kind.DOCUMENT, role="document")
            for n in ("Secret Speech", "Lenin's testament", "CC resolution")
        ),
    ]
    _, rejected = run(term_questions, corpus_of([], terms=[*places, *documents]))
    reasons = {r.detail: r.reason for r in rejected}
    assert reasons["hungary"] == "the stem names the place it asks for"
    assert reasons["short-biography"] == "only the key fits the blank"


def test_a_blank_after_a_first_name_is_asked_with_family_names():
    people = [
        term("Bulganin", role="soviet-leader"),
        term("Leonid Brezhnev", "Brezhnev", role="soviet-leader"),
        term("Lazar Kaganovich", "Kaganovich", role="soviet-leader"),
        term("Andrei Zhdanov", "Zhdanov", role="soviet-leader"),
    ]
    people[0].description = "Nikolai Bulganin, head of the Soviet government from 8 February 1955."
    made, _ = run(term_questions, corpus_of([], terms=people))
    question = by_identity(made, "term", people[0].slug)
    assert "Nikolai _____, head of the Soviet government" in question.stem
    assert sorted(o["text"] for o in question.options) == [
        "Brezhnev",
        "Bulganin",
        "Kaganovich",
        "Zhdanov",
    ]


def test_a_question_resting_on_a_lessons_event_counts_in_that_lessons_balance():
    corpus = corpus_of(spring_1956())
    question = by_identity(run(event_questions, corpus)[0], "event", "bierut-dies")
    leak = PassageGroup(key="module:leak", label="Leak", event_ids=frozenset({2}))
    aftermath = PassageGroup(key="module:after", label="After", term_ids=frozenset({100}))
    other = PassageGroup(key="module:other", label="Other", passage_ids=frozenset({2}))
    assert memberships(question, [leak, aftermath, other]) == frozenset({-1, 0})


def test_the_bank_keeps_entry_questions_and_prefers_the_one_citing_a_passage_for_one_fact():
    corpus = corpus_of(spring_1956())
    result = generate_bank(corpus=corpus, seed=1956)
    kinds = {c.generator for c in result.accepted}
    assert {"event_questions", "event_statements"} <= kinds
    fingerprints = [c.fingerprint for c in result.accepted]
    assert len(fingerprints) == len(set(fingerprints))


def test_no_one_dead_by_then_or_of_another_era_is_offered_as_the_doer():
    people = [*polish_terms(), term("Andrei Zhdanov", "Zhdanov", role="foreign-communist-leader")]
    gomulka = dated("gomulka", D(1956, 10, 21), "Gomułka elected first secretary in Poland", pk=11)
    made, _ = run(event_questions, corpus_of([*spring_1956(), gomulka], terms=people))
    question = by_identity(made, "event-actor", "gomulka")
    assert question.answer_texts == ["Władysław Gomułka"]
    # Bierut died in March 1956; Zhdanov is named only beside Lenin in 1922
    assert not {"Bolesław Bierut", "Andrei Zhdanov"} & set(question.distractor_texts)
    assert "Edward Ochab" in question.distractor_texts  # his event shares Poland with this one


def test_a_described_person_has_men_of_the_same_years_beside_him_and_a_woman_is_not_asked():
    malenkov = term("Georgii Malenkov", "Malenkov", role="soviet-leader")
    malenkov.description = "Head of the Soviet government after 1953, removed in 1955."
    lenin = term("Vladimir Lenin", "Lenin", role="soviet-leader")
    lenin.description = "Leader of the revolution of 1917, who died in 1924."
    krupskaya = term("Nadezhda Krupskaya", "Krupskaya", role="soviet-leader")
    krupskaya.description = "A party official who wrote about Stalin's character."  # her name says
    peers = []
    for name in ("Molotov", "Kaganovich", "Bulganin", "Mikoyan"):
        peer = term(name, role="soviet-leader")
        peer.description = f"{name}, a leader of the party from 1930 to 1957."
        peers.append(peer)
    made, rejected = run(term_questions, corpus_of([], terms=[malenkov, lenin, krupskaya, *peers]))
    question = by_identity(made, "term", malenkov.slug)
    assert set(question.distractor_texts) <= {"Molotov", "Kaganovich", "Bulganin", "Mikoyan"}
    assert {r.detail: r.reason for r in rejected}[krupskaya.slug] == (
        "the description gives the key away by gender"
    )


def test_a_description_naming_the_keys_country_gives_it_away():
    papers = [
        term(n, kind=GlossaryTerm.Kind.ORGANIZATION, role="press")
        for n in ("France-Soir", "The Observer", "People's Daily", "Reuters")
    ]
    papers[0].description = "French daily newspaper that printed parts of the speech in May 1956."
    _, rejected = run(term_questions, corpus_of([], terms=papers))
    assert {r.detail: r.reason for r in rejected}["france-soir"] == (
        "the stem names the country the key's name gives"
    )


def test_an_entrys_first_sentence_is_asked_with_a_name_blanked_and_rests_on_the_entry():
    events = spring_1956()
    events[3].description = (
        "After Bierut's death, Edward Ochab becomes first secretary of the Polish party. "
        "He held the post until October."
    )
    made, _ = run(entry_clozes, corpus_of(events))
    question = by_identity(made, "event:ochab", "bolesław-bierut", "Bierut")
    assert question.stem == (
        "Which name completes this account of what happened on 20 March 1956? “After "
        "_____'s death, Edward Ochab becomes first secretary of the Polish party.”"
    )
    assert question.answer_texts == ["Bierut"] and question.events == [events[3]]
    assert check(question) is None
    # The second sentence leans on the first ("He"): never asked.
    assert not [c for c in made if "held the post" in c.stem]


def test_an_entry_sentence_needing_its_context_or_naming_the_key_by_a_set_phrase_is_not_asked():
    events = spring_1956()
    events[1].description = "After hearing it, Bolesław Bierut dies in Moscow of a heart attack."
    wreath = "Edward Ochab lays a wreath at Bierut's mausoleum in Warsaw that spring."
    events[3].description = wreath
    made, rejected = run(entry_clozes, corpus_of(events))
    assert not [c for c in made if c.identity[0] == "event:bierut-dies"]
    assert not [c for c in made if c.identity[:2] == ("event:ochab", "bolesław-bierut")]
    reasons = {r.reason for r in rejected}
    assert "refers to something outside the sentence" in reasons
    assert "a set phrase gives the name away" in reasons


def test_two_moments_of_one_story_never_stand_for_each_other():
    # the Presidium turning to force (31 October) and the army's attack (4 November)
    hungary = [
        dated("begins", D(1956, 10, 23), "The Hungarian revolution begins", pk=30),
        dated("decides", D(1956, 10, 31), "The Soviet Presidium turns to force in Hungary", pk=31),
        dated("neutral", D(1956, 11, 1), "Nagy declares Hungary neutral", pk=32),
        dated("attack", D(1956, 11, 4), "The Soviet army crushes the Hungarian revolution", pk=33),
        dated("gomulka", D(1956, 10, 19), "Khrushchev's delegation flies to Warsaw", pk=34),
        dated("apg", D(1957, 6, 29), "The Central Committee condemns the Anti-Party Group", pk=35),
    ]
    corpus = corpus_of(hungary)
    story = ["hungary", "hungarian-revolution", "nagy"]
    corpus.event_terms.update(
        {"decides": [*story, "presidium"], "attack": [*story, "kadar"], "begins": story[:2]}
    )
    made, _ = run(event_questions, corpus)
    attack = by_identity(made, "event", "attack")
    assert "31 October 1956" not in attack.distractor_texts
    on_day = by_identity(made, "event-on-date", "attack")
    assert "The Soviet Presidium turns to force in Hungary" not in on_day.distractor_texts
    assert "The Hungarian revolution begins" in on_day.distractor_texts  # two terms: allowed


def test_the_presidiums_decision_to_intervene_again_is_an_act_done_once():
    # The once-list named a title the timeline no longer has ("turns to force"): the
    # entry now titled "decides on a second intervention" was never given a false date.
    timeline = Path(__file__).resolve().parents[2] / "corpus" / "data" / "timeline.toml"
    titles = [e["title"] for e in tomllib.loads(timeline.read_text(encoding="utf-8"))["event"]]
    decision = next(t for t in titles if "second intervention" in t)
    assert once(decision)
    assert not once("The Manchester Guardian prints a report of the secret speech")


def test_the_date_of_an_act_done_again_is_not_asked_but_a_death_is():
    # "On what date did France-Soir print parts of the speech?" offered 2 June beside 28
    # May, and a paper prints again (the historian's audit, G1): another date is not
    # surely wrong. Bierut died once.
    made, rejected = run(event_questions, corpus_of(spring_1956()))
    assert not [c for c in made if c.identity == ("event", "guardian")]
    assert ("an act done more than once: another date is not surely wrong", "guardian") in {
        (r.reason, r.detail) for r in rejected
    }
    assert by_identity(made, "event", "bierut-dies").answer_texts == ["12 March 1956"]
