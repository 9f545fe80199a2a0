"""Import questions from a JSON, GIFT or Moodle XML file: all or nothing.

    python manage.py import_questions FILE [--format json|gift|moodle-xml] [--dry-run]

Imported questions are locked against regeneration and wait for review unless
the file gives their status.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.exchange import FORMATS, MAX_BYTES, ExchangeError, import_questions


class Command(BaseCommand):
    help = "Import questions from a file; nothing changes if any question is invalid."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", dest="fmt", choices=FORMATS)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, file: Path, fmt: str | None, dry_run: bool, **options):
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            preview = import_questions(data=data, fmt=fmt, dry_run=dry_run)
        except ExchangeError as error:
            raise CommandError(str(error)) from None
        for label, reason in preview.rejected:
            self.stderr.write(f"rejected {label}: {reason}")
        verb = "Would add" if dry_run else "Added"
        self.stdout.write(
            f"{verb} {len(preview.added)}, update {len(preview.updated)}, "
            f"leave {len(preview.unchanged)} unchanged, reject {len(preview.rejected)}."
        )
