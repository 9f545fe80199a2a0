"""Journeys without dead ends (issue 16 parts 2 and 3), in Chromium, on a desktop screen and
a phone (360 px, narrower than the 390 px the issue names: the page guard fails a test
on any sideways scrolling or small tap target), with axe on every page:

- a new student's first dashboard: only work they can still do, and a quiz that starts;
- Back and Forward in a quiz never bring back a question already answered;
- a teacher adds one student, assigns with a date in the past (confirmed, not silent),
  edits, extends and deletes the assignment, removes the student, and reads the
  gradebook's class row without scrolling for it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.journeys import answer_by_keyboard, log_in, sign_up, start_quiz
from tests.browser.layout import overflow

pytestmark = pytest.mark.slow

LESSON = "The leak to the West"


def _local(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_a_new_students_first_dashboard_offers_only_work_they_can_do(sized_page, base_url):
    page = sized_page
    # The demo class has a practice set that closed two days ago and a test due in four.
    sign_up(page, base_url, f"browser-first-{page.size}")
    work = page.locator("#class-list")
    expect(work.locator(".assigned-item")).to_have_count(1)
    expect(work.locator(".assigned-state")).to_have_text("To do")
    expect(work).to_contain_text("1 assignment was due before you joined")
    expect(work).not_to_contain_text("Late")
    expect(work).not_to_contain_text("Missed")
    expect(page.locator("#mastery-how")).to_contain_text("How mastery is worked out")
    assert overflow(page) == 0
    assert axe_violations(page) == []  # the first dashboard

    # Its quiz opens and can start; the intro speaks of the test's own clock.
    work.get_by_role("link", name=re.compile(r"^Take the quiz")).click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/$"))
    panel = page.locator("#quiz-panel")
    expect(panel.get_by_role("button", name="Start the quiz")).to_be_visible()
    expect(panel).to_contain_text("When your 20 minutes are up or the due date comes")
    expect(panel).not_to_contain_text("closed")
    assert axe_violations(page) == []


def _answer_first_and_reach_the_second(page, *, js: bool) -> None:
    heading = page.locator("#question-card-heading")
    expect(heading).to_contain_text("Question 1 ")
    answer_by_keyboard(page, js=js)
    expect(page.locator("#feedback-heading")).to_be_visible()
    page.locator("#question-card .next-button").click()
    expect(heading).to_contain_text("Question 2 ")


def test_back_and_forward_never_show_an_answered_question_as_open(
    offline_page, base_url, built_quizzes
):
    page = offline_page
    sign_up(page, base_url, "browser-back-forward")
    start_quiz(page, base_url, built_quizzes["every_type"])
    attempt_url = page.url
    _answer_first_and_reach_the_second(page, js=True)  # htmx swaps: one history entry
    page.locator(".quiz-header h1 a").click()  # the quiz's page
    expect(page.locator("#quiz-panel")).to_contain_text("Resume attempt")

    page.go_back()
    expect(page).to_have_url(attempt_url)
    # The card as it is now, not the first question as the page was first loaded.
    expect(page.locator("#question-card-heading")).to_contain_text("Question 2 ")
    expect(page.locator("#question-card .progress-label")).to_contain_text("1 of")
    page.go_forward()
    expect(page.locator("#quiz-panel")).to_contain_text("Resume attempt")
    expect(page.locator("#quiz-panel")).to_contain_text("1 of")
    page.go_back()
    expect(page.locator("#question-card-heading")).to_contain_text("Question 2 ")
    assert axe_violations(page) == []


def _no_open_question_one(page) -> None:
    """Question 1 was answered: wherever Back or Forward lands, it is not open again (its
    answer may show; a later question may be open)."""
    heading = page.locator("#question-card-heading")
    expect(heading).to_be_visible()
    if "Question 1 " in heading.text_content():
        expect(page.locator("#question-card form.question-form")).to_have_count(0)


def test_back_and_forward_without_javascript_never_reopen_an_answered_question(
    no_js_page, base_url, built_quizzes
):
    """Without JavaScript each move of an ordering, each answer and each Next is a page of
    its own: Back walks through them all (a move's page is sent again), and none shows
    question 1 open again."""
    page = no_js_page
    sign_up(page, base_url, "browser-back-forward-nojs")
    start_quiz(page, base_url, built_quizzes["every_type"])
    _answer_first_and_reach_the_second(page, js=False)
    steps = 0
    while "/attempts/" in page.url and steps < 8:
        page.go_back()
        steps += 1
        if "/attempts/" in page.url:
            _no_open_question_one(page)
    assert steps >= 3  # the feedback, the moves, the first page of the attempt
    while steps:
        page.go_forward()
        steps -= 1
        if "/attempts/" in page.url:
            _no_open_question_one(page)
    expect(page.locator("#question-card-heading")).to_contain_text("Question 2 ")


def _class_page(page, base_url, name: str) -> None:
    page.goto(base_url + "/teach/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_a_teacher_manages_an_assignment_and_adds_one_student(sized_page, base_url):
    page = sized_page
    class_name = f"Browser 10C {page.size}"
    title = f"Lesson: {LESSON}"
    log_in(page, base_url, "teacher", "thaw-teacher-1956")
    page.goto(base_url + "/teach/")
    page.get_by_label("Class name").fill(class_name)
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(class_name)

    # One student, by a form: the one-time password is shown once.
    page.get_by_role("link", name="Add one student").click()
    assert axe_violations(page) == []
    username = f"br10c.{page.size}.anna"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill("Anna Belova")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1 account created")
    expect(page.locator(".password-slip")).to_contain_text(username)
    page.get_by_role("button", name="Back to the class").click()
    expect(page.locator("#student-count")).to_have_text("(1)")

    # A due date in the past is questioned, then accepted when confirmed.
    page.get_by_role("navigation", name="Class pages").get_by_role(
        "link", name="New assignment"
    ).click()
    page.get_by_label("A lesson: reading plus its end-of-lesson quiz").check()
    page.get_by_label("Lesson", exact=True).select_option(label=LESSON)
    yesterday = datetime.datetime.now() - datetime.timedelta(days=1)
    page.get_by_label("Due", exact=True).fill(_local(yesterday))
    page.get_by_role("button", name=f"Assign to {class_name}").click()
    confirm = page.locator(".past-due-confirm")
    expect(confirm).to_contain_text("The due date has already passed")
    expect(page.locator(".field-error").first).to_contain_text("would be late")
    assert axe_violations(page) == []  # the question, before anything is made
    confirm.get_by_role("button", name="Assign with this date").click()
    expect(page).to_have_url(re.compile(r"/gradebook/$"))
    expect(page.locator(".messages")).to_contain_text(f"Assigned “{title}”")

    # Edit: a date still to come and two attempts.
    _class_page(page, base_url, class_name)
    page.get_by_role("link", name=f"Edit {title}").click()
    assert axe_violations(page) == []
    next_week = datetime.datetime.now() + datetime.timedelta(days=7)
    page.get_by_label("Due", exact=True).fill(_local(next_week))
    page.get_by_label("Attempts allowed").fill("2")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("changed due date, attempts allowed")

    # Extend for everyone.
    page.get_by_role("link", name=f"Extend {title}").click()
    assert axe_violations(page) == []
    page.get_by_label("New due date").fill(_local(next_week + datetime.timedelta(days=3)))
    page.get_by_role("button", name="Extend for everyone").click()
    expect(page.locator(".messages")).to_contain_text("is now due")

    # Delete: what goes is said first.
    page.get_by_role("link", name=f"Delete {title}").click()
    expect(page.locator(".teach-panel")).to_contain_text("No student has started it")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Delete the assignment").click()
    expect(page.locator(".messages")).to_contain_text("was deleted")
    expect(page.locator(".teach-list")).to_have_count(1)  # the teachers' list only
    expect(page.get_by_text("Nothing assigned yet.")).to_be_visible()

    # Removing the student: the row says so and the count follows (htmx, out of band).
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Anna Belova").click()
    expect(page.locator("[role=status]", has_text="was removed from the class")).to_be_focused()
    expect(page.locator("#student-count")).to_have_text("(0)")
    assert axe_violations(page) == []


def test_the_gradebooks_class_row_is_in_view_without_scrolling_for_it(sized_page, base_url):
    page = sized_page
    log_in(page, base_url, "teacher", "thaw-teacher-1956")
    page.goto(base_url + "/teach/")
    demo = page.locator(".teach-card").filter(has_text="Demo class")
    demo.get_by_role("link", name="Gradebook").click()
    scroller = page.locator(".gradebook-scroll")
    scroller.scroll_into_view_if_needed()
    box, foot = scroller.bounding_box(), page.locator(".gradebook tfoot tr").bounding_box()
    # The class row sits inside the scrolling box's visible part, however long the list.
    assert foot["y"] >= box["y"] and foot["y"] + foot["height"] <= box["y"] + box["height"] + 1
    expect(page.locator(".gradebook tfoot")).to_contain_text("Average")
    assert axe_violations(page) == []
