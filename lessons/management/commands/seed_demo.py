"""Create the demo accounts (student, teacher, curator) and print their logins."""

from django.core.management.base import BaseCommand

from lessons.accounts import ensure_demo_accounts


class Command(BaseCommand):
    help = "Create or reset the demo accounts and print their logins. Idempotent."

    def handle(self, *args, **options) -> None:
        accounts = ensure_demo_accounts()
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        for account in accounts:
            self.stdout.write(
                f"  {account.role:<8} username: {account.username:<8} password: {account.password}"
            )
