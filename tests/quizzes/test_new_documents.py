"""A new document's questions read as a strict teacher reads them (issue 14 part 2).

Each test is a fault seen when rating the questions of the tuning documents in
tests/data/tuning (the held-out one is never tuned on): the cause is fixed in general,
and the example here is made up.
"""

import datetime
import random
import re

from corpus.models import GlossaryTerm, Work
from corpus.proposals import headline
from quizzes.generation import (
    appositions,
    cloze_date,
    cloze_name,
    cloze_quantity,
    document_chronology,
    true_false,
    who_what_when,
)
from quizzes.generation.balancing import select_fillers
from quizzes.generation.candidates import Candidate
from quizzes.generation.corpus_snapshot import add_discovered
from quizzes.generation.gates import check
from quizzes.generation.name_choice import dead_by, death_of, death_year, moment_of, sex_of
from quizzes.generation.statements import dangling_pronoun, outside_reference, person_problem
from quizzes.generation.who_what_when import title_problem
from tests.quizzes.conftest import event, passage, snapshot, source, term

ARTICLE = Work(
    slug="camps-article", title="Leaving the camps, 1953-1956", kind=Work.Kind.OTHER, ordinal=7
)
DOC = source(ARTICLE, "camps-article")


def corpus_of(*texts: str, terms=None, work=ARTICLE):
    doc = DOC if work is ARTICLE else source(work, work.slug)
    passages = [passage(doc, text) for text in texts]
    corpus = snapshot(passages, terms=terms)
    corpus.works = [work]
    add_discovered(corpus)
    return corpus


def run(module, corpus) -> tuple[list[Candidate], list]:
    items = list(module.generate(corpus=corpus, rng=random.Random(5)))
    made = [i for i in items if isinstance(i, Candidate)]
    return made, [i for i in items if not isinstance(i, Candidate)]


def options(c: Candidate) -> list[str]:
    return [o["text"] for o in c.options]


def keyed(c: Candidate) -> str:
    return c.answer_texts[0]


def test_a_soviet_republic_is_asked_among_republics_never_beside_the_union_that_held_it():
    corpus = corpus_of(
        "In May 1954 prisoners rose at Kengir, a camp near Zhezkazgan in Kazakhstan, where "
        "men from the Soviet Union and from Poland were held.",
        "The USSR sent troops from Moscow to Kengir in June 1954.",
    )
    made, _ = run(cloze_name, corpus)
    (question,) = [c for c in made if keyed(c) == "Kazakhstan"]
    assert not {"USSR", "Soviet Union", "Poland"} & set(options(question))
    assert set(options(question)) - {"Kazakhstan"} <= {
        "Russia", "Ukraine", "Belorussia", "Uzbekistan", "Georgia", "Azerbaijan", "Lithuania",
        "Moldavia", "Latvia", "Kirghizia", "Tajikistan", "Armenia", "Turkmenistan", "Estonia",
    }  # fmt: skip


def test_a_country_whose_people_the_passage_names_is_no_distractor():
    countries = [
        term(name, kind=GlossaryTerm.Kind.PLACE, role="country")
        for name in ("Hungary", "Poland", "Yugoslavia", "Austria", "Czechoslovakia", "Romania")
    ]
    corpus = corpus_of(
        "About 2,500 Hungarians were killed, and some 200,000 Hungarians fled to Austria "
        "after the Soviet attack of 4 November 1956.",
        terms=[*snapshot([]).terms, *countries],
    )
    made, _ = run(cloze_name, corpus)
    (question,) = [c for c in made if keyed(c) == "Austria"]
    assert "Hungary" not in options(question)  # "Hungarians fled to Hungary" is absurd


