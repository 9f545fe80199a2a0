"""CPU per request of the quiz flow, in one process with Django's test client.

`python -m tests.benchmarks.cpu [--profile]` with the bench server's environment:
one bench student takes the bench quiz `ROUNDS` times (start, 10 x GET question +
POST answer, finish), as htmx does (answers urlencoded, like htmx and the locustfile),
and the CPU time (time.process_time) of each endpoint is printed as a median in ms.
With --profile, cProfile's top functions by cumulative time for GET question and POST
answer, to find the hot spots. With --queries, first the queries each endpoint made
in one extra round (most seen), counted apart because capturing them costs CPU too.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode

import django

ROUNDS = 20
QUESTION_ID = re.compile(r'name="question" value="(\d+)"')
CHOICE = re.compile(r'name="(choice|order)" value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"


def answer_data(html: str) -> dict[str, object] | None:
    """The form a student submits for the question in `html` (the first option, or the
    order as shown), or None if the card asks no question."""
    question = QUESTION_ID.search(html)
    if question is None:
        return None
    fields = CHOICE.findall(html)
    if fields and fields[0][0] == "order":
        return {"question": question[1], "order": [value for _name, value in fields]}
    return {"question": question[1], "choice": fields[0][1] if fields else ""}


def form(data: dict[str, object]) -> dict[str, str]:
    """The body as htmx (and the locustfile) sends a form: urlencoded, not the test
    client's default multipart, whose parser alone costs about 0.25 ms more."""
    return {"data": urlencode(data, doseq=True), "content_type": FORM}


def measure(
    config: dict, *, profile: bool = False, rounds: int = ROUNDS, queries: dict | None = None
) -> dict[str, float]:
    """Median CPU ms per endpoint; with `queries` (a dict), also fills it with the most
    queries each endpoint made (then the times include capturing them: use it apart)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", headers={"HX-Request": "true"})
    client.force_login(User.objects.get(username=config["students"][-1]))
    quiz = config["quiz_url"]
    cpu: dict[str, list[float]] = defaultdict(list)
    profiles = {"GET question": cProfile.Profile(), "POST answer": cProfile.Profile()}

    def timed(name: str, call):
        prof = profiles.get(name) if profile else None
        started = time.process_time()
        if prof:
            prof.enable()
        if queries is not None:
            with CaptureQueriesContext(connection) as captured:
                response = call()
            queries[name] = max(queries.get(name, 0), len(captured.captured_queries))
        else:
            response = call()
        if prof:
            prof.disable()
        cpu[name].append((time.process_time() - started) * 1000)
        assert response.status_code == 200, (name, response.status_code)
        return response

    for _ in range(rounds):
        start = timed("POST start", lambda: client.post(quiz + "start/"))
        attempt = start["HX-Redirect"]
        for _question in range(20):
            page = timed("GET question", lambda a=attempt: client.get(a))
            data = answer_data(page.content.decode())
            if data is None:
                break
            timed("POST answer", lambda a=attempt, d=data: client.post(a + "answer/", **form(d)))
        timed("POST finish", lambda a=attempt: client.post(a + "finish/"))
    if profile:
        for name, prof in profiles.items():
            print(f"--- {name}")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    return {name: statistics.median(times) for name, times in cpu.items()}


def main() -> None:
    django.setup()
    config_path = next(a for a in sys.argv[1:] if not a.startswith("--"))
    with open(config_path) as config_file:
        config = json.load(config_file)
    if "--queries" in sys.argv:
        counts: dict[str, int] = {}
        measure(config, rounds=1, queries=counts)
        for name, count in counts.items():
            print(f"{name}: {count} queries")
    figures = measure(config, profile="--profile" in sys.argv)
    if "--json" in sys.argv:
        print(json.dumps(figures))
        return
    for name, ms in figures.items():
        print(f"{name}: {ms:.2f} ms CPU (median)")


if __name__ == "__main__":
    main()
