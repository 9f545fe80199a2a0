"""Reference works and editorial notes: reading their files, checking them, loading them.

The formats are in docs/editorial-notes.md (and the shared spec): reference works in
corpus/data/references/*.toml (`[[work]]`), notes in corpus/data/notes/*.toml
(`[[note]]`), several files each so that authors do not edit the same file; a slug is
unique across all of them.

Three steps, as for the glossary (corpus.reference):

1. parse (no database): every problem of a table is collected and named after the
   file and the slug, so a file with several mistakes is fixed in one pass;
2. check against the database: works, glossary terms and timeline events named by
   slug, and passages named by a quotation (corpus.citations), must exist;
3. write in one transaction, comparing first, so a second load of the same files
   writes nothing and says so.

Curators may also edit notes and works in the app (corpus.editorial_views). The files
are what ships and what a reviewer reads in a diff, so an edit in the app is marked
(`curator_edited_at`) and kept over the file by later loads until `export_corpus
--files` has written it back (the load then sees the file equal to the row and clears
the mark); a file changed meanwhile is reported as a conflict. A deletion in the app is
remembered (EditorialDeletion) the same way. The rule is corpus.curated's, shared with
the glossary, the timeline, errata and uploaded sources.

The same parsing serves the app's forms (`parse_note`, `parse_work`), so a note typed
in a form is checked exactly as one in a file.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from corpus import curated
from corpus.citations import Citation, CitationError, CitationIndex
from corpus.models import (
    EditorialDeletion,
    EditorialNote,
    GlossaryTerm,
    NoteLessonTarget,
    NotePassage,
    ReferenceCitation,
    ReferenceWork,
    TimelineEvent,
)

REFERENCES_DIR = "references"
NOTES_DIR = "notes"
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_FILE = "curated"  # where a note or work made in the app is exported


class EditorialDataError(ValueError):
    """A reference or note file is malformed, or names something that does not exist."""


# --- the entries, as parsed ---------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    slug: str
    kind: str
    authors: tuple[str, ...]
    issuer: str
    editors: tuple[str, ...]
    title: str
    container: str
    volume: str
    issue: str
    publisher: str
    place: str
    year: int
    date: datetime.date | None
    pages: str
    url: str
    doi: str
    note: str
    file: str = field(default="", compare=False)

    def values(self) -> dict[str, Any]:
        """The model's field values (all but slug)."""
        return {
            "kind": self.kind,
            "authors": list(self.authors),
            "issuer": self.issuer,
            "editors": list(self.editors),
            "title": self.title,
            "container": self.container,
            "volume": self.volume,
            "issue": self.issue,
            "publisher": self.publisher,
            "place": self.place,
            "year": self.year,
            "date": self.date,
            "pages": self.pages,
            "url": self.url,
            "doi": self.doi,
            "note": self.note,
        }


@dataclass(frozen=True)
class RefEntry:
    work: str
    at: str


@dataclass(frozen=True)
class LessonTargetEntry:
    lesson: str
    quote: str


@dataclass(frozen=True)
class PositionEntry:
    who: str
    says: str
    passage: Citation | None = None
    reference: RefEntry | None = None


@dataclass(frozen=True)
class NoteEntry:
    slug: str
    kind: str
    title: str
    body: str
    target_passages: tuple[Citation, ...]
    terms: tuple[str, ...]
    events: tuple[str, ...]
    lessons: tuple[LessonTargetEntry, ...]
    references: tuple[RefEntry, ...]
    passages: tuple[Citation, ...]
    claim: str = ""
    correct: str = ""
    positions: tuple[PositionEntry, ...] = ()
    file: str = field(default="", compare=False)

    @property
    def citations(self) -> list[Citation]:
        """Every passage quotation of the note (targets, cited, positions)."""
        return [
            *self.target_passages,
            *self.passages,
            *(p.passage for p in self.positions if p.passage),
        ]

    @property
    def works(self) -> list[str]:
        return [r.work for r in self.references] + [
            p.reference.work for p in self.positions if p.reference
        ]


# --- parsing (no database) ------------------------------------------------------------

