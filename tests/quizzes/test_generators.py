"""Example tests on the tricky passages, and one unseen document through every generator."""

import datetime
import random

from corpus.models import GlossaryTerm
from quizzes.generation import (
    chronology,
    cloze_date,
    cloze_name,
    cloze_quantity,
    compare_renderings,
    generate_bank,
    quote_attribution,
    source_attribution,
    true_false,
    who_what_when,
)
from quizzes.generation.candidates import Candidate
from quizzes.generation.gates import check
from quizzes.generation.glossary_choice import like_terms
from tests.quizzes.conftest import (
    ARTICLE,
    ENCYCLOPEDIA,
    RESOLUTION,
    SPEECH,
    event,
    passage,
    snapshot,
    source,
    term,
)

CR = source(SPEECH, "speech-congressional-record", "Congressional Record translation")
ANTHOLOGY = source(SPEECH, "speech-anthology", "Anthology translation")
BOOKLET = source(RESOLUTION, "resolution-news-booklet", "News Booklet No. 20")
MAGAZINE = source(ARTICLE, "history-today-article", "History Today, February 2006")
ENCYC = source(ENCYCLOPEDIA, "encyclopedia-article", "Encyclopedia article")

FIGURES = (
    "It was determined that of the 139 members and candidates of the party's Central Committee "
    "who were elected at the 17th congress, 98 persons, that is, 70 percent, were arrested and shot "
    "(mostly in 1937-38). Of 1,966 delegates with either voting or advisory rights, 1,108 persons "
    "were arrested on charges of anti-revolutionary crimes, i.e., decidedly more than a majority."
)
KIROV = (
    "After the criminal murder of S. M. Kirov, mass repressions began. On the evening of "
    "December 1, 1934, on Stalin's initiative the Secretary of the Presidium of the Central "
    "Executive Committee, Yenukidze, signed the following directive."
)
EIKHE = (
    "Comrade Eikhe was arrested on April 29, 1938, on the basis of slanderous materials, without the "
    "sanction of the prosecutor of the USSR, which was finally received 15 months after the arrest."
)


def run(module, corpus, seed=1) -> tuple[list[Candidate], list]:
    items = list(module.generate(corpus=corpus, rng=random.Random(seed)))
    return [i for i in items if isinstance(i, Candidate)], [
        i for i in items if not isinstance(i, Candidate)
    ]


def keyed(candidate: Candidate) -> str:
    return candidate.answer_texts[0]


def congress_terms() -> list:
    return [
        *snapshot([]).terms,
        term(
            "17th Party Congress",
            "17th congress",
            "17th party congress",
            kind=GlossaryTerm.Kind.EVENT,
            role="party-congress",
        ),
    ]


def test_figure_cloze_blanks_counts_and_percentages_but_not_ordinals_or_years():
    corpus = snapshot([passage(CR, FIGURES)], terms=congress_terms())
    made, _ = run(cloze_quantity, corpus)
    answers = {keyed(c) for c in made}
    # 70 percent is 98 of 139: arithmetic, not history, and every other percentage would
    # contradict the sentence; asking 98 or 139, the stem leaves the percentage out.
    assert answers == {"139", "98", "1,966", "1,108"}
    assert all(check(c) is None for c in made)
    ninety_eight = next(c for c in made if keyed(c) == "98")
    assert "_____ persons … were arrested" in ninety_eight.stem
    assert "70 percent" not in ninety_eight.stem
    assert "70 percent" in ninety_eight.quote  # the feedback quotes the sentence whole


def test_figure_distractors_are_formatted_like_the_answer_and_absent_from_the_passage():
    corpus = snapshot([passage(CR, FIGURES)], terms=congress_terms())
    made, _ = run(cloze_quantity, corpus)
    by_answer = {keyed(c): c for c in made}
    thousands = [o["text"] for o in by_answer["1,108"].options]
    assert all("," in t and t.replace(",", "").isdigit() for t in thousands)
    assert not {"139", "98", "1,966"} & set(thousands)
    # possible in context: fewer arrested than the 1,966 delegates, fewer shot than the
    # 139 members, more members than the 98 shot
    assert all(int(t.replace(",", "")) < 1966 for t in thousands)
    assert all(int(o["text"]) < 139 for o in by_answer["98"].options)
    assert all(int(o["text"]) > 98 for o in by_answer["139"].options)


