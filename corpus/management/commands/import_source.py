"""Add a new plain-text or Markdown document to the corpus as a source."""

from __future__ import annotations

import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus import cleaning
from corpus.ingest import DocumentError, import_document
from corpus.models import Source, Work
from corpus.plumbing import audit
from corpus.proposals import propose


class Command(BaseCommand):
    help = (
        "Import a plain-text or Markdown document as a new source, as a curator's upload "
        "does: it is kept in the database (load_corpus keeps it) until export_corpus --files "
        "writes it to corpus/data. Example: import_source notes.md --work secret-speech "
        '--title "My notes" --date 1956-02'
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # No usage block on a bad option: the error is one line.
        return super().create_parser(prog_name, subcommand, usage=argparse.SUPPRESS, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .txt or .md file to import.")
        parser.add_argument(
            "--work", required=True, help="Slug or title of the work; a new title makes a new work."
        )
        parser.add_argument("--title", required=True, help="Title of this source.")
        parser.add_argument("--date", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD.")
        parser.add_argument(
            "--kind",
            default=Source.Kind.OTHER,
            help=f"Source kind: {', '.join(Source.Kind.values)}.",
        )
        parser.add_argument(
            "--work-kind",
            default=Work.Kind.OTHER,
            help=f"Kind of a new work: {', '.join(Work.Kind.values)}.",
        )
        parser.add_argument("--author", default="", help="Author or issuing body.")
        parser.add_argument("--citation", default="", help="Full bibliographic citation.")
        parser.add_argument("--slug", default="", help="Source slug (default: from the title).")
        parser.add_argument(
            "--profile",
            default="generic",
            help=f"Cleaning profile: {', '.join(cleaning.PROFILES)} (default generic).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            report = import_document(
                name=path.name,
                data=_read(path),
                work=options["work"],
                title=options["title"],
                date=options["date"],
                kind=options["kind"],
                work_kind=options["work_kind"],
                author=options["author"],
                citation=options["citation"],
                slug=options["slug"],
                profile=options["profile"],
            )
        except DocumentError as error:
            raise CommandError(str(error)) from error
        audit.record(
            user=None,
            action="source.import",
            obj=Source.objects.get(slug=report.slug),
            changes={"file": path.name, "passages": report.passages},
        )
        self.stdout.write(report.summary())
        # What the document names and dates that the glossary and timeline lack, for a
        # curator to approve (the questions follow from generate_questions).
        self.stdout.write(propose(sources=[report.slug]).summary())


def _read(path: Path) -> bytes:
    """The file's bytes; DocumentError for a missing one, or one over the size limit
    (refused before reading: a huge file is never loaded into memory)."""
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    size, limit = path.stat().st_size, settings.CORPUS_MAX_UPLOAD_BYTES
    if size > limit:
        raise DocumentError(
            f"{path.name}: the file is {size:,} bytes; the limit is {limit:,} bytes"
        )
    return path.read_bytes()
