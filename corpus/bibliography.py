"""Reference works as bibliography entries (Chicago notes-bibliography style).

Plain functions over a work's fields, so the entry is one rule wherever it shows (the
/sources/ bibliography, a lesson's "Sources cited", a note's citations, the export).
An entry is built as pieces, some italic (titles of books, journals, newspapers), and
given both as plain text and as escaped HTML with the italic pieces in <cite>.

What the style asks for, by kind (The Chicago Manual of Style, 17th ed., ch. 14):

    book, memoir, official:  Last, First. Title. Edited by … Vol. … Place: Publisher, Year. URL.
    article:                 Last, First. "Title." Journal Vol, no. Issue (Year): pages. DOI.
    journalism:              Last, First. "Title." Newspaper, Month Day, Year. URL.
    chapter, reference:      Last, First. "Title." In Book, edited by …, pages. Place: Publisher, Year.

An institution (`issuer`) stands where the authors would; a book with editors and no
authors starts with the editors ("Last, First, ed.").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

QUOTED_TITLE_KINDS = {"article", "chapter", "journalism", "reference"}


class WorkFields(Protocol):
    kind: str
    authors: list[str]
    issuer: str
    editors: list[str]
    title: str
    container: str
    volume: str
    issue: str
    publisher: str
    place: str
    year: int | None
    date: datetime.date | None
    pages: str
    url: str
    doi: str


@dataclass(frozen=True)
class Entry:
    pieces: tuple[tuple[str, bool], ...]  # (text, italic)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    @property
    def html(self) -> SafeString:
        # Every piece is escaped here, so the joined pieces are safe.
        return mark_safe(  # noqa: S308  # nosec
            "".join(
                f"<cite>{escape(text)}</cite>" if italic else str(escape(text))
                for text, italic in self.pieces
            )
        )


def _inverted(name: str) -> str:
    """ "William Taubman" -> "Taubman, William" (a name with a comma is already inverted)."""
    name = " ".join(name.split())
    if "," in name or " " not in name:
        return name
    first, last = name.rsplit(" ", 1)
    return f"{last}, {first}"


def surname(name: str) -> str:
    name = " ".join(name.split())
    if "," in name:
        return name.split(",", 1)[0].strip()
    return name.rsplit(" ", 1)[-1]


def _names(names: list[str], *, invert_first: bool) -> str:
    """First author inverted, the rest as written, joined with commas and "and"."""
    names = [" ".join(n.split()) for n in names if n.strip()]
    if not names:
        return ""
    shown = [_inverted(names[0]) if invert_first else names[0], *names[1:]]
    if len(shown) == 1:
        return shown[0]
    if len(shown) == 2:
        return f"{shown[0]}{',' if invert_first else ''} and {shown[1]}"
    return ", ".join(shown[:-1]) + f", and {shown[-1]}"


def _closed(text: str) -> str:
    """Text ending with a full stop (not doubled after ".", "?" or "!")."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _date(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _link(work: WorkFields) -> str:
    if work.doi:
        doi = work.doi.strip()
        return doi if doi.startswith("http") else f"https://doi.org/{doi}"
    return work.url.strip()


def _publication(work: WorkFields) -> str:
    """ "New York: W. W. Norton, 2003" with whatever of it is known."""
    where = ": ".join(part for part in (work.place.strip(), work.publisher.strip()) if part)
    when = _date(work.date) if work.date else (str(work.year) if work.year else "")
    return ", ".join(part for part in (where, when) if part)


