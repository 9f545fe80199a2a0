"""The reader: sources, passages, search, glossary, timeline and compare views.

Each view serves a full page, or only its fragment when htmx asks
(`template_name + "#fragment-id"`); every query set is built so a page runs
a fixed number of queries however long the corpus grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from corpus.align import (
    align_renderings,
    compare_wordings,
    find_testament_quote,
)
from corpus.markup import MarkedText, diff_html, mark_passage, variant_html
from corpus.models import (
    EditorialNote,
    GlossaryTerm,
    NotePassage,
    Passage,
    ReferenceCitation,
    ReferenceWork,
    Source,
    TimelineEvent,
    Work,
)
from corpus.plumbing.partials import page_or_partial
from corpus.search import search_passages

SEARCH_PAGE_SIZE = 20
FULLER_SPEECH = "speech-congressional-record"
EXCERPT_SPEECH = "speech-anthology"
TESTAMENT_SOURCES = ["speech-congressional-record", "speech-anthology", "resolution-news-booklet"]


@dataclass(frozen=True)
class ReaderPassage:
    passage: Passage
    marked: MarkedText
    page_changed: bool  # the printed page differs from the previous passage's
    notes: tuple[EditorialNote, ...] = ()  # editorial notes attached to it


def _notes_by_passage(notes) -> dict[int, list[EditorialNote]]:
    """Each passage's notes, from notes fetched with `for_display()` (no query here)."""
    found: dict[int, list[EditorialNote]] = {}
    for note in notes:
        for link in note.target_links:
            found.setdefault(link.passage_id, []).append(note)
    return found


# What the glossary and the timeline show of their entries' notes and reference works.
_ENTRY_NOTES = Prefetch("editorial_notes", queryset=EditorialNote.objects.for_display())
_ENTRY_REFERENCES = Prefetch(
    "reference_citations", queryset=ReferenceCitation.objects.select_related("work")
)


def _reader_passages(
    passages: list[Passage], *, notes: dict[int, list[EditorialNote]] | None = None
) -> list[ReaderPassage]:
    notes = notes or {}
    rows, last_page = [], None
    for passage in passages:
        is_heading = passage.kind == Passage.Kind.HEADING
        marked = mark_passage(
            text=passage.text,
            # Links in headings would make a row of underlines; the text below names them too.
            terms=[] if is_heading else passage.glossary_terms.all(),
            corrections=passage.corrections,
        )
        # Headings show no page number, so the page is announced by the passage after them.
        changed = (
            not is_heading and passage.page_start is not None and passage.page_start != last_page
        )
        if not is_heading:
            last_page = passage.page_end or passage.page_start or last_page
        rows.append(
            ReaderPassage(
                passage=passage,
                marked=marked,
                page_changed=changed,
                notes=tuple(notes.get(passage.pk, ())),
            )
        )
    return rows


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.annotate(
        current_count=Count("passages", filter=Q(passages__is_current=True)),
        flagged_count=Count(
            "passages",
            filter=Q(passages__is_current=True) & ~Q(passages__quality=Passage.Quality.GOOD),
        ),
    ).order_by("ordinal", "title")  # Meta.ordering is dropped from GROUP BY queries
    works = Work.objects.prefetch_related(Prefetch("sources", queryset=sources))
    return render(
        request,
        page_or_partial(request, "corpus/source_list.html", "source-list"),
        {
            "works": works,
            # The bibliography: reference works in author order (a few dozen rows).
            "references": sorted(ReferenceWork.objects.all(), key=lambda w: w.sort_key),
        },
    )


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("work"), slug=slug)
    passages = list(source.passages.prefetch_related("glossary_terms").order_by("ordinal", "pk"))
    notes = _notes_by_passage(
        EditorialNote.objects.filter(
            passage_links__role=NotePassage.Role.TARGET, passage_links__passage__source=source
        )
        .distinct()
        .for_display()
    )
    current = [p for p in passages if p.is_current]
    return render(
        request,
        page_or_partial(request, "corpus/source_detail.html", "source-text"),
        {
            "source": source,
            "passages": _reader_passages(current, notes=notes),
            "retired": _reader_passages([p for p in passages if not p.is_current], notes=notes),
            "headings": [p for p in current if p.kind == Passage.Kind.HEADING],
            "flagged_count": sum(1 for p in current if p.quality != Passage.Quality.GOOD),
        },
    )


@require_GET
def passage_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """One passage on its own: the permalink that still resolves after a passage is retired."""
    passage = get_object_or_404(
        Passage.objects.select_related("source__work").prefetch_related("glossary_terms"),
        source__slug=slug,
        key=key,
    )
    notes = _notes_by_passage(EditorialNote.objects.on_passages([passage.pk]).for_display())
    return render(
        request,
        page_or_partial(request, "corpus/passage_detail.html", "passage-card"),
        {"passage": passage, "row": _reader_passages([passage], notes=notes)[0]},
    )


def _page_number(raw: str | None) -> tuple[int, bool]:
    """The requested page (1 if missing or not a number), and whether the input was bad."""
    if raw is None or raw == "":
        return 1, False
    try:
        page = int(raw)
    except ValueError:
        return 1, True
    if page < 1:
        return 1, True
    return min(page, 10_000), False


@require_GET
def corpus_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page, bad_page = _page_number(request.GET.get("page"))
    results = search_passages(
        query=query, limit=SEARCH_PAGE_SIZE, offset=(page - 1) * SEARCH_PAGE_SIZE
    )
    return render(
        request,
        page_or_partial(request, "corpus/search.html", "search-results"),
        {
            "query": results.query,
            "results": results,
            "bad_page": bad_page,
            "past_end": bool(results.terms) and not results.hits and results.total > 0,
            "examples": ["testament", "Kirov", "Beria", "cult of the individual", "Tito"],
        },
    )


