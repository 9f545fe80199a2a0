"""Create the demo accounts (student, teacher, curator) and class; print logins and join code."""

from django.core.management.base import BaseCommand

from lessons.accounts import DEMO_CLASS_NAME, DEMO_JOIN_CODE, ensure_demo_accounts


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
