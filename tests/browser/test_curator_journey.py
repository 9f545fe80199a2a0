"""A curator's session in the review queue, in the browser: filter it to one source, edit
a question in place, publish one with a click and one with a keyboard shortcut,
publish the rest of the selection at once, and resolve a student's report. axe checks
every page and htmx state on the way.

Publishing changes what the built-in quizzes draw from, so the journey works on
questions that no lesson cites: the other journeys' quizzes stay as they were.
The same steps run again with JavaScript turned off, through the plain forms.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.conftest import save_screenshot
from tests.browser.journeys import server_shell

pytestmark = pytest.mark.slow

# The passages of one source whose questions need review and touch no lesson: the
# queue filtered to them (by source, status and passage ids) holds only such questions.
_UNCITED_SELECTION = """
import json
from corpus.models import Passage
from quizzes import curation
from quizzes.models import Question

cited = set(Passage.objects.filter(lesson_citations__isnull=False).values_list("pk", flat=True))

def citations(question):
    return {question.passage_id, *question.extra_citations.values_list("pk", flat=True)}

waiting = Question.objects.filter(status="needs_review", source__slug="%(source)s")
passages = {q.passage_id for q in waiting if not citations(q) & cited}
while True:
    filters = curation.QueueFilters(status="needs_review", source="%(source)s",
                                    passages=sorted(passages))
    selection = list(curation.filter_queue(filters=filters))
    bad = {q.passage_id for q in selection if citations(q) & cited}
    if not bad:
        break
    passages -= bad
print(json.dumps({"passages": ",".join(map(str, sorted(passages))),
                  "questions": [q.pk for q in selection]}))
"""

# A demo student reports a question they answered, as the question card lets them.
_STUDENT_REPORT = """
import json
from django.contrib.auth.models import User
from quizzes import reports
from quizzes.models import Response

anya = User.objects.get(username="anya")
question = Response.objects.filter(attempt__user=anya).order_by("pk").first().question
report = reports.submit_report(user=anya, question=question, reason="typo",
                               comment="Khrushchev is misspelt in the second option.")
