"""Round 3 of blind rating: the failure classes, each from a rejected question."""

from __future__ import annotations

import pytest

from corpus.models import GlossaryTerm
from quizzes.generation import generate_bank, lesson_groups, load_snapshot
from quizzes.generation.clues import ruled_out, shares_act
from quizzes.generation.statements import ANSWERS_UNASKED, answers_unasked, standalone_problem
from tests.quizzes.conftest import SPEECH, passage, people, snapshot, source, term

# --- R008: a reply to a question the stem leaves out ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "No; because Stalin believed in Beriya and that was enough for him.",  # R008
        "Yes, he had examined it.",
        "“No, comrades, it was not so.",
    ],
)
def test_a_sentence_opening_with_a_reply_is_no_statement(text):
    assert answers_unasked(text)


@pytest.mark.parametrize(
    "text",
    [
        "No one was spared.",
        "No doubt, he knew of it.",
        "Nothing was done about it.",
        "Not all of them were shot.",
        "Yesterday, the congress closed.",
    ],
)
def test_a_sentence_merely_opening_with_no_or_yes_is_a_statement(text):
    assert not answers_unasked(text)


def test_a_reply_is_neither_a_statement_nor_a_cloze_sentence():
    # R008: "True or false? … “No; because Stalin believed in Beriya …”"
    src = source(SPEECH, "speech-text")
    text = "No; because Stalin believed in Beriya and that was enough for him."
    p = passage(src, f"Had Stalin examined Kaminsky's statement? {text}")
    problem = standalone_problem(
        text=text, passage=p, start=p.text.index("No;"), terms=people(), work_kind="speech"
    )
    assert problem == ANSWERS_UNASKED


# --- R053, R088: a communist who never held power, where the stem says the key did ----------


def _entry(slug, name, *aliases, kind, role, description):
    t = term(name, *aliases, kind=kind, role=role)
    t.slug, t.description = slug, description
    return t


PARTY, LEADER = GlossaryTerm.Kind.ORGANIZATION, GlossaryTerm.Kind.PERSON
PUWP = _entry(
    "polish-united-workers-party", "Polish United Workers' Party", "PUWP",
    kind=PARTY, role="communist-party",
    description="The Polish United Workers' Party was the ruling communist party whose leader "
    "Bolesław Bierut died in Moscow on 12 March 1956. It had ruled Poland since 1948.",
)  # fmt: skip
CPUSA = _entry(
    "communist-party-usa", "Communist Party of the United States",
    kind=PARTY, role="communist-party",
    description="The Communist Party of the United States was the American communist party, "
    "headed in 1956 by Eugene Dennis.",
)  # fmt: skip
CPC = _entry(
    "communist-party-of-china", "Communist Party of China", kind=PARTY, role="communist-party",
    description="The Communist Party of China, led by Mao Zedong, answered Khrushchev's speech.",
)  # fmt: skip
KADAR = _entry(
    "kadar", "János Kádár", "Kádár", kind=LEADER, role="foreign-communist-leader",
    description="Hungarian communist who sat in Imre Nagy's inner cabinet, then went over to "
    "the Soviet side.",
)  # fmt: skip
DENNIS = _entry(
    "eugene-dennis", "Eugene Dennis", kind=LEADER, role="foreign-communist-leader",
    description="General secretary of the national committee of the United States Communist "
    "Party, quoted in the CC resolution.",
)  # fmt: skip
GOMULKA = _entry(
    "gomulka", "Władysław Gomułka", "Gomułka", kind=LEADER, role="foreign-communist-leader",
    description="Polish communist leader, imprisoned under Bierut, who returned to power in "
    "October 1956.",
)  # fmt: skip


def _parties():
    return snapshot([], terms=[PUWP, CPUSA, CPC, KADAR, DENNIS, GOMULKA])


def test_a_party_that_never_ruled_is_no_option_for_a_ruling_party():
    # R053: the American party offered as the "ruling communist party" led by Bierut
    corpus = _parties()
    stem = "Which organization is described here? “The _____ was the ruling communist party "
    stem += "whose leader Bolesław Bierut died in Moscow on 12 March 1956.”"
    assert ruled_out(corpus, PUWP, CPUSA, stem)
    assert ruled_out(corpus, PUWP, CPC, stem) is None
    # Where nothing says the key held power, the American party stays a fair option.
    plain = "The _____ printed the speech for its members in March 1956."
    assert ruled_out(corpus, PUWP, CPUSA, plain) is None


@pytest.mark.parametrize(
    "stem",
    [
        # R088: no country named, but a government is
        "Soviet armoured columns attack on 4 November, and a government under _____ takes "
        "power behind them; resistance goes on for weeks.",
        "A Hungarian government under _____ was formed on 4 November.",
    ],
)
def test_a_communist_of_a_country_his_party_never_ruled_heads_no_government(stem):
    corpus = _parties()
    assert ruled_out(corpus, KADAR, DENNIS, stem)
    if "Hungarian" not in stem:
        assert ruled_out(corpus, KADAR, GOMULKA, stem) is None


# --- R069: another man the documents say was tortured alike ----------------------------------


def test_no_option_whose_entry_tells_of_the_same_torture_and_confession():
    rozenblum = _entry(
        "rozenblum", "Rozenblum", kind=LEADER, role="repression-victim",
        description="Party member since 1906 who, the speech says, was arrested in 1937 by the "
        "Leningrad NKVD and tortured. Zakovsky offered him freedom for a false confession.",
    )  # fmt: skip
    kaminsky = _entry(
        "kaminsky", "Kaminsky", kind=LEADER, role="repression-victim",
        description="People's Commissar of Health who spoke against Beria and was arrested.",
    )  # fmt: skip
    sentence = (
        "Eikhe was forced under torture to sign ahead of time a protocol of his confession "
        "prepared by the investigative judges."
    )
    assert shares_act(rozenblum, sentence)
    assert not shares_act(kaminsky, sentence)
    assert not shares_act(rozenblum, "Eikhe was arrested on 29 April 1938.")


# --- the real bank: the rejected questions do not come back --------------------------------


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.bank
def test_the_real_bank_repeats_none_of_round_threes_rejections(real_bank):
    bank = generate_bank(corpus=load_snapshot(), seed=1956, groups=lesson_groups())
    for c in bank.accepted:
        texts = [o["text"] for o in c.options]
        quoted = c.stem.split("“", 1)[-1]
        assert not answers_unasked(quoted), c.stem  # R008
        if "ruling communist party" in c.stem:  # R053
            assert "Communist Party of the United States" not in texts, c.stem
            assert "French Communist Party" not in texts, c.stem
        if "a government under" in c.stem:  # R088
            assert "Eugene Dennis" not in texts and "Palmiro Togliatti" not in texts, texts
        if c.type == "cloze_name" and "forced under torture" in c.stem:  # R069
            assert "Rozenblum" not in texts, texts
