"""Lesson Markdown → sanitised HTML, and the lesson page assembled from it.

Two steps, so a page always quotes the corpus as it is *now*:

1. `render_section_body` (when a module is loaded or a curator saves a section)
   finds the directives, resolves each citation and excerpt to a passage with
   corpus.citations.find_passage and checks each `[[term]]` names a glossary entry,
   renders the Markdown, sanitises it with nh3 and stores HTML in which each
   citation and excerpt is a placeholder (`@@note-3@@`, `@@excerpt-0@@`) and each
   `[[term]]` a mark (corpus.markup.term_mark). The stored HTML has no glossary link.
2. `assemble_module` (on every view) replaces the placeholders: citations
   become numbered links to the passage permalink (or, for `[^ref:work: "p. 12"]`,
   to the reference work in the bibliography), numbered across the whole module;
   excerpts become the passage's current text. Glossary links are put in from the
   glossary as it is now (corpus.markup.link_terms), so a curator's new, renamed or
   deleted term shows without reloading the lessons. Editorial notes (corpus) aimed at
   a sentence of the lesson are placed after the block that holds the sentence,
   and notes on an excerpted passage under the excerpt: both are read from the
   database on each view, since curators edit them in the app.

Curators' Markdown is untrusted: raw HTML in it is escaped or removed by nh3,
and everything we add around it is built with format_html from escaped values.
"""

from __future__ import annotations

import html as html_module
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from corpus.citations import Citation, CitationError, CitationIndex, normalise_for_match
from corpus.markup import MarkedText, link_terms, mark_passage, term_mark, terms_by_key
from corpus.models import EditorialNote, GlossaryTerm, Passage, ReferenceWork

# The only markup a lesson body may produce. Headings start at h3: the page
# gives the module h1 and each section h2, so the outline stays ordered.
ALLOWED_TAGS = {
    "p", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "code",
    "br", "hr", "abbr", "sup", "sub", "q", "cite", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}

CITATION = re.compile(r"\[\^(?P<source>[a-z0-9][a-z0-9-]*):\s*[\"“](?P<quote>[^\"”\n]+)[\"”]\s*\]")
# A reference work at a locator: [^ref:taubman-2003: "pp. 270–289"].
# Between straight quotes a locator may hold curly ones: [^ref:w: "section “Secret speech”"].
REF_CITATION = re.compile(
    r"\[\^ref:(?P<work>[a-z0-9][a-z0-9-]*):\s*"
    r"(?:\"(?P<at>[^\"\n]+)\"|“(?P<curly>[^”\n]+)”)\s*\]"
)
EXCERPT_LINE = re.compile(r"^[ \t]*\{\{\s*excerpt\b(?P<args>[^\n]*?)\}\}[ \t]*$", re.MULTILINE)
TERM = re.compile(r"\[\[(?P<text>[^\[\]|\n]+?)(?:\|(?P<key>[^\[\]|\n]+?))?\]\]")
PLACEHOLDER = re.compile(r"@@(?P<kind>note|excerpt|term|ref)-(?P<index>\d+)@@")
EXCERPT_BLOCK = re.compile(r"<p>\s*@@excerpt-(?P<index>\d+)@@\s*</p>")


class LessonContentError(ValueError):
    """A lesson body that cannot be rendered: the message is one readable line."""


@dataclass(frozen=True)
class Ref:
    """A citation (`note`), an excerpt or a reference work citation (`ref`) found in a
    body, before or after resolving. For a `ref`, `source` is the work's slug and
    `quote` the locator."""

    kind: str  # "note", "excerpt" or "ref", as Citation.Kind
    index: int
    source: str
    quote: str
    passage: Passage | None = None
    work: ReferenceWork | None = None


@dataclass(frozen=True)
class TermRef:
    index: int
    text: str
    key: str


@dataclass(frozen=True)
class ParsedBody:
    markdown: str  # the body with every directive replaced by a placeholder
    refs: tuple[Ref, ...]
    terms: tuple[TermRef, ...]


@dataclass(frozen=True)
class RenderedBody:
    html: str
    refs: tuple[Ref, ...]


