"""Make a new key for Thaw's LTI signatures; keys older than a week leave Thaw's JWKS.

LMSs fetch Thaw's JWKS when they meet a key id they do not know, so a rotation needs
nothing done on their side. Run it on a schedule (every few months) or after a leak.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from lessons.lti.registration import jwks, rotate_key


class Command(BaseCommand):
    help = "Make a new LTI signing key; retire keys older than a week."

    def handle(self, *args, **options) -> None:
        key = rotate_key(now=timezone.now())
        kids = [k["kid"] for k in jwks()["keys"]]
        self.stdout.write(f"New key {key}; Thaw's JWKS now lists {len(kids)}: {', '.join(kids)}.")
