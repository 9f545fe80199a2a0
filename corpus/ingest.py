"""Loading source documents into the corpus: read, clean, split, correct, flag, save.

The manifest (``corpus/data/sources.toml``, plus ``imported/*.toml``) lists the works and
sources a release ships; sources curators added in the app (an upload, ``import_source``)
are rows whose text is a SourceFile, kept over the files until ``export_corpus --files``
writes them (corpus.curated). For each source:

1. its text is read and validated (`validate_document`, shared with uploads): the file
   under ``sources/``, or the database's SourceFile for a curator's source;
2. its cleaning profile turns it into blocks (corpus.cleaning);
3. its errata are applied and recorded on each passage (corpus.errata): the file
   ``errata/<slug>.toml`` as loaded into SourceErrata, or a curator's edit of them;
4. each passage is flagged good / fragment / garbled (corpus.cleaning.assess_quality);
5. the passages are matched to those already stored (`match_passages`), so a passage
   keeps its row and its `key` across re-ingests and citations never break;
   passages no longer found are retired (`is_current=False`), never deleted.

A source whose text, errata, profile and CLEANING_VERSION are unchanged since the
last load is skipped without a write (`Source.content_hash` holds that fingerprint).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from rapidfuzz import fuzz, process

from corpus import cleaning, curated
from corpus.errata import Correction, ErrataError, apply_corrections, parse_errata
from corpus.models import Passage, Source, SourceErrata, SourceFile, Work
from corpus.plumbing.plain_text import control_character_problem

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
        "profile": entry.profile,
        "quotes_work": entry.quotes_work,
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


# --- sources and errata as curated entries (corpus.curated) -------------------------------


@dataclass(frozen=True)
class SourceState:
    """A source as the files ship it or a curator made it: its manifest entry and the
    digest of its text, compared by what they store (a date written "1956-02" and one
    written "1956-02-01" with its display are the same)."""

    entry: SourceEntry
    text_sha: str

    @property
    def slug(self) -> str:
        return self.entry.slug

    def canonical(self) -> dict[str, Any]:
        date, display = parse_date(self.entry.date)
        return {
            **{k: v for k, v in self.entry.__dict__.items() if k not in ("date", "date_display")},
            "date": date.isoformat() if date else "",
            "date_display": self.entry.date_display or display,
            "text_sha": self.text_sha,
        }


@dataclass(frozen=True)
class ErrataEntry:
    """A source's errata: the corrections are what count, the text (comments and all) is
    what a curator reads and what is written back."""

    slug: str  # the source's
    corrections: tuple[Correction, ...]
    text: str = field(default="", compare=False)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def date_text(date: datetime.date | None, display: str) -> str:
    """The manifest's `date` for a stored date and its display: the shortest form that
    reads back as the same ("1956-02" for February 1956)."""
    if date is None:
        return ""
    for text in (f"{date:%Y}", f"{date:%Y-%m}"):
        if parse_date(text) == (date, display):
            return text
    return date.isoformat()


def source_entry(source: Source) -> SourceEntry:
    """A source row as its manifest entry."""
    return SourceEntry(
        slug=source.slug,
        work=source.work.slug,
        file=source.file_name,
        title=source.title,
        profile=source.profile,
        kind=source.kind,
        ordinal=source.ordinal,
        author=source.author,
        date=date_text(source.date, source.date_display),
        date_display=source.date_display,
        language=source.language,
        translator=source.translator,
        citation=source.citation,
        url=source.url,
        provenance=source.provenance,
        quotes_work=source.quotes_work,
    )


def work_entry(work: Work) -> WorkEntry:
    """A work row as its manifest entry."""
    return WorkEntry(
        slug=work.slug,
        title=work.title,
        kind=work.kind,
        date=work.date.isoformat() if work.date else "",
        summary=work.summary,
        ordinal=work.ordinal,
    )


def _curated_text(source: Source) -> str:
    try:
        return source.curated_file.text
    except SourceFile.DoesNotExist:
        return ""


def source_state(source: Source) -> SourceState:
    """A curator's source (with its SourceFile) as the state the files are compared with."""
    return SourceState(entry=source_entry(source), text_sha=_sha(_curated_text(source)))


def errata_entry(errata: SourceErrata) -> ErrataEntry:
    return ErrataEntry(
        slug=errata.source.slug,
        corrections=tuple(parse_errata(errata.text, name=f"{errata.source.slug}.toml")),
        text=errata.text,
    )


def _read_text(path: Path, *, slug: str) -> str:
    if not path.is_file():
        raise DocumentError(f"{slug}: file not found: {path}")
    return validate_document(name=path.name, data=path.read_bytes())


def _file_errata(data_dir: Path, slug: str) -> ErrataEntry | None:
    path = data_dir / "errata" / f"{slug}.toml"
    if not path.exists():
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path.name}: not UTF-8 text") from error
    try:
        return ErrataEntry(slug, tuple(parse_errata(text, name=path.name)), text)
    except ErrataError as error:
        raise DocumentError(str(error)) from error


