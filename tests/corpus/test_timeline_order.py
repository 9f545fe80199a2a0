"""The timeline's order: every event at the end of its period (corpus.models._TIMELINE_ORDER).

A month-only event follows that month's dated days; a year-only event follows the
whole year, and "about" that year follows both; the page and a lesson's strip agree.
"""

import datetime

import pytest
from django.urls import reverse

from corpus.models import TimelineEvent
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def _event(slug: str, date: tuple[int, int, int], precision: str = "day") -> TimelineEvent:
    return make_event(slug=slug, title=slug, date=datetime.date(*date), precision=precision)


def test_events_sort_by_the_end_of_their_period_whatever_order_they_were_loaded_in():
    # Loaded out of order, and with coarser events on the first day of their period.
    _event("beria-arrested", (1953, 6, 26))
    _event("summer-1953", (1953, 6, 1), "month")
    _event("year-1953", (1953, 1, 1), "year")
    _event("about-1953", (1953, 1, 1), "approx")
    _event("khrushchev-first-secretary", (1953, 9, 7))
    _event("stalin-dies", (1953, 3, 5))
    _event("june-1956", (1956, 6, 1), "month")
    _event("poznan", (1956, 6, 28))
    _event("state-department-release", (1956, 6, 4))
    _event("first-of-june-1956", (1956, 6, 1))
    _event("1952-december", (1952, 12, 1), "month")

    assert list(TimelineEvent.objects.values_list("slug", flat=True)) == [
        "1952-december",
        "stalin-dies",
        "beria-arrested",
        "summer-1953",  # June 1953: after 26 June, before September
        "khrushchev-first-secretary",
        "year-1953",
        "about-1953",
        "first-of-june-1956",  # a dated 1 June is not a month-only June
        "state-department-release",
        "poznan",
        "june-1956",
    ]


def test_the_timeline_page_shows_a_month_only_event_after_that_months_days(client):
    _event("june-1956", (1956, 6, 1), "month")
    _event("poznan", (1956, 6, 28))
    _event("state-department-release", (1956, 6, 4))
    html = client.get(reverse("corpus:timeline")).content.decode()
    assert (
        html.index('id="event-state-department-release"')
        < html.index('id="event-poznan"')
        < html.index('id="event-june-1956"')
    )
