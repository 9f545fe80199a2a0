"""Thaw on a phone (360 x 780): the folded menu, and every role's pages without sideways
scrolling, with tap targets of at least 24 px (the page guard in conftest checks both on
every page and every htmx swap) and no WCAG 2.2 AA violation (axe).

The student's journey runs at this size too (test_student_journey.py, test_accessibility.py);
here are the header and the teacher's and curator's pages.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.journeys import log_in, open_menu, server_shell
from tests.browser.layout import overflow

pytestmark = pytest.mark.slow


def test_the_header_is_one_short_row_with_a_menu_that_works_without_javascript(
    no_js_phone_page, base_url
):
    page = no_js_phone_page
    page.goto(base_url + "/sources/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 100  # it was 201 px: a quarter of the screen
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Glossary")).to_be_hidden()  # folded away
    nav.locator("summary", has_text="Menu").click()  # a <details>: no script involved
    nav.get_by_role("link", name="Glossary").click()
    expect(page).to_have_url(re.compile(r"/glossary/$"))
    assert overflow(page) == 0  # checked here: without JavaScript the page guard cannot run


def test_a_student_reaches_the_dashboard_and_logs_out_through_the_phone_menu(phone_page, base_url):
    page = phone_page
    log_in(page, base_url, "student", "thaw-student-1956")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # a student starts here
    page.goto(base_url + "/timeline/")
    open_menu(page)
    menu = page.locator(".nav-menu")
    expect(menu.get_by_role("link", name="Timeline")).to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    open_menu(page)
    page.locator(".nav-menu").get_by_role("button", name=re.compile("Log out")).click()
    open_menu(page)
    expect(page.locator(".nav-menu").get_by_role("link", name="Log in")).to_be_visible()


_TEACHER_PAGES = """
import json
from lessons.models import SchoolClass
from quizzes.models import Attempt

school_class = SchoolClass.objects.get(join_code="THAW1956")
assignment = school_class.assignments.order_by("pk").first()
attempt = Attempt.objects.filter(quiz=assignment.quiz, finished_at__isnull=False).order_by("pk").first()
base = f"/teach/classes/{school_class.pk}/"
print(json.dumps([
    "/teach/", base, base + "gradebook/", base + "assign/", base + "roster/",
    f"{base}assignments/{assignment.pk}/items/",
    f"{base}students/{attempt.user_id}/",
    f"{base}attempts/{attempt.pk}/",
]))
"""


def test_a_teachers_pages_fit_a_phone(phone_page, base_url, server_env):
    page = phone_page
    log_in(page, base_url, "teacher", "thaw-teacher-1956")
    expect(page).to_have_url(re.compile(r"/teach/$"))  # a teacher starts at the classes
    for path in server_shell(server_env, _TEACHER_PAGES):
        page.goto(base_url + path)
        assert overflow(page) == 0, path
        assert axe_violations(page) == [], path


def test_a_curators_pages_fit_a_phone(phone_page, base_url):
    page = phone_page
    log_in(page, base_url, "curator", "thaw-curator-1956")
    expect(page).to_have_url(re.compile(r"/curation/$"))  # a curator starts at the queue
    for path in [
        "/curation/",
        "/curation/reports/",
        "/curation/sources/",
        "/curation/sources/speech-anthology/",
        "/curation/proposals/",
        "/curation/audit/",
        "/curation/import/",
        "/curation/editorial/notes/",
        "/curation/editorial/works/",
    ]:
        page.goto(base_url + path)
        assert overflow(page) == 0, path
        assert axe_violations(page) == [], path
    # Django's admin keeps its own layout and controls, but must not scroll sideways.
    page.goto(base_url + "/admin/")
    assert overflow(page) == 0
