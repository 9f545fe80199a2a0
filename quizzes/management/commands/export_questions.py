"""Export the question bank as JSON, GIFT or Moodle XML.

python manage.py export_questions --format json|gift|moodle-xml [--status published] [-o FILE]
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.exchange import FORMATS, export_questions
from quizzes.models import Question


class Command(BaseCommand):
    help = "Export questions (JSON schema in docs/question-format.md, GIFT, Moodle XML)."

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument("--status", choices=Question.Status.values)
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, fmt: str, status: str | None, output: Path | None, **options):
        questions = Question.objects.select_related("passage__source", "source", "work").order_by(
            "type", "fingerprint"
        )
        if status:
            questions = questions.filter(status=status)
        text = export_questions(questions=questions, fmt=fmt)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {questions.count()} questions to {output} ({fmt}).")
