"""Let an account log in at once after wrong passwords paused it (lessons.accounts.login_throttle).

    python manage.py unlock_login USERNAME

Teachers do the same for their students from the class page; this is for any account
(a teacher's, a curator's). Safe to run when nothing is paused.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lessons.accounts import login_throttle


class Command(BaseCommand):
    help = "Forget an account's wrong passwords, so it may log in at once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        waited = login_throttle.paused(usernames=[username]).get(username, 0)
        login_throttle.lift(username=username)
        self.stdout.write(
            f"{username} may log in now"
            + (f" (it had {waited} seconds to wait)." if waited else " (nothing was paused).")
        )
