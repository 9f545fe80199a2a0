"""Browser tests: Playwright drives Debian's Chromium against a real Thaw server.

The server is gunicorn with production settings (DEBUG off, whitenoise, collected
static files) on a fresh SQLite database in a temporary directory, set up once per
session with the same commands `make run` uses. Every request the browser makes to
a host other than 127.0.0.1 is aborted and fails the test: Thaw needs no network.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.benchmarks.server import manage
from tests.browser.layout import LAYOUT_GUARD, PHONE

ROOT = Path(__file__).resolve().parents[2]
# Generous: CI's two cores also run the server; a slow page is not a broken one.
expect.set_options(timeout=15_000)
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("thaw-browser")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DEBUG": "0", "THAW_VAR_DIR": str(var_dir), "ALLOWED_HOSTS": "127.0.0.1"})
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    for command in ("load_corpus", "load_lessons", "generate_questions", "seed_demo"):
        manage(env, command)
    return env


@pytest.fixture(scope="session")
def base_url(server_env) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the Thaw test server did not start") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser; flags as this machine needs them.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _guarded(page, request):
    stray: list[str] = []
    errors: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            stray.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    # Every page this test opens is checked for sideways scrolling (and, on a phone, for
    # small tap targets); a finding is a console error, which fails the test below.
    page.add_init_script(LAYOUT_GUARD)
    page.on(
        "console",
        lambda msg: errors.append(f"{msg.text} at {msg.location}") if msg.type == "error" else None,
    )
    page.set_default_timeout(10_000)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    assert not stray, f"requests left 127.0.0.1: {stray}"
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def offline_page(page, base_url, request):
    """A page that fails the test on any request leaving 127.0.0.1 or any console error."""
    yield from _guarded(page, request)


def _phone_context(browser, **options):
    # A phone-sized window with touch; not Playwright's is_mobile, whose window grows to
    # fit a page that is too wide (so overflow could never be seen).
    return browser.new_context(viewport=PHONE, has_touch=True, device_scale_factor=2, **options)


@pytest.fixture
def phone_page(browser, base_url, request):
    """Like `offline_page`, in a 360 x 780 phone-sized window."""
    context = _phone_context(browser)
    page = context.new_page()
    yield from _guarded(page, request)
    context.close()


@pytest.fixture(params=["desktop", "phone"])
def sized_page(request, browser, base_url):
    """`offline_page` at desktop size, then in a phone-sized window: a test using it runs
    twice. `sized_page.size` says which ("desktop" or "phone")."""
    if request.param == "desktop":
        page = request.getfixturevalue("page")
        page.size = "desktop"
        yield from _guarded(page, request)
        return
    context = _phone_context(browser)
    page = context.new_page()
    page.size = "phone"
    yield from _guarded(page, request)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def save_screenshot(page, name: str) -> None:
    """Screenshots of the main pages, shown in the README.

    Written only when THAW_WRITE_SCREENSHOTS=1 (`make test` sets it): a plain `pytest`
    must leave the checkout as it found it (`git status` clean).
    """
    if os.environ.get("THAW_WRITE_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


# Built in the server's database, beside the generated quizzes: one published question
# of every type in the bank (so a journey answers each kind at least once), and a short
# test-mode quiz whose results page reveals the answers at the end.
_BUILD_QUIZZES = """
import json
from quizzes.models import Question, Quiz, QuizItem

def build(key, title, mode, questions):
    quiz = Quiz.objects.create(key=key, title=title, kind=Quiz.Kind.CUSTOM, mode=mode)
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, question=q, position=n) for n, q in enumerate(questions, 1)
    )
    return quiz.pk

bank = Question.objects.published().exclude(explanation_quote="").order_by("pk")
types = sorted(set(Question.objects.published().values_list("type", flat=True)))
every = [bank.filter(type=t).first() or Question.objects.published().filter(type=t).first() for t in types]
short = [bank.filter(type="chronology").first(), bank.filter(type="true_false").first()]
print(json.dumps({
    "every_type": build("browser-every-type", "Every kind of question", Quiz.Mode.PRACTICE, every),
    "test_mode": build("browser-test-mode", "A short test", Quiz.Mode.TEST, short),
    "types": types,
}))
"""


@pytest.fixture(scope="session")
def built_quizzes(server_env) -> dict:
    """{"every_type": pk, "test_mode": pk, "types": [every published question type]}."""
    from tests.browser.journeys import server_shell

    return server_shell(server_env, _BUILD_QUIZZES)


@pytest.fixture
def no_js_page(browser, base_url, request):
    """Like `offline_page`, in a context with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield from _guarded(page, request)
    context.close()


@pytest.fixture
def no_js_phone_page(browser, base_url, request):
    """A phone-sized window with JavaScript turned off."""
    context = _phone_context(browser, java_script_enabled=False)
    page = context.new_page()
    yield from _guarded(page, request)
    context.close()