def test_a_title_before_a_name_is_blanked_with_it():
    corpus = corpus_of(
        "The decree of 27 March 1953 was signed by Marshal Kliment Voroshilov, the chairman "
        "of the Presidium, and printed by Pravda on 28 March 1953.",
        "Ivan Serov and Sergei Kruglov ran the security police; Kruglov was dismissed in 1956.",
        "Vasily Chuikov and Pavel Zhigarev were promoted, and Zhigarev flew to Moscow.",
    )
    made, _ = run(cloze_name, corpus)
    voroshilov = [c for c in made if keyed(c) == "Kliment Voroshilov"]
    assert voroshilov, [c.stem for c in made]
    assert "Marshal _____" not in voroshilov[0].stem
    assert "by _____, the chairman" in voroshilov[0].stem


def test_pravda_is_a_newspaper_and_the_urals_a_region_not_people():
    corpus = corpus_of(
        "Pravda announced the decision on 4 July 1957, and Izvestiia printed it a day later.",
        "Kaganovich was sent to an asbestos trust in the Urals town of Asbest.",
    )
    kinds = {t.name: (t.kind, t.role) for t in corpus.entities}
    assert kinds["Pravda"] == (GlossaryTerm.Kind.ORGANIZATION, "press")
    assert kinds["Urals"][0] == GlossaryTerm.Kind.PLACE
    assert kinds["Urals"][1].startswith("discovered.region")
    assert kinds["Asbest"][0] == GlossaryTerm.Kind.PLACE


def test_options_for_a_woman_are_women_where_the_names_tell():
    assert [sex_of(n) for n in ("Dora Lazurkina", "Furtseva", "Ivan Spiridonov", "Mao Zedong")] == [
        "f",
        "f",
        "m",
        "",
    ]
    corpus = corpus_of(
        "Dora Lazurkina, an old Bolshevik who had survived the camps, told the delegates "
        "that Lenin had appeared to her.",
        "Yekaterina Furtseva and Olga Shatunovskaya spoke; Nadezhda Krupskaya was named.",
        "Ivan Spiridonov, Frol Kozlov and Nikolai Podgorny spoke for the proposal.",
    )
    made, _ = run(cloze_name, corpus)
    for question in [c for c in made if keyed(c) == "Dora Lazurkina"]:
        assert all(sex_of(o) == "f" for o in options(question)), options(question)


def test_a_dead_man_is_no_distractor_for_what_happened_after_his_death():
    lenin = next(t for t in snapshot([]).terms if t.name == "Vladimir Lenin")
    lenin.description = "Leader of the revolution until his death in January 1924."
    assert death_year(lenin) == 1924
    corpus = corpus_of(
        "On 17 October 1961 Kaganovich was attacked by speaker after speaker in Moscow.",
        "Molotov, Malenkov, Stalin and Lenin are named in this article.",
        terms=[lenin, *(t for t in snapshot([]).terms if t.name != "Vladimir Lenin")],
    )
    made, _ = run(cloze_name, corpus)
    (question,) = [c for c in made if keyed(c) == "Kaganovich"]
    assert "Lenin" not in options(question)


def test_dead_by_the_month_when_the_description_says_it():
    bierut = term("Bolesław Bierut", "Bierut", role="foreign-communist-leader")
    bierut.description = "Polish leader. He died of a heart attack on 12 March 1956 in Moscow."
    october = moment_of("On 25 October Kádár replaced Gerő.", "In October 1956 the party ...")
    assert october == (1956, 10)
    assert dead_by(bierut, october)
    assert not dead_by(bierut, moment_of("In March 1956 Bierut died.", ""))


def test_a_date_option_keeps_its_order_with_the_other_dates_of_the_sentence():
    corpus = corpus_of(
        "Beria was arrested on 26 June 1953 and shot in December 1953, and the Special "
        "Board was abolished in September 1953 after years of trials without defence.",
        "In March 1953 Stalin died; in February 1956 the Secret Speech followed.",
    )
    made, _ = run(cloze_date, corpus)
    (shot,) = [c for c in made if keyed(c) == "December 1953"]
    for text in options(shot):
        when = datetime.datetime.strptime(text, "%B %Y").date()
        assert when > datetime.date(1953, 6, 26), options(shot)


