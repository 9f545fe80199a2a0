"""A passage's plain text as safe HTML for the reader.

What is marked, in order of precedence (marks never overlap):

* bracketed stage directions, "[Indignation in the hall.]" or "(Tumultuous
  applause.)", become a styled span with a screen-reader label;
* "[...]" elisions and bracketed editorial insertions ("[Stalin]") are
  marked as the editor's, not the speaker's;
* corrections from errata: the corrected words carry a mark saying what the
  scan read;
* glossary terms: the first mention of each term in the passage links to its
  glossary entry (a popover with htmx, a plain page without JavaScript).

Every piece of text is escaped by format_html/escape before markup is put
around it; nothing from a passage is ever passed to mark_safe unescaped.

Terms are found with corpus.reference.term_pattern, the same spelling rules
that recorded the passage's mentions, so what is linked is what was counted.
`segments_with_terms` is the one place a term's mention is chosen: for a passage
(`mark_passage`) and, by `link_terms`, for a lesson's HTML when its page is shown,
so a curator's edit of the glossary shows at once in both.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from corpus.reference import may_name, term_pattern, words_of


class TermLike(Protocol):
    slug: str
    name: str

    @property
    def spellings(self) -> list[str]: ...


class DiffSegmentLike(Protocol):
    op: str
    left: str
    right: str


class WordingPieceLike(Protocol):
    text: str
    varies: bool


@dataclass(frozen=True)
class Correction:
    wrong: str
    right: str

    @property
    def label(self) -> str:
        return f"OCR correction: '{self.wrong}' → '{self.right}'"


@dataclass(frozen=True)
class Segment:
    text: str
    kind: Literal["text", "term", "correction"] = "text"
    term: TermLike | None = None
    correction: Correction | None = None


@dataclass(frozen=True)
class MarkedText:
    html: SafeString
    unplaced_corrections: tuple[Correction, ...]  # corrections whose place in the text is ambiguous


# Words that make a bracketed or parenthesised aside a record of the hall, not an insertion.
_STAGE_WORDS = re.compile(
    r"\b(applause|hall|laughter|commotion|animation|indignation|tumult|ovation|noise|"
    r"rise|shouts?|voices?|movement|stir|uproar)\b",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\[([^\[\]]{1,200})\]|\(([^()]{3,120})\)")
_ELISION = re.compile(r"^\s*(?:\.\s*){3}\s*$|^\s*…\s*$")


def parse_corrections(raw: object) -> tuple[Correction, ...]:
    """The passage's corrections JSON as Corrections; malformed entries are skipped."""
    if not isinstance(raw, list | tuple):
        return ()
    corrections = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("wrong"), str):
            right = item.get("right")
            corrections.append(Correction(wrong=item["wrong"], right=str(right or "")))
    return tuple(corrections)


def mark_passage(
    *, text: str, terms: Iterable[TermLike] = (), corrections: object = ()
) -> MarkedText:
    """Safe HTML for a passage's text, and the corrections that could not be placed in it."""
    parsed = parse_corrections(corrections)
    placed, unplaced = _place_corrections(text=text, corrections=parsed)
    terms = list(terms)
    seen: set[str] = set()
    html: list[str] = []
    position = 0
    for match in _BRACKETED.finditer(text):
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        is_bracket = match.group(1) is not None
        if not is_bracket and not _STAGE_WORDS.search(inner):
            continue  # an ordinary parenthesis, e.g. "(i.e., Lenin's)"
        html.append(_inline(text, position, match.start(), terms, placed, seen))
        if is_bracket and _ELISION.match(inner):
            html.append(
                format_html(
                    '<span class="elision" title="Words left out by this edition">'
                    '<span aria-hidden="true">{}</span>'
                    '<span class="visually-hidden">(words left out by this edition)</span></span>',
                    match.group(),
                )
            )
        elif _STAGE_WORDS.search(inner):
            html.append(
                format_html(
                    '<span class="stage-direction"><span class="visually-hidden">'
                    "Stage direction: </span>{}</span>",
                    _inline(text, match.start(), match.end(), terms, placed, seen),
                )
            )
        else:
            html.append(
                format_html(
                    '<span class="interpolation" title="Words supplied by the editor">{}</span>',
                    _inline(text, match.start(), match.end(), terms, placed, seen),
                )
            )
        position = match.end()
    html.append(_inline(text, position, len(text), terms, placed, seen))
    return MarkedText(html=mark_safe("".join(html)), unplaced_corrections=unplaced)  # noqa: S308 - built from format_html  # nosec