WORK_KEYS = {
    "slug", "kind", "authors", "issuer", "editors", "title", "container", "volume", "issue",
    "publisher", "place", "year", "date", "pages", "url", "doi", "note",
}  # fmt: skip
NOTE_KEYS = {
    "slug", "kind", "title", "body", "targets", "references", "passages", "claim", "correct",
    "positions",
}  # fmt: skip


class _Table:
    """One [[work]] or [[note]] table, collecting problems named after it."""

    def __init__(self, raw: Any, *, what: str, number: int, allowed: set[str]) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        slug = self.raw.get("slug")
        self.label = f"{what} {slug!r}" if isinstance(slug, str) and slug else f"{what} #{number}"
        self.problems: list[str] = []
        if not isinstance(raw, dict):
            self.problem("is not a table")
        unknown = sorted(set(self.raw) - allowed)
        if unknown:
            self.problem(f"has unknown key(s) {', '.join(unknown)}")
        if _has_control_character(self.raw):
            # TOML's escapes (\u0000) let any character in; PostgreSQL refuses a NUL.
            self.problem("has a control character in its text (only line breaks and tabs)")

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.label} {message}")

    def text(self, key: str, *, max_length: int, required: bool = False) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str):
            self.problem(f"needs {key} as text")
            return ""
        value = " ".join(value.split())
        if required and not value:
            self.problem(f"needs a {key}")
        if len(value) > max_length:
            self.problem(f"has a {key} longer than {max_length} characters")
        return value

    def slug(self) -> str:
        value = self.text("slug", max_length=80, required=True)
        if value and slugify(value) != value:
            self.problem("has a slug that is not lowercase letters, digits and hyphens")
        return value

    def choice(self, key: str, choices: type[models.TextChoices]) -> str:
        value = self.text(key, max_length=20, required=True)
        if value and value not in choices.values:
            self.problem(f"has {key} {value!r}, not one of {', '.join(choices.values)}")
        return value

    def names(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"needs {key} as a list of texts")
            return ()
        return tuple(" ".join(v.split()) for v in value if v.strip())

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            self.problem(f"needs {key} as a list: {key} = [ {{ ... }}, ... ]")
            return []
        return value


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _has_control_character(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_CONTROL.search(value))
    if isinstance(value, dict):
        return any(_has_control_character(v) for v in [*value, *value.values()])
    if isinstance(value, list):
        return any(_has_control_character(v) for v in value)
    return False


def _citation(table: _Table, item: Any, *, where: str) -> Citation | None:
    if (
        not isinstance(item, dict)
        or set(item) != {"source", "quote"}
        or not all(isinstance(v, str) and v.strip() for v in item.values())
    ):
        table.problem(f'has {where} that is not {{ source = "...", quote = "..." }}: {item!r}')
        return None
    if '"' in item["quote"]:
        table.problem(f"has a quotation with a double quote inside (use single quotes): {where}")
    return Citation(source=item["source"].strip(), quote=" ".join(item["quote"].split()))


def _reference(table: _Table, item: Any, *, where: str) -> RefEntry | None:
    if (
        not isinstance(item, dict)
        or "work" not in item
        or not set(item) <= {"work", "at"}
        or not all(isinstance(v, str) for v in item.values())
        or not item["work"].strip()
    ):
        table.problem(f'has {where} that is not {{ work = "slug", at = "p. 12" }}: {item!r}')
        return None
    at = " ".join(item.get("at", "").split())
    if len(at) > 200:
        table.problem(f"has a locator longer than 200 characters: {at[:40]}…")
    return RefEntry(work=item["work"].strip(), at=at)


def _body(table: _Table) -> str:
    value = table.raw.get("body", "")
    if not isinstance(value, str) or not value.strip():
        table.problem("needs a body (plain text, paragraphs separated by a blank line)")
        return ""
    if re.search(r"<[a-zA-Z/][^>]*>", value):
        table.problem("has HTML in its body: write plain text")
    # Kept as written (line breaks and all) so the file reads back the same; shown
    # with each paragraph's whitespace collapsed (EditorialNote.paragraphs).
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


