"""Questions never teach a source's error (issue 13): one rule for every generator.

A correction note says that a source is wrong (its `claim`), what is right (`correct`), on
the authority of a reference work, and targets the words of the passage that err. Before
the gates, `EditorialRule.mark` finds the corrections a candidate meets and links their
notes to it (`Candidate.notes`: the feedback shows them once the student has answered);
the gate `claim_problem` then applies the rule:

* **The corrected words.** A question whose tested text (its stem, and the sentence it is
  built on) holds the words a correction targets asks about the source's claim: its stem
  must say whose claim it is ("According to the encyclopedia article …", "… this sentence
  from Khrushchev's Secret Speech"), or the question asks whose words they are (which
  document, who said it). A true/false statement holding them is never keyed True, and a
  false one never swaps a fact inside them: its key would rest on the corrected detail.
* **The corrected detail.** A date, figure or name the claim gives and the correction does
  not (`Correction.claim_details`: 31 January 1955 for the Pospelov Commission, the CIA for
  the leak, 1948 for the Short Biography) is never the key of a question but one that asks
  whose claim it is or what a source gives beside the record (a cloze "from Khrushchev's
  Secret Speech" keyed 1948 still teaches the wrong year), nor a date or figure in the stem
  of a question that does not say whose claim it is; a true/false statement stating
  it is never keyed True, and one stating the correction's own detail is never keyed
  False. Checked against the corrections on the question's passages, events and glossary
  terms (for a passage, only the key: its other sentences may name the same body).
* **Other names.** The other names of a key (its aliases, and terms the glossary declares
  the same thing, `same_as`) are recorded (`Candidate.other_names`), so that the gate
  `no_alias_distractor` never lets one stand as a wrong answer.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from corpus.models import EditorialNote, GlossaryTerm, NotePassage, Passage
from quizzes.generation.candidates import Candidate
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.other_names import OtherNames
from quizzes.generation.sentences import normalise

_CLAIM = re.compile(r"^\s*According to (?P<who>[^,]+),\s*(?P<rest>.+)$", re.S)
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_M = "|".join(_MONTHS)
_YEAR = r"(1[89]\d\d|20[0-2]\d)"
_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\s+(?P<m1>{_M}),?\s+(?P<y1>{_YEAR})\b"
    rf"|\b(?P<m2>{_M})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>{_YEAR})\b"
    rf"|\b(?P<m3>{_M}),?\s+(?P<y3>{_YEAR})\b"
    rf"|(?<![\d,.])(?P<y4>{_YEAR})(?![\d,])",
    re.I,
)
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{2,})(?![\w,]|\.\d)")
# Types whose question is whose words or claim these are: attributing by construction.
ATTRIBUTING_TYPES = frozenset(
    {"source_attribution", "quote_attribution", "claim_source", "disagreement"}
)
# Types whose `Candidate.quote` is the sentence the question is built on (the others
# quote a whole passage, or an entry, there: their stem holds what they ask about).
_SENTENCE_TYPES = frozenset(
    {"cloze_quantity", "cloze_date", "cloze_name", "true_false", "compare_renderings"}
)
# Kinds of options that can be names (and so other names of the key).
_NAME_KINDS = frozenset({"person", "organization", "place", "speaker", "term", "name"})
_SHORT_NAMES = {
    "speech": ("the speech", "Khrushchev's Secret Speech"),
    "resolution": ("the resolution", "the CC resolution"),
    "article": ("History Today",),
    "encyclopedia": ("the encyclopedia",),
}

Detail = tuple


@dataclass(frozen=True)
class Correction:
    note: EditorialNote
    passage: Passage | None  # the passage whose words err; None for a note on an entry
    quote: str  # those words ("" for a note on an entry)
    names: tuple[str, ...]  # how a stem may say whose claim it is
    claim_all: frozenset  # every date, figure and name the claim gives
    correct_all: frozenset  # and `correct`
    claim_details: frozenset  # what the claim gives in place of the correction's detail
    correct_details: frozenset  # and the correction's detail

    def states_claim(self, said: set[Detail]) -> bool:
        """Whether `said` gives the claim's detail (and not the correction's)."""
        return _states(said, self.claim_details, against=self.correct_all)

    def states_correction(self, said: set[Detail]) -> bool:
        return _states(said, self.correct_details, against=self.claim_all)


@dataclass(frozen=True)
class Hit:
    """A correction a candidate meets: by its words ("words"), by stating the claim's
    detail ("claim") or by stating the correction's own detail ("correct")."""

    correction: Correction
    how: str
    span: tuple[int, int] | None = None  # the corrected words in `Candidate.quote`


def claim_parts(claim: str) -> tuple[str, str]:
    """("the encyclopedia article", "the CIA leaked the speech …") from "According to the
    encyclopedia article, the CIA leaked the speech …"; ("", claim) without the prefix."""
    m = _CLAIM.match(claim)
    return (m.group("who").strip(), m.group("rest").strip()) if m else ("", claim.strip())


