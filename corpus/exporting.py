"""`export_corpus --files DIR`: curators' changes written back to corpus/data's formats.

The database is the truth at run time and the files are what ships (corpus.curated): this
writes every curator's change still marked in the database into the data files, so it is
reviewed as a diff and shipped in the next release, after which load_corpus finds the files
equal to the rows and clears the marks.

What is written, each into the file that holds the entry (a new one where the format says):

- glossary terms and timeline events: glossary.toml, timeline.toml;
- editorial notes and reference works: notes/<file>.toml and references/<file>.toml (a
  note or work made in the app: notes/curated.toml, references/curated.toml);
- errata: errata/<source>.toml, as the curator wrote them (comments and all);
- sources added in the app: their text as sources/<slug>.<ext>, their manifest entry as
  imported/<slug>.toml (with the [[work]] when no manifest lists the work).

Only curators' changes are written: every other entry keeps its file's text, comments and
place (corpus.curated.rewrite_tables), so a file edited since the last load is never
undone, and the diff shows what the curators did. DIR may be the checkout's corpus/data
or any directory: a file DIR lacks is taken from the release's (settings.CORPUS_DATA_DIR),
so DIR ends up a complete data set that load_corpus reads.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from corpus import curated, editorial_toml
from corpus.editorial import (
    DEFAULT_FILE,
    FILE_NAME,
    NOTES_DIR,
    REFERENCES_DIR,
    EditorialDataError,
    note_entry,
    note_table,
    notes_for_export,
    parse_note,
    parse_work,
    work_entry,
    work_table,
)
from corpus.ingest import source_entry
from corpus.ingest import work_entry as manifest_work_entry
from corpus.models import EditorialDeletion, ReferenceWork, Source, SourceErrata
from corpus.reference import (
    ReferenceDataError,
    entry_events,
    entry_terms,
    event_entry,
    event_toml,
    parse_glossary_text,
    parse_timeline_text,
    term_entry,
    term_toml,
)

PARTS = ("sources", "errata", "glossary", "timeline", "notes", "references")


class ExportError(ValueError):
    """The export cannot be made; nothing was written."""


@dataclass
class _Tree:
    """The directory written and the release's data it starts from, file by file."""

    target: Path
    shipped: Path
    changes: dict[Path, str | None] = field(default_factory=dict)  # relative path -> text

    def base(self, relative: str | Path) -> str:
        """The file's text as it stands in DIR, or else in the release; "" if neither."""
        for root in (self.target, self.shipped):
            path = root / relative
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return ""

    def names(self, folder: str) -> list[str]:
        """The .toml files of a folder in DIR and in the release (stems)."""
        found = {
            p.stem for root in (self.target, self.shipped) for p in (root / folder).glob("*.toml")
        }
        return sorted(found)

    def put(self, relative: str | Path, text: str | None) -> None:
        """Write a file (None: remove it) when the export ends."""
        self.changes[Path(relative)] = text


@dataclass
class Exported:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def export_files(*, directory: Path, parts: Collection[str] = PARTS) -> Exported:
    """Write the curators' changes into `directory` (see the module docstring).

    ExportError, before anything is written, when a data file cannot be read."""
    tree = _Tree(target=Path(directory), shipped=Path(settings.CORPUS_DATA_DIR))
    result = Exported()
    try:
        if "glossary" in parts or "timeline" in parts:
            _glossary_and_timeline(tree, result, parts=parts)
        if "notes" in parts or "references" in parts:
            _editorial(tree, result, parts=parts)
        if "sources" in parts:
            _sources(tree)
        if "errata" in parts:
            _errata(tree)
    except (ReferenceDataError, EditorialDataError, ValueError) as error:
        raise ExportError(f"cannot read the data files, nothing was written: {error}") from None
    _write(tree, result, full=set(parts) == set(PARTS))
    return result


def _write(tree: _Tree, result: Exported, *, full: bool) -> None:
    for relative, text in sorted(tree.changes.items()):
        path = tree.target / relative
        if text is None:
            if path.exists():
                path.unlink()
                result.removed.append(path)
            continue
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.written.append(path)
    if not full or tree.target.resolve() == tree.shipped.resolve():
        return
    # Into another directory: the rest of the release's data, so DIR is a whole data set.
    for source in sorted(tree.shipped.rglob("*")):
        relative = source.relative_to(tree.shipped)
        path = tree.target / relative
        if source.is_file() and relative not in tree.changes and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            result.written.append(path)


# --- glossary and timeline ------------------------------------------------------------------


