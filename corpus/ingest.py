"""Loading source documents into the corpus: read, clean, split, correct, flag, save.

The manifest (``corpus/data/sources.toml``, plus one ``imported/<slug>.toml`` per
document added with ``import_source``) lists works and sources.  For each source:

1. the file is read and validated (`validate_document`, shared with uploads);
2. its cleaning profile turns it into blocks (corpus.cleaning);
3. its errata are applied and recorded on each passage (corpus.errata);
4. each passage is flagged good / fragment / garbled (corpus.cleaning.assess_quality);
5. the passages are matched to those already stored (`match_passages`), so a passage
   keeps its row and its `key` across re-ingests and citations never break;
   passages no longer found are retired (`is_current=False`), never deleted.

A source whose file, errata, profile and CLEANING_VERSION are unchanged since the
last load is skipped without a write (`Source.content_hash` holds that fingerprint).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from rapidfuzz import fuzz, process

from corpus import cleaning
from corpus.errata import Correction, ErrataError, apply_corrections, read_errata
from corpus.models import Passage, Source, Work
from corpus.plain_text import control_character_problem

ALLOWED_SUFFIXES = (".txt", ".text", ".md", ".markdown")
# Two passages whose normalised texts score at least this (rapidfuzz ratio, 0-100)
# are the same passage edited: an erratum or a re-cleaning changes a few
# characters (scores of 95+), a different paragraph scores far lower.
MATCH_THRESHOLD = 85.0
_CONTROL_BYTES = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n:,} bytes"


class DocumentError(ValueError):
    """A document or manifest that cannot be ingested; the message says why, in one line."""


# --- validation ------------------------------------------------------------------


def validate_document(*, name: str, data: bytes) -> str:
    """The text of an uploaded or imported document, or DocumentError saying why not."""
    limit = settings.CORPUS_MAX_UPLOAD_BYTES
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DocumentError(
            f"{name}: only plain text or Markdown files ({', '.join(ALLOWED_SUFFIXES)}) can be imported"
        )
    if not data:
        raise DocumentError(f"{name}: the file is empty")
    if len(data) > limit:
        raise DocumentError(f"{name}: the file is {_size(len(data))}; the limit is {_size(limit)}")
    if b"\x00" in data:
        raise DocumentError(f"{name}: this is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{name}: the file is not UTF-8 text (undecodable byte at position {error.start})"
        ) from error
    if _CONTROL_BYTES.search(text):
        raise DocumentError(f"{name}: the file contains control characters; is it a binary file?")
    if not text.strip():
        raise DocumentError(f"{name}: the file contains no text")
    return text


def parse_date(value: str) -> tuple[datetime.date | None, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as (first day of the period, display
    text); ``""`` is (None, "")."""
    value = value.strip()
    if not value:
        return None, ""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        raise DocumentError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise DocumentError(f"bad date {value!r}: {error}") from error
    if day:
        return date, f"{date.day} {date:%B %Y}"
    if month:
        return date, f"{date:%B %Y}"
    return date, year


# --- the manifest ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkEntry:
    slug: str
    title: str
    kind: str = Work.Kind.OTHER
    date: str = ""
    summary: str = ""
    ordinal: int = 0


@dataclass(frozen=True)
class SourceEntry:
    slug: str
    work: str
    file: str
    title: str
    profile: str = "generic"
    kind: str = Source.Kind.OTHER
    ordinal: int = 0
    author: str = ""
    date: str = ""
    date_display: str = ""
    language: str = "English"
    translator: str = ""
    citation: str = ""
    url: str = ""
    provenance: str = ""
    quotes_work: str = ""


@dataclass(frozen=True)
class Manifest:
    works: tuple[WorkEntry, ...]
    sources: tuple[SourceEntry, ...]


def _entries(document: dict, table: str, cls: type, *, name: str) -> list:
    rows = document.get(table, [])
    if not isinstance(rows, list):
        raise DocumentError(f"{name}: '{table}' must be an array of tables ([[{table}]])")
    known = set(cls.__dataclass_fields__)
    out = []
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - known
        if unknown:
            raise DocumentError(f"{name}: {table} {number} has unknown keys {sorted(unknown)}")
        try:
            out.append(cls(**row))
        except TypeError as error:
            raise DocumentError(f"{name}: {table} {number} is incomplete ({error})") from error
    return out