def test_the_end_of_a_range_of_days_is_not_asked():
    corpus = corpus_of(
        "The 22nd Congress met in Moscow from 17 to 31 October 1961 in the Kremlin Palace."
    )
    made, rejections = run(cloze_date, corpus)
    assert not [c for c in made if keyed(c) == "31 October 1961"]
    assert any(r.reason == "the end of a range of days" for r in rejections)


def test_a_sentence_that_points_back_is_asked_with_the_sentence_before_it():
    corpus = corpus_of(
        "On 26 March 1953 Beria sent the party leadership a draft amnesty for most prisoners. "
        "The decree was issued on 27 March 1953 by the Presidium of the Supreme Soviet. "
        "Early on 26 June 1954 about 1,700 soldiers with five tanks stormed it."
    )
    made, _ = run(cloze_date, corpus)
    (decree,) = [c for c in made if keyed(c) == "27 March 1953"]
    assert decree.stem.startswith("Which date completes these sentences")
    assert "draft amnesty" in decree.stem  # says which decree
    # "stormed it": the sentence before says nothing "it" can be
    assert not [c for c in made if keyed(c) == "26 June 1954"]


def test_who_held_an_office_is_asked_from_an_apposition():
    corpus = corpus_of(
        "On 26 March 1953 Lavrentiy Beria, the Minister of Internal Affairs, sent the party "
        "leadership a draft amnesty for most prisoners.",
        "Ivan Serov, Sergei Kruglov and Viktor Abakumov ran the police before 1954.",
    )
    made, _ = run(appositions, corpus)
    (question,) = made
    assert question.stem.endswith(
        "who was the Minister of Internal Affairs who sent the party leadership a draft "
        "amnesty for most prisoners?"
    )
    assert keyed(question) == "Beria"
    assert check(question) is None


def test_a_document_the_timeline_lacks_orders_its_own_dated_sentences():
    congress = Work(slug="congress", title="The 22nd Party Congress", kind="other", ordinal=8)
    corpus = corpus_of(
        "On 17 October 1961 Khrushchev opened the congress with a long report on the party.",
        "On 10 November 1961 Stalingrad, the city of the great battle, was renamed Volgograd.",
        "In December 1961 the Soviet Union broke off diplomatic relations with Albania.",
        "On 30 October 1961 the congress voted to remove the body.",
        work=congress,
    )
    made, rejections = run(document_chronology, corpus)
    assert made
    titles = set(options(made[0]))
    assert titles <= {
        "Khrushchev opens the congress with a long report on the party",
        "Stalingrad renamed Volgograd",
        "The Soviet Union breaks off diplomatic relations with Albania",
    }
    assert check(made[0]) is None
    # "the body": whose, the sentence does not say
    assert any("remove the body" in r.detail for r in rejections)


def test_a_paragraph_of_dated_facts_gives_statements_of_two_sentences():
    corpus = corpus_of(
        "Beria was arrested on 26 June 1953 in Moscow. Kengir was stormed on 26 June 1954 "
        "by soldiers. Vorkuta struck on 19 July 1953 under Rechlag. Norilsk struck on "
        "26 May 1953 in Gorlag."
    )
    made, _ = run(true_false, corpus)
    kept, _ = select_fillers(made)
    assert len({c.identity[1] for c in kept}) == 2


# --- issue 14 part 2, second round: faults seen on the tuning documents and the first
# held-out document, each fixed in general; the examples are made up.


def test_a_date_that_ends_a_relative_clause_or_a_state_makes_no_event():
    # "... the leaders who tried to remove him ... in June 1957": the leaders' attempt is
    # dated, not what the sentence says the group was.
    assert (
        headline(
            "The Left Bloc was the name Pravda gave to the deputies who tried to block the "
            "budget in March 1959.",
            "March 1959",
        )
        == ""
    )
    assert headline("In May 1958 the Kolyma trust was a state within the state.", "May 1958") == ""
    # a relative clause closed by a comma leaves the date to the main clause
    assert (
        headline(
            "On 3 May 1958 the trust, which had run the camps, was dissolved by decree.",
            "3 May 1958",
        )
        == "The trust dissolved by decree"
    )


