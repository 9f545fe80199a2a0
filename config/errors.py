"""A database that cannot take writes right now gets a clear page, not a 500.

A read-only database (a full disk remounted read-only, a replica promoted late, a
file whose permissions a backup script changed), a full disk, or on SQLite a lock
held past the busy timeout: the student's answer was not saved, but nothing is
broken and nothing earlier is lost (every write is one transaction, rolled back
whole). The middleware turns those errors, raised by a view, into a 503 page
that says so; every other error still goes to Django's normal 500 handling.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("thaw.database")

READ_ONLY = "read-only"
FULL = "full"
BUSY = "busy"
# Several app servers share a Redis cache (CACHE_URL): while it does not answer, a session
# cannot be read, and the app does not guess who is logged in (docs/deployment.md).
CACHE = "cache"

# PostgreSQL names the condition in its SQLSTATE:
# https://www.postgresql.org/docs/current/errcodes-appendix.html
_POSTGRES_STATES = {"25006": READ_ONLY, "53100": FULL}  # read_only_sql_transaction, disk_full
# SQLite in its (primary) result code: https://www.sqlite.org/rescode.html
_SQLITE_CODES = {sqlite3.SQLITE_READONLY: READ_ONLY, sqlite3.SQLITE_FULL: FULL}
# ... and both in the message, which is all a wrapped error may keep.
_MESSAGES = {
    "attempt to write a readonly database": READ_ONLY,
    "read-only transaction": READ_ONLY,
    "database or disk is full": FULL,
    "could not extend file": FULL,
    "no space left on device": FULL,
    # SQLite gave up waiting for the write lock (busy_timeout): try again later.
    "database is locked": BUSY,
}
RETRY_AFTER_SECONDS = 60


def cannot_write(error: BaseException) -> str | None:
    """READ_ONLY, FULL or BUSY when `error` means the database cannot take writes now, else None."""
    if not isinstance(error, DatabaseError):
        return None
    # Django re-raises the driver's error as its own, `from` the original.
    driver_error = error.__cause__ or error
    state = getattr(driver_error, "sqlstate", None)  # psycopg 3
    if state in _POSTGRES_STATES:
        return _POSTGRES_STATES[state]
    code = getattr(driver_error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_CODES:
        return _SQLITE_CODES[code & 0xFF]
    message = str(driver_error).lower()
    return next((kind for text, kind in _MESSAGES.items() if text in message), None)


def cache_unreachable(error: BaseException | None) -> bool:
    """Whether `error` is the shared cache (Redis) not answering."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # no Redis client: the cache is the file cache
        return False
    return isinstance(error, RedisConnectionError | RedisTimeoutError)


def unavailable(error: BaseException | None) -> str | None:
    """READ_ONLY, FULL, BUSY or CACHE when `error` means "try again in a minute", else None."""
    if cache_unreachable(error):
        return CACHE
    return cannot_write(error) if error is not None else None


class DatabaseUnavailableMiddleware:
    """Show templates/503.html when a view's write is refused because of the database's state."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = unavailable(exception)
        if kind is None:
            return None  # Django's 500 handling, logged with its traceback as usual
        return database_unavailable(request, kind)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same 503 page for a refused write outside a view (saving the
    session after a log-in, say), where the middleware above cannot see it."""
    kind = unavailable(sys.exc_info()[1])  # Django calls this while handling the error
    if kind is None:
        return defaults.server_error(request)
    return database_unavailable(request, kind)


def database_unavailable(request: HttpRequest, kind: str) -> HttpResponse:
    """The 503 page (or, for htmx, its message retargeted into the page), logged without
    personal data."""
    # No user, no path (it may name a student's attempt), no driver message (it may
    # quote the values being written): what failed and where, in general terms.
    match = request.resolver_match
    where = (request.method, match.view_name if match else "an unknown view")
    if kind == CACHE:
        logger.warning("The shared cache did not answer in %s %s; the 503 page was shown.", *where)
    else:
        logger.warning(
            "The database refused a write (%s) in %s %s; the 503 page was shown.", kind, *where
        )
    # Rendered without the request: no context processor, so no query, runs on a
    # database that is refusing us.
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx responses: send the message with 200 and ask htmx to
        # put it in the page's main area instead of the fragment it was waiting for.
        response = HttpResponse(render_to_string("503.html#database-unavailable"))
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
