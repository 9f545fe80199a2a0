"""What a stem's own words tell a student about its key, beyond the fact it tests.

A strict reader rejects a name question that English alone answers (WORTH) or whose
wrong options the stem itself rules out (PLAUSIBLE). Blind raters found both in the bank:

* **The course's own country and party.** Every document is about the Soviet Union and
  its party: "the Communist Party of the _____", "the prosecutor of the _____", "For over a
  quarter of a century the _____ was the only country …" are answered by anyone (`home`).
* **A clue to the place asked.** "The Shin Bet in _____" is Israel's service, "the Great
  Hall of the Kremlin" is in Moscow, "the capital of Poland" is Warsaw, "Poland's ruling
  communist party" is the Polish one (`giveaway`).
* **An option of the wrong country.** The stem names the key's country ("the leader of
  Poland's ruling communist party", "an American daily newspaper", "Hungarian communist",
  "one of the Western communist parties"): an option not known to be of it is absurd or
  stands out beside it (Mao Zedong; Reuters; "Sidney Weiland" beside "an Israeli
  journalist"). Places where something happened ("the Reuters correspondent in Moscow",
  "ambassador to the Soviet Union") say nothing of whose it is, except for an event ("a
  period of liberalism in the Soviet Union": not the Hungarian revolution).
* **An option of the wrong kind.** The stem says what kind of thing the key is ("the
  magazine _____", "the party's own journal", "the diplomatic mission in Poland", "the
  doctrine …", "a label for political opponents"): an option of another kind (a news
  agency for a newspaper, a committee for an embassy, a principle for a doctrine) is
  absurd beside it (`ruled_out`). A concept whose kind the stem states needs options of
  that same kind; any other name, options whose kind is known to differ.

A term's country (`Facets.nations`) and kind (`Facets.category`) are read from its name
and the first clause of its glossary description ("an American daily newspaper", "the
diplomatic mission in Poland", "Polish communist leader"), or a named body's ("director
of the Central Intelligence Agency": the CIA's), Soviet roles otherwise; a discovered name
from the name alone. Generators use `ruled_out` to pick their distractors; the gate
`Clues.check` holds every candidate to the same rules, and to these:

* an entry that says the term played no part in the story ("It played no known part in
  the leak of the speech") is never a key: it is listed to tell its like apart;
* the blank is never part of a longer name ("the Communist Party of the _____", "the
  _____ affair"), nor a name standing as an adjective before a plural noun ("all Communist
  and _____ organizations");
* "the _____" takes options that take "the" ("the Hungary" is no English);
* a false statement made by putting a person into a sentence that names a doctrine after
  him ("Lenin … trampled on the Leninist principle") contradicts itself;
* nothing is asked, but who said it, about a story its source calls doubtful ("The
  following (probably apocryphal) story circulated …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus import discovery
from corpus.models import GlossaryTerm
from quizzes.generation.candidates import Candidate
from quizzes.generation.corpus_snapshot import CorpusSnapshot, is_discovered
from quizzes.generation.glossary_choice import all_spellings, surname
from quizzes.generation.name_kinds import UNION_NAMES
from quizzes.generation.sentences import contains_phrase, normalise

BLANK = "_____"

# Each nation the documents name, by the words that name it: the country, its people and
# adjective, its capital (a "Paris newspaper" is French).
NATIONS: dict[str, tuple[str, ...]] = {
    "soviet union": (
        "Soviet Union", "USSR", "U.S.S.R.", "Soviet", "Soviets", "Russia", "Russian",
        "Russians", "Moscow",
    ),
    "poland": ("Poland", "Polish", "Pole", "Poles", "Warsaw"),
    "hungary": ("Hungary", "Hungarian", "Hungarians", "Budapest"),
    "yugoslavia": ("Yugoslavia", "Yugoslav", "Yugoslavs", "Belgrade"),
    "china": ("China", "Chinese", "Peking", "Beijing"),
    "united states": (
        "United States", "USA", "U.S.", "US", "America", "American", "Americans",
        "Washington",
    ),
    "britain": ("Britain", "British", "United Kingdom", "UK", "London"),
    "france": ("France", "French", "Paris"),
    "italy": ("Italy", "Italian", "Italians", "Rome"),
    "israel": ("Israel", "Israeli", "Israelis", "Jerusalem"),
    "germany": ("Germany", "German", "Germans", "Bonn", "Berlin"),
    "sweden": ("Sweden", "Swedish", "Stockholm"),
    "albania": ("Albania", "Albanian", "Albanians", "Tirana"),
    "spain": ("Spain", "Spanish", "Spaniards", "Madrid"),
    "austria": ("Austria", "Austrian", "Austrians", "Vienna"),
}  # fmt: skip
# Soviet cities the documents name without a glossary entry: whose they are.
SOVIET_CITIES = ("Leningrad", "Kiev", "Stalingrad", "Sochi", "Tbilisi", "Kharkov", "Minsk")
# A stem's word for several nations at once.
_GROUPS = {"western": frozenset({"united states", "britain", "france", "italy", "germany"})}
# Where communists held power in the years the documents tell of. A communist party or
# leader of any other country never ruled, nor headed a government: the Communist Party of
# the United States is no "ruling communist party", Eugene Dennis headed no government
# (round 3, R053 and R088).
COMMUNIST_RULED = frozenset({"soviet union", "poland", "hungary", "yugoslavia", "china", "albania"})
# Where communists never ruled (Germany was both: East Germany is a confusion for Poland).
_WEST = frozenset(
    {"united states", "britain", "france", "italy", "israel", "sweden", "spain", "austria"}
)
_COMMUNIST_ROLES = {"communist-party", "foreign-communist-leader", "soviet-leader"}
# A stem saying its key held power.
_IN_POWER = re.compile(
    r"\b(?:ruling|ruled|governing|in power|(?:takes?|took|taken|seized?) power|regime|"
    r"government (?:under|of|led by|headed by)|(?:headed|led|formed) (?:a|the|his|its) "
    r"government|prime minister|premier|head of (?:the )?government)\b",
    re.I,
)
# Roles whose people and bodies are Soviet when nothing else says whose they are.
_SOVIET_ROLES = {
    "soviet-leader", "soviet-official", "security-chief", "security-officer",
    "repression-victim", "informer", "party-body", "security-service", "camp-system",
}  # fmt: skip

_NATION_WORD = {w: nation for nation, words in NATIONS.items() for w in words}
_NATION_RE = re.compile(
    r"(?<![\w.-])("
    + "|".join(re.escape(w) for w in sorted(_NATION_WORD, key=len, reverse=True))
    + r")(?:['’]s?)?(?![\w])"
)
_GROUP_RE = re.compile(r"\b(Western|western)\b")
# A place where something happened, not whose it is: "in Warsaw", "ambassador to the
# Soviet Union", "sources reaching Bonn", "a visit to Yugoslavia".
_LOCATIVE = re.compile(
    r"\b(?:in|to|from|at|into|through|over|across|near|towards|via|visit|visited|visiting|"
    r"reaching|reached|outside|inside|within)\s+(?:the\s+)?(?:(?:centre|center|capital|"
    r"heart|west|east|north|south)\s+of\s+(?:the\s+)?)?$",
    re.I,
)
_CLAUSE_END = re.compile(
    r"[\s,](?:who|whose|whom|(?<!\bin )(?<!\bof )(?<!\bby )which|where|when|that(?! is\b)|"
    r"while|until|after|before)\b|[;:]|\.\s|\.$"
)

# Kinds of things a stem can say the key is, each by the words that say it. A term's kind
# is the last of these words in what its entry says it is (the head of the phrase: "an
# American daily newspaper" is a newspaper), else in its name.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "newspaper": ("newspaper", "daily", "paper", "Sunday paper"),
    "news agency": ("news agency", "agency's"),
    "magazine": ("magazine", "review"),
    "journal": ("journal", "bulletin"),
    "embassy": ("embassy", "diplomatic mission", "legation"),
    "party": ("communist party", "party"),
    "intelligence service": (
        "intelligence service", "intelligence services", "security service", "secret service",
        "secret police", "intelligence branch", "intelligence agency",
    ),
    "government department": ("department", "ministry"),
    "council": ("council",),
    "committee": ("committee",),
    "commission": ("commission",),
    "youth league": ("youth league",),
    "doctrine": ("doctrine", "ideology", "teaching"),
    "label": ("label", "epithet", "expression"),
    "principle": ("principle", "rule", "norm"),
    "idea": ("idea", "notion", "watchword"),
    "capital": ("capital",),
    "period": ("period", "era"),
    "rising": ("rising", "uprising", "revolution", "revolt", "crisis"),
    "congress": ("congress",),
    "trials": ("trials", "show trials"),
}  # fmt: skip
_CATEGORY_WORD = {w.lower(): c for c, words in CATEGORIES.items() for w in words}
_CATEGORY_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_CATEGORY_WORD, key=len, reverse=True)) + r")\b",
    re.I,
)
# Where a description says what the term is: after "X is a", "X was the".
_COPULA = re.compile(r"\b(?:is|was|are|were)\s+(?:(?:a|an|the|one of the)\s+)?", re.I)
# The phrase saying what it is ends before what is said of it.
_PHRASE_END = re.compile(
    r",|;|:|\(|\s(?:who|whose|whom|which|where|when|that|in|of|for|from|between|with|"
    r"whom|at|by|on|to|under|led|set|made|launched|founded|headed|published|printed)\s",
    re.I,
)
_POSSESSIVE = re.compile(r"\b[\w'’-]+(?:['’]s|s['’])(?=\s)")
# What an entry says when its term is there only to tell others apart.
_NO_PART = re.compile(
    r"\bplayed no (?:known )?part\b|\bno known part\b|\bis listed so that\b|"
    r"\bhad nothing to do with\b",
    re.I,
)
# A story its own source doubts: nothing but who told it may be asked of it.
DOUBTED = re.compile(
    r"\bapocryphal\b|\blegend has it\b|\baccording to (?:a |one )?legend\b|\ba (?:popular )?"
    r"legend\b|\bunconfirmed\b|\bmay never have happened\b|\bprobably untrue\b",
    re.I,
)


@dataclass(frozen=True)
class Facets:
    nations: frozenset[str]  # whose it is: its country or countries
    seats: frozenset[str]  # where it sits ("the fortress in the centre of Moscow")
    category: str  # what kind of thing its entry says it is ("newspaper", "doctrine"), or ""
    kind: str  # what kind of thing it is, by its entry or else its name ("… Council")
    capital: bool  # a country's capital, by its entry


def nation_words(text: str, *, locative: bool = False) -> set[str]:
    """The nations `text` names as whose something is ("Polish", "Poland's", "of the
    Soviet Union", "Paris newspaper"), not where it happened ("in Warsaw"); with
    `locative`, only where it happened."""
    found = set()
    for m in _NATION_RE.finditer(text):
        word = m.group(1)
        if word == "US" and not re.match(r"\s+[A-Z]", text[m.end() :]):
            continue  # "us" in capitals is rare; "US Congressional Record" is American
        if word == "America" and re.search(r"\b(?:Latin|South|Central)\s+$", text[: m.start()]):
            continue
        if word == "Washington" and re.match(r"\s+Post\b", text[m.end() :]):
            continue  # The Washington Post says nothing of whose a thing is
        # "at Israel's embassy": a possessive says whose, whatever comes before it
        possessive = m.group(0) != word
        is_locative = not possessive and bool(_LOCATIVE.search(text[: m.start()]))
        if is_locative == locative:
            found.add(_NATION_WORD[word])
    if not locative:
        for m in _GROUP_RE.finditer(text):
            found.add(m.group(1).lower())
    return found


def _first_clause(text: str) -> str:
    m = _CLAUSE_END.search(text)
    return text[: m.start()] if m else text


def _category_of(phrase: str) -> str:
    words = _CATEGORY_RE.findall(_POSSESSIVE.sub(" ", phrase))
    return _CATEGORY_WORD[words[-1].lower()] if words else ""


def _what_it_is(term: GlossaryTerm, description: str) -> str:
    """The phrase saying what the term is: "an American daily newspaper" of "The New York
    Times is an American daily newspaper, which printed …"; "Italian magazine" of "Italian
    magazine that …"."""
    first = description.split(". ")[0]
    gloss = re.match(r"[\"'“‘][^\"'”’]+[\"'”’],?\s+", first)
    if gloss:  # "'News of the Central Committee of the CPSU', the party's own journal"
        first = first[gloss.end() :]
    named = any(first.startswith(s) or first.startswith(f"The {s}") for s in term.spellings if s)
    if named:
        m = _COPULA.search(first)
        if m is None:
            return ""
        first = first[m.end() :]
    elif first.startswith(("This ", "It ")):
        m = _COPULA.search(first)
        first = first[m.end() :] if m else ""
    m = _PHRASE_END.search(first)
    return first[: m.start()] if m else first


class FacetIndex:
    """Every term's facets, read once per snapshot (`facets_of`)."""

    def __init__(self, corpus: CorpusSnapshot) -> None:
        self.terms = [t for t in corpus.terms if t.kind in _FACETED]
        direct: dict[str, set[str]] = {}
        for term in self.terms:
            direct[term.slug] = self._nations(term)
        self.facets: dict[str, Facets] = {}
        places = {t.name for t in self.terms if t.kind == GlossaryTerm.Kind.PLACE}
        bodies = [t for t in self.terms if t.kind == GlossaryTerm.Kind.ORGANIZATION]
        for term in self.terms:
            nations = set(direct[term.slug])
            clause = _first_clause(" ".join((term.description or "").split()))
            if not nations and clause:
                # "director of the Central Intelligence Agency": the body's country (not
                # where it is: "in Moscow")
                for body in bodies:
                    if body.slug != term.slug and direct[body.slug] and _serves(clause, body):
                        nations |= direct[body.slug]
            if not nations and term.role in _SOVIET_ROLES:
                nations = {"soviet union"}
            description = " ".join((term.description or "").split())
            category = kind = ""
            if term.kind != GlossaryTerm.Kind.PERSON:
                category = _category_of(_what_it_is(term, description))
                kind = category or _category_of(term.name)
            self.facets[term.slug] = Facets(
                nations=frozenset(nations),
                seats=frozenset(self._seats(term, clause, places)),
                category=category,
                kind=kind,
                capital=term.kind == GlossaryTerm.Kind.PLACE
                and bool(re.search(r"\bcapital of\b", clause, re.I)),
            )
        self.by_slug = {t.slug: t for t in self.terms}
        # Names holding a word of a kind ("People's Daily"): no word of the stem's own.
        self.category_names = sorted(
            {s for t in corpus.terms for s in t.spellings if s and _CATEGORY_RE.search(s)},
            key=len,
            reverse=True,
        )
        # Names of bodies and places a stem may hold, with what they tell of a place.
        self.named_places = [
            (s, t)
            for t in self.terms
            if t.kind != GlossaryTerm.Kind.PERSON
            for s in t.spellings
            if s and len(s) > 3
        ]

    @staticmethod
    def _nations(term: GlossaryTerm) -> set[str]:
        folded = discovery.fold(term.name)
        if term.kind == GlossaryTerm.Kind.PLACE:
            if folded in UNION_NAMES:
                return {"soviet union"}
            if term.name in _NATION_WORD:
                return {_NATION_WORD[term.name]}
            if term.name in SOVIET_CITIES:
                return {"soviet union"}
        description = " ".join((term.description or "").split())
        clause = _first_clause(description) if description else ""
        found = nation_words(term.name) | nation_words(clause)
        if term.kind == GlossaryTerm.Kind.EVENT:
            # where an event happened is whose it is ("liberalism in the Soviet Union")
            found |= nation_words(term.name, locative=True) | nation_words(clause, locative=True)
        return found

    @staticmethod
    def _seats(term: GlossaryTerm, clause: str, places: set[str]) -> set[str]:
        """Where the term sits: the places its name or first clause puts it "in"."""
        if term.kind == GlossaryTerm.Kind.PERSON or (
            term.kind == GlossaryTerm.Kind.PLACE and term.role != "building"
        ):
            return set()  # a country or city holds places; it sits nowhere
        seats = set()
        for text in (term.name, clause):
            for m in re.finditer(
                r"\bin\s+(?:the\s+(?:centre|center|heart)\s+of\s+)?([A-Z][\w-]+(?: [A-Z][\w-]+)*)",
                text,
            ):
                place = m.group(1)
                if place in _NATION_WORD:
                    seats |= {place.lower(), _NATION_WORD[place]}
                elif place in places:
                    seats.add(place.lower())
        return seats

    def of(self, term: GlossaryTerm) -> Facets:
        return self.facets.get(term.slug, _NONE)


_FACETED = (
    GlossaryTerm.Kind.PERSON,
    GlossaryTerm.Kind.ORGANIZATION,
    GlossaryTerm.Kind.PLACE,
    GlossaryTerm.Kind.CONCEPT,
    GlossaryTerm.Kind.EVENT,
)
_NONE = Facets(frozenset(), frozenset(), "", "", False)


def _serves(text: str, body: GlossaryTerm) -> bool:
    """Whether `text` names the body as whose someone is, not as where they are."""
    for spelling in body.spellings:
        if len(spelling) > 2:
            for m in re.finditer(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text):
                if not _LOCATIVE.search(text[: m.start()]):
                    return True
    return False


def facets_of(corpus: CorpusSnapshot) -> FacetIndex:
    index = corpus.__dict__.get("_facet_index")
    if index is None:
        index = corpus.__dict__["_facet_index"] = FacetIndex(corpus)
    return index


def home(term: GlossaryTerm, index: FacetIndex) -> bool:
    """The country or party every document is about: the Soviet Union (USSR), its
    Communist Party, a body the documents call "Soviet" ("the Soviet Government")."""
    folded = discovery.fold(term.name)
    if term.kind == GlossaryTerm.Kind.PLACE:
        return folded in UNION_NAMES
    if term.kind != GlossaryTerm.Kind.ORGANIZATION:
        return False
    if term.name.startswith("Soviet ") or "Soviet Union" in term.name:
        return True
    facets = index.of(term)
    return facets.category == "party" and facets.nations == {"soviet union"}


def _stem_states_category(stem: str, category: str, index: FacetIndex) -> bool:
    """Whether the stem says the key is of `category` (a word of it, outside the names of
    terms that hold it: "People's Daily" says nothing of a newspaper)."""
    pattern = _CATEGORY_PATTERNS.get(category)
    if pattern is None or not pattern.search(stem):
        return False
    bare = stem
    for spelling in index.category_names:
        if spelling in bare:
            bare = bare.replace(spelling, " ")
    return bool(pattern.search(bare))


_CATEGORY_PATTERNS = {
    c: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    for c, words in CATEGORIES.items()
}


def ruled_out(
    corpus: CorpusSnapshot, answer: GlossaryTerm, other: GlossaryTerm, stem: str
) -> str | None:
    """Why `other` is absurd beside `answer` in `stem` (the stem names the key's country or
    kind, and `other` is known to be of another), or None."""
    index = facets_of(corpus)
    key, alt = index.of(answer), index.of(other)
    for spelling in all_spellings(answer):  # the key's own words say nothing of it
        stem = stem.replace(spelling, BLANK)
    said = nation_words(stem)
    if answer.kind == GlossaryTerm.Kind.EVENT:
        said |= nation_words(stem, locative=True)
    if answer.kind == GlossaryTerm.Kind.ORGANIZATION and "described here?" in stem:
        # "The _____, led by Mao Zedong": a description naming a leader says which
        # country's party (a document's own sentence naming Comrade Dennis is left to ask).
        said |= _leaders_countries(corpus, index, stem)
    if answer.kind == GlossaryTerm.Kind.PERSON:
        said |= _national_ties(corpus, index, key, stem)
    # The stem names the key's country: an option not known to be of it stands out (a
    # Hebrew or English name beside "an Israeli journalist", Mao beside "Poland's party").
    own = key.nations & said
    if own and not (alt.nations & own):
        return "the stem names the key's country, not this option's"
    for group, members in _GROUPS.items():
        if group in said and key.nations & members and not alt.nations & members:
            return "the stem names the key's country, not this option's"
    if (
        other.role in _COMMUNIST_ROLES
        and key.nations
        and key.nations <= COMMUNIST_RULED
        and alt.nations
        and not alt.nations & COMMUNIST_RULED
        and _IN_POWER.search(stem)
    ):
        return "the stem says the key held power; this option's communists never did"
    if across_the_iron_curtain(answer, other, key, alt):
        return "a place on the other side of the Iron Curtain from the key"
    # "tells the _____ in Washington": not the French embassy in Warsaw.
    where = nation_words(stem, locative=True)
    seats = {n for n in alt.seats if n in NATIONS}
    if where and seats and not seats & where and not (key.seats and not key.seats & where):
        return "the stem says where the key is; this option is elsewhere"
    if (
        key.category
        and key.category != "capital"
        and alt.kind != key.category
        and (alt.kind or answer.kind == GlossaryTerm.Kind.CONCEPT)
        and _stem_states_category(stem, key.category, index)
    ):
        # A concept whose kind is said ("a label for political opponents") wants options
        # known to be of that kind; any other name, options not known to be of another.
        return "the stem says what kind of thing the key is; this option is not"
    return None


def across_the_iron_curtain(
    answer: GlossaryTerm, other: GlossaryTerm, key: Facets, alt: Facets
) -> bool:
    """Whether `other` stands on the other side of the Iron Curtain from `answer`, where
    that is absurd, both nations known:
    * a place of the West offered for a place of the communist world: a story of the
      Poznań works (a "Stalin engineering works", work quotas) does not happen in
      Stockholm (round 5, R072). The other way round is a real confusion: the West's
      capitals are where the speech's text travelled from Warsaw;
    * a paper of the other side, either way: no "People's Daily correspondent John
      Rettie", no Reuters reporting for the Polish party."""
    if not key.nations or not alt.nations:
        return False
    east_key, west_key = key.nations <= COMMUNIST_RULED, key.nations <= _WEST
    east_alt, west_alt = alt.nations <= COMMUNIST_RULED, alt.nations <= _WEST
    if answer.kind == other.kind == GlossaryTerm.Kind.PLACE:
        return east_key and west_alt
    if _is_press(answer) and _is_press(other):
        return (east_key and west_alt) or (west_key and east_alt)
    return False


def _is_press(term: GlossaryTerm) -> bool:
    return term.role == "press" or term.role.endswith(".press")


# An office a person holds in a country ("elected first secretary in Poland"): the place is
# whose office it is, unlike an envoy's or a correspondent's ("ambassador in Moscow").
_OFFICE_IN = re.compile(
    r"\b(?:elected|appointed|chosen|became|becomes|first secretary|general secretary|"
    r"(?:prime |defence |foreign |interior )?minister|premier|president|party leader)\b",
    re.I,
)
_ENVOY = re.compile(r"\b(?:ambassador|envoy|embassy|correspondent|legation|delegation)\b", re.I)
# "his defence minister Pál Maléter": an office of the key's own state binds the key to it.
_HIS_OFFICE = re.compile(
    r"\b(?:his|her)\s+(?:own\s+)?(?:(?:prime|defence|foreign|interior|war)\s+minister|"
    r"government|cabinet|premier|deputy premier|party)\b",
    re.I,
)


def _national_ties(corpus: CorpusSnapshot, index: FacetIndex, key: Facets, stem: str) -> set[str]:
    """The nations a stem ties a person key to beyond naming whose he is (round 4, R013,
    R034): an office held in a country ("first secretary in Poland"), an office of his own
    state ("his defence minister"), or a compatriot named beside him whose entry says whose
    he is (not a Soviet one: every document is about the Soviet Union, whose people stand
    beside foreigners in every story)."""
    ties: set[str] = set()
    if _OFFICE_IN.search(stem) and not _ENVOY.search(stem):
        ties |= nation_words(stem, locative=True)
    if _HIS_OFFICE.search(stem) and len(key.nations) == 1:
        ties |= key.nations
    for spelling, nation in _compatriot_names(corpus, index):
        if (
            nation in key.nations
            and spelling in stem
            and re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", stem)
        ):
            ties.add(nation)
    return ties


def _compatriot_names(corpus: CorpusSnapshot, index: FacetIndex) -> list[tuple[str, str]]:
    """Each glossary person's spellings with the one foreign nation his entry gives him."""
    cached = corpus.__dict__.get("_compatriot_names")
    if cached is None:
        cached = []
        for term in corpus.terms:
            nations = index.of(term).nations
            if term.kind != GlossaryTerm.Kind.PERSON or len(nations) != 1 or is_discovered(term):
                continue
            (nation,) = nations
            if nation != "soviet union":
                cached += [(s, nation) for s in all_spellings(term) if len(s) > 3]
        corpus.__dict__["_compatriot_names"] = cached
    return cached


def _leaders_countries(corpus: CorpusSnapshot, index: FacetIndex, stem: str) -> set[str]:
    found: set[str] = set()
    for term in corpus.terms:
        if term.kind != GlossaryTerm.Kind.PERSON or not term.role.endswith("-leader"):
            continue
        if any(
            s in stem and re.search(rf"\bled by {re.escape(s)}\b", stem)
            for s in all_spellings(term)
            if len(s) > 3
        ):
            nations = index.of(term).nations
            if len(nations) == 1:
                found |= nations
    return found


# Acts the documents tell of many people alike: an option whose own entry says it suffered or
# did the act the sentence gives the key ("forced under torture to sign … a protocol of his
# confession": Rozenblum too, by the speech) fits the blank as well (round 3, R069).
_SHARED_ACT = re.compile(r"\b(tortur|confess|beaten|beating)\w*", re.I)


def shares_act(other: GlossaryTerm, sentence: str) -> bool:
    """Whether `other`'s entry tells of the same act (torture, a confession) as `sentence`."""
    acts = {m.group(1).lower() for m in _SHARED_ACT.finditer(sentence)}
    if not acts:
        return False
    return bool(acts & {m.group(1).lower() for m in _SHARED_ACT.finditer(other.description or "")})


def giveaway(corpus: CorpusSnapshot, answer: GlossaryTerm, stem: str) -> str | None:
    """Why English alone answers the stem for `answer`, or None."""
    index = facets_of(corpus)
    if home(answer, index):
        return "the blank is the country or party every document is about"
    facets = index.of(answer)
    said = nation_words(stem)
    if answer.kind == GlossaryTerm.Kind.PLACE:
        folded = answer.name.lower()
        places = said | nation_words(stem, locative=True)
        for spelling, term in index.named_places:
            if term.slug != answer.slug and spelling in stem:
                other = index.of(term)
                # "the Shin Bet in _____": a body of one country says which
                places |= other.seats | (other.nations if len(other.nations) == 1 else set())
        if folded in places or (facets.nations & places and _is_country(answer)):
            return "the stem names the place it asks for"
        if facets.capital and re.search(r"\bcapital\b", stem, re.I):
            return "the stem names the place it asks for"
    if answer.kind == GlossaryTerm.Kind.ORGANIZATION and nation_words(answer.name) & said:
        return "the stem names the country the key's name gives"
    return None


def _is_country(term: GlossaryTerm) -> bool:
    return term.name in _NATION_WORD and _NATION_WORD[term.name] == discovery.fold(term.name)


def self_contradiction(text: str, person: GlossaryTerm) -> bool:
    """Whether `text` makes `person` act ("Lenin ignored", not "after Lenin's death") beside
    a doctrine or camp named after him ("the Leninist principle"): an absurd statement."""
    name = surname(person)
    if len(name) < 4:
        return False
    acting = re.search(rf"\b{re.escape(name)}\b(?!['’])", text)
    return bool(acting) and bool(
        re.search(rf"\b{re.escape(name)}(?:ist|ism|ists|ite|ites)\b", text)
    )


# --- the gate ------------------------------------------------------------------------

_NAME_OPTIONS = {"person", "organization", "place", "speaker", "concept", "name"}


def _takes_the(name: str) -> bool:
    return bool(_THE_NAMES.search(name))


_THE_NAMES = re.compile(
    r"\b(?:Union|States|Kingdom|Republic|Islands|Netherlands|Emirates|Urals|Caucasus)\b"
    r"|^[A-Z]{2,}$|^U\.S|^the\s",
)
# A name standing as an adjective before a plural noun it qualifies.
_PLURAL_AFTER = re.compile(
    r"^\s+(?:organi[sz]ations|members|leaders|officials|workers|units|troops|forces|"
    r"delegates|delegations|committees|cells|branches|groups|circles|authorities|"
    r"organs|people|youth|activists|functionaries)\b"
)
# "_____, leader of Poland's ruling party, on whose desk …": whose desk?
_APPOSITION_RELATIVE = re.compile(
    re.escape(BLANK) + r"(?:['’]s)?,\s[^,]{3,90},\s+(?:\w+\s+)?(?:whose|who|whom|which)\b"
)
# Types that ask the student to recall what a passage says; who told a story may be asked
# of a doubted one (quote_attribution names the doubt), nothing else.
_RECALL_TYPES = {"cloze_quantity", "cloze_date", "cloze_name", "true_false", "source_attribution"}


_GLOSS = re.compile(r"described here\? “['\"‘]")
_FRAGMENT = re.compile(r"described here\? “(?:\w+\s+){0,2}(?:whose|whom|which)\b", re.I)
_STEM_YEAR = re.compile(r"\b(1[89]\d\d|20[0-2]\d)\b")


def earliest_year(text: str) -> int | None:
    years = [int(y) for y in _STEM_YEAR.findall(text)]
    return min(years) if years else None


# Words too common in names to give one away ("the party", "Soviet").
_COMMON_NAME_WORDS = {
    "party", "communist", "soviet", "union", "central", "committee", "state", "states",
    "people", "peoples", "national", "workers", "united", "congress", "affair", "plot",
}  # fmt: skip


def own_words(key: GlossaryTerm, stem: str) -> bool:
    """Whether a description of a concept or event uses a word of the key's own name
    ("the cult be abolished" describing "Cult of the individual")."""
    if key.kind not in (GlossaryTerm.Kind.CONCEPT, GlossaryTerm.Kind.EVENT):
        return False
    _, asked, description = stem.partition("described here?")
    if not asked:
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", key.name)} - _COMMON_NAME_WORDS
    return any(re.search(rf"\b{w}(?:s|es)?\b", description, re.I) for w in words)


# "was the President of the United States": the head of a state or government.
_HEAD = re.compile(r"\bwas the (?:President|Prime Minister|Premier|head of state)\b")


def outranks(other: GlossaryTerm, key: GlossaryTerm) -> bool:
    """Whether `other` headed a state or government and the key did not: the sitting
    President is no option for "the Under Secretary of State, second in the State
    Department" (round 2, R057)."""
    return bool(_HEAD.search(other.description or "")) and not _HEAD.search(key.description or "")


def dead_before(person: GlossaryTerm, year: int) -> bool:
    from quizzes.generation.name_choice import death_year  # name_choice uses this module

    died = death_year(person)
    return died is not None and died < year


class Clues:
    """The gate: `check(candidate)` gives why the stem answers itself or rules out an
    option, or None. Built once per bank."""

    def __init__(self, corpus: CorpusSnapshot) -> None:
        self.corpus = corpus
        self.index = facets_of(corpus)
        by_text: dict[str, GlossaryTerm] = {}
        for term in sorted(corpus.terms, key=is_discovered):  # the glossary's first
            for text in (term.name, surname(term), *term.spellings):
                if text:
                    by_text.setdefault(normalise(text), term)
        self.by_text = by_text
        self._spellings = [
            (s, f" {normalise(s)} ") for t in corpus.terms for s in all_spellings(t) if len(s) > 3
        ]
        self._longer: dict[str, list[str]] = {}

    def term(self, text: str) -> GlossaryTerm | None:
        return self.by_text.get(normalise(text))

    def check(self, c: Candidate) -> str | None:
        doubted = self._doubted(c)
        if doubted:
            return doubted
        if _FRAGMENT.search(c.stem):
            # "In whose office, by Rozenblum's account, ...": a relative clause, no statement.
            return "the description is a fragment"
        if _GLOSS.search(c.stem):
            # "'News of the Central Committee of the CPSU', the party's own journal": the
            # description opens with the name's translation.
            return "the description opens with the name in translation"
        if c.type == "true_false" and c.answer == ["false"]:
            return self._contradiction(c)
        if c.option_kind not in _NAME_OPTIONS or len(c.answer_texts) != 1:
            return None
        key = self.term(c.answer_texts[0])
        text = c.stem
        if BLANK in text:
            problem = self._blank_problem(c, key)
            if problem:
                return problem
        if key is None:
            return None
        if own_words(key, c.stem):
            # "it demands that the cult be abolished" for "Cult of the individual"
            return "the description uses the key's own words"
        if _NO_PART.search(key.description or ""):
            return "the entry says the key played no part in the story"
        reason = giveaway(self.corpus, key, text)
        if reason:
            return reason
        when = earliest_year(text) if key.kind == GlossaryTerm.Kind.PERSON else None
        for other_text in c.distractor_texts:
            other = self.term(other_text)
            if other is None:
                continue
            reason = ruled_out(self.corpus, key, other, text)
            if reason:
                return reason
            if when and dead_before(other, when) and not dead_before(key, when):
                # "chaired the commission the Presidium set up on 31 December 1955": not
                # Zhdanov (died 1948), Kirov (shot 1934) or Yenukidze (shot 1937)
                return "an option was dead by the stem's time"
        return None

    def _longer_names(self, answer: str) -> list[str]:
        """The names holding `answer` as a part ("Communist Party of the Soviet Union")."""
        found = self._longer.get(answer)
        if found is None:
            needle = f" {normalise(answer)} "
            found = [
                s for s, padded in self._spellings if len(s) > len(answer) and needle in padded
            ]
            self._longer[answer] = found
        return found

    def _doubted(self, c: Candidate) -> str | None:
        if c.type not in _RECALL_TYPES or c.passage is None:
            return None
        return "the source calls the story doubtful" if DOUBTED.search(c.passage.text) else None

    def _contradiction(self, c: Candidate) -> str | None:
        """A person put into the sentence in place of another, beside a doctrine named after
        the newcomer ("Lenin … trampled on the Leninist principle")."""
        for term in self.corpus.terms:
            if term.kind != GlossaryTerm.Kind.PERSON:
                continue
            name = surname(term)
            inserted = name in c.stem and not contains_phrase(c.quote, name)
            if inserted and contains_phrase(c.stem, name) and self_contradiction(c.stem, term):
                return "the false statement contradicts itself"
        return None

    def _blank_problem(self, c: Candidate, key: GlossaryTerm | None) -> str | None:
        at = c.stem.index(BLANK)
        before, after = c.stem[:at], c.stem[at + len(BLANK) :]
        answer = c.answer_texts[0]
        filled = before + answer + after
        span = (at, at + len(answer))
        for spelling in self._longer_names(answer):
            for m in re.finditer(re.escape(spelling), filled):
                if m.start() <= span[0] and span[1] <= m.end():
                    return "the blank is part of a longer name"
        if c.option_kind in ("organization", "place") and _PLURAL_AFTER.match(after):
            return "the name stands as an adjective"
        # "the _____" with "Hungary", "in _____" with "Soviet Union": no English.
        if c.option_kind == "place" and len({_takes_the(o["text"]) for o in c.options}) > 1:
            return "the article before the blank fits only some options"
        if c.excerpt and _APPOSITION_RELATIVE.search(c.stem):
            return "the relative clause could belong to the apposition"
        return None
