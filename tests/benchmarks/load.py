"""The load benchmark: gunicorn + locust on 127.0.0.1, figures parsed from locust's --csv.

One fresh database per engine (SQLite in a temporary directory; PostgreSQL in
its own database, thaw_bench, dropped and created here), prepared like
`make run` plus the bench users. Each scenario is one headless locust process
with a bounded user count and --run-time; the app server's workers' peak RSS
(VmHWM) is sampled while it runs. The framework floor runs on a second gunicorn
(tests.benchmarks.floor_settings), never at the same time as the app.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tests.benchmarks.server import ROOT, Gunicorn, prepare, server_env

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
FIRST_PAGE = "first page (start + question 1)"
QUIZ_ENDPOINTS = ("POST start", "GET question", "POST answer", "POST finish")


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    users: int
    spawn_rate: float
    seconds: int
    user_classes: tuple[str, ...]  # in tests/benchmarks/locustfile.py


SATURATION = Scenario(
    "saturation", "Saturation: the quiz flow, 20 users, no think time", 20, 20, 30, ("Saturation",)
)
FLOOR = Scenario(
    "floor", "Framework floor: a bare view, 20 users, no think time", 20, 20, 30, ("Floor",)
)
SCHOOL = Scenario(
    "school", "A school at work: 300 students, 5-15 s think time", 300, 30, 90, ("School",)
)
SYNC = Scenario(
    "sync",
    "Synchronized start: 300 students start one quiz within 1 s",
    300,
    300,
    30,
    ("SynchronizedStart",),
)
LOGINS = Scenario(
    "logins", "Logins with the real password hasher: 40 students", 40, 4, 15, ("Login",)
)


@dataclass
class Result:
    scenario: Scenario
    rows: dict[str, dict[str, float]]  # endpoint -> figures; "Aggregated" included
    peak_rss_mb: float
    raw: list = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # CPU seconds over the scenario: the app server (master and workers), locust, and
    # everything else on the machine (a test suite, a browser): that takes CPU from both.
    cpu: dict[str, float] = field(default_factory=dict)


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def _read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": _number(row["Request Count"]),
                "failures": _number(row["Failure Count"]),
                "rps": _number(row["Requests/s"]),
                "mean": _number(row["Average Response Time"]),
                "p50": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "p99": _number(row["99%"]),
                "max": _number(row["Max Response Time"]),
            }
    return rows


def _read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as failures:
        return [
            f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)"
            for row in csv.DictReader(failures)
        ]


def run_scenario(scenario: Scenario, *, server: Gunicorn, config: Path, out: Path) -> Result:
    prefix = out / scenario.key
    # THAW_BENCH_SCALE=0.2 shortens every scenario, for trying the benchmark out only.
    seconds = max(5, round(scenario.seconds * float(os.environ.get("THAW_BENCH_SCALE", "1"))))
    classes = list(scenario.user_classes)
    if scenario.key == "school" and json.loads(config.read_text()).get("gradebook_url"):
        classes.append("Teacher")
    raw = out / f"{scenario.key}-raw.json"
    env = {
        **os.environ,
        "BENCH_CONFIG": str(config),
        "BENCH_RAW": str(raw),
        "BENCH_HOST": server.url,
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        server.url,
        "--users",
        str(scenario.users),
        "--spawn-rate",
        str(scenario.spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    print(f"  {scenario.title} ({seconds} s)", flush=True)
    cpu_before = _cpu_now(server)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds + 60
    while process.poll() is None:
        server.sample_memory()
        if time.monotonic() > deadline:
            process.kill()
            break
        time.sleep(0.5)
    process.wait(timeout=10)
    cpu_after = _cpu_now(server)
    cpu = {key: cpu_after[key] - cpu_before[key] for key in cpu_before}
    cpu["elapsed"] = cpu_after["wall"] - cpu_before["wall"]
    cpu["other"] = max(0.0, cpu["machine"] - cpu["server"] - cpu["locust"] - cpu["runner"])
    return Result(
        scenario,
        _read_stats(prefix),
        server.peak_mb(),
        json.loads(raw.read_text()) if raw.exists() else [],
        _read_failures(prefix),
        cpu,
    )


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_now(server: Gunicorn) -> dict[str, float]:
    """Busy CPU seconds so far: the whole machine, the server's processes, reaped children
    (locust, once it has exited), this process."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    machine = (user + nice + system + irq + softirq + steal) / _TICK
    served = 0.0
    for pid in [server.process.pid, *server.worker_pids()]:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        served += (int(stat[11]) + int(stat[12])) / _TICK  # utime, stime
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall": time.monotonic(),
        "machine": machine,
        "server": served,
        "locust": children.ru_utime + children.ru_stime,
        "runner": own.ru_utime + own.ru_stime,
    }


def sync_figures(result: Result) -> dict[str, float]:
    """First page (start + first question, timed by the locustfile) p95, and how many
    seconds after the first request every later 1-s window's p95 is under 100 ms."""
    requests = sorted(r for r in result.raw if r[1] != FIRST_PAGE)
    if not requests:
        return {"first_page_p95": 0.0, "settled_after_s": float("nan")}
    t0 = requests[0][0]
    windows: dict[int, list[float]] = {}
    for started, _name, ms, _error in requests:
        windows.setdefault(int(started - t0), []).append(ms)
    slow = [second for second, times in windows.items() if _p95(times) >= 100]
    return {
        "first_page_p95": result.rows.get(FIRST_PAGE, {}).get("p95", 0.0),
        "settled_after_s": (max(slow) + 1) if slow else 0,
    }


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0] if times else 0.0
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def _postgres_database(url: str) -> str:
    """Drop and create thaw_bench beside the test database; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS thaw_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE thaw_bench")
    return url.rsplit("/", 1)[0] + "/thaw_bench"


def measure_engine(
    *,
    engine: str,
    postgres_url: str | None = None,
    on_ready: Callable[[dict[str, str], Path], None] | None = None,
) -> dict:
    """Every scenario on one engine; `on_ready(env, config)` runs once the data is there."""
    with tempfile.TemporaryDirectory(prefix="thaw-bench-") as tmp:
        tmp_path = Path(tmp)
        config = tmp_path / "bench.json"
        database_url = _postgres_database(postgres_url) if engine == "postgresql" else None
        env = server_env(var_dir=tmp_path, database_url=database_url)
        print(f"Preparing a fresh {engine} database ...", flush=True)
        started = time.monotonic()
        prepared = prepare(env, out=config)
        setup_s = time.monotonic() - started
        if on_ready:
            on_ready(env, config)
        scenarios = [SATURATION, SCHOOL, SYNC, LOGINS]
        if engine == "postgresql":
            # Shorter, so that `make bench` stays under 10 minutes.
            scenarios[1] = replace(SCHOOL, seconds=60)
        results = {}
        app = Gunicorn(env, workers=2)
        try:
            for scenario in scenarios:
                results[scenario.key] = run_scenario(
                    scenario, server=app, config=config, out=tmp_path
                )
        finally:
            app.stop()
        floor = None
        if engine == "sqlite":
            floor_server = Gunicorn(env, workers=2, settings="tests.benchmarks.floor_settings")
            try:
                floor = run_scenario(FLOOR, server=floor_server, config=config, out=tmp_path)
            finally:
                floor_server.stop()
        return {
            "engine": engine,
            "setup_s": setup_s,
            "results": results,
            "floor": floor,
            "peak_rss_mb": max(r.peak_rss_mb for r in results.values()),
            "gradebook": bool(prepared.get("gradebook_url")),
        }
