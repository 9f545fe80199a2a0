"""A teacher's term in the browser: create a class, import its roster, assign a lesson as
a test with a due date, then, once students have done it, read the gradebook, one
student's answers and the item analysis. axe checks every page and htmx state on the way.

The same steps run again with JavaScript turned off, through the plain forms.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.conftest import save_screenshot
from tests.browser.journeys import log_in, server_shell

pytestmark = pytest.mark.slow

LESSON = "The leak to the West"

# The roster students do the test as students do, through quizzes.taking: the first
# answers every question right, the second only the first one; the third never starts.
_STUDENTS_TAKE_THE_TEST = """
import json
from django.utils import timezone
from lessons.models import SchoolClass
from quizzes.grading import is_ordering
from quizzes.models import Question
from quizzes.taking import finish_attempt, record_answer, start_attempt

def wrong(question):
    if is_ordering(question.type):
        return list(reversed(question.answer))
    return [next(o["id"] for o in question.options if o["id"] not in question.answer)]

school_class = SchoolClass.objects.get(name=%(class_name)s)
assignment = school_class.assignments.get()
students = {m.student.username: m.student for m in school_class.memberships.all()}
now = timezone.now()
attempts, asked = {}, {}
for username, right in ((%(best)s, None), (%(second)s, 1)):
    attempt = start_attempt(quiz=assignment.quiz, user=students[username], now=now)
    asked[username] = attempt.question_ids
    questions = Question.objects.in_bulk(attempt.question_ids)
    for n, pk in enumerate(attempt.question_ids):
        question = questions[pk]
        answer = list(question.answer) if right is None or n < right else wrong(question)
        record_answer(attempt=attempt, question=question, answer=answer, now=now)
    attempts[username] = finish_attempt(attempt=attempt, now=now).pk
print(json.dumps({"assignment": assignment.pk, "attempts": attempts, "questions": asked}))
"""


def roster_csv(prefix: str) -> tuple[bytes, list[tuple[str, str]]]:
    students = [
        (f"{prefix}.anna", "Anna Belova"),
        (f"{prefix}.boris", "Boris Belov"),
        (f"{prefix}.vera", "Vera Belova"),
    ]
    lines = ["username,display_name", *(f"{u},{n}" for u, n in students)]
    return ("\n".join(lines) + "\n").encode(), students


def create_class(page, base_url, name: str) -> None:
    page.goto(base_url + "/teach/")
    page.get_by_label("Class name").fill(name)
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".messages")).to_contain_text(f"{name} is ready. Students join with")


def import_roster(page, prefix: str) -> list[tuple[str, str]]:
    open_class_tab(page, "Import roster")
    data, students = roster_csv(prefix)
    page.get_by_label("Roster CSV").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Import and create accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 accounts created")
    slips = page.locator(".password-slip")
    expect(slips).to_have_count(3)
    for n, (username, _name) in enumerate(students):
        expect(slips.nth(n)).to_contain_text(username)
    return students


def open_class_tab(page, name: str) -> None:
    tab = page.get_by_role("navigation", name="Class pages").get_by_role("link", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")


def assign_lesson_as_test(page, class_name: str) -> str:
    """On the assignment form: assign LESSON as a test due in a week; return how many
    questions the confirmation says each student draws from the lesson's pool."""
    page.get_by_label("A lesson: reading plus its end-of-lesson quiz").check()
    page.get_by_label("Lesson", exact=True).select_option(label=LESSON)
    due = datetime.datetime.now() + datetime.timedelta(days=7)
    page.get_by_label("Due", exact=True).fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Mode", exact=True).select_option("test")
    page.get_by_role("button", name=f"Assign to {class_name}").click()
    expect(page).to_have_url(re.compile(r"/teach/classes/\d+/gradebook/$"))
    message = page.locator(".messages")
    expect(message).to_contain_text(f"Assigned “Lesson: {LESSON}”")
    return re.search(r"Each student gets (\d+) questions drawn", message.text_content()).group(1)


