"""Beyond recall: the disagreement and claim-to-source types, built from editorial notes."""

import random

from corpus.models import EditorialNote, GlossaryTerm, NotePassage, ReferenceCitation, ReferenceWork
from quizzes.generation import claim_source, disagreement, generate_bank
from quizzes.generation.candidates import Candidate
from quizzes.generation.editorial_data import EditorialData, NoteLink
from quizzes.generation.gates import check
from tests.quizzes.conftest import (
    ARTICLE,
    ENCYCLOPEDIA,
    RESOLUTION,
    SPEECH,
    passage,
    people,
    snapshot,
    source,
    term,
)

CR = source(SPEECH, "speech-congressional-record", "Congressional Record translation")
ANTHOLOGY = source(SPEECH, "speech-anthology", "Anthology translation")
MAGAZINE = source(ARTICLE, "history-today-article", "History Today")
ENCYC = source(ENCYCLOPEDIA, "encyclopedia-article", "Encyclopedia article")
BOOKLET = source(RESOLUTION, "resolution-news-booklet", "News Booklet No. 20")
GSE = ReferenceWork(slug="gse-1979", kind="reference", title="Great Soviet Encyclopedia", year=1979)

HISTORY_TODAY = passage(
    MAGAZINE,
    "In closed session on the 25th, 1,500 delegates and many invited visitors listened to "
    "an amazing speech by Nikita Khrushchev.",
)
EDITOR = passage(
    ANTHOLOGY,
    "The twentieth congress of the party, held at the Kremlin with 1,355 voting delegates, "
    "was the first since Stalin's death.",
)
OTHER = passage(BOOKLET, "The party has spoken the whole truth, however bitter it might have been.")
SPEECH_LEAK = passage(
    ENCYC,
    "After determining that the speech was authentic, the CIA leaked the speech to The New "
    "York Times in early June.",
)


def delegates_dispute() -> tuple[EditorialNote, list[NoteLink], dict]:
    note = EditorialNote(
        slug="congress-delegate-count",
        kind=EditorialNote.Kind.DISPUTE,
        title="How many delegates were at the 20th Congress?",
        positions=[
            {"who": "History Today (2006)", "says": "1,500 delegates and many invited visitors"},
            {"who": "The anthology's editor", "says": "1,355 voting delegates"},
            {
                "who": "The congress's official figures",
                "says": "1,349 voting and 81 consultative delegates, 1,430 in all",
            },
        ],
    )
    links = [
        NoteLink(note, HISTORY_TODAY, NotePassage.Role.POSITION, "1,500 delegates", 0),
        NoteLink(note, EDITOR, NotePassage.Role.POSITION, "1,355 voting delegates", 1),
        NoteLink(note, HISTORY_TODAY, NotePassage.Role.TARGET, "1,500 delegates"),
        NoteLink(note, EDITOR, NotePassage.Role.TARGET, "1,355 voting delegates"),
    ]
    references = {(note.slug, 2): ReferenceCitation(work=GSE, at="“Twentieth Congress”")}
    return note, links, references


def leak_correction() -> tuple[EditorialNote, list[NoteLink]]:
    note = EditorialNote(
        slug="cia-did-not-leak-to-the-times",
        kind=EditorialNote.Kind.CORRECTION,
        title="The State Department, not the CIA, gave the text to the press",
        claim="According to the encyclopedia article, the CIA leaked the speech to The New "
        "York Times in early June 1956.",
        correct="The U.S. State Department released the text to the whole press on 4 June 1956.",
    )
    return note, [
        NoteLink(
            note,
            SPEECH_LEAK,
            NotePassage.Role.TARGET,
            "the CIA leaked the speech to The New York Times in early June",
        )
    ]


def corpus():
    dispute, links, position_references = delegates_dispute()
    leak, leak_links = leak_correction()
    made = snapshot([HISTORY_TODAY, OTHER, SPEECH_LEAK, passage(CR, "Comrades!")], terms=people())
    made.all_passages.append(EDITOR)  # an editor's note: not primary text, quotable as his
    made.editorial = EditorialData(
        notes=[dispute, leak],
        links=[*links, *leak_links],
        position_references=position_references,
        references={leak.slug: [ReferenceCitation(work=GSE, at="doc. 199")]},
    )
    return made


def made(module):
    return [
        c
        for c in module.generate(corpus=corpus(), rng=random.Random(1))
        if isinstance(c, Candidate)
    ]


def keyed(c: Candidate) -> str:
    return c.answer_texts[0]


