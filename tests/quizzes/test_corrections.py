"""Questions never teach a source's error: the editorial rule on small, unsaved corpora."""

import random

from corpus.models import EditorialNote, GlossaryTerm, NotePassage
from quizzes.generation import cloze_name, generate_bank, true_false
from quizzes.generation.candidates import Candidate
from quizzes.generation.corrections import EditorialRule, corrected, details_in
from quizzes.generation.editorial_data import EditorialData, NoteLink
from quizzes.generation.gates import check
from quizzes.generation.glossary_choice import like_terms
from quizzes.generation.other_names import OtherNames
from tests.quizzes.conftest import ENCYCLOPEDIA, SPEECH, passage, people, snapshot, source, term

CR = source(SPEECH, "speech-congressional-record", "Congressional Record translation")
ENCYC = source(ENCYCLOPEDIA, "encyclopedia-article", "Encyclopedia article")

POSPELOV = (
    "The speech was prepared from the results of a party commission chaired by Pospelov, set "
    "up at a session of the Presidium of the Party central committee on January 31 1955."
)
ENEMY = (
    "Stalin originated the concept enemy of the people. This term made it unnecessary that "
    "the ideological errors of a man be proven. Lenin used severe methods only in the most "
    "necessary cases, when the exploiting classes were still in existence."
)


def correction(slug: str, on, quote: str, claim: str, correct: str) -> tuple:
    note = EditorialNote(
        slug=slug, kind=EditorialNote.Kind.CORRECTION, title=slug, claim=claim, correct=correct
    )
    return note, NoteLink(note=note, passage=on, role=NotePassage.Role.TARGET, quote=quote)