def read_manifest(data_dir: Path) -> Manifest:
    """sources.toml and imported/*.toml, checked: unique slugs, known works,
    profiles and kinds, readable dates."""
    paths = [data_dir / "sources.toml", *sorted((data_dir / "imported").glob("*.toml"))]
    works: list[WorkEntry] = []
    sources: list[SourceEntry] = []
    for path in paths:
        if not path.exists():
            raise DocumentError(f"{path}: manifest not found")
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise DocumentError(f"{path.name}: not valid TOML ({error})") from error
        works += _entries(document, "work", WorkEntry, name=path.name)
        sources += _entries(document, "source", SourceEntry, name=path.name)
    _check_manifest(works, sources)
    return Manifest(works=tuple(works), sources=tuple(sources))


def _check_manifest(works: Sequence[WorkEntry], sources: Sequence[SourceEntry]) -> None:
    for kind, slugs in (("work", [w.slug for w in works]), ("source", [s.slug for s in sources])):
        duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
        if duplicates:
            raise DocumentError(f"manifest: {kind} slug listed twice: {', '.join(duplicates)}")
    work_slugs = {w.slug for w in works}
    for work in works:
        if work.kind not in Work.Kind.values:
            raise DocumentError(f"manifest: work {work.slug} has unknown kind {work.kind!r}")
        parse_date(work.date)
    for source in sources:
        if source.work not in work_slugs:
            raise DocumentError(
                f"manifest: source {source.slug} names unknown work {source.work!r}"
            )
        if source.quotes_work and source.quotes_work not in work_slugs:
            raise DocumentError(
                f"manifest: source {source.slug} quotes unknown work {source.quotes_work!r}"
            )
        if source.profile not in cleaning.PROFILES:
            raise DocumentError(
                f"manifest: source {source.slug} has unknown profile {source.profile!r}"
            )
        if source.kind not in Source.Kind.values:
            raise DocumentError(f"manifest: source {source.slug} has unknown kind {source.kind!r}")
        parse_date(source.date)


# --- passages ----------------------------------------------------------------------


@dataclass
class Draft:
    """A passage as the ingest made it, before it is matched to a stored row."""

    text: str
    kind: str
    section: str
    page_start: int | None
    page_end: int | None
    quality: str
    quality_note: str
    corrections: list[dict[str, str]]
    quoted_work_id: int | None = None


def build_drafts(
    text: str, *, profile: str, corrections: Sequence[Correction], quoted_work_id: int | None
) -> tuple[list[Draft], list[Correction]]:
    """The passages of a document and the corrections that matched nothing."""
    blocks = cleaning.clean(text, profile=profile)
    unused = list(corrections)
    drafts = []
    for number, block in enumerate(blocks):
        corrected, applied = apply_corrections(block.text, corrections)
        if applied:
            unused = [c for c in unused if not c.pattern.search(block.text)]
        block = cleaning.Block(**{**block.__dict__, "text": corrected})
        quality, note = cleaning.assess_quality(block, is_last=number == len(blocks) - 1)
        drafts.append(
            Draft(
                text=corrected,
                kind=block.kind,
                section=block.section[:300],
                page_start=block.page_start,
                page_end=block.page_end,
                quality=quality,
                quality_note=note[:300],
                corrections=applied,
                quoted_work_id=quoted_work_id if block.kind == Passage.Kind.QUOTATION else None,
            )
        )
    return drafts, unused


def match_passages(
    *, old: Sequence[str], new: Sequence[str], threshold: float = MATCH_THRESHOLD
) -> dict[int, int]:
    """new index -> old index, one-to-one: identical normalised text first (in
    order), then the most similar remaining pairs scoring at least `threshold`."""
    old_norm = [cleaning.normalise_for_matching(t) for t in old]
    new_norm = [cleaning.normalise_for_matching(t) for t in new]
    by_text: dict[str, list[int]] = {}
    for j, text in enumerate(old_norm):
        by_text.setdefault(text, []).append(j)
    mapping: dict[int, int] = {}
    for i, text in enumerate(new_norm):
        if by_text.get(text):
            mapping[i] = by_text[text].pop(0)
    new_left = [i for i in range(len(new)) if i not in mapping]
    taken = set(mapping.values())
    old_left = [j for j in range(len(old)) if j not in taken]
    if new_left and old_left:
        choices = [old_norm[j] for j in old_left]
        pairs = sorted(
            (-score, abs(i - old_left[b]), i, old_left[b])
            for i in new_left
            for _choice, score, b in process.extract(
                new_norm[i], choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
            )
        )
        for _score, _distance, i, j in pairs:
            if i not in mapping and j not in taken:
                mapping[i] = j
                taken.add(j)
    return mapping