def test_date_cloze_keeps_precision_and_format():
    corpus = snapshot([passage(CR, KIROV), passage(CR, EIKHE)])
    made, _ = run(cloze_date, corpus)
    kirov = next(c for c in made if keyed(c) == "December 1, 1934")
    assert "On the evening of _____, on Stalin's initiative" in kirov.stem
    for option in kirov.options:
        month, rest = option["text"].split(" ", 1)
        assert month in cloze_date.MONTHS and rest.count(",") == 1
    assert check(kirov) is None


def test_name_cloze_blanks_initials_with_the_surname_and_uses_same_role_distractors():
    text = "The great modesty of the genius of the revolution, V. I. Lenin, is known to the whole party."
    corpus = snapshot([passage(CR, text)])
    made, _ = run(cloze_name, corpus)
    (question,) = made
    assert "V. I." not in question.stem and "_____" in question.stem
    roles = {t.role for t in corpus.terms if t.name in [o["text"] for o in question.options]}
    assert roles <= {"soviet-leader"}


def test_intelligence_service_is_replaced_by_intelligence_services():
    text = "The copy of the speech reached Israel, and the Shin Bet passed it to the Americans within days."
    made, _ = run(cloze_name, snapshot([passage(ENCYC, text)]))
    (question,) = made
    assert keyed(question) == "Shin Bet"
    assert {o["text"] for o in question.options} <= {"Shin Bet", "NKVD", "CIA", "MI6"}


def test_false_statement_swaps_one_fact_and_explains_the_original():
    # the confusion is real: the declaration's date, from the next passage of the story
    declaration = "On October 1, 1939, Eikhe sent his declaration to Stalin."
    corpus = snapshot([passage(CR, EIKHE), passage(CR, declaration)])
    for seed in range(20):
        made, _ = run(true_false, corpus, seed)
        false = [c for c in made if c.answer == ["false"]]
        if false:
            break
    assert false
    for question in false:
        assert question.explanation.startswith("False:")
        original = question.quote[question.highlight[0] : question.highlight[1]]
        assert original in question.explanation
        assert check(question) is None
    swaps = {(c.identity[2], c.identity[3]) for c in false}
    assert ("April 29, 1938", "October 1, 1939") in swaps or (
        "October 1, 1939",
        "April 29, 1938",
    ) in swaps


def test_false_variant_supported_by_another_passage_is_dropped():
    other = EIKHE.replace("15 months", "16 months")
    corpus = snapshot([passage(CR, EIKHE), passage(ANTHOLOGY, other)])
    for seed in range(30):
        made, _ = run(true_false, corpus, seed)
        for c in made:
            if c.answer == ["false"]:
                assert "16 months" not in c.stem or c.passage.text == other


def test_quote_attribution_names_the_speaker_from_the_verb_of_saying():
    text = (
        "Lenin taught that the party's strength depends on its unity with the masses. \"Only he will "
        'win and retain the power," said Lenin, "who believes in the people."'
    )
    made, _ = run(quote_attribution, snapshot([passage(CR, text)]))
    (question,) = made
    assert keyed(question) == "Vladimir Lenin"
    assert "Only he will win and retain the power" in question.stem
    assert check(question) is None


def test_pronoun_speaker_resolves_to_person_in_previous_sentence():
    text = (
        "On February 2, 1940, Eikhe was brought before the court. Here he did not confess any guilt "
        'and said as follows: "In all the so-called confessions of mine there is not one letter written by me."'
    )
    made, _ = run(quote_attribution, snapshot([passage(CR, text)]))
    (question,) = made
    assert keyed(question) == "Robert Eikhe"
    assert question.penalties["speaker found through a pronoun"] > 0


