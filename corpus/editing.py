"""Curators' edits of editorial notes, reference works and errata in the app.

A note or work saved here is checked exactly as one in a file (corpus.editorial: the same
parsing, the same resolving of quotations and slugs, and the lessons' check of a lesson
sentence), then marked as edited in the app (`curator_edited_at`), so `load_corpus` keeps
it over the files until `export_corpus --editorial` has written it back. A deletion is
remembered (EditorialDeletion) for the same reason. Every change writes an audit entry
(corpus.plumbing.audit) in the same transaction. A source's errata are stored the same way
(`save_errata`) and the source re-ingested from the database; the glossary and timeline
are corpus.reference_editing's. Nothing here writes a file (corpus.curated).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from corpus import ingest
from corpus.editorial import (
    DEFAULT_FILE,
    EditorialDataError,
    NoteEntry,
    WorkEntry,
    check_lesson_targets,
    note_table,
    notes_for_export,
    resolve_notes,
    work_table,
    write_note_links,
)
from corpus.errata import ErrataError, parse_errata
from corpus.ingest import DocumentError, IngestReport
from corpus.models import EditorialDeletion, EditorialNote, ReferenceWork, Source, SourceErrata
from corpus.plumbing import audit


class EditingError(ValueError):
    """A change that cannot be made; the message is for the curator."""


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list]:
    """{key: [old, new]} for what differs between two tables (one may be None)."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }


def check_note(*, entry: NoteEntry) -> None:
    """EditorialDataError listing every problem of a note against the database and lessons."""
    works = ReferenceWork.objects.exclude(
        slug__in=EditorialDeletion.objects.filter(what="work").values("slug")
    ).values_list("slug", flat=True)
    resolve_notes([entry], work_slugs=works)
    problems = check_lesson_targets([(entry.slug, t.lesson, t.quote) for t in entry.lessons])
    if problems:
        raise EditorialDataError("; ".join(problems))


@transaction.atomic
def save_note(*, entry: NoteEntry, user, note: EditorialNote | None = None) -> EditorialNote:
    """Create (note None) or update a note from a checked entry; audited."""
    if note is not None and note.slug != entry.slug:
        raise EditingError("A note's slug cannot change; make a new note instead.")
    if note is None and EditorialNote.objects.filter(slug=entry.slug).exists():
        raise EditingError(f"There is already a note {entry.slug!r}.")
    [resolved] = resolve_notes(
        [entry],
        work_slugs=ReferenceWork.objects.values_list("slug", flat=True),
    )
    before = note_table(notes_for_export().get(pk=note.pk)) if note is not None else None
    values = {
        "kind": entry.kind,
        "title": entry.title,
        "body": entry.body,
        "claim": entry.claim,
        "correct": entry.correct,
        "positions": [{"who": p.who, "says": p.says} for p in entry.positions],
        "curator_edited_at": timezone.now(),
    }
    if note is None:
        note = EditorialNote.objects.create(slug=entry.slug, file=DEFAULT_FILE, **values)
    else:
        for name, value in values.items():
            setattr(note, name, value)
        note.save()
    write_note_links([resolved], note_pks={note.slug: note.pk})
    EditorialDeletion.objects.filter(what="note", slug=note.slug).delete()
    after = note_table(notes_for_export().get(pk=note.pk))
    audit.record(
        user=user,
        action="note.create" if before is None else "note.edit",
        obj=note,
        changes=changed_fields(before, after),
    )
    return note


@transaction.atomic
def delete_note(*, note: EditorialNote, user) -> None:
    table = note_table(notes_for_export().get(pk=note.pk))
    EditorialDeletion.objects.update_or_create(
        what="note", slug=note.slug, defaults={"file_digest": note.file_digest}
    )
    audit.record(user=user, action="note.delete", obj=note, changes=changed_fields(table, None))
    note.delete()


@transaction.atomic
def save_work(*, entry: WorkEntry, user, work: ReferenceWork | None = None) -> ReferenceWork:
    """Create (work None) or update a reference work from a checked entry; audited."""
    if work is not None and work.slug != entry.slug:
        raise EditingError("A reference work's slug cannot change; citations name it.")
    if work is None and ReferenceWork.objects.filter(slug=entry.slug).exists():
        raise EditingError(f"There is already a reference work {entry.slug!r}.")
    before = work_table(work) if work is not None else None
    if work is None:
        work = ReferenceWork(slug=entry.slug, file=DEFAULT_FILE)
    for name, value in entry.values().items():
        setattr(work, name, value)
    work.curator_edited_at = timezone.now()
    work.save()
    EditorialDeletion.objects.filter(what="work", slug=work.slug).delete()
    audit.record(
        user=user,
        action="work.create" if before is None else "work.edit",
        obj=work,
        changes=changed_fields(before, work_table(work)),
    )
    return work


def work_users(work: ReferenceWork) -> list[str]:
    """The notes, glossary terms and timeline events citing a work, for the curator."""
    return sorted(
        {
            f"note {c.note.slug!r}"
            if c.note_id
            else f"glossary term {c.term.slug!r}"
            if c.term_id
            else f"timeline event {c.event.slug!r}"
            for c in work.citations.select_related("note", "term", "event")
        }
    )


@transaction.atomic
def delete_work(*, work: ReferenceWork, user) -> None:
    """Delete a work nothing cites; EditingError names what still cites it."""
    users = work_users(work)
    if users:
        raise EditingError(
            f"{work.cite()} is cited by {', '.join(users)}: remove those citations first."
        )
    table = work_table(work)
    label = work.cite()
    # Recorded first, with the row: a refused delete rolls the entry back with it.
    audit.record(user=user, action="work.delete", obj=work, changes=changed_fields(table, None))
    EditorialDeletion.objects.update_or_create(
        what="work", slug=work.slug, defaults={"file_digest": work.file_digest}
    )
    try:
        with transaction.atomic():
            work.delete()
    except models.ProtectedError as error:
        # Cited from another app (a lesson's [^ref:...] citations, which corpus cannot name).
        found = list(error.protected_objects)
        meta = found[0]._meta
        raise EditingError(
            f"{label} is cited by {len(found)} {meta.verbose_name_plural} in "
            f"{meta.app_config.verbose_name} (for example {found[0]}): "
            "remove those citations first."
        ) from None


# --- errata ---------------------------------------------------------------------------------


def errata_text(*, source: Source) -> tuple[str, str]:
    """A source's errata as stored, and its digest (the curation page's `base`)."""
    errata = SourceErrata.objects.filter(source=source).first()
    text = errata.text if errata is not None else ""
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def save_errata(*, source: Source, text: str, base: str = "") -> tuple[str, IngestReport]:
    """Store a source's errata as a curator's change and re-ingest the source from the
    database; returns the text replaced and the ingest's report. EditingError (nothing
    changed) for errata that do not read, or that someone changed since `base`."""
    try:
        corrections = parse_errata(text, name=f"{source.slug}.toml")
    except ErrataError as error:
        raise EditingError(str(error)) from None
    errata = SourceErrata.objects.select_for_update().filter(source=source).first()
    if errata is None:
        errata = SourceErrata(source=source, text="")
    old = errata.text
    if base and hashlib.sha256(old.encode("utf-8")).hexdigest() != base:
        raise EditingError(
            "Someone else changed these errata since this page was opened; nothing was "
            "saved. Open the page again to see their change, then make yours."
        )
    errata.text = text
    errata.curator_edited_at = timezone.now()
    errata.save()
    try:
        report = ingest.reingest_stored(source=source, corrections=corrections, errata=text)
    except DocumentError as error:
        raise EditingError(str(error)) from None
    return old, report
