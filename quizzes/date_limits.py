"""How far from today a quiz's dates may be: opening, due and an accommodation's later due date.

A date far out is never what a teacher meant (a typo in the year, a browser's date picker
scrolled to 9999), and one near the end of the calendar breaks the arithmetic of deadlines
(adding a grace period to 9999-12-31 overflows). So every form that takes one of these
dates, and the model fields under the admin, refuse a date more than five years from today
with a message that says what is allowed; the quiz flow also compares its dates without
adding to them, so a row saved before this rule still cannot break a page.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

YEARS = 5
_SPAN = datetime.timedelta(days=365 * YEARS + 1)  # five years, leap day included


def sensible_range(
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """The earliest and latest moments a quiz date may be, around `now`."""
    now = now or timezone.now()
    return now - _SPAN, now + _SPAN


def within_five_years(value: datetime.datetime | None) -> None:
    """Validator: refuse a date more than five years before or after today."""
    if value is None:
        return
    earliest, latest = sensible_range()
    if not earliest <= value <= latest:
        raise ValidationError(
            "Choose a date within five years of today: between %(earliest)s and %(latest)s.",
            code="date_out_of_range",
            params={
                "earliest": f"{timezone.localtime(earliest):%-d %B %Y}",
                "latest": f"{timezone.localtime(latest):%-d %B %Y}",
            },
        )
