"""Back up the database while the app runs (restore: see docs/reliability.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from corpus.plumbing.backup import BackupError, backup_database, default_backup_path


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database: SQLite's online backup, or pg_dump "
        "(custom format) on PostgreSQL. Default: var/backups/thaw-<timestamp>.*"
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="File to write (must not exist).")

    def handle(self, *args, output: Path | None = None, **options):
        target = output or default_backup_path(
            directory=Path(settings.VAR_DIR) / "backups", now=timezone.now()
        )
        try:
            written = backup_database(target=target)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {written} ({written.stat().st_size:,} bytes).")
