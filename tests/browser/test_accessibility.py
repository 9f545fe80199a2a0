"""WCAG 2.2 AA on the reader's pages, checked by axe-core in Chromium, on a desktop screen
and on a phone (where the page guard also checks sideways scrolling and tap targets)."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.journeys import log_in, open_menu
from tests.browser.layout import overflow

pytestmark = pytest.mark.slow

READER_PAGES = [
    "/",
    "/lessons/",
    "/lessons/the-secret-speech/",
    "/lessons/reception-and-aftermath/",
    "/sources/",
    "/sources/speech-anthology/",
    "/sources/resolution-news-booklet/",
    "/sources/speech-congressional-record/",
    "/search/?q=Beria",
    "/search/?q=zzzzqqq",
    "/search/?q=Berya",
    "/glossary/",
    "/glossary/nkvd/",
    "/timeline/",
    "/compare/",
    "/compare/testament/",
    "/accounts/login/",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_page_has_no_wcag_violations(sized_page, base_url, path):
    sized_page.goto(base_url + path)
    assert axe_violations(sized_page) == []
    assert overflow(sized_page) == 0


def test_open_glossary_popover_has_no_wcag_violations(sized_page, base_url):
    sized_page.goto(base_url + "/sources/speech-congressional-record/")
    sized_page.locator("a.term").first.click()
    sized_page.locator("#term-popover .term-card").wait_for()
    assert axe_violations(sized_page) == []


def test_open_phone_menu_has_no_wcag_violations(phone_page, base_url):
    phone_page.goto(base_url + "/lessons/")
    open_menu(phone_page)
    assert axe_violations(phone_page) == []


def test_not_found_page_has_no_wcag_violations(page, base_url):
    # `page`, not `offline_page`: the browser logs the 404 itself as a console error.
    response = page.goto(base_url + "/no-such-page/")
    assert response.status == 404
    assert axe_violations(page) == []


def expect_error_tied_to(page, field) -> None:
    """A field in error says so (aria-invalid) and names its message (aria-describedby)."""
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    message = page.locator(f"[id='{described[0]}']")
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()


def test_sign_up_with_errors_has_no_wcag_violations(offline_page, base_url):
    page = offline_page
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("Class join code").fill("NOPE0000")
    page.get_by_label("Username").fill("ivan")
    page.get_by_role("button", name="Create account and join class").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    code = page.get_by_label("Class join code")
    expect_error_tied_to(page, code)
    expect(page.locator("#" + code.get_attribute("aria-describedby").split()[0])).to_have_text(
        "No class has this join code. Check it with your teacher."
    )
    expect_error_tied_to(page, page.get_by_label("Password", exact=True))
    assert axe_violations(page) == []


def test_sign_up_with_errors_puts_the_focus_on_the_error_summary(offline_page, base_url):
    # The join code is right, so its field (the first) is not the one to fix.
    page = offline_page
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("Class join code").fill("THAW1956")
    page.get_by_label("Username").fill("ivan")
    page.get_by_label("Display name").fill("Ivan")
    page.get_by_label("Password", exact=True).fill("kremlin-night-1956")
    page.get_by_label("Password confirmation").fill("kremlin-night-1957")
    page.get_by_role("button", name="Create account and join class").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the 1 field marked below.")
    expect(summary).to_be_focused()
    expect_error_tied_to(page, page.get_by_label("Password confirmation"))
    expect(page.get_by_label("Class join code")).not_to_have_attribute("aria-invalid", "true")


def test_login_with_errors_has_no_wcag_violations(offline_page, base_url):
    page = offline_page
    page.goto(base_url + "/accounts/login/")
    # No real account: a failed login counts towards django-axes' lockout.
    page.get_by_label("Username").fill("nobody-by-that-name")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect_error_tied_to(page, page.get_by_label("Username"))
    expect_error_tied_to(page, page.get_by_label("Password"))
    assert axe_violations(page) == []


def test_password_change_with_and_without_errors_has_no_wcag_violations(offline_page, base_url):
    page = offline_page
    log_in(page, base_url, "curator", "thaw-curator-1956")
    page.goto(base_url + "/accounts/password_change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change password")
    assert axe_violations(page) == []
    page.get_by_label("Old password").fill("not-the-password")
    page.get_by_label("New password", exact=True).fill("kremlin-night-1956")
    page.get_by_label("New password confirmation").fill("kremlin-night-1956")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    expect(page.get_by_role("alert")).to_be_focused()
    expect_error_tied_to(page, page.get_by_label("Old password"))
    assert axe_violations(page) == []