def parse_work(raw: Any, *, number: int = 1, file: str = "") -> tuple[WorkEntry, list[str]]:
    """One [[work]] table as a WorkEntry, and its problems (empty if none)."""
    table = _Table(raw, what="reference work", number=number, allowed=WORK_KEYS)
    year = table.raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 2100:
        table.problem("needs year as a whole number (2003)")
        year = 0
    date = table.raw.get("date", "")
    if isinstance(date, str) and date.strip():
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            table.problem(f"has date {date!r}, not an ISO date (1956-06-05) or empty")
            date = None
    elif isinstance(date, datetime.date) and not isinstance(date, datetime.datetime):
        pass  # TOML's own date: date = 1956-06-05
    elif date in ("", None):
        date = None
    else:
        table.problem("has a date that is not an ISO date (1956-06-05) or empty")
        date = None
    entry = WorkEntry(
        slug=table.slug(),
        kind=table.choice("kind", ReferenceWork.Kind),
        authors=table.names("authors"),
        issuer=table.text("issuer", max_length=300),
        editors=table.names("editors"),
        title=table.text("title", max_length=500, required=True),
        container=table.text("container", max_length=300),
        volume=table.text("volume", max_length=60),
        issue=table.text("issue", max_length=60),
        publisher=table.text("publisher", max_length=300),
        place=table.text("place", max_length=120),
        year=year,
        date=date,
        pages=table.text("pages", max_length=60),
        url=table.text("url", max_length=500),
        doi=table.text("doi", max_length=200),
        note=table.text("note", max_length=2000),
        file=file,
    )
    if entry.url and not re.match(r"^https?://\S+$", entry.url):
        table.problem(f"has url {entry.url!r}, not an http(s) address")
    return entry, table.problems


def parse_note(raw: Any, *, number: int = 1, file: str = "") -> tuple[NoteEntry, list[str]]:
    """One [[note]] table as a NoteEntry, and its problems (empty if none)."""
    table = _Table(raw, what="note", number=number, allowed=NOTE_KEYS)
    kind = table.choice("kind", EditorialNote.Kind)
    passages, terms, events, lessons = [], [], [], []
    targets = table.items("targets")
    if not targets:
        table.problem("needs at least one target: targets = [ { passage = ... }, { term = ... } ]")
    for item in targets:
        keys = set(item) if isinstance(item, dict) else set()
        if keys == {"passage"}:
            if citation := _citation(table, item["passage"], where="a passage target"):
                passages.append(citation)
        elif keys == {"term"} and isinstance(item["term"], str) and item["term"].strip():
            terms.append(item["term"].strip())
        elif keys == {"event"} and isinstance(item["event"], str) and item["event"].strip():
            events.append(item["event"].strip())
        elif (
            keys == {"lesson", "quote"}
            and all(isinstance(v, str) and v.strip() for v in item.values())
            and slugify(item["lesson"].strip()) == item["lesson"].strip()
        ):
            lessons.append(
                LessonTargetEntry(item["lesson"].strip(), " ".join(item["quote"].split()))
            )
        else:
            table.problem(
                "has a target that is not one of { passage = { source, quote } }, "
                f"{{ term = slug }}, {{ event = slug }}, {{ lesson = slug, quote }}: {item!r}"
            )
    references = [
        ref
        for item in table.items("references")
        if (ref := _reference(table, item, where="a reference"))
    ]
    cited = [
        c for item in table.items("passages") if (c := _citation(table, item, where="a passage"))
    ]
    positions = []
    for item in table.items("positions"):
        if (
            not isinstance(item, dict)
            or not {"who", "says"} <= set(item)
            or not set(item) <= {"who", "says", "passage", "reference"}
            or not all(isinstance(item[k], str) and item[k].strip() for k in ("who", "says"))
        ):
            table.problem(
                "has a position that is not { who = ..., says = ..., passage = { ... } "
                f"or reference = {{ ... }} }}: {item!r}"
            )
            continue
        positions.append(
            PositionEntry(
                who=" ".join(item["who"].split()),
                says=" ".join(item["says"].split()),
                passage=_citation(table, item["passage"], where="a position's passage")
                if "passage" in item
                else None,
                reference=_reference(table, item["reference"], where="a position's reference")
                if "reference" in item
                else None,
            )
        )
    entry = NoteEntry(
        slug=table.slug(),
        kind=kind,
        title=table.text("title", max_length=200, required=True),
        body=_body(table),
        target_passages=tuple(passages),
        terms=tuple(terms),
        events=tuple(events),
        lessons=tuple(lessons),
        references=tuple(references),
        passages=tuple(cited),
        claim=table.text("claim", max_length=1000),
        correct=table.text("correct", max_length=1000),
        positions=tuple(positions),
        file=file,
    )
    if kind == EditorialNote.Kind.CORRECTION and not entry.references:
        table.problem("is a correction but cites no reference work: references = [ { work, at } ]")
    if (
        not entry.references
        and not entry.passages
        and not any(p.passage or p.reference for p in entry.positions)
    ):
        table.problem("cites neither a reference work nor a passage (references or passages)")
    if kind != EditorialNote.Kind.CORRECTION and (entry.claim or entry.correct):
        table.problem("has claim or correct, which only a correction may have")
    if kind != EditorialNote.Kind.DISPUTE and entry.positions:
        table.problem("has positions, which only a dispute may have")
    return entry, table.problems


