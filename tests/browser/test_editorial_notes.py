"""Editorial notes in a real browser on a 360 px phone: in plain view, nothing cut off."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}


# The right edge of the widest thing inside any note (text, links, lists of positions).
_NOTES_RIGHT_EDGE = """() => Math.max(0, ...[...document.querySelectorAll(
    '.editorial-note, .editorial-note *')].map(e => e.getBoundingClientRect().right))"""


def _fits(page) -> None:
    """Every note, and everything in it, lies inside the screen's width."""
    box = page.locator(".editorial-note").first.bounding_box()
    assert box is not None and box["x"] >= 0
    assert page.evaluate(_NOTES_RIGHT_EDGE) <= PHONE["width"]


@pytest.mark.parametrize(
    "path",
    [
        "/sources/speech-congressional-record/",
        "/lessons/the-secret-speech/",
        "/timeline/",
        "/glossary/",
    ],
)
def test_notes_are_visible_without_hovering_at_360_px(offline_page, base_url, path):
    offline_page.set_viewport_size(PHONE)
    offline_page.goto(base_url + path)
    note = offline_page.locator(".editorial-note").first
    note.scroll_into_view_if_needed()
    # Visible as the page loads: no hover, focus or click needed.
    expect(note).to_be_visible()
    assert note.locator(".editorial-kind").inner_text().strip().lower() in {
        "correction",
        "context",
        "historians disagree",
    }
    _fits(offline_page)


def test_the_bibliography_anchor_a_note_links_to_is_on_the_sources_page(offline_page, base_url):
    offline_page.set_viewport_size(PHONE)
    offline_page.goto(base_url + "/sources/speech-congressional-record/")
    link = offline_page.locator(".editorial-note a[href^='/sources/#ref-']").first
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    entry = offline_page.locator(f"[id='{target}']")
    expect(entry).to_be_in_viewport()
    box = entry.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    save_screenshot(offline_page, "bibliography-phone")