def shipped_source(entry: SourceEntry, *, data_dir: Path) -> tuple[str, tuple[Correction, ...]]:
    """A manifest source's text and errata as the release's files have them."""
    errata = _file_errata(data_dir, entry.slug)
    text = _read_text(data_dir / "sources" / entry.file, slug=entry.slug)
    return text, errata.corrections if errata else ()


@dataclass(frozen=True)
class _Prepared:
    entry: SourceEntry
    text: str
    errata: ErrataEntry
    fingerprint: str
    values: dict  # the bookkeeping columns of its Source row
    errata_values: dict  # ... and of its SourceErrata row


class IngestReports(list):
    """load_corpus's reports, one per source, and what it did with curators' changes."""

    curation: curated.CurationReport


@transaction.atomic
def load_corpus(
    *,
    data_dir: Path | None = None,
    force: bool = False,
    take_file: dict[str, Collection[str]] | None = None,
) -> IngestReports:
    """Load every work and source of the manifest and every source curators added in the
    app, with the errata files or curators' edits of them; one transaction, so a bad file
    leaves the database as it was. Sources neither listed nor curated are left alone.
    `take_file` ({"source": {slug}, "errata": {slug}}) drops those curators' changes for
    the files' (corpus.curated)."""
    data_dir = Path(data_dir or settings.CORPUS_DATA_DIR)
    take_file = take_file or {}
    manifest = read_manifest(data_dir)
    report = curated.CurationReport()
    rows = {s.slug: s for s in Source.objects.select_related("work", "curated_file")}
    # Read and validate every text before writing anything.
    texts = {
        e.slug: _read_text(data_dir / "sources" / e.file, slug=e.slug) for e in manifest.sources
    }
    sources = curated.merge(
        [SourceState(e, _sha(texts[e.slug])) for e in manifest.sources],
        rows,
        what="source",
        to_entry=source_state,
        report=report,
        take_file=take_file.get("source", ()),
    )
    for state in sources.entries:
        if state.slug in sources.curated:
            texts[state.slug] = validate_document(
                name=state.entry.file, data=_curated_text(rows[state.slug]).encode("utf-8")
            )
    file_errata = [
        found for state in sources.entries if (found := _file_errata(data_dir, state.slug))
    ]
    try:
        errata = curated.merge(
            file_errata,
            {e.source.slug: e for e in SourceErrata.objects.select_related("source")},
            what="errata",
            to_entry=errata_entry,
            report=report,
            take_file=take_file.get("errata", ()),
        )
    except ErrataError as error:  # a curator's errata no longer read (cannot happen: saved parsed)
        raise DocumentError(str(error)) from error
    errata_by_slug = {e.slug: e for e in errata.entries}
    prepared = []
    for state in sources.entries:
        entry = state.entry
        found = errata_by_slug.get(entry.slug) or ErrataEntry(entry.slug, ())
        prepared.append(
            _Prepared(
                entry=entry,
                text=texts[entry.slug],
                errata=found,
                fingerprint=fingerprint(
                    data=texts[entry.slug].encode("utf-8"),
                    errata=found.text.encode("utf-8"),
                    profile=entry.profile,
                    quotes_work=entry.quotes_work,
                ),
                values=sources.row_values(entry.slug),
                errata_values={"text": found.text, **errata.row_values(entry.slug)},
            )
        )
    works = {w.slug: _upsert(Work, slug=w.slug, values=_work_values(w)) for w in manifest.works}
    missing = {p.entry.work for p in prepared} - set(works)
    works.update({w.slug: w for w in Work.objects.filter(slug__in=missing)})
    if missing - set(works):
        raise DocumentError(f"manifest: unknown work {sorted(missing - set(works))[0]!r}")
    reports = IngestReports(_ingest(p, works=works, force=force) for p in prepared)
    # A curator's source the files now hold is read from its file again.
    shipped = sources.caught_up & {e.slug for e in manifest.sources}
    if shipped:
        SourceFile.objects.filter(source__slug__in=shipped).delete()
    reports.curation = report
    return reports


def _ingest(prepared: _Prepared, *, works: dict[str, Work], force: bool) -> IngestReport:
    entry = prepared.entry
    values = {**_source_values(entry, work=works[entry.work]), **prepared.values}
    source = _upsert(Source, slug=entry.slug, values=values)
    errata, created = SourceErrata.objects.get_or_create(
        source=source, defaults=prepared.errata_values
    )
    if not created:
        changed = [k for k, v in prepared.errata_values.items() if getattr(errata, k) != v]
        for name in changed:
            setattr(errata, name, prepared.errata_values[name])
        if changed:
            errata.save(update_fields=[*changed, "updated_at"])
    if not force and source.content_hash == prepared.fingerprint:
        return IngestReport(
            slug=entry.slug, passages=source.passages.current().count(), skipped=True
        )
    return reingest(
        source,
        prepared.text,
        corrections=prepared.errata.corrections,
        quoted_work=works[entry.quotes_work] if entry.quotes_work else None,
        fingerprint=prepared.fingerprint,
    )


