"""`make bench`: run every benchmark and write the figures to docs/performance.md."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

from tests.benchmarks.corpus_load import measure_corpus_load

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
    corpus = measure_corpus_load()
    report = f"""# Performance

Measured by `make bench` on {datetime.date.today():%d %B %Y}; machine: {_machine()}.
Every figure below is written by `tests/benchmarks/run.py`; do not edit it by hand.

## Batch jobs

| job | median | worst | rounds | target |
| --- | --- | --- | --- | --- |
| `manage.py load_corpus` on an empty SQLite database (5 sources, glossary, timeline, search index; process start included) | {corpus["median_s"]:.2f} s | {corpus["max_s"]:.2f} s | {corpus["rounds"]} | < 5 s |
"""
    out = ROOT / "docs" / "performance.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
