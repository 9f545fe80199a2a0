"""Editorial notes and reference works where readers meet them: the bibliography, the
reader, a passage's permalink, the glossary and the timeline."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from corpus.models import NotePassage, ReferenceCitation
from tests.factories import (
    make_event,
    make_note,
    make_passage,
    make_reference_work,
    make_source,
    make_term,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    speech = make_source(slug="speech", title="The speech")
    taubman = make_reference_work(
        slug="taubman-2003",
        authors=["William Taubman"],
        title="Khrushchev: The Man and His Era",
        publisher="W. W. Norton",
        place="New York",
        year=2003,
        note="The standard biography.",
    )
    kramer = make_reference_work(
        slug="kramer-1998",
        kind="article",
        authors=["Mark Kramer"],
        title="The Soviet Union and the 1956 Crises in Hungary and Poland",
        container="Journal of Contemporary History",
        volume="33",
        issue="2",
        year=1998,
        pages="163–214",
        doi="10.1177/002200949803300202",
        publisher="",
        place="",
    )
    deport = make_passage(
        source=speech,
        key="deport",
        ordinal=1,
        text="At the end of October, 1943, they were deported.",
    )
    other = make_passage(
        source=speech, key="other", ordinal=2, text="Another passage of the speech."
    )
    note = make_note(
        slug="deportation-dates",
        kind="correction",
        title="The speech misdates the deportations",
        body="The speech says the end of October.\n\nThey were deported on 2 November 1943.",
        on=[deport],
        references=[(taubman, "p. 283")],
        cites=[other],
    )
    return {
        "speech": speech,
        "taubman": taubman,
        "kramer": kramer,
        "deport": deport,
        "other": other,
        "note": note,
    }


def note_html(html: str) -> str:
    match = re.search(r'<aside class="editorial-note.*?</aside>', html, re.S)
    assert match, "no editorial note on the page"
    return match.group()


def test_the_sources_page_lists_reference_works_with_full_citations_and_anchors(client, world):
    html = client.get(reverse("corpus:source_list")).content.decode()
    assert '<h2 id="references-heading">Reference works</h2>' in html
    assert '<li id="ref-taubman-2003" class="reference-entry">' in html
    assert (
        "Taubman, William. <cite>Khrushchev: The Man and His Era</cite>. New York: W. W. Norton, 2003."
        in html
    )
    assert (
        "Kramer, Mark. “The Soviet Union and the 1956 Crises in Hungary and Poland.” "
        "<cite>Journal of Contemporary History</cite> 33, no. 2 (1998): 163–214. "
        "https://doi.org/10.1177/002200949803300202." in html
    )
    assert "The standard biography." in html
    # In author order: Kramer before Taubman.
    assert html.index('id="ref-kramer-1998"') < html.index('id="ref-taubman-2003"')


def test_the_reader_shows_a_note_under_its_passage_in_plain_view(client, world):
    html = client.get(world["speech"].get_absolute_url()).content.decode()
    note = note_html(html)
    # Under its own passage, before the next one.
    assert html.index('id="p-deport"') < html.index(note) < html.index('id="p-other"')
    assert '<span class="editorial-kind">Correction</span>' in note
    assert "The speech misdates the deportations" in note
    assert "<p>The speech says the end of October.</p>" in note
    assert "<p>They were deported on 2 November 1943.</p>" in note
    assert 'href="/sources/#ref-taubman-2003"' in note and "Taubman, Khrushchev, p. 283" in note
    assert 'href="/sources/speech/#p-other"' in note
    # Visible without hovering or opening anything.
    assert "hidden" not in note and "<details" not in note


def test_the_reader_fragment_carries_the_notes_too(client, world):
    html = client.get(world["speech"].get_absolute_url(), **HTMX).content.decode()
    assert "The speech misdates the deportations" in html


def test_the_passage_permalink_shows_its_note(client, world):
    url = reverse("corpus:passage_detail", kwargs={"slug": "speech", "key": "deport"})
    assert "The speech misdates the deportations" in client.get(url).content.decode()
    url = reverse("corpus:passage_detail", kwargs={"slug": "speech", "key": "other"})
    assert "The speech misdates the deportations" not in client.get(url).content.decode()


def test_a_dispute_lists_who_says_what_with_their_sources(client, world):
    note = make_note(
        kind="dispute",
        title="How many delegates?",
        on=[world["other"]],
        references=[(world["taubman"], "p. 270")],
        positions=[{"who": "The speech", "says": "1,436"}, {"who": "Kramer", "says": "1,349"}],
    )
    NotePassage.objects.create(
        note=note, passage=world["deport"], role="position", quote="deported", position=0
    )
    ReferenceCitation.objects.create(note=note, work=world["kramer"], at="p. 170", position=1)
    html = client.get(world["speech"].get_absolute_url()).content.decode()
    assert '<span class="editorial-kind">Historians disagree</span>' in html
    assert '<strong>The speech:</strong> 1,436 (<a href="/sources/speech/#p-deport">' in html
    assert '<strong>Kramer:</strong> 1,349 (<a href="/sources/#ref-kramer-1998"' in html
    # A position's reference is not listed again among the note's own sources.
    asides = re.findall(r'<aside class="editorial-note.*?</aside>', html, re.S)
    dispute = next(aside for aside in asides if "How many delegates?" in aside)
    sources = re.search(r'<p class="editorial-sources">.*?</p>', dispute, re.S).group()
    assert "Taubman" in sources and "Kramer" not in sources


def test_glossary_entry_list_and_popover_show_notes_and_reference_works(client, world):
    term = make_term(slug="karachai", name="Karachai")
    ReferenceCitation.objects.create(term=term, work=world["kramer"], at="p. 180")
    make_note(title="A note on the Karachai", terms=[term], references=[(world["taubman"], "p. 1")])
    page = client.get(
        reverse("corpus:glossary_detail", kwargs={"slug": "karachai"})
    ).content.decode()
    assert "A note on the Karachai" in page and 'id="notes"' in page
    assert 'href="/sources/#ref-kramer-1998"' in page and "p. 180" in page
    listing = client.get(reverse("corpus:glossary_list")).content.decode()
    assert "A note on the Karachai" in listing
    assert "Kramer, “The Soviet Union and the 1956 Crises in Hungary and Poland,” p. 180" in listing
    popover = client.get(reverse("corpus:glossary_detail", kwargs={"slug": "karachai"}), **HTMX)
    assert "A note on the Karachai" in popover.content.decode()
    assert 'href="/glossary/karachai/#notes"' in popover.content.decode()


def test_the_timeline_shows_notes_and_events_resting_on_reference_works_alone(client, world):
    event = make_event(slug="hungary", title="Revolution in Hungary")
    ReferenceCitation.objects.create(event=event, work=world["kramer"], at="pp. 190–192")
    make_note(title="Not in the speech", events=[event], references=[(world["kramer"], "p. 191")])
    html = client.get(reverse("corpus:timeline")).content.decode()
    assert "Revolution in Hungary" in html and "Not in the speech" in html
    assert (
        "Kramer, “The Soviet Union and the 1956 Crises in Hungary and Poland,” pp. 190–192" in html
    )
    assert "No source cited yet." not in html
