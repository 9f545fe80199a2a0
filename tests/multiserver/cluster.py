"""Thaw as deploy/ installs it on several hosts, on 127.0.0.1: the multi-server tests' setting.

- PostgreSQL (`.ci/postgres-up`), in a database of its own, `thaw_multiserver`;
- Redis (`.ci/redis-up`, deploy/redis.conf), database 3, emptied first;
- app servers started with deploy/systemd/thaw.service's ExecStart (gunicorn with
  deploy/gunicorn.conf.py) and an environment made of deploy/thaw.env's keys; each has
  its own THAW_VAR_DIR, collected static files and copy of corpus/data, as separate
  hosts would;
- HAProxy with deploy/haproxy.cfg, TLS with a throwaway certificate.

Only addresses, ports and paths differ from the files in deploy/ (`haproxy_config`,
`AppServer.command`); a file whose lines have moved fails here loudly, so the tests
cannot drift from what a deployment runs. The environment differs in one more value:
THAW_WORKERS is 2 (this machine has two cores) where the balancer's maxconn is 4, so up
to two requests per server wait in gunicorn's backlog rather than in HAProxy's queue. Logging in works as in tests/reliability:
sessions written straight into the session table by the seed (the PBKDF2 cost of fifty
real logins is not under test), real logins where a test is about them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from tests.benchmarks.server import ROOT, free_port, manage
from tests.reliability.server import Database, Student

DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "thaw.service"
POSTGRES_URL = "postgres://thaw@127.0.0.1:54329/thaw"  # .ci/postgres-up
REDIS_URL = "redis://127.0.0.1:63799/3"  # .ci/redis-up; database 3 is this suite's
DATABASE = "thaw_multiserver"
# deploy/haproxy.cfg's example addresses, replaced by the test servers'.
EXAMPLE_ADDRESSES = {"app1": "10.0.0.11:8000", "app2": "10.0.0.12:8000", "app3": "10.0.0.13:8000"}
EXAMPLE_ROOT = "/srv/thaw"
HEALTH = "/static/css/thaw.css"  # what deploy/haproxy.cfg's health check asks


def services_up() -> None:
    """PostgreSQL, Redis and HAProxy installed (apt-get when missing) and the first two running."""
    for script in (".ci/postgres-up", ".ci/redis-up", ".ci/haproxy-install"):
        subprocess.run(["bash", script], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


# --- deploy/ files ------------------------------------------------------------------


def unit_settings(path: Path = UNIT) -> dict[str, str]:
    """The Key=Value lines of a systemd unit (the last one wins, as in systemd)."""
    found = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            found[key.strip()] = value.strip()
    return found


def env_file_keys(path: Path = DEPLOY / "thaw.env") -> set[str]:
    return {
        line.split("=", 1)[0].strip()
        for line in path.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }


def _replace(text: str, old: str, new: str, *, count: int | None = None) -> str:
    found = text.count(old)
    assert found and (count is None or found == count), f"deploy file changed: {old!r}"
    return text.replace(old, new)


def haproxy_config(
    *, https_port: int, http_port: int, servers: dict[str, int], cert: Path, folder: Path
) -> str:
    """deploy/haproxy.cfg with this machine's ports and paths (and only the given servers)."""
    text = (DEPLOY / "haproxy.cfg").read_text()
    text = _replace(text, "bind :443 ", f"bind 127.0.0.1:{https_port} ", count=1)
    text = _replace(text, "bind :80\n", f"bind 127.0.0.1:{http_port}\n", count=1)
    text = _replace(text, "/etc/haproxy/certs/thaw.pem", str(cert), count=1)
    text = _replace(text, "/run/haproxy/admin.sock", str(folder / "admin.sock"), count=1)
    text = _replace(text, "log /dev/log local0", "log stderr format short local0", count=1)
    for name, example in EXAMPLE_ADDRESSES.items():
        if name in servers:
            text = _replace(text, f" {example}", f" 127.0.0.1:{servers[name]}")
        else:  # fewer servers than the example (the benchmark's two)
            text = "".join(
                line
                for line in text.splitlines(keepends=True)
                if not line.strip().startswith(f"server {name} ")
            )
    return text


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (HAProxy's PEM with the key, the certificate)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    pem = folder / "haproxy.pem"
    pem.write_text(cert.read_text() + key.read_text())
    return pem, cert


# --- processes ----------------------------------------------------------------------


def _wait(condition, *, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


@dataclass
class AppServer:
    """One app host: gunicorn as deploy/systemd/thaw.service runs it, with its own VAR_DIR."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> tuple[list[str], Path]:
        """The unit's ExecStart and WorkingDirectory, /srv/thaw being this checkout."""
        unit = unit_settings()
        venv_bin = f"{EXAMPLE_ROOT}/.venv/bin/"
        start = _replace(unit["ExecStart"], venv_bin, str(Path(sys.executable).parent) + "/")
        start = _replace(start, EXAMPLE_ROOT, str(ROOT))
        return shlex.split(start), Path(_replace(unit["WorkingDirectory"], EXAMPLE_ROOT, str(ROOT)))

    def start(self, *, wait: bool = True) -> None:
        command, cwd = self.command()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.starts += 1
        if wait:
            self.wait_serving()

    def wait_serving(self, *, timeout: float = 120) -> None:
        _wait(self.is_serving, timeout=timeout, what=f"{self.name} to serve", interval=0.2)

    def is_serving(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited: see {self.log}")
        try:
            response = requests.get(
                self.url + HEALTH, headers={"X-Forwarded-Proto": "https"}, timeout=2
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        """What `systemctl stop thaw` does: the unit's KillSignal, then wait (TimeoutStopSec)."""
        if self.process is None or self.process.poll() is not None:
            return
        unit = unit_settings()
        self.process.send_signal(getattr(signal, unit["KillSignal"]))
        try:
            self.process.wait(timeout=float(unit["TimeoutStopSec"]))
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the whole server, master and workers (a host that dies)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Balancer:
    """HAProxy with deploy/haproxy.cfg; its admin socket drains and reads servers."""

    config: Path
    socket_path: Path
    https_port: int
    http_port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def start(self) -> None:
        check = subprocess.run(["haproxy", "-c", "-f", str(self.config)], capture_output=True)
        assert check.returncode == 0, check.stderr.decode() + check.stdout.decode()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                ["haproxy", "-db", "-f", str(self.config)],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        _wait(self.socket_path.exists, timeout=10, what="HAProxy's admin socket")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def admin(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self) -> dict[tuple[str, str], dict[str, str]]:
        """`show stat`: (proxy, server) -> its counters (status, scur, stot, wretr, wredis...)."""
        text = self.admin("show stat").lstrip("# ")
        return {(row["pxname"], row["svname"]): row for row in csv.DictReader(io.StringIO(text))}

    def status(self, server: str, backend: str = "thaw_app") -> str:
        return self.stats()[(backend, server)]["status"]

    def wait_status(self, server: str, status: str, *, timeout: float = 30) -> None:
        _wait(  # exactly: "UP 1/2" is a server going down, "DOWN 1/2" one coming up
            lambda: self.status(server) == status,
            timeout=timeout,
            what=f"{server} to be {status} in HAProxy",
        )

    def set_state(self, server: str, state: str) -> None:
        """ready, drain or maint, as docs/deployment.md does it with socat."""
        answer = self.admin(f"set server thaw_app/{server} state {state}")
        assert not answer.strip(), answer

    def retries(self) -> dict[str, int]:
        """Requests sent again by HAProxy so far: retries and redispatches over all backends."""
        rows = [row for (_, server), row in self.stats().items() if server == "BACKEND"]
        return {
            "retried": sum(int(row["wretr"] or 0) for row in rows),
            "redispatched": sum(int(row["wredis"] or 0) for row in rows),
        }


@dataclass
class Cluster:
    servers: list[AppServer]
    balancer: Balancer
    cert: Path
    env: dict[str, str]
    database: Database
    data: dict
    folder: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.balancer.url

    def server(self, name: str) -> AppServer:
        return next(s for s in self.servers if s.name == name)

    def client(self, *, session_key: str = "") -> Student:
        """A browser talking to the balancer (HTTPS, its own cookies)."""
        student = Student(
            self.url, session_key=session_key, cookie_name=self.data["session_cookie"]
        )
        student.http.verify = str(self.cert)
        student.http.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify`
        # Browsers send Origin on a POST; Django checks it over HTTPS (CSRF).
        student.http.headers["Origin"] = self.url
        return student

    def direct(self, server: AppServer, path: str, *, session_key: str) -> requests.Response:
        """GET `path` from one app server, not through the balancer, as that session."""
        return requests.get(
            server.url + path,
            headers={
                "X-Forwarded-Proto": "https",
                "Cookie": f"{self.data['session_cookie']}={session_key}",
            },
            allow_redirects=False,
            timeout=30,
        )

    def stop(self) -> None:
        self.balancer.stop()
        for server in self.servers:
            server.kill()
        _drop_database(self.env["DATABASE_URL"])


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def fresh_database(url: str, name: str = DATABASE) -> str:
    """Drop and create database `name` on the server of `url`; its URL."""
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path[1:]} WITH (FORCE)")


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def app_servers(
    folder: Path, *, database_url: str, cache_url: str, count: int, workers: int
) -> list[AppServer]:
    """`count` app hosts' settings (deploy/thaw.env's keys), each with its own VAR_DIR and
    copy of corpus/data; one SECRET_KEY for all, as the deployment guide says."""
    shared = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    shared.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "1",
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "TRUSTED_PROXIES": "127.0.0.1",
            "THAW_WORKERS": str(workers),
        }
    )
    servers = []
    for n in range(1, count + 1):
        name, port = f"app{n}", free_port()
        data_dir = folder / name / "corpus-data"  # this host's checkout of corpus/data
        shutil.copytree(ROOT / "corpus" / "data", data_dir)
        env = {
            **shared,
            "THAW_VAR_DIR": str(folder / name / "var"),
            "THAW_BIND": f"127.0.0.1:{port}",
            "THAW_CORPUS_DATA_DIR": str(data_dir),
        }
        missing = env_file_keys() - set(env)
        assert not missing, f"deploy/thaw.env names settings the tests do not set: {missing}"
        servers.append(AppServer(name, port, env, folder / f"{name}.log"))
    return servers


def share_static_files(servers: list[AppServer]) -> None:
    """Every host has its own static files. collectstatic writes the same files on each
    (the same code, so the same hashed names): app1's are collected and copied, since
    compressing them once per host cost more than the rest of the set-up."""
    first = Path(servers[0].env["THAW_VAR_DIR"]) / "static"
    manage(servers[0].env, "collectstatic", "--noinput", "--verbosity", "0")
    for server in servers[1:]:
        shutil.copytree(first, Path(server.env["THAW_VAR_DIR"]) / "static")


def start_balanced(folder: Path, servers: list[AppServer]) -> tuple[Balancer, Path]:
    """Start the app servers, then HAProxy in front of them; (the balancer, its certificate)."""
    pem, cert = make_certificate(folder)
    https_port, http_port = free_port(), free_port()
    config = folder / "haproxy.cfg"
    config.write_text(
        haproxy_config(
            https_port=https_port,
            http_port=http_port,
            servers={s.name: s.port for s in servers},
            cert=pem,
            folder=folder,
        )
    )
    balancer = Balancer(
        config, folder / "admin.sock", https_port, http_port, folder / "haproxy.log"
    )
    try:
        for server in servers:  # all at once: each takes seconds to import Django
            server.start(wait=False)
        for server in servers:
            server.wait_serving()
        balancer.start()
        for server in servers:
            balancer.wait_status(server.name, "UP")
    except BaseException:
        balancer.stop()
        for server in servers:
            server.kill()
        raise
    return balancer, cert


def start_cluster(folder: Path, *, count: int = 3, workers: int = 2) -> Cluster:
    """Everything above, seeded: the JSON of tests.reliability.server's seed plus a curator."""
    services_up()
    base = os.environ.get("DATABASE_URL", "")
    database_url = fresh_database(base if base.startswith("postgres") else POSTGRES_URL)
    empty_redis(REDIS_URL)
    servers = app_servers(
        folder, database_url=database_url, cache_url=REDIS_URL, count=count, workers=workers
    )
    first = servers[0].env
    timings: dict[str, float] = {}

    def timed(step: str, started: float) -> None:
        timings[step] = time.monotonic() - started

    started = time.monotonic()
    manage(first, "migrate", "--noinput")
    timed("migrate", started)
    started = time.monotonic()
    manage(first, "load_corpus")  # from app1's files, the data-files host's
    timed("load_corpus", started)
    started = time.monotonic()
    share_static_files(servers)
    timed("collectstatic", started)
    started = time.monotonic()
    seed_file = folder / "seed.json"
    subprocess.run(
        [sys.executable, "-m", "tests.multiserver.cluster", "seed", str(seed_file)],
        cwd=ROOT,
        env={**first, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    timed("seed", started)
    started = time.monotonic()
    try:
        balancer, cert = start_balanced(folder, servers)
    except BaseException:
        _drop_database(database_url)
        raise
    timed("servers", started)
    shared = {k: v for k, v in first.items() if k not in {"THAW_VAR_DIR", "THAW_BIND"}}
    return Cluster(
        servers,
        balancer,
        cert,
        shared,
        Database(url=database_url),
        json.loads(seed_file.read_text()),
        folder,
        timings,
    )


# --- Seeding (run in a subprocess with the servers' settings) ----------------------------


def seed(out: str) -> None:
    """tests.reliability.server's class of fifty (sessions, quizzes), a curator, a quiz to edit."""
    from tests.reliability import server as reliability

    reliability.seed(out)  # sets Django up
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from lessons.accounts.roles import CURATORS, ensure_role_groups
    from quizzes.models import Question
    from tests.benchmarks.prepare import logged_in_session
    from tests.factories import make_passage, make_question, make_quiz, make_user

    data = json.loads(Path(out).read_text())
    ensure_role_groups()
    curator = make_user(username="ms-curator", is_staff=True, password=reliability.PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS))
    passage = make_passage(text="A passage whose question a curator corrects.")
    options = [{"id": i, "text": f"Option {i.upper()}"} for i in "abcd"]
    question = make_question(
        passage=passage,
        options=options,
        answer=["a"],
        stem="Which option did the first draft of this question name?",
        status=Question.Status.PUBLISHED,
    )
    quiz = make_quiz(questions=[question])
    # The rolling restart's class repeats a short quiz until every server has restarted.
    rolling = [
        make_question(passage=passage, options=options, answer=["abcd"[n % 4]]) for n in range(8)
    ]
    data.update(
        {
            "rolling": {
                "pk": make_quiz(questions=rolling).pk,
                "questions": [q.pk for q in rolling],
            },
            "curator": {
                "username": curator.username,
                "session": logged_in_session(curator, SessionStore),
            },
            "edited": {"quiz": quiz.pk, "question": question.pk},
        }
    )
    Path(out).write_text(json.dumps(data))


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return match[1]


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed(sys.argv[2])
    else:
        raise SystemExit("usage: python -m tests.multiserver.cluster seed OUT.json")