def _place_corrections(
    *, text: str, corrections: Sequence[Correction]
) -> tuple[list[tuple[int, int, Correction]], tuple[Correction, ...]]:
    """Spans of text to mark as corrected; a correction whose words occur more than once
    (or not at all) cannot be placed honestly and is listed with the passage instead."""
    placed, unplaced = [], []
    for correction in corrections:
        found = (
            list(re.finditer(rf"(?<!\w){re.escape(correction.right)}(?!\w)", text))
            if correction.right.strip()
            else []
        )
        if len(found) == 1:
            placed.append((found[0].start(), found[0].end(), correction))
        else:
            unplaced.append(correction)
    placed.sort(key=lambda span: span[0])
    return placed, tuple(unplaced)


def _inline(
    text: str,
    start: int,
    end: int,
    terms: list[TermLike],
    placed: list[tuple[int, int, Correction]],
    seen: set[str],
) -> SafeString:
    return mark_safe(  # noqa: S308 - each segment is escaped by _segment_html  # nosec
        "".join(
            _segment_html(segment)
            for segment in segments_with_terms(
                text=text, start=start, end=end, terms=terms, corrections=placed, seen=seen
            )
        )
    )


def segments_with_terms(
    *,
    text: str,
    terms: Sequence[TermLike],
    start: int = 0,
    end: int | None = None,
    corrections: Sequence[tuple[int, int, Correction]] = (),
    seen: set[str] | None = None,
) -> list[Segment]:
    """text[start:end] cut into plain, correction and term segments.

    A term is marked at its first mention only (`seen` carries the slugs
    already marked across calls); longer spellings win over shorter ones
    ("Central Committee" over "Committee"); matching keeps word boundaries
    ("Stalin's" marks "Stalin", "Stalinism" does not).
    """
    end = len(text) if end is None else end
    seen = set() if seen is None else seen
    spans: list[tuple[int, int, Segment]] = []
    for c_start, c_end, correction in corrections:
        if start <= c_start and c_end <= end:
            spans.append(
                (c_start, c_end, Segment(text[c_start:c_end], "correction", correction=correction))
            )
    words = words_of(text[start:end])
    candidates = [
        (match.start(), match.start() - match.end(), match.end(), term)
        for term in terms
        if term.slug not in seen and may_name(term.spellings, words=words)
        for match in term_pattern(term.spellings).finditer(text, start, end)
    ]
    # Leftmost first; at the same place the longer spelling first.
    candidates.sort(key=lambda c: (c[0], c[1]))
    for c_start, _, c_end, term in candidates:
        overlaps = any(s < c_end and c_start < e for s, e, _ in spans)
        if term.slug in seen or overlaps:
            continue
        seen.add(term.slug)
        spans.append((c_start, c_end, Segment(text[c_start:c_end], "term", term=term)))
    spans.sort(key=lambda span: span[0])
    segments: list[Segment] = []
    position = start
    for s, e, segment in spans:
        if position < s:
            segments.append(Segment(text[position:s]))
        segments.append(segment)
        position = e
    if position < end:
        segments.append(Segment(text[position:end]))
    return segments


def term_link(*, slug: str, text: str) -> SafeString:
    """The one link to a glossary entry, in passages and in lessons alike: a plain link to
    its page, which htmx opens in the page's popover (templates/corpus/_term_popover.html)."""
    url = reverse("corpus:glossary_detail", kwargs={"slug": slug})
    return format_html(
        '<a class="term" href="{url}" hx-get="{url}" hx-target="#term-popover" '
        'hx-swap="innerHTML" data-term="{slug}">{text}</a>',
        url=url,
        slug=slug,
        text=text,
    )


def term_mark(*, key: str, text: str) -> SafeString:
    """Where an author asked for a glossary link (a lesson's `[[text|key]]`), as stored: no
    link yet, only the key (a term's slug, name or spelling), made a link by link_terms
    when the page is shown. The tag cannot come from an author: nh3 removes every span."""
    return format_html('<span data-term-key="{}">{}</span>', key, text)


_MARK = re.compile(r'<span data-term-key="(?P<key>[^"]*)">(?P<text>[^<]*)</span>')
# A tag, quoted attribute values and all (one may hold ">").
_TAG = re.compile(r"""(<(?:"[^"]*"|'[^']*'|[^'">])*>)""")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# No glossary link inside a link (links do not nest), code or a heading.
_NO_LINKS_IN = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


