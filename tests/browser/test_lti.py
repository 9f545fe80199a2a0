"""Thaw inside an LMS's iframe (issue 18): the test LMS (tests/lessons/lti/platform.py) on
127.0.0.1 holds Thaw in an iframe, as Moodle and Canvas do. A teacher adds a lesson's quiz
by deep linking; a student launched into the course takes it; the LMS receives one score."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.benchmarks.server import manage
from tests.lessons.lti.platform import CLIENT_ID, DEPLOYMENT_ID, Member, Platform

# Chromium declines programmatic focus inside a frame of another origin (htmx moving the
# focus to the next question) and says so on the console; in the LMS's frame the quiz works
# the same, so this note, and only it, is not counted as an error here.
FOCUS_NOTE = "Blocked autofocusing on a"


@pytest.fixture
def lms_page(page, request):
    """Like `offline_page`: no request leaves 127.0.0.1, no console error (but FOCUS_NOTE)."""
    from urllib.parse import urlparse

    stray: list[str] = []
    errors: list[str] = []

    def guard(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            stray.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and FOCUS_NOTE not in msg.text else None
        ),
    )
    page.set_default_timeout(10_000)
    page.expected_errors = []  # a test that opens a refused page on purpose says so
    yield page
    assert not stray, f"requests left 127.0.0.1: {stray}"
    errors = [e for e in errors if not any(x in e for x in page.expected_errors)]
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def lms(base_url, server_env):
    platform = Platform(
        tool_launch_url=f"{base_url}/lti/launch/",
        tool_login_url=f"{base_url}/lti/login/",
        tool_jwks_url=f"{base_url}/lti/jwks.json",
        members=[
            Member("teacher-7", "Tatiana Frame", role="Instructor"),
            Member("student-7", "Stepan Frame"),
        ],
    ).start()
    fields = platform.registration_fields()
    manage(
        server_env,
        "lti_register",
        f"--name={fields['name']}",
        f"--issuer={fields['issuer']}",
        f"--client-id={CLIENT_ID}",
        f"--auth-url={fields['auth_url']}",
        f"--token-url={fields['token_url']}",
        f"--jwks-url={fields['keyset_url']}",
        f"--deployment={DEPLOYMENT_ID}",
    )
    yield platform
    platform.stop()


def _answer_everything(frame) -> None:
    """Answer each question of a test with its first option, then finish."""
    finish = frame.get_by_role("button", name="Finish and see results")
    answer = frame.locator("#question-card .answer-button")
    for _ in range(40):
        expect(answer.or_(finish).first).to_be_visible()
        if finish.is_visible():
            finish.click()
            return
        heading = frame.locator("#question-card-heading").text_content()
        radios = frame.locator("#question-card input[type=radio][name=choice]")
        if radios.count():
            radios.first.check()
        answer.click()
        expect(frame.locator("#question-card-heading").or_(finish).first).not_to_have_text(heading)
    raise AssertionError("the test never offered to finish")


def test_a_teacher_places_a_quiz_and_a_student_in_the_lms_frame_takes_it_and_one_score_arrives(
    lms_page, lms
):
    page = lms_page
    # The teacher adds Thaw work to the course: the LMS opens Thaw's picker in its frame.
    page.goto(f"{lms.url}/course?user=teacher-7&message=deep-link")
    tool = page.frame_locator("#tool")
    expect(tool.get_by_role("heading", name="Add Thaw work to your course")).to_be_visible()
    tool.get_by_role("radio", name=re.compile(r"Quiz: ")).first.check()
    expect(tool.get_by_role("radio", name=re.compile(r"Test"))).to_be_checked()
    tool.get_by_role("button", name="Add to the course").click()
    # Thaw's answer goes back to the LMS by itself (lti-return.js), inside the frame.
    expect(tool.locator("#added")).to_have_text("Added to the course.")
    [item] = lms.deep_link_items
    [line] = lms.lineitems.values()
    assert line["resourceId"] == f"thaw-assignment-{item['custom']['thaw_assignment']}"
    assert not lms.problems

    # A student opens the link in the course: signed in, in the frame, on the quiz.
    page.context.clear_cookies()
    page.goto(f"{lms.url}/course?user=student-7&message=resource:link-dl-1")
    tool = page.frame_locator("#tool")
    start = tool.locator("#quiz-panel button[type=submit]")
    expect(start).to_be_visible()
    expect(tool.locator(".site-header")).to_contain_text("Stepan Frame")
    start.click()
    _answer_everything(tool)
    results = tool.locator("#results-heading")
    expect(results).to_contain_text("You scored")
    given, asked = map(int, re.findall(r"\d+", results.text_content()))
    deadline = time.monotonic() + 10
    while not lms.scores and time.monotonic() < deadline:
        time.sleep(0.1)
    [score] = lms.scores
    assert score["userId"] == "student-7" and score["gradingProgress"] == "FullyGraded"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (given, asked)  # what Thaw showed
    assert asked == line["scoreMaximum"]
    time.sleep(0.5)
    assert len(lms.scores) == 1 and not lms.problems


def test_a_student_launched_in_the_frame_is_refused_the_teacher_pages_with_a_page(
    lms_page, lms, base_url
):
    page = lms_page
    page.goto(f"{lms.url}/course?user=student-7")
    tool = page.frame_locator("#tool")
    expect(
        tool.get_by_role("heading", name="Your dashboard").or_(tool.locator("main h1")).first
    ).to_be_visible()
    page.expected_errors.append("status of 403")  # the refusal below, and only it
    page.goto(f"{base_url}/lti/pick/")
    expect(page.get_by_role("heading", name="Thaw could not open this for you")).to_be_visible()
    expect(page.get_by_text("when a teacher adds Thaw work")).to_be_visible()