def _dates_in(texts):
    return [datetime.datetime.strptime(t, "%d %B %Y").date() for t in texts]


def test_a_key_inside_the_period_the_title_names_is_not_the_only_option_inside_it():
    work = Work(slug="strike", title="The Vorkuta strike of July 1953", kind="other", ordinal=9)
    corpus = corpus_of(
        "On 22 July 1953 the miners of the fourth shaft at Vorkuta stopped work and elected "
        "a strike committee of their own.",
        "In July 1953 troops from Moscow arrived at Vorkuta to guard the mines and shafts.",
        "Beria had been arrested on 26 June 1953, and the amnesty had come in March 1953.",
        work=work,
    )
    made, rejections = run(cloze_date, corpus)
    (day,) = [c for c in made if keyed(c) == "22 July 1953"]
    inside = [d for d in _dates_in(options(day)) if (d.year, d.month) == (1953, 7)]
    assert len(inside) >= 3, options(day)  # the key and two distractors of July 1953
    # the title names the month itself: the question would answer itself
    assert not [c for c in made if keyed(c) == "July 1953"]
    assert any(r.reason == "the title names the date" for r in rejections)


def test_what_happened_while_a_meeting_sat_is_asked_among_the_meetings_own_days():
    corpus = corpus_of(
        "The 21st Congress met in Moscow from 27 January to 5 February 1959 in the Great "
        "Kremlin Palace. While the delegates were still sitting, the Soviet Union announced "
        "a new rocket on 2 February 1959.",
        "The Soviet Union launched Luna 1 on 2 January 1959 and Luna 2 on 12 September 1959.",
    )
    made, _ = run(cloze_date, corpus)
    (rocket,) = [c for c in made if keyed(c) == "2 February 1959"]
    for when in _dates_in(options(rocket)):
        assert datetime.date(1959, 1, 27) <= when <= datetime.date(1959, 2, 5), options(rocket)


def test_a_count_written_in_words_and_the_people_named_bound_a_total():
    people = [term(n, n.split()[-1], role="soviet-leader") for n in (
        "Ivan Petrov", "Pavel Sidorov", "Oleg Kuznetsov", "Roman Ivanov"
    )]  # fmt: skip
    corpus = corpus_of(
        "Five of the bureau's 9 full members voted to dismiss Roman Ivanov; only Ivan Petrov, "
        "Pavel Sidorov and Oleg Kuznetsov stood with him at the session of 1958.",
        terms=[*snapshot([]).terms, *people],
    )
    made, _ = run(cloze_quantity, corpus)
    (total,) = [c for c in made if keyed(c) == "9"]
    # five against him, Ivanov and three for him: at least nine, so never 6, 7 or 8
    assert all(int(o) > 9 for o in options(total) if o != "9"), options(total)


def test_them_is_never_the_subject_of_its_own_clause_nor_a_modifier():
    lonely = (
        "At the last moment Pavel Orlov, a Central Committee secretary and former minister, "
        "also sided with them."
    )
    assert person_problem(text=lonely, persons=[19], work_kind="") == "pronoun without antecedent"
    assert dangling_pronoun("who was the Central Committee secretary who sided with them?")
    assert (
        person_problem(
            text="Molotov and Kaganovich were joined by Bulganin, and Orlov sided with them.",
            persons=[0, 12, 40, 57],
            work_kind="",
        )
        is None
    )
    # as a cloze, the sentence is asked with the one before it, which says who "they" are
    corpus = corpus_of(
        "Malenkov, Molotov and Kaganovich were joined by the economic managers. At the last "
        "moment Pavel Orlov, a Central Committee secretary, also sided with them."
    )
    made, _ = run(cloze_name, corpus)
    for question in made:
        if "sided with them" in question.stem:
            assert "were joined by" in question.stem, question.stem


