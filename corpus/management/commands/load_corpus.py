"""Load (or reload) the corpus: the manifest's works and sources, then reference works,
glossary and timeline, editorial notes and the search index.  Idempotent: unchanged
sources are skipped without a write.  Curators' changes made in the app are kept over the
files and listed; one the files changed too is reported as a conflict (corpus.curated)."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from corpus import curated
from corpus.editorial import load_notes, load_reference_works
from corpus.ingest import load_corpus
from corpus.reference import load_reference_data
from corpus.search import rebuild_index

KINDS = ("source", "errata", "work", "term", "event", "note")


class Command(BaseCommand):
    help = (
        "Load the works and sources listed in corpus/data/sources.toml (and imported/*.toml), "
        "then the reference works, glossary, timeline, editorial notes and search index. "
        "Curators' changes made in the app are kept over the files. Safe to run again."
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
        parser.add_argument(
            "--take-file",
            action="append",
            default=[],
            metavar="WHAT:SLUG",
            help="Drop a curator's change made in the app for what the files say (to settle a "
            f"conflict); WHAT is one of {', '.join(KINDS)}. Repeatable.",
        )

    def handle(self, *args, force: bool = False, take_file: list[str] = (), **options):
        try:
            taken = curated.parse_take_file(take_file, kinds=KINDS)
        except ValueError as error:
            raise CommandError(str(error)) from error
        lines: list[str] = []
        curation = curated.CurationReport()
        # One transaction for sources, reference data, notes and index: if the glossary
        # or a note cites a quotation the new text no longer has, nothing is changed.
        try:
            with transaction.atomic():
                reports = load_corpus(force=force, take_file=taken)
                for report in reports:
                    lines.append(report.summary())
                    lines += [
                        f"  warning: erratum matched nothing: {w!r}" for w in report.unused_errata
                    ]
                curation.extend(reports.curation)
                # Works before the glossary and timeline (which cite them), notes after
                # (which name their entries); see corpus.editorial.
                works = load_reference_works(take_file=taken.get("work", ()))
                reference = load_reference_data(take_file=taken)
                curation.extend(reference.curation)
                lines.append(
                    f"glossary: {reference.terms} terms; timeline: {reference.events} events"
                )
                notes = load_notes(works=works, take_file=taken.get("note", ()))
                lines.append(notes.summary().splitlines()[0])
                curation.extend(notes)
                lines.append(f"search index: {rebuild_index()} passages")
        except ValueError as error:  # DocumentError, ReferenceDataError, EditorialDataError
            raise CommandError(str(error)) from error
        lines += curation.lines()
        self.stdout.write("\n".join(lines))
        if curation.conflicts:
            # Said where an operator looks, and never missed in a deploy's log.
            self.stderr.write(curation.lines()[0])