def _read_tables(path: Path, *, table: str) -> list[Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise EditorialDataError(f"{path.name}: not UTF-8 text") from None
    except ValueError as error:  # TOMLDecodeError, or a number thousands of digits long
        raise EditorialDataError(f"{path.name}: not valid TOML ({error})") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise EditorialDataError(f"{path.name}: not valid TOML (nested too deeply)") from None
    unknown = sorted(set(data) - {table})
    if unknown:
        raise EditorialDataError(
            f"{path.name}: only [[{table}]] tables belong here, not {', '.join(unknown)}"
        )
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise EditorialDataError(f"{path.name}: [[{table}]] must be an array of tables")
    return entries


def read_dir(directory: Path, *, table: str, parse: Callable) -> tuple[list, list[str]]:
    """Every entry of every file in `directory`, and every problem (duplicates included)."""
    entries, problems = [], []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
        if not FILE_NAME.match(path.stem):
            problems.append(f"{path.name}: a file name is lowercase letters, digits and hyphens")
            continue
        for number, raw in enumerate(_read_tables(path, table=table), start=1):
            entry, found = parse(raw, number=number, file=path.stem)
            problems += [f"{path.name}: {p}" for p in found]
            if entry.slug in seen:
                problems.append(
                    f"{path.name}: {table} {entry.slug!r} is also in {seen[entry.slug]}.toml "
                    "(a slug is unique across all files)"
                )
                continue
            if entry.slug:
                seen[entry.slug] = path.stem
            entries.append(entry)
    return entries, problems


def read_works(*, data_dir: Path | None = None) -> list[WorkEntry]:
    """Every [[work]] in references/*.toml; EditorialDataError lists every problem."""
    directory = Path(data_dir or settings.CORPUS_DATA_DIR) / REFERENCES_DIR
    entries, problems = read_dir(directory, table="work", parse=parse_work)
    _raise(problems, what="reference works")
    return entries


def read_notes(*, data_dir: Path | None = None) -> list[NoteEntry]:
    """Every [[note]] in notes/*.toml; EditorialDataError lists every problem."""
    directory = Path(data_dir or settings.CORPUS_DATA_DIR) / NOTES_DIR
    entries, problems = read_dir(directory, table="note", parse=parse_note)
    _raise(problems, what="editorial notes")
    return entries


def _raise(problems: Sequence[str], *, what: str) -> None:
    if problems:
        raise EditorialDataError(
            f"{len(problems)} problem(s) in the {what}, nothing was loaded:\n  "
            + "\n  ".join(problems)
        )


# --- the database's rows as entries (what the app edited, and the export) -----------------


def work_table(work: ReferenceWork) -> dict[str, Any]:
    """A work as its [[work]] table, every key in the spec's order."""
    return {
        "slug": work.slug,
        "kind": work.kind,
        "authors": list(work.authors),
        "issuer": work.issuer,
        "editors": list(work.editors),
        "title": work.title,
        "container": work.container,
        "volume": work.volume,
        "issue": work.issue,
        "publisher": work.publisher,
        "place": work.place,
        "year": work.year,
        "date": work.date.isoformat() if work.date else "",
        "pages": work.pages,
        "url": work.url,
        "doi": work.doi,
        "note": work.note,
    }


def _cite_table(link: NotePassage) -> dict[str, str]:
    return {"source": link.passage.source.slug, "quote": link.quote}


def _ref_table(citation: ReferenceCitation) -> dict[str, str]:
    return {"work": citation.work.slug, "at": citation.at}


def note_table(note: EditorialNote) -> dict[str, Any]:
    """A note as its [[note]] table (expects EditorialNote.objects.for_export() rows)."""
    targets: list[dict[str, Any]] = [{"passage": _cite_table(link)} for link in note.target_links]
    targets += [{"term": term.slug} for term in note.terms.all()]
    targets += [{"event": event.slug} for event in note.events.all()]
    targets += [{"lesson": t.lesson, "quote": t.quote} for t in note.lesson_targets.all()]
    table: dict[str, Any] = {
        "slug": note.slug,
        "kind": note.kind,
        "title": note.title,
        "body": note.body,
        "targets": targets,
        "references": [_ref_table(c) for c in note.references],
        "passages": [_cite_table(link) for link in note.cited_links],
    }
    if note.kind == EditorialNote.Kind.CORRECTION:
        table["claim"] = note.claim
        table["correct"] = note.correct
    if note.kind == EditorialNote.Kind.DISPUTE:
        positions = []
        for row in note.position_rows:
            position: dict[str, Any] = {"who": row["who"], "says": row["says"]}
            if row["link"] is not None:
                position["passage"] = _cite_table(row["link"])
            if row["reference"] is not None:
                position["reference"] = _ref_table(row["reference"])
            positions.append(position)
        table["positions"] = positions
    return table


def notes_for_export() -> models.QuerySet[EditorialNote]:
    """Notes with everything `note_table` reads, in a fixed number of queries."""
    return EditorialNote.objects.for_display().prefetch_related("terms", "events", "lesson_targets")


def note_entry(note: EditorialNote) -> NoteEntry:
    entry, problems = parse_note(note_table(note), file=note.file)
    if problems:  # a row the app saved is checked by the same rules; this is a bug
        raise EditorialDataError(f"note {note.slug!r} in the database: " + "; ".join(problems))
    return entry


def work_entry(work: ReferenceWork) -> WorkEntry:
    entry, problems = parse_work(work_table(work), file=work.file)
    if problems:
        raise EditorialDataError(f"work {work.slug!r} in the database: " + "; ".join(problems))
    return entry


# --- checking against the database ---------------------------------------------------------


@dataclass
class ResolvedNote:
    entry: NoteEntry
    target_ids: list[tuple[int, str]]  # (passage id, quote)
    cited_ids: list[tuple[int, str]]
    position_ids: dict[int, tuple[int, str]]  # position index -> (passage id, quote)


def resolve_notes(
    entries: Sequence[NoteEntry],
    *,
    work_slugs: Iterable[str],
    term_slugs: Iterable[str] | None = None,
    event_slugs: Iterable[str] | None = None,
) -> list[ResolvedNote]:
    """Every note's passages resolved and every slug checked; EditorialDataError lists
    every problem (naming the note)."""
    works = set(work_slugs)
    terms = set(
        GlossaryTerm.objects.values_list("slug", flat=True) if term_slugs is None else term_slugs
    )
    events = set(
        TimelineEvent.objects.values_list("slug", flat=True) if event_slugs is None else event_slugs
    )
    index = CitationIndex.for_sources(c.source for e in entries for c in e.citations)
    problems: list[str] = []
    resolved = []

    def find(entry: NoteEntry, citation: Citation) -> tuple[int, str] | None:
        try:
            return index.find(citation).pk, citation.quote
        except CitationError as error:
            problems.append(f"note {entry.slug!r}: " + " ".join(str(error).split()))
            return None

    for entry in entries:
        for slug in sorted(set(entry.works) - works):
            problems.append(f"note {entry.slug!r}: no reference work {slug!r}")
        for slug in entry.terms:
            if slug not in terms:
                problems.append(f"note {entry.slug!r}: no glossary term {slug!r}")
        for slug in entry.events:
            if slug not in events:
                problems.append(f"note {entry.slug!r}: no timeline event {slug!r}")
        positions = {}
        for n, position in enumerate(entry.positions):
            if position.passage and (found := find(entry, position.passage)):
                positions[n] = found
        resolved.append(
            ResolvedNote(
                entry=entry,
                target_ids=[f for c in entry.target_passages if (f := find(entry, c))],
                cited_ids=[f for c in entry.passages if (f := find(entry, c))],
                position_ids=positions,
            )
        )
    if problems:
        raise EditorialDataError(
            f"{len(problems)} problem(s) in the editorial notes, nothing was loaded:\n  "
            + "\n  ".join(problems)
        )
    return resolved


# Lessons check that a note's lesson sentence is in the lesson (corpus cannot import
# lessons): the lessons app registers a checker when it starts (LessonsConfig.ready).
# A checker takes (note slug, lesson slug, quote) triples and returns a problem per
# triple it cannot place. load_corpus does not call it (lessons load after the corpus,
# and load_lessons checks the notes itself); the curators' note form does.
LessonChecker = Callable[[Sequence[tuple[str, str, str]]], list[str]]
_lesson_checkers: list[LessonChecker] = []


def register_lesson_checker(checker: LessonChecker) -> None:
    if checker not in _lesson_checkers:
        _lesson_checkers.append(checker)


def check_lesson_targets(targets: Sequence[tuple[str, str, str]]) -> list[str]:
    """Problems with these (note, lesson, quote) targets against the lessons as stored."""
    return [problem for checker in _lesson_checkers for problem in checker(targets)]


# --- writing -------------------------------------------------------------------------------


@dataclass
class EditorialReport(curated.CurationReport):
    works: int = 0
    notes: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    links_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.updated or self.deleted or self.links_changed or self.caught_up
        )

    def summary(self) -> str:
        state = (
            f"{self.created} created, {self.updated} updated, {self.deleted} deleted, "
            f"{self.links_changed} links changed"
            if self.changed
            else "unchanged"
        )
        lines = [f"editorial: {self.works} reference works, {self.notes} notes ({state})"]
        return "\n".join(lines + self.lines())


