"""Log-in throttling that slows password guessing but cannot lock a classmate out before a test.

django-axes locked a username on an address for 15 minutes after five wrong passwords: a
whole school shares one address, so five tries from a classmate's phone kept a student out
of their test. Two rules replace that lockout, both checked before the password is (so a
refused try says nothing about the password) and both kept in the cache
(corpus.plumbing.rate_limits: shared by the workers, Redis-ready):

- **Per username, from anywhere:** the first FREE_FAILURES wrong passwords cost nothing;
  after that each try waits a delay that doubles from FIRST_DELAY up to MAX_DELAY seconds
  (5, 10, 20, 40, 60, 60, ...), counted from the last wrong password. A try during the wait
  is refused without counting, so hammering does not lengthen it. A burst of wrong
  passwords costs the student seconds, not a lesson; keeping one account shut takes a try
  every minute, by hand, for as long as it lasts, and the class's teacher can end it at
  once from the class page (`lift`). Guessing is held to about one password a minute per
  account. The failures are forgotten FORGET_AFTER seconds after the last one, or at a
  success.
- **Per address, across usernames:** at most ADDRESS_FAILURES.count wrong passwords from
  one address in ADDRESS_FAILURES.seconds, so nobody tries one password on every account
  of a school. A school's real mistakes stay far below it; when it is reached, log-ins from
  that address wait for the window to end (students already logged in are not affected).

django-axes still records every attempt (the admin's Axes pages, the privacy deletion's
cleanup) but no longer locks anyone out (AXES_LOCK_OUT_AT_FAILURE = False in settings).
"""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass

from django.core.cache import cache

from corpus.plumbing import rate_limits

FREE_FAILURES = 4
FIRST_DELAY = 5
MAX_DELAY = 60
FORGET_AFTER = 15 * 60
ADDRESS_FAILURES = rate_limits.Limit("login-address", count=100, seconds=15 * 60)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: int = 0  # seconds
    by_address: bool = False

    @property
    def message(self) -> str:
        wait = rate_limits.Decision(allowed=False, retry_after=self.wait).wait_text
        if self.by_address:
            return (
                f"Too many failed log-ins from your network. Wait {wait}, then try again; "
                "if you are already logged in, nothing changes for you."
            )
        return (
            f"Too many wrong passwords for this account. Wait {wait}, then try again. "
            "Your teacher can let you log in at once from the class page."
        )


def delay_after(failures: int) -> int:
    """Seconds a try must wait after `failures` wrong passwords in a row."""
    if failures <= FREE_FAILURES:
        return 0
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 16), MAX_DELAY)


def _key(username: str) -> str:
    # One key for "Anna", "anna" and "ａｎｎａ"; hashed, so the cache holds no usernames.
    folded = unicodedata.normalize("NFKC", username).casefold()
    return "login-user:" + hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def _wait(state: dict | None, now: float) -> int:
    if not state:
        return 0
    return max(0, math.ceil(state["last"] + delay_after(state["failures"]) - now))


def check(*, username: str, address: str, now: float | None = None) -> Verdict:
    """Whether a log-in as `username` from `address` may have its password checked now."""
    now = time.time() if now is None else now
    wait = _wait(cache.get(_key(username)), now)
    if wait:
        return Verdict(allowed=False, wait=wait)
    by_address = rate_limits.peek(ADDRESS_FAILURES, who=address, now=now)
    if not by_address.allowed:
        return Verdict(allowed=False, wait=by_address.retry_after, by_address=True)
    return Verdict(allowed=True)


def record_failure(*, username: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    key = _key(username)
    state = cache.get(key) or {"failures": 0, "last": now}
    cache.set(key, {"failures": state["failures"] + 1, "last": now}, timeout=FORGET_AFTER)
    rate_limits.hit(ADDRESS_FAILURES, who=address, now=now)


def record_success(*, username: str) -> None:
    cache.delete(_key(username))


def lift(*, username: str) -> None:
    """Let `username` log in at once (a teacher's button): forget their failures, and
    django-axes' record of them."""
    from axes.utils import reset

    cache.delete(_key(username))
    reset(username=username)


def paused(*, usernames: list[str], now: float | None = None) -> dict[str, int]:
    """Of `usernames`, those who must wait before their next log-in try: username -> seconds.
    One cache read for them all."""
    now = time.time() if now is None else now
    keys = {_key(name): name for name in usernames}
    states = cache.get_many(list(keys))
    waits = {keys[key]: _wait(state, now) for key, state in states.items()}
    return {name: wait for name, wait in waits.items() if wait}
