"""Three app servers behind HAProxy, as deploy/ installs them: what a student or a curator
would notice is the same as on one server.

The setting (tests/multiserver/cluster.py): PostgreSQL, Redis, three gunicorn servers each
with its own VAR_DIR and copy of corpus/data, HAProxy with TLS in front, round-robin and
no sticky sessions, all started with the files in deploy/. Clients talk to the balancer
over HTTPS; some checks also ask each app server directly, to show that every one of
them agrees. Answers acknowledged to a client are diffed against the database read
directly, as in tests/reliability/test_concurrency.py.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.multiserver.cluster import Cluster, csrf_token, start_cluster
from tests.reliability.figures import record
from tests.reliability.server import Student, leaks

# The servers use the suite's database, not pytest-django's fixtures.
pytestmark = [pytest.mark.slow, pytest.mark.uses_database]
FIGURES: dict[str, list[str]] = {}
_QUESTION = re.compile(r'name="question" value="(\d+)"')
_CHOICES = re.compile(r'name="choice" value="([^"]+)"')


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    started = time.monotonic()
    cluster = start_cluster(tmp_path_factory.mktemp("thaw-multiserver"))
    yield cluster
    cluster.stop()
    if FIGURES:
        setup = ", ".join(f"{k} {v:.0f} s" for k, v in cluster.timings.items())
        lines = [line for section in FIGURES.values() for line in section]
        lines.append(
            f"- Whole module: {time.monotonic() - started:.0f} s, of which setting up {setup}."
        )
        # The figures are PostgreSQL's, whatever DATABASE_URL the suite was started with.
        with mock.patch.dict(os.environ, {"DATABASE_URL": cluster.env["DATABASE_URL"]}):
            record("multiserver", lines, title="Several app servers behind a load balancer")


def _logged_in(response: requests.Response) -> bool:
    """The dashboard answers a logged-in user; anyone else is sent to the log-in page."""
    if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
        return False
    assert response.status_code == 200, response.status_code
    return True


def test_a_logout_on_one_server_ends_the_session_on_every_server_at_once(cluster: Cluster):
    browser = cluster.client()
    browser.login("rel-student-50", cluster.data["password"])
    key = browser.http.cookies.get(cluster.data["session_cookie"])
    # Every server has seen the session (a cache on each host would now hold it).
    assert all(
        _logged_in(cluster.direct(s, "/dashboard/", session_key=key)) for s in cluster.servers
    )
    import redis

    shared = redis.Redis.from_url(cluster.env["CACHE_URL"])
    assert [k for k in shared.keys("thaw:*") if key.encode() in k]  # the session is in Redis

    browser.ensure_csrf()
    assert browser.post("/accounts/logout/").status_code == 302

    # At once, on every server, and through the balancer (round-robin: each server in turn).
    assert not any(
        _logged_in(cluster.direct(s, "/dashboard/", session_key=key)) for s in cluster.servers
    )
    stale = cluster.client(session_key=key)
    assert not any(
        _logged_in(stale.get("/dashboard/", allow_redirects=False)) for _ in cluster.servers
    )
    assert not [k for k in shared.keys("thaw:*") if key.encode() in k]
    FIGURES["logout"] = [
        f"- A logout through the balancer ended the session on all {len(cluster.servers)} "
        "servers at once (each asked directly right after, and through the balancer).",
    ]


def test_a_curators_edit_of_a_question_is_seen_on_every_server(cluster: Cluster):
    edited = cluster.data["edited"]
    curator_key = cluster.data["curator"]["session"]
    student_key = cluster.data["sessions"]["rel-student-49"]
    student = cluster.client(session_key=student_key)
    student.ensure_csrf()
    attempt_url = _start(student, edited["quiz"])
    before = student.get(attempt_url).text
    assert "first draft" in before

    curator = cluster.client(session_key=curator_key)
    edit_url = f"/curation/questions/{edited['question']}/edit/"
    form = curator.get(edit_url)
    assert form.status_code == 200
    new_stem = "Which option does the corrected question name?"
    saved = curator.post(
        edit_url,
        {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "stem": new_stem,
            "explanation": "Corrected by a curator on one of the servers.",
            **{f"option_{o}": f"Option {o.upper()}" for o in "abcd"},
            "key": "a",
        },
    )
    assert saved.status_code == 302, saved.status_code

    for server in cluster.servers:
        card = cluster.direct(server, attempt_url, session_key=student_key)
        assert card.status_code == 200
        assert new_stem in card.text and "first draft" not in card.text
        page = cluster.direct(server, edit_url, session_key=curator_key)
        assert new_stem in page.text
    for _ in cluster.servers:
        assert new_stem in student.get(attempt_url).text
    FIGURES["curator"] = [
        f"- A curator's edit of a question through the balancer: the student's card and the "
        f"edit page showed the new wording on all {len(cluster.servers)} servers at once.",
    ]


def test_a_curators_glossary_edit_is_a_row_every_server_shows_and_no_file_changes(
    cluster: Cluster,
):
    curator = cluster.client(session_key=cluster.data["curator"]["session"])
    page = curator.get("/curation/reference/glossary/")
    assert page.status_code == 200
    marker = "Edited-through-the-balancer"
    text = _textarea(page.text)
    opening = 'description = """\n'
    changed = text.replace(opening, f"{opening}{marker} ", 1)
    assert changed != text
    saved = curator.post(
        "/curation/reference/glossary/",
        {"csrfmiddlewaretoken": csrf_token(page.text), "text": changed},
    )
    assert saved.status_code == 302, saved.text[:500]

    # The edit is a row in the database (docs/decisions.md, "The database is the truth at
    # run time"): no host's copy of corpus/data changed ...
    for server in cluster.servers:
        glossary = (Path(server.env["THAW_CORPUS_DATA_DIR"]) / "glossary.toml").read_text()
        assert marker not in glossary, server.name
    # ... and every server, asked directly, shows it: on the page that edits it and on the
    # glossary page students read.
    session = cluster.data["curator"]["session"]
    slug = re.findall(r'^slug = "([^"]+)"', changed[: changed.index(marker)], re.M)[-1]
    for server in cluster.servers:
        edit_page = cluster.direct(server, "/curation/reference/glossary/", session_key=session)
        assert marker in _textarea(edit_page.text), server.name
        term = cluster.direct(server, f"/glossary/{slug}/", session_key="")
        assert marker in term.text, server.name
    FIGURES["data-files"] = [
        f"- A curator's glossary edit through the balancer was saved as a row: no host's "
        f"data files changed, and the edit page and glossary page of each of the "
        f"{len(cluster.servers)} servers, asked directly, showed it at once.",
    ]


