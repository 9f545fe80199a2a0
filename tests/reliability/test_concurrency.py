"""Many students at once, one student in many tabs, a worker killed mid-quiz: no answer lost.

Real gunicorn servers on 127.0.0.1 (tests/reliability/server.py) on SQLite, or on
PostgreSQL when the suite runs with DATABASE_URL=postgres://... (two app servers,
one database, Django's connection pool). Clients are threads with their own
cookies; every answer the server acknowledged is written to a client log, and the
log is diffed against the database read directly. An acknowledgement is what the
student sees: a 200 whose fragment shows the answer's feedback (practice) or says
it "was saved" (test).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from tests.reliability.figures import record
from tests.reliability.server import (
    Site,
    Student,
    engine,
    kill_worker,
    leaks,
    start_site,
    wait_for_workers,
)

# The servers use the suite's database, not pytest-django's fixtures.
pytestmark = [pytest.mark.slow, pytest.mark.uses_database]
FIGURES: dict[str, list[str]] = {}
SAVED = "was saved"
KEPT_FIRST = "your first answer stands"
CLOSED = "no more answers are recorded"
# Sync workers per gunicorn: three on SQLite's one server; two on each of PostgreSQL's two.
WORKERS = 2 if engine() == "postgresql" else 3
# A thread that fails breaks the barrier for the others instead of leaving them waiting.
BARRIER_SECONDS = 120


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    started = time.monotonic()
    site = start_site(tmp_path_factory.mktemp("thaw-reliability"), workers=WORKERS)
    yield site
    site.stop()
    if FIGURES:
        lines = [line for section in FIGURES.values() for line in section]
        lines.append(f"- Whole module, setup included: {time.monotonic() - started:.0f} s.")
        record("concurrency", lines, title="Concurrency and faults")


@dataclass(frozen=True)
class Ack:
    attempt: int
    question: int
    choice: str
    correct: bool  # what the feedback told the student


def _parallel(count: int, work) -> list:
    """Run work(n) on `count` threads at once; their results (an exception fails the test)."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(work, range(count)))


def _student(site: Site, n: int, username: str) -> Student:
    return Student(
        site.url_for(n),
        session_key=site.data["sessions"][username],
        cookie_name=site.data["session_cookie"],
    )


def test_fifty_students_answering_at_once_lose_no_acknowledged_answer(site):
    quiz = site.data["practice"]
    students = site.data["students"]
    assert len(students) >= 50
    ready = threading.Barrier(len(students), timeout=BARRIER_SECONDS)
    errors: list[str] = []

    def take_quiz(n: int) -> tuple[Student, list[Ack]]:
        student = _student(site, n, students[n])
        student.ensure_csrf()
        rng = random.Random(n)
        acks = []
        ready.wait()  # the whole class presses Start together
        attempt = student.start(quiz["pk"])
        while True:
            question, choices = student.current_question(attempt)
            if question is None:
                break
            choice = rng.choice(choices)
            response = student.answer(attempt, question, choice)
            if response.status_code == 200 and "is-feedback" in response.text:
                acks.append(Ack(attempt, question, choice, "feedback is-right" in response.text))
            else:
                errors.append(f"{students[n]} q{question}: HTTP {response.status_code}")
                break
        finished = student.finish(attempt)
        assert finished.status_code == 302, finished.status_code
        assert student.get(finished.headers["Location"]).status_code == 200
        return student, acks

    started = time.monotonic()
    results = _parallel(len(students), take_quiz)
    elapsed = time.monotonic() - started

    acked = {(a.attempt, a.question): a for _, acks in results for a in acks}
    attempts = site.database.rows(
        "SELECT id, user_id, score, max_score, answered_count, finished_at"
        f" FROM quizzes_attempt WHERE quiz_id = {int(quiz['pk'])}"
    )
    stored = site.database.responses(row[0] for row in attempts)
    stored_keys = Counter((a, q) for a, q, _, _ in stored)
    answers = {(a, q): (answer, correct) for a, q, answer, correct in stored}
    duplicates = sum(count - 1 for count in stored_keys.values())
    lost = [key for key, ack in acked.items() if answers.get(key, (None,))[0] != [ack.choice]]
    unacknowledged = [key for key in stored_keys if key not in acked]
    served = [seen for student, _ in results for seen in student.seen]

    assert not errors
    assert not leaks(served)
    assert len(attempts) == len(students)  # one attempt each: a started class never doubles up
    assert len({row[1] for row in attempts}) == len(students)
    assert duplicates == 0
    assert lost == []
    assert unacknowledged == []  # no client error here, so nothing stored unacknowledged
    assert len(acked) == len(students) * len(quiz["questions"])
    for key, ack in acked.items():
        # The feedback the student saw is what was stored and what the key says.
        assert answers[key][1] == ack.correct == (ack.choice == quiz["keys"][str(key[1])])
    for attempt, _, score, max_score, answered_count, finished_at in attempts:
        mine = [correct for (a, _), (_, correct) in answers.items() if a == attempt]
        assert finished_at is not None
        assert (score, max_score, answered_count) == (sum(mine), len(quiz["questions"]), len(mine))

    FIGURES["students"] = [
        f"- {len(students)} students (threads, own sessions) on {len(site.servers)} gunicorn "
        f"server(s) × {WORKERS} sync workers started the same practice quiz at once and answered its "
        f"{len(quiz['questions'])} questions: {len(served)} requests in {elapsed:.1f} s.",
        f"- Answers acknowledged: {len(acked)}; stored: {len(stored)}; duplicates: {duplicates}; "
        f"lost: {len(lost)}; stored without acknowledgement: {len(unacknowledged)}; "
        f"5xx or database errors shown: {len(leaks(served))}.",
        f"- Attempts: {len(attempts)}, each finished, score = its correct stored answers.",
    ]


