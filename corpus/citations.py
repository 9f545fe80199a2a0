"""Citations written as exact quotations, resolved to passages.

Glossary, timeline, lesson and question files cite a passage as a source slug
plus a short quotation from its cleaned text (see docs/decisions.md: a quote is
readable in a diff and survives a re-ingest that re-mints keys). A citation
resolves when exactly one current passage of that source contains the quote.

Matching ignores what editions and keyboards vary on and a reader would not
call a different wording: runs of whitespace, curly versus straight quotes and
apostrophes, the dash used (-, –, —, --) and the spaces around it, and case.
All of that lives in `normalise_for_match`, the one place to change it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.models import Passage, Source


class CitationError(LookupError):
    """A quotation that no current passage of the source contains, or more than one does."""


@dataclass(frozen=True)
class Citation:
    source: str  # a Source slug
    quote: str

    def __str__(self) -> str:
        return f'{self.source}: "{self.quote}"'


_SINGLE_QUOTES = str.maketrans(dict.fromkeys("‘’‚‛′`´", "'"))
_DOUBLE_QUOTES = str.maketrans(dict.fromkeys("“”„‟″«»", '"'))
# "--" (typewriter dash) and every Unicode dash, with any spaces around it:
# "letter -- a", "letter—a" and "letter – a" are one wording.
_DASH = re.compile(r"\s*[\u2010-\u2015\u2212-]+\s*")
_WHITESPACE = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """The form in which a quotation and a passage's text are compared."""
    # NFKC folds the ellipsis character to "..." and no-break spaces to spaces.
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_SINGLE_QUOTES).translate(_DOUBLE_QUOTES)
    text = _DASH.sub("-", text)
    text = _WHITESPACE.sub(" ", text)
    return text.strip().casefold()


class CitationIndex:
    """The current passages of some sources, normalised once, to resolve many quotes.

    Build it with `CitationIndex.for_sources(...)` (one query, however many
    citations are then resolved) or from passages already in hand.
    """

    def __init__(self, *, passages: Iterable[Passage]) -> None:
        self._texts: dict[str, list[tuple[Passage, str]]] = defaultdict(list)
        for passage in passages:
            self._texts[passage.source.slug].append((passage, normalise_for_match(passage.text)))

    @classmethod
    def for_sources(cls, slugs: Iterable[str]) -> CitationIndex:
        slugs = sorted(set(slugs))
        passages = (
            Passage.objects.current()
            .filter(source__slug__in=slugs)
            .select_related("source")
            .order_by("source__slug", "ordinal", "pk")
        )
        return cls(passages=passages)

    def find(self, citation: Citation) -> Passage:
        """The one passage containing the quote; CitationError otherwise."""
        needle = normalise_for_match(citation.quote)
        if not needle:
            raise CitationError(f"empty quotation cited from source {citation.source!r}")
        if citation.source not in self._texts and not _source_exists(citation.source):
            # Only on the way to an error: a typo in a slug is reported as
            # such, not as a missing quotation.
            raise CitationError(
                f"no source {citation.source!r} (cited for the quotation {citation.quote!r})"
            )
        found = [passage for passage, text in self._texts[citation.source] if needle in text]
        if not found:
            raise CitationError(
                f"no current passage of {citation.source!r} contains {citation.quote!r}"
            )
        if len(found) > 1:
            where = ", ".join(f"¶{p.ordinal} ({p.key})" for p in found[:6])
            more = f" and {len(found) - 6} more" if len(found) > 6 else ""
            raise CitationError(
                f"{len(found)} passages of {citation.source!r} contain {citation.quote!r}: "
                f"{where}{more}; quote more words to single one out"
            )
        return found[0]


def _source_exists(slug: str) -> bool:
    return Source.objects.filter(slug=slug).exists()


def find_passage(*, source: str, quote: str) -> Passage:
    """The current passage of `source` (a slug) that contains `quote`.

    Raises CitationError, naming the source and the quote, when no passage or
    more than one contains it.
    """
    return CitationIndex.for_sources([source]).find(Citation(source=source, quote=quote))


def resolve_citations(*, citations: Iterable[Citation]) -> dict[Citation, Passage]:
    """Every citation's passage, in a constant number of queries.

    Raises one CitationError listing every citation that does not resolve, so
    a file with several bad quotes is fixed in one pass.
    """
    citations = list(dict.fromkeys(citations))
    index = CitationIndex.for_sources(c.source for c in citations)
    resolved: dict[Citation, Passage] = {}
    problems: list[str] = []
    for citation in citations:
        try:
            resolved[citation] = index.find(citation)
        except CitationError as error:
            problems.append(str(error))
    if problems:
        raise CitationError("; ".join(problems))
    return resolved
