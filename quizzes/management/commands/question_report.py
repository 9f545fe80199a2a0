"""Report on the stored question bank: counts by type and status, the last run's
rejections by reason, the questions editorial notes touch (asked as a source's corrected
claim, or sent back to review because the notes on their passages changed), the balance of
true and false statements and the most frequent
keys (whole bank and per lesson), and substantive passages that no published question cites.

    python manage.py question_report
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from quizzes.generation.note_changes import note_tables
from quizzes.generation.reporting import (
    balance_table,
    bank_table,
    coverage,
    key_spread_table,
    uncited_passages,
)
from quizzes.models import GenerationRun


class Command(BaseCommand):
    help = "Summarise the question bank and list passages with no question."

    def handle(self, *args, **options):
        console = Console(file=self.stdout, force_terminal=False, width=110)
        console.print(bank_table(title="Question bank by type and status"))
        run = GenerationRun.objects.first()
        if run:
            table = Table(title=f"Rejections in the last run ({run})")
            table.add_column("Reason")
            table.add_column("Count", justify="right")
            for reason, count in sorted(run.rejections.items(), key=lambda kv: (-kv[1], kv[0])):
                table.add_row(reason, str(count))
            console.print(table)
        for part in note_tables():
            console.print(part)
        console.print(balance_table())
        console.print(key_spread_table())
        cited, total = coverage()
        share = f"{cited / total:.0%}" if total else "n/a"
        console.print(
            f"Substantive readable passages cited by a published question: {cited}/{total} ({share})"
        )
        missing = uncited_passages()
        if missing:
            table = Table(title="Passages with no question")
            table.add_column("Passage")
            table.add_column("Text")
            for passage in missing:
                table.add_row(f"{passage.source.slug}:{passage.key}", passage.text[:80])
            console.print(table)
