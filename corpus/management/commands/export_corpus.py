"""Export the corpus as JSON: works, sources, passages, glossary and timeline; or, with
`--files [DIR]`, the curators' changes made in the app written into the data files they
are loaded from (glossary, timeline, errata, uploaded sources, notes, reference works:
corpus.exporting), so that they are reviewed as a diff of the repository's files and
shipped with the next release (`--editorial DIR`: the notes and reference works only).

Deterministic (sorted keys, stable order), so two exports of the same corpus are
byte-identical and diff cleanly.  The schema is in docs/corpus-format.md."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from corpus.exporting import PARTS, ExportError, export_files, export_summary
from corpus.models import GlossaryTerm, Passage, Source, TimelineEvent, Work

FORMAT_VERSION = 1


def _cite(passages) -> list[dict]:
    return sorted(
        ({"source": p.source.slug, "key": p.key} for p in passages),
        key=lambda c: (c["source"], c["key"]),
    )


def export_corpus() -> dict:
    cited = Passage.objects.select_related("source").only("key", "source__slug")
    works = [
        {
            "slug": w.slug,
            "title": w.title,
            "kind": w.kind,
            "date": w.date.isoformat() if w.date else None,
            "summary": w.summary,
            "ordinal": w.ordinal,
        }
        for w in Work.objects.order_by("ordinal", "slug")
    ]
    sources = [
        {
            "slug": s.slug,
            "work": s.work.slug,
            "title": s.title,
            "kind": s.kind,
            "author": s.author,
            "date": s.date.isoformat() if s.date else None,
            "date_display": s.date_display,
            "language": s.language,
            "translator": s.translator,
            "citation": s.citation,
            "url": s.url,
            "provenance": s.provenance,
            "file_name": s.file_name,
            "content_hash": s.content_hash,
            "ordinal": s.ordinal,
        }
        for s in Source.objects.select_related("work").order_by("work__ordinal", "ordinal", "slug")
    ]
    passages = [
        {
            "source": p.source.slug,
            "key": p.key,
            "ordinal": p.ordinal,
            "kind": p.kind,
            "section": p.section,
            "page_start": p.page_start,
            "page_end": p.page_end,
            "text": p.text,
            "quality": p.quality,
            "quality_note": p.quality_note,
            "corrections": p.corrections,
            "is_current": p.is_current,
            "quoted_work": p.quoted_work.slug if p.quoted_work else None,
            "text_changed_at": p.text_changed_at.isoformat() if p.text_changed_at else None,
        }
        for p in Passage.objects.select_related("source", "quoted_work").order_by(
            "source__slug", "-is_current", "ordinal", "key"
        )
    ]
    glossary = [
        {
            "slug": t.slug,
            "name": t.name,
            "kind": t.kind,
            "role": t.role,
            "aliases": t.aliases,
            "same_as": t.same_as,
            "description": t.description,
            "citations": _cite(t.citations.all()),
        }
        for t in GlossaryTerm.objects.prefetch_related(
            Prefetch("citations", queryset=cited)
        ).order_by("slug")
    ]
    timeline = [
        {
            "slug": e.slug,
            "date": e.date.isoformat(),
            "precision": e.precision,
            "title": e.title,
            "description": e.description,
            "citations": _cite(e.citations.all()),
            "terms": sorted(t.slug for t in e.terms.all()),
        }
        for e in TimelineEvent.objects.prefetch_related(
            Prefetch("citations", queryset=cited), "terms"
        ).order_by("date", "slug")
    ]
    return {
        "format": "thaw-corpus",
        "version": FORMAT_VERSION,
        "works": works,
        "sources": sources,
        "passages": passages,
        "glossary": glossary,
        "timeline": timeline,
    }


class Command(BaseCommand):
    help = (
        "Export the corpus (works, sources, passages, glossary, timeline) as JSON; or, with "
        "--files, write the curators' changes made in the app into the data files."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # No usage block on a bad option: the error is one line.
        return super().create_parser(prog_name, subcommand, usage=argparse.SUPPRESS, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--format", default="json", choices=["json"], help="Only json for now.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--files",
            nargs="?",
            const=str(settings.CORPUS_DATA_DIR),
            metavar="DIR",
            help="Instead, write the curators' changes made in the app (glossary, timeline, "
            "errata, uploaded sources, notes, reference works) into the data files in DIR "
            "(default: this checkout's corpus/data; another directory gets a whole data set).",
        )
        parser.add_argument(
            "--editorial",
            metavar="DIR",
            help="As --files, for the reference works and editorial notes only.",
        )

    def handle(
        self,
        *args,
        output: str | None = None,
        files: str | None = None,
        editorial: str | None = None,
        **options,
    ):
        if files or editorial:
            parts = PARTS if files else ("notes", "references")
            self._export_files(Path(files or editorial), parts=parts)
            return
        text = json.dumps(export_corpus(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: the directory {path.parent} does not exist")
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror}") from error
        self.stderr.write(f"wrote {path}")

    def _export_files(self, directory: Path, *, parts) -> None:
        if not directory.is_dir():
            raise CommandError(f"cannot write into {directory}: it is not a directory")
        try:
            result = export_files(directory=directory, parts=parts)
        except ExportError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"cannot write into {directory}: {error.strerror}") from error
        for line in export_summary(result):
            self.stderr.write(line)
        if not result.written and not result.removed:
            self.stderr.write("the files already hold every curator's change")
