"""The corpus as the generators see it: loaded once, in memory, in a fixed order.

Generators are pure functions of this snapshot and a seed; building it is the
only place that queries the database (a handful of queries for the whole bank).
Tests build snapshots from unsaved objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pycountry
from rapidfuzz import fuzz

from corpus import discovery
from corpus.models import (
    EditorialNote,
    GlossaryTerm,
    Passage,
    Proposal,
    ReferenceCitation,
    TimelineEvent,
    Work,
)
from quizzes.generation import name_kinds
from quizzes.generation.editorial_data import EditorialData, load_editorial
from quizzes.generation.sentences import normalise

# A passage of another rendering of the same work that contains a question's text this
# closely (normalised partial ratio) says the same words, so the question cites it too.
TWIN_SCORE = 92
QUOTED_SCORE = 75
NEARBY = 5  # passages either side that make a swapped name a plausible confusion

_WORK_LABELS = {
    Work.Kind.SPEECH: "Khrushchev's Secret Speech",
    Work.Kind.RESOLUTION: "the CC resolution of 30 June 1956",
    Work.Kind.ARTICLE: "the History Today article",
    Work.Kind.ENCYCLOPEDIA: "the encyclopedia article on the speech",
}
_OPTION_TITLES = {
    Work.Kind.SPEECH: "Khrushchev's Secret Speech to the 20th Congress",
    Work.Kind.RESOLUTION: "The CPSU Central Committee resolution on the cult",
    Work.Kind.ARTICLE: "A History Today magazine article about the speech",
    Work.Kind.ENCYCLOPEDIA: "An encyclopedia article about the speech",
}


@dataclass
class CorpusSnapshot:
    passages: list[Passage]  # readable, primary passages in scope, in source order
    all_passages: list[Passage] = field(default_factory=list)  # every current passage
    terms: list[GlossaryTerm] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    term_mentions: dict[str, set[str]] = field(default_factory=dict)  # slug -> passage refs
    term_citations: dict[str, list[Passage]] = field(default_factory=dict)
    event_citations: dict[str, list[Passage]] = field(default_factory=dict)
    event_terms: dict[str, list[str]] = field(default_factory=dict)
    # Names the glossary lacks, found by corpus.discovery (`add_discovered`): unsaved terms,
    # also in `terms`, so every generator asks about them as about glossary names.
    entities: list[GlossaryTerm] = field(default_factory=list)
    # What HAPPENED, cited to reference works: each event's and term's citations (with
    # their work), and the editorial notes on them, by slug. Questions resting on an entry
    # (quizzes/generation/entries.py) use only entries that cite reference works.
    event_references: dict[str, list[ReferenceCitation]] = field(default_factory=dict)
    term_references: dict[str, list[ReferenceCitation]] = field(default_factory=dict)
    event_notes: dict[str, list[EditorialNote]] = field(default_factory=dict)
    term_notes: dict[str, list[EditorialNote]] = field(default_factory=dict)
    # The lessons (quizzes.passage_groups), when the bank is balanced by lesson: a
    # chronology may order one lesson's events.
    groups: Sequence = ()
    # Every editorial note with the passages it targets, quotes or gives for a position:
    # what corrections correct (generation/corrections.py), what disputes' sides say.
    editorial: EditorialData = field(default_factory=EditorialData)

    def __post_init__(self) -> None:
        if not self.all_passages:
            self.all_passages = list(self.passages)
        if not self.works:
            seen: dict[str, Work] = {}
            for passage in self.all_passages:
                seen.setdefault(passage.source.work.slug, passage.source.work)
            self.works = sorted(seen.values(), key=lambda w: (w.ordinal, w.slug))

    def _kind_is_unique(self, work: Work) -> bool:
        return sum(1 for w in self.works if w.kind == work.kind) <= 1

    def work_label(self, work: Work) -> str:
        """How a stem names a work; a work of a new kind, or a second of a kind, by title."""
        if work.kind in _WORK_LABELS and self._kind_is_unique(work):
            return _WORK_LABELS[work.kind]
        return f"“{work.title}”"

    def work_option(self, work: Work) -> str:
        """A work as an answer option; every option is a description of a document."""
        if work.kind in _OPTION_TITLES and self._kind_is_unique(work):
            return _OPTION_TITLES[work.kind]
        return f"The document “{work.title}”"

    def normalised(self, passage: Passage) -> str:
        """The passage's text normalised (`sentences.normalise`), computed once."""
        return self._normalised.get(id(passage)) or f" {normalise(passage.text)} "

    @cached_property
    def _normalised(self) -> dict[int, str]:
        return {id(p): f" {normalise(p.text)} " for p in self.all_passages}

    def work_of(self, passage: Passage) -> Work:
        """The work whose words these are: the quoted work for a quotation of another work."""
        return passage.quoted_work or passage.source.work

    @cached_property
    def _mentions_by_work(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {}
        for term in self.terms:
            needles = {f" {normalise(s)} " for s in term.spellings if s}
            for passage in self.passages:
                text = self._normalised.get(id(passage)) or f" {normalise(passage.text)} "
                if any(n in text for n in needles):
                    counts.setdefault(term.slug, Counter())[self.work_of(passage).slug] += 1
        return counts

    def mentions_in_work(self, term: GlossaryTerm, work: Work) -> int:
        """How many readable passages of `work` name `term`: its prominence in that document."""
        return self._mentions_by_work.get(term.slug, Counter())[work.slug]

    def work_passage_count(self, work: Work) -> int:
        return sum(1 for p in self.passages if self.work_of(p).slug == work.slug)

    def nearby_text(self, passage: Passage, *, reach: int = NEARBY) -> str:
        """The text of the passages around this one in its source (not the passage itself)."""
        same = [p for p in self.all_passages if p.source.slug == passage.source.slug]
        index = next((i for i, p in enumerate(same) if p is passage), None)
        if index is None:
            return ""
        around = same[max(0, index - reach) : index] + same[index + 1 : index + 1 + reach]
        return " ".join(p.text for p in around)

    def author_of(self, passage: Passage) -> GlossaryTerm | None:
        """The glossary person whose voice the passage is (Khrushchev for the speech and for
        the encyclopedia's quotations of it), from the sources' `author`; None if unknown."""
        return self._authors.get(self.work_of(passage).slug)

    @cached_property
    def _authors(self) -> dict[str, GlossaryTerm]:
        people = {t.name: t for t in self.terms if t.kind == GlossaryTerm.Kind.PERSON}
        return {
            p.source.work.slug: people[p.source.author]
            for p in self.all_passages
            if p.source.author in people
        }

    def twins(self, passage: Passage, text: str) -> list[Passage]:
        """Readable passages of the same work in other sources that contain `text` nearly
        verbatim (the anthology repeats the Congressional Record's translation)."""
        needle = normalise(text)
        if len(needle) < 30 or passage.quoted_work is not None:
            return []
        work = passage.source.work.slug
        found = []
        for other in self.passages:
            if (
                other.source.slug == passage.source.slug
                or other.quoted_work is not None
                or other.source.work.slug != work
            ):
                continue
            hay = self._normalised.get(id(other)) or normalise(other.text)
            # partial_ratio finds the shorter text in the longer: a short passage would
            # "contain" a long question, so the twin must be at least as long.
            if len(hay) >= len(needle) and fuzz.partial_ratio(needle, hay, score_cutoff=TWIN_SCORE):
                found.append(other)
        return found

    def twins_in_work(self, passage: Passage, work: Work) -> list[Passage]:
        """Readable passages of `work`'s own renderings that overlap a quotation of it made
        elsewhere (another translation: aligned loosely, by partial ratio)."""
        needle = normalise(passage.text)
        found = []
        for other in self.passages:
            if other.quoted_work is not None or other.source.work.slug != work.slug:
                continue
            hay = self._normalised.get(id(other)) or normalise(other.text)
            short, long_ = sorted((needle, hay), key=len)
            if (
                len(short) >= 80
                and fuzz.token_set_ratio(short, long_, score_cutoff=QUOTED_SCORE)
                and fuzz.partial_ratio(short, long_, score_cutoff=QUOTED_SCORE)
            ):
                found.append(other)
        return found

    def source_label(self, passage: Passage) -> str:
        work = passage.source.work
        quoted = passage.quoted_work
        if quoted is not None and quoted.slug != work.slug:
            return f"{self.work_label(quoted)}, as quoted in {self.work_label(work)}"
        return self.work_label(work)


DISCOVERED = "discovered"
_CALLINGS = {"marshal", "general", "admiral", "colonel", "cardinal", "bishop", "archbishop"}


def is_discovered(term: GlossaryTerm) -> bool:
    return getattr(term, "discovered", False)


def _countries() -> frozenset[str]:
    """Country names (ISO 3166 and its historic list: "Yugoslavia", "USSR"), to keep a
    country among countries and a city among cities as distractors."""
    names = set(discovery.COUNTRY_LIKE)
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, "")
            if value:
                names.add(discovery.fold(value))
                names.add(discovery.fold(value.split(",")[0]))
    return frozenset(names)


