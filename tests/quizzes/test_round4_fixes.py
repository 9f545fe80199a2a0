"""Round 4 of blind rating: the failure classes, each from a rejected question."""

from __future__ import annotations

import datetime

from corpus.models import GlossaryTerm
from quizzes.generation.clues import ruled_out
from quizzes.generation.time_bounds import entry_date, named_floor
from tests.quizzes.conftest import snapshot, term

PERSON, DOCUMENT = GlossaryTerm.Kind.PERSON, GlossaryTerm.Kind.DOCUMENT


def _entry(slug, name, *aliases, kind=PERSON, role="foreign-communist-leader", description):
    t = term(name, *aliases, kind=kind, role=role)
    t.slug, t.description = slug, description
    return t


GOMULKA = _entry(
    "gomulka", "Władysław Gomułka", "Gomułka",
    description="Polish communist leader, imprisoned under Bierut, who returned to power in 1956.",
)  # fmt: skip
OCHAB = _entry(
    "ochab", "Edward Ochab", "Ochab",
    description="Polish communist, first secretary of the party from March to October 1956.",
)  # fmt: skip
NAGY = _entry(
    "nagy", "Imre Nagy", "Nagy",
    description="Hungarian communist who led his country's government during the revolution.",
)  # fmt: skip
KADAR = _entry(
    "kadar", "János Kádár", "Kádár",
    description="Hungarian communist who went over to the Soviet side.",
)  # fmt: skip
MALETER = _entry(
    "maleter", "Pál Maléter", "Maléter", role="foreign-official",
    description="Hungarian officer, defence minister in Nagy's last government.",
)  # fmt: skip
MAO = _entry("mao", "Mao Zedong", "Mao", description="Chinese communist leader.")
DENNIS = _entry(
    "dennis", "Eugene Dennis",
    description="General secretary of the Communist Party of the United States.",
)  # fmt: skip
SPEECH = _entry(
    "secret-speech", "Secret Speech", kind=DOCUMENT, role="document",
    description="Khrushchev's report, commonly known as the Secret Speech, given to a closed "
    "session of the 20th Party Congress on 25 February 1956, the congress's last day.",
)  # fmt: skip


def _corpus():
    return snapshot([], terms=[GOMULKA, OCHAB, NAGY, KADAR, MALETER, MAO, DENNIS, SPEECH])


def test_an_office_held_in_a_country_rules_out_people_of_other_countries():
    # R013: Imre Nagy and Mao offered for the first secretary elected in Poland
    corpus = _corpus()
    stem = "Who was elected first secretary in Poland on 21 October 1956?"
    assert ruled_out(corpus, GOMULKA, NAGY, stem)
    assert ruled_out(corpus, GOMULKA, MAO, stem)
    assert ruled_out(corpus, GOMULKA, OCHAB, stem) is None
    # Where he was, not whose office: an envoy in Poland may be of any country.
    envoy = "Who was appointed ambassador in Poland in 1956?"
    assert ruled_out(corpus, GOMULKA, MAO, envoy) is None


def test_a_compatriot_named_beside_the_key_rules_out_other_countries():
    # R034: Eugene Dennis and Mao hanged with Nagy's defence minister Maléter
    corpus = _corpus()
    stem = (
        "After a secret trial, _____, his defence minister Pál Maléter and the journalist "
        "Miklós Gimes are hanged."
    )
    assert ruled_out(corpus, NAGY, DENNIS, stem)
    assert ruled_out(corpus, NAGY, MAO, stem)
    assert ruled_out(corpus, NAGY, KADAR, stem) is None
    # A compatriot alone, without "his defence minister", says as much.
    alone = "After a secret trial, _____ and Pál Maléter are hanged."
    assert ruled_out(corpus, NAGY, MAO, alone)
    assert ruled_out(corpus, NAGY, KADAR, alone) is None
    # Nothing tying the key to a country leaves any communist a fair option.
    plain = "After a secret trial, _____ is hanged."
    assert ruled_out(corpus, NAGY, MAO, plain) is None


def test_a_document_named_in_a_title_bounds_its_dates_from_below():
    # R022: an order to read the Secret Speech offered as of 5 March 1954
    corpus = _corpus()
    assert entry_date(SPEECH) == datetime.date(1956, 2, 25)
    title = "The Party Presidium orders the Secret Speech read at party meetings"
    assert named_floor(corpus, title) == datetime.date(1956, 2, 25)
    assert named_floor(corpus, "Soviet troops enter Budapest") is None
