"""Finding people, places, organizations, dates and figures in text the glossary has never seen.

Pure functions over plain strings (no database), so that the question generators can use
what a new document names, and curators can be offered glossary terms and timeline events
to approve (corpus.proposals). The rules, each measured in docs/decisions.md ("Discovery"):

* A **name** is a run of capitalised words ("Władysław Gomułka", "Ust-Kamenogorsk",
  "Institute of Economics"), with "of"/"of the" inside an organization's name. A word that
  opens a sentence is not a name when it is a common English word: the corpus writes it in
  lower case somewhere, or wordfreq rates it common ("Events", "Its"). A run of common
  words only ("Prime Minister", "Secret Speech") is an office or a phrase, not a name.
* A **person** is a name after a title ("Marshal", "Cardinal"; nameparser's list of titles
  and ours), a name given in full and later by its last word alone ("Imre Nagy" ... "Nagy"),
  or a name beside a verb or apposition only people take ("Nagy was tried", "the Premier,
  Nikolai Bulganin"). A **place** follows "in", "to", "from", "at", "towards" or "the city
  of", and is neither of those. An **organization** has a head word ("Pact", "Institute",
  "Committee") or is an acronym ("KGB"). Adjectives of nations ("Soviet troops", "Polish
  party") are not names. A name typed no way is left out: a wrong kind makes absurd options.
* A **date** is "23 October 1956", "October 23, 1956", "October 1956" or "in 1956"; a
  **figure** is a count with what it counts ("about 2,500 Hungarians", "at least 57
  people were killed", "some 200,000 fled").
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from django.utils.text import slugify
from nameparser.config import CONSTANTS as NAME_CONSTANTS
from wordfreq import zipf_frequency

PERSON, PLACE, ORGANIZATION = "person", "place", "organization"
NAME_KINDS = (PERSON, PLACE, ORGANIZATION)
# wordfreq's Zipf scale: 5 is about once per 100,000 words ("events", "central"); names of
# people are below 3.5 ("Khrushchev" 3.0, "Nagy" 2.7), of great cities and countries 4-4.5.
COMMON_ZIPF = 5.0
RARE_ZIPF = 4.0
WEAK_PERSON = "person?"  # a full name, nothing else known: a place or a title says otherwise

# Titles before a person's name; nameparser's list lacks these (it has "Cardinal",
# "Premier", "President", "General", "Minister", "Secretary").
_OWN_TITLES = {
    "marshal", "chairman", "comrade", "comrades", "academician", "commissar", "mr", "mrs",
}  # fmt: skip
# Names that end like an organization's but are countries.
COUNTRY_LIKE = {"soviet union", "ussr", "uk", "us", "usa", "united states", "united kingdom"}
_ROMAN = re.compile(r"[IVXLC]+")
_PLACE_WORDS = {
    "in", "to", "from", "at", "towards", "toward", "into", "near", "across", "via", "through",
    "over",
}  # fmt: skip
# "the party leader of Ukraine", "ambassador to Mongolia": a country or region.
_OF_PLACE = re.compile(
    r"\b(?:leaders?|presidents?|king|queen|premier|capital|government|rulers?|governor|"
    r"ambassador|embassy|republic|people|peoples|coast|north|south|east|west|centre|center)"
    r"\s+(?:of|to|in)\s+$|\brenamed\s+(?:as\s+)?$"
)
# Newspapers and journals: "Pravda announced" is no person. Names a reader of Soviet
# history meets; any other is found by "the newspaper ..." before it or "printed" after it.
NEWSPAPERS = {
    "pravda", "izvestiia", "izvestia", "trud", "krasnaya zvezda", "komsomolskaya pravda",
    "literaturnaya gazeta", "novy mir", "kommunist", "ogonyok", "trybuna ludu", "szabad nep",
    "neues deutschland", "renmin ribao", "people's daily", "l'unita", "le monde",
    "the times", "the new york times", "the observer", "the guardian", "daily worker",
}  # fmt: skip
_PRESS_VERBS = re.compile(r"^\s+(?:printed|carried|headlined)\b")
# Regions, mountains and seas: "the Urals", "Siberia", "the Komi Republic". A region
# among cities ("in the far north of Kiev") is an absurd option, so they are told apart.
REGIONS = {
    "siberia", "urals", "the urals", "caucasus", "the caucasus", "transcaucasia", "crimea",
    "the crimea", "arctic", "the arctic", "kolyma", "far east", "central asia", "donbas",
    "karelia", "kuban", "volga", "the volga", "baltic", "the baltic", "the baltics",
    "pamirs", "altai", "carpathians", "balkans", "alps", "novaya zemlya", "kamchatka",
    "sakhalin", "chukotka",
}  # fmt: skip
_REGION_HEADS = {
    "republic", "region", "oblast", "krai", "territory", "province", "mountains", "peninsula",
    "islands", "island", "sea", "steppe", "basin", "valley", "river",
}  # fmt: skip
# "the Urals town of Asbest", "the Kuban region": a name before a place's noun is a region.
_REGION_AFTER = re.compile(r"^\s+(?:town|city|region|mountains|district|province|coast)\b")
# "Dora Lazurkina, an old Bolshevik who ...", "Shelepin, the chairman of the KGB": a person.
_PERSON_APPOSITION = re.compile(
    r"^,\s+(?:an?\s+(?:[\w-]+\s+){0,4}(?:who|whose)\b|the\s+(?:[\w-]+\s+){0,3}"
    r"(?:leader|chairman|secretary|minister|premier|president|head|commander|director|"
    r"ambassador|founder|editor|marshal|general|wife|husband|son|daughter)\b)"
)
_PLACE_NOUNS = ("city of", "town of", "village of", "region of", "republic of", "capital,")
_CITY_NOUNS = ("city of", "town of", "village of", "capital,", "city", "town")
PERIODICAL, REGION, CITY = "a periodical", "a region", "a city or town"
_SORTS = {PERIODICAL: "press", REGION: "region", CITY: "city"}
_ORG_HEADS = {
    "academy", "agency", "army", "assembly", "bank", "bureau", "church", "comintern",
    "commission", "committee", "congress", "council", "court", "embassy", "front", "government",
    "institute", "league", "ministry", "navy", "organisation", "organization", "pact", "party",
    "police", "politburo", "presidium", "service", "trust", "union", "university",
}  # fmt: skip
# Verbs whose subject is a person: "Nagy was tried", "Khrushchev flew".
_PERSON_VERBS = re.compile(
    r"^(?:'s\s+)?(?:,\s+(?:who\s+(?:was|had|is|became|[a-z]+ed)|then|aged)\b|\s+(?:was|had been|is)\s+(?:tried|executed|elected|"
    r"appointed|arrested|dismissed|expelled|imprisoned|released|replaced|sent|made|born|given|"
    r"shot|promoted|named|put)\b|\s+(?:said|told|wrote|flew|died|refused|argued|accused|"
    r"announced|persuaded|warned|resigned|succeeded|replaced|formed|became|spoke|declared|lost|"
    r"joined|stood|sided|took|returned)\b)"
)
# An adjective of a nation before a noun ("Soviet troops", "Finnish communist").
_DEMONYM = re.compile(r"(?:ian|ean|ish|ese|ic|an|i|et|ch|ek)$")
_INITIALS = r"(?:[A-Z]\.\s?){1,3}"
_CAP = r"[^\W\d_][\w'’-]*"
_CONNECTOR = re.compile(r"\s+(?:of(?:\s+the)?|de|von|van|der|da|di|bin)\s+$")
_TOKEN = re.compile(rf"{_INITIALS}(?=[A-Z])|{_CAP}|[^\w\s]+|\d[\d,.]*")

MONTHS = list(calendar.month_name)[1:]
_M = "|".join(MONTHS)
_YEAR = r"1[5-9]\d\d|20[0-2]\d"
_DATE = re.compile(
    rf"(?P<mdy>\b(?P<m1>{_M}) (?P<d1>\d{{1,2}}), (?P<y1>{_YEAR})\b)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}})(?:[-–](?P<d2b>\d{{1,2}}))? (?P<m2>{_M}),? (?P<y2>{_YEAR})\b)"
    rf"|(?P<my>\b(?P<m3>{_M}),? (?P<y3>{_YEAR})\b)"
    rf"|(?P<dm>\b(?P<d5>\d{{1,2}}) (?P<m5>{_M})\b(?!,? \d))"
    rf"|(?P<y>(?<=\b[Ii]n )(?P<y4>{_YEAR})\b(?![-–/]\d))"
)
_FIGURE = re.compile(
    r"(?P<approx>\b(?i:about|some|around|roughly|nearly|almost|over|more than|at least|"
    r"fewer than|up to|approximately)\s+)?"
    r"(?<![\w.,/§-])(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<percent>\s?(?:percent|per cent|%))?"
    r"(?![\w/%-]|[.,]\d)"
)
# What a figure counts: "57 people", "2,500 Hungarians", "700 Soviet soldiers".
_COUNTED = re.compile(r"\s+((?:[A-Z][\w'’-]*\s+(?=[a-z]+s\b))?[A-Za-z][\w'’-]*)")
_OUTCOME = re.compile(
    r"\b(?:were|was|had been|are)\s+(?:killed|wounded|arrested|shot|executed|deported|released|"
    r"imprisoned|rehabilitated|sentenced|dead|injured|expelled)\b|\b(?:fled|died|dead|killed|"
    r"emigrated|escaped|voted|abstained)\b"
)


# --- words ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Accents and case folded: "Gomułka" and "Gomulka", "Poznań" and "POZNAN" are one."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def zipf(word: str) -> float:
    return zipf_frequency(word.lower(), "en")


def is_common_word(word: str, *, lower_words: frozenset[str] = frozenset()) -> bool:
    """A word of ordinary English ("Events", "Its"), not a proper name that opens a sentence."""
    low = word.lower().strip("'’")
    if low in lower_words or zipf(low) >= COMMON_ZIPF:
        return True
    parts = [p for p in re.split(r"[-‐]", low) if p]
    return len(parts) > 1 and all(p in lower_words or zipf(p) >= COMMON_ZIPF for p in parts)


def is_title(word: str) -> bool:
    """A title before a person's name: nameparser's list ("Cardinal") and ours ("Marshal")."""
    low = word.lower().rstrip(".")
    return low in _OWN_TITLES or low in NAME_CONSTANTS.titles


_CALENDAR = {*MONTHS, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _is_cap(token: str) -> bool:
    """A capitalised word that can be part of a name (a month never is: "On 19 October
    Khrushchev flew" names Khrushchev)."""
    return token[:1].isupper() and token[:1].isalpha() and token not in _CALENDAR


# --- sentences --------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“'‘(\[]?[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; an initial ("V. I. Lenin") does not end one."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()].split()
        last = before[-1] if before else ""
        if len(last.strip("\"'“‘(")) == 1 and last[-1:].isupper():
            continue
        spans.append((start, m.start() + 1))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# --- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    text: str
    title: str = ""  # "Marshal", "Cardinal" when the name follows one
    hint: str = ""  # person / place / organization when the context says so
    evidence: str = ""
    listed_with: tuple[str, ...] = ()  # names in the same list: "Molotov, Kaganovich and Mikoyan"


def _runs(sentence: str) -> list[list[re.Match[str]]]:
    """Maximal runs of capitalised tokens (connectors such as "of the" kept inside)."""
    tokens = list(_TOKEN.finditer(sentence))
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for i, token in enumerate(tokens):
        text = token.group(0)
        if _is_cap(text):
            if current and current[-1].group(0).endswith(("'s", "’s")):
                runs.append(current)  # "Khrushchev's Secret Speech": the possessor is the name
                current = []
            if current:
                gap = sentence[current[-1].end() : token.start()]
                joined = gap in ("", " ") or (
                    _CONNECTOR.match(gap + " ") and _org_like(current) and gap.strip()
                )
                if not joined:
                    runs.append(current)
                    current = []
            current.append(token)
        elif (
            text.lower() in ("of", "the", "de", "von", "van", "der", "da", "di", "bin") and current
        ):
            nxt = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
            if not (_is_cap(nxt) or nxt.lower() == "the"):
                runs.append(current)
                current = []
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _org_like(tokens: list[re.Match[str]]) -> bool:
    return tokens[-1].group(0).lower().rstrip("s") in _ORG_HEADS or tokens[-1].group(0).lower() in (
        "ministry",
        "minister",
        "academy",
        "institute",
        "council",
    )


def find_names(text: str, *, lower_words: frozenset[str] = frozenset()) -> list[NameSpan]:
    """Capitalised names in `text` with their context hints (rules in the module docstring)."""
    found: list[NameSpan] = []
    for s_start, s_end in sentence_spans(text):
        sentence = text[s_start:s_end]
        found.extend(_with_lists(_sentence_names(sentence, s_start, lower_words), text))
    return found


def _with_lists(spans: list[NameSpan], text: str) -> list[NameSpan]:
    """Names joined by commas and "and" form a list; a list names things of one kind."""
    groups: list[list[NameSpan]] = []
    for span in spans:
        if groups and _LIST_GAP.fullmatch(text[groups[-1][-1].end : span.start]):
            groups[-1].append(span)
        else:
            groups.append([span])
    out = []
    for group in groups:
        names = tuple(s.text for s in group) if len(group) > 1 else ()
        out.extend(replace(s, listed_with=names) for s in group)
    return out


_LIST_GAP = re.compile(r",\s+|\s+and\s+|,\s+and\s+|\s+or\s+|,\s+or\s+")


def _sentence_names(sentence: str, s_start: int, lower_words: frozenset[str]) -> list[NameSpan]:
    found: list[NameSpan] = []
    for run in _runs(sentence):
        words = [t.group(0) for t in run]
        # Possessive and trailing punctuation belong to the sentence, not to the name.
        last = words[-1]
        for suffix in ("'s", "’s"):
            if last.endswith(suffix):
                words[-1] = last[: -len(suffix)]
        while run and (
            run[0].start() == 0 or sentence[: run[0].start()].rstrip().endswith(("“", '"'))
        ):
            first = run[0].group(0)
            if is_common_word(first, lower_words=lower_words) and not is_title(first):
                run, words = run[1:], words[1:]
            else:
                break
        title = []
        while len(words) > 1 and (is_title(words[0]) or words[0] in ("First", "Prime")):
            title.append(words[0])
            run, words = run[1:], words[1:]
        if title and (words[0][:1].islower() or zipf(words[0]) >= RARE_ZIPF):
            title = []  # "United States Senate": not a title before a person's name
        if not run:
            continue
        start = run[0].start()
        name = sentence[start : run[0].start() + _length(sentence, run, words)]
        name = name.rstrip(" ,")
        only_common = all(
            is_common_word(w, lower_words=lower_words) or is_title(w)
            for w in re.findall(r"[^\W\d_][\w'’-]*", name)
            if w.lower() not in ("of", "the")
        )
        named_org = _acronym(name) or (len(name.split()) > 1 and _org_like(run))
        if not name or (only_common and not named_org):
            continue  # "Prime Minister", "Secret Speech": an office or a phrase
        if not _name_like(name):
            continue
        after = sentence[start + len(name) :]
        before = sentence[:start]
        hint, evidence = _hint(name, before=before, after=after, title=title)
        if hint == "adjective":
            continue
        found.append(
            NameSpan(
                start=s_start + start,
                end=s_start + start + len(name),
                text=name,
                title=" ".join(title),
                hint=hint,
                evidence=evidence,
            )
        )
    return found


def _length(sentence: str, run: list[re.Match[str]], words: list[str]) -> int:
    """Length of the run's text from its first token, without a possessive "'s"."""
    end = run[-1].start() + len(words[-1])
    return end - run[0].start()


def _acronym(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,6}", name)) and not _ROMAN.fullmatch(name)


def _latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def _name_like(name: str) -> bool:
    """Not a heading in capitals, a Roman numeral, a doctrine ("Leninism", "Stalinist") or
    a word in another script (a catalogue title in Cyrillic)."""
    words = name.split()
    if _ROMAN.fullmatch(name) or not all(_latin(w) for w in words):
        return False
    if len(words) > 1 and sum(w.isupper() for w in words) > 1:
        return False
    return not re.search(r"(?:ism|ist|ists)$", words[-1])


def _hint(name: str, *, before: str, after: str, title: list[str]) -> tuple[str, str]:
    words = name.split()
    head = words[-1].lower()
    if name.lower() in COUNTRY_LIKE:
        return PLACE, "a country"
    if re.search(r"\b(?:magazine|newspaper|journal|daily|weekly|agency)\s+[*_“\"']?$", before):
        return ORGANIZATION, PERIODICAL
    if fold(name) in NEWSPAPERS or (not title and _PRESS_VERBS.match(after)):
        return ORGANIZATION, PERIODICAL
    if re.search(r"[\"“]$", before.rstrip()) and re.match(r"^[,.]?[\"”]", after):
        return "adjective", ""  # a title in quotation marks ("The Forty Days of Kengir")
    # "Institute of Economics", "Presidium of the Supreme Soviet": the head comes first.
    heads = {w.lower() for w in words[1:]}
    if " of " in name:
        heads.add(words[0].lower())
    if len(words) > 1 and head == "soviet":
        heads.add(head)  # "the Supreme Soviet"
    if _acronym(name) or head in _ORG_HEADS or heads & _ORG_HEADS:
        return ORGANIZATION, "organization word"
    if len(words) == 1 and head in _REGION_HEADS:
        return "adjective", ""  # "the Republic": a common noun, no name
    if fold(name) in REGIONS or head in _REGION_HEADS or _REGION_AFTER.match(after):
        return PLACE, REGION
    if title and title[0] not in ("First",):
        return PERSON, f"title {' '.join(title)}"
    if len(words) == 1 and re.match(r"\s+[a-z]", after) and _DEMONYM.search(name.lower()):
        nxt = re.match(r"\s+([a-z]+)", after).group(1)
        if zipf(nxt) < 6 and not _PERSON_VERBS.match(after):
            return "adjective", ""
    if _PERSON_APPOSITION.match(after):
        return PERSON, "apposition after the name"
    if _OF_PLACE.search(before):
        return PLACE, "a place's noun before it"
    last_words = before.rstrip().split()
    previous = last_words[-1].lower() if last_words else ""
    if before.rstrip().lower().endswith(_CITY_NOUNS):
        return PLACE, CITY
    if previous in _PLACE_WORDS or before.rstrip().lower().endswith(_PLACE_NOUNS):
        return PLACE, f"after '{previous}'"
    if _PERSON_VERBS.match(after):
        return PERSON, "person's verb"
    if re.search(r"\b[Tt]he\s+(?:[\w-]+\s+){0,2}[\w-]+,\s*$", before) and len(words) >= 2:
        return PERSON, "apposition"  # "the Premier, Nikolai Bulganin"
    if 2 <= len(words) <= 3 and all(
        zipf(w) < RARE_ZIPF and re.fullmatch(r"[^\W\d_][^\W\d_'’-]+", w) and not w.isupper()
        for w in words
    ):
        return WEAK_PERSON, "a full name of rare words"  # "Ernő Gerő", "Józef Cyrankiewicz"
    return "", ""


# --- entities ---------------------------------------------------------------------------------


@dataclass
class Entity:
    """One person, place or organization named in the passages, with every form seen."""

    slug: str
    name: str  # the fullest form ("Władysław Gomułka")
    kind: str
    spellings: list[str] = field(default_factory=list)
    title: str = ""
    passages: list[int] = field(default_factory=list)  # indices into the passages given
    evidence: list[str] = field(default_factory=list)
    # What sort of place or organization, when the text says: "region" (the Urals, the
    # Komi Republic), "city" (the town of Asbest), "press" (Pravda); "" otherwise.
    sort: str = ""

    @property
    def short(self) -> str:
        """The family name for a person ("Gomułka"), else the name."""
        return self.name.split()[-1] if self.kind == PERSON else self.name


def discover_entities(
    *,
    passages: Sequence[str],
    known: Mapping[str, str] | Iterable[str] = (),
    lower_words: frozenset[str] | None = None,
) -> list[Entity]:
    """People, places and organizations named in `passages` whose names are not in `known`
    (the glossary's spellings, optionally mapped to their kinds), each with its kind decided
    from all its mentions."""
    if lower_words is None:
        lower_words = lowercase_words(passages)
    known_kinds = {fold(k): v for k, v in known.items()} if isinstance(known, Mapping) else {}
    known_folded = set(known_kinds) or {fold(k) for k in known if k}
    spans = [
        (i, span)
        for i, text in enumerate(passages)
        for span in find_names(text, lower_words=lower_words)
    ]
    # Group forms: "Imre Nagy" and a later "Nagy" are one person.
    by_last: dict[str, set[str]] = defaultdict(set)
    for _, span in spans:
        if len(span.text.split()) > 1:
            by_last[fold(span.text.split()[-1])].add(span.text)
    groups: dict[str, list[tuple[int, NameSpan]]] = defaultdict(list)
    group_of: dict[str, str] = {}
    for i, span in spans:
        key = fold(span.text)
        if len(span.text.split()) == 1 and len(by_last.get(key, ())) == 1:
            key = fold(next(iter(by_last[key])))
        groups[key].append((i, span))
        group_of[fold(span.text)] = key
    kinds: dict[str, str] = {}
    for key, mentions in groups.items():
        forms = Counter(span.text for _, span in mentions)
        hints = Counter(span.hint for _, span in mentions if span.hint)
        kinds[key] = _decide_kind(_fullest(forms), forms, hints)
    # A list names things of one kind: "Austria and Yugoslavia", "Molotov, Kaganovich and
    # Mikoyan" type the names beside a typed (or known) one.
    for key, mentions in groups.items():
        if kinds[key]:
            continue
        beside = Counter(
            kinds.get(group_of.get(fold(other), ""), "") or known_kinds.get(fold(other), "")
            for _, span in mentions
            for other in span.listed_with
            if fold(other) != fold(span.text)
        )
        beside.pop("", None)
        if len(beside) == 1:
            kinds[key] = next(iter(beside))
    entities = []
    for key, mentions in groups.items():
        forms = Counter(span.text for _, span in mentions)
        name = _fullest(forms)
        kind = kinds[key]
        if not kind or fold(name) in known_folded or any(fold(f) in known_folded for f in forms):
            continue
        if kind == PERSON and known_kinds.get(fold(name.split()[-1])) == PERSON:
            continue  # "Georgy Malenkov" is the glossary's "Georgii Malenkov", alias "Malenkov"
        titles = [span.title for _, span in mentions if span.title]
        spellings = sorted(forms, key=lambda f: (-len(f), f))
        if kind == PERSON and len(name.split()) > 1 and name.split()[-1] not in spellings:
            spellings.append(name.split()[-1])
        evidence = {span.evidence for _, span in mentions if span.evidence}
        if not evidence:
            evidence = {"listed with names of its kind"}
        sort = next((v for k, v in _SORTS.items() if k in evidence), "")
        entities.append(
            Entity(
                slug=slugify(fold(name))[:80] or "name",
                name=name,
                kind=kind,
                spellings=spellings,
                title=titles[0] if titles else "",
                passages=sorted({i for i, _ in mentions}),
                evidence=sorted(evidence),
                sort=sort if kind != PERSON else "",
            )
        )
    entities.sort(key=lambda e: (min(e.passages), e.slug))
    return entities


def _fullest(forms: Counter[str]) -> str:
    return max(forms, key=lambda f: (len(f.split()), forms[f], f))


def _decide_kind(name: str, forms: Counter[str], hints: Counter[str]) -> str:
    if hints.get(ORGANIZATION):
        return ORGANIZATION
    if hints.get(PERSON):
        return PERSON
    if hints.get(PLACE):
        return PLACE
    # Given in full and later by the last word alone: how texts refer to people.
    words = name.split()
    if hints.get(WEAK_PERSON) or (
        len(words) >= 2 and words[-1] in forms and zipf(words[0]) < RARE_ZIPF
    ):
        return PERSON
    return ""


def lowercase_words(passages: Iterable[str]) -> frozenset[str]:
    """Words the passages write in lower case somewhere: "events" is a common word."""
    return frozenset(w for text in passages for w in re.findall(r"\b[a-z]+\b", text))


# --- dates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: datetime.date
    precision: str  # "day", "month", "year" (TimelineEvent.Precision values)
    text: str


def find_dates(text: str, *, year: int | None = None) -> list[FoundDate]:
    """Dates written out in `text`, each with its precision. A day without a year ("on 19
    October") takes the year of the last month or day dated before it in the text, or `year`;
    else it is skipped."""
    found: list[FoundDate] = []
    for m in _DATE.finditer(text):
        try:
            if m.group("dm"):
                # The year of the last date given to the month or day ("In October 1956 ...
                # expelled in 1949 ... On 19 October"): a bare year is often a flashback.
                dated = [f for f in found if f.precision != "year"]
                known = dated[-1].date.year if dated else year
                if known is None:
                    continue
                value = datetime.date(known, MONTHS.index(m.group("m5")) + 1, int(m.group("d5")))
                found.append(FoundDate(m.start(), m.end(), value, "day", m.group(0)))
                continue
            if m.group("mdy"):
                value = datetime.date(
                    int(m.group("y1")), MONTHS.index(m.group("m1")) + 1, int(m.group("d1"))
                )
                precision = "day"
            elif m.group("dmy"):
                if m.group("d2b"):
                    continue  # a range of days ("22-29 June") is not one date
                value = datetime.date(
                    int(m.group("y2")), MONTHS.index(m.group("m2")) + 1, int(m.group("d2"))
                )
                precision = "day"
            elif m.group("my"):
                value = datetime.date(int(m.group("y3")), MONTHS.index(m.group("m3")) + 1, 1)
                precision = "month"
            else:
                value = datetime.date(int(m.group("y4")), 1, 1)
                precision = "year"
        except ValueError:
            continue
        found.append(FoundDate(m.start(), m.end(), value, precision, m.group(0)))
    return found


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundFigure:
    start: int  # of the number itself
    end: int
    value: int
    text: str  # the number as written ("2,500")
    approximate: str  # "about", "at least", "" ...
    counted: str  # what it counts: "Hungarians", "people", "Soviet soldiers"
    outcome: str  # what happened to them: "killed", "fled", "" when the sentence does not say


def find_figures(text: str) -> list[FoundFigure]:
    """Counts with what they count; not years, days of a month, page numbers or percentages."""
    found = []
    for m in _FIGURE.finditer(text):
        digits = m.group("number")
        value = int(digits.replace(",", ""))
        if m.group("percent") or value < 2:
            continue
        if "," not in digits and 1000 <= value <= 2100:
            continue  # a year
        before = text[: m.start("number")]
        if re.search(rf"(?:\b(?:{_M}|No|p|pp|page|Article|Section|Vol)\.?)\s*$", before):
            continue
        if re.match(rf"\s*(?:{_M})\b|[-–]\d", text[m.end() :]):
            continue  # "21 October", a range
        counted_match = _COUNTED.match(text, m.end())
        counted = counted_match.group(1) if counted_match else ""
        if counted.split()[-1:] and counted.split()[-1].lower() in ("to", "of", "and", "in", "or"):
            counted = " ".join(counted.split()[:-1])
        sentence_end = next((b for a, b in sentence_spans(text) if a <= m.start() < b), len(text))
        outcome = _OUTCOME.search(text, m.end(), sentence_end)
        found.append(
            FoundFigure(
                start=m.start("number"),
                end=m.end("number"),
                value=value,
                text=digits,
                approximate=(m.group("approx") or "").strip(),
                counted=counted,
                outcome=outcome.group(0).split()[-1] if outcome else "",
            )
        )
    return found
