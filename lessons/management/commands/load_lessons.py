"""Load the lesson modules from lessons/content/*.md into the database.

Idempotent: modules are matched by slug and rows are written only when
something differs, so a second run reports every module unchanged. Every
citation, excerpt, glossary term and timeline event must resolve against the
loaded corpus; the first that does not aborts the run with a one-line error
naming the file, and nothing is written. Then each lesson's source-analysis task
(lessons/content/tasks/<lesson>.toml) is loaded the same way (lessons.modules.source_analysis).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.modules.loading import CONTENT_DIR, content_files, load_modules
from lessons.modules.rendering import LessonContentError
from lessons.modules.source_analysis import TASKS_DIR, load_tasks, task_files


class Command(BaseCommand):
    help = (
        "Load lesson modules from lessons/content/*.md (or the given files). "
        "Idempotent; a citation that does not resolve aborts with nothing written. "
        "Run after load_corpus."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="Content files (default: all).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every file, then roll back."
        )

    def handle(self, *args, files: list[Path], dry_run: bool, **options) -> None:
        paths = files or content_files()
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such lesson file: {missing[0]}")
        if not paths:
            raise CommandError(f"no lesson files in {CONTENT_DIR}")
        try:
            report = load_modules(paths=paths, dry_run=dry_run)
        except LessonContentError as error:
            raise CommandError(str(error)) from None
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{len(paths)} module(s): {len(report.created)} created, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
        )
        if dry_run:
            return  # the modules were rolled back: their tasks have nothing to attach to
        # The tasks of the lessons just loaded (all of them, without FILE arguments).
        loaded = {*report.created, *report.updated, *report.unchanged}
        tasks = [path for path in task_files() if path.stem in loaded]
        try:
            tasks_report = load_tasks(paths=tasks)
        except LessonContentError as error:
            raise CommandError(f"{TASKS_DIR.name}/{error}") from None
        self.stdout.write(
            f"{len(tasks)} source-analysis task(s): {len(tasks_report.created)} created, "
            f"{len(tasks_report.updated)} updated, {len(tasks_report.unchanged)} unchanged."
        )
