"""The load benchmark through the balancer: two app servers behind HAProxy, as deploy/ installs them.

On one PostgreSQL database prepared as `make run` does (plus the bench users), the same
locust scenarios run twice, one after the other under the same conditions:

- **one server**: gunicorn, 2 sync workers, its file cache, plain HTTP (how the rest of
  `make bench` measures PostgreSQL);
- **through the balancer**: HAProxy with deploy/haproxy.cfg (TLS, round-robin), two app
  servers started as deploy/systemd/thaw.service does, 2 sync workers each, sessions in
  Redis (CACHE_URL), each server with its own VAR_DIR (tests/multiserver/cluster.py).

Run by `make bench` (tests/benchmarks/run.py), or alone, which rewrites only its own
section of docs/performance.md: `python -m tests.benchmarks.balanced --write`. On this
2-core machine both set-ups share the same two cores with locust, so the comparison shows
what the balancer, TLS and Redis cost, not what a second machine adds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from tests.benchmarks import load
from tests.benchmarks.server import ROOT, Gunicorn, prepare
from tests.multiserver.cluster import (
    AppServer,
    Balancer,
    app_servers,
    empty_redis,
    fresh_database,
    services_up,
    start_balanced,
)

PG_URL = "postgres://thaw@127.0.0.1:54329/thaw"
REDIS_URL = "redis://127.0.0.1:63799/4"  # .ci/redis-up; database 4 is the benchmark's
DATABASE = "thaw_bench_balanced"
SCENARIOS = (load.SATURATION, replace(load.SCHOOL, seconds=60))
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:balanced -->", "<!-- /bench:balanced -->"


@dataclass
class _Site:
    """What load.run_scenario needs of a server: its URL, its processes for the CPU count
    (the balancer, every app server and its workers, Redis) and their memory."""

    url: str
    balancer: Balancer
    servers: list[AppServer]

    @property
    def process(self):
        return self.balancer.process

    def worker_pids(self) -> list[int]:
        pids = []
        for server in self.servers:
            pids += [server.process.pid, *server.worker_pids()]
        redis_pid = Path("/tmp/thaw-redis.pid")  # written by .ci/redis-up
        if redis_pid.exists():
            pids.append(int(redis_pid.read_text()))
        return pids

    def sample_memory(self) -> None:
        pass

    def peak_mb(self) -> float:
        return 0.0


def measure(*, postgres_url: str = PG_URL) -> dict:
    """Both set-ups on one prepared database; their results by scenario key."""
    services_up()
    with tempfile.TemporaryDirectory(prefix="thaw-bench-balanced-") as tmp:
        folder = Path(tmp)
        database_url = fresh_database(postgres_url, DATABASE)
        empty_redis(REDIS_URL)
        servers = app_servers(
            folder, database_url=database_url, cache_url=REDIS_URL, count=2, workers=2
        )
        print("Preparing a fresh PostgreSQL database for the balancer ...", flush=True)
        config = folder / "bench.json"
        # migrate, collectstatic, load, bench users (its test client speaks plain HTTP)
        prepare({k: v for k, v in servers[0].env.items() if k != "HTTPS"}, out=config)
        for server in servers[1:]:  # the same files a collectstatic on each host writes
            shutil.copytree(
                Path(servers[0].env["THAW_VAR_DIR"]) / "static",
                Path(server.env["THAW_VAR_DIR"]) / "static",
            )
        bench = json.loads(config.read_text())

        # One server, as the rest of `make bench` runs it: its own file cache, no Redis.
        single_env = {k: v for k, v in servers[0].env.items() if k not in {"CACHE_URL", "HTTPS"}}
        single = {}
        print("One app server:", flush=True)
        app = Gunicorn(single_env, workers=2)
        try:
            for scenario in SCENARIOS:
                single[scenario.key] = load.run_scenario(
                    scenario, server=app, config=config, out=folder
                )
        finally:
            app.stop()

        balanced = {}
        print("Two app servers behind HAProxy:", flush=True)
        balancer, _cert = start_balanced(folder, servers)
        site = _Site(balancer.url, balancer, servers)
        try:
            for scenario in SCENARIOS:
                balanced[scenario.key] = load.run_scenario(
                    scenario, server=site, config=config, out=folder
                )
            retries = balancer.retries()
        finally:
            balancer.stop()
            for server in servers:
                server.stop()
        return {
            "single": single,
            "balanced": balanced,
            "retries": retries,
            "gradebook": bool(bench.get("gradebook_url")),
            "load": os.getloadavg(),
        }


def _row(label: str, result: load.Result, endpoint: str) -> str:
    row = result.rows.get(endpoint, {})
    cpu = result.cpu
    server = cpu.get("server", 0.0) / cpu["elapsed"] if cpu.get("elapsed") else 0.0
    other = cpu.get("other", 0.0) / cpu["elapsed"] if cpu.get("elapsed") else 0.0
    if not row.get("requests"):
        return f"| {label} | none in the time | — | — | — | — | — | {server:.2f} | {other:.2f} |"
    # Requests per second of server CPU: what a busy machine changes least (the server's
    # share of the cores is what other processes leave it).
    per_cpu = row["rps"] / server if server else 0.0
    return (
        f"| {label} | {row['rps']:.0f} | {per_cpu:.0f} | {row.get('p50', 0):.0f} ms "
        f"| {row.get('p95', 0):.0f} ms | {row.get('p99', 0):.0f} ms | {row.get('failures', 0):.0f} "
        f"| {server:.2f} | {other:.2f} |"
    )


def section(measured: dict, *, date: datetime.date, load_before: tuple[float, ...]) -> str:
    """The Markdown between the markers in docs/performance.md."""
    single, balanced = measured["single"], measured["balanced"]
    header = [
        "| set-up | req/s | req/s per server core | p50 | p95 | p99 | errors "
        "| server CPU (cores) | other processes (cores) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    sat, school = load.SATURATION.key, load.SCHOOL.key
    errors = [
        f"- error ({setup}, {key}): {failure}"
        for setup in ("single", "balanced")
        for key, result in measured[setup].items()
        for failure in result.failures[:5]
    ]
    lines = [
        START,
        "## Several app servers: two behind HAProxy (PostgreSQL and Redis)",
        "",
        f"Measured on {date:%d %B %Y} by `python -m tests.benchmarks.balanced` "
        "(also part of `make bench`): one PostgreSQL database, prepared as above, and the "
        "same scenarios first against **one app server** (gunicorn, 2 sync workers, file "
        "cache, plain HTTP) and then **through the balancer** (deploy/haproxy.cfg with TLS, "
        "round-robin, no sticky sessions; two app servers started as "
        "deploy/systemd/thaw.service does, 2 sync workers each; sessions in Redis). "
        f"Machine load (1-minute average) when the run began: {load_before[0]:.1f}, "
        f"when it ended: {measured['load'][0]:.1f}, on 2 cores.",
        "",
        "Both set-ups share the same two cores with locust and PostgreSQL: the comparison "
        "shows what the balancer, TLS and Redis cost per request, not what a second machine "
        "adds (that needs the servers on their own machines). Server CPU counts HAProxy, "
        "every gunicorn process and Redis; on a busy machine the server gets what other "
        "processes leave it (more processes, a larger share), so compare the requests per "
        "server core, and rerun on a quiet machine for the throughput itself.",
        "",
        f"### {load.SATURATION.title}",
        "",
        *header,
        _row("one app server, all requests", single[sat], "Aggregated"),
        _row("two behind HAProxy, all requests", balanced[sat], "Aggregated"),
        _row("one app server, `POST answer`", single[sat], "POST answer"),
        _row("two behind HAProxy, `POST answer`", balanced[sat], "POST answer"),
        "",
        f"### {load.SCHOOL.title} (60 s)",
        "",
        *header,
        _row("one app server, `POST answer`", single[school], "POST answer"),
        _row("two behind HAProxy, `POST answer`", balanced[school], "POST answer"),
        _row("one app server, all requests", single[school], "Aggregated"),
        _row("two behind HAProxy, all requests", balanced[school], "Aggregated"),
        "",
        *errors,
        *([""] if errors else []),
        f"Requests HAProxy sent again over both scenarios: {measured['retries']['retried']} "
        f"(none are expected: no server failed). "
        + (
            "Five teachers open the class gradebook beside the students."
            if measured["gradebook"]
            else ""
        ),
        END,
    ]
    return "\n".join(lines)


def write(text: str) -> None:
    """Replace the section in docs/performance.md (appended the first time)."""
    doc = PERFORMANCE_DOC.read_text(encoding="utf-8")
    if START in doc and END in doc:
        before, rest = doc.split(START, 1)
        doc = before + text + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    PERFORMANCE_DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.monotonic()
    text = section(measure(), date=datetime.date.today(), load_before=load_before)
    print(text)
    print(f"({(time.monotonic() - started) / 60:.1f} minutes)")
    if args.write:
        write(text)


if __name__ == "__main__":
    main()