def parse_body(*, body: str) -> ParsedBody:
    """Find the directives in a section body (no database access)."""
    refs: list[Ref] = []
    terms: list[TermRef] = []

    def excerpt(match: re.Match) -> str:
        args = _excerpt_args(match.group("args"))
        index = sum(1 for r in refs if r.kind == "excerpt")
        refs.append(Ref("excerpt", index, args["source"], args["quote"]))
        # Blank lines around it make the placeholder a paragraph of its own.
        return f"\n\n@@excerpt-{index}@@\n\n"

    def note(match: re.Match) -> str:
        index = sum(1 for r in refs if r.kind == "note")
        refs.append(Ref("note", index, match.group("source"), match.group("quote").strip()))
        return f"@@note-{index}@@"

    def reference(match: re.Match) -> str:
        index = sum(1 for r in refs if r.kind == "ref")
        at = match.group("at") or match.group("curly")
        refs.append(Ref("ref", index, match.group("work"), " ".join(at.split())))
        return f"@@ref-{index}@@"

    def term(match: re.Match) -> str:
        text = match.group("text").strip()
        terms.append(TermRef(len(terms), text, (match.group("key") or text).strip()))
        return f"@@term-{len(terms) - 1}@@"

    text = EXCERPT_LINE.sub(excerpt, body)
    if re.search(r"\{\{\s*excerpt", text):
        raise LessonContentError(
            "an excerpt directive must stand alone on its line: "
            '{{ excerpt source="source-slug" quote="..." }}'
        )
    text = REF_CITATION.sub(reference, text)
    text = CITATION.sub(note, text)
    if "[^" in text:
        line = text[text.index("[^") :].split("\n", 1)[0][:60]
        raise LessonContentError(
            'malformed citation (write [^source-slug: "exact quote"] or '
            f'[^ref:work-slug: "p. 12"]): {line}'
        )
    text = TERM.sub(term, text)
    return ParsedBody(markdown=text, refs=tuple(refs), terms=tuple(terms))


def _excerpt_args(raw: str) -> dict[str, str]:
    try:
        pairs = [part.split("=", 1) for part in shlex.split(raw)]
    except ValueError as error:
        raise LessonContentError(f"unreadable excerpt directive ({error}): {raw.strip()}") from None
    args = {pair[0]: pair[1] for pair in pairs if len(pair) == 2}
    if set(args) != {"source", "quote"} or len(args) != len(pairs):
        raise LessonContentError(
            f'an excerpt needs source="..." and quote="..." and nothing else: {raw.strip()}'
        )
    return args


def resolve_refs(*, refs: Sequence[Ref]) -> tuple[Ref, ...]:
    """Each ref with its passage or work; LessonContentError names the first that fails."""
    index = CitationIndex.for_sources(ref.source for ref in refs if ref.kind != "ref")
    slugs = {ref.source for ref in refs if ref.kind == "ref"}
    works = ReferenceWork.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    resolved = []
    for ref in refs:
        if ref.kind == "ref":
            if ref.source not in works:
                raise LessonContentError(
                    f'reference [ref:{ref.source}: "{ref.quote}"]: no reference work '
                    f"{ref.source!r} (the works are in corpus/data/references/*.toml)"
                )
            resolved.append(Ref(ref.kind, ref.index, ref.source, ref.quote, work=works[ref.source]))
            continue
        try:
            passage = index.find(Citation(source=ref.source, quote=ref.quote))
        except CitationError as error:
            what = "excerpt" if ref.kind == "excerpt" else "citation"
            raise LessonContentError(
                f'{what} [{ref.source}: "{ref.quote}"] does not resolve: '
                + " ".join(str(error).split())
            ) from None
        resolved.append(Ref(ref.kind, ref.index, ref.source, ref.quote, passage))
    return tuple(resolved)


def resolve_terms(
    *, terms: Sequence[TermRef], glossary: Iterable[GlossaryTerm] | None = None
) -> list[GlossaryTerm]:
    """The glossary entry for each `[[term]]`, matched by slug, name or spelling variant
    (as link_terms matches the mark when the page is shown)."""
    if not terms:
        return []
    by_key = terms_by_key(GlossaryTerm.objects.all() if glossary is None else glossary)
    found = []
    for term in terms:
        entry = by_key.get(term.key.lower())
        if entry is None:
            raise LessonContentError(f"glossary term [[{term.key}]] is not in the glossary")
        found.append(entry)
    return found


