"""What a question resting on a timeline event or glossary term may use (shared helpers).

What HAPPENED is cited to reference works, and many timeline events and glossary terms
rest on them rather than on a passage of the five sources (the Hungarian revolution,
Bierut's death, the State Department's release of 4 June 1956). A question may rest on
such an entry: its key is what the entry says, and its feedback shows the entry with its
reference citations. The generators that build them (`event_questions`, `term_questions`,
`event_statements`, `lesson_chronology`) share these rules:

* only an entry that cites a reference work (`reference_backed`); an event's date only at
  day, month or year precision, never one a "historians disagree" note disputes
  (`date_disputed`), never in a title that gives it away;
* a date distractor is the date of another event of the same precision, the nearest in
  time first (a real confusion), a few days from the key and from each other, never a date
  the entry itself names (the sources' own misdating, say);
* a timeline title becomes a clause in the past tense (`past_clause`): "Bolesław Bierut
  dies in Moscow" -> "Bolesław Bierut died in Moscow"; a title without a verb ("Death of
  Stalin") is not turned into a statement.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from corpus.models import EditorialNote, TimelineEvent
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.documents_named import name_documents
from quizzes.generation.sentences import contains_phrase, normalise, split_sentences
from quizzes.generation.time_bounds import named_floor
from quizzes.generation.who_what_when import (
    _PARTICIPLES,
    _WHEN,
    _YEAR,
    _base_form,
    _lower_words,
    _subject,
    event_question,
    title_problem,
)

# Prefer the question citing a passage (the speech's own date) when both exist: same
# fingerprint, and the better score survives the near-duplicate gate.
ENTRY_PENALTY = 0.01
MIN_DAYS_APART = 3
NO_REFERENCE = "timeline event cites no reference work"
# Another event's date is a real confusion only within a few years: 1933 for a letter of
# Lenin's (who died in 1924) is absurd. Beyond that, the key's own day in another year.
NEAR_DAYS = 3 * 365
# "Beria arrested and executed": two things done months apart under one date.
_TWO_ACTS = re.compile(
    r"\b\w+(?:ed|s) and (?:is |are |was |were )?\w+(?:ed|s)\b|\band (?:is|are|was|were) \w+ed\b"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WHEN_WORDS = re.compile(rf"\b(?:{_MONTHS})\b|\b1[89]\d\d\b|\bmidnight\b|\bmorning\b", re.I)
_DATE_IN_TEXT = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\b|\b({_MONTHS})\s+(\d{{1,2}})\b")

_IRREGULAR = {
    "become": "became", "begin": "began", "break": "broke", "bring": "brought",
    "choose": "chose", "come": "came", "fall": "fell", "flee": "fled", "fly": "flew",
    "give": "gave", "go": "went", "hold": "held", "lead": "led", "make": "made",
    "meet": "met", "put": "put", "read": "read", "rise": "rose", "send": "sent",
    "set": "set", "speak": "spoke", "take": "took", "tell": "told", "win": "won",
    "write": "wrote",
}  # fmt: skip
_PRESENT_IN_REST = {"has": "had", "is": "was", "are": "were", "have": "had"}


def reference_backed(corpus: CorpusSnapshot, *, event: TimelineEvent | None = None, term=None):
    """The entry's reference citations (empty: the entry cannot carry a question)."""
    if event is not None:
        return corpus.event_references.get(event.slug, [])
    return corpus.term_references.get(term.slug, [])


def date_disputed(notes: list[EditorialNote]) -> bool:
    """Whether a "historians disagree" note on the event disputes when it happened: its
    title asks when, or its positions name months, years or times of day."""
    for note in notes:
        if note.kind != EditorialNote.Kind.DISPUTE:
            continue
        if note.title.lower().startswith("when"):
            return True
        if any(_WHEN_WORDS.search(str(p.get("says", ""))) for p in note.positions):
            return True
    return False


def datable(corpus: CorpusSnapshot, event: TimelineEvent) -> str | None:
    """Why the event's date cannot be asked as what happened, or None. The want of a
    reference work is checked last: `NO_REFERENCE` means every other rule is met."""
    if event.precision not in _WHEN:
        return "approximate date"
    if date_disputed(corpus.event_notes.get(event.slug, [])):
        return "historians disagree about the date"
    if _YEAR.search(event.title):
        return "answer given away in the stem"
    if _TWO_ACTS.search(event.title):
        return "the title names two things done at different times"
    problem = title_problem(corpus, event)
    if problem:
        return f"timeline title {problem}"
    if not reference_backed(corpus, event=event):
        return NO_REFERENCE
    return None


def entry_text(event: TimelineEvent) -> str:
    """What the entry says, with its date: the text a key resting on it must be in."""
    return f"{event.title}: {event.date_label}. {' '.join(event.description.split())}"


def when_phrase(event: TimelineEvent) -> str:
    """ "on 12 March 1956", "in March 1956", "in 1937"."""
    label = event.date_label
    return f"on {label}" if event.precision == TimelineEvent.Precision.DAY else f"in {label}"