def bodies() -> list[GlossaryTerm]:
    presidium = term(
        "Presidium of the Central Committee",
        "Party Presidium",
        kind=GlossaryTerm.Kind.ORGANIZATION,
        role="party-body",
    )
    politburo = term(
        "Political Bureau", "Politburo", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body"
    )
    politburo.same_as = ["presidium-of-the-central-committee"]
    committee = term("Central Committee", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body")
    secretariat = term("Secretariat", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body")
    orgburo = term("Orgburo", kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body")
    return [*people(), presidium, politburo, committee, secretariat, orgburo]


def corpus_with(passages, *notes_and_links, terms=None):
    corpus = snapshot(passages, terms=terms if terms is not None else bodies())
    corpus.editorial = EditorialData(
        notes=[n for n, _ in notes_and_links], links=[link for _, link in notes_and_links]
    )
    return corpus


def candidate(p, **kwargs) -> Candidate:
    fields = {
        "type": "cloze_date",
        "generator": "test",
        "version": 1,
        "stem": "Which date completes this sentence from the encyclopedia article on the speech?",
        "options": [
            {"id": "a", "text": "January 31 1955"},
            {"id": "b", "text": "March 5 1953"},
            {"id": "c", "text": "June 4 1956"},
        ],
        "answer": ["a"],
        "passage": p,
        "explanation": "",
        "quote": p.text if p else "",
        "highlight": None,
        "identity": ("test",),
        "option_kind": "date",
        "support_text": p.text if p else "",
    }
    return Candidate(**(fields | kwargs))


def pospelov_corpus():
    p = passage(ENCYC, POSPELOV)
    note = correction(
        "pospelov-commission-date",
        p,
        "session of the Presidium of the Party central committee on January 31 1955",
        "According to the encyclopedia article, the Pospelov Commission was set up on "
        "31 January 1955.",
        "The Presidium set up the Pospelov Commission on 31 December 1955; it reported on "
        "9 February 1956.",
    )
    return p, corpus_with([p], note), note[0]


def test_a_corrected_claim_asked_as_the_source_says_it_passes_and_shows_the_correction():
    p, corpus, note = pospelov_corpus()
    # What the source gives beside the record ("Which date does the encyclopedia article
    # give?"): the student answers the source's claim knowing it is the source's.
    question = candidate(p, type="disagreement")
    EditorialRule(corpus).mark(question)
    assert question.notes == [note]  # the feedback shows the correction
    assert check(question) is None


def test_a_cloze_keyed_on_the_corrected_detail_is_refused_though_it_names_its_source():
    # Round 1, R001: "… his Short Biography, which was published in _____" from the speech,
    # keyed 1948: whose sentence it is does not tell the student the year is wrong.
    p, corpus, note = pospelov_corpus()
    question = candidate(p)
    EditorialRule(corpus).mark(question)
    assert question.notes == [note]
    assert check(question) == "the key is the detail a correction note corrects"
    right = candidate(
        p,
        options=[
            {"id": "a", "text": "December 31 1955"},
            {"id": "b", "text": "March 5 1953"},
            {"id": "c", "text": "June 4 1956"},
        ],
    )
    EditorialRule(corpus).mark(right)
    assert check(right) != "the key is the detail a correction note corrects"


def test_a_corrected_claim_stated_without_its_source_is_refused():
    p, corpus, _ = pospelov_corpus()
    question = candidate(p, stem="On what date was the Pospelov Commission set up, in the end?")
    EditorialRule(corpus).mark(question)
    assert check(question) == "corrected claim not attributed to its source"


def test_the_corrected_detail_is_never_the_key_of_a_question_on_what_happened():
    _, corpus, note = pospelov_corpus()
    pospelov = term("Pospelov Commission", kind=GlossaryTerm.Kind.ORGANIZATION, role="commission")
    corpus.term_notes = {pospelov.slug: [note]}
    as_fact = candidate(
        None,
        type="who_what_when",
        stem="On what date did the Presidium set up the Pospelov Commission?",
        options=[
            {"id": "a", "text": "31 January 1955"},
            {"id": "b", "text": "5 March 1953"},
            {"id": "c", "text": "4 June 1956"},
        ],
        quote="",
        support_text="31 January 1955",
        terms=[pospelov],
    )
    rule = EditorialRule(corpus)
    rule.mark(as_fact)
    assert check(as_fact) == "corrected claim not attributed to its source"
    # the right date, or the year both dates share, is no claim of the encyclopedia's
    for right in ("31 December 1955", "1955"):
        fact = candidate(
            None,
            type="who_what_when",
            stem="On what date did the Presidium set up the Pospelov Commission?",
            options=[
                {"id": "a", "text": right},
                {"id": "b", "text": "5 March 1953"},
                {"id": "c", "text": "4 June 1956"},
            ],
            quote="",
            support_text=right,
            terms=[pospelov],
        )
        rule.mark(fact)
        assert [h.how for h in fact.corrections if h.how == "claim"] == []


def enemy_corpus():
    p = passage(CR, ENEMY)
    note = correction(
        "enemy-of-the-people-origin",
        p,
        "Stalin originated the concept enemy of the people",
        "According to the speech, Stalin originated the concept 'enemy of the people'.",
        "The expression was used in the French Revolution (1794) and by Lenin's government "
        "from November 1917, long before Stalin's rule.",
    )
    return p, corpus_with([p], note, terms=people())


def true_false_on(p, statement: str, answer: str, highlight=None) -> Candidate:
    return candidate(
        p,
        type="true_false",
        stem=f"True or false? According to Khrushchev's Secret Speech: “{statement}”",
        options=[{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
        answer=[answer],
        quote=ENEMY.split(". ")[0] + ".",
        highlight=highlight,
        option_kind="boolean",
    )


def test_a_true_false_statement_of_a_corrected_claim_is_never_keyed_true_or_false_on_it():
    p, corpus = enemy_corpus()
    rule = EditorialRule(corpus)
    true = true_false_on(p, "Stalin originated the concept enemy of the people.", "true")
    rule.mark(true)
    assert check(true) == "true statement of a claim a correction note contradicts"
    # "Lenin originated ..." is false as the speech has it, but a student would learn
    # that Lenin did not: the key rests on the corrected detail
    false = true_false_on(p, "Lenin originated the concept enemy of the people.", "false", (0, 6))
    rule.mark(false)
    assert check(false) == "false statement keyed on the detail a correction note corrects"


def test_true_false_asks_another_sentence_of_a_corrected_passage():
    text = (
        "Stalin originated the concept enemy of the people in March 1937. "
        "The plenum of the Central Committee met in March 1937."
    )
    p, later = passage(CR, text), passage(CR, "Mass arrests of party cadres followed in June 1937.")
    note = correction(
        "enemy-of-the-people-origin",
        p,
        "Stalin originated the concept enemy of the people",
        "According to the speech, Stalin originated the concept 'enemy of the people'.",
        "The expression was used by Lenin's government from November 1917.",
    )

    def statements(corpus):
        return [
            c
            for seed in range(20)
            for c in true_false.generate(corpus=corpus, rng=random.Random(seed))
            if isinstance(c, Candidate)
        ]

    assert any("originated" in c.stem for c in statements(corpus_with([p, later])))
    asked = statements(corpus_with([p, later], note))
    assert asked
    assert not any("originated" in c.stem for c in asked)


def test_a_cloze_on_the_corrected_words_names_the_speech_and_links_the_note():
    _, corpus = enemy_corpus()
    result = generate_bank(corpus=corpus, seed=1, generators=(cloze_name,))
    stalin = [c for c in result.accepted if "originated" in c.stem]
    assert stalin
    for question in stalin:
        assert "Khrushchev's Secret Speech" in question.stem
        assert [n.slug for n in question.notes] == ["enemy-of-the-people-origin"]


def test_another_name_of_the_key_is_never_a_distractor():
    p = passage(ENCYC, "Copies were sent by order of the Soviet Politburo to Eastern Bloc leaders.")
    corpus = corpus_with([p])
    question = candidate(
        p,
        type="cloze_name",
        stem="Which body completes this sentence from the encyclopedia article on the speech?",
        options=[
            {"id": "a", "text": "Political Bureau"},
            {"id": "b", "text": "Presidium of the Central Committee"},
            {"id": "c", "text": "Central Committee"},
        ],
        option_kind="organization",
        answer_spellings=["Political Bureau", "Politburo"],
    )
    EditorialRule(corpus).mark(question)
    assert check(question) == "distractor is another name of the answer"
    # "Central Committee" is inside "Presidium of the Central Committee" and another body
    question.options[1]["text"] = "Secretariat"
    assert check(question) is None


def test_same_as_works_both_ways_and_carries_over():
    terms = bodies()
    names = OtherNames(terms)
    assert names.same_thing("Party Presidium", "Politburo")
    assert names.same_thing("Political Bureau", "Presidium of the Central Committee")
    assert not names.same_thing("Central Committee", "Presidium of the Central Committee")
    a, b, c = (term(n, kind=GlossaryTerm.Kind.ORGANIZATION, role="x") for n in "ABC")
    a.same_as, c.same_as = ["b"], ["b"]
    assert OtherNames([a, b, c]).same_thing("A", "C")


def test_distractors_are_never_picked_from_the_answers_other_names():
    corpus = snapshot([], terms=bodies())
    politburo = next(t for t in corpus.terms if t.name == "Political Bureau")
    for seed in range(10):
        chosen, _ = like_terms(
            corpus=corpus, answer=politburo, avoid_text="", rng=random.Random(seed), count=4
        )
        assert "Presidium of the Central Committee" not in [t.name for t in chosen]


def test_a_corrected_detail_is_what_the_claim_gives_in_place_of_the_correction():
    names = OtherNames(
        [
            term("State Department", kind="organization", role=""),
            term("The New York Times", kind="organization", role="newspaper"),
            *people(),
        ]
    )

    def details(claim, correct):
        said, right = frozenset(details_in(claim, names)), frozenset(details_in(correct, names))
        return corrected(said, right)

    assert details(
        "the CIA leaked the speech to The New York Times in early June 1956.",
        "The State Department released the text on 4 June 1956; The New York Times printed it.",
    ) == {("name", "organization", "cia")}
    # Stalin named in passing, and a person the correction names instead, are no details
    assert (
        details(
            "many facts about Stalin's violations of Soviet law became known after his death.",
            "Khrushchev and other leaders had themselves approved arrests in 1937-38.",
        )
        == frozenset()
    )
    assert details("it was published in 1948.", "It first appeared in 1939, again in 1947.") == {
        ("date", 1948)
    }