def mint_key(text: str, *, taken: set[str]) -> str:
    """A short stable key from the passage's text, with a suffix if it is taken
    (repeated stage directions have the same text)."""
    base = cleaning.text_digest(text)[:8]
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


@dataclass
class IngestReport:
    slug: str
    passages: int = 0
    added: int = 0
    changed: int = 0
    retired: int = 0
    revived: int = 0
    corrections: int = 0
    skipped: bool = False
    unused_errata: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.skipped:
            return f"{self.slug}: unchanged ({self.passages} passages)"
        line = (
            f"{self.slug}: {self.passages} passages, {self.added} added, {self.changed} changed, "
            f"{self.retired} retired"
        )
        if self.revived:
            line += f", {self.revived} revived"
        return line + f", {self.corrections} corrections applied"


_SYNCED_FIELDS = [
    "ordinal",
    "kind",
    "section",
    "page_start",
    "page_end",
    "text",
    "quality",
    "quality_note",
    "corrections",
    "quoted_work_id",
]


@transaction.atomic
def sync_passages(*, source: Source, drafts: Sequence[Draft]) -> IngestReport:
    """Store `drafts` as the current passages of `source`, keeping the row and key
    of every passage that is still recognisably there."""
    report = IngestReport(slug=source.slug, passages=len(drafts))
    report.corrections = sum(len(d.corrections) for d in drafts)
    old = list(source.passages.order_by("-is_current", "ordinal", "pk"))
    mapping = match_passages(old=[p.text for p in old], new=[d.text for d in drafts])
    now = timezone.now()
    taken = {p.key for p in old}
    matched: set[int] = set()
    to_update: list[Passage] = []
    to_create: list[Passage] = []
    for index, draft in enumerate(drafts):
        values = {name: getattr(draft, name) for name in _SYNCED_FIELDS if name != "ordinal"}
        values["ordinal"] = index + 1
        j = mapping.get(index)
        if j is None:
            key = mint_key(draft.text, taken=taken)
            taken.add(key)
            to_create.append(Passage(source=source, key=key, **values))
            report.added += 1
            continue
        passage = old[j]
        matched.add(j)
        dirty = not passage.is_current
        if not passage.is_current:
            passage.is_current = True
            report.revived += 1
        if passage.text != draft.text:
            passage.text_changed_at = now
            report.changed += 1
        for name, value in values.items():
            if getattr(passage, name) != value:
                setattr(passage, name, value)
                dirty = True
        if dirty:
            to_update.append(passage)
    for j, passage in enumerate(old):
        if j not in matched and passage.is_current:
            passage.is_current = False
            to_update.append(passage)
            report.retired += 1
    if to_update:
        Passage.objects.bulk_update(
            to_update, [*_SYNCED_FIELDS, "is_current", "text_changed_at"], batch_size=500
        )
    if to_create:
        Passage.objects.bulk_create(to_create, batch_size=500)
    return report


# --- loading ----------------------------------------------------------------------


def fingerprint(*, data: bytes, errata: bytes, profile: str, quotes_work: str) -> str:
    """What decides whether a source must be re-ingested: its bytes, its errata,
    its profile, what it quotes and the cleaning code's version."""
    digest = hashlib.sha256()
    for part in (cleaning.CLEANING_VERSION, profile, quotes_work):
        digest.update(part.encode() + b"\0")
    digest.update(hashlib.sha256(data).digest())
    digest.update(hashlib.sha256(errata).digest())
    return digest.hexdigest()


def _work_values(entry: WorkEntry) -> dict:
    date, _display = parse_date(entry.date)
    return {
        "title": entry.title,
        "kind": entry.kind,
        "date": date,
        "summary": entry.summary,
        "ordinal": entry.ordinal,
    }


def _source_values(entry: SourceEntry, *, work: Work) -> dict:
    date, display = parse_date(entry.date)
    return {
        "work": work,
        "title": entry.title,
        "kind": entry.kind,
        "author": entry.author,
        "date": date,
        "date_display": entry.date_display or display,
        "language": entry.language,
        "translator": entry.translator,
        "citation": entry.citation,
        "url": entry.url,
        "provenance": entry.provenance,
        "file_name": entry.file,
        "ordinal": entry.ordinal,
    }