def dates_in(text: str) -> set[Detail]:
    """("date", y, m, d), ("date", y, m) or ("date", y) for every date in the text."""
    found: set[Detail] = set()
    for m in _DATE.finditer(text):
        if m.group("y1") or m.group("y2"):
            day, month, year = (
                (m.group("d1"), m.group("m1"), m.group("y1"))
                if m.group("y1")
                else (m.group("d2"), m.group("m2"), m.group("y2"))
            )
            try:
                datetime.date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
            except ValueError:
                continue
            found.add(("date", int(year), _MONTHS.index(month.lower()) + 1, int(day)))
        elif m.group("y3"):
            found.add(("date", int(m.group("y3")), _MONTHS.index(m.group("m3").lower()) + 1))
        else:
            found.add(("date", int(m.group("y4"))))
    return found


def figures_in(text: str) -> set[Detail]:
    """("figure", n) for counts of two digits or more that are not years or days."""
    spans = [m.span() for m in _DATE.finditer(text)]
    return {
        ("figure", int(m.group(1).replace(",", "")))
        for m in _FIGURE.finditer(text)
        if not any(a <= m.start() < b for a, b in spans)
    }


def month_name(month: int) -> str:
    return _MONTHS[month - 1].title()


def detail_spans(text: str) -> list[tuple[int, int, Detail]]:
    """(start, end, detail) of every date and figure of the text."""
    found = []
    for pattern in (_DATE, _FIGURE):
        for m in pattern.finditer(text):
            for detail in dates_in(m.group(0)) | figures_in(m.group(0)):
                found.append((m.start(), m.end(), detail))
    return found


def details_in(text: str, names: OtherNames) -> set[Detail]:
    """The dates, figures and named people, bodies and places (("name", kind, slug): the
    Politburo is not the Presidium here, though it is the same body) a text gives."""
    return (
        dates_in(text)
        | figures_in(text)
        | {("name", kind, slug) for slug, kind in names.terms_in(text).items()}
    )


def _kind(detail: Detail) -> tuple:
    return detail[:2] if detail[0] == "name" else detail[:1]


def _body(detail: Detail) -> bool:
    """Dates, figures, bodies and places: a person the claim names and the correction does
    not ("Stalin's violations" against "Khrushchev had approved arrests") is its subject,
    not a detail swapped for another."""
    return detail[0] != "name" or detail[1] != GlossaryTerm.Kind.PERSON


def corrected(said: frozenset, right: frozenset) -> frozenset:
    """The details of `said` that `right` gives another of the same kind for: the date of
    the claim where the correction gives a date, the body it names where the correction
    names another body (the CIA for the State Department). A name the claim gives in
    passing ("Stalin's Short Biography") is no detail of its error."""
    said_only = {d for d in said if not any(_compatible(d, e) for e in right) and _body(d)}
    right_only = {d for d in right if not any(_compatible(d, e) for e in said) and _body(d)}
    kinds = {_kind(d) for d in right_only}
    return frozenset(d for d in said_only if _kind(d) in kinds)


def _compatible(a: Detail, b: Detail) -> bool:
    """A date and a finer or coarser one of the same time (June 1956 and 4 June 1956)."""
    if a[0] != "date" or b[0] != "date":
        return a == b
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def _states(said: set[Detail], details: frozenset, *, against: frozenset) -> bool:
    """A detail of `said` is one of `details` (or a coarser or finer form of it) and of
    none of `against`: "31 January 1955" states the encyclopedia's date; "1955" does not,
    since the right date is in 1955 too."""
    return any(
        any(_compatible(s, d) for d in details) and not any(_compatible(s, e) for e in against)
        for s in said
    )


