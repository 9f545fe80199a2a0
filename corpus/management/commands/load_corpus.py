"""Load (or reload) the corpus: the manifest's works and sources, then reference works,
glossary and timeline, editorial notes and the search index.  Idempotent: unchanged
sources are skipped without a write."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from corpus.editorial import load_notes, load_reference_works
from corpus.ingest import load_corpus
from corpus.reference import load_reference_data
from corpus.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Load the works and sources listed in corpus/data/sources.toml (and imported/*.toml), "
        "then the reference works, glossary, timeline, editorial notes and search index. "
        "Safe to run again."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # No usage block on a bad option: the error is one line.
        return super().create_parser(prog_name, subcommand, usage=argparse.SUPPRESS, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-ingest every source even if its file and errata are unchanged.",
        )

    def handle(self, *args, force: bool = False, **options):
        lines: list[str] = []
        # One transaction for sources, reference data, notes and index: if the glossary
        # or a note cites a quotation the new text no longer has, nothing is changed.
        try:
            with transaction.atomic():
                for report in load_corpus(force=force):
                    lines.append(report.summary())
                    lines += [
                        f"  warning: erratum matched nothing: {w!r}" for w in report.unused_errata
                    ]
                # Works before the glossary and timeline (which cite them), notes after
                # (which name their entries); see corpus.editorial.
                works = load_reference_works()
                reference = load_reference_data()
                lines.append(
                    f"glossary: {reference.terms} terms; timeline: {reference.events} events"
                )
                lines.append(load_notes(works=works).summary())
                lines.append(f"search index: {rebuild_index()} passages")
        except ValueError as error:  # DocumentError, ReferenceDataError, EditorialDataError
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(lines))