def _upsert(
    model: type[models.Model],
    rows: dict[str, dict[str, Any]],
    *,
    bookkeeping: Callable[[str], dict[str, Any]],
) -> tuple[dict[str, int], int, int]:
    """Create or update rows by slug (only what differs), with `bookkeeping(slug)`'s bookkeeping
    columns (corpus.curated); returns slug -> pk and counts."""
    existing = {obj.slug: obj for obj in model.objects.filter(slug__in=rows)}
    created = updated = 0
    for slug, row in rows.items():
        values = {**row, **bookkeeping(slug)}
        obj = existing.get(slug)
        if obj is None:
            existing[slug] = model.objects.create(slug=slug, **values)
            created += 1
            continue
        changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.save(update_fields=[*changed, "updated_at"])
            updated += 1
    return {slug: obj.pk for slug, obj in existing.items()}, created, updated


def sync_owned_rows(
    model: type[models.Model],
    *,
    owner: str,
    wanted: dict[int, list[dict[str, Any]]],
    scope: models.Q | None = None,
) -> int:
    """Make `model`'s rows of each owner (the `owner` foreign key's id) equal `wanted`,
    in order; an owner whose rows differ is rewritten. Owners absent from `wanted`
    (within `scope`) lose their rows. Returns the number of rows removed plus added."""
    fields = sorted({name for rows in wanted.values() for row in rows for name in row})
    queryset = model.objects.all() if scope is None else model.objects.filter(scope)
    current: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for row in queryset.order_by("ordinal", "pk").values("pk", owner, *fields):
        pk, owner_id = row.pop("pk"), row.pop(owner)
        current[owner_id].append((pk, row))
    remove, add = [], []
    for owner_id in set(current) | set(wanted):
        have = current.get(owner_id, [])
        want = wanted.get(owner_id, [])
        if [row for _, row in have] != want:
            remove += [pk for pk, _ in have]
            add += [model(**{owner: owner_id}, **row) for row in want]
    for start in range(0, len(remove), 500):  # under every backend's parameter limit
        model.objects.filter(pk__in=remove[start : start + 500]).delete()
    model.objects.bulk_create(add, batch_size=500)
    return len(remove) + len(add)