def reingest(
    source: Source,
    text: str,
    *,
    corrections: Sequence[Correction],
    quoted_work: Work | None,
    fingerprint: str,
) -> IngestReport:
    """Clean, split and correct a source's text into its passages (keys kept)."""
    drafts, unused = build_drafts(
        text,
        profile=source.profile,
        corrections=corrections,
        quoted_work_id=quoted_work.pk if quoted_work else None,
    )
    if not drafts:
        raise DocumentError(f"{source.slug}: no text left after cleaning")
    report = sync_passages(source=source, drafts=drafts)
    report.unused_errata = [c.wrong for c in unused]
    Source.objects.filter(pk=source.pk).update(content_hash=fingerprint)
    return report


def source_text(source: Source) -> str:
    """A source's text as load_corpus reads it: a curator's (SourceFile), or its file."""
    try:
        return source.curated_file.text
    except SourceFile.DoesNotExist:
        return _read_text(
            Path(settings.CORPUS_DATA_DIR) / "sources" / source.file_name, slug=source.slug
        )


def reingest_stored(
    *, source: Source, corrections: Sequence[Correction], errata: str
) -> IngestReport:
    """Re-ingest a source from what is stored (its text, these errata), as load_corpus
    would: a curator's errata edit takes effect at once, without a load."""
    text = source_text(source)
    quoted = Work.objects.filter(slug=source.quotes_work).first() if source.quotes_work else None
    return reingest(
        source,
        text,
        corrections=corrections,
        quoted_work=quoted,
        fingerprint=fingerprint(
            data=text.encode("utf-8"),
            errata=errata.encode("utf-8"),
            profile=source.profile,
            quotes_work=source.quotes_work,
        ),
    )


# --- importing a new document -------------------------------------------------------


@transaction.atomic
def import_document(
    *,
    name: str,
    data: bytes,
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
    """Add a plain-text or Markdown document as a new source, a curator's change.

    Its text is kept in the database (SourceFile), never written under the code
    directory: `load_corpus` keeps it, and `export_corpus --files` writes it to
    ``sources/<slug>.<ext>`` and ``imported/<slug>.toml`` for a release to ship.
    Any error leaves the database as it was."""
    data_dir = Path(data_dir or settings.CORPUS_DATA_DIR)
    text = validate_document(name=name, data=data)
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
    file_name = f"{slug}{Path(name).suffix.lower()}"
    _refuse_a_copy(text, name=name, file_name=file_name, data_dir=data_dir)

    manifest_works = {w.slug: w for w in manifest.works}
    work_obj = (
        Work.objects.filter(slug=work).first() or Work.objects.filter(title__iexact=work).first()
    )
    if work_obj is None:
        work_slug = slugify(work)[:80]
        if not work_slug:
            raise DocumentError(f"bad --work {work!r}")
        if work_slug in manifest_works:
            raise DocumentError(
                f"work {work_slug!r} is in the manifest but not loaded: run load_corpus first"
            )
        new_work = WorkEntry(
            slug=work_slug, title=work, kind=work_kind, date=date, ordinal=Work.objects.count() + 1
        )
        work_obj = Work.objects.create(slug=work_slug, **_work_values(new_work))
    entry = SourceEntry(
        slug=slug,
        work=work_obj.slug,
        file=file_name,
        title=title.strip(),
        profile=profile,
        kind=kind,
        ordinal=work_obj.sources.count() + 1,
        author=author,
        date=date,
        date_display=date_display,
        citation=citation,
        provenance=f"Imported with import_source from {Path(name).name}.",
    )
    source = Source.objects.create(
        slug=slug, curator_edited_at=timezone.now(), **_source_values(entry, work=work_obj)
    )
    SourceFile.objects.create(source=source, name=file_name, text=text)
    SourceErrata.objects.create(source=source, text="")
    return reingest(
        source,
        text,
        corrections=[],
        quoted_work=None,
        fingerprint=fingerprint(
            data=text.encode("utf-8"), errata=b"", profile=profile, quotes_work=""
        ),
    )


def _refuse_a_copy(text: str, *, name: str, file_name: str, data_dir: Path) -> None:
    """DocumentError when the corpus already holds this text, as a shipped file or a
    curator's source, or a file of this name."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    folder = data_dir / "sources"
    for existing in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not existing.is_file():
            continue
        try:
            shipped = existing.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if hashlib.sha256(shipped.encode("utf-8")).digest() == digest:
            raise DocumentError(
                f"{name}: the same document is already in the corpus ({existing.name})"
            )
    for upload in SourceFile.objects.only("name", "text").iterator():
        if hashlib.sha256(upload.text.encode("utf-8")).digest() == digest:
            raise DocumentError(
                f"{name}: the same document is already in the corpus ({upload.name})"
            )
    if (folder / file_name).exists() or SourceFile.objects.filter(name=file_name).exists():
        raise DocumentError(f"{file_name} already exists in the corpus")
