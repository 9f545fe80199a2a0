"""Locust scenarios for `make bench` (run by tests/benchmarks/load.py, never by hand on a real host).

The runner names the user classes to run; BENCH_CONFIG is the JSON written by
tests.benchmarks.prepare, BENCH_RAW a file for every request's timing (the
synchronized-start figures need them in time order). Students who "are already
logged in" carry a session made by prepare; the `logins` scenario logs in for real.
Requests go the way htmx sends them (HX-Request header, X-CSRFToken), and every
loop is bounded: a quiz has at most MAX_CARDS cards, and locust's --run-time ends all.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import string
import time
from urllib.parse import urlencode

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

with open(os.environ["BENCH_CONFIG"]) as _config:
    CONFIG = json.load(_config)
MAX_CARDS = 25
THINK_SECONDS = (5, 15)
FORM = "application/x-www-form-urlencoded"
FIRST_PAGE = "first page (start + question 1)"
QUESTION_ID = re.compile(r'name="question" value="(\d+)"')
FIELD = re.compile(r'name="(choice|order)" value="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOST = os.environ.get("BENCH_HOST", "http://127.0.0.1")
# Sent by browsers with every POST; Django's CSRF check needs it (or a Referer) over HTTPS,
# which the benchmark through the balancer uses (tests/benchmarks/balanced.py).
ORIGIN = {"Origin": HOST}

_students = itertools.count()
_teachers = itertools.count()
_raw: list[tuple[float, str, float, int]] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **_kwargs):
    _raw.append((start_time or 0.0, name, response_time, 0 if exception is None else 1))


@events.quitting.add_listener
def _dump(**_kwargs):
    path = os.environ.get("BENCH_RAW")
    if path:
        with open(path, "w") as out:
            json.dump(_raw, out)


def answer_form(html: str) -> dict[str, object] | None:
    """What a student submits for the question on this card (the first option, or the
    events in the order shown), or None when the card asks nothing (all answered)."""
    question = QUESTION_ID.search(html)
    if question is None:
        return None
    fields = FIELD.findall(html)
    if fields and fields[0][0] == "order":
        return {"question": question[1], "order": [value for _name, value in fields]}
    return {"question": question[1], "choice": fields[0][1] if fields else ""}


class Student(FastHttpUser):
    """A logged-in student (a session made by prepare); subclasses say what they do."""

    abstract = True
    host = HOST
    default_headers = ORIGIN

    def on_start(self) -> None:
        username = CONFIG["students"][next(_students) % len(CONFIG["students"])]
        self.username = username
        jar = self.client.cookiejar
        jar.set_cookie(
            create_cookie(CONFIG["session_cookie"], CONFIG["sessions"][username], domain="")
        )
        token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        jar.set_cookie(create_cookie("csrftoken", token, domain=""))
        self.csrf = token

    def htmx(self) -> dict[str, str]:
        return {"HX-Request": "true", "X-CSRFToken": self.csrf}

    def take_quiz(self, quiz_url: str, *, think: bool, time_first_page: bool = False) -> None:
        """Start (or resume) the quiz, answer every question, finish: as htmx does it.
        `time_first_page` reports start + first question as one more row, FIRST_PAGE."""
        started, wall = time.perf_counter(), time.time()
        with self.client.post(
            quiz_url + "start/", name="POST start", headers=self.htmx(), catch_response=True
        ) as response:
            attempt = response.headers.get("HX-Redirect", "")
            if response.status_code != 200 or not attempt.startswith("/attempts/"):
                response.failure(f"no attempt: {response.status_code}")
                return
        for _card in range(MAX_CARDS):
            page = self.client.get(attempt, name="GET question", headers=self.htmx())
            form = answer_form(page.text or "")
            if time_first_page and _card == 0:
                events.request.fire(
                    request_type="PAGE",
                    name=FIRST_PAGE,
                    response_time=(time.perf_counter() - started) * 1000,
                    response_length=0,
                    exception=None if form else "no question",
                    context={},
                    start_time=wall,
                )
            if form is None:
                break
            if think:
                self.pause()
            with self.client.post(
                attempt + "answer/",
                name="POST answer",
                data=urlencode(form, doseq=True),
                headers={**self.htmx(), "Content-Type": FORM},
                catch_response=True,
            ) as response:
                if response.status_code != 200 or "feedback" not in (response.text or ""):
                    response.failure(f"answer not graded: {response.status_code}")
            if think:
                self.pause()
        self.client.post(
            attempt + "finish/", name="POST finish", headers=self.htmx(), allow_redirects=False
        )

    def pause(self) -> None:
        gevent.sleep(random.uniform(*THINK_SECONDS))


class Saturation(Student):
    """The logged-in quiz flow, no think time: as many requests as the server takes."""

    wait_time = constant(0)

    @task
    def quiz(self) -> None:
        self.take_quiz(CONFIG["quiz_url"], think=False)


class School(Student):
    """A class at work: the dashboard, the lesson, then its quiz, 5-15 s between clicks."""

    wait_time = between(*THINK_SECONDS)

    @task
    def lesson_and_quiz(self) -> None:
        self.client.get("/dashboard/", name="GET dashboard")
        self.pause()
        self.client.get(CONFIG["lesson_url"], name="GET lesson")
        self.pause()
        self.client.post(
            CONFIG["lesson_url"] + "quiz/",
            name="POST lesson quiz",
            headers={"X-CSRFToken": self.csrf},
            allow_redirects=False,
        )
        self.client.get(CONFIG["quiz_url"], name="GET quiz page")
        self.pause()
        self.take_quiz(CONFIG["quiz_url"], think=True)


class SynchronizedStart(Student):
    """Everyone starts the same quiz at the teacher's word, then works at a normal pace."""

    wait_time = between(*THINK_SECONDS)

    @task
    def quiz(self) -> None:
        self.take_quiz(CONFIG["sync_quiz_url"], think=True, time_first_page=True)


class Teacher(FastHttpUser):
    """A teacher logged in for real, opening the class gradebook now and then."""

    host = HOST
    default_headers = ORIGIN
    wait_time = between(*THINK_SECONDS)
    fixed_count = 5  # five teachers beside the students

    def on_start(self) -> None:
        self.username = CONFIG["teachers"][next(_teachers) % len(CONFIG["teachers"])]
        log_in(self, self.username)

    @task
    def gradebook(self) -> None:
        self.client.get(CONFIG["gradebook_url"], name="GET gradebook")


class Login(FastHttpUser):
    """A student logging in with the real password hasher, once; then idle."""

    host = HOST
    default_headers = ORIGIN
    wait_time = constant(600)

    @task
    def log_in(self) -> None:
        if getattr(self, "done", False):
            return
        self.done = True
        log_in(self, CONFIG["students"][next(_students) % len(CONFIG["students"])])


def log_in(user: FastHttpUser, username: str) -> None:
    page = user.client.get("/accounts/login/", name="GET login")
    token = CSRF_INPUT.search(page.text or "")
    with user.client.post(
        "/accounts/login/",
        name="POST login",
        data={
            "username": username,
            "password": CONFIG["password"],
            "csrfmiddlewaretoken": token[1] if token else "",
        },
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login refused: {response.status_code}")


class Floor(FastHttpUser):
    """The framework floor: a bare view, same middleware, a template of the card's size."""

    host = os.environ.get("BENCH_HOST", "http://127.0.0.1")
    wait_time = constant(0)

    @task
    def floor(self) -> None:
        self.client.get("/floor/", name="GET floor", headers={"HX-Request": "true"})
