"""WCAG 2.2 AA on the reader's pages, checked by axe-core in Chromium."""

import pytest

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.slow

READER_PAGES = [
    "/",
    "/lessons/",
    "/lessons/the-secret-speech/",
    "/sources/",
    "/sources/speech-anthology/",
    "/sources/resolution-news-booklet/",
    "/search/?q=Beria",
    "/search/?q=zzzzqqq",
    "/glossary/",
    "/glossary/nkvd/",
    "/timeline/",
    "/compare/",
    "/compare/testament/",
    "/accounts/login/",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_page_has_no_wcag_violations(offline_page, base_url, path):
    offline_page.goto(base_url + path)
    assert axe_violations(offline_page) == []


def test_open_glossary_popover_has_no_wcag_violations(offline_page, base_url):
    offline_page.goto(base_url + "/sources/speech-congressional-record/")
    offline_page.locator("a.term").first.click()
    offline_page.locator("#term-popover .term-card").wait_for()
    assert axe_violations(offline_page) == []


def test_not_found_page_has_no_wcag_violations(page, base_url):
    # `page`, not `offline_page`: the browser logs the 404 itself as a console error.
    response = page.goto(base_url + "/no-such-page/")
    assert response.status == 404
    assert axe_violations(page) == []
