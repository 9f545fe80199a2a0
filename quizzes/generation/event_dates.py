"""When else an event's entry says its subject acted, and which acts are done only once.

A false statement must contradict what the evidence states, not merely differ from one
dated report (blind raters, round 1):

* "On 17 May 1956, Charles Bohlen reported a French summary of the speech" is not false:
  the entry dates his report to 14 May and says "Three days later he judges it" (`implied`:
  the dates an entry gives its subject besides its own, written out or counted from it).
* "On 20 March 1956, the Manchester Guardian printed a report of the secret speech" cannot
  be shown false by an entry dating one report to 17 March: a paper prints many reports,
  and one on the 20th is not ruled out. Only an act done once (`once`: dying, being
  arrested or elected, a congress assembling, a country declared neutral) is false on
  another day; printing, reporting, telling, describing and the like are not.
"""

from __future__ import annotations

import datetime
import re

from corpus.models import TimelineEvent

_NUMBERS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
}  # fmt: skip
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_RELATIVE = re.compile(
    r"\b(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<dir>later|afterwards|after|earlier|before)\b"
    r"|\b(?P<next>the (?:next|following) day|the day (?:after|before))\b",
    re.I,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABSOLUTE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS})(?:\s+(?P<y1>\d{{4}}))?\b"
    rf"|\b(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}})(?:,?\s+(?P<y2>\d{{4}}))?\b"
)


def implied(event: TimelineEvent) -> set[datetime.date]:
    """The days the entry names or counts from its date ("three days later", "the next
    day"): days on which its subject may have done what the title says again."""
    text = f"{event.title} {' '.join(event.description.split())}"
    found: set[datetime.date] = set()
    for m in _RELATIVE.finditer(text):
        if m.group("next"):
            sign = -1 if "before" in m.group("next").lower() else 1
            found.add(event.date + datetime.timedelta(days=sign))
            continue
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else _NUMBERS[n]
        days = count * _UNITS[m.group("unit").lower()]
        sign = -1 if m.group("dir").lower() in ("earlier", "before") else 1
        found.add(event.date + datetime.timedelta(days=sign * days))
    months = _MONTHS.split("|")
    for m in _ABSOLUTE.finditer(text):
        day, month, year = (
            (m.group("d1"), m.group("m1"), m.group("y1"))
            if m.group("d1")
            else (m.group("d2"), m.group("m2"), m.group("y2"))
        )
        try:
            found.add(
                datetime.date(int(year or event.date.year), months.index(month) + 1, int(day))
            )
        except ValueError:
            continue
    found.discard(event.date)
    return found


# Acts a subject does once, so that the same act on another day is false: dying or being
# killed, arrested, tried, elected or appointed; a body set up, assembling or voting on a
# question; a country declared neutral, a revolution begun or crushed, a text first
# released or made public.
_ONCE = re.compile(
    r"\b(?:dies|died|is (?:hanged|shot|executed|killed|murdered|born|arrested|elected|"
    r"appointed|set up|founded|dissolved|removed|rehabilitated|made public|published)|"
    r"are (?:deported|cleared|rehabilitated)|"
    r"(?:is|are|was|were)?\s*(?:hanged|shot|executed|arrested|elected|deported|cleared|removed)|"
    r"becomes|become|assembles|opens|closes|votes|declares|begins|crushes|replaces|"
    r"resigns|delivers|releases|flies|decides on|condemns the Anti-Party Group|"
    r"is set up|reports to the Presidium)\b",
    re.I,
)
# Acts a subject may do again on another day: a paper prints, an official reports.
_REPEATED = re.compile(
    r"\b(?:prints?|printed|reports?|reported|tells?|told|describes?|described|writes?|wrote|"
    r"sends?|sent|answers?|answered|criticises?|criticised|publishes|files|speaks?|spoke|"
    r"meets?|met|announces?|announced|warns?|warned|discuss(?:es)?|broadcasts?|says?|said|"
    r"reads?|read out|receives?|received|reach(?:es)?|reached|orders?|ordered)\b",
    re.I,
)


def once(title: str) -> bool:
    """Whether the title's act is one its subject does once (see the module docstring)."""
    return bool(_ONCE.search(title)) and not _REPEATED.search(title)
