"""When words were said or things done, as far as a passage tells: bounds for options.

Blind raters rejected options impossible in time (round 2): Zhdanov, dead in 1948, as
the speaker of words beginning "After Stalin's death" or of Stalin's threat in the
doctors' plot of 1953; 1958 for an examination the speech of February 1956 reports;
January 1928 for a letter Lenin (died 1924) wrote; a journal of 1989 as the paper the
CIA leaked to in 1956. Each bound here is a floor (nothing said before it) or a ceiling
(nothing reported after it) that a generator keeps its options within.
"""

from __future__ import annotations

import datetime
import re

from corpus.models import GlossaryTerm
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings
from quizzes.generation.name_choice import Moment, dead_by, death_of, event_years
from quizzes.generation.sentences import contains_phrase, normalise

_YEAR = re.compile(r"\b(1[89]\d\d|20[0-2]\d)\b")
_AFTER_DEATH = re.compile(
    r"\b[Aa]fter\s+(?P<name>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})['’]s\s+death\b"
)
_FIRST_SENTENCE = re.compile(r"^(.*?[.;])(?:\s|$)", re.S)
# "Vladimir Ilyich wrote", "said Lenin": the person whose words or deed the sentence dates.
_ACTS = r"(?:wrote|writes|said|says|told|declared|stated|sent|signed|dictated|added)"


def _person(corpus: CorpusSnapshot, name: str) -> GlossaryTerm | None:
    key = normalise(name)
    for term in corpus.terms:
        if term.kind == GlossaryTerm.Kind.PERSON and any(
            normalise(s) == key for s in all_spellings(term)
        ):
            return term
    return None


def _event_year(term: GlossaryTerm) -> int | None:
    """The year an event's entry opens with ("announced on 13 January 1953")."""
    m = _FIRST_SENTENCE.match(" ".join((term.description or "").split()))
    years = [int(y) for y in _YEAR.findall(m.group(1))] if m else []
    return min(years) if years else None


def words_floor(corpus: CorpusSnapshot, *, words: str, context: str) -> Moment | None:
    """The earliest time words could have been said: the latest of a year the words name,
    a death they say came before them ("After Stalin's death"), and the start of an event
    the passage around them tells of ("the doctor plotters", announced in 1953)."""
    floors: list[Moment] = [(int(y), 0) for y in _YEAR.findall(words)]
    for m in _AFTER_DEATH.finditer(words):
        person = _person(corpus, m.group("name"))
        died = death_of(person) if person is not None else None
        if died:
            floors.append(died)
    for term in corpus.terms:
        if term.kind != GlossaryTerm.Kind.EVENT:
            continue
        if any(contains_phrase(context, s) for s in all_spellings(term) if len(s) > 3):
            year = _event_year(term)
            if year:
                floors.append((year, 0))
    return max(floors) if floors else None


def career_floor(corpus: CorpusSnapshot, person: GlossaryTerm) -> Moment | None:
    """The first year the timeline shows `person` at work: words of his are offered among
    people alive then, never Lenin's name for a story told of Khrushchev at the congress
    of 1956 (round 5, R007)."""
    years = event_years(corpus).get(person.slug)
    return (min(years), 0) if years else None


def dead_by_then(corpus: CorpusSnapshot, when: Moment | None, *, key: GlossaryTerm) -> frozenset:
    """The slugs of people dead before `when`, no option beside a living key (none when
    the key too was dead by then: the bound is wrong, not the key)."""
    if when is None or dead_by(key, when):
        return frozenset()
    return frozenset(
        t.slug for t in corpus.terms if t.kind == GlossaryTerm.Kind.PERSON and dead_by(t, when)
    )


