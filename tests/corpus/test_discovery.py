"""corpus.discovery: names, dates and figures in text the glossary has never seen."""

import datetime

from corpus import discovery
from corpus.proposals import dated_events, headline

TEXT = [
    "In Poland the party leader Bolesław Bierut died in Moscow in March 1956, and Edward "
    "Ochab succeeded him as First Secretary.",
    "The Prime Minister, Józef Cyrankiewicz, warned the strikers. Marshal Konstantin "
    "Rokossovsky lost his seat in the Politburo, and Cardinal Stefan Wyszyński was released.",
    "Events in Hungary took a different course. On 23 October 1956 students marched through "
    "Budapest, and on 25 October János Kádár replaced Ernő Gerő as party leader.",
    "Gomułka persuaded the Soviet delegation that Poland would remain in the Warsaw Pact. "
    "About 2,500 Hungarians and some 700 Soviet soldiers were killed, and some 200,000 "
    "Hungarians fled to Austria and Yugoslavia. Kádár formed a new government.",
]


def _entities(**kwargs):
    return {e.name: e for e in discovery.discover_entities(passages=TEXT, **kwargs)}


def test_people_are_found_by_title_apposition_verb_and_full_name():
    found = _entities()
    for name in ("Bolesław Bierut", "Józef Cyrankiewicz", "János Kádár", "Ernő Gerő"):
        assert found[name].kind == discovery.PERSON, name
    assert found["Konstantin Rokossovsky"].title == "Marshal"
    assert found["Stefan Wyszyński"].title == "Cardinal"


def test_a_full_name_and_its_surname_later_are_one_person():
    kadar = _entities()["János Kádár"]
    assert "Kádár" in kadar.spellings
    assert kadar.passages == [2, 3]


def test_places_and_organizations_are_told_apart_from_people():
    found = _entities()
    assert found["Moscow"].kind == discovery.PLACE
    assert found["Budapest"].kind == discovery.PLACE  # "marched through Budapest"
    assert found["Austria"].kind == discovery.PLACE
    assert found["Warsaw Pact"].kind == discovery.ORGANIZATION


def test_common_words_adjectives_and_offices_are_not_names():
    found = _entities()
    assert not {"Events", "Soviet", "Prime Minister", "First Secretary"} & set(found)
    assert not any(name.startswith(("Events", "On ")) for name in found)


def test_names_the_glossary_knows_are_left_to_the_glossary():
    found = _entities(known={"Ochab": "person", "Edward Ochab": "person", "Poland": "place"})
    assert "Edward Ochab" not in found and "Poland" not in found
    assert _entities()["Yugoslavia"].kind == discovery.PLACE  # listed beside Austria
    assert "Yugoslavia" not in _entities(known={"Yugoslavia": "place"})


def test_a_name_in_a_list_takes_the_kind_of_the_names_beside_it():
    text = ["On 19 October Khrushchev flew to Warsaw with Molotov, Zhdanovsky and Mikoyan."]
    found = discovery.discover_entities(
        passages=text, known={"Khrushchev": "person", "Molotov": "person", "Mikoyan": "person"}
    )
    assert [(e.name, e.kind) for e in found if e.name == "Zhdanovsky"] == [
        ("Zhdanovsky", discovery.PERSON)
    ]


def test_dates_keep_their_precision_and_a_day_without_a_year_takes_the_last_dated_year():
    text = "In October 1956 he was recalled, expelled in 1949 before. On 19 October he flew."
    found = [(d.text, d.date, d.precision) for d in discovery.find_dates(text)]
    assert found == [
        ("October 1956", datetime.date(1956, 10, 1), "month"),
        ("1949", datetime.date(1949, 1, 1), "year"),
        ("19 October", datetime.date(1956, 10, 19), "day"),
    ]
    assert discovery.find_dates("The congress sat from 22-29 June 1957.") == []


def test_figures_come_with_what_they_count_and_what_happened():
    figures = discovery.find_figures(TEXT[3])
    assert [(f.approximate, f.text, f.counted, f.outcome) for f in figures] == [
        ("About", "2,500", "Hungarians", "killed"),
        ("some", "700", "Soviet soldiers", "killed"),
        ("some", "200,000", "Hungarians", "fled"),
    ]
    assert discovery.find_figures("In 1956, on 21 October, see page 12.") == []


def test_accents_fold_so_a_glossary_spelling_without_them_matches():
    assert discovery.fold("Gomułka") == discovery.fold("GOMULKA")
    assert discovery.fold("Poznań") == "poznan"


def test_a_dated_sentence_becomes_a_timeline_title_without_its_date():
    assert headline("Nagy was tried in secret and executed on 16 June 1958.", "16 June 1958") == (
        "Nagy tried in secret and executed"
    )
    # in the present, as the timeline's titles are ("Bulganin loses the premiership")
    assert (
        headline("On 4 November 1956 Soviet forces attacked Budapest.", "4 November 1956")
        == "Soviet forces attack Budapest"
    )
    # the date of a telegram inside a clause about something else is not the event's date
    assert headline("Repressions grew after a telegram of September 25, 1936.", "") == ""


def test_he_in_a_dated_clause_is_the_subject_named_before_it():
    text = (
        "On 19 October Khrushchev flew to Warsaw. Gomułka persuaded the Soviet delegation, "
        "and on 21 October 1956 he was elected First Secretary."
    )
    events = dated_events(text, persons=["Khrushchev", "Gomułka"])
    assert [(e.title, e.date) for e in events][-1] == (
        "Gomułka elected First Secretary",
        datetime.date(1956, 10, 21),
    )
