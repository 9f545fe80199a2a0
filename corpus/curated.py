"""Curated state: the files ship, the database is the truth at run time.

corpus/data holds what a release ships. `load_corpus` loads it into the database, and
curators change it there, in the app: glossary terms, timeline events, errata, uploaded
sources, editorial notes and reference works. Nothing the app does writes a file, so every
app server sees a change at once and the code directory can be read-only.

One rule for all of them (docs/decisions.md, "The database is the truth at run time"):

- a row a curator changed is marked (`curator_edited_at`) and a deletion is remembered
  (EditorialDeletion); every later load keeps the curator's version over the files;
- each row keeps the digest of the file entry it was last loaded from (`file_digest`), so
  a load tells a file that still says what it said (the curator's version is kept) from
  one that now says what the row says (export_corpus wrote it and a release shipped it:
  the mark is cleared) from one changed since to something else: a **conflict**, reported
  by name, the curator's version kept until `export_corpus --files` writes it over the
  file's or `load_corpus --take-file WHAT:SLUG` takes the file's;
- `export_corpus --files` writes the curated state back to the files' formats
  (corpus.exporting); unchanged entries keep their text, comments and order
  (`rewrite_tables`), so a curator's work is reviewed as a small diff.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from corpus.models import EditorialDeletion

# --- comparing entries ---------------------------------------------------------------------


def canonical(value: Any) -> Any:
    """An entry as plain JSON data, for comparing and digesting: the fields that say what
    the entry is (not where it is filed). An entry may define its own `canonical()`."""
    if hasattr(value, "canonical") and callable(value.canonical):
        return value.canonical()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare
        }
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def digest(entry: Any) -> str:
    """SHA-256 of an entry's canonical form: equal entries, equal digests."""
    text = json.dumps(canonical(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same(a: Any, b: Any) -> bool:
    return canonical(a) == canonical(b)


# --- merging the files' entries with the curators' rows ------------------------------------


@dataclass
class CurationReport:
    """What a load did with curators' changes, named `<what> <slug>`."""

    kept: list[str] = field(default_factory=list)  # curators' changes kept over the files
    conflicts: list[str] = field(default_factory=list)  # ... though the file changed too
    caught_up: list[str] = field(default_factory=list)  # the files now hold the change
    skipped: list[str] = field(default_factory=list)  # deleted in the app, still in a file
    taken: list[str] = field(default_factory=list)  # curators' changes dropped for the file's

    def extend(self, other: CurationReport) -> None:
        for name in ("kept", "conflicts", "caught_up", "skipped", "taken"):
            getattr(self, name).extend(getattr(other, name))

    def lines(self) -> list[str]:
        lines = []
        if self.conflicts:
            lines.append(
                "CONFLICT: changed by a curator in the app and in the files since; the "
                "curator's version is kept: "
                + ", ".join(self.conflicts)
                + ". Keep it with `export_corpus --files` (the file's change is written over), "
                "or take the file's with `load_corpus --take-file WHAT:SLUG`."
            )
        if self.kept:
            lines.append(
                "  kept curators' changes made in the app (`export_corpus --files` writes "
                "them to the files): " + ", ".join(self.kept)
            )
        if self.skipped:
            lines.append(
                "  deleted in the app but still in a file (export to drop them): "
                + ", ".join(self.skipped)
            )
        if self.caught_up:
            lines.append(
                "  the files now hold the curators' changes of: " + ", ".join(self.caught_up)
            )
        if self.taken:
            lines.append("  took the files' version of: " + ", ".join(self.taken))
        return lines


@dataclass
class Merged:
    """The entries to load, and what to store beside each row."""

    entries: list  # the files' entries with curators' in their place, then curators' new ones
    file_digests: dict[str, str]  # slug -> digest of the files' entry (every slug they list)
    curated: set[str]  # slugs loaded from a curator's row (their mark and digest stay)
    caught_up: set[str]  # slugs whose mark is cleared (the files hold the row, or were taken)

    def row_values(self, slug: str) -> dict[str, Any]:
        """The bookkeeping columns of a row written by this load."""
        if slug in self.curated:
            return {}
        values: dict[str, Any] = {"file_digest": self.file_digests.get(slug, "")}
        if slug in self.caught_up:
            values["curator_edited_at"] = None
        return values


def merge(
    entries: Sequence[Any],
    rows: dict[str, models.Model],
    *,
    what: str,
    to_entry: Callable[[models.Model], Any],
    report: CurationReport,
    take_file: Collection[str] = (),
) -> Merged:
    """The files' `entries` (each with a `slug`) merged with the database's `rows` by slug:
    a row a curator changed (`curator_edited_at`) is kept in its entry's place, a deletion
    in the app keeps the entry out, and a row the files now equal is caught up. `take_file`
    names slugs whose curator's change is dropped for the file's entry."""
    deletions = {d.slug: d for d in EditorialDeletion.objects.filter(what=what)}
    in_files = {entry.slug for entry in entries}
    file_digests = {entry.slug: digest(entry) for entry in entries}
    merged, curated, caught_up = [], set(), set()
    label = f"{what} {{}}".format
    for slug in set(take_file) & (set(deletions) | {s for s, r in rows.items() if _marked(r)}):
        report.taken.append(label(slug))
        caught_up.add(slug)
    if set(take_file) & set(deletions):
        EditorialDeletion.objects.filter(what=what, slug__in=list(take_file)).delete()
    for entry in entries:
        slug, row = entry.slug, rows.get(entry.slug)
        deletion = deletions.get(slug)
        if deletion is not None and slug not in take_file:
            if deletion.file_digest and deletion.file_digest != file_digests[slug]:
                report.conflicts.append(label(slug) + " (deleted in the app)")
            else:
                report.skipped.append(label(slug))
            continue
        if row is not None and _marked(row) and slug not in take_file:
            kept = to_entry(row)
            if same(kept, entry):
                caught_up.add(slug)
                report.caught_up.append(label(slug))
                merged.append(entry)
                continue
            if row.file_digest == file_digests[slug]:
                report.kept.append(label(slug))
            else:
                report.conflicts.append(label(slug))
            curated.add(slug)
            merged.append(kept)
            continue
        merged.append(entry)
    for slug, row in rows.items():
        if slug in in_files or not _marked(row) or slug in take_file:
            continue
        if row.file_digest:  # it came from a file, which no longer lists it
            report.conflicts.append(label(slug) + " (no longer in the files)")
        else:
            report.kept.append(label(slug))
        curated.add(slug)
        merged.append(to_entry(row))
    # A deletion the files have caught up with (they no longer list it) is forgotten.
    forgotten = [slug for slug in deletions if slug not in in_files]
    if forgotten:
        EditorialDeletion.objects.filter(what=what, slug__in=forgotten).delete()
    return Merged(merged, file_digests, curated, caught_up)


def _marked(row: models.Model) -> bool:
    return getattr(row, "curator_edited_at", None) is not None


def parse_take_file(values: Iterable[str], *, kinds: Collection[str]) -> dict[str, set[str]]:
    """`load_corpus --take-file term:stalin` as {what: {slug}}; ValueError names a bad one."""
    taken: dict[str, set[str]] = {}
    for value in values:
        what, _, slug = value.partition(":")
        if what not in kinds or not slug:
            raise ValueError(
                f"--take-file {value!r}: give WHAT:SLUG, WHAT one of {', '.join(sorted(kinds))}"
            )
        taken.setdefault(what, set()).add(slug)
    return taken


# --- rewriting a data file, entry by entry --------------------------------------------------

_TABLE_HEADER = re.compile(r"^\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(?:#.*)?$")


@dataclass
class _Block:
    table: str
    lead: list[str]  # blank and comment lines before it (a section heading, a note)
    body: list[str]  # from its [[table]] line to its last line of content
    raw: dict


def _split(text: str) -> tuple[list[str], list[_Block], list[str]] | None:
    """A file of arrays of tables cut into its header, one block per table and its tail;
    None when it cannot be cut so (a [[table]] line inside a string, a plain [table])."""
    lines = text.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if _TABLE_HEADER.match(line.strip())]
    if not starts:
        return None
    try:
        whole = tomllib.loads(text)
    except (ValueError, RecursionError):
        return None
    header = lines[: starts[0]]
    blocks: list[_Block] = []
    lead: list[str] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        chunk = lines[start:end]
        last = max(i for i, line in enumerate(chunk) if _is_content(line))
        body, after = chunk[: last + 1], chunk[last + 1 :]
        table = _TABLE_HEADER.match(body[0].strip())[1]
        try:
            parsed = tomllib.loads("".join(body)).get(table)
        except (ValueError, RecursionError):
            return None
        if not isinstance(parsed, list) or len(parsed) != 1:
            return None
        blocks.append(_Block(table, lead, body, parsed[0]))
        lead = after
    tail = lead
    # The cut must read as the whole file does, table by table.
    for name, tables in whole.items():
        if tables != [b.raw for b in blocks if b.table == name]:
            return None
    if set(whole) != {b.table for b in blocks}:
        return None
    return header, blocks, tail


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def rewrite_tables(
    text: str,
    *,
    table: str,
    entries: dict[str, str],
    keep: Collection[str] = (),
    key: str = "slug",
    header: str = "",
) -> str:
    """`text` (a file of [[table]] arrays) with its `table` tables made those of `entries`
    (key -> the table's TOML). The file's own table stays as written for a key in `keep`
    (it says the same), a table whose key `entries` lacks is dropped with the comment
    right above it, and new ones go at the end in `entries`' order. Everything else
    (other tables, comments, blank lines, order) stays byte for byte, so a diff shows only
    what changed. A file that cannot be cut into tables is written anew (`header`, then
    every table), which ValueError refuses when tables were to be kept as written."""
    split = _split(text) if text.strip() else None
    if split is None:
        if text.strip() and keep:
            raise ValueError(
                "a data file could not be cut into its [[tables]] (is a [[...]] line inside "
                "a string?), so its entries cannot be kept as written"
            )
        head = (header.rstrip("\n") + "\n\n") if header.strip() else ""
        return head + "\n".join(v.rstrip("\n") + "\n" for v in entries.values())
    head, blocks, tail = split
    out: list[str] = list(head)
    seen = set()
    for block in blocks:
        name = block.raw.get(key) if block.table == table else None
        if block.table != table:
            out += block.lead + block.body
        elif name not in entries or name in seen:
            out += _detached(block.lead)
        else:
            seen.add(name)
            new = block.body if name in keep else [entries[name].rstrip("\n") + "\n"]
            out += block.lead + new
    out += tail
    result = "".join(out)
    added = [v for k, v in entries.items() if k not in seen]
    if added:
        result = result.rstrip("\n") + "\n\n" if result.strip() else ""
        result += "\n".join(new.rstrip("\n") + "\n" for new in added)
    return result


def _detached(lead: list[str]) -> list[str]:
    """What stays of a dropped table's lead: not the comment lines right above it (they
    were about it), nor blank lines at its end (the next table brings its own); nothing
    when only blank lines are left (a section heading further up stays)."""
    kept = list(lead)
    while kept and kept[-1].strip().startswith("#"):
        kept.pop()
    while kept and not kept[-1].strip():
        kept.pop()
    return kept if any(line.strip() for line in kept) else []