@require_GET
def glossary_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kinds = dict(GlossaryTerm.Kind.choices)
    terms = (
        GlossaryTerm.objects.annotate(
            mention_count=Count("mentions", filter=Q(mentions__is_current=True), distinct=True)
        )
        .order_by("name")  # Meta.ordering is dropped from GROUP BY queries
        .prefetch_related(
            Prefetch("citations", queryset=Passage.objects.select_related("source")),
            _ENTRY_REFERENCES,
            _ENTRY_NOTES,
        )
    )
    if kind in kinds:
        terms = terms.filter(kind=kind)
    groups = {}
    for term in terms:
        groups.setdefault(term.kind, []).append(term)
    return render(
        request,
        page_or_partial(request, "corpus/glossary_list.html", "glossary-terms"),
        {
            "groups": [(kinds[k], k, groups[k]) for k in kinds if k in groups],
            "kinds": GlossaryTerm.Kind.choices,
            "kind": kind if kind in kinds else "",
            "unknown_kind": kind if kind and kind not in kinds else "",
        },
    )


@require_GET
def glossary_detail(request: HttpRequest, slug: str) -> HttpResponse:
    terms = GlossaryTerm.objects.annotate(
        mention_count=Count("mentions", filter=Q(mentions__is_current=True), distinct=True)
    ).prefetch_related(
        Prefetch("citations", queryset=Passage.objects.select_related("source")),
        _ENTRY_REFERENCES,
    )
    if request.htmx:
        # The popover names the notes (a link to them); the full page shows them.
        terms = terms.prefetch_related("editorial_notes")
    else:
        # The full page lists every mention; the popover only counts them.
        terms = terms.prefetch_related(
            _ENTRY_NOTES,
            Prefetch(
                "mentions",
                queryset=Passage.objects.current().select_related("source"),
                to_attr="current_mentions",
            ),
        )
    term = get_object_or_404(terms, slug=slug)
    return render(
        request,
        page_or_partial(request, "corpus/glossary_detail.html", "term-card"),
        {"term": term},
    )


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    events = TimelineEvent.objects.prefetch_related(
        Prefetch("citations", queryset=Passage.objects.select_related("source")),
        "terms",
        _ENTRY_REFERENCES,
        _ENTRY_NOTES,
    )
    return render(
        request,
        page_or_partial(request, "corpus/timeline.html", "timeline-events"),
        {"events": events},
    )


@require_GET
def compare_renderings(request: HttpRequest) -> HttpResponse:
    """The anthology excerpt (001) beside the Congressional Record text (000), word by word."""
    sources = Source.objects.select_related("work").in_bulk(
        [FULLER_SPEECH, EXCERPT_SPEECH], field_name="slug"
    )
    passages = list(
        Passage.objects.current()
        .filter(
            source__slug__in=[FULLER_SPEECH, EXCERPT_SPEECH],
            kind__in=[Passage.Kind.BODY, Passage.Kind.QUOTATION, Passage.Kind.STAGE_DIRECTION],
        )
        .select_related("source")
        .order_by("ordinal", "pk")
    )
    alignment, rows = None, []
    if len(sources) == 2:
        alignment = align_renderings(
            fuller=[p for p in passages if p.source_id == sources[FULLER_SPEECH].pk],
            excerpt=[p for p in passages if p.source_id == sources[EXCERPT_SPEECH].pk],
        )
        rows = [
            (
                row,
                diff_html(segments=row.segments, side="left"),
                diff_html(segments=row.segments, side="right"),
            )
            for row in alignment.rows
        ]
    return render(
        request,
        page_or_partial(request, "corpus/compare.html", "alignment"),
        {
            "fuller": sources.get(FULLER_SPEECH),
            "excerpt": sources.get(EXCERPT_SPEECH),
            "alignment": alignment,
            "rows": rows,
        },
    )


@require_GET
def compare_testament(request: HttpRequest) -> HttpResponse:
    """Lenin's "Stalin is excessively rude" as the three sources word it, side by side."""
    sources = Source.objects.select_related("work").in_bulk(TESTAMENT_SOURCES, field_name="slug")
    candidates = list(
        Passage.objects.current()
        .filter(source__slug__in=TESTAMENT_SOURCES)
        .filter(Q(text__icontains="excessively rude") | Q(text__icontains="too rude"))
        .select_related("source")
        .order_by("ordinal", "pk")
    )
    found = []
    for slug in TESTAMENT_SOURCES:
        source = sources.get(slug)
        quote = source and find_testament_quote(
            passages=[p for p in candidates if p.source_id == source.pk]
        )
        found.append((slug, source, quote))
    quotes = [(source, quote) for _, source, quote in found if quote]
    comparison = compare_wordings(texts=[quote.text for _, quote in quotes]) if quotes else None
    return render(
        request,
        page_or_partial(request, "corpus/compare_testament.html", "testament"),
        {
            "wordings": [
                (source, quote, variant_html(pieces=pieces))
                for (source, quote), pieces in zip(quotes, comparison.pieces, strict=True)
            ]
            if comparison
            else [],
            "differences": [
                (quotes[d.first][0], quotes[d.second][0], d.segments)
                for d in comparison.differences
            ]
            if comparison
            else [],
            "missing": [slug for slug, _, quote in found if not quote],
        },
    )