def test_an_event_title_that_points_back_is_not_asked_or_ordered():
    doc = source(ARTICLE, "camps-article")
    said = passage(doc, "The bureau met in secret. Izvestia announced the decision on 9 May 1958.")
    decision = event("decision", datetime.date(1958, 5, 9), "Izvestia announces the decision")
    plain = event("amnesty", datetime.date(1953, 6, 26), "Beria is arrested in Moscow")
    corpus = snapshot(
        [said],
        events=[decision, plain],
        event_citations={"decision": [said], "amnesty": [said]},
    )
    corpus.works = [ARTICLE]
    assert title_problem(corpus, decision)  # which decision?
    assert title_problem(corpus, plain) is None
    made, rejections = run(who_what_when, corpus)
    assert not [c for c in made if c.identity == ("event", "decision")]
    assert any(r.detail == "decision" and "title" in r.reason for r in rejections)


def test_a_man_is_no_option_after_his_death_date_nor_one_of_another_time():
    zhdanov = term("Andrei Zhdanov", "Zhdanov", role="soviet-leader")
    zhdanov.died = "1948-08-31"  # the glossary's date: his description does not say it
    assert death_of(zhdanov) == (1948, 8)
    yagoda = term("Genrikh Yagoda", "Yagoda", role="soviet-leader")  # no date at all
    telegram = event("telegram", datetime.date(1936, 9, 25), "Stalin and Yagoda send a telegram")
    leaders = [t for t in snapshot([]).terms if t.role == "soviet-leader"]
    corpus = corpus_of(
        "On 17 October 1961 Kaganovich was attacked by speaker after speaker in Moscow.",
        "Molotov, Malenkov and Stalin are named in this article, and so is Khrushchev.",
        terms=[
            *leaders,
            zhdanov,
            yagoda,
            term("Nikita Khrushchev", "Khrushchev", role="soviet-leader"),
        ],
    )
    corpus.events = [telegram]
    corpus.event_terms = {"telegram": [yagoda.slug]}
    made, _ = run(cloze_name, corpus)
    (question,) = [c for c in made if keyed(c) == "Kaganovich"]
    assert not {"Zhdanov", "Yagoda"} & set(options(question)), options(question)


def test_a_dead_mans_blank_among_the_living_is_not_asked():
    lenin = next(t for t in snapshot([]).terms if t.name == "Vladimir Lenin")
    lenin.description = "Leader of the revolution until his death in January 1924."
    corpus = corpus_of(
        "Stalin's body had lain in the Mausoleum on Red Square, beside Lenin's, since March 1953.",
        "Molotov, Malenkov and Kaganovich spoke at the congress of 1961.",
        terms=[lenin, *(t for t in snapshot([]).terms if t.name != "Vladimir Lenin")],
    )
    made, _ = run(cloze_name, corpus)
    for question in [c for c in made if keyed(c) == "Lenin"]:
        assert not {"Molotov", "Malenkov", "Kaganovich"} & set(options(question))


def test_a_woman_in_a_true_statement_is_never_swapped_for_a_man():
    corpus = corpus_of(
        "Dora Lazurkina, an old Bolshevik, told the delegates on 30 October 1961 that Lenin "
        "had appeared to her.",
        "Enver Hoxha, Ivan Spiridonov and Dora Lazurkina were named at the congress of 1961.",
    )
    made, _ = run(true_false, corpus)
    for question in made:
        assert not re.search(r"(?:Hoxha|Spiridonov), an old Bolshevik", question.stem)


