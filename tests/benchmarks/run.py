"""`make bench`: run every benchmark and write the figures to docs/performance.md.

Batch jobs first (tests/benchmarks/batch_jobs.py), then the load benchmark
(tests/benchmarks/load.py) on SQLite and on PostgreSQL (`bash .ci/postgres-up`;
the PostgreSQL part is left out, and says so, if that fails). Only 127.0.0.1.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks import balanced, load
from tests.benchmarks.batch_jobs import measure_batch_jobs

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://thaw@127.0.0.1:54329/thaw"

# Targets of the performance issue, checked in the report.
SATURATION_RPS = 340
FLOOR_RATIO = 0.5
ANSWER_P95_MS, ANSWER_P99_MS = 100, 250
FIRST_PAGE_P95_MS, SETTLE_S = 2000, 15
PEAK_RSS_MB = 150


def _machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def _ok(passed: bool) -> str:
    return "met" if passed else "**not met**"


def _ms(value: float) -> str:
    return f"{value:.0f} ms"


def _cpu_per_request(result: load.Result) -> float:
    requests = result.rows.get("Aggregated", {}).get("requests", 0)
    return result.cpu.get("server", 0.0) / requests * 1000 if requests else 0.0


def _ratio(floor: load.Result, flow: load.Result) -> float:
    flow_ms = _cpu_per_request(flow)
    return _cpu_per_request(floor) / flow_ms if flow_ms else 0.0


def _cpu_line(result: load.Result) -> str:
    cpu, requests = result.cpu, result.rows.get("Aggregated", {}).get("requests", 0)
    if not cpu or not cpu.get("elapsed"):
        return ""
    cores = {key: cpu[key] / cpu["elapsed"] for key in ("server", "locust", "other")}
    per_request = cpu["server"] / requests * 1000 if requests else 0.0
    return (
        f"CPU over the run (cores in use on average, of 2): server {cores['server']:.2f}, "
        f"locust {cores['locust']:.2f}, other processes on the machine {cores['other']:.2f}; "
        f"server CPU per request {per_request:.1f} ms."
    )


def _table(result: load.Result) -> str:
    lines = [
        _cpu_line(result),
        "",
        "| endpoint | requests | req/s | p50 | p95 | p99 | max | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = [*sorted(n for n in result.rows if n != "Aggregated"), "Aggregated"]
    for name in names:
        row = result.rows.get(name)
        if row is None:
            continue
        label = "**all requests**" if name == "Aggregated" else f"`{name}`"
        lines.append(
            f"| {label} | {row['requests']:.0f} | {row['rps']:.1f} | {_ms(row['p50'])} "
            f"| {_ms(row['p95'])} | {_ms(row['p99'])} | {_ms(row['max'])} | {row['failures']:.0f} |"
        )
    if result.failures:
        lines.append("")
        lines.extend(f"- error: {failure}" for failure in result.failures[:10])
    return "\n".join(lines)


def _errors(result: load.Result) -> int:
    return int(result.rows.get("Aggregated", {}).get("failures", 0))


def _capacity(result: load.Result, name: str) -> float:
    """Requests/s one endpoint would serve on its own: users / mean latency (Little's law)."""
    mean_ms = result.rows.get(name, {}).get("mean", 0.0)
    return result.scenario.users / (mean_ms / 1000) if mean_ms else 0.0


def _saturation_section(engine: dict) -> tuple[str, list[str]]:
    sat = engine["results"]["saturation"]
    floor = engine["floor"]
    total = sat.rows.get("Aggregated", {}).get("rps", 0.0)
    misses = []
    floor_capacity = _capacity(floor, "GET floor") if floor else 0.0
    # The throughput target is the embedded default's; on PostgreSQL the issue asks for the
    # same scenarios with 0 errors, and the throughput is reported for comparison.
    throughput_target = engine["engine"] == "sqlite"
    target = (
        f"target ≥ {SATURATION_RPS}: {_ok(total >= SATURATION_RPS)}"
        if throughput_target
        else f"the {SATURATION_RPS} req/s target is SQLite's; here only 0 errors is asked"
    )
    lines = [
        f"Quiz flow: **{total:.0f} requests/s** over all its requests ({target}), "
        f"{_errors(sat)} errors (target 0: {_ok(_errors(sat) == 0)}).",
        "",
        _table(sat),
        "",
    ]
    if throughput_target and total < SATURATION_RPS:
        misses.append(f"saturation throughput {total:.0f} req/s < {SATURATION_RPS}")
    if _errors(sat):
        misses.append(f"saturation: {_errors(sat)} errors")
    if floor:
        floor_rps = floor.rows.get("Aggregated", {}).get("rps", 0.0)
        lines += [
            f"Framework floor (same middleware, no query, a {floor_rps:.0f} req/s bare view "
            f"rendering a template the size of a question card; {_errors(floor)} errors). "
            + _cpu_line(floor),
            "",
            "Throughput depends on how much CPU the rest of the machine left the server in each "
            "run (above); server CPU per request depends on it much less: the quiz flow took "
            f"{_cpu_per_request(sat):.1f} ms, the floor {_cpu_per_request(floor):.1f} ms "
            f"(ratio {_ratio(floor, sat):.2f}).",
            "",
            "| endpoint | throughput alone (users ÷ mean latency) | ratio to the floor | target ≥ 0.5 |",
            "| --- | ---: | ---: | --- |",
            f"| `GET floor` | {floor_capacity:.0f} req/s | 1.00 | — |",
        ]
        for name in load.QUIZ_ENDPOINTS:
            capacity = _capacity(sat, name)
            ratio = capacity / floor_capacity if floor_capacity else 0.0
            lines.append(
                f"| `{name}` | {capacity:.0f} req/s | {ratio:.2f} | {_ok(ratio >= FLOOR_RATIO)} |"
            )
            if ratio < FLOOR_RATIO:
                misses.append(f"{name} at {ratio:.2f} of the floor")
    return "\n".join(lines), misses


def _engine_section(engine: dict) -> tuple[str, list[str]]:
    name = engine["engine"]
    results = engine["results"]
    misses: list[str] = []
    parts = [f"## {'SQLite' if name == 'sqlite' else 'PostgreSQL'}", ""]
    parts.append(
        f"Fresh database prepared in {engine['setup_s']:.0f} s. Gunicorn, 2 sync workers; "
        f"peak memory (VmHWM) of a worker over all scenarios: "
        f"**{engine['peak_rss_mb']:.0f} MB** (target < {PEAK_RSS_MB} MB: "
        f"{_ok(engine['peak_rss_mb'] < PEAK_RSS_MB)})."
    )
    if engine["peak_rss_mb"] >= PEAK_RSS_MB:
        misses.append(f"{name}: worker peak RSS {engine['peak_rss_mb']:.0f} MB")
    parts.append("")

    parts += [f"### {load.SATURATION.title}", ""]
    text, sat_misses = _saturation_section(engine)
    parts += [text, ""]
    misses += [f"{name}: {m}" for m in sat_misses]

    school = results["school"]
    answer = school.rows.get("POST answer", {})
    p95, p99 = answer.get("p95", math.inf), answer.get("p99", math.inf)
    parts += [
        f"### {school.scenario.title} ({school.scenario.seconds} s)",
        "",
        f"Answer POST p95 **{_ms(p95)}** (target ≤ {ANSWER_P95_MS} ms: "
        f"{_ok(p95 <= ANSWER_P95_MS)}), p99 **{_ms(p99)}** (target ≤ {ANSWER_P99_MS} ms: "
        f"{_ok(p99 <= ANSWER_P99_MS)}); {_errors(school)} errors "
        f"(target 0: {_ok(_errors(school) == 0)}). "
        + (
            "Five teachers open the class gradebook beside them."
            if engine["gradebook"]
            else "No gradebook URL existed when this ran, so the teachers' scenario is left out."
        ),
        "",
        _table(school),
        "",
    ]
    if p95 > ANSWER_P95_MS or p99 > ANSWER_P99_MS:
        misses.append(f"{name}: school answer p95/p99 {p95:.0f}/{p99:.0f} ms")
    if _errors(school):
        misses.append(f"{name}: {_errors(school)} errors in the school scenario")

    sync = results["sync"]
    figures = load.sync_figures(sync)
    first, settled = figures["first_page_p95"], figures["settled_after_s"]
    parts += [
        f"### {sync.scenario.title} ({sync.scenario.seconds} s)",
        "",
        f"First page (POST start + GET question 1, as the student waits for it) p95 "
        f"**{_ms(first)}** (target ≤ 2 s: {_ok(first <= FIRST_PAGE_P95_MS)}); every 1-s window's "
        f"p95 is under 100 ms from **{settled:.0f} s** after the first request on "
        f"(target ≤ {SETTLE_S} s: {_ok(settled <= SETTLE_S)}); {_errors(sync)} errors "
        f"(target 0: {_ok(_errors(sync) == 0)}).",
        "",
        _table(sync),
        "",
    ]
    if first > FIRST_PAGE_P95_MS or settled > SETTLE_S or _errors(sync):
        misses.append(f"{name}: synchronized start first page {first:.0f} ms, settled {settled} s")

    logins = results["logins"]
    parts += [
        f"### {logins.scenario.title} ({logins.scenario.seconds} s)",
        "",
        "Each login checks the password with Django's default hasher (PBKDF2-SHA256, "
        "1,000,000 iterations): this is the one deliberately slow request, kept apart "
        "from the quiz flow.",
        "",
        _table(logins),
        "",
    ]
    if _errors(logins):
        misses.append(f"{name}: {_errors(logins)} login errors")
    return "\n".join(parts), misses


def _cpu_section(cpu: dict[str, float]) -> str:
    lines = [
        "| request | CPU per request (median) |",
        "| --- | ---: |",
    ]
    lines += [f"| `{name}` | {ms:.2f} ms |" for name, ms in cpu.items()]
    return "\n".join(lines)


def query_counts() -> list[str]:
    """Every django_assert_num_queries in the suite: "file · test: counts — comment"."""
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text = path.read_text()
        for match in re.finditer(r"\ndef (test_\w+)\((.*?)(?=\ndef |\n@|\Z)", text, re.S):
            counts = re.findall(
                r"django_assert_num_queries\((.+?)\):[ \t]*(?:#[ \t]*(.*))?$", match[2], re.M
            )
            if not counts:
                continue
            shown = "; ".join(
                f"{count if count.isdigit() else f'`{count}` (counted in the test: the same for any size)'}"
                f"{' — ' + comment if comment else ''}"
                for count, comment in counts
            )
            found.append(f"- `{path.relative_to(ROOT)}` · `{match[1]}`: {shown}")
    return found


def _cpu(env: dict[str, str], config: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.cpu", str(config), "--json"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _postgres_up() -> bool:
    try:
        subprocess.run(["bash", ".ci/postgres-up"], cwd=ROOT, check=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as error:
        print(f"PostgreSQL is not available ({error}); its part is left out.", flush=True)
        return False
    return True


METHOD = """## How these figures are measured

`make bench` (tests/benchmarks/run.py) runs on one machine, {machine}, and does this:

1. **Batch jobs** — tests/benchmarks/batch_jobs.py, below.
2. **A fresh database per engine**, set up as `make run` does it: `migrate`, `collectstatic`,
   `load_corpus`, `load_lessons`, `generate_questions`, `seed_demo`; then
   `python -m tests.benchmarks.prepare` adds 300 bench students (in the demo class) and
   5 bench teachers in bulk — the password is hashed **once** with the real hasher and the
   hash copied — and a logged-in session for each student (the rows `login()` writes).
   SQLite lives in a temporary directory; PostgreSQL is `bash .ci/postgres-up`
   (127.0.0.1:54329, `fsync=off`, a throwaway cluster) with its own database `thaw_bench`,
   dropped and created by the runner.
3. **The app under gunicorn with production settings**: `DEBUG=0`, a random `SECRET_KEY`,
   whitenoise serving the collected static files, `--workers 2` (sync), bound to
   127.0.0.1 only. On PostgreSQL the same two worker processes use Django's psycopg pool.
4. **Locust 2.47, headless, on the same machine** (`python -m locust -f
   tests/benchmarks/locustfile.py --headless --users N --spawn-rate R --run-time T --csv …`),
   one process (FastHttpUser; `--processes` did not help: the client and the server share
   the **same 2 cores**, so every figure here is a lower bound of what the server alone
   does). Requests are sent as htmx sends them (`HX-Request`, `X-CSRFToken`); a student
   answers each question with its first option (or the order shown) and an answer counts
   as an error unless the response is the graded feedback. The runner parses locust's
   `*_stats.csv`/`*_failures.csv` and samples `/proc/<pid>/status` (VmHWM) of the gunicorn
   workers every 0.5 s.
5. **Scenarios**, each bounded in users and time:
   - *Saturation* — the logged-in quiz flow (POST start, then per question GET the card and
     POST the answer, which is stored, graded and answered with feedback; POST finish),
     20 users, no think time, 30 s.
   - *Framework floor* — the same 20 users against a second gunicorn running
     `tests.benchmarks.floor_settings` (Thaw's settings and middleware, a URLconf with one
     view rendering a template the size of a question card, no query), 30 s, never at the
     same time as the app. An endpoint's throughput "alone" is users ÷ its mean latency
     (Little's law), so endpoints of one mixed flow can be compared with the floor.
   - *A school at work* — 300 students with 5–15 s think time: the dashboard, the lesson,
     its end-of-lesson quiz (practice mode, 10 questions). Run for **90 s on SQLite and 60 s
     on PostgreSQL, not 5 minutes**, to keep `make bench` under 10 minutes; the ramp-up
     (30 students/s) is included in the figures.
   - *Synchronized start* — 300 already logged-in students start the same (never started)
     quiz within one second (spawn rate 300/s), then carry on with 5–15 s think time.
   - *Logins* — 40 students log in through the login form with the real hasher.
6. **CPU per request** — `python -m tests.benchmarks.cpu CONFIG [--profile]`: one bench
   student takes the quiz 20 times in one process with Django's test client on the same
   data; `time.process_time()` per request (median). `--profile` prints cProfile's top
   functions; that is how the hot spots below were found.

The SQLite and PostgreSQL parts each take about four minutes, and the comparison through
the balancer (tests/benchmarks/balanced.py) about four more. Other work on the same machine (a test suite running beside the
benchmark) takes CPU from both client and server: compare runs on a quiet machine only.

## What the profile showed, and what was changed

- **Loading the question** was the costliest query of both GET question and POST answer
  (about 0.8 ms of 3.7 ms CPU): `select_related("passage__source")` read the whole passage
  (its text) and source rows on every card, though only feedback names them.
  `quizzes.cards.card_question` (then `quizzes.taking._question`) now loads the question alone for a question card (0.3 ms)
  and, for feedback, only the passage's key and the source's slug and title (0.5 ms),
  with `get()` instead of `filter().first()` (no ORDER BY to compile). Same query count.
- **Synchronized start**: `start_attempt` ran as one transaction. On SQLite
  (`transaction_mode=IMMEDIATE`) a transaction takes the write lock when it begins, so its
  six reads ran under the lock and 300 starts queued on it, each waiter sleeping in
  SQLite's growing busy-handler steps. Only the INSERT is a transaction now (the
  (quiz, user, number) constraint settles a double start): first-page p95 went from 10 s
  to about 4 s under the same load.
- No index is missing on the quiz flow: every query is by primary key or by a unique
  constraint's index (`response_one_per_question`, `attempt_unique_number`, the review
  card's (user, question)).
- **A new SQLite connection per request** (`CONN_MAX_AGE=0`) cost about 3 ms of server CPU
  per request under gunicorn, opening the file, running the PRAGMAs and reading the schema:
  more than the quiz views (the test client keeps its connection, so `tests.benchmarks.cpu`
  never showed it; the server's CPU per request did, 7.1 ms against about 4 ms in one
  process). SQLite connections now persist, one per worker (`CONN_MAX_AGE=None`).
- **The session row** was read on every request (a query, about 0.25 ms). Sessions are now
  `cached_db` over a file cache in `VAR_DIR/cache` that both workers share, so a logout ends
  the session in every worker (docs/decisions.md).
- **The card's queries**: the answered-question query joined the attempt table only because
  `Response` is ordered by attempt (now `order_by()`, and only the ids unless a revisited
  card needs its response); the question is loaded with the fields a card shows
  (`only()`, skipping four timestamps parsed from text). The results page and `finish`
  lost the same join. GET question: 5 queries → 4; POST answer: 10 → 9.
- **Rendering a card** localised every number it printed (ids, positions, counts), each a
  lookup of the active language: a fifth of the card's rendering. The card is rendered with
  `{{% localize off %}}` (the output is the same: no thousands separator) and builds each
  URL once.
- **A new review card slept 1 ms**: py-fsrs's `Card()` without an id sleeps to keep ids
  apart, holding a sync worker on the answer; `quizzes.review` now gives the id.
- Left as they are: every request loads the user (a query, Django's own); a full page
  (not an htmx fragment) also checks the user's permissions for the navigation (two more
  queries); a quiz with a due date reads the student's override (`Quiz.rules_for`) each time
  the deadline is checked. A login costs 0.3–0.5 s of CPU by design (PBKDF2,
  1,000,000 iterations): a class of 30 logging in within a minute is fine, 300 in the same
  minute would keep both cores busy for about two minutes — logins are measured apart.
"""


def main() -> None:
    started = time.monotonic()
    date = datetime.date.today()
    machine = _machine()
    print("Batch jobs ...", flush=True)
    jobs = measure_batch_jobs()
    gradebook = jobs["gradebook"]
    rounds = jobs["rounds"]["n"]

    engines = []
    cpu: dict[str, float] = {}

    def on_ready(env: dict[str, str], config: Path) -> None:
        cpu.update(_cpu(env, config))

    engines.append(load.measure_engine(engine="sqlite", on_ready=on_ready))
    postgres = _postgres_up()
    if postgres:
        engines.append(load.measure_engine(engine="postgresql", postgres_url=PG_URL))

    sections, misses = [], []
    for engine in engines:
        text, engine_misses = _engine_section(engine)
        sections.append(text)
        misses += engine_misses
    if not postgres:
        sections.append("## PostgreSQL\n\nNot measured: `bash .ci/postgres-up` failed.")
        misses.append("PostgreSQL not measured")
    else:
        # Two app servers behind HAProxy beside one, on the same prepared database.
        load_before = os.getloadavg()
        sections.append(
            balanced.section(
                balanced.measure(postgres_url=PG_URL), date=date, load_before=load_before
            )
        )
    summary = (
        "Every target below was met."
        if not misses
        else "Targets not met in this run: " + "; ".join(misses) + "."
    )
    elapsed = time.monotonic() - started
    queries = query_counts()
    report = f"""# Performance

Measured by `make bench` on {date:%d %B %Y}; machine: {machine}.
Every figure below is written by `tests/benchmarks/run.py`; do not edit it by hand.
This run took {elapsed / 60:.1f} minutes. {summary}

## Batch jobs

| job | median | worst | rounds | target |
| --- | --- | --- | --- | --- |
| `manage.py load_corpus` on an empty SQLite database (5 sources, glossary, timeline, search index) | {jobs["load_corpus"]["median_s"]:.2f} s | {jobs["load_corpus"]["max_s"]:.2f} s | {rounds} | < 5 s |
| `manage.py generate_questions` from scratch (whole bank) | {jobs["generate_questions"]["median_s"]:.2f} s | {jobs["generate_questions"]["max_s"]:.2f} s | {rounds} | < 10 s |
| `manage.py import_source` of a new short document (validate, clean, index) | {jobs["import_source"]["median_s"]:.2f} s | {jobs["import_source"]["max_s"]:.2f} s | {rounds} | — |

Each job runs as its own process, so Django's start-up (about 0.3 s) is included.

## Gradebook of a large class (SQLite, Django test client, one process)

{gradebook["students"]} students × {gradebook["assignments"]} assignments (9,000 attempts, bulk-created;
tests/benchmarks/gradebook.py), the whole gradebook view 20 times: median
**{gradebook["median_ms"]:.0f} ms**, p95 **{gradebook["p95_ms"]:.0f} ms** (target ≤ 300 ms:
{"met" if gradebook["p95_ms"] <= 300 else "**not met**"}), worst {gradebook["max_ms"]:.0f} ms.

## CPU per request of the quiz flow (SQLite, Django test client, one process)

{_cpu_section(cpu)}

{chr(10).join(sections)}

## Query counts asserted in the test suite

Each page runs a fixed number of queries, whatever the data; `django_assert_num_queries`
in these tests fails the build if that changes:

{chr(10).join(queries)}

{METHOD.format(machine=machine)}"""
    out = ROOT / "docs" / "performance.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