@transaction.atomic
def load_reference_works(
    *, data_dir: Path | None = None, take_file: Collection[str] = ()
) -> EditorialReport:
    """Create or update the reference works of references/*.toml (before the glossary and
    timeline, which cite them), keeping curators' changes (corpus.curated; `take_file`
    names slugs whose change is dropped for the file's). Works no file lists are removed
    by `load_notes`, once nothing cites them any more."""
    report = EditorialReport()
    entries = read_works(data_dir=data_dir)
    rows = {w.slug: w for w in ReferenceWork.objects.all()}
    merged = curated.merge(
        entries, rows, what="work", to_entry=work_entry, report=report, take_file=take_file
    )
    _, report.created, report.updated = _upsert(
        ReferenceWork,
        {e.slug: {**e.values(), "file": e.file} for e in merged.entries},
        bookkeeping=merged.row_values,
    )
    report.works = len(merged.entries)
    return report


@transaction.atomic
def load_notes(
    *,
    data_dir: Path | None = None,
    works: EditorialReport | None = None,
    take_file: Collection[str] = (),
) -> EditorialReport:
    """Load notes/*.toml (after the glossary and timeline: notes name their entries), then
    delete the notes and works that neither a file nor an edit in the app holds.

    Idempotent; EditorialDataError, naming every problem, leaves the database as it was.
    """
    report = works or EditorialReport()
    entries = read_notes(data_dir=data_dir)
    rows = {n.slug: n for n in notes_for_export()}
    merged = curated.merge(
        entries, rows, what="note", to_entry=note_entry, report=report, take_file=take_file
    )
    work_slugs = set(
        ReferenceWork.objects.exclude(
            slug__in=EditorialDeletion.objects.filter(what="work").values("slug")
        ).values_list("slug", flat=True)
    )
    resolved = resolve_notes(merged.entries, work_slugs=work_slugs)
    note_pks, created, updated = _upsert(
        EditorialNote,
        {
            r.entry.slug: {
                "kind": r.entry.kind,
                "title": r.entry.title,
                "body": r.entry.body,
                "claim": r.entry.claim,
                "correct": r.entry.correct,
                "positions": [{"who": p.who, "says": p.says} for p in r.entry.positions],
                "file": r.entry.file,
            }
            for r in resolved
        },
        bookkeeping=merged.row_values,
    )
    report.created += created
    report.updated += updated
    stale = EditorialNote.objects.exclude(slug__in=note_pks)
    report.deleted += stale.count()
    stale.delete()
    report.links_changed += write_note_links(resolved, note_pks=note_pks)

    # Works: those a file or the app holds stay; the rest go once nothing cites them.
    listed = {e.slug for e in read_works(data_dir=data_dir)}
    gone = ReferenceWork.objects.exclude(slug__in=listed).filter(curator_edited_at__isnull=True)
    still_cited = sorted(
        {
            f"{c.work.slug} (cited by {_owner_label(c)})"
            for c in ReferenceCitation.objects.filter(work__in=gone).select_related(
                "work", "note", "term", "event"
            )
        }
    )
    if still_cited:
        raise EditorialDataError(
            "reference works no file lists are still cited, nothing was loaded: "
            + "; ".join(still_cited)
        )
    report.deleted += gone.count()
    try:
        gone.delete()
    except models.ProtectedError as error:  # a lesson cites it (lessons.Citation)
        users = sorted({str(obj) for obj in error.protected_objects})[:10]
        raise EditorialDataError(
            "reference works no file lists are still cited by lessons, nothing was loaded: "
            + "; ".join(users)
        ) from None
    report.works = ReferenceWork.objects.count()
    report.notes = len(resolved)
    return report


