"""Write measured figures into docs/reliability.md, between markers, from the tests that measure them.

Each test owns one section per database engine: `record("concurrency", lines, title=...)` on
SQLite replaces everything between `<!-- figures:concurrency-sqlite -->` and
`<!-- /figures:concurrency-sqlite -->` (appending a heading and the pair at the end of the
document the first time). The document then always shows the last run's numbers,
written by the command that produced them (`make test`, which sets THAW_WRITE_FIGURES=1),
never typed by hand; a plain `pytest` leaves the tracked file alone.
"""

from __future__ import annotations

import datetime
import fcntl
import os
from pathlib import Path

RELIABILITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def record(section: str, lines: list[str], *, title: str = "") -> None:
    """Replace `section`'s figures in docs/reliability.md with `lines` (Markdown)."""
    if not os.environ.get("THAW_WRITE_FIGURES"):
        return
    # The suite runs on both engines: each keeps its own figures.
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    section = f"{section}-{engine.lower()}"
    title = f"{title} ({engine})" if title else ""
    start, end = f"<!-- figures:{section} -->", f"<!-- /figures:{section} -->"
    stamp = datetime.date.today().isoformat()
    body = "\n".join([start, f"_Written by `make test` ({engine}) on {stamp}._", "", *lines, end])
    # make test runs the suite in two processes (pytest-xdist): one writer at a time, or
    # one's read-modify-write would drop the other's section.
    with open(RELIABILITY_DOC.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = RELIABILITY_DOC.read_text(encoding="utf-8") if RELIABILITY_DOC.exists() else ""
        if start in text and end in text:
            before, rest = text.split(start, 1)
            _, after = rest.split(end, 1)
            text = before + body + after
        else:
            heading = f"\n## {title}\n\n" if title else "\n"
            text = text.rstrip("\n") + "\n" + heading + body + "\n"
        RELIABILITY_DOC.write_text(text, encoding="utf-8")