def report_ceiling(corpus: CorpusSnapshot, *, passage, sentence: str) -> datetime.date | None:
    """The latest date a sentence can give for what it reports: its document's date (the
    speech of 25 February 1956 reports nothing of 1958), or the death of the person the
    sentence has write or speak ("Vladimir Ilyich wrote", Lenin died in January 1924)."""
    bounds = []
    work = passage.source.work
    if work is not None and work.date is not None:
        bounds.append(work.date)
    for term in corpus.terms:
        if term.kind != GlossaryTerm.Kind.PERSON:
            continue
        died = death_of(term)
        if died is None:
            continue
        for s in all_spellings(term):
            if s not in sentence:
                continue  # the cheap test first
            name = re.escape(s)
            if re.search(
                rf"(?<![\w-]){name}\s+(?:\w+\s+)?{_ACTS}\b|\b{_ACTS}\s+{name}\b", sentence
            ):
                year, month = died
                end = datetime.date(year, month or 12, 28 if month else 31)
                bounds.append(end)
                break
    return min(bounds) if bounds else None


def first_known_year(corpus: CorpusSnapshot, term: GlossaryTerm) -> int | None:
    """The earliest year anything tells of a body: the events naming it and its entry."""
    years = [e.date.year for e in corpus.events if term.slug in corpus.event_terms.get(e.slug, [])]
    years += [int(y) for y in _YEAR.findall(term.description or "")]
    return min(years) if years else None


# A body first heard of this many years after the time asked about did not yet exist for
# the story (a journal of 1989 for a leak of 1956).
ANACHRONISM_YEARS = 10


def later_bodies(corpus: CorpusSnapshot, year: int | None, *, key: GlossaryTerm) -> frozenset:
    """The slugs of organizations first known long after `year`: no option beside a key of
    that time."""
    if year is None or key.kind != GlossaryTerm.Kind.ORGANIZATION:
        return frozenset()
    found = set()
    for term in corpus.terms:
        if term.kind != GlossaryTerm.Kind.ORGANIZATION or term.slug == key.slug:
            continue
        first = first_known_year(corpus, term)
        if first is not None and first > year + ANACHRONISM_YEARS:
            found.add(term.slug)
    return frozenset(found)


# A person first heard of this many years after a dead key died was no peer of his: not
# Brezhnev, whose entry begins in 1964, for words of Lenin, dead in 1924 (round 6 review).
PEER_YEARS = 15


def later_people(corpus: CorpusSnapshot, *, key: GlossaryTerm) -> frozenset:
    """The slugs of people first known long after a dead key's death: no option for his
    words or his deeds."""
    died = death_of(key) if key.kind == GlossaryTerm.Kind.PERSON else None
    if died is None:
        return frozenset()
    found = set()
    for term in corpus.terms:
        if term.kind != GlossaryTerm.Kind.PERSON or term.slug == key.slug:
            continue
        first = first_known_year(corpus, term)
        if first is not None and first > died[0] + PEER_YEARS:
            found.add(term.slug)
    return frozenset(found)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_FULL_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(_MONTHS)}) (1[89]\d\d|20[0-2]\d)\b")


def entry_date(term: GlossaryTerm) -> datetime.date | None:
    """The day a document's or event's entry opens by dating it ("given to a closed session
    of the 20th Party Congress on 25 February 1956"), or None."""
    m = _FIRST_SENTENCE.match(" ".join((term.description or "").split()))
    found = _FULL_DATE.search(m.group(1)) if m else None
    if found is None:
        return None
    day, month, year = found.groups()
    return datetime.date(int(year), _MONTHS.index(month) + 1, int(day))


def named_floor(corpus: CorpusSnapshot, text: str) -> datetime.date | None:
    """The latest day a document or event named in `text` is dated by its entry: nothing
    done to the Secret Speech (25 February 1956) happened before it (round 4, R022: an
    order to read the speech offered as of 5 March 1954)."""
    floors = [
        day
        for term in corpus.terms
        if term.kind in (GlossaryTerm.Kind.DOCUMENT, GlossaryTerm.Kind.EVENT)
        and any(contains_phrase(text, s) for s in all_spellings(term) if len(s) > 3)
        and (day := entry_date(term)) is not None
    ]
    return max(floors) if floors else None