def _tables(
    base: str,
    *,
    table: str,
    parsed: dict[str, Any],
    curated_rows: dict[str, Any],
    deleted: Collection[str],
    render: Callable[[Any], str],
    header: str,
    add_new: bool = True,
) -> str:
    """A file's text with the curators' entries in place of the file's, deletions dropped
    and (with `add_new`) curators' new entries at the end; every other entry as it was."""
    entries: dict[str, str] = {}
    keep = set()
    for slug, entry in parsed.items():
        if slug in deleted:
            continue
        mine = curated_rows.get(slug)
        if mine is None or curated.same(mine, entry):
            entries[slug] = ""  # kept as the file has it
            keep.add(slug)
        else:
            entries[slug] = render(mine)
    if add_new:
        for slug in sorted(set(curated_rows) - set(parsed)):
            entries[slug] = render(curated_rows[slug])
    return curated.rewrite_tables(base, table=table, entries=entries, keep=keep, header=header)


def _deleted(what: str) -> set[str]:
    return set(EditorialDeletion.objects.filter(what=what).values_list("slug", flat=True))


def _glossary_and_timeline(tree: _Tree, result: Exported, *, parts: Collection[str]) -> None:
    from corpus.reference_editing import HEADERS

    plan = [
        ("glossary", "glossary.toml", "term", entry_terms, term_entry, term_toml),
        ("timeline", "timeline.toml", "event", entry_events, event_entry, event_toml),
    ]
    for part, name, what, rows, to_entry, render in plan:
        if part not in parts:
            continue
        base = tree.base(name)
        if what == "term":
            parsed = {e.slug: e for e in parse_glossary_text(base, name=name)} if base else {}
        else:
            parsed = (
                {e.slug: e for e in parse_timeline_text(base, name=name, term_slugs=None)}
                if base
                else {}
            )
        mine, stored = {}, {}
        for row in rows():
            entry = to_entry(row)
            stored[row.slug] = entry
            if row.curator_edited_at is not None:
                mine[row.slug] = entry
        result.warnings += _differences(parsed, stored, mine, deleted=_deleted(what), what=what)
        text = _tables(
            base,
            table=what,
            parsed=parsed,
            curated_rows=mine,
            deleted=_deleted(what),
            render=render,
            header=HEADERS[what],
        )
        tree.put(name, text)


def _differences(
    parsed: dict[str, Any], stored: dict[str, Any], mine: dict[str, Any], *, deleted, what: str
) -> list[str]:
    """Entries the files and the database disagree on that no curator changed: the files
    were edited (or the database loaded from other files). Left as the files say."""
    return [
        f"{what} {slug}: the file differs from the database (not loaded?); left as in the file"
        for slug, entry in parsed.items()
        if slug not in mine
        and slug not in deleted
        and (slug not in stored or not curated.same(stored[slug], entry))
    ]


# --- notes and reference works --------------------------------------------------------------


def _editorial(tree: _Tree, result: Exported, *, parts: Collection[str]) -> None:
    plan = [
        ("references", REFERENCES_DIR, "work", parse_work, work_entry, work_table),
        ("notes", NOTES_DIR, "note", parse_note, note_entry, note_table),
    ]
    for part, folder, what, parse, to_entry, to_table in plan:
        if part not in parts:
            continue
        rows = ReferenceWork.objects.all() if what == "work" else notes_for_export()
        stored = {row.slug: row for row in rows}
        mine = {s: to_entry(r) for s, r in stored.items() if r.curator_edited_at is not None}
        deleted = _deleted(what)
        placed: set[str] = set()
        files: dict[str, tuple[str, dict[str, Any]]] = {}
        for name in tree.names(folder):
            if not FILE_NAME.match(name):
                continue
            base = tree.base(f"{folder}/{name}.toml")
            parsed = _parse_tables(base, table=what, parse=parse, file=name)
            files[name] = (base, parsed)
            placed |= set(parsed)
            result.warnings += _differences(
                parsed,
                {s: to_entry(r) for s, r in stored.items() if s in parsed},
                mine,
                deleted=deleted,
                what=what,
            )
        # A curator's new entry goes to the file its row names (DEFAULT_FILE if made here).
        new_by_file: dict[str, dict[str, Any]] = {}
        for slug, entry in mine.items():
            if slug not in placed:
                new_by_file.setdefault(stored[slug].file or DEFAULT_FILE, {})[slug] = entry

        def render(entry: Any, what: str = what, to_table=to_table, stored=stored) -> str:
            return editorial_toml.table(what, to_table(stored[entry.slug]))

        for name in sorted(set(files) | set(new_by_file)):
            base, parsed = files.get(name, ("", {}))
            ours = {s: e for s, e in mine.items() if s in parsed}
            ours.update(new_by_file.get(name, {}))
            entries: dict[str, str] = {}
            keep = set()
            for slug, entry in parsed.items():
                if slug in deleted:
                    continue
                if slug in ours:
                    entries[slug] = render(ours[slug])
                    if curated.same(ours[slug], entry):
                        keep.add(slug)
                else:
                    entries[slug] = ""  # kept as the file has it
                    keep.add(slug)
            for slug in sorted(set(ours) - set(parsed)):
                entries[slug] = render(ours[slug])
            relative = f"{folder}/{name}.toml"
            if not entries:
                tree.put(relative, None)
                continue
            header = editorial_toml.HEADERS[what]
            tree.put(
                relative,
                curated.rewrite_tables(base, table=what, entries=entries, keep=keep, header=header),
            )