def _owner_label(citation: ReferenceCitation) -> str:
    if citation.note_id:
        return f"note {citation.note.slug!r}"
    if citation.term_id:
        return f"glossary term {citation.term.slug!r}"
    return f"timeline event {citation.event.slug!r}"


def write_note_links(resolved: Sequence[ResolvedNote], *, note_pks: dict[str, int]) -> int:
    """Every resolved note's passages, references, terms, events and lesson sentences
    (only the notes given are touched). Returns the rows added plus removed."""
    work_pks = dict(ReferenceWork.objects.values_list("slug", "pk"))
    term_pks = dict(GlossaryTerm.objects.values_list("slug", "pk"))
    event_pks = dict(TimelineEvent.objects.values_list("slug", "pk"))
    owners = [note_pks[r.entry.slug] for r in resolved]
    passages, references, lessons = {}, {}, {}
    terms, events = {}, {}
    for r in resolved:
        pk = note_pks[r.entry.slug]
        rows = [
            {"passage_id": p, "role": NotePassage.Role.TARGET, "quote": q, "position": None}
            for p, q in r.target_ids
        ]
        rows += [
            {"passage_id": p, "role": NotePassage.Role.CITES, "quote": q, "position": None}
            for p, q in r.cited_ids
        ]
        rows += [
            {"passage_id": p, "role": NotePassage.Role.POSITION, "quote": q, "position": n}
            for n, (p, q) in sorted(r.position_ids.items())
        ]
        passages[pk] = [{**row, "ordinal": n} for n, row in enumerate(rows)]
        refs = [
            {"work_id": work_pks[ref.work], "at": ref.at, "position": None}
            for ref in r.entry.references
        ]
        refs += [
            {"work_id": work_pks[p.reference.work], "at": p.reference.at, "position": n}
            for n, p in enumerate(r.entry.positions)
            if p.reference
        ]
        references[pk] = [{**row, "ordinal": n} for n, row in enumerate(refs)]
        lessons[pk] = [
            {"lesson": t.lesson, "quote": t.quote, "ordinal": n}
            for n, t in enumerate(r.entry.lessons)
        ]
        terms[pk] = {term_pks[s] for s in r.entry.terms}
        events[pk] = {event_pks[s] for s in r.entry.events}
    scope = models.Q(note_id__in=owners)
    changed = sync_owned_rows(NotePassage, owner="note_id", wanted=passages, scope=scope)
    changed += sync_owned_rows(
        ReferenceCitation,
        owner="note_id",
        wanted=references,
        scope=models.Q(note_id__in=owners),
    )
    changed += sync_owned_rows(NoteLessonTarget, owner="note_id", wanted=lessons, scope=scope)
    changed += _sync_m2m_for(EditorialNote.terms, owners=owners, wanted=terms)
    changed += _sync_m2m_for(EditorialNote.events, owners=owners, wanted=events)
    return changed