def words_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quoted words stand in `text` (case, quotes, dashes and spacing ignored)."""
    words = re.findall(r"\w+", quote)
    if not words:
        return None
    pattern = r"\W+".join(re.escape(w) for w in words)
    m = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.I)
    return m.span() if m else None


def _touches(text: str, quote: str) -> bool:
    needle = normalise(quote)
    return bool(needle) and f" {needle} " in f" {normalise(text)} "


@dataclass
class EditorialRule:
    """The corrections of a snapshot, by passage, event and glossary term, and the other
    names of its terms. Built once per bank."""

    corpus: CorpusSnapshot
    names: OtherNames = field(init=False)
    _by_passage: dict[int, list[Correction]] = field(init=False, default_factory=dict)
    _by_event: dict[str, list[Correction]] = field(init=False, default_factory=dict)
    _by_term: dict[str, list[Correction]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.names = OtherNames(self.corpus.terms)
        editorial = self.corpus.editorial
        targets: dict[str, list] = {}
        for link in editorial.links:
            if link.role == NotePassage.Role.TARGET:
                targets.setdefault(link.note.slug, []).append(link)
        made: dict[str, Correction] = {}
        for note in editorial.notes:
            if note.kind != EditorialNote.Kind.CORRECTION or not note.claim:
                continue
            links = targets.get(note.slug, [])
            labels = self._labels(note, [link.passage for link in links])
            details = self._details(note)
            for link in links:
                self._by_passage.setdefault(id(link.passage), []).append(
                    Correction(note, link.passage, link.quote, labels, *details)
                )
            made[note.slug] = Correction(note, None, "", labels, *details)
        for mapping, notes_of in (
            (self._by_event, self.corpus.event_notes),
            (self._by_term, self.corpus.term_notes),
        ):
            for slug, notes in notes_of.items():
                found = [made[n.slug] for n in notes if n.slug in made]
                if found:
                    mapping[slug] = found

    def _labels(self, note: EditorialNote, passages: list[Passage]) -> tuple[str, ...]:
        who, _ = claim_parts(note.claim)
        labels = [who] if who else []
        for passage in passages:
            for work in (passage.source.work, self.corpus.work_of(passage)):
                labels.append(self.corpus.work_label(work))
                labels += _SHORT_NAMES.get(work.kind, ())
        return tuple(dict.fromkeys(label for label in labels if label))

    def _details(self, note: EditorialNote) -> tuple[frozenset, ...]:
        _, claim = claim_parts(note.claim)
        said = frozenset(details_in(claim, self.names))
        right = frozenset(details_in(note.correct, self.names))
        return said, right, corrected(said, right), corrected(right, said)

    def corrections_on(self, passage: Passage) -> list[Correction]:
        return self._by_passage.get(id(passage), [])

    def mark(self, c: Candidate) -> None:
        """Record the corrections `c` meets, link their notes, and the key's other names."""
        hits: list[Hit] = []
        related: list[Correction] = []
        tested = f"{c.stem} {c.excerpt}"
        if c.type in _SENTENCE_TYPES and c.passage is not None:
            tested += f" {c.quote}"
        on_passages: list[Correction] = []
        for passage in c.cited:
            for correction in self.corrections_on(passage):
                on_passages.append(correction)
                if _touches(tested, correction.quote):
                    hits.append(Hit(correction, "words", words_span(c.quote, correction.quote)))
        for event in c.events:
            related += self._by_event.get(event.slug, [])
        for term in c.terms:
            related += self._by_term.get(term.slug, [])
        # What a question resting on an entry states, and the key of one citing a corrected
        # passage: a passage's other sentences may name what its claim names (the CIA's
        # Angleton beside the CIA's supposed leak) without stating it. A statement states
        # all it names; any other question its key, and the dates and figures of its stem
        # (a body its stem names in passing, "the CIA had a copy", is not the claim).
        # An ordering's key is its events' order, no detail.
        if c.option_kind == "boolean":
            said_by_entry = details_in(c.stem, self.names)
        else:
            said_by_entry = (
                details_in(" ".join(c.answer_texts), self.names)
                | dates_in(c.stem)
                | figures_in(c.stem)
            )
        checks = [(said_by_entry, r) for r in related]
        if c.option_kind != "boolean":
            key = details_in(" ".join(c.answer_texts), self.names)
            checks += [(key, r) for r in on_passages]
        for said, correction in checks if c.option_kind != "event" else []:
            if correction.states_claim(said):
                hits.append(Hit(correction, "claim"))
            elif correction.states_correction(said):
                hits.append(Hit(correction, "correct"))
        if c.option_kind not in ("boolean", "event"):
            key = details_in(" ".join(c.answer_texts), self.names)
            for correction in {id(r): r for r in [*related, *on_passages]}.values():
                if correction.states_claim(key):
                    hits.append(Hit(correction, "key"))
        c.corrections = hits
        have = {id(n) for n in c.notes}
        for hit in hits:
            if id(hit.correction.note) not in have:
                c.notes.append(hit.correction.note)
                have.add(id(hit.correction.note))
        if c.option_kind in _NAME_KINDS and len(c.answer_texts) == 1:
            key = c.answer_texts[0]
            c.other_names = [n for n in self.names.of(key) if normalise(n) != normalise(key)]


def names_the_source(stem: str, correction: Correction) -> bool:
    hay = f" {normalise(stem)} "
    return any(f" {normalise(label)} " in hay for label in correction.names)


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is None or b is None or (a[0] < b[1] and b[0] < a[1])


def claim_problem(c: Candidate) -> str | None:
    """The gate: why the candidate would teach a corrected claim as fact, or None."""
    for hit in c.corrections:
        attributed = c.type in ATTRIBUTING_TYPES or names_the_source(c.stem, hit.correction)
        if c.option_kind == "boolean":
            true = c.answer == ["true"]
            if hit.how == "words" and true:
                return "true statement of a claim a correction note contradicts"
            if hit.how == "words" and _overlaps(hit.span, c.highlight):
                return "false statement keyed on the detail a correction note corrects"
            if hit.how == "claim" and true:
                return "true statement of a claim a correction note contradicts"
            if hit.how == "correct" and not true:
                return "false statement keyed on the detail a correction note corrects"
        elif hit.how in ("words", "claim") and not attributed:
            return "corrected claim not attributed to its source"
        elif hit.how == "key" and c.type not in ATTRIBUTING_TYPES:
            # "… his Short Biography, which was published in _____" keyed 1948: whose
            # sentence it is does not tell the student the year is wrong. The disagreement
            # question asks it so ("Which year does the speech give?").
            return "the key is the detail a correction note corrects"
    return None