def test_one_student_in_twenty_tabs_gets_one_answer_per_question_and_one_grade(site):
    quiz = site.data["shared"]
    questions, keys, options = quiz["questions"], quiz["keys"], quiz["options"]
    tabs, devices = 20, 4

    # Four devices log in for real, at once; five tabs share each device's cookies.
    def log_in(n: int) -> Student:
        device = Student(site.url_for(n))
        device.login("rel-shared", site.data["password"])
        return device

    logged_in = _parallel(devices, log_in)
    clients = []
    for n in range(tabs):
        tab = Student(logged_in[n % devices].base_url)
        tab.http.cookies.update(logged_in[n % devices].http.cookies)
        clients.append(tab)
    barrier = threading.Barrier(tabs, timeout=BARRIER_SECONDS)
    outcomes: list[tuple[int, str, str]] = []  # (question, choice, what the tab was told)

    def race(n: int) -> tuple[int, list[int], list[str]]:
        tab, rng = clients[n], random.Random(1000 + n)
        barrier.wait()
        attempt = tab.start(quiz["pk"])  # twenty Start clicks at once
        barrier.wait()
        for question in rng.sample(questions, len(questions)):
            key = keys[str(question)]
            choice = key if rng.random() < 0.6 else rng.choice([o for o in options if o != key])
            for _ in range(2):  # a retrying network sends the same POST twice
                response = tab.answer(attempt, question, choice)
                assert response.status_code == 200, response.status_code
                told = next((t for t in (SAVED, KEPT_FIRST) if t in response.text), "?")
                outcomes.append((question, choice, told))
        barrier.wait()
        finishes = [tab.finish(attempt) for _ in range(2)]  # a double click on Finish
        barrier.wait()
        late = tab.answer(attempt, questions[0], options[0])  # a stale tab answers on
        results = tab.get(f"/attempts/{attempt}/review/")
        assert results.status_code == 200
        assert CLOSED in late.text, late.text[:300]
        return attempt, [r.status_code for r in finishes], [results.text]

    results = _parallel(tabs, race)

    attempt_ids = {attempt for attempt, _, _ in results}
    assert len(attempt_ids) == 1  # every tab landed on the same attempt
    attempt = attempt_ids.pop()
    rows = site.database.rows(
        "SELECT a.id, a.score, a.max_score, a.answered_count, a.finished_at FROM quizzes_attempt a"
        " JOIN auth_user u ON u.id = a.user_id"
        f" WHERE u.username = 'rel-shared' AND a.quiz_id = {int(quiz['pk'])}"
    )
    assert len(rows) == 1
    _, score, max_score, answered_count, finished_at = rows[0]
    stored = {q: (answer, correct) for _, q, answer, correct in site.database.responses([attempt])}
    cards = site.database.rows(
        "SELECT c.question_id, c.reviews FROM quizzes_reviewcard c"
        " JOIN auth_user u ON u.id = c.user_id WHERE u.username = 'rel-shared'"
    )
    served = [seen for tab in clients for seen in tab.seen]

    assert sorted(stored) == sorted(questions)  # exactly one response per question
    assert len(site.database.responses([attempt])) == len(questions)
    assert "?" not in {told for _, _, told in outcomes}
    for question, choice, told in outcomes:
        # A tab told "saved" sent the stored answer; one told "your first answer stands" did not.
        assert (stored[question][0] == [choice]) == (told == SAVED)
    assert finished_at is not None
    assert answered_count == len(questions)
    assert (score, max_score) == (sum(c for _, c in stored.values()), len(questions))
    # Graded once: finishing schedules each answer's review card once, so a second
    # grading would show as a second review.
    assert sorted(cards) == sorted((q, 1) for q in questions)
    assert {status for _, statuses, _ in results for status in statuses} == {302}
    assert all(f"You scored {score} out of {max_score}" in page for _, _, (page,) in results)
    assert not leaks(served)

    told = Counter(t for _, _, t in outcomes)
    FIGURES["shared"] = [
        f"- One student, {devices} devices logged in at once, {tabs} tabs: {tabs} Start clicks "
        f"→ 1 attempt; {len(outcomes)} answer POSTs (each sent twice) → {len(stored)} responses "
        f"for {len(questions)} questions ({told[SAVED]} told saved, {told[KEPT_FIRST]} told "
        f"their first answer stands); {2 * tabs} Finish clicks → finished and graded once "
        f"({score}/{max_score}, one review per question); {len(served)} pages, "
        f"{len(leaks(served))} errors shown.",
    ]


