"""Curators' edits of the glossary and the timeline in the app, each audited.

The curation page shows the glossary (or timeline) as the database holds it, laid out as
its shipped file (the file's comments and order, each entry as stored: corpus.curated's
`rewrite_tables`), and saves what the curator changed in it as rows, never as a file:

- only the entries the curator changed, added or removed are written, each marked as a
  curator's change (`curator_edited_at`; a removal is an EditorialDeletion), so
  load_corpus keeps them over the files until export_corpus has written them back;
- the page carries each entry's digest as it was shown (`base`): an entry another
  curator changed meanwhile is refused by name rather than overwritten;
- the whole glossary and timeline are checked and written by the loader's own
  `write_reference_data` (quotations resolved, works and terms known), in one
  transaction with an audit entry per entry changed.

Approving a proposal (corpus.proposals) adds its entry the same way (`add_entry`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from corpus import curated
from corpus.editing import EditingError, changed_fields
from corpus.models import EditorialDeletion, EditorialNote, GlossaryTerm, TimelineEvent
from corpus.plumbing import audit
from corpus.reference import (
    EventEntry,
    ReferenceDataError,
    TermEntry,
    entry_events,
    entry_terms,
    event_entry,
    event_table,
    event_toml,
    parse_glossary_text,
    parse_timeline_text,
    term_entry,
    term_table,
    term_toml,
    write_reference_data,
)

FILES = {"glossary": ("term", "glossary.toml"), "timeline": ("event", "timeline.toml")}
HEADERS = {
    "term": "# The glossary (docs/corpus-format.md): one [[term]] per person, body, place,\n"
    "# event, document or idea, each cited to passages or reference works.\n",
    "event": "# The timeline (docs/corpus-format.md): one [[event]] per dated event, cited\n"
    "# to passages or reference works.\n",
}


@dataclass(frozen=True)
class Page:
    """What the edit page shows: the text, and each entry's digest as shown."""

    text: str
    base: str  # JSON {slug: digest}


def _kind(which: str) -> tuple[str, str]:
    if which not in FILES:
        raise EditingError(f"Unknown reference file {which!r}.")
    return FILES[which]


def _current() -> tuple[dict[str, GlossaryTerm], dict[str, TimelineEvent]]:
    return {t.slug: t for t in entry_terms()}, {e.slug: e for e in entry_events()}


def _entries(what: str, rows: dict) -> dict[str, TermEntry | EventEntry]:
    to_entry = term_entry if what == "term" else event_entry
    return {slug: to_entry(row) for slug, row in rows.items()}


def _toml(entry: TermEntry | EventEntry) -> str:
    return term_toml(entry) if isinstance(entry, TermEntry) else event_toml(entry)


def _table(entry: TermEntry | EventEntry) -> dict[str, Any]:
    return term_table(entry) if isinstance(entry, TermEntry) else event_table(entry)


def _parse(what: str, text: str) -> list[TermEntry | EventEntry]:
    if what == "term":
        return parse_glossary_text(text)
    return parse_timeline_text(text, term_slugs=None)


def layout(*, what: str, entries: dict[str, TermEntry | EventEntry], shipped: str) -> str:
    """`entries` written in the layout of the shipped file's text: its comments and order,
    its own text for every entry that says the same, new entries at the end by slug."""
    try:
        in_file = {e.slug: e for e in _parse(what, shipped)} if shipped.strip() else {}
    except ReferenceDataError:
        in_file = {}
    order = {slug: n for n, slug in enumerate(in_file)}
    ordered = sorted(entries, key=lambda slug: (order.get(slug, len(order)), slug))
    tables = {slug: _toml(entries[slug]) for slug in ordered}
    try:
        return curated.rewrite_tables(
            shipped,
            table=what,
            entries=tables,
            keep={s for s in ordered if s in in_file and curated.same(in_file[s], entries[s])},
            header=HEADERS[what],
        )
    except ValueError:  # a file that cannot be cut into tables: every entry written anew
        return curated.rewrite_tables("", table=what, entries=tables, header=HEADERS[what])


def shipped_text(which: str) -> str:
    """The release's file (read, never written: it gives the page its layout)."""
    _what, name = _kind(which)
    path = Path(settings.CORPUS_DATA_DIR) / name
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def page(*, which: str) -> Page:
    """The glossary or timeline as the database holds it, for the curation page."""
    what, _name = _kind(which)
    terms, events = _current()
    entries = _entries(what, terms if what == "term" else events)
    text = layout(what=what, entries=entries, shipped=shipped_text(which))
    base = {slug: curated.digest(entry) for slug, entry in entries.items()}
    return Page(text=text, base=json.dumps(base, sort_keys=True))


@dataclass(frozen=True)
class Saved:
    changed: list[str]
    deleted: list[str]


