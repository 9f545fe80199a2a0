"""Send the LMS scores that are waiting (LTI Assignment and Grade Services).

A score is sent right after its attempt finishes; this command sends those that could not
be (the LMS was down, slow, or did not yet say where the grades go), each after its
backoff. Run it every few minutes (a timer beside the overdue-attempts one). Safe to run
while another sender runs: each score is claimed before it is sent, and sent once.
Also forgets the nonces of launches too old to be replayed anyway.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from lessons.lti.grades import send_due
from lessons.lti.launch import prune_nonces


class Command(BaseCommand):
    help = "Send waiting LMS scores (each after its backoff) and forget old launch nonces."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        report = send_due(now=now)
        pruned = prune_nonces(now=now)
        self.stdout.write(
            f"{report.sent} score(s) sent, {report.failed} not sent (they wait for their next "
            f"try; {report.given_up} given up); {pruned} old launch nonce(s) forgotten."
        )
