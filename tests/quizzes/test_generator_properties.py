"""Property-based tests: on arbitrary passages every generator's output obeys the gates."""

import datetime
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from quizzes.generation import GENERATORS, generate_bank
from quizzes.generation.candidates import Candidate
from quizzes.generation.gates import _STAGE, BLANK_TYPES
from quizzes.generation.sentences import contains_phrase, normalise, word_count
from tests.quizzes.conftest import (
    ENCYCLOPEDIA,
    RESOLUTION,
    SPEECH,
    event,
    passage,
    snapshot,
    source,
)

SOURCES = [
    source(SPEECH, "speech-a", "Speech A"),
    source(SPEECH, "speech-b", "Speech B"),
    source(RESOLUTION, "resolution", "Resolution"),
    source(ENCYCLOPEDIA, "encyclopedia", "Encyclopedia"),
]
NAMES = [
    "Stalin",
    "V. I. Lenin",
    "Yezhov",
    "Yagoda",
    "Eikhe",
    "the NKVD",
    "Shin Bet",
    "Kosior",
    "Zakovsky",
]
DATES = [
    "December 1, 1934",
    "April 29, 1938",
    "in 1937",
    "25 February 1956",
    "June 1956",
    "1937-38",
]
FIGURES = ["1,108", "70 percent", "98", "139", "4-5", "No. 20", "724,000", "15", "2"]
TEMPLATES = [
    "{n} was arrested on {d}, and {f} persons were shot.",
    "Of {f} delegates, {f} persons were arrested by {n}, i.e., decidedly more than a majority.",
    '"We deem it absolutely necessary and urgent," said {n}, "that the post be filled at once."',
    "He said that {n} had signed the directive of the U.S.S.R. on {d}.",
    "[Indignation in the hall.] {n} was shot {d}.",
    "It was determined that {f} members of the Central Committee were arrested {d}.",
    "The OGPU is {f} years behind in this matter, as {n} wrote in a letter.",
    "onlv {n} carne to the eves of {f} people.",
    'In the declaration {n} wrote: "There is no more bitter misery than to sit in the jail of a government."',
]

sentence = st.builds(
    lambda t, n, d, f: t.format(n=n, d=d, f=f),
    st.sampled_from(TEMPLATES),
    st.sampled_from(NAMES),
    st.sampled_from(DATES),
    st.sampled_from(FIGURES),
)
noise = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=60
)
paragraph = st.lists(st.one_of(sentence, sentence, sentence, noise), min_size=1, max_size=5).map(
    " ".join
)
corpus_strategy = st.lists(
    st.tuples(st.integers(0, len(SOURCES) - 1), paragraph), min_size=1, max_size=6
)

EVENTS = [
    event("a", datetime.date(1934, 12, 1), "Kirov is murdered"),
    event("b", datetime.date(1938, 4, 29), "Eikhe is arrested"),
    event("c", datetime.date(1956, 2, 25), "Khrushchev delivers his report"),
    event("d", datetime.date(1956, 6, 30), "The resolution is adopted"),
]


def build(rows):
    passages = [passage(SOURCES[i], text) for i, text in rows if text.strip()]
    # Keys by position, not from the shared counter: the same rows make the same corpus, so
    # Hypothesis replays a failing example exactly (a question's random stream is seeded by
    # its passage's key).
    for n, p in enumerate(passages, 1):
        p.key, p.ordinal = f"p{n}", n
    cited = passages[:1]
    return snapshot(passages, events=EVENTS, event_citations={e.slug: cited for e in EVENTS})


def assert_obeys_gates(c: Candidate) -> None:
    ids = [o["id"] for o in c.options]
    texts = [o["text"] for o in c.options]
    assert set(c.answer) <= set(ids) and len(set(ids)) == len(ids)
    assert 8 <= word_count(c.stem) <= 60
    # An editor's word in brackets ("[Stalin] would have") is text; stage directions and
    # stray or empty brackets are not.
    assert not _STAGE.search(c.stem) and "onlv" not in c.stem
    if c.option_kind not in ("boolean", "event"):
        assert len(c.answer) == 1 and len(texts) >= 3
        assert len({normalise(t) for t in texts}) == len(texts)
        for spelling in c.answer_spellings:
            assert not contains_phrase(c.stem, spelling)
    if c.type.startswith("cloze"):
        assert contains_phrase(c.passage.text, c.answer_texts[0]) or c.type == "cloze_name"
        for distractor in c.distractor_texts:
            assert not contains_phrase(c.passage.text, distractor)
    if c.option_kind == "event":
        assert sorted(c.answer) == sorted(ids)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_strategy, st.integers(0, 2**16))
def test_every_accepted_question_obeys_the_gates(rows, seed):
    result = generate_bank(corpus=build(rows), seed=seed)
    for candidate in result.accepted:
        assert_obeys_gates(candidate)
    by_type: dict[str, list[str]] = {}
    for c in result.accepted:
        if c.type in BLANK_TYPES:
            # two blanks in one sentence are two questions; the same answer twice is not
            key, scorer = f"{c.type}:{normalise(' '.join(c.answer_texts))}", fuzz.ratio
            text = normalise(c.stem)
        elif c.type == "true_false":
            # As the gate: statements of one passage are alternatives balancing chooses
            # between; another passage's (a twin rendering's) near-copy is a duplicate.
            key, scorer = f"{c.type}:{c.grounding}", fuzz.token_sort_ratio
            text = normalise(c.quote)
            others = [
                t
                for k, ts in by_type.items()
                if k.startswith("true_false:") and k != key
                for t in ts
            ]
            assert all(scorer(text, other) < 90 for other in others)
            by_type.setdefault(key, []).append(text)
            continue
        else:
            key, scorer = c.type, fuzz.token_sort_ratio
            text = normalise(c.stem + " " + " ".join(c.answer_texts))
        assert all(scorer(text, other) < 90 for other in by_type.get(key, []))
        by_type.setdefault(key, []).append(text)


@settings(max_examples=30, deadline=None)
@given(corpus_strategy, st.integers(0, 2**16))
def test_every_generator_survives_arbitrary_text_and_is_deterministic(rows, seed):
    corpus = build(rows)
    for module in GENERATORS:
        first = [
            getattr(i, "fingerprint", i)
            for i in module.generate(corpus=corpus, rng=random.Random(seed))
        ]
        second = [
            getattr(i, "fingerprint", i)
            for i in module.generate(corpus=corpus, rng=random.Random(seed))
        ]
        assert first == second