def add_discovered(snapshot: CorpusSnapshot, *, rejected: frozenset[str] = frozenset()) -> None:
    """Add the people, places and organizations the readable text names and the glossary does
    not (corpus.discovery), except those a curator rejected (their slugs), as unsaved terms.

    Their role (`_role`) picks like-for-like distractors from the same document first.
    Their slug is the one an approved proposal gives the glossary term, so a
    question keeps its fingerprint when the curator approves the name."""
    texts = [
        p
        for p in snapshot.all_passages
        if p.quality == Passage.Quality.GOOD
        and p.kind in (Passage.Kind.BODY, Passage.Kind.QUOTATION)
    ]
    # A glossary name without a role (a proposal approved as found) is looked for too, so
    # it keeps the role, and the distractors, it had as a discovered name.
    known = {s: t.kind for t in snapshot.terms if t.role for s in t.spellings if s}
    taken = {t.slug for t in snapshot.terms}
    found = discovery.discover_entities(passages=[p.text for p in texts], known=known)
    countries = _countries() if found else frozenset()
    by_slug = {e.slug: e for e in found}
    for entity in found:
        if entity.slug in rejected or entity.slug in taken:
            continue
        works = Counter(snapshot.work_of(texts[i]).slug for i in entity.passages)
        work = max(works, key=lambda w: (works[w], w))
        term = GlossaryTerm(
            slug=entity.slug,
            name=entity.name,
            kind=entity.kind,
            role=_role(entity, work=work, countries=countries),
            aliases=[s for s in entity.spellings if s != entity.name],
            description="",
        )
        term.discovered = True  # an unsaved term standing for a name the glossary lacks
        snapshot.entities.append(term)
        snapshot.terms.append(term)
        snapshot.term_mentions[term.slug] = {
            f"{texts[i].source.slug}:{texts[i].key}" for i in entity.passages
        }
        taken.add(entity.slug)
    # A glossary name without a role (a proposal approved as found) keeps the distractors
    # it had as a discovered name.
    texts_by_ref = {f"{p.source.slug}:{p.key}": p for p in texts}
    for term in snapshot.terms:
        if term.role or term.kind not in discovery.NAME_KINDS or is_discovered(term):
            continue
        works = Counter(
            snapshot.work_of(texts_by_ref[ref]).slug
            for ref in snapshot.term_mentions.get(term.slug, ())
            if ref in texts_by_ref
        )
        if works:
            entity = by_slug.get(term.slug) or discovery.Entity(
                slug=term.slug, name=term.name, kind=term.kind
            )
            work = max(works, key=lambda w: (works[w], w))
            term.role = _role(entity, work=work, countries=countries or _countries())
    snapshot.__dict__.pop("_mentions_by_work", None)  # recounted with the new names
    snapshot.__dict__.pop("_authors", None)