def _upsert(model, *, slug: str, values: dict):
    """Create or update a row by slug, writing only when something differs."""
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        return model.objects.create(slug=slug, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[*changed, "updated_at"] if model is Source else changed)
    return obj


@dataclass(frozen=True)
class _Prepared:
    entry: SourceEntry
    text: str
    fingerprint: str
    corrections: list[Correction]


def _prepare(entry: SourceEntry, *, data_dir: Path) -> _Prepared:
    path = data_dir / "sources" / entry.file
    if not path.is_file():
        raise DocumentError(f"{entry.slug}: file not found: {path}")
    data = path.read_bytes()
    text = validate_document(name=path.name, data=data)
    try:
        corrections, errata = read_errata(data_dir / "errata" / f"{entry.slug}.toml")
    except ErrataError as error:
        raise DocumentError(str(error)) from error
    return _Prepared(
        entry=entry,
        text=text,
        fingerprint=fingerprint(
            data=data, errata=errata, profile=entry.profile, quotes_work=entry.quotes_work
        ),
        corrections=corrections,
    )


@transaction.atomic
def load_corpus(*, data_dir: Path | None = None, force: bool = False) -> list[IngestReport]:
    """Load every work and source of the manifest; one transaction, so a bad file
    leaves the database as it was.  Sources not in the manifest are left alone."""
    data_dir = Path(data_dir or settings.CORPUS_DATA_DIR)
    manifest = read_manifest(data_dir)
    # Read and validate every file before writing anything.
    prepared = [_prepare(entry, data_dir=data_dir) for entry in manifest.sources]
    works = {w.slug: _upsert(Work, slug=w.slug, values=_work_values(w)) for w in manifest.works}
    return [_ingest(p, works=works, force=force) for p in prepared]


def _ingest(prepared: _Prepared, *, works: dict[str, Work], force: bool) -> IngestReport:
    entry = prepared.entry
    source = _upsert(Source, slug=entry.slug, values=_source_values(entry, work=works[entry.work]))
    if not force and source.content_hash == prepared.fingerprint:
        return IngestReport(
            slug=entry.slug, passages=source.passages.current().count(), skipped=True
        )
    quoted = works[entry.quotes_work].pk if entry.quotes_work else None
    drafts, unused = build_drafts(
        prepared.text,
        profile=entry.profile,
        corrections=prepared.corrections,
        quoted_work_id=quoted,
    )
    if not drafts:
        raise DocumentError(f"{entry.slug}: no text left after cleaning")
    report = sync_passages(source=source, drafts=drafts)
    report.unused_errata = [c.wrong for c in unused]
    Source.objects.filter(pk=source.pk).update(content_hash=prepared.fingerprint)
    return report


# --- importing a new document -------------------------------------------------------


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _toml_table(name: str, values: dict) -> str:
    lines = [f"[[{name}]]"]
    for key, value in values.items():
        lines.append(f"{key} = {value if isinstance(value, int) else _toml_string(value)}")
    return "\n".join(lines) + "\n"


