"""Teaching like a history teacher (issue 13), in a real browser: a student answers a
section's check for understanding in place and writes the lesson's source-analysis task,
then their teacher reads the written answers on the class page. At a phone's width too,
and with JavaScript turned off.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.journeys import log_in, sign_up

pytestmark = pytest.mark.slow

LESSONS = [
    "/lessons/the-secret-speech/",
    "/lessons/the-leak-to-the-west/",
    "/lessons/the-june-resolution/",
    "/lessons/reception-and-aftermath/",
]
ANSWERS = {
    "sourcing": "Document B is a memory written fifty years later by the reporter himself.",
    "contextualization": "The censor had stopped the first report, so he sent it from Sweden.",
    "corroboration": "Rettie was told in early March; the story appeared in mid-March.",
    "close_reading": "'Now' shows he came to suspect the KGB only later.",
}


def no_horizontal_overflow(page) -> None:
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the screen"


def answer_first_check(page, *, js: bool) -> str:
    card = page.locator("article.check-card").first
    card_id = card.get_attribute("id")
    card.locator("input[type=radio]").first.check()
    card.get_by_role("button", name="Check answer").click()
    card = page.locator(f"#{card_id}")
    expect(card.locator(".feedback-heading")).to_have_text(re.compile(r"Correct|Not quite"))
    # What it rests on, after answering: the passage, or the timeline or glossary entry.
    expect(card.locator(".evidence, .evidence-entry").first).to_be_visible()
    if js:
        expect(card.locator(".feedback-heading")).to_be_focused()
    return card_id


def test_student_answers_checks_and_writes_a_task_and_the_teacher_reads_it(
    offline_page, base_url, browser
):
    page = offline_page
    for path in LESSONS:
        page.goto(base_url + path)
        expect(page.locator("article.check-card").first).to_be_visible()
        assert 2 <= page.locator("#source-task .task-document").count() <= 3
        assert page.locator("#source-task .task-step").count() == 4
        # A visitor is asked to log in, and is shown no answer.
        expect(page.get_by_role("link", name="Log in to check your answer").first).to_be_visible()
        assert page.locator("article.check-card .feedback").count() == 0

    sign_up(page, base_url, "browser-historian", name="Lena H.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + LESSONS[1])
    url = page.url
    answer_first_check(page, js=True)
    assert page.url == url  # swapped in place, no page load
    no_horizontal_overflow(page)

    task = page.locator("#source-task")
    task.scroll_into_view_if_needed()
    for n, text in enumerate(ANSWERS.values()):
        task.locator("textarea").nth(n).fill(text)
    task.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#source-task [role=status]")).to_contain_text("Your answers are saved")
    page.reload()
    expect(page.locator("#source-task textarea").first).to_have_value(ANSWERS["sourcing"])
    page.locator("#source-task").get_by_role("button", name="Hand in to my teacher").click()
    expect(page.locator("#source-task")).to_contain_text("You handed this in on")
    expect(page.locator("#source-task textarea")).to_have_count(0)
    no_horizontal_overflow(page)
    assert axe_violations(page) == []

    # The teacher of the demo class, which the student joined with its code.
    teacher = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher_page = teacher.new_page()
    log_in(teacher_page, base_url, "teacher", "thaw-teacher-1956")
    teacher_page.goto(base_url + "/teach/")
    teacher_page.get_by_role("link", name=re.compile("Demo class")).first.click()
    teacher_page.get_by_role("link", name="Written answers").click()
    teacher_page.get_by_role("link", name="The leak to the West").click()
    answer = teacher_page.locator("article.written-answer", has_text="Lena H.")
    for text in ANSWERS.values():
        expect(answer).to_contain_text(text)
    assert axe_violations(teacher_page) == []
    teacher_page.set_viewport_size({"width": 390, "height": 844})
    no_horizontal_overflow(teacher_page)
    teacher.close()


def test_checks_and_tasks_work_without_javascript(no_js_page, base_url):
    page = no_js_page
    sign_up(page, base_url, "browser-nojs-historian", name="Oleg N.")
    page.goto(base_url + LESSONS[0])
    card_id = answer_first_check(page, js=False)
    assert page.url.endswith(f"{LESSONS[0]}#{card_id}")  # back at the card after a redirect
    task = page.locator("#source-task")
    task.locator("textarea").first.fill("Khrushchev, to the delegates, in February 1956.")
    task.get_by_role("button", name="Hand in to my teacher").click()
    # Three steps are empty: the page says so and keeps what was typed.
    expect(page.locator("#source-task")).to_contain_text("Write an answer to this step")
    expect(page.locator("#source-task textarea").first).to_have_value(
        "Khrushchev, to the delegates, in February 1956."
    )
    page.locator("#source-task").get_by_role("button", name="Save my answers").click()
    expect(page.locator(".messages")).to_contain_text("Your answers are saved")
    expect(page.locator("#source-task textarea").first).to_have_value(
        "Khrushchev, to the delegates, in February 1956."
    )
