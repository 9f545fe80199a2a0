"""The bench server: a fresh database set up like `make run`, served by gunicorn.

Production settings (DEBUG off, whitenoise, collected static files), bound to
127.0.0.1 only. The same helpers start the framework-floor server
(tests.benchmarks.floor_settings) beside it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP_COMMANDS = ("load_corpus", "load_lessons", "generate_questions", "seed_demo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def server_env(*, var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "THAW_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(env: dict[str, str], *, out: Path) -> dict:
    """Migrate, collect static, load everything `make run` loads, add the bench users."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    for command in SETUP_COMMANDS:
        manage(env, command)
    subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.prepare", str(out)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    return json.loads(out.read_text())


class Gunicorn:
    """gunicorn with `workers` sync workers; samples its workers' peak RSS (VmHWM)."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, settings: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(env)
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        self.peak_kb: dict[int, int] = {}
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/static/css/quiz.css", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def sample_memory(self) -> None:
        """Record each worker's VmHWM (peak resident set); call it now and then."""
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), kb)

    def peak_mb(self) -> float:
        self.sample_memory()
        return max(self.peak_kb.values(), default=0) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
