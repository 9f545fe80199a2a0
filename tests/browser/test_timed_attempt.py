"""A timed attempt in the browser: when the countdown reaches zero the answer on screen
is sent and the attempt finished, so nothing the student chose is lost (issue #8); and
the timer speaks to screen readers only at its warnings, never every second."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.journeys import server_shell, sign_up

pytestmark = pytest.mark.slow

# A one-minute test of two true/false questions, and the student's attempt at it
# started long enough ago that the time limit ends SECONDS_LEFT from now.
_START_TIMED_ATTEMPT = """
import datetime, json
from django.contrib.auth.models import User
from django.utils import timezone
from quizzes.models import Question, Quiz, QuizItem
from quizzes.taking import start_attempt

quiz, created = Quiz.objects.get_or_create(
    key="browser-timed-test",
    defaults={"title": "A one-minute test", "kind": Quiz.Kind.CUSTOM, "mode": Quiz.Mode.TEST,
              "time_limit_minutes": 1},
)
if created:
    questions = Question.objects.published().filter(type="true_false").order_by("pk")[:2]
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, question=q, position=n) for n, q in enumerate(questions, 1)
    )
now = timezone.now()
attempt = start_attempt(
    quiz=quiz, user=User.objects.get(username="%(username)s"),
    now=now - datetime.timedelta(seconds=60 - %(seconds_left)s),
)
print(json.dumps({"attempt": attempt.pk, "deadline": attempt.deadline_at.isoformat()}))
"""

_ATTEMPT_ROWS = """
import json
from quizzes.models import Attempt
attempt = Attempt.objects.get(pk=%(pk)s)
print(json.dumps({
    "attempts": Attempt.objects.filter(user=attempt.user, quiz=attempt.quiz).count(),
    "finished": attempt.is_finished,
    "closed_by_deadline": attempt.closed_by_deadline,
    "answered_count": attempt.answered_count,
    "answers": {str(q): a for q, a in attempt.responses.values_list("question_id", "answer")},
    "question_ids": attempt.question_ids,
}))
"""


def start_timed_attempt(server_env, username: str, *, seconds_left: int) -> dict:
    return server_shell(
        server_env, _START_TIMED_ATTEMPT % {"username": username, "seconds_left": seconds_left}
    )


def test_an_attempt_whose_time_runs_out_is_submitted_with_the_chosen_answer(
    offline_page, base_url, server_env
):
    page = offline_page
    sign_up(page, base_url, "browser-timed-tanya", name="Tanya")
    posts: list[str] = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )
    # A few seconds: enough to open the page and choose, not enough to press Save.
    attempt = start_timed_attempt(server_env, "browser-timed-tanya", seconds_left=4)
    page.goto(f"{base_url}/attempts/{attempt['attempt']}/")
    expect(page.locator(".quiz-countdown")).to_have_text(re.compile(r"\(0:0\d left\)"))
    chosen = page.locator("#question-card input[type=radio]").first
    chosen.check()
    choice = chosen.get_attribute("value")

    # At zero: the answer is sent, the attempt finished, the results shown.
    results = page.get_by_role("heading", level=1)
    expect(results).to_contain_text("You scored", timeout=15_000)
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt['attempt']}/review/$"))
    expect(page.locator(".attempt-results")).to_contain_text(
        "Time ran out, so the attempt was closed with the 1 answer you had given."
    )
    expect(page.locator(".review-item").first).not_to_contain_text("Not answered")
    expect(page.locator(".review-item").nth(1)).to_contain_text("Not answered")
    expect(page.locator(".messages")).to_have_count(0)  # no stray "answer saved" notice

    # Sent once each: one answer, one finish.
    answer_url = f"{base_url}/attempts/{attempt['attempt']}/answer/"
    finish_url = f"{base_url}/attempts/{attempt['attempt']}/finish/"
    assert posts == [answer_url, finish_url]
    rows = server_shell(server_env, _ATTEMPT_ROWS % {"pk": attempt["attempt"]})
    first = str(rows["question_ids"][0])
    assert rows["attempts"] == 1 and rows["finished"] and rows["closed_by_deadline"]
    assert rows["answered_count"] == 1 and rows["answers"] == {first: [choice]}
    assert axe_violations(page) == []


def test_the_timer_announces_its_warnings_once_not_every_second(offline_page, base_url, server_env):
    page = offline_page
    sign_up(page, base_url, "browser-timed-timur", name="Timur")
    # A fake clock in the page (the server keeps real time): five minutes pass in a moment.
    page.clock.install()
    attempt = start_timed_attempt(server_env, "browser-timed-timur", seconds_left=5 * 60 + 3)
    page.goto(f"{base_url}/attempts/{attempt['attempt']}/")
    countdown = page.locator(".quiz-timer .quiz-countdown")
    status = page.locator(".quiz-timer [role=status]")
    expect(countdown).to_have_attribute("aria-hidden", "true")
    assert countdown.get_attribute("aria-live") is None
    assert page.locator(".quiz-timer[aria-live], .quiz-timer [aria-live=assertive]").count() == 0
    expect(countdown).to_have_text(re.compile(r"\(5:0\d left\)"))
    expect(status).to_have_text("")  # nothing said at load: the page says when time ends
    assert axe_violations(page) == []

    page.clock.run_for(5_000)
    expect(status).to_have_text("5 minutes left.")
    seen = []
    for _ in range(3):  # the countdown ticks on; what is announced does not change
        page.clock.run_for(1_000)
        seen.append(countdown.text_content())
        expect(status).to_have_text("5 minutes left.")
    assert len(set(seen)) == 3
    page.clock.run_for(4 * 60_000)
    expect(status).to_have_text("1 minute left.")
    expect(page.locator(".quiz-timer")).to_have_class(re.compile(r"\bis-urgent\b"))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("You scored")
