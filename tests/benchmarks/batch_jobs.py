"""Benchmark: the batch jobs an operator waits for.

Each round migrates a fresh SQLite database in a temporary directory, then times,
as separate processes (Django start-up included, exactly what an operator waits for):
`load_corpus` from scratch (target < 5 s), `generate_questions` from scratch
(target < 10 s) and `import_source` of a new two-page document.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NEW_DOCUMENT = """# A letter about the congress

On 25 February 1956 the delegates to the 20th Congress were called to a closed session.

The speech lasted about four hours, and 1,436 delegates heard it in silence.

In June 1956 the text was printed in the West.
"""


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


def _summary(timings: list[float]) -> dict[str, float]:
    return {"median_s": statistics.median(timings), "max_s": max(timings)}


def measure_batch_jobs(*, rounds: int = 3) -> dict[str, dict[str, float]]:
    load, generate, import_ = [], [], []
    gradebook: dict[str, float] = {}
    for round_number in range(rounds):
        with tempfile.TemporaryDirectory() as var_dir:
            # import_source copies into the data folder: work on a copy of it.
            data_dir = Path(var_dir) / "data"
            shutil.copytree(ROOT / "corpus" / "data", data_dir)
            env = {**os.environ, "DEBUG": "1", "THAW_VAR_DIR": var_dir}
            env["THAW_CORPUS_DATA_DIR"] = str(data_dir)
            env.pop("DATABASE_URL", None)
            _manage("migrate", "--noinput", env=env)
            load.append(_manage("load_corpus", env=env))
            generate.append(_manage("generate_questions", env=env))
            if round_number == 0:
                gradebook = _gradebook(env=env)
            document = Path(var_dir) / "letter.md"
            document.write_text(NEW_DOCUMENT)
            import_.append(
                _manage(
                    "import_source",
                    str(document),
                    "--work",
                    "A letter about the congress",
                    "--title",
                    "A letter about the congress",
                    "--date",
                    "1956-03",
                    env=env,
                )
            )
    return {
        "rounds": {"n": rounds},
        "load_corpus": _summary(load),
        "generate_questions": _summary(generate),
        "import_source": _summary(import_),
        "gradebook": gradebook,
    }


def _gradebook(*, env: dict[str, str]) -> dict[str, float]:
    script = ROOT / "tests" / "benchmarks" / "gradebook.py"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script.read_text()],
        cwd=ROOT,
        # Measured as served: DEBUG off (no query log, no template debug info).
        env={**env, "DEBUG": "0", "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghij"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