class _FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.2, ...): a browser at another address."""

    def __init__(self, address: str):
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


def test_wrong_passwords_through_the_balancer_slow_the_account_down_on_every_server(
    cluster: Cluster,
):
    """Log-in throttling counts in the shared cache and the database, and sees the
    browser's address, not the balancer's (config/client_address.py)."""
    address, username = "127.0.0.2", "rel-shared"
    browser = cluster.client()
    browser.http.mount("https://", _FromAddress(address))
    token = csrf_token(browser.get("/accounts/login/").text)
    cookie = browser.http.cookies.get("csrftoken")
    # Five wrong passwords, spread by the balancer over every server.
    for _ in range(5):
        wrong = browser.post(
            "/accounts/login/",
            {"username": username, "password": "wrong-password", "csrfmiddlewaretoken": token},
        )
        assert wrong.status_code in (200, 429)  # the form again, or already refused

    def right_password_on(server) -> int:
        """The right password sent to one server, as the balancer forwards it."""
        response = requests.post(
            server.url + "/accounts/login/",
            data={
                "username": username,
                "password": cluster.data["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={
                "Host": f"127.0.0.1:{cluster.balancer.https_port}",
                "Origin": cluster.url,
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": address,
                "Cookie": f"csrftoken={cookie}",
            },
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    # At once, on every server: the account is held back, whichever server is asked.
    with ThreadPoolExecutor(max_workers=len(cluster.servers)) as pool:
        refused = list(pool.map(right_password_on, cluster.servers))
    assert refused == [429] * len(cluster.servers)
    recorded = cluster.database.rows(
        f"SELECT DISTINCT ip_address FROM axes_accessattempt WHERE username = '{username}'"
    )
    assert [str(ip) for (ip,) in recorded] == [address]  # the browser's, not the balancer's
    FIGURES["throttling"] = [
        "- Five wrong passwords through the balancer (spread over the servers) held the "
        f"account back on all {len(cluster.servers)} servers at once (429 for the right "
        "password on each); the attempts were recorded with the browser's address, not the "
        "balancer's.",
    ]


# --- Students answering while servers die and restart ------------------------------------


@dataclass
class Outcome:
    acks: dict[tuple[int, int], str] = field(default_factory=dict)  # (attempt, question)
    correct: dict[tuple[int, int], bool] = field(default_factory=dict)
    attempts: set[int] = field(default_factory=set)
    resubmitted: int = 0  # requests the client sent again after an error
    errors: list[str] = field(default_factory=list)
    seen: list = field(default_factory=list)


class Learner:
    """A student's browser through the balancer that, like a student, presses again when a
    request fails (a connection cut, a 502/503/504 page), until the server answers."""

    def __init__(self, cluster: Cluster, username: str, outcome: Outcome, lock: threading.Lock):
        self.browser: Student = cluster.client(session_key=cluster.data["sessions"][username])
        self.browser.ensure_csrf()
        self.outcome, self.lock = outcome, lock

    def _again(self, send, accept, what: str):
        deadline = time.monotonic() + 90
        while True:
            try:
                response = send()
            except requests.RequestException:
                response = None
            if response is not None and accept(response):
                return response
            if response is not None and response.status_code < 500:
                raise AssertionError(f"{what}: HTTP {response.status_code} {response.text[:200]}")
            with self.lock:
                self.outcome.resubmitted += 1
            assert time.monotonic() < deadline, f"{what} never succeeded"
            time.sleep(0.3)

    def take(self, quiz: int, rng: random.Random, *, pause: float) -> None:
        started = self._again(
            lambda: self.browser.post(f"/quizzes/{quiz}/start/"),
            lambda r: r.status_code == 302,
            "start",
        )
        attempt = int(re.search(r"/attempts/(\d+)/", started.headers["Location"])[1])
        with self.lock:
            self.outcome.attempts.add(attempt)
        while True:
            page = self._again(
                lambda: self.browser.get(f"/attempts/{attempt}/"),
                lambda r: r.status_code == 200,
                "question",
            )
            question = _QUESTION.search(page.text)
            if question is None:
                break
            choice = rng.choice(_CHOICES.findall(page.text))
            answered = self._again(
                lambda q=question[1], c=choice: self.browser.answer(attempt, int(q), c),
                lambda r: r.status_code == 200 and "is-feedback" in r.text,
                "answer",
            )
            with self.lock:
                self.outcome.acks[(attempt, int(question[1]))] = choice
                self.outcome.correct[(attempt, int(question[1]))] = (
                    "feedback is-right" in answered.text
                )
            time.sleep(pause)
        self._again(lambda: self.browser.finish(attempt), lambda r: r.status_code == 302, "finish")


def _class_at_work(
    cluster: Cluster, quiz: dict, *, students: int, until, pause: float = 0.0
) -> tuple[Outcome, float]:
    """`students` students take `quiz` again and again until `until()` says stop (each
    finishes the attempt in hand); what they were told, and how long it took."""
    outcome, lock = Outcome(), threading.Lock()
    names = cluster.data["students"][:students]

    def work(n: int) -> None:
        learner = Learner(cluster, names[n], outcome, lock)
        rng = random.Random(n)
        try:
            while True:
                learner.take(quiz["pk"], rng, pause=pause)
                if until():
                    return
        except AssertionError as error:
            with lock:
                outcome.errors.append(f"{names[n]}: {error}")
        finally:
            with lock:
                outcome.seen.extend(learner.browser.seen)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=students) as pool:
        list(pool.map(work, range(students)))
    return outcome, time.monotonic() - started


def _check_stored(cluster: Cluster, quiz: dict, outcome: Outcome) -> dict[str, int]:
    """Every acknowledged answer stored once as sent, nothing else stored, every attempt
    finished with the score of its stored answers; the counts."""
    rows = cluster.database.rows(
        "SELECT id, score, max_score, answered_count, finished_at FROM quizzes_attempt"
        f" WHERE quiz_id = {int(quiz['pk'])}"
    )
    stored = cluster.database.responses(row[0] for row in rows)
    counted = Counter((a, q) for a, q, _, _ in stored)
    answers = {(a, q): (answer, correct) for a, q, answer, correct in stored}
    duplicates = sum(n - 1 for n in counted.values())
    lost = [k for k, choice in outcome.acks.items() if answers.get(k, (None,))[0] != [choice]]
    unacknowledged = [k for k in counted if k not in outcome.acks]

    assert outcome.errors == []
    assert not leaks(outcome.seen)
    assert {row[0] for row in rows} == outcome.attempts  # no attempt the students did not see
    assert duplicates == 0
    assert lost == []
    assert unacknowledged == []
    questions = len(quiz["questions"])
    assert len(outcome.acks) == questions * len(rows)
    for key, correct in outcome.correct.items():
        assert answers[key][1] == correct  # the feedback shown is what was stored
    for attempt, score, max_score, answered_count, finished_at in rows:
        mine = [c for (a, _), (_, c) in answers.items() if a == attempt]
        assert finished_at is not None
        assert (score, max_score, answered_count) == (sum(mine), questions, questions)
    return {
        "attempts": len(rows),
        "acked": len(outcome.acks),
        "stored": len(stored),
        "duplicates": duplicates,
        "lost": len(lost),
        "requests": len(outcome.seen),
    }


def test_fifty_students_through_the_balancer_lose_and_duplicate_nothing(cluster: Cluster):
    quiz = cluster.data["practice"]
    before = {
        s.name: int(cluster.balancer.stats()[("thaw_app", s.name)]["stot"]) for s in cluster.servers
    }
    outcome, elapsed = _class_at_work(cluster, quiz, students=50, until=lambda: True)
    counts = _check_stored(cluster, quiz, outcome)
    assert counts["attempts"] == 50
    assert outcome.resubmitted == 0  # nothing failed, so nothing was sent twice
    served = {
        s.name: int(cluster.balancer.stats()[("thaw_app", s.name)]["stot"]) - before[s.name]
        for s in cluster.servers
    }
    # Round-robin: each server took about a third of the requests.
    assert all(n > counts["requests"] / len(served) / 2 for n in served.values()), served
    FIGURES["fifty"] = [
        f"- 50 students at once through the balancer, {len(quiz['questions'])} questions each: "
        f"{counts['requests']} requests in {elapsed:.1f} s, spread "
        f"{' / '.join(str(n) for n in served.values())} over the servers; answers acknowledged "
        f"{counts['acked']}, stored {counts['stored']}, duplicated {counts['duplicates']}, "
        f"lost {counts['lost']}; every attempt finished with the score of its stored answers.",
    ]


def test_an_app_server_killed_mid_run_loses_no_answer(cluster: Cluster):
    quiz = cluster.data["killed"]
    victim = cluster.server("app2")
    retries_before = cluster.balancer.retries()
    killed = threading.Event()
    in_flight_at_kill: list[int] = []

    def killer() -> None:
        # Once the class is well under way and app2 is in the middle of requests.
        time.sleep(3)
        deadline = time.monotonic() + 30
        while int(cluster.balancer.stats()[("thaw_app", "app2")]["scur"]) < 1:
            assert time.monotonic() < deadline, "app2 never had a request in flight"
            time.sleep(0.01)
        in_flight_at_kill.append(int(cluster.balancer.stats()[("thaw_app", "app2")]["scur"]))
        victim.kill()
        killed.set()

    thread = threading.Thread(target=killer)
    thread.start()
    # Students keep going until the kill is well past (HAProxy has marked app2 down).
    marked_down = threading.Event()

    def until() -> bool:
        if killed.is_set() and not marked_down.is_set():
            cluster.balancer.wait_status("app2", "DOWN")
            marked_down.set()
        return marked_down.is_set()

    outcome, elapsed = _class_at_work(cluster, quiz, students=20, until=until, pause=0.02)
    thread.join()
    counts = _check_stored(cluster, quiz, outcome)
    retries = {k: v - retries_before[k] for k, v in cluster.balancer.retries().items()}
    assert killed.is_set()

    victim.start()  # the host comes back
    cluster.balancer.wait_status("app2", "UP")
    FIGURES["sigkill"] = [
        f"- SIGKILL of a whole app server (gunicorn and its workers) while 20 students "
        f"answered through the balancer ({in_flight_at_kill[0]} of its requests in flight): "
        f"HAProxy retried {retries['retried']} requests and redispatched "
        f"{retries['redispatched']} to another server, the students' browsers pressed again "
        f"{outcome.resubmitted} time{'s' if outcome.resubmitted != 1 else ''}; "
        f"{counts['attempts']} attempts, {counts['acked']} answers acknowledged, "
        f"{counts['stored']} stored, {counts['duplicates']} duplicated, {counts['lost']} lost "
        f"({counts['requests']} requests in {elapsed:.1f} s).",
    ]


def test_a_rolling_restart_of_every_server_drops_no_answer(cluster: Cluster):
    """docs/deployment.md's rolling upgrade: drain a server in HAProxy, restart it (the
    unit's stop signal, then start), put it back, the next one. The first restarted server
    also brings a static file the others lack yet, as an upgrade brings new hashed assets."""
    quiz = cluster.data["rolling"]
    done = threading.Event()
    restarted: list[str] = []
    asset = "css/release-2.css"
    asset_served: list[int] = []

    def roll() -> None:
        time.sleep(2)
        for server in cluster.servers:
            cluster.balancer.set_state(server.name, "drain")
            deadline = time.monotonic() + 60
            while int(cluster.balancer.stats()[("thaw_app", server.name)]["scur"]) > 0:
                assert time.monotonic() < deadline, f"{server.name} never drained"
                time.sleep(0.05)
            server.stop()
            if not restarted:
                static = Path(server.env["THAW_VAR_DIR"]) / "static" / asset
                static.write_text("/* shipped by the new release */\n")
            server.start()
            cluster.balancer.set_state(server.name, "ready")
            cluster.balancer.wait_status(server.name, "UP")
            restarted.append(server.name)
            if len(restarted) == 1:
                fetch = cluster.client()
                asset_served.extend(
                    fetch.get(f"/static/{asset}").status_code
                    for _ in range(2 * len(cluster.servers))
                )
        done.set()

    starts = {s.name: s.starts for s in cluster.servers}
    thread = threading.Thread(target=roll)
    thread.start()
    outcome, elapsed = _class_at_work(cluster, quiz, students=20, until=done.is_set, pause=0.02)
    thread.join()
    counts = _check_stored(cluster, quiz, outcome)

    assert restarted == [s.name for s in cluster.servers]
    assert all(s.starts == starts[s.name] + 1 for s in cluster.servers)
    assert outcome.resubmitted == 0  # a drained restart is invisible: no request failed
    log = [line for line in cluster.balancer.log.read_text().splitlines() if asset in line]
    assert asset_served == [200] * (2 * len(cluster.servers)), "\n".join(log)
    FIGURES["rolling"] = [
        f"- Rolling restart (drain in HAProxy, SIGTERM, start, ready; one server after "
        f"another) while 20 students answered: {counts['attempts']} attempts, "
        f"{counts['acked']} answers acknowledged, {counts['stored']} stored, "
        f"{counts['lost']} lost, {outcome.resubmitted} requests failed "
        f"({counts['requests']} requests in {elapsed:.1f} s). A static file only the first "
        f"restarted server had was served {asset_served.count(200)} times out of "
        f"{len(asset_served)} through the balancer (a 404 is asked of the next server).",
    ]


def _start(student: Student, quiz: int) -> str:
    response = student.post(f"/quizzes/{quiz}/start/")
    assert response.status_code == 302, response.status_code
    return re.search(r"/attempts/\d+/", response.headers["Location"])[0]


def _textarea(html: str) -> str:
    import html as entities

    match = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert match, "no text area on the page"
    return entities.unescape(match[1]).lstrip("\n")