def test_the_soviet_union_is_no_option_for_the_foreign_country_its_leaders_visit():
    doc = source(ARTICLE, "camps-article")
    said = passage(
        doc,
        "On 26 October 1957, after an official visit to Yugoslavia and Albania, Zhukov was "
        "dismissed as Minister of Defence.",
    )
    countries = [
        term(n, kind=GlossaryTerm.Kind.PLACE, role="country")
        for n in ("Albania", "Soviet Union", "Hungary", "Romania", "Bulgaria", "Poland")
    ]
    albania = countries[0]
    albania.description = "Zhukov was dismissed after an official visit to Yugoslavia and Albania."
    corpus = snapshot([said], terms=countries, term_citations={"albania": [said]})
    corpus.works = [ARTICLE]
    made, _ = run(who_what_when, corpus)
    (question,) = [c for c in made if keyed(c) == "Albania"]
    assert "Soviet Union" not in options(question)


def test_a_newspaper_reporting_news_others_reported_too_is_not_asked():
    corpus = corpus_of(
        "On 10 November 1961 Stalingrad was renamed Volgograd, and Pravda reported the change "
        "the next day.",
        "Izvestiia and Trud printed the decree of 1961 as well.",
    )
    made, rejections = run(cloze_name, corpus)
    assert not [c for c in made if keyed(c) == "Pravda"]
    assert any(r.reason == "other newspapers could be the answer" for r in rejections)


def test_a_possessor_of_critics_is_not_swapped_into_a_false_statement():
    corpus = corpus_of(
        "At home in 1961, Khrushchev's critics soon noticed that the man who condemned the "
        "cult of Stalin was encouraging praise of his own.",
        "Molotov, Malenkov, Kaganovich and Khrushchev were named at the congress of 1961.",
        terms=[*snapshot([]).terms, term("Nikita Khrushchev", "Khrushchev", role="soviet-leader")],
    )
    made, _ = run(true_false, corpus)
    assert not [c for c in made if c.answer == ["false"] and "'s critics" in c.stem]


def test_a_timeline_date_asked_according_to_a_document_keeps_the_titles_period_too():
    work = Work(slug="autumn", title="Poland in the autumn of 1956", kind="other", ordinal=9)
    doc = source(work, "autumn")
    said = passage(doc, "On 21 October 1956 Gomułka was elected First Secretary of the party.")
    elected = event("elected", datetime.date(1956, 10, 21), "Gomułka elected First Secretary")
    earlier = [
        event(f"e{n}", datetime.date(1956, month, 2), f"Event number {n} takes place")
        for n, month in enumerate((2, 3, 5, 6))
    ]
    corpus = snapshot([said], events=[elected, *earlier], event_citations={"elected": [said]})
    corpus.works = [work]
    made, _ = run(who_what_when, corpus)
    (question,) = [c for c in made if c.identity == ("event", "elected")]
    autumn = [
        d
        for d in _dates_in(options(question))
        if datetime.date(1956, 9, 1) <= d <= datetime.date(1956, 11, 30)
    ]
    assert len(autumn) >= 3, options(question)


def test_a_date_told_after_the_story_so_far_is_asked_among_later_dates():
    corpus = corpus_of(
        "On 4 November 1956 Soviet forces attacked Budapest. Kádár formed a new government "
        "with Soviet backing. Nagy and his defence minister were tried in secret and executed "
        "on 16 June 1958.",
        "In March 1956 Bierut died in Moscow, and in June 1956 the workers of Poznań struck.",
    )
    made, _ = run(cloze_date, corpus)
    (executed,) = [c for c in made if keyed(c) == "16 June 1958"]
    assert all(d > datetime.date(1956, 11, 4) for d in _dates_in(options(executed)))


def test_later_than_what_a_relative_time_needs_a_date_before_it():
    assert outside_reference("The longest revolt came a year later at Kengir in Kazakhstan.")
    assert outside_reference("Imre Nagy became Prime Minister the next day.")
    assert (
        outside_reference(
            "On 10 November 1961 Stalingrad was renamed, and Pravda reported it the next day."
        )
        is None
    )
    assert (
        headline(
            "The Special Board of the security police, which had sentenced people without "
            "trial, had already been abolished in September 1953.",
            "September 1953",
        )
        == "The Special Board of the security police abolished"
    )
