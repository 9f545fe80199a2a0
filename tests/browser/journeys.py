"""A student's moves in the browser: signing up, logging in, and taking a quiz with the
keyboard alone (Tab, Shift+Tab, Space, Enter and the arrow keys)."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def sign_up(page, base_url, username: str, *, name: str = "Sasha P.") -> None:
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("Class join code").fill("thaw1956")  # the code is not case-sensitive
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill("kremlin-night-1956")
    page.get_by_label("Password confirmation").fill("kremlin-night-1956")
    page.get_by_role("button", name="Create account and join class").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("main")).to_contain_text(f"Welcome, {name}!")


def log_in(page, base_url, username: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Logged in: the menu offers "Log out" (on a phone, inside the folded menu).
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".site-header form[action='/accounts/logout/']").first).to_be_attached()


def start_quiz(page, base_url, pk: int) -> None:
    """Open a quiz's page and start it with the keyboard."""
    page.goto(f"{base_url}/quizzes/{pk}/")
    tab_to(page, "#quiz-panel button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#question-card-heading")).to_contain_text("Question 1 ")


def question_total(page) -> int:
    text = page.locator("#question-card-heading").text_content()
    return int(re.search(r"of (\d+)", text).group(1))


def expect_feedback(page, *, js: bool) -> None:
    feedback = page.locator("#question-card .feedback")
    expect(feedback).to_have_attribute("role", "status")  # read out when it appears
    expect(page.locator("#feedback-heading")).to_have_text(re.compile(r"Correct|Not quite"))
    if js:
        expect(page.locator("#feedback-heading")).to_be_focused()


def expect_focus_ring(page, selector: str = ":focus") -> None:
    """The focused element (or `selector`, e.g. the label around a radio) shows an outline."""
    style = page.evaluate(
        """s => { const e = document.activeElement.closest(s) || document.activeElement;
                 const c = getComputedStyle(e); return [c.outlineStyle, c.outlineWidth]; }""",
        selector,
    )
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style


def after_next_frame(page) -> None:
    """Wait for the browser to render the swapped card.

    Chromium also honours the `autofocus` htmx puts in a swapped card, once, at its next
    rendering frame; a test quicker than a frame would see the focus jump back under it.
    (Only with JavaScript on: without it, animation frames never run for `evaluate`.)
    """
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {selector}")


def question_kind(page) -> str:
    card = page.locator("#question-card")
    expect(card.locator("legend.question-stem")).to_be_visible()
    if card.locator("ol.ordering").count():
        return "ordering"
    return "true_false" if card.locator(".options-inline").count() else "choice"


def answer_by_keyboard(page, *, js: bool) -> str:
    """Answer the question on screen by keyboard and submit it; return its kind."""
    kind = question_kind(page)
    card = page.locator("#question-card")
    if kind == "ordering":
        texts = card.locator(".ordering-text")
        first = texts.first.text_content()
        # Move the first item down with Enter ...
        tab_to(page, ".ordering-item:first-child button[value^='down:']")
        page.keyboard.press("Enter")
        expect(texts.nth(1)).to_have_text(first)
        # ... the pressed button keeps the focus, and the move is announced.
        moved_down = ".ordering-item:nth-child(2) button[value^='down:']"
        expect(page.locator(moved_down)).to_be_focused()
        if js:
            expect(card.locator("[role=status]")).to_contain_text("is now number 2")
        if js:
            after_next_frame(page)
        # ... and back up with Shift+Tab and Space.
        tab_to(page, ".ordering-item:nth-child(2) button[value^='up:']", backwards=True)
        page.keyboard.press("Space")
        expect(texts.first).to_have_text(first)
        expect(page.locator(".ordering-item:first-child button[value^='down:']")).to_be_focused()
        if js:
            after_next_frame(page)
    else:
        radios = card.locator("input[type=radio]")
        tab_to(page, "#question-card input[type=radio]")
        expect_focus_ring(page, ".option")
        page.keyboard.press("Space")
        expect(radios.first).to_be_checked()
        page.keyboard.press("ArrowDown")  # an arrow key moves the choice within the group
        expect(radios.nth(1)).to_be_checked()
        page.keyboard.press("ArrowUp")
        expect(radios.first).to_be_checked()
    tab_to(page, "#question-card .answer-button")
    expect_focus_ring(page)
    page.keyboard.press("Enter")
    return kind


def next_question(page, *, js: bool) -> None:
    """From practice feedback, go on by keyboard; with htmx the focus lands on the new card."""
    tab_to(page, "#question-card .next-button")
    finishing = "Finish" in page.locator("#question-card .next-button").text_content()
    page.keyboard.press("Enter")
    if finishing:
        finish = page.get_by_role("button", name="Finish and see results")
        expect(finish).to_be_visible()
        if js:
            expect(finish).to_be_focused()
    else:
        heading = page.locator("#question-card-heading")
        expect(heading).to_contain_text("Question")
        if js:
            expect(heading).to_be_focused()


def server_shell(server_env: dict[str, str], code: str) -> dict:
    """Run `code` in `manage.py shell` against the test server's database and return
    the JSON object it prints last: setting up or checking rows through the app's own
    functions, as a second user at another desk would (a second or two per call)."""
    import json
    import subprocess
    import sys

    from tests.browser.conftest import ROOT

    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=server_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def open_menu(page) -> None:
    """On a phone, open the header's folded menu (a <details>: no JavaScript needed)."""
    menu = page.locator(".site-header .nav-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
        expect(menu.get_by_role("link").first).to_be_visible()


def expect_big_quiz_controls(page) -> None:
    """On a phone, the quiz's own controls (choices, ordering buttons, submit) are 44 px."""
    from tests.browser.layout import small_targets

    controls = "#question-card :is(.option, .move-button, .answer-button, .next-button)"
    assert page.locator(controls).count()
    assert small_targets(page, min_px=44, selector=controls) == []
