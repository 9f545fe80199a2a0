"""`make bench`: run every benchmark and write the figures to docs/performance.md."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

from tests.benchmarks.batch_jobs import measure_batch_jobs

ROOT = Path(__file__).resolve().parents[2]


def _machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def main() -> None:
    jobs = measure_batch_jobs()
    rounds = jobs["rounds"]["n"]
    report = f"""# Performance

Measured by `make bench` on {datetime.date.today():%d %B %Y}; machine: {_machine()}.
Every figure below is written by `tests/benchmarks/run.py`; do not edit it by hand.

## Batch jobs

| job | median | worst | rounds | target |
| --- | --- | --- | --- | --- |
| `manage.py load_corpus` on an empty SQLite database (5 sources, glossary, timeline, search index) | {jobs["load_corpus"]["median_s"]:.2f} s | {jobs["load_corpus"]["max_s"]:.2f} s | {rounds} | < 5 s |
| `manage.py generate_questions` from scratch (whole bank) | {jobs["generate_questions"]["median_s"]:.2f} s | {jobs["generate_questions"]["max_s"]:.2f} s | {rounds} | < 10 s |
| `manage.py import_source` of a new short document (validate, clean, index) | {jobs["import_source"]["median_s"]:.2f} s | {jobs["import_source"]["max_s"]:.2f} s | {rounds} | — |

Each job runs as its own process, so Django's start-up (about 0.3 s) is included.
"""
    out = ROOT / "docs" / "performance.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