@transaction.atomic
def import_document(
    *,
    path: Path,
    work: str,
    title: str,
    date: str,
    kind: str = Source.Kind.OTHER,
    work_kind: str = Work.Kind.OTHER,
    author: str = "",
    citation: str = "",
    slug: str = "",
    profile: str = "generic",
    data_dir: Path | None = None,
) -> IngestReport:
    """Add a plain-text or Markdown document as a new source.

    The file is copied into ``sources/`` and its metadata written to
    ``imported/<slug>.toml``, which `load_corpus` reads with the manifest, so a
    later load neither drops nor duplicates it.  Any error leaves the database
    and the data directory as they were."""
    data_dir = Path(data_dir or settings.CORPUS_DATA_DIR)
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    size, limit = path.stat().st_size, settings.CORPUS_MAX_UPLOAD_BYTES
    if size > limit:
        # Refused before reading: a huge file is never loaded into memory.
        raise DocumentError(f"{path.name}: the file is {_size(size)}; the limit is {_size(limit)}")
    data = path.read_bytes()
    text = validate_document(name=path.name, data=data)
    fields = {"title": title, "work": work, "date": date, "author": author, "citation": citation}
    for field_name, value in fields.items():
        problem = control_character_problem(value)
        if problem:  # PostgreSQL refuses a NUL; none of these is meant to hold one
            raise DocumentError(f"the {field_name} {problem}")
    if not title.strip():
        raise DocumentError("--title must not be empty")
    _date, date_display = parse_date(date)
    if kind not in Source.Kind.values:
        raise DocumentError(f"unknown kind {kind!r}: choose from {', '.join(Source.Kind.values)}")
    if work_kind not in Work.Kind.values:
        raise DocumentError(
            f"unknown work kind {work_kind!r}: choose from {', '.join(Work.Kind.values)}"
        )
    if profile not in cleaning.PROFILES:
        raise DocumentError(f"unknown profile {profile!r}")
    slug = slug or slugify(title)[:80]
    if not re.fullmatch(r"[-a-z0-9_]+", slug):
        raise DocumentError(f"bad slug {slug!r}: use lower-case letters, digits and hyphens")
    manifest = read_manifest(data_dir)
    if Source.objects.filter(slug=slug).exists() or slug in {s.slug for s in manifest.sources}:
        raise DocumentError(f"a source with the slug {slug!r} already exists")
    digest = hashlib.sha256(data).digest()
    for existing in sorted((data_dir / "sources").iterdir()):
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).digest() == digest:
            raise DocumentError(
                f"{path.name}: the same document is already in the corpus ({existing.name})"
            )
    target = data_dir / "sources" / f"{slug}{path.suffix.lower()}"
    entry_path = data_dir / "imported" / f"{slug}.toml"
    if target.exists() or entry_path.exists():
        raise DocumentError(
            f"{target.name} or {entry_path.name} already exists in the data directory"
        )

    manifest_works = {w.slug: w for w in manifest.works}
    work_obj = (
        Work.objects.filter(slug=work).first() or Work.objects.filter(title__iexact=work).first()
    )
    work_entry = None
    if work_obj is None:
        work_slug = slugify(work)[:80]
        if not work_slug:
            raise DocumentError(f"bad --work {work!r}")
        if work_slug in manifest_works:
            raise DocumentError(
                f"work {work_slug!r} is in the manifest but not loaded: run load_corpus first"
            )
        work_entry = WorkEntry(
            slug=work_slug, title=work, kind=work_kind, date=date, ordinal=Work.objects.count() + 1
        )
        work_obj = Work.objects.create(slug=work_slug, **_work_values(work_entry))
    elif work_obj.slug not in manifest_works:
        # A work made in the admin: record it with the source so a fresh load has it.
        work_entry = WorkEntry(
            slug=work_obj.slug,
            title=work_obj.title,
            kind=work_obj.kind,
            date=work_obj.date.isoformat() if work_obj.date else "",
            summary=work_obj.summary,
            ordinal=work_obj.ordinal,
        )
    entry = SourceEntry(
        slug=slug,
        work=work_obj.slug,
        file=target.name,
        title=title.strip(),
        profile=profile,
        kind=kind,
        ordinal=work_obj.sources.count() + 1,
        author=author,
        date=date,
        date_display=date_display,
        citation=citation,
        provenance=f"Imported with import_source from {path.name}.",
    )
    source = Source.objects.create(slug=slug, **_source_values(entry, work=work_obj))
    drafts, _unused = build_drafts(text, profile=profile, corrections=[], quoted_work_id=None)
    if not drafts:
        raise DocumentError(f"{path.name}: no text left after cleaning")
    report = sync_passages(source=source, drafts=drafts)
    source.content_hash = fingerprint(data=data, errata=b"", profile=profile, quotes_work="")
    source.save(update_fields=["content_hash", "updated_at"])

    # Files last, and undone if either write fails, so that an error leaves both
    # the database (rolled back by the atomic block) and the directory unchanged.
    toml = "# Added by `manage.py import_source`; read by load_corpus with sources.toml.\n\n"
    if work_entry is not None:
        toml += _toml_table("work", work_entry.__dict__) + "\n"
    toml += _toml_table("source", {k: v for k, v in entry.__dict__.items() if v != ""})
    try:
        entry_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        entry_path.write_text(toml, encoding="utf-8")
    except OSError as error:
        target.unlink(missing_ok=True)
        entry_path.unlink(missing_ok=True)
        raise DocumentError(f"could not write to the data directory: {error}") from error
    return report