def _named_dates(text: str, year: int) -> set[str]:
    """The day-precision dates a text names ("4 March", "March 4"), as date labels."""
    found = set()
    for m in _DATE_IN_TEXT.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.add(f"{int(day)} {month} {year}")
    return found


# Two events naming three of the same entries are one story's two moments (the Presidium
# turning to force on 31 October, the army's attack of 4 November): one's date offered for
# the other could be defended.
SAME_STORY_TERMS = 3


def same_story(corpus: CorpusSnapshot, a: TimelineEvent, b: TimelineEvent) -> bool:
    shared = set(corpus.event_terms.get(a.slug, [])) & set(corpus.event_terms.get(b.slug, []))
    return len(shared) >= SAME_STORY_TERMS


def _label(date: datetime.date, precision: str) -> str:
    return TimelineEvent(date=date, precision=precision).date_label


@dataclass(frozen=True)
class DateChoice:
    labels: list[str]  # the distractors, nearest in time first
    derived: int  # of them made by shifting the key, not another event's date


def date_distractors(
    corpus: CorpusSnapshot, event: TimelineEvent, *, count: int = 3, avoid: frozenset[str] = ()
) -> DateChoice:
    """Dates of other events of the event's precision, the nearest first, then the key
    shifted by whole years; none the entry names, none within a few days of another."""
    named = _named_dates(f"{event.title} {event.description}", event.date.year)
    named |= set(avoid)
    key = event.date_label
    others = sorted(
        (
            e
            for e in corpus.events
            if e.precision == event.precision
            and e.slug != event.slug
            and abs((e.date - event.date).days) <= NEAR_DAYS
            and not same_story(corpus, e, event)
        ),
        key=lambda e: (abs((e.date - event.date).days), e.date, e.slug),
    )
    shifted = [_shift(event.date, n) for n in (-1, 1, -2, 2, 3)]
    # Nothing done to a document came before its own date: "made public" of the resolution
    # of 30 June 1956 offers no day of early June (round 7, R031).
    floor = named_floor(corpus, name_documents(event.title))
    if floor is not None and floor <= event.date:
        others = [e for e in others if e.date >= floor]
        shifted = [d for d in shifted if d >= floor]
    chosen: list[datetime.date] = []
    labels: list[str] = []
    derived = 0
    for n, date in enumerate([*(e.date for e in others), *shifted]):
        label = _label(date, event.precision)
        if label == key or label in labels or label in named or label in event.description:
            continue
        if any(abs((date - d).days) < MIN_DAYS_APART for d in [event.date, *chosen]):
            continue
        chosen.append(date)
        labels.append(label)
        derived += n >= len(others)
        if len(labels) == count:
            break
    return DateChoice(labels, derived)


