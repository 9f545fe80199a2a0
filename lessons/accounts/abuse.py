"""Rate limits on signing up and on join codes, set so that a class never meets them.

A class's join code is printed on slides and posters, so anyone can sign up with it, and
a script could fill a class with accounts; codes are short enough to be worth guessing
from a logged-in account. The limits (corpus.plumbing.rate_limits, on the shared cache):

- wrong join codes: WRONG_CODES_PER_ADDRESS from one address and WRONG_CODES_PER_USER from
  one account, per ten minutes (a class mistyping its code makes a handful; a guesser
  needs billions: codes are 8 characters of 31);
- sign-ups: SIGNUPS_PER_ADDRESS from one address and SIGNUPS_PER_CLASS into one class, per
  hour (a class signs up together from its school's one address; a larger group can be
  imported from a roster instead, which no limit touches).

Only wrong codes count towards the code limits, and only accounts made towards the sign-up
ones. Each refusal says how long to wait. The address is the one django-axes reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from corpus.plumbing import rate_limits
from corpus.plumbing.rate_limits import Limit

WRONG_CODES_PER_ADDRESS = Limit("join-code-address", count=50, seconds=10 * 60)
WRONG_CODES_PER_USER = Limit("join-code-user", count=10, seconds=10 * 60)
SIGNUPS_PER_ADDRESS = Limit("signup-address", count=100, seconds=60 * 60)
SIGNUPS_PER_CLASS = Limit("signup-class", count=60, seconds=60 * 60)


def client_address(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


@dataclass(frozen=True)
class CodeAttempts:
    """Who is typing a join code: their address, and their account if logged in."""

    address: str
    user_id: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> CodeAttempts:
        user = getattr(request, "user", None)
        return cls(
            address=client_address(request),
            user_id=user.pk if user is not None and user.is_authenticated else None,
        )

    def _limits(self) -> list[tuple[Limit, str]]:
        found = [(WRONG_CODES_PER_ADDRESS, self.address)]
        if self.user_id is not None:
            found.append((WRONG_CODES_PER_USER, str(self.user_id)))
        return found

    def refusal(self) -> str | None:
        """Why no code may be tried now (before looking it up), or None."""
        for limit, who in self._limits():
            decision = rate_limits.peek(limit, who=who)
            if not decision.allowed:
                return (
                    f"Too many wrong join codes were tried. Wait {decision.wait_text}, "
                    "then type the code again, or ask your teacher for a sign-up link."
                )
        return None

    def count_wrong(self) -> None:
        for limit, who in self._limits():
            rate_limits.hit(limit, who=who)


def signup_refusal(*, request: HttpRequest, class_id: int) -> str | None:
    """Count a sign-up into class `class_id`; why it may not happen now, or None."""
    checks = [
        (SIGNUPS_PER_CLASS, str(class_id), "into this class"),
        (SIGNUPS_PER_ADDRESS, client_address(request), "from your network"),
    ]
    for limit, who, where in checks:
        decision = rate_limits.hit(limit, who=who)
        if not decision.allowed:
            return (
                f"Many accounts were made {where} in the last hour. Wait "
                f"{decision.wait_text} and try again, or ask your teacher to add you."
            )
    return None


def throttled(form) -> bool:
    """Whether a form was refused by a rate limit (lessons.accounts.abuse): a 429, not a 200."""
    return form.is_bound and any(
        error.code == "throttled" for errors in form.errors.as_data().values() for error in errors
    )