def render_markdown(*, text: str) -> str:
    """Markdown → HTML with only ALLOWED_TAGS; raw HTML in the input never survives."""
    html = markdown.markdown(text, extensions=["smarty", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_section_body(
    *, body: str, glossary: Iterable[GlossaryTerm] | None = None
) -> RenderedBody:
    """A body's stored HTML and resolved refs; LessonContentError if anything fails.

    A `[[...]]` must name a glossary term now (an author's typo is an error), but is
    stored as a mark, not a link: assemble_module links it, and the first mention of
    every other term, from the glossary as it is when the page is shown.
    """
    parsed = parse_body(body=body)
    refs = resolve_refs(refs=parsed.refs)
    resolve_terms(terms=parsed.terms, glossary=glossary)
    html = render_markdown(text=parsed.markdown)
    placed = {(m.group("kind"), int(m.group("index"))) for m in PLACEHOLDER.finditer(html)}
    for ref in refs:
        if (ref.kind, ref.index) not in placed:
            raise LessonContentError(
                f'[{ref.source}: "{ref.quote}"] sits where Markdown drops it (in code or a link?)'
            )
    blocks = {int(m.group("index")) for m in EXCERPT_BLOCK.finditer(html)}
    for ref in refs:
        if ref.kind == "excerpt" and ref.index not in blocks:
            raise LessonContentError(
                f'excerpt [{ref.source}: "{ref.quote}"] cannot sit inside a list or a quotation'
            )

    def marked_term(match: re.Match) -> str:
        if match.group("kind") != "term":
            return match.group()
        index = int(match.group("index"))
        if index >= len(parsed.terms):
            return ""  # a placeholder typed by hand, not one of ours
        return term_mark(key=parsed.terms[index].key, text=parsed.terms[index].text)

    return RenderedBody(html=PLACEHOLDER.sub(marked_term, html), refs=refs)


def glossary_for_links() -> list[GlossaryTerm]:
    """The glossary as linking needs it (slug, name, aliases), in one query."""
    return list(GlossaryTerm.objects.only("slug", "name", "aliases"))


def linked_terms(*, html: str, glossary: Sequence[GlossaryTerm]) -> set[str]:
    """The slugs of the glossary terms a section's page links (as assemble_module links
    them): what lessons counts as the terms a section teaches."""
    seen: set[str] = set()
    # Citations are links on the page (never linked inside); a space keeps words apart.
    link_terms(html=PLACEHOLDER.sub(" ", html), terms=glossary, seen=seen)
    return seen


_TAG = re.compile(r"(<[^>]*>)")


# --- editorial notes on lesson sentences -------------------------------------------
#
# A note names a lesson sentence by quoting it as the author wrote it in the Markdown
# (directives left out). It is placed after the top-level block (paragraph, list,
# quotation) of the rendered section whose text contains the quotation: the rendered
# text is the Markdown's without its markup, and both sides are compared as
# corpus.citations compares quotations (case, whitespace, quote marks and dashes aside).

_BLOCK_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "wbr"}
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*\)")
_EMPHASIS = re.compile(r"[*_`]")


def split_blocks(html: str) -> list[str]:
    """Sanitised HTML cut into its top-level elements (paragraphs, lists, headings...).

    Joining the blocks with "\n" gives the HTML back, whitespace between blocks aside.
    HTML that does not balance (never ours: nh3 closes every tag) is one block.
    """
    blocks, depth, start = [], 0, 0
    for match in _BLOCK_TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            if depth == 0:
                blocks.append(html[start : match.end()].strip())
                start = match.end()
            continue
        depth += -1 if closing else 1
        if depth < 0:
            return [html.strip()] if html.strip() else []
        if depth == 0:
            blocks.append(html[start : match.end()].strip())
            start = match.end()
    if depth != 0:
        return [html.strip()] if html.strip() else []
    if html[start:].strip():
        blocks.append(html[start:].strip())
    return [block for block in blocks if block]