def terms_by_key(terms: Iterable[TermLike]) -> dict[str, TermLike]:
    """Each term under its lower-cased slug, name and spellings; a slug wins over a spelling."""
    terms = list(terms)
    by_key: dict[str, TermLike] = {}
    for term in terms:
        for spelling in term.spellings:
            by_key.setdefault(spelling.strip().lower(), term)
    for term in terms:
        by_key[term.slug.lower()] = term
    return by_key


def link_terms(*, html: str, terms: Sequence[TermLike], seen: set[str] | None = None) -> SafeString:
    """Trusted HTML (sanitised, or built by us) with its glossary links put in.

    Run when a page is shown, from the glossary as it is then: each term_mark becomes a
    link to the term its key names (plain text if the glossary no longer has one), then
    the first mention of every other term is linked by segments_with_terms, in the text
    between tags, never inside a link, code or a heading. `seen` carries the slugs
    already linked across calls (a lesson section shown in pieces) and is updated.
    """
    seen = set() if seen is None else seen
    marks = "data-term-key" in html
    by_key = terms_by_key(terms) if marks else {}

    def marked(match: re.Match) -> str:
        term = by_key.get(html_module.unescape(match.group("key")).strip().lower())
        if term is None:
            return match.group("text")  # escaped when it was marked
        seen.add(term.slug)
        return term_link(slug=term.slug, text=html_module.unescape(match.group("text")))

    # The marks first, so a marked term is not linked at an earlier mention as well.
    if marks:
        html = _MARK.sub(marked, html)
    # The terms this HTML may name at all: each paragraph is then searched for a few, not all.
    words = words_of(html_module.unescape(html))
    terms = [t for t in terms if t.slug not in seen and may_name(t.spellings, words=words)]
    out: list[str] = []
    closed = 0  # how deep inside elements that take no link
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name = _TAG_NAME.match(piece)
            if name and name.group(2).lower() in _NO_LINKS_IN:
                closed = max(0, closed + (-1 if name.group(1) else 1))
            out.append(piece)
        elif closed or not piece.strip():
            out.append(piece)
        else:
            segments = segments_with_terms(text=html_module.unescape(piece), terms=terms, seen=seen)
            out.extend(_segment_html(segment) for segment in segments)
    # Tags as they came, text escaped by _segment_html, links by term_link.
    return mark_safe("".join(out))  # noqa: S308  # nosec


def _segment_html(segment: Segment) -> str:
    if segment.kind == "term" and segment.term is not None:
        return term_link(slug=segment.term.slug, text=segment.text)
    if segment.kind == "correction" and segment.correction is not None:
        return format_html(
            '<span class="correction" title="{label}">{text}'
            '<span class="correction-mark" aria-hidden="true">*</span>'
            '<span class="visually-hidden"> ({label})</span></span>',
            label=segment.correction.label,
            text=segment.text,
        )
    return escape(segment.text)


def diff_html(*, segments: Iterable[DiffSegmentLike], side: Literal["left", "right"]) -> SafeString:
    """One side of a word-level diff as safe HTML.

    The left side marks its differing words with <del>, the right side with
    <ins>; each mark carries a visually hidden label so the difference does
    not depend on colour or strike-through alone.
    """
    tag = "del" if side == "left" else "ins"
    parts: list[str] = []
    for segment in segments:
        text = segment.left if side == "left" else segment.right
        if not text:
            continue
        if segment.op == "equal":
            parts.append(escape(text))
            continue
        label = "worded differently" if segment.op == "replace" else "only in this version"
        parts.append(
            format_html(
                '<{tag} class="diff diff-{op}"><span class="visually-hidden">[{label}: </span>'
                '{text}<span class="visually-hidden">]</span></{tag}>',
                tag=tag,
                op=segment.op,
                label=label,
                text=text,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped by escape/format_html  # nosec


def variant_html(*, pieces: Iterable[WordingPieceLike]) -> SafeString:
    """A wording with the stretches that other renderings word differently marked."""
    parts: list[str] = []
    for piece in pieces:
        if not piece.varies:
            parts.append(escape(piece.text))
            continue
        words = piece.text.rstrip()
        parts.append(
            format_html(
                '<mark class="variant"><span class="visually-hidden">[worded differently '
                'elsewhere: </span>{}<span class="visually-hidden">]</span></mark>{}',
                words,
                piece.text[len(words) :],
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped by escape/format_html  # nosec
