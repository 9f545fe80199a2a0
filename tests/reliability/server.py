"""Real Thaw servers for the reliability tests: gunicorn on 127.0.0.1, a database of their own.

Production settings (DEBUG off, a random SECRET_KEY, collected static files), the
bench helpers' gunicorn (tests.benchmarks.server), and a small seeded database:
- SQLite (no DATABASE_URL): a fresh file in a temporary THAW_VAR_DIR, one gunicorn;
- PostgreSQL (DATABASE_URL=postgres://...): a fresh `thaw_reliability` database on
  that server and TWO gunicorn processes against it with Django's connection pool,
  the way a school would run two app servers.
The tests talk to the servers only over HTTP and read the database directly
(sqlite3 / psycopg) to diff it against what the clients were told; nothing goes
through pytest-django's test database or its transaction.

Logging in: students are created with one real (PBKDF2) hash copied to all of them
and given sessions written straight into the session table, the rows
`django.contrib.auth.login` writes (as tests/benchmarks/prepare.py does): fifty real
logins would spend the time budget on PBKDF2, which is not under test here. The
shared-account race logs in for real, from several "devices" at once.

Run as `python -m tests.reliability.server seed OUT.json` (with the server's environment)
to seed: it uses tests/factories.py and writes the users, sessions and quizzes as JSON.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from tests.benchmarks.server import ROOT, Gunicorn, manage, server_env

PASSWORD = "reliability-student-1956"  # a throwaway account on 127.0.0.1 only
STUDENTS = 50
PRACTICE_QUESTIONS = 5
SHARED_QUESTIONS = 6
KILL_QUESTIONS = 24
# One per pytest-xdist worker: two workers may each run a site at once.
RELIABILITY_DATABASE = "thaw_reliability" + (
    f"_{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
)
# What a user must never see: SQLite's lock error, a traceback, Django's debug page.
LEAKS = ("database is locked", "Traceback", "OperationalError", "IntegrityError")


def engine() -> str:
    """The engine this run tests: PostgreSQL when the suite runs with DATABASE_URL=postgres://."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


# --- The database ------------------------------------------------------------------


@dataclass
class Database:
    """The servers' database, read directly (never through Django) to check what was stored."""

    url: str | None = None  # PostgreSQL
    path: Path | None = None  # SQLite

    @contextmanager
    def connect(self) -> Iterator:
        if self.url:
            import psycopg

            connection = psycopg.connect(self.url, autocommit=True)
        else:
            connection = sqlite3.connect(self.path, timeout=30)
        try:
            yield connection
        finally:
            connection.close()

    def rows(self, sql: str) -> list[tuple]:
        with self.connect() as connection:
            return [tuple(row) for row in connection.execute(sql).fetchall()]

    def responses(self, attempt_ids) -> list[tuple[int, int, list[str], bool]]:
        """(attempt id, question id, answer, is_correct) of every stored response."""
        ids = ",".join(str(int(pk)) for pk in attempt_ids) or "0"
        rows = self.rows(
            "SELECT attempt_id, question_id, answer, is_correct FROM quizzes_response"
            f" WHERE attempt_id IN ({ids})"
        )
        return [
            (a, q, json.loads(answer) if isinstance(answer, str) else answer, bool(correct))
            for a, q, answer, correct in rows
        ]