def _block_text(block: str) -> str:
    text = html_module.unescape(_TAG.sub("", PLACEHOLDER.sub("", block)))
    return normalise_for_match(_EMPHASIS.sub("", text))


def sentence_text(quote: str) -> str:
    """A lesson sentence as a note quotes it, in the form compared with the page's text:
    citations dropped, `[[shown|term]]` and `[text](url)` reduced to their text."""
    text = REF_CITATION.sub("", CITATION.sub("", quote))
    text = TERM.sub(lambda m: m.group("text"), text)
    text = _MARKDOWN_LINK.sub(lambda m: m.group(1), text)
    return normalise_for_match(_EMPHASIS.sub("", text))


def find_sentence(
    *, quote: str, sections: Sequence[tuple[object, Sequence[str]]]
) -> list[tuple[object, int]]:
    """Every (section key, block index) whose block contains the sentence; `sections`
    gives each section's key and its blocks (split_blocks)."""
    needle = sentence_text(quote)
    if not needle:
        return []
    return [
        (key, n)
        for key, blocks in sections
        for n, block in enumerate(blocks)
        if not EXCERPT_BLOCK.fullmatch(block) and needle in _block_text(block)
    ]


def sentence_problem(*, note: str, lesson: str, quote: str, found: int) -> str:
    """Why a note's lesson sentence cannot be placed ("" when it is found once)."""
    if found == 1:
        return ""
    if found == 0:
        return f"note {note!r}: lesson {lesson!r} has no sentence {quote!r}"
    return (
        f"note {note!r}: {found} paragraphs of lesson {lesson!r} contain {quote!r}; "
        "quote more words to single one out"
    )


# --- the page -----------------------------------------------------------------


@dataclass
class Note:
    """One numbered entry of "Sources cited": a passage with the quotations cited from
    it, or a reference work with the locators cited in it."""

    number: int
    passage: Passage | None = None
    work: ReferenceWork | None = None
    quotes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Excerpt:
    passage: Passage
    marked: MarkedText
    editorial: tuple[EditorialNote, ...] = ()  # notes on the passage


@dataclass(frozen=True)
class NoteBlock:
    """Editorial notes placed after the block holding the sentence they are about."""

    editorial: tuple[EditorialNote, ...]


@dataclass(frozen=True)
class SectionPage:
    section: object  # lessons.models.Section
    parts: tuple[SafeString | Excerpt | NoteBlock, ...]


@dataclass(frozen=True)
class ModulePage:
    sections: tuple[SectionPage, ...]
    notes: tuple[Note, ...]
    # Notes on a lesson sentence that is no longer in the lesson (its text was edited
    # since): shown at the end rather than lost.
    unplaced: tuple[EditorialNote, ...] = ()