def save_text(*, which: str, text: str, base: str, user) -> Saved:
    """Save what the curator changed in the page's text (see the module docstring).

    EditingError says why nothing was saved: the text does not parse, an entry fails the
    loader's checks, or someone changed an entry meanwhile."""
    what, _name = _kind(which)
    try:
        posted = _parse(what, text)
    except ReferenceDataError as error:
        raise EditingError(str(error)) from None
    terms, events = _current()
    current = _entries(what, terms if what == "term" else events)
    try:
        shown = json.loads(base) if base else None
    except ValueError:
        shown = None
    if not isinstance(shown, dict):  # a form without it: compare with what is stored now
        shown = {slug: curated.digest(entry) for slug, entry in current.items()}
    stale, changed, deleted = [], {}, set()
    for entry in posted:
        was = shown.get(entry.slug)
        if was == curated.digest(entry):
            continue  # not touched on the page
        now = current.get(entry.slug)
        if (curated.digest(now) if now is not None else None) != was:
            stale.append(entry.slug)
        else:
            changed[entry.slug] = entry
    posted_slugs = {entry.slug for entry in posted}
    for slug, was in shown.items():
        if slug in posted_slugs or slug not in current:
            continue
        if curated.digest(current[slug]) != was:
            stale.append(slug)
        else:
            deleted.add(slug)
    if stale:
        raise EditingError(
            "Someone else changed "
            + ", ".join(sorted(stale))
            + " since this page was opened; nothing was saved. Open the page again to see "
            "their change, then make yours."
        )
    apply_changes(what=what, changed=changed, deleted=deleted, user=user)
    return Saved(changed=sorted(changed), deleted=sorted(deleted))


def add_entry(*, entry: TermEntry | EventEntry, user) -> None:
    """A new glossary term or timeline event, as a curator's change (a proposal approved)."""
    what = "term" if isinstance(entry, TermEntry) else "event"
    model = GlossaryTerm if what == "term" else TimelineEvent
    if model.objects.filter(slug=entry.slug).exists():
        raise EditingError(f"There is already a {_label(what)} {entry.slug!r}.")
    apply_changes(what=what, changed={entry.slug: entry}, deleted=set(), user=user)


def _label(what: str) -> str:
    return "glossary term" if what == "term" else "timeline event"


@transaction.atomic
def apply_changes(
    *,
    what: str,
    changed: dict[str, TermEntry | EventEntry],
    deleted: set[str],
    user,
) -> None:
    """Write the glossary and timeline as stored with these entries changed or added and
    these removed, each marked as a curator's change and audited; EditingError (nothing
    written) names what the loader's checks refuse."""
    if not changed and not deleted:
        return
    terms, events = _current()
    rows = terms if what == "term" else events
    entries = {"term": _entries("term", terms), "event": _entries("event", events)}
    before = dict(entries[what])
    entries[what].update(changed)
    for slug in deleted:
        entries[what].pop(slug, None)
    relation = "terms" if what == "term" else "events"
    noted = sorted(
        EditorialNote.objects.filter(**{f"{relation}__slug__in": deleted})
        .values_list("slug", flat=True)
        .distinct()
    )
    if noted:
        raise EditingError(
            f"Notes are attached to what you removed ({', '.join(noted)}): change or delete "
            "those notes first."
        )
    # Recorded first, with the rows they name: a refused change rolls them back too.
    for slug in sorted(deleted):
        audit.record(
            user=user,
            action=f"{what}.delete",
            obj=rows[slug],
            changes=changed_fields(_table(before[slug]), None),
        )
        EditorialDeletion.objects.update_or_create(
            what=what, slug=slug, defaults={"file_digest": rows[slug].file_digest}
        )
    EditorialDeletion.objects.filter(what=what, slug__in=list(changed)).delete()
    now = timezone.now()

    def marked(slug: str) -> dict[str, Any]:
        return {"curator_edited_at": now} if slug in changed else {}

    def unmarked(slug: str) -> dict[str, Any]:
        return {}

    try:
        write_reference_data(
            list(entries["term"].values()),
            list(entries["event"].values()),
            term_extra=marked if what == "term" else unmarked,
            event_extra=marked if what == "event" else unmarked,
        )
    except ReferenceDataError as error:
        raise EditingError(" ".join(str(error).split())) from None
    model = GlossaryTerm if what == "term" else TimelineEvent
    for row in model.objects.filter(slug__in=list(changed)).order_by("slug"):
        old = before.get(row.slug)
        audit.record(
            user=user,
            action=f"{what}.{'edit' if old is not None else 'create'}",
            obj=row,
            changes=changed_fields(
                _table(old) if old is not None else None, _table(changed[row.slug])
            ),
        )