def test_source_attribution_skips_text_shared_by_two_works():
    letter = (
        "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst, "
        "becomes a defect which cannot be tolerated in one holding the position of general secretary."
    )
    own = (
        "The 20th congress of the party met in the Kremlin and heard the report of the Central "
        "Committee on the work of the party since the nineteenth congress."
    )
    corpus = snapshot(
        [passage(CR, letter), passage(BOOKLET, letter), passage(CR, own)],
        all_passages=None,
    )
    corpus.works = [SPEECH, RESOLUTION, ARTICLE, ENCYCLOPEDIA]
    made, rejections = run(source_attribution, corpus)
    assert [c.passage.text for c in made] == [own]
    assert {r.reason for r in rejections} == {"text appears in more than one work"}


def test_quotation_of_another_work_is_never_a_source_attribution_question():
    quoted = passage(
        ENCYC,
        "Stalin originated the concept of the enemy of the people in all its forms.",
        quoted_work=SPEECH,
    )
    made, rejections = run(source_attribution, snapshot([quoted]))
    assert made == [] and rejections[0].reason == "passage quotes another work"


def test_chronology_orders_events_and_refuses_ambiguous_precision():
    events = [
        event("kirov", datetime.date(1934, 12, 1), "Kirov is murdered in Leningrad"),
        event("eikhe", datetime.date(1938, 4, 29), "Eikhe is arrested"),
        event("speech", datetime.date(1956, 2, 25), "Khrushchev delivers the secret report"),
        event(
            "resolution", datetime.date(1956, 6, 30), "The Central Committee adopts its resolution"
        ),
        event("year", datetime.date(1956, 1, 1), "A year of thaw begins", precision="year"),
    ]
    cites = {
        "kirov": passage(CR, KIROV),
        "eikhe": passage(CR, EIKHE),
        "speech": passage(ENCYC, "Khrushchev spoke on February 25, 1956, in closed session."),
        "resolution": passage(BOOKLET, "The resolution is dated June 30, 1956."),
        "year": passage(ENCYC, "In 1956 the thaw began."),
    }
    corpus = snapshot(
        list(cites.values()),
        events=events,
        event_citations={slug: [cite] for slug, cite in cites.items()},
    )
    made, _ = run(chronology, corpus)
    assert made
    for question in made:
        by_id = {e.title: e for e in events}
        dates = [by_id[t].date for t in question.answer_texts]
        assert dates == sorted(dates)
        assert not {"A year of thaw begins", "Khrushchev delivers the secret report"} <= set(
            question.answer_texts
        )


def test_compare_renderings_asks_for_the_word_one_translation_uses():
    a = passage(
        CR,
        "Stalin should be replaced by a man who would have greater tolerance, greater loyalty, greater kindness and more considerate attitude toward the comrades.",
    )
    b = passage(
        BOOKLET,
        "Stalin should be replaced by a man who would have greater tolerance, greater loyalty, greater politeness and more considerate attitude toward the comrades.",
    )
    c = passage(
        CR,
        "When the report was read, the hall was filled with great sadness and many of the delegates wept openly.",
    )
    d = passage(
        ANTHOLOGY,
        "When the report was read, the hall was filled with great bitterness and many of the delegates wept openly.",
    )
    testament = term(
        "Lenin's testament", kind=GlossaryTerm.Kind.DOCUMENT, role="document"
    )  # the editors note this difference: it changes what Lenin asked for
    testament.description = (
        "The speech wants a successor of greater kindness, the resolution of greater politeness."
    )
    made, rejections = run(
        compare_renderings, snapshot([a, b, c, d], terms=[*snapshot([]).terms, testament])
    )
    politeness = next(q for q in made if keyed(q) == "politeness")
    options = [o["text"] for o in politeness.options]
    # the speech's word is defensible, so it is never offered; the others are qualities
    assert "kindness" not in options
    assert set(options) <= compare_renderings.WORD_KINDS["quality of a person"]
    assert "greater _____" in politeness.stem
    assert "“kindness”" in politeness.explanation
    assert check(politeness) is None
    # sadness / bitterness: nobody notes it, it tells nothing of the history
    assert {keyed(q) for q in made} == {"politeness", "kindness"}
    assert compare_renderings.TRIVIAL in {r.reason for r in rejections}