print(json.dumps({"report": report.pk, "question": question.pk}))
"""


def log_in_as_curator(page, base_url) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("thaw-curator-1956")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def filter_queue(page, *, source: str, passages: str) -> None:
    """Filter the queue with its form, as a curator does."""
    page.get_by_label(re.compile(r"^Status\b")).select_option("needs_review")
    page.get_by_label(re.compile(r"^Source\b")).select_option(source)
    page.get_by_label("Passage ids").fill(passages)
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]source={source}(&|$)"))


def row(page, pk: int):
    return page.locator(f"#q-{pk}")


def test_curator_reviews_edits_and_publishes_in_the_queue(offline_page, base_url, server_env):
    page = offline_page
    source = "encyclopedia-article"
    selection = server_shell(server_env, _UNCITED_SELECTION % {"source": source})
    ids = selection["questions"]
    assert len(ids) >= 4, selection
    log_in_as_curator(page, base_url)
    page.goto(base_url + "/curation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    assert axe_violations(page) == []

    filter_queue(page, source=source, passages=selection["passages"])
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(len(ids))
    expect(page.locator(".curation-header")).to_contain_text(f"{len(ids)} questions match")
    expect(rows.locator(".status-badge")).to_have_text(["Needs review"] * len(ids))
    assert axe_violations(page) == []

    # Edit in place: htmx swaps the row for its form, the stem field takes the focus ...
    first, second, third = ids[:3]
    row(page, first).get_by_role("button", name="Edit").click()
    stem = row(page, first).get_by_label("Stem")
    expect(stem).to_be_focused()
    row(page, first).evaluate("e => e.scrollIntoView()")
    save_screenshot(page, "curation-edit")
    assert axe_violations(page) == []  # the row's edit form
    new_stem = stem.input_value() + " (Checked against the 1956 text.)"
    stem.fill(new_stem)
    row(page, first).get_by_role("button", name="Save as version 2").click()
    # ... and saving swaps the row back, with the new stem and version, focused.
    expect(row(page, first).locator(".row-stem")).to_have_text(new_stem)
    expect(row(page, first).locator(".row-meta")).to_contain_text("version 2 · locked")
    expect(row(page, first)).to_be_focused()
    assert axe_violations(page) == []

    # Publish with one click: the row says so and keeps the focus.
    row(page, second).get_by_role("button", name="Publish").click()
    expect(row(page, second).locator(".status-badge")).to_have_text("Published")
    expect(row(page, second).get_by_role("button", name="Publish")).to_have_count(0)
    expect(row(page, second)).to_be_focused()
    assert axe_violations(page) == []

    # Keyboard shortcuts: ? shows their help, j moves to the next question, p publishes it.
    help_panel = page.locator("#shortcut-help")
    page.keyboard.press("?")
    expect(help_panel).to_have_attribute("open", "")
    assert axe_violations(page) == []
    page.keyboard.press("?")
    expect(help_panel).not_to_have_attribute("open", "")
    page.keyboard.press("j")
    expect(row(page, third)).to_be_focused()
    expect(row(page, third)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("p")
    expect(row(page, third).locator(".status-badge")).to_have_text("Published")
    expect(row(page, third)).to_be_focused()
    page.locator(".queue-tools").evaluate("e => e.scrollIntoView()")
    save_screenshot(page, "curation-queue")  # edited, published and waiting rows

    # Publish the rest of the selection at once, after a confirmation page.
    page.get_by_role("button", name=f"Publish all {len(ids)}…").click()
    rest = len(ids) - 2
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish {rest} questions?")
    assert axe_violations(page) == []  # the confirmation
    page.get_by_role("button", name=f"Yes, publish {rest}").click()
    expect(page.locator(".messages")).to_have_text(f"{rest} questions published.")
    expect(page.locator(".queue .empty")).to_have_text("No questions match these filters.")
    page.get_by_label(re.compile(r"^Status\b")).select_option("published")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]status=published(&|$)"))
    for pk in ids:  # among the questions on these passages published before
        expect(row(page, pk).locator(".status-badge")).to_have_text("Published")

    # A student's report: read it, resolve it, and it leaves the open list.
    report = server_shell(server_env, _STUDENT_REPORT)
    page.get_by_role("navigation", name="Curation").get_by_role(
        "link", name="Student reports"
    ).click()
    card = page.locator(".report-card").filter(has_text=f"Question {report['question']}")
    expect(card).to_contain_text("Khrushchev is misspelt in the second option.")
    assert axe_violations(page) == []
    # The report links to the question's own edit page (the form without htmx).
    card.get_by_role("link", name=f"Question {report['question']}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit question {report['question']}")
    assert axe_violations(page) == []
    page.go_back()
    card.get_by_label("Resolution").select_option(label="No change needed")
    card.get_by_label("Note").fill("The spelling follows the source.")
    card.get_by_role("button", name="Resolve").click()
    expect(page.locator(".messages")).to_have_text(
        f"Report on question {report['question']} resolved."
    )
    expect(card).to_have_count(0)
    page.get_by_role("link", name="Show resolved reports too").click()
    expect(card).to_contain_text("No change needed — The spelling follows the source.")
    assert axe_violations(page) == []


def test_curator_publishes_and_edits_without_javascript(no_js_page, base_url, server_env):
    page = no_js_page
    source = "speech-congressional-record"
    selection = server_shell(server_env, _UNCITED_SELECTION % {"source": source})
    ids = selection["questions"]
    assert len(ids) >= 2, selection
    log_in_as_curator(page, base_url)
    page.goto(base_url + "/curation/")
    filter_queue(page, source=source, passages=selection["passages"])
    filtered_url = page.url
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(len(ids))

    # Publish is a plain form: back to the same selection, which no longer holds it.
    first, second = ids[:2]
    row(page, first).get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_have_text(f"Question {first} is now published.")
    assert page.url == filtered_url
    expect(rows).to_have_count(len(ids) - 1)

    # Edit is a page of its own; saving returns to the selection.
    row(page, second).get_by_role("button", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit question {second}")
    stem = page.get_by_label("Stem")
    new_stem = stem.input_value() + " (Checked without JavaScript.)"
    stem.fill(new_stem)
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator(".messages")).to_have_text(f"Question {second} saved as version 2.")
    assert page.url == filtered_url
    expect(row(page, second).locator(".row-stem")).to_have_text(new_stem)

    # Bulk publishing asks first, then publishes what is left.
    rest = len(ids) - 1
    page.get_by_role("button", name=f"Publish all {rest}…").click()
    page.get_by_role("button", name=f"Yes, publish {rest}").click()
    expect(page.locator(".messages")).to_have_text(
        f"{rest} question{'s' if rest != 1 else ''} published."
    )
    expect(rows).to_have_count(0)
