"""A new student's first session, in a real browser: sign up with the class code, read
lesson 1, take its quiz by keyboard, come back after a reload, see mastery.

The journey runs on a desktop screen and on a phone (360 px: the page guard checks every
page for sideways scrolling and small tap targets; the quiz's controls must be 44 px), and
again with JavaScript turned off, through the plain-HTML fallbacks.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.conftest import save_screenshot
from tests.browser.journeys import (
    answer_by_keyboard,
    expect_big_quiz_controls,
    expect_feedback,
    next_question,
    question_total,
    sign_up,
    tab_to,
)
from tests.browser.layout import overflow

pytestmark = pytest.mark.slow

LESSON_1 = "/lessons/the-secret-speech/"


def test_new_student_reads_lesson_one_and_masters_its_quiz_by_keyboard(sized_page, base_url):
    page = sized_page
    phone = page.size == "phone"
    sign_up(page, base_url, f"browser-sasha-{page.size}")
    expect(page.locator(".dashboard-welcome")).to_contain_text("start with Lesson 1")
    assert axe_violations(page) == []  # the empty dashboard
    # Joining another class with a wrong code: htmx swaps the class list, the error is
    # announced and tied to the field, which keeps the focus.
    join = page.get_by_label("Join another class")
    join.focus()
    page.keyboard.type("NOPE0000")
    page.keyboard.press("Enter")
    expect(page.locator("#join-code-error")).to_have_text(
        "No class has this join code. Check it with your teacher."
    )
    expect(join).to_have_attribute("aria-invalid", "true")
    expect(join).to_have_attribute("aria-describedby", re.compile(r"^join-code-error\b"))
    expect(join).to_be_focused()
    assert axe_violations(page) == []

    # A glossary term opens its popover by keyboard; Escape closes it, focus returns.
    page.goto(base_url + LESSON_1)
    if phone:
        save_screenshot(page, "phone-lesson")
    term = page.locator("article a.term[data-term='stalin']").first
    term.focus()
    page.keyboard.press("Enter")
    card = page.locator("#term-popover .term-card")
    expect(card).to_be_focused()
    expect(card.get_by_role("heading")).to_have_text("Joseph Stalin")
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(term).to_be_focused()
    # ... and so does its close button, reached with Tab and pressed with Enter.
    page.keyboard.press("Enter")
    expect(card).to_be_focused()
    tab_to(page, "#term-popover .term-card-close")
    page.keyboard.press("Enter")
    expect(card).to_have_count(0)
    expect(term).to_be_focused()

    # The end-of-lesson quiz, in practice mode, by keyboard only.
    # (The lesson has a hundred links before its quiz button: focus it directly.)
    page.get_by_role("button", name="Take the end-of-lesson quiz").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/$"))
    tab_to(page, "#quiz-panel button[type=submit]")
    page.keyboard.press("Enter")
    heading = page.locator("#question-card-heading")
    expect(heading).to_contain_text("Question 1")
    total = question_total(page)
    attempt_url = page.url
    kinds = set()
    highlighted = False  # the passage with the answer's words in <mark>, seen at least once
    read_in_context = False  # "Read it in context" followed once
    for position in range(1, total + 1):
        expect(heading).to_contain_text(f"Question {position} ")
        if phone:
            expect_big_quiz_controls(page)
            if position == 1:
                page.locator("#question-card").evaluate("e => e.scrollIntoView()")
                save_screenshot(page, "phone-question")
        kinds.add(answer_by_keyboard(page, js=True))
        expect_feedback(page, js=True)
        # The evidence: the passage quoted, or the timeline or glossary entry that a
        # question without a passage rests on.
        evidence = "#question-card :is(.evidence blockquote, .evidence-entry)"
        expect(page.locator(evidence).first).to_be_visible()
        if not highlighted and page.locator("#question-card .evidence mark").count():
            highlighted = True
            expect(page.locator("#question-card .evidence mark")).to_be_visible()
            page.locator("#question-card").evaluate("e => e.scrollIntoView()")
            if not phone:
                save_screenshot(page, "feedback")
            assert axe_violations(page) == []  # practice feedback, swapped in by htmx
        has_context = page.locator("#question-card .context-link").count()
        if not read_in_context and has_context and position < total:
            read_in_context = True
            # "Read it in context" leads to the passage itself.
            tab_to(page, "#question-card .context-link")
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(r"/sources/[\w-]+/#p-[0-9a-f]+$"))
            anchor = page.url.rsplit("#", 1)[1]
            expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
            # Coming back picks up at the first unanswered question.
            page.goto(attempt_url)
            expect(heading).to_contain_text(f"Question {position + 1} ")
            continue
        if position == 2:
            page.reload()  # mid-quiz: the answer was saved, the next question waits
            expect(heading).to_contain_text("Question 3 ")
            continue
        next_question(page, js=True)
    assert highlighted and read_in_context
    page.keyboard.press("Enter")  # "Finish and see results" has the focus
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile(rf"You scored \d+ out of {total}")
    )
    assert axe_violations(page) == []  # practice results with every answer

    page.goto(base_url + "/dashboard/")
    lesson_row = page.locator(".mastery-table tbody tr").first
    expect(lesson_row.locator("td.num")).to_have_text(re.compile(r"^\d+%$"))
    expect(lesson_row).to_contain_text(f"of {total} questions")
    expect(page.locator(".history-table")).to_contain_text("End-of-lesson quiz")
    expect(page.locator(".mastery-chart svg")).to_be_visible()
    if phone:
        # Each lesson's row fits the screen, its quiz button in reach (it was off the edge).
        lesson_row.scroll_into_view_if_needed()
        retake = lesson_row.get_by_role("button", name=re.compile("Retake quiz"))
        expect(retake).to_be_in_viewport(ratio=1)
        page.locator("#mastery-heading").evaluate("e => e.scrollIntoView()")
        save_screenshot(page, "phone-dashboard")
    else:
        page.locator(".dashboard-stats").evaluate("e => e.scrollIntoView()")
        save_screenshot(page, "dashboard")
    assert overflow(page) == 0
    assert axe_violations(page) == []  # the dashboard with data


def test_new_student_journey_works_without_javascript(no_js_page, base_url):
    page = no_js_page
    sign_up(page, base_url, "browser-misha")

    # A glossary term is a plain link to its entry.
    page.goto(base_url + LESSON_1)
    page.locator("article a.term[data-term='stalin']").first.click()
    expect(page).to_have_url(re.compile(r"/glossary/stalin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Joseph Stalin")

    # Search is a plain form.
    page.goto(base_url + "/search/")
    page.get_by_label("Words to find").fill("Yagoda")
    page.keyboard.press("Enter")
    expect(page.locator("#search-results .result").first).to_be_visible()

    # The lesson quiz: each answer is a form post, then the feedback page.
    page.goto(base_url + LESSON_1)
    page.get_by_role("button", name="Take the end-of-lesson quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    heading = page.locator("#question-card-heading")
    total = question_total(page)
    for position in range(1, total + 1):
        expect(heading).to_contain_text(f"Question {position} ")
        answer_by_keyboard(page, js=False)
        expect_feedback(page, js=False)
        if position == 2:
            page.reload()  # the feedback page of question 2 stays put ...
            expect_feedback(page, js=False)
            page.goto(page.url.split("?")[0])  # ... the attempt page resumes at question 3
            continue
        next_question(page, js=False)
    page.get_by_role("button", name="Finish and see results").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("You scored")

    page.goto(base_url + "/dashboard/")
    expect(page.locator(".mastery-table tbody tr").first.locator("td.num")).to_have_text(
        re.compile(r"^\d+%$")
    )