def assemble_module(
    *,
    sections: Sequence,
    editorial: Sequence[EditorialNote] = (),
    lesson: str = "",
    glossary: Sequence[GlossaryTerm] = (),
) -> ModulePage:
    """The module's sections with citations numbered, excerpts filled in, glossary terms
    linked and editorial notes placed.

    Expects `section.citations.all()` prefetched with passage, source, work and the
    passages' glossary terms, `editorial` from lessons.modules.editorial.notes_for_module
    (with their `lesson_targets` for `lesson`) and the whole `glossary` (slug, name and
    aliases), so assembling runs no query of its own. The same passage or work cited
    twice keeps its first number; a term is linked at its first mention in a section.
    """
    sections = list(sections)
    notes: dict[tuple[str, int], Note] = {}
    blocks = {section.pk: split_blocks(section.html) for section in sections}
    placed, unplaced = _place(editorial, lesson=lesson, blocks=blocks, sections=sections)
    on_passage: dict[int, list[EditorialNote]] = {}
    for note in editorial:
        for link in note.target_links:
            on_passage.setdefault(link.passage_id, []).append(note)

    pages = []
    for section in sections:
        refs = {(c.kind, c.index): c for c in section.citations.all()}

        def note_link(match: re.Match, refs=refs) -> str:
            kind = match.group("kind")
            citation = refs.get((kind, int(match.group("index"))))
            if citation is None or kind not in ("note", "ref"):
                return ""
            if kind == "ref":
                return _work_link(citation, notes)
            passage = citation.passage
            note = notes.setdefault(("passage", passage.pk), Note(len(notes) + 1, passage=passage))
            if citation.quote not in note.quotes:
                note.quotes.append(citation.quote)
            return format_html(
                '<sup class="cite"><a href="{}" title="{}" aria-label="Source {}: {}">{}</a></sup>',
                passage.get_absolute_url(),
                f"{passage.source.title}, {passage.place_label}: “{citation.quote}”",
                note.number,
                passage.source.title,
                note.number,
            )

        parts: list[SafeString | Excerpt | NoteBlock] = []
        run: list[str] = []
        linked: set[str] = set()  # the section's terms linked so far

        def flush(run=run, parts=parts, note_link=note_link, linked=linked) -> None:
            if run:
                html = _notes_in("\n".join(run), note_link)
                parts.append(link_terms(html=html, terms=glossary, seen=linked))
                run.clear()

        for n, block in enumerate(blocks[section.pk]):
            match = EXCERPT_BLOCK.fullmatch(block)
            if match is None:
                run.append(block)
            else:
                flush()
                citation = refs.get(("excerpt", int(match.group("index"))))
                if citation is not None:
                    passage = citation.passage
                    parts.append(
                        Excerpt(
                            passage=passage,
                            marked=mark_passage(
                                text=passage.text,
                                terms=passage.glossary_terms.all(),
                                corrections=passage.corrections,
                            ),
                            editorial=tuple(on_passage.get(passage.pk, ())),
                        )
                    )
            if (section.pk, n) in placed:
                flush()
                parts.append(NoteBlock(editorial=tuple(placed[section.pk, n])))
        flush()
        pages.append(SectionPage(section=section, parts=tuple(p for p in parts if p)))
    return ModulePage(sections=tuple(pages), notes=tuple(notes.values()), unplaced=unplaced)


def _place(
    editorial: Sequence[EditorialNote], *, lesson: str, blocks: dict, sections: Sequence
) -> tuple[dict[tuple[int, int], list[EditorialNote]], tuple[EditorialNote, ...]]:
    """Where each note on a sentence of this lesson goes: (section pk, block index)."""
    placed: dict[tuple[int, int], list[EditorialNote]] = {}
    unplaced: list[EditorialNote] = []
    keyed = [(section.pk, blocks[section.pk]) for section in sections]
    for note in editorial:
        for target in note.lesson_targets.all():
            if target.lesson != lesson:
                continue
            found = find_sentence(quote=target.quote, sections=keyed)
            if len(found) == 1:
                spot = placed.setdefault(found[0], [])
                if note not in spot:
                    spot.append(note)
            elif note not in unplaced:
                unplaced.append(note)
    return placed, tuple(unplaced)


def _work_link(citation, notes: dict[tuple[str, int], Note]) -> str:
    work = citation.work
    note = notes.setdefault(("work", work.pk), Note(len(notes) + 1, work=work))
    if citation.quote not in note.quotes:
        note.quotes.append(citation.quote)
    return format_html(
        '<sup class="cite"><a href="{}" title="{}" aria-label="Source {}: {}">{}</a></sup>',
        work.get_absolute_url(),
        work.cite(citation.quote),
        note.number,
        work.cite(),
        note.number,
    )


_SUP_NUMBER = re.compile(r">(\d+)</a></sup>$")


def _notes_in(html: str, note_link) -> SafeString:
    """`html` with its citation placeholders turned into numbered links.

    Two citations of one source in a row (two quotations from one passage) would show
    its number twice ("29 29"): the second is dropped; the notes list keeps both quotes.
    """
    last = {"end": 0, "number": None}  # the last link put in

    def link_once(match: re.Match) -> str:
        link = note_link(match)
        if not link:
            return ""
        number = _SUP_NUMBER.search(link).group(1)
        between = PLACEHOLDER.sub("", html[last["end"] : match.start()])
        repeated = number == last["number"] and not between.strip()
        last.update(end=match.end(), number=number)
        return "" if repeated else link

    # The stored HTML was sanitised when it was rendered; the links put in here
    # are built by format_html from escaped values.
    return mark_safe(PLACEHOLDER.sub(link_once, html))  # noqa: S308  # nosec