def _role(entity: discovery.Entity, *, work: str, countries: frozenset[str]) -> str:
    """The role that picks its distractors (glossary_choice.like_terms: the same role first,
    then the role's family, the part before the first "-"). A country is among the
    glossary's countries; a person among the people named in the same document, then in
    any; any other place or an organization only among those of the same document: a
    region among cities or a party among alliances would be absurd options."""
    if entity.kind == GlossaryTerm.Kind.PLACE and name_kinds.republic_of(entity.name):
        return name_kinds.REPUBLIC_ROLE  # a Soviet republic among the others, never the USSR
    if entity.kind == GlossaryTerm.Kind.PLACE and discovery.fold(entity.name) in countries:
        return "country"
    if entity.kind == GlossaryTerm.Kind.ORGANIZATION and entity.sort == "press":
        return "press"  # Pravda among the glossary's newspapers
    if entity.kind == GlossaryTerm.Kind.PLACE and entity.sort == "region":
        return f"{DISCOVERED}.region@{work}"  # "the Urals" among regions, not cities
    if entity.kind == GlossaryTerm.Kind.PERSON:
        # A soldier or a churchman is asked among his kind: a cardinal is not a party leader.
        calling = entity.title.lower() if entity.title.lower() in _CALLINGS else ""
        # "Ernő Gerő" among full names, "Rodionov" among surnames: options formatted alike.
        form = "full" if len(entity.name.split()) > 1 else "surname"
        return f"{DISCOVERED}.person.{form}{':' + calling if calling else ''}-{work}"
    return f"{DISCOVERED}.{entity.kind}@{work}"


