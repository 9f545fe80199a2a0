"""Generate the question bank from the corpus, behind the quality gates.

    python manage.py generate_questions [--source SLUG ...] [--seed N]

Idempotent: a second run with the same corpus and seed adds and changes
nothing. Questions a curator has locked are never changed. Generated questions
no longer produced are retired (within the sources covered by the run).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress

from corpus.models import Source
from corpus.proposals import propose
from quizzes.curation import flag_changed_passages
from quizzes.generation import GENERATORS, generate_bank, lesson_groups, load_snapshot
from quizzes.generation.note_changes import review_note_changes
from quizzes.generation.reporting import bank_table, run_table
from quizzes.generation.saving import publish_threshold, save_bank


class Command(BaseCommand):
    help = "Generate questions from the corpus (quality-gated); prints a summary table."

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", dest="sources", metavar="SLUG")
        parser.add_argument("--seed", type=int, default=1956)

    def handle(self, *args, sources: list[str] | None, seed: int, **options):
        if sources:
            known = set(Source.objects.filter(slug__in=sources).values_list("slug", flat=True))
            missing = sorted(set(sources) - known)
            if missing:
                raise CommandError(f"Unknown source slug(s): {', '.join(missing)}")
        started = time.monotonic()
        # Names and dated sentences the glossary and timeline lack wait for a curator.
        proposed = propose(sources=sources)
        console = Console(file=self.stdout, force_terminal=False, width=110)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Generating questions", total=len(GENERATORS) + 2)
            corpus = load_snapshot(sources=sources)
            progress.advance(task)
            result = generate_bank(
                corpus=corpus,
                seed=seed,
                on_generator_done=lambda _name: progress.advance(task),
                groups=lesson_groups(),
            )
            saving = timezone.now()
            run = save_bank(result=result, seed=seed, sources=sources, started=started)
            # A passage whose text changed since its questions were checked (re-ingest,
            # errata) sends them back to a curator; corpus cannot call us, so we look.
            flagged = flag_changed_passages()
            # A passage that gained or lost an editorial note: its questions were judged
            # again by the run, or wait for a curator (a locked question is never changed).
            notes = review_note_changes(
                produced={c.fingerprint for c in result.accepted}, run_started=saving
            )
            progress.advance(task)
        console.print(run_table(run=run, result=result, threshold=publish_threshold()))
        console.print(bank_table(title="Published questions by type"))
        console.print(
            f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.locked_skipped} locked by a curator, {run.retired} retired, "
            f"{flagged} sent back for review because their passage changed "
            f"in {run.duration_seconds:.2f}s (seed {seed})."
        )
        console.print(f"Editorial notes: {notes.summary()}.")
        console.print(f"Curators' queue: {proposed.summary()}.")
