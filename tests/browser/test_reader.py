"""The reader in a real browser: what a student sees, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.slow


def test_home_page_lists_the_documents(offline_page, base_url):
    offline_page.goto(base_url + "/")
    expect(offline_page.get_by_role("heading", level=1)).to_be_visible()
    nav = offline_page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sources", exact=True)).to_be_visible()
    save_screenshot(offline_page, "home")


def test_source_page_shows_page_numbers_stage_directions_and_a_glossary_popover(
    offline_page, base_url
):
    offline_page.goto(base_url + "/sources/speech-anthology/")
    expect(offline_page.locator(".page-number, [class*=page]").first).to_contain_text(
        re.compile(r"2[67]\d")
    )
    term = offline_page.locator("a.term").first
    term_name = term.inner_text()
    term.click()
    popover = offline_page.locator("#term-popover")
    expect(popover).to_contain_text(term_name.split("'")[0].split("’")[0][:4])
    save_screenshot(offline_page, "source")
    offline_page.keyboard.press("Escape")
    expect(popover.locator(".term-card")).to_have_count(0)


def test_search_shows_live_results_as_you_type(offline_page, base_url):
    offline_page.goto(base_url + "/search/")
    offline_page.get_by_label("Words to find").press_sequentially("Eikhe", delay=30)
    results = offline_page.locator("#search-results .result")
    expect(results.first).to_be_visible()
    expect(offline_page.locator("#search-results mark").first).to_contain_text(
        re.compile("eikhe", re.I)
    )
    expect(offline_page.locator("#search-status")).to_contain_text(
        re.compile(r"\d+ passages? match")
    )
    assert "q=Eikhe" in offline_page.url  # the URL can be shared
    save_screenshot(offline_page, "search")


def test_compare_view_marks_word_differences(offline_page, base_url):
    offline_page.goto(base_url + "/compare/")
    expect(offline_page.locator("ins, del").first).to_be_visible()
    save_screenshot(offline_page, "compare")
    offline_page.goto(base_url + "/compare/testament/")
    expect(offline_page.locator("main")).to_contain_text("kindness")
    expect(offline_page.locator("main")).to_contain_text("politeness")


def test_timeline_and_glossary_pages_render(offline_page, base_url):
    offline_page.goto(base_url + "/timeline/")
    expect(offline_page.locator("main")).to_contain_text("1956")
    save_screenshot(offline_page, "timeline")
    offline_page.goto(base_url + "/glossary/")
    expect(offline_page.locator("main")).to_contain_text("Eikhe")


@pytest.fixture
def no_js_context(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


def test_search_and_glossary_work_without_javascript(no_js_context, base_url):
    page = no_js_context.new_page()
    page.goto(base_url + "/search/")
    page.get_by_label("Words to find").fill("Yagoda")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-results .result").first).to_be_visible()
    page.goto(base_url + "/sources/speech-congressional-record/")
    page.locator("a.term").first.click()
    expect(page).to_have_url(re.compile(r"/glossary/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_lesson_page_has_citations_that_lead_to_their_passages(offline_page, base_url):
    offline_page.goto(base_url + "/lessons/")
    offline_page.get_by_role("main").get_by_role("link").filter(
        has_text="Secret Speech"
    ).first.click()
    expect(offline_page.get_by_role("heading", level=1)).to_contain_text("Secret Speech")
    save_screenshot(offline_page, "lesson")
    citation = offline_page.locator("main a[href*='/sources/'][href*='#p-']").first
    href = citation.get_attribute("href")
    citation.click()
    anchor = href.split("#", 1)[1]
    expect(offline_page.locator(f"[id='{anchor}']")).to_be_visible()