def test_disagreement_pairs_what_two_sources_say_and_quotes_both_passages():
    (pair,) = [c for c in made(disagreement) if c.identity[0] == "dispute"]
    assert pair.stem == (
        "History Today and the anthology's editor give different answers to this question: "
        "How many delegates were at the 20th Congress? What does each of them say?"
    )
    assert keyed(pair) == (
        "History Today: 1,500 delegates and many invited visitors. "
        "The anthology's editor: 1,355 voting delegates."
    )
    # the swapped pair is always a wrong answer; every option pairs the two sources
    assert (
        "History Today: 1,355 voting delegates. "
        "The anthology's editor: 1,500 delegates and many invited visitors."
    ) in [o["text"] for o in pair.options]
    assert all(o["text"].startswith("History Today: ") for o in pair.options)
    assert len(pair.options) == 4
    lines = pair.quote.split("\n")
    assert lines == [
        f"“{HISTORY_TODAY.text}” (History Today)",
        f"“{EDITOR.text}” (The anthology's editor)",
    ]
    assert pair.cited == [HISTORY_TODAY, EDITOR]
    assert [n.slug for n in pair.notes] == ["congress-delegate-count"]
    assert check(pair) is None


def test_claim_source_asks_which_side_gives_an_answer_and_never_keys_a_reference_alone():
    sides = [c for c in made(claim_source) if c.identity[0] == "side"]
    assert sorted(keyed(c) for c in sides) == ["History Today", "The anthology's editor"]
    history_today = next(c for c in sides if keyed(c) == "History Today")
    assert history_today.stem == (
        "How many delegates were at the 20th Congress? The sources disagree. Which of them "
        "gives this answer: 1,500 delegates and many invited visitors?"
    )
    assert sorted(o["text"] for o in history_today.options) == [
        "History Today",
        "The anthology's editor",
        "The congress's official figures",
    ]
    # the feedback quotes the key's passage and the other side's
    assert history_today.quote.split("\n") == [
        f"“{HISTORY_TODAY.text}” (History Today)",
        f"“{EDITOR.text}” (The anthology's editor)",
    ]
    assert all(check(c) is None for c in sides)


def test_claim_source_asks_which_document_makes_a_corrected_claim():
    (claim,) = [c for c in made(claim_source) if c.identity[0] == "claim"]
    assert claim.stem == (
        "Historians have shown this claim to be wrong: The CIA leaked the speech to The New "
        "York Times in early June 1956. Which document makes it?"
    )
    assert keyed(claim) == "An encyclopedia article about the speech"
    assert "What happened: The U.S. State Department released the text" in claim.explanation
    assert (
        claim.quote.split("\n")[0]
        == f"“{SPEECH_LEAK.text}” (the encyclopedia article on the speech)"
    )
    assert "Great Soviet Encyclopedia" in claim.quote.split("\n")[1]
    assert check(claim) is None


def test_a_document_quoting_the_claim_is_never_a_wrong_answer():
    # the encyclopedia quotes the speech's words: asked of the speech, it is no option
    note = EditorialNote(
        slug="enemy",
        kind=EditorialNote.Kind.CORRECTION,
        claim="According to the speech, Stalin originated the concept 'enemy of the people'.",
        correct="The expression was used in 1794.",
    )
    speech = passage(CR, "Stalin originated the concept enemy of the people.")
    quoting = passage(ENCYC, "Khrushchev said: Stalin originated the concept enemy of the people.")
    corpus_ = snapshot([speech, quoting, OTHER, HISTORY_TODAY], terms=people())
    corpus_.editorial = EditorialData(
        notes=[note],
        links=[NoteLink(note, speech, NotePassage.Role.TARGET, "Stalin originated the concept")],
    )
    (question,) = [
        c
        for c in claim_source.generate(corpus=corpus_, rng=random.Random(1))
        if isinstance(c, Candidate)
    ]
    assert keyed(question) == "Khrushchev's Secret Speech to the 20th Congress"
    assert "An encyclopedia article about the speech" not in [o["text"] for o in question.options]


def test_the_new_types_go_through_the_whole_pipeline():
    result = generate_bank(corpus=corpus(), seed=1956, generators=(disagreement, claim_source))
    types = {c.type for c in result.accepted}
    assert types == {"disagreement", "claim_source"}


def test_a_claim_whose_doer_is_corrected_is_not_asked_in_a_frame_that_keeps_its_act():
    # "… disagree about this: _____ leaked the speech to The New York Times": the State
    # Department released the text to the whole press, so the frame would have the
    # student agree to a leak to the Times (the historian's audit, G4; Q159).
    made = corpus()
    made.terms.append(
        term(
            "United States Department of State",
            "State Department",
            "U.S. State Department",
            kind=GlossaryTerm.Kind.ORGANIZATION,
            role="government-department",
        )
    )
    asked = disagreement.generate(corpus=made, rng=random.Random(1))
    slug = "cia-did-not-leak-to-the-times"
    leak = [i for i in asked if slug in (getattr(i, "detail", ""), *getattr(i, "identity", ()))]
    assert [getattr(i, "reason", i) for i in leak] == [
        "the correction tells of another act than the claim"
    ]
    # A doer corrected for the same act is asked ("set up", "set up").
    assert not disagreement._other_act(
        "_____ set up the Pospelov Commission", "The Presidium set up the Pospelov Commission."
    )