def _parse_tables(text: str, *, table: str, parse: Callable, file: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    data = tomllib.loads(text)
    found = {}
    for number, raw in enumerate(data.get(table, []), start=1):
        entry, problems = parse(raw, number=number, file=file)
        if problems:
            raise EditorialDataError(f"{file}.toml: " + "; ".join(problems))
        found[entry.slug] = entry
    return found


# --- sources and errata -----------------------------------------------------------------------


def _manifest_slugs(tree: _Tree) -> dict[str, tuple[str, set[str]]]:
    """Each manifest file (relative path) and the work and source slugs it lists."""
    found = {}
    for relative in ["sources.toml", *(f"imported/{n}.toml" for n in tree.names("imported"))]:
        data = tomllib.loads(tree.base(relative) or "")
        found[relative] = (
            {t.get("slug") for t in data.get("work", [])},
            {t.get("slug") for t in data.get("source", [])},
        )
    return found


def _source_toml(source: Source) -> str:
    entry = source_entry(source)
    return editorial_toml.table(
        "source", {k: v for k, v in entry.__dict__.items() if v != "" or k == "title"}
    )


def _work_toml(source: Source) -> str:
    entry = manifest_work_entry(source.work)
    return editorial_toml.table("work", {k: v for k, v in entry.__dict__.items() if v != ""})


IMPORTED_HEADER = (
    "# A source a curator added in the app, written by `export_corpus --files`;\n"
    "# read by load_corpus with sources.toml (docs/corpus-format.md).\n"
)


def _sources(tree: _Tree) -> None:
    mine = list(
        Source.objects.filter(curator_edited_at__isnull=False)
        .select_related("work", "curated_file")
        .order_by("slug")
    )
    if not mine:
        return
    manifests = _manifest_slugs(tree)
    listed_works = {w for works, _ in manifests.values() for w in works}
    by_file: dict[str, list[Source]] = {}
    for source in mine:
        home = next((f for f, (_, slugs) in manifests.items() if source.slug in slugs), None)
        by_file.setdefault(home or f"imported/{source.slug}.toml", []).append(source)
        if hasattr(source, "curated_file"):
            tree.put(f"sources/{source.file_name}", source.curated_file.text)
    for relative, sources in by_file.items():
        base = tree.base(relative)
        if not base.strip():  # a new imported/<slug>.toml: its work (if new) first
            works = [_work_toml(s) for s in sources if s.work.slug not in listed_works]
            listed_works |= {s.work.slug for s in sources}
            tables = [*works, *(_source_toml(s) for s in sources)]
            tree.put(relative, IMPORTED_HEADER + "\n" + "\n".join(tables))
            continue
        data = tomllib.loads(base)
        listed = [t["slug"] for t in data.get("source", []) if "slug" in t]
        ours = {s.slug: s for s in sources}
        entries = {slug: "" for slug in listed}
        entries.update({slug: _source_toml(s) for slug, s in ours.items()})
        keep = {slug for slug in listed if slug not in ours}
        text = curated.rewrite_tables(
            base, table="source", entries=entries, keep=keep, header=IMPORTED_HEADER
        )
        works = {s.work.slug: s for s in sources if s.work.slug not in listed_works}
        if works:
            listed_here = [t["slug"] for t in data.get("work", []) if "slug" in t]
            work_entries = {slug: "" for slug in listed_here}
            work_entries.update({slug: _work_toml(s) for slug, s in works.items()})
            text = curated.rewrite_tables(
                text, table="work", entries=work_entries, keep=set(listed_here)
            )
            listed_works |= set(works)
        tree.put(relative, text)


def _errata(tree: _Tree) -> None:
    for errata in SourceErrata.objects.filter(curator_edited_at__isnull=False).select_related(
        "source"
    ):
        relative = f"errata/{errata.source.slug}.toml"
        tree.put(relative, errata.text if errata.text.strip() else None)


def export_summary(result: Exported) -> list[str]:
    lines = [f"wrote {path}" for path in result.written]
    lines += [f"removed {path}" for path in result.removed]
    lines += [f"warning: {w}" for w in result.warnings]
    return lines
