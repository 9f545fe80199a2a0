"""Close attempts whose deadline (plus the grace period) has passed."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.taking import close_if_overdue


class Command(BaseCommand):
    help = (
        "Finish every open attempt past its time limit or due date (plus QUIZ_GRACE_SECONDS), "
        "graded on what was answered. Attempts are also closed when next opened; run this "
        "from cron so gradebooks are complete without waiting for students. Idempotent."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        candidates = Attempt.objects.in_progress().filter(
            deadline_at__isnull=False
        ) | Attempt.objects.in_progress().filter(quiz__due_at__isnull=False)
        closed = sum(
            close_if_overdue(attempt=attempt, now=now)
            for attempt in candidates.select_related("quiz", "user").distinct().iterator()
        )
        self.stdout.write(f"{closed} overdue attempt{'s' if closed != 1 else ''} closed.")