def load_snapshot(*, sources: list[str] | None = None) -> CorpusSnapshot:
    all_passages = list(
        Passage.objects.current()
        .select_related("source__work", "quoted_work")
        .order_by("source__work__ordinal", "source__ordinal", "source__slug", "ordinal")
    )
    in_scope = [
        p
        for p in all_passages
        if p.quality == Passage.Quality.GOOD
        and p.kind in (Passage.Kind.BODY, Passage.Kind.QUOTATION)
        and (not sources or p.source.slug in sources)
    ]
    by_id = {p.pk: p for p in all_passages}
    terms = list(GlossaryTerm.objects.order_by("slug"))
    mentions: dict[str, set[str]] = {t.slug: set() for t in terms}
    citations: dict[str, list[Passage]] = {t.slug: [] for t in terms}
    slug_of = {t.pk: t.slug for t in terms}
    for row in GlossaryTerm.mentions.through.objects.values_list("glossaryterm_id", "passage_id"):
        if row[1] in by_id:
            mentions[slug_of[row[0]]].add(f"{by_id[row[1]].source.slug}:{by_id[row[1]].key}")
    for row in GlossaryTerm.citations.through.objects.order_by("id").values_list(
        "glossaryterm_id", "passage_id"
    ):
        if row[1] in by_id:
            citations[slug_of[row[0]]].append(by_id[row[1]])
    events = list(TimelineEvent.objects.order_by("date", "slug"))
    event_slug = {e.pk: e.slug for e in events}
    event_citations: dict[str, list[Passage]] = {e.slug: [] for e in events}
    for row in TimelineEvent.citations.through.objects.order_by("id").values_list(
        "timelineevent_id", "passage_id"
    ):
        if row[1] in by_id:
            event_citations[event_slug[row[0]]].append(by_id[row[1]])
    event_terms: dict[str, list[str]] = {e.slug: [] for e in events}
    for row in TimelineEvent.terms.through.objects.order_by("id").values_list(
        "timelineevent_id", "glossaryterm_id"
    ):
        event_terms[event_slug[row[0]]].append(slug_of[row[1]])
    term_references: dict[str, list[ReferenceCitation]] = {t.slug: [] for t in terms}
    event_references: dict[str, list[ReferenceCitation]] = {e.slug: [] for e in events}
    citations_of_works = ReferenceCitation.objects.filter(
        note__isnull=True, position__isnull=True
    ).select_related("work")
    for citation in citations_of_works.order_by("ordinal", "pk"):
        if citation.term_id in slug_of:
            term_references[slug_of[citation.term_id]].append(citation)
        elif citation.event_id in event_slug:
            event_references[event_slug[citation.event_id]].append(citation)
    term_notes: dict[str, list[EditorialNote]] = {t.slug: [] for t in terms}
    event_notes: dict[str, list[EditorialNote]] = {e.slug: [] for e in events}
    notes = {n.pk: n for n in EditorialNote.objects.order_by("slug")}
    for note_id, term_id in EditorialNote.terms.through.objects.values_list(
        "editorialnote_id", "glossaryterm_id"
    ):
        term_notes[slug_of[term_id]].append(notes[note_id])
    for note_id, event_id in EditorialNote.events.through.objects.values_list(
        "editorialnote_id", "timelineevent_id"
    ):
        event_notes[event_slug[event_id]].append(notes[note_id])
    snapshot = CorpusSnapshot(
        passages=in_scope,
        all_passages=all_passages,
        terms=terms,
        events=events,
        works=list(Work.objects.order_by("ordinal", "slug")),
        term_mentions=mentions,
        term_citations=citations,
        event_citations=event_citations,
        event_terms=event_terms,
        term_references=term_references,
        event_references=event_references,
        term_notes=term_notes,
        event_notes=event_notes,
        editorial=load_editorial(passages=all_passages),
    )
    add_discovered(snapshot, rejected=rejected_names())
    return snapshot


def rejected_names() -> frozenset[str]:
    """Slugs of the names a curator rejected: not asked about (corpus.proposals)."""
    return frozenset(Proposal.objects.rejected().names().values_list("slug", flat=True))
