"""Benchmark: loading the whole corpus from scratch (issue: foundation, < 5 s).

Run with `make bench`. Each round migrates a fresh SQLite database in a temporary
directory, then times `manage.py load_corpus` as a separate process, so the figure
includes Django start-up, exactly what an operator waits for. Prints a Markdown
table row and returns the figures as a dict for the report writer.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def measure_corpus_load(*, rounds: int = 3) -> dict[str, float]:
    timings = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as var_dir:
            env = {**os.environ, "DEBUG": "1", "THAW_VAR_DIR": var_dir}
            env.pop("DATABASE_URL", None)
            _manage("migrate", "--noinput", env=env)
            timings.append(_manage("load_corpus", env=env))
    return {"rounds": rounds, "median_s": statistics.median(timings), "max_s": max(timings)}


if __name__ == "__main__":
    result = measure_corpus_load()
    print(
        f"| load_corpus from scratch (SQLite) | {result['median_s']:.2f} s median | "
        f"{result['max_s']:.2f} s max | {result['rounds']} rounds |"
    )
