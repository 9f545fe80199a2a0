"""Create the demo accounts (student, teacher, curator) and class; print logins and join code.

Then give the demo class six more students, two assignments and finished
attempts, so the teacher's gradebook and item analysis have work in them. Run
after load_corpus, load_lessons and generate_questions; without the lessons and
the bank only the accounts and the class are made.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from lessons.accounts.demo import (
    DEMO_CLASS_NAME,
    DEMO_JOIN_CODE,
    DEMO_STUDENT_PASSWORD,
    ensure_demo_accounts,
    ensure_demo_work,
)


class Command(BaseCommand):
    help = (
        "Create or reset the demo accounts and the demo class; print the logins and the "
        "class join code. Idempotent."
    )

    def handle(self, *args, **options) -> None:
        accounts = ensure_demo_accounts()
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        for account in accounts:
            self.stdout.write(
                f"  {account.role:<8} username: {account.username:<8} password: {account.password}"
            )
        self.stdout.write(
            f"Demo class: {DEMO_CLASS_NAME} (taught by teacher, with student in it); "
            f"join code: {DEMO_JOIN_CODE} (sign up at http://127.0.0.1:8000/accounts/signup/)"
        )
        work = ensure_demo_work(now=timezone.now())
        if work.skipped_reason:
            self.stdout.write(
                f"Demo class work skipped: {work.skipped_reason}, so only the accounts and the class were made. Run load_lessons and "
                "generate_questions, then seed_demo again."
            )
        else:
            self.stdout.write(
                f"Demo class work: {work.students} more students (password "
                f"{DEMO_STUDENT_PASSWORD}), {work.assignments} assignments, "
                f"{work.attempts_created} new attempts to grade (teacher → Classes)."
            )