def test_a_worker_killed_mid_quiz_loses_no_acknowledged_answer_and_the_student_resumes(site):
    quiz = site.data["killed"]
    questions, keys = quiz["questions"], quiz["keys"]
    answer_now = questions[:-4]  # the last four are left for the resumed session
    server = site.servers[0]
    student = _student(site, 0, "rel-killed")
    student.ensure_csrf()
    attempt = student.start(quiz["pk"])
    pending = list(reversed(answer_now))
    lock = threading.Lock()
    acks: list[Ack] = []
    cut: list[str] = []
    in_flight = [0]

    def answer_some(n: int) -> None:
        """One tab: answer the next pending question, pressing the button again until saved."""
        rng = random.Random(2000 + n)
        while True:
            with lock:
                if not pending:
                    return
                question = pending.pop()
            choice = keys[str(question)] if rng.random() < 0.5 else "d"
            deadline = time.monotonic() + 60
            while True:
                with lock:
                    in_flight[0] += 1
                try:
                    response = student.answer(attempt, question, choice)
                except requests.RequestException as error:  # the connection was cut
                    cut.append(type(error).__name__)
                    response = None
                finally:
                    with lock:
                        in_flight[0] -= 1
                if response is not None and "is-feedback" in response.text:
                    correct = "feedback is-right" in response.text
                    acks.append(Ack(attempt, question, choice, correct))
                    break
                assert time.monotonic() < deadline, f"question {question} was never saved"
                time.sleep(0.2)

    def when(condition) -> None:
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.001)

    original = set(server.worker_pids())
    killed, in_flight_at_kill = set(), []
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(answer_some, n) for n in range(4)]
        # First one worker (what the OOM killer does), then every worker of the server,
        # each time while the student's tabs have requests in flight; again (a few times
        # at most) until a request has been cut: "in flight" is the client's view, and a
        # response may already be on its way back when the worker dies.
        for round_ in range(5):
            target = len(acks) + 3
            when(lambda target=target: len(acks) >= target)
            when(lambda: in_flight[0] >= 2)
            in_flight_at_kill.append(in_flight[0])
            victims = server.worker_pids()[:1] if round_ == 0 else server.worker_pids()
            for pid in victims:
                killed.add(kill_worker(server, among={pid}))
            if round_ >= 1 and (cut or not pending):
                break
        for future in futures:
            future.result()

    workers = wait_for_workers(server, count=len(original), other_than=killed)
    stored = {q: answer for _, q, answer, _ in site.database.responses([attempt])}
    assert sorted(a.question for a in acks) == sorted(answer_now)
    assert all(stored.get(a.question) == [a.choice] for a in acks)  # nothing acknowledged lost
    assert sorted(stored) == sorted(answer_now)

    # The student comes back: the attempt page asks the first unanswered question.
    resumed_at, _ = student.current_question(attempt)
    assert resumed_at == questions[len(answer_now)]
    for question in questions[len(answer_now) :]:
        assert "is-feedback" in student.answer(attempt, question, keys[str(question)]).text
    assert student.finish(attempt).status_code == 302
    score = site.database.rows(
        f"SELECT score, max_score FROM quizzes_attempt WHERE id = {int(attempt)}"
    )[0]
    assert score == (
        sum(a.correct for a in acks) + len(questions) - len(answer_now),
        len(questions),
    )
    assert not leaks(student.seen)
    assert cut  # the kills did cut requests off mid-way

    FIGURES["sigkill"] = [
        f"- SIGKILL: one gunicorn worker, then all of that server's, killed mid-quiz "
        f"({len(killed)} workers in {len(in_flight_at_kill)} rounds; the student's requests "
        f"in flight at the kills: "
        f"{in_flight_at_kill}); requests cut off and sent again: {len(cut)}; "
        f"{len(acks)} answers acknowledged, {len(acks)} stored, 0 lost; workers replaced "
        f"({len(workers)} running); the student resumed at question {len(answer_now) + 1} of "
        f"{len(questions)} and finished ({score[0]}/{score[1]}).",
    ]
