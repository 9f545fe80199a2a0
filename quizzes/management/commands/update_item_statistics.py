"""Recompute item statistics (facility, discrimination, choice counts, flags).

    python manage.py update_item_statistics

Idempotent: reads every response and rewrites the statistics table. Run it from
cron (e.g. nightly) or with the "Recompute" button on /curation/; answering a
question never waits for it.
"""

from django.core.management.base import BaseCommand

from quizzes.statistics import update_item_statistics


class Command(BaseCommand):
    help = "Recompute item statistics and flags from the stored responses."

    def handle(self, *args, **options):
        count = update_item_statistics()
        self.stdout.write(f"Statistics updated for {count} question(s).")
