"""Round 7 of blind rating: the failure classes, each from a rejected question
(docs/question-quality/round7/rejected.md); and the real bank checked against every
question rejected in rounds 6 and 7."""

from __future__ import annotations

import datetime
import random
import re

import pytest

from corpus.models import GlossaryTerm
from quizzes.generation import cloze_name, generate_bank, lesson_groups, load_snapshot
from quizzes.generation.candidates import Candidate, Rejection
from quizzes.generation.disagreement import _subject
from quizzes.generation.gates import _unclosed_single_quote
from quizzes.generation.name_choice import death_of
from quizzes.generation.source_attribution import _excerpt
from tests.quizzes.conftest import RESOLUTION, SPEECH, passage, snapshot, source, term

# --- R126: a quotation opened in the sentence and closed in the next one ---------------------


def test_a_single_quotation_never_closed_is_unbalanced():
    assert _unclosed_single_quote(
        "Comrade Eugene Dennis says in his article: 'The 20th Congress strengthened world peace."
    )
    assert not _unclosed_single_quote("the anti-Marxist conception of the 'hero' and the 'mob,'")
    assert not _unclosed_single_quote("the workers' party and the peasants' unions")
    assert not _unclosed_single_quote("He said: 'We must abolish the cult.' The hall was silent.")


# --- R013: "2. HOW, indeed, could it happen …" ------------------------------------------------


def test_a_section_number_in_capitals_is_not_shown():
    heading = (
        "2. HOW, indeed, could it happen that the cult of the person of Stalin, with all the "
        "attendant adverse consequences, could have appeared in the conditions of the Soviet system?"
    )
    after = (
        "The answer lies in the objective, concrete historical conditions under which socialism "
        "had to be built in the Soviet Union, in a country besieged by enemies."
    )
    p = passage(source(RESOLUTION, "resolution"), f"{heading} {after}")
    span = _excerpt(p)
    assert span is not None and p.text[span[0] : span[1]] == after


# --- R098: "Palmiro Togliatti, Italian communist leader give …" -----------------------------


def test_an_apposition_in_a_stems_subject_is_closed_by_a_comma():
    assert _subject("Palmiro Togliatti, Italian communist leader") == (
        "Palmiro Togliatti, Italian communist leader,"
    )
    assert _subject("History Today") == "History Today"


# --- R101: "Investigation of _____'s case was made in a manner which …" --------------------


def _victim(name):
    t = term(name, role="repression-victim")
    t.kind = GlossaryTerm.Kind.PERSON
    return t


def test_a_victim_is_asked_only_where_the_sentence_tells_him_apart():
    victims = [_victim(n) for n in ("Eikhe", "Kosior", "Postyshev", "Chubar", "Rudzutak")]
    src = source(SPEECH, "speech")
    vague = passage(
        src,
        "Investigation of Eikhe's case was made in a manner which most brutally violated "
        "legality and was accompanied by willfulness and falsification.",
    )
    dated = passage(
        src,
        "On October 1, 1939, Eikhe sent his declaration to the Central Committee, in which he "
        "categorically denied his guilt and asked for an examination of his case.",
    )
    corpus = snapshot([vague, dated], terms=victims)
    items = list(cloze_name.generate(corpus=corpus, rng=random.Random(1)))
    asked = [c for c in items if isinstance(c, Candidate)]
    assert [c.passage for c in asked] == [dated]
    assert any(
        isinstance(r, Rejection) and r.reason == "nothing tells this victim from the others"
        for r in items
    )


# --- the real bank: none of the questions rejected in rounds 6 and 7 comes back ---------------


def _texts(c: Candidate) -> list[str]:
    return [o["text"] for o in c.options]


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.bank
def test_the_real_bank_repeats_none_of_the_round_six_and_seven_rejections(real_bank):
    corpus = load_snapshot()
    bank = generate_bank(corpus=corpus, seed=1956, groups=lesson_groups())
    people = {
        s: t
        for t in corpus.terms
        if t.kind == GlossaryTerm.Kind.PERSON
        for s in (t.name, *t.aliases)
    }
    for c in bank.accepted:
        stem, texts = c.stem, _texts(c)
        assert "_____'s behests" not in stem, stem  # round 6, R051
        assert "Moscow and _____" not in stem, stem  # R108
        assert "Were there any signs that _____" not in stem, stem  # a question completed
        assert "Investigation of _____'s case" not in stem, stem  # round 7, R101
        assert "2. HOW" not in stem, stem  # R013
        assert not (c.type == "source_attribution" and stem.rstrip("”").endswith("…")), stem
        if "criminal murder of _____" in stem or "During _____'s life" in stem:  # R112, R010
            for text in texts:
                died = death_of(people[text])
                assert died is not None and died[0] < 1956, (stem, text)
        if "for _____ years" in stem:  # R080
            key = int(c.answer_texts[0])
            assert all(int(t) <= key * 1.5 for t in texts), texts
        if "decidedly more than a majority" in stem:  # R134: 1,108 of 1,966 delegates
            values = [int(t.replace(",", "")) for t in texts]
            if "1,966" in stem:  # the part asked: more than half of the total
                assert all(1966 / 2 < v < 1966 for v in values), texts
            elif "1,108" in stem:  # the total asked: less than twice the part
                assert all(1108 < v < 2 * 1108 for v in values), texts
        if "from the end of 1936" in stem and c.type == "cloze_date":  # R107
            assert all(t.endswith("1936") for t in texts), texts
        if "made public" in stem and "CC resolution" in stem and c.option_kind == "date":  # R031
            for t in texts:
                day = datetime.datetime.strptime(t, "%d %B %Y").date()
                assert day >= datetime.date(1956, 6, 30), texts
        if c.type == "claim_source" and "Ochab" in stem:  # round 6, R032
            assert "was called the Polish Communist Party" in stem, stem
        if c.type == "disagreement" and "Applause or silence" in stem:  # round 7, R005
            for t in texts:
                both = re.findall(r": ([^.]+)\.", t)
                applauded = [
                    "applause" in x.lower() and "no applause" not in x.lower() for x in both
                ]
                assert not all(applauded), t
        if c.type == "disagreement" and "Italian communist leader" in stem:  # R098
            assert "Italian communist leader, give" in stem or "leader, and" in stem, stem