def test_who_question_blanks_every_spelling_in_the_description():
    cite = passage(CR, "Comrade Yezhov was nominated to head the NKVD after Yagoda.")
    terms = [*snapshot([]).terms, term("Vsevolod Merkulov", "Merkulov", role="nkvd-chief")]
    yezhov = next(t for t in terms if t.slug == "nikolai-yezhov")
    yezhov.description = "Nikolai Yezhov headed the NKVD after Yagoda; Yezhov was later shot."
    corpus = snapshot([cite], terms=terms, term_citations={"nikolai-yezhov": [cite]})
    made, _ = run(who_what_when, corpus)
    (question,) = [c for c in made if keyed(c) == "Nikolai Yezhov"]
    assert "Yezhov" not in question.stem
    assert "Genrikh Yagoda" not in [o["text"] for o in question.options]  # named in the description


def test_unseen_document_yields_sensible_questions_without_code_change():
    work = type(SPEECH)(
        slug="tito-letter", title="Letter to the Cominform", kind="other", ordinal=9
    )
    letter = source(work, "tito-letter-1948", "Tito's letter, 1948")
    passages = [
        passage(
            letter,
            "On March 27, 1948, the Central Committee sent a letter signed by Stalin and Molotov to the Yugoslav leaders.",
        ),
        passage(
            letter,
            "Of 468 members of the party committee in Belgrade, 212 persons were expelled in 1948 and 1949.",
        ),
        passage(
            letter,
            '"We study and take as an example the Soviet system," wrote Kosior, "but we are developing socialism in our country in somewhat different forms."',
        ),
    ]
    corpus = snapshot(passages)
    corpus.works = [SPEECH, RESOLUTION, work]
    result = generate_bank(corpus=corpus, seed=7)
    types = {c.type for c in result.accepted}
    assert {"cloze_date", "cloze_quantity", "cloze_name"} <= types
    # Which document? Beside works on the speech its subject alone tells it apart.
    assert "source_attribution" not in types
    assert all(check(c) is None for c in result.accepted)
    assert any("“Letter to the Cominform”" in c.stem for c in result.accepted)


def test_same_corpus_and_seed_give_the_same_bank():
    corpus = snapshot([passage(CR, FIGURES), passage(CR, KIROV), passage(CR, EIKHE)])
    first = generate_bank(corpus=corpus, seed=3)
    second = generate_bank(corpus=corpus, seed=3)
    assert [(c.fingerprint, c.stem, c.options) for c in first.accepted] == [
        (c.fingerprint, c.stem, c.options) for c in second.accepted
    ]


def test_unknown_role_without_enough_peers_is_rejected_not_padded():
    lonely = term("Wilhelm Bloss", "Bloss", kind=GlossaryTerm.Kind.PERSON, role="german-socialist")
    text = "In a letter to the German political worker, Wilhelm Bloss, Marx stated his antipathy to the cult."
    made, rejections = run(
        cloze_name, snapshot([passage(CR, text)], terms=[*snapshot([]).terms, lonely])
    )
    assert made == []
    assert rejections[0].reason.startswith("too few distractors")


