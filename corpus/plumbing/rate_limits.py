"""Rate limits on Django's cache: how many times someone may do something in a window.

Shared by every app (corpus.plumbing: plumbing all may import). The counters live in the cache
the project is configured with (`CACHES["default"]`), so every worker and every server
sharing that cache counts together: the file cache of one machine today, Redis or
memcached when Thaw runs on several. A fixed window per key: `cache.add` starts it with
its timeout, `cache.incr` counts. On Redis and memcached `incr` is atomic; the file cache
reads and writes the file, so two workers hitting the same key in the same instant may
count one hit once: a limit may let a request or two more through, never fewer.

Keys hold a hash of who is counted (an address, a user id, a username), never the value
itself: no personal data in the cache's file names or keys.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for each `who`."""

    name: str
    count: int
    seconds: int

    def _key(self, who: str, window: int) -> str:
        digest = hashlib.sha256(f"{self.name}\x1f{who}".encode()).hexdigest()[:32]
        return f"rate:{self.name}:{digest}:{window}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)

    @property
    def wait_text(self) -> str:
        """ "30 seconds", "2 minutes": how long to wait, for a message."""
        if self.retry_after < 90:
            seconds = max(self.retry_after, 1)
            return f"{seconds} second{'s' if seconds != 1 else ''}"
        minutes = math.ceil(self.retry_after / 60)
        return f"{minutes} minutes"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    window = int(now // limit.seconds)
    retry_after = math.ceil((window + 1) * limit.seconds - now)
    return window, retry_after


def hit(limit: Limit, *, who: str, now: float | None = None) -> Decision:
    """Count one hit for `who`; refused when it is over the limit (the hit still counts)."""
    now = time.time() if now is None else now
    window, retry_after = _window(limit, now)
    key = limit._key(who, window)
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: this is the window's first hit
        cache.set(key, 1, timeout=limit.seconds + 1)
        count = 1
    allowed = count <= limit.count
    return Decision(allowed=allowed, retry_after=0 if allowed else retry_after)


def peek(limit: Limit, *, who: str, now: float | None = None) -> Decision:
    """Whether `who` is already over the limit, without counting a hit."""
    now = time.time() if now is None else now
    window, retry_after = _window(limit, now)
    count = cache.get(limit._key(who, window), 0)
    allowed = count < limit.count
    return Decision(allowed=allowed, retry_after=0 if allowed else retry_after)


def clear(limit: Limit, *, who: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    cache.delete(limit._key(who, _window(limit, now)[0]))