def _postgres_admin(url: str, *statements: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _fresh_postgres_database(url: str) -> str:
    """Drop and create `thaw_reliability` on the server of `url`; its URL."""
    _postgres_admin(
        url,
        f"DROP DATABASE IF EXISTS {RELIABILITY_DATABASE} WITH (FORCE)",
        f"CREATE DATABASE {RELIABILITY_DATABASE}",
    )
    return urlunsplit(urlsplit(url)._replace(path=f"/{RELIABILITY_DATABASE}"))


def _drop_postgres_database(url: str) -> None:
    _postgres_admin(url, f"DROP DATABASE IF EXISTS {RELIABILITY_DATABASE} WITH (FORCE)")


# --- The site -----------------------------------------------------------------------


@dataclass
class Site:
    """One or two gunicorn servers on one seeded database."""

    env: dict[str, str]
    database: Database
    data: dict
    servers: list[Gunicorn] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def url_for(self, n: int) -> str:
        """Clients are spread over the servers round-robin."""
        return self.urls[n % len(self.urls)]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        if self.database.url:  # SQLite's file goes with the temporary directory
            _drop_postgres_database(self.database.url)


def start_site(var_dir: Path, *, workers: int = 2) -> Site:
    """Migrate and seed a fresh database, collect static files, start the server(s)."""
    database_url = None
    if engine() == "postgresql":
        database_url = _fresh_postgres_database(os.environ["DATABASE_URL"])
    env = server_env(var_dir=var_dir, database_url=database_url)
    if database_url:
        env["DATABASE_POOL"] = "1"
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    out = var_dir / "seed.json"
    subprocess.run(
        [sys.executable, "-m", "tests.reliability.server", "seed", str(out)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    database = (
        Database(url=database_url) if database_url else Database(path=var_dir / "thaw.sqlite3")
    )
    site = Site(env=env, database=database, data=json.loads(out.read_text()))
    try:
        for _ in range(2 if database_url else 1):
            site.servers.append(Gunicorn(env, workers=workers))
    except Exception:
        site.stop()
        raise
    return site


def kill_worker(server: Gunicorn, *, among: set[int]) -> int:
    """SIGKILL one of the server's workers in `among` (as the OOM killer would); its pid."""
    pid = sorted(set(server.worker_pids()) & among)[0]
    os.kill(pid, signal.SIGKILL)
    return pid


def wait_for_workers(server: Gunicorn, *, count: int, other_than: set[int], timeout: float = 30):
    """Wait until gunicorn has `count` workers again, none of them in `other_than`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = set(server.worker_pids())
        if len(pids) == count and not pids & other_than:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not replace its killed workers: {server.worker_pids()}")


# --- A client -----------------------------------------------------------------------

_QUESTION = re.compile(r'name="question" value="(\d+)"')
_CHOICES = re.compile(r'name="choice" value="([^"]+)"')


class Student:
    """One browser (its own cookies) on one server: requests as htmx or a plain form sends them.

    Every response is kept in `seen` (status, body) so a test can check that no user saw a
    5xx or a database error; a connection cut (a killed worker) is an error, not a response.
    """

    def __init__(self, base_url: str, *, session_key: str = "", cookie_name: str = "sessionid"):
        self.base_url = base_url
        self.http = requests.Session()
        if session_key:
            self.http.cookies.set(cookie_name, session_key, domain="127.0.0.1", path="/")
        self.seen: list[tuple[int, str]] = []

    def _record(self, response: requests.Response) -> requests.Response:
        self.seen.append((response.status_code, response.text))
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._record(self.http.get(self.base_url + path, timeout=60, **kwargs))

    def post(self, path: str, data: dict | None = None, *, htmx: bool = False, **kwargs):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", "")}
        if htmx:
            headers["HX-Request"] = "true"
        response = self.http.post(
            self.base_url + path,
            data=data or {},
            headers=headers,
            timeout=60,
            allow_redirects=False,
            **kwargs,
        )
        return self._record(response)

    def ensure_csrf(self) -> None:
        if not self.http.cookies.get("csrftoken"):
            self.get("/")

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = self.post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.status_code

    def start(self, quiz_pk: int) -> int:
        """Press Start on the quiz page: the attempt's pk."""
        self.ensure_csrf()
        response = self.post(f"/quizzes/{quiz_pk}/start/")
        assert response.status_code == 302, response.status_code
        match = re.search(r"/attempts/(\d+)/", response.headers["Location"])
        assert match, response.headers["Location"]
        return int(match[1])

    def current_question(self, attempt_pk: int) -> tuple[int | None, list[str]]:
        """The question the attempt page shows (None when all are answered) and its options."""
        page = self.get(f"/attempts/{attempt_pk}/")
        assert page.status_code == 200, page.status_code
        question = _QUESTION.search(page.text)
        return (int(question[1]) if question else None), _CHOICES.findall(page.text)

    def answer(self, attempt_pk: int, question_pk: int, choice: str) -> requests.Response:
        return self.post(
            f"/attempts/{attempt_pk}/answer/",
            {"question": question_pk, "choice": choice},
            htmx=True,
        )

    def finish(self, attempt_pk: int) -> requests.Response:
        return self.post(f"/attempts/{attempt_pk}/finish/")


def leaks(seen: list[tuple[int, str]]) -> list[str]:
    """What a user should never have seen: 5xx statuses and database errors in a page."""
    found = [f"HTTP {status}" for status, _ in seen if status >= 500]
    found += [leak for _, body in seen for leak in LEAKS if leak in body]
    return found


# --- Seeding (run in a subprocess with the server's settings) -------------------------------


def seed(out: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from quizzes.models import Quiz
    from tests.benchmarks.prepare import logged_in_session
    from tests.factories import make_passage, make_question, make_quiz

    hashed = make_password(PASSWORD)  # the real hasher, once
    users = User.objects.bulk_create(
        User(username=name, first_name="Reliability", password=hashed)
        for name in [f"rel-student-{n:02d}" for n in range(1, STUDENTS + 1)]
        + ["rel-shared", "rel-killed"]
    )
    sessions = {user.username: logged_in_session(user, SessionStore) for user in users}

    passage = make_passage(text="Reliability passage quoted by every question.")
    options = [{"id": i, "text": f"Option {i.upper()}"} for i in "abcd"]

    def quiz(count: int, **kwargs) -> dict:
        questions = [
            make_question(passage=passage, options=options, answer=["abcd"[n % 4]])
            for n in range(count)
        ]
        built = make_quiz(questions=questions, **kwargs)
        return {
            "pk": built.pk,
            "questions": [q.pk for q in questions],
            "keys": {str(q.pk): q.answer[0] for q in questions},
            "options": [option["id"] for option in options],
        }

    Path(out).write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "sessions": sessions,
                "students": [u.username for u in users if u.username.startswith("rel-student")],
                "practice": quiz(PRACTICE_QUESTIONS, shuffle_options=True),
                "shared": quiz(
                    SHARED_QUESTIONS, mode=Quiz.Mode.TEST, reveal_answers=Quiz.Reveal.IMMEDIATELY
                ),
                "killed": quiz(KILL_QUESTIONS),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed(sys.argv[2])
    else:
        raise SystemExit("usage: python -m tests.reliability.server seed OUT.json")