def test_a_description_opening_mid_story_is_described_by_the_sentence_naming_the_term():
    # A curator's approved proposal quotes two sentences; the first leans on the one
    # before it ("sided with them") and does not name him: the second stands alone.
    kirichenko = GlossaryTerm(
        slug="aleksei-kirichenko",
        name="Aleksei Kirichenko",
        aliases=["Kirichenko"],
        kind=GlossaryTerm.Kind.PERSON,
        role="soviet-leader",
        description=(
            "At the last moment Dmitri Shepilov, a Central Committee secretary, also sided"
            " with them. Seven of the Presidium's 11 full members voted to replace"
            " Khrushchev; only Anastas Mikoyan and Aleksei Kirichenko stood with him."
        ),
    )
    described = who_what_when._describe(kirichenko)
    assert described.startswith("Seven of the Presidium's 11 full members")
    assert "_____ stood with him" in described and "them" not in described


def test_a_false_date_is_one_no_passage_gives_in_any_spelling():
    # Found by the property test: "Stalin was arrested on February 25, 1956" was stated
    # False while the passage's next sentence says "… arrested on 25 February 1956".
    text = (
        "Stalin was arrested on December 1, 1934, and 1,108 persons were shot. "
        "Stalin was arrested on 25 February 1956, and 1,108 persons were shot."
    )
    corpus = snapshot([passage(source(SPEECH, "speech-a"), text)])
    statement = "Stalin was arrested on February 25, 1956, and 1,108 persons were shot."
    assert true_false.supported_anywhere(
        corpus=corpus, statement=statement, new_fact="February 25, 1956"
    )
    assert not true_false.supported_anywhere(
        corpus=corpus, statement=statement.replace("25", "26"), new_fact="February 26, 1956"
    )


def test_a_body_is_never_offered_beside_the_body_it_belongs_to():
    # "Member of the _____ to whom the Sochi telegram was addressed" (Molotov): the key
    # Political Bureau, and "Central Committee" offered beside it, whose members the
    # Politburo's all were (the historian's audit, G2; Q97).
    def body(name, description, *aliases):
        made = term(name, *aliases, kind=GlossaryTerm.Kind.ORGANIZATION, role="party-body")
        made.description = description
        return made

    politburo = body(
        "Political Bureau",
        "The Political Bureau (Politburo) of the Central Committee, the small group of leaders.",
        "Politburo",
    )
    bodies = [
        politburo,
        body("Central Committee", "The party's ruling body between its congresses.", "CC"),
        body("Pospelov Commission", "The commission the Presidium set up in December 1955."),
        body("Komsomol", "The party's youth league."),
        body("Secretariat", "The party's staff, run by its secretaries."),
    ]
    corpus = snapshot([], terms=bodies)
    chosen, _ = like_terms(
        corpus=corpus, answer=politburo, avoid_text="", rng=random.Random(1), count=3
    )
    assert {t.name for t in chosen} == {"Pospelov Commission", "Komsomol", "Secretariat"}
    central = bodies[1]
    chosen, _ = like_terms(corpus=corpus, answer=central, avoid_text="", rng=random.Random(1))
    assert "Political Bureau" not in {t.name for t in chosen}


def test_a_question_according_to_a_source_never_gives_the_event_a_verb_the_source_does_not():
    # "In which year was Stalin's formula … advanced, according to the CC resolution?":
    # the resolution says it "was advanced to the foreground in 1937" (brought to the
    # fore), not put forward then (the historian's audit, G3; Q401).
    text = (
        "This formula, which is true only for certain stages of the transition period, was "
        "advanced to the foreground in 1937, at a time when socialism had already triumphed."
    )
    cited = passage(BOOKLET, text)
    formula = event(
        "formula",
        datetime.date(1937, 1, 1),
        "Stalin's formula of a sharpening class struggle",
        precision="year",
    )
    corpus = snapshot([cited], events=[formula], event_citations={"formula": [cited]})
    items = list(who_what_when.generate(corpus=corpus, rng=random.Random(1)))
    assert not [c for c in items if isinstance(c, Candidate) and c.identity[-1:] == ("formula",)]
    assert "the question's verb is not the source's" in {getattr(i, "reason", "") for i in items}
    # Said in that sense, the verb stands.
    question = "In which year was Stalin's formula advanced"
    assert not who_what_when._invented_verb(
        "Stalin's formula", question, "It was advanced in 1937."
    )
