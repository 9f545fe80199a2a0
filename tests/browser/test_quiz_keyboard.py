"""Every type of question in the bank, answered with the keyboard alone, with and without
JavaScript; and a test-mode quiz, whose answers are revealed only on the results page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.conftest import save_screenshot
from tests.browser.journeys import (
    answer_by_keyboard,
    expect_feedback,
    log_in,
    next_question,
    question_total,
    sign_up,
    start_quiz,
    tab_to,
)

pytestmark = pytest.mark.slow


def test_every_question_type_can_be_answered_by_keyboard(offline_page, base_url, built_quizzes):
    page = offline_page
    log_in(page, base_url, "student", "thaw-student-1956")
    start_quiz(page, base_url, built_quizzes["every_type"])
    # One question of each type in the bank: answering them all answers every type.
    assert question_total(page) == len(built_quizzes["types"]) >= 9
    save_screenshot(page, "quiz")
    assert axe_violations(page) == []  # the question page, as first loaded
    kinds = []
    for position in range(1, question_total(page) + 1):
        heading = page.locator("#question-card-heading")
        expect(heading).to_contain_text(f"Question {position} ")
        if position == 2:
            assert axe_violations(page) == []  # a question swapped in by htmx
            # Submitting with nothing chosen: the error is announced, takes the focus
            # and describes the group of choices.
            tab_to(page, "#question-card .answer-button")
            page.keyboard.press("Enter")
            error = page.locator("#question-error")
            expect(error).to_have_attribute("role", "alert")
            expect(error).to_be_focused()
            fieldset = page.locator("#question-card .question-form fieldset")
            expect(fieldset).to_have_attribute("aria-describedby", "question-error")
            assert axe_violations(page) == []
        kinds.append(answer_by_keyboard(page, js=True))
        expect_feedback(page, js=True)
        next_question(page, js=True)
    assert {"choice", "true_false", "ordering"} <= set(kinds)
    page.keyboard.press("Enter")  # "Finish and see results" has the focus
    expect(page.locator(".review-item")).to_have_count(len(kinds))


def test_every_question_type_can_be_answered_without_javascript(
    no_js_page, base_url, built_quizzes
):
    page = no_js_page
    sign_up(page, base_url, "browser-kolya", name="Kolya")
    start_quiz(page, base_url, built_quizzes["every_type"])
    kinds = []
    for position in range(1, question_total(page) + 1):
        expect(page.locator("#question-card-heading")).to_contain_text(f"Question {position} ")
        kinds.append(answer_by_keyboard(page, js=False))
        expect_feedback(page, js=False)
        expect(page).to_have_url(re.compile(rf"\?q={position}$"))
        next_question(page, js=False)
    assert {"choice", "true_false", "ordering"} <= set(kinds)
    page.get_by_role("button", name="Finish and see results").click()
    expect(page.locator(".review-item")).to_have_count(len(kinds))


def test_test_mode_saves_each_answer_then_reveals_them_on_the_results_page(
    offline_page, base_url, built_quizzes
):
    page = offline_page
    sign_up(page, base_url, "browser-lena", name="Lena")
    start_quiz(page, base_url, built_quizzes["test_mode"])
    heading = page.locator("#question-card-heading")
    total = question_total(page)
    for position in range(1, total + 1):
        answer_by_keyboard(page, js=True)
        # No feedback in a test: the saving is announced, the next card takes the focus.
        notice = page.locator("#question-card .quiz-notice[role=status]")
        expect(notice).to_have_text(f"Your answer to question {position} was saved.")
        expect(page.locator("#question-card .feedback")).to_have_count(0)
        if position < total:
            expect(heading).to_contain_text(f"Question {position + 1} ")
            expect(heading).to_be_focused()
    finish = page.get_by_role("button", name="Finish and see results")
    expect(finish).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile(rf"You scored \d+ out of {total}")
    )
    expect(page.locator(".review-item")).to_have_count(total)
    expect(page.locator(".review-item .answer-pair, .review-item .order-compare")).to_have_count(
        total
    )
    assert axe_violations(page) == []  # the test-mode results and review


def test_answering_after_resizing_the_report_box_breaks_no_content_security_policy(
    offline_page, base_url, built_quizzes
):
    """A student who drags the "Report a problem" box bigger gives it an inline style; the
    answer's swap used to copy it into the new card, which the CSP refused (a console
    error on every answer). `offline_page` fails the test on any console error."""
    page = offline_page
    sign_up(page, base_url, "browser-vera", name="Vera")
    start_quiz(page, base_url, built_quizzes["every_type"])
    page.locator("#question-card .report-problem summary").click()
    box = page.locator("#question-card .report-problem textarea")
    box.evaluate("e => { e.style.height = '7rem'; }")  # what dragging its corner does
    assert box.get_attribute("style")
    answer_by_keyboard(page, js=True)
    expect_feedback(page, js=True)
    next_question(page, js=True)
