"""The corpus as the generators see it: loaded once, in memory, in a fixed order.

Generators are pure functions of this snapshot and a seed; building it is the
only place that queries the database (a handful of queries for the whole bank).
Tests build snapshots from unsaved objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.models import GlossaryTerm, Passage, TimelineEvent, Work

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

    def source_label(self, passage: Passage) -> str:
        work = passage.source.work
        quoted = passage.quoted_work
        if quoted is not None and quoted.slug != work.slug:
            return f"{self.work_label(quoted)}, as quoted in {self.work_label(work)}"
        return self.work_label(work)


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
    return CorpusSnapshot(
        passages=in_scope,
        all_passages=all_passages,
        terms=terms,
        events=events,
        works=list(Work.objects.order_by("ordinal", "slug")),
        term_mentions=mentions,
        term_citations=citations,
        event_citations=event_citations,
        event_terms=event_terms,
    )