def _sync_m2m_for(relation: Any, *, owners: list[int], wanted: dict[int, set[int]]) -> int:
    """The many-to-many rows of these owners made equal to `wanted` (others untouched)."""
    through = relation.through
    owner = relation.field.m2m_field_name() + "_id"
    target = relation.field.m2m_reverse_field_name() + "_id"
    have = set(through.objects.filter(**{f"{owner}__in": owners}).values_list(owner, target))
    want = {(o, t) for o, targets in wanted.items() for t in targets}
    stale = have - want
    if stale:
        stale_q = models.Q()
        for o, t in stale:
            stale_q |= models.Q(**{owner: o, target: t})
        through.objects.filter(stale_q).delete()
    through.objects.bulk_create([through(**{owner: o, target: t}) for o, t in want - have])
    return len(stale) + len(want - have)


def sync_entry_references(*, owner: str, wanted: dict[int, Sequence[RefEntry]], what: str) -> int:
    """The reference citations of glossary terms (owner "term_id") or timeline events
    ("event_id"): EditorialDataError names an unknown work. Returns rows changed."""
    work_pks = dict(ReferenceWork.objects.values_list("slug", "pk"))
    unknown = sorted({ref.work for refs in wanted.values() for ref in refs} - set(work_pks))
    if unknown:
        raise EditorialDataError(
            f"{what} cite reference works that do not exist: {', '.join(unknown)} "
            "(add them to corpus/data/references/*.toml)"
        )
    rows = {
        pk: [
            {"work_id": work_pks[ref.work], "at": ref.at, "position": None, "ordinal": n}
            for n, ref in enumerate(refs)
        ]
        for pk, refs in wanted.items()
    }
    return sync_owned_rows(
        ReferenceCitation, owner=owner, wanted=rows, scope=models.Q(**{f"{owner}__isnull": False})
    )