def _shift(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def date_question(event: TimelineEvent, corpus: CorpusSnapshot) -> str | None:
    """ "On what date did the State Department tell its Moscow embassy that the CIA had a
    copy?": `event_question`, with what follows "that" in the past too."""
    question = event_question(event.title, _WHEN[event.precision], corpus)
    if question is None:
        return None
    head, that, tail = question.partition(" that ")
    if that:
        question = head + that + " ".join(_present_to_past(tail.split()))
    return question + "?"


def _past(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _present_to_past(words: list[str]) -> list[str]:
    return [_PRESENT_IN_REST.get(w, w) for w in words]


@dataclass(frozen=True)
class Clause:
    """A timeline title as a clause in the past tense: its subject, then the rest."""

    words: tuple[str, ...]  # the subject as the title writes it: "Bolesław Bierut"
    subject: str  # as a sentence's subject: "the State Department", "the victims of ..."
    predicate: str  # "died in Moscow", "was elected first secretary in Poland"
    passive: bool  # "was elected", "was hanged": the predicate opens with was/were

    def sentence(self, when: str) -> str:
        """ "On 12 March 1956, Bolesław Bierut died in Moscow." """
        return f"{when[0].upper()}{when[1:]}, {self.subject} {self.predicate}."


def past_clause(title: str, corpus: CorpusSnapshot) -> Clause | None:
    """The title as a past-tense clause, parsed as `who_what_when.event_question` parses it
    (so both read a title alike), or None: no verb to put in the past ("Death of Stalin"),
    or two things done under one date ("Beria arrested and executed": he was shot months
    after his arrest)."""
    question = event_question(title, "@", corpus)
    if question is None or question.endswith(("take place", "appear")):
        return None
    words = title.rstrip(".").split()
    lower = _lower_words(corpus)
    for i, word in enumerate(words[1:], start=1):
        head, tail = words[:i], words[i + 1 :]
        if not word.islower() or "and" in tail or "and" in head:
            continue
        subject = _subject(head, lower)
        rest = _present_to_past(tail)
        if question.startswith("@ did "):
            if question.endswith(" ".join([_base_form(word), *tail])):
                return Clause(
                    tuple(head), subject, " ".join([_past(_base_form(word)), *rest]), False
                )
        elif question.startswith(("@ was ", "@ were ")):
            aux = question.split()[1]
            if word in ("is", "are") and question.endswith(" ".join(tail)):
                return Clause(tuple(head), subject, " ".join([aux, *rest]), True)
            participle = word in _PARTICIPLES or word.endswith("ed")
            if participle and question.endswith(" ".join(words[i:])):
                return Clause(tuple(head), subject, " ".join([aux, word, *rest]), True)
    return None


def dated_elsewhere(event: TimelineEvent, clause: Clause) -> bool:
    """Whether the entry's sentence giving the date is about something else than the title's
    subject ("On 5 March 1956 the Party Presidium orders the report read" under the title
    "The speech is read out in party meetings"): then the date is not the title's."""
    day = event.date_label
    text = " ".join(event.description.split())
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if day in sentence and not contains_phrase(sentence, clause.words[-1]):
            return True
    return False


def misdated(corpus: CorpusSnapshot, event: TimelineEvent) -> bool:
    """Whether the entry's date belongs to something else than its title (`dated_elsewhere`)."""
    clause = past_clause(event.title, corpus)
    return clause is not None and dated_elsewhere(event, clause)


_DEATH = re.compile(r"^(?:died|was (?:shot|hanged|executed|killed))\b")
_DEATH_OF = re.compile(r"^Death of (.+?)\.?$")


def deaths(corpus: CorpusSnapshot) -> dict[str, datetime.date]:
    """When people died, by term slug: the glossary's date of death (`died`, or what the
    description says) and the timeline's deaths ("Bolesław Bierut dies in Moscow", "Imre
    Nagy is hanged"): a dead man is no option for a later deed."""
    from quizzes.generation.name_choice import death_of  # name_choice needs no entries

    found: dict[str, datetime.date] = {}
    for term in corpus.terms:
        died = death_of(term)
        if died is not None:
            found[term.slug] = datetime.date(died[0], died[1] or 1, 1)
    for event in corpus.events:
        clause = past_clause(event.title, corpus)
        death_of = _DEATH_OF.match(event.title)
        if death_of:
            named = death_of.group(1)
        elif clause is not None and _DEATH.match(clause.predicate):
            named = " ".join(clause.words)
        else:
            continue
        for term in corpus.terms:
            if any(normalise(s) == normalise(named) for s in term.spellings if s):
                found[term.slug] = min(event.date, found.get(term.slug, event.date))
    return found


# A person named by no event within five years of a deed is no plausible doer of it.
ERA_DAYS = 5 * 365


def fits_time(
    corpus: CorpusSnapshot, term, when: datetime.date, dead: dict[str, datetime.date]
) -> bool:
    """Whether a person could be an option for something done on `when`: alive then
    (`deaths`), and named by an event within `ERA_DAYS` of it when any event names them
    (Kirov, shot in 1934, is no option for 1956)."""
    if term.slug in dead and dead[term.slug] <= when:
        return False
    days = [
        abs((e.date - when).days)
        for e in corpus.events
        if term.slug in corpus.event_terms.get(e.slug, [])
    ]
    return not days or min(days) <= ERA_DAYS


# A woman: "she"/"her" and no "he"/"his", or someone's wife, widow, girlfriend ("Lenin's
# wife"; "his girlfriend" is a man's). The glossary does not say; its descriptions do.
_SHE = re.compile(r"\b(?:she|her|hers)\b", re.I)
_HE = re.compile(r"\b(?:he|his|him)\b", re.I)
_SOMEONES = re.compile(r"\w['’]s (?:wife|widow|girlfriend|daughter|mother|sister)\b", re.I)


# Russian women's family names (Krupskaya, Timashuk's colleagues Karpova, Ivanova).
_FEMININE_SURNAME = re.compile(r"(?:aya|ova|eva|ina)$")


def is_woman(term) -> bool:
    """Whether a person's entry or name says she is a woman: no option beside men's names."""
    text = term.description
    if _FEMININE_SURNAME.search(term.name.split()[-1]):
        return True
    return bool(_SOMEONES.search(text) or (_SHE.search(text) and not _HE.search(text)))


ERA_YEARS = 10


def _years(corpus: CorpusSnapshot, term) -> tuple[int, int] | None:
    """The span of years of the events that name a person; None when none does (an entry's
    own years are no guide: an interview of 1982 says nothing of when the man was active)."""
    years = {e.date.year for e in corpus.events if term.slug in corpus.event_terms.get(e.slug, [])}
    return (min(years), max(years)) if years else None


def same_era(corpus: CorpusSnapshot, key, other) -> bool:
    """Whether `other` was about within a decade of the key's years (undated: assumed so):
    not Lenin (1917-1924) beside the head of government of 1953-1955."""
    mine, theirs = _years(corpus, key), _years(corpus, other)
    if mine is None or theirs is None:
        return True
    return max(theirs[0] - mine[1], mine[0] - theirs[1], 0) <= ERA_YEARS