def bibliography_entry(work: WorkFields) -> Entry:
    pieces: list[tuple[str, bool]] = []

    def add(text: str, italic: bool = False) -> None:
        if text:
            pieces.append((text, italic))

    authors = [a for a in work.authors if a.strip()]
    editors = [e for e in work.editors if e.strip()]
    quoted = work.kind in QUOTED_TITLE_KINDS
    editors_lead = not authors and not work.issuer.strip() and editors and not quoted
    if authors:
        add(_closed(_names(authors, invert_first=True)) + " ")
    elif work.issuer.strip():
        add(_closed(work.issuer.strip()) + " ")
    elif editors_lead:
        add(f"{_names(editors, invert_first=True)}, {'eds' if len(editors) > 1 else 'ed'}. ")

    title = " ".join(work.title.split())
    if quoted:
        closed = title if title.endswith(("?", "!")) else title + "."
        add(f"“{closed}” ")
    else:
        add(title, italic=True)
        add(". " if not title.endswith((".", "?", "!")) else " ")

    container = work.container.strip()
    if work.kind == "article":
        add(container, italic=True)
        numbers = work.volume.strip()
        if work.issue.strip():
            numbers = f"{numbers}, no. {work.issue.strip()}" if numbers else f"no. {work.issue}"
        when = _date(work.date) if work.date else (str(work.year) if work.year else "")
        tail = f" {numbers}" if numbers else ""
        tail += f" ({when})" if when else ""
        tail += f": {work.pages.strip()}" if work.pages.strip() else ""
        add(tail + ". ")
    elif work.kind == "journalism":
        add(container, italic=True)
        when = _date(work.date) if work.date else (str(work.year) if work.year else "")
        extra = ", ".join(p for p in (when, work.pages.strip()) if p)
        add((f", {extra}" if container else extra) + ". ")
    elif work.kind in ("chapter", "reference") and container:
        add("In ")
        add(container, italic=True)
        rest = ""
        if editors:
            rest += f", edited by {_names(editors, invert_first=False)}"
        if work.volume.strip():
            rest += f", vol. {work.volume.strip()}"
        if work.pages.strip():
            rest += f", {work.pages.strip()}"
        add(rest + ". ")
        publication = _publication(work)
        if publication:
            add(_closed(publication) + " ")
    else:
        if editors and not editors_lead:
            add(_closed(f"Edited by {_names(editors, invert_first=False)}") + " ")
        if work.volume.strip():
            add(_closed(f"Vol. {work.volume.strip()}") + " ")
        if container:
            add(container, italic=True)
            add(". ")
        if work.pages.strip():
            add(_closed(work.pages.strip()) + " ")
        publication = _publication(work)
        if publication:
            add(_closed(publication) + " ")
    link = _link(work)
    if link:
        add(_closed(link))
    entry = Entry(tuple(pieces))
    # No trailing space after the last piece.
    if entry.pieces and entry.pieces[-1][0].endswith(" "):
        last_text, last_italic = entry.pieces[-1]
        entry = Entry((*entry.pieces[:-1], (last_text.rstrip(), last_italic)))
    return entry


def short_title(title: str) -> str:
    """The title before its subtitle: "Khrushchev: The Man and His Era" -> "Khrushchev"."""
    title = " ".join(title.split())
    return title.split(":", 1)[0].strip() if ": " in title else title


def short_citation(work: WorkFields, *, at: str = "") -> str:
    """The in-text form: "Taubman, Khrushchev, p. 283"; "Kramer, “The Soviet Union …,” p. 170".

    The people are the authors, or the editors of a volume no person or institution
    wrote; an institution's work is named by its title alone.
    """
    people = [a for a in work.authors if a.strip()]
    if not people and not work.issuer.strip():
        people = [e for e in work.editors if e.strip()]
    names = [surname(p) for p in people]
    who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    # With no name before it, the title alone says which work: not shortened.
    title = short_title(work.title) if names else " ".join(work.title.split())
    at = at.strip()
    if work.kind in QUOTED_TITLE_KINDS:
        # American style: the comma before the locator goes inside the quotation marks,
        # and none follows a question or exclamation mark.
        comma = "" if title.endswith(("?", "!")) else ","
        title = f"“{title}{comma}” {at}" if at else f"“{title}”"
        at = ""
    return ", ".join(part for part in (who, title, at) if part)


def sort_key(work: WorkFields) -> tuple[str, int, str]:
    """Bibliography order: by the entry's first word (author, institution or title), year."""
    authors = [a for a in work.authors if a.strip()] or [e for e in work.editors if e.strip()]
    lead = surname(authors[0]) if authors else (work.issuer.strip() or work.title)
    return (lead.casefold(), work.year or 0, work.title.casefold())