def test_teacher_sets_a_test_and_reads_the_results(offline_page, base_url, server_env):
    page = offline_page
    class_name = "Browser 9A History"
    log_in(page, base_url, "teacher", "thaw-teacher-1956")
    page.goto(base_url + "/teach/")
    assert axe_violations(page) == []  # the class list, with the demo class
    create_class(page, base_url, class_name)
    assert axe_violations(page) == []  # a class with no students yet

    # Joining switched off and on, and a new code: htmx swaps the panel, says what
    # happened, and the pressed button keeps the focus.
    panel = page.locator("#join-panel")
    old_code = panel.locator(".join-code").text_content()
    page.get_by_role("button", name="Switch joining off").click()
    expect(panel.get_by_role("status")).to_have_text(
        "Joining is switched off: the code no longer lets anyone in."
    )
    expect(page.get_by_role("button", name="Switch joining on")).to_be_focused()
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    expect(panel.get_by_role("status")).to_have_text("Students can join with the code.")
    expect(page.get_by_role("button", name="Switch joining off")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())  # "Make a new code?"
    page.get_by_role("button", name="New code").click()
    expect(panel.get_by_role("status")).to_contain_text("The old one no longer works.")
    expect(panel.locator(".join-code")).not_to_have_text(old_code)
    expect(page.get_by_role("button", name="New code")).to_be_focused()
    assert axe_violations(page) == []

    students = import_roster(page, "br9a")
    assert axe_violations(page) == []  # the printable password slips
    page.get_by_role("button", name="Back to the class").click()
    expect(page.locator(".teach-table tbody tr")).to_have_count(3)

    open_class_tab(page, "New assignment")
    assert axe_violations(page) == []  # the assignment form
    questions = assign_lesson_as_test(page, class_name)
    assert axe_violations(page) == []  # the gradebook before anyone starts
    expect(page.locator(".gradebook .cell-status")).to_have_text(["Not started"] * 3)

    (best, best_name), (second, second_name), (_idle, idle_name) = students
    work = server_shell(
        server_env,
        _STUDENTS_TAKE_THE_TEST
        % {
            "class_name": json.dumps(class_name),
            "best": json.dumps(best),
            "second": json.dumps(second),
        },
    )

    # The gradebook: a status and a score in each student's cell, and the class average.
    page.reload()
    rows = page.locator(".gradebook tbody tr")
    second_percent = round(100 / int(questions))
    for name, status, score in [
        (best_name, "Done", "100%"),
        (second_name, "Done", f"{second_percent}%"),
        (idle_name, "Not started", None),
    ]:
        row = rows.filter(has=page.get_by_role("rowheader", name=name))
        expect(row.locator(".cell-status")).to_have_text(status)
        if score:
            expect(row.locator(".cell-score")).to_have_text(score)
        else:
            expect(row.locator(".cell-score")).to_have_count(0)
    expect(page.locator(".gradebook tfoot")).to_contain_text("2 of 3 done")
    save_screenshot(page, "teacher-gradebook")
    assert axe_violations(page) == []

    # One student's answers, every one with the key beside it.
    page.get_by_role("link", name=second_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second_name)
    assert axe_violations(page) == []  # the student's work
    page.get_by_role("link", name="Answers of attempt 1").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{work['attempts'][second]}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{second_name}: 1 out of {questions}"
    )
    expect(page.locator(".review-item")).to_have_count(int(questions))
    expect(page.locator(".review-item.is-right")).to_have_count(1)
    save_screenshot(page, "teacher-attempt")
    assert axe_violations(page) == []

    # The item analysis: the questions missed most come first, with what was chosen.
    page.get_by_role("link", name=class_name, exact=True).click()
    page.get_by_role("link", name=f"Item analysis for Lesson: {LESSON}").click()
    expect(page).to_have_url(re.compile(rf"/assignments/{work['assignment']}/items/$"))
    # Each student drew their own questions from the lesson's pool: the analysis lists
    # the questions someone answered (the two finished attempts' answers), most missed first.
    cards = page.locator(".item-card")
    answered = len(set(work["questions"][best]) | set(work["questions"][second]))
    expect(cards).to_have_count(answered)
    expect(cards.first.locator(".item-rate")).to_contain_text("100% wrong (1 of 1)")
    expect(cards.last.locator(".item-rate")).to_contain_text("0% wrong")
    expect(cards.locator(".option-table").first).to_be_visible()
    save_screenshot(page, "teacher-item-analysis")
    assert axe_violations(page) == []


def test_teacher_pages_work_without_javascript(no_js_page, base_url):
    page = no_js_page
    class_name = "Browser 9B History"
    log_in(page, base_url, "teacher", "thaw-teacher-1956")
    create_class(page, base_url, class_name)

    # The join panel's buttons are plain forms: each posts, then the page says what changed.
    page.get_by_role("button", name="Switch joining off").click()
    expect(page.locator(".messages")).to_have_text(
        "Joining is switched off: the code no longer lets anyone in."
    )
    expect(page.locator("#join-panel")).to_contain_text("the code lets no one in")
    page.get_by_role("button", name="New code").click()  # no confirm dialog without JS
    expect(page.locator(".messages")).to_contain_text("The old one no longer works.")

    import_roster(page, "br9b")
    page.get_by_role("button", name="Back to the class").click()
    open_class_tab(page, "New assignment")
    questions = assign_lesson_as_test(page, class_name)
    expect(page.locator(".gradebook .cell-status")).to_have_text(["Not started"] * 3)
    expect(page.locator(".gradebook thead")).to_contain_text("Test")
    assert int(questions) > 0

    # The demo class's work, read through plain links.
    page.goto(base_url + "/teach/")
    demo = page.locator(".teach-card").filter(has_text="Demo class")
    demo.get_by_role("link", name="Gradebook").click()
    expect(page.locator(".gradebook .cell-score").first).to_have_text(re.compile(r"^\d+%$"))
    page.get_by_role("link", name=re.compile(r"^Item analysis for ")).first.click()
    expect(page.locator(".item-card .item-rate").first).to_contain_text("wrong")
