"""Where a timeline event's cited passages state its date, at the event's precision.

A question that asks for a date, or orders events by date, rests on passages that give
the date: "On October 1, 1939, Eikhe sent his declaration" dates the declaration to the
day; "the 17th party congress, which took place in 1934" to the year; "early in January
1923" to the month. A day given without its year ("On February 4 Eikhe was shot") counts
when another cited passage of the same source gives the year; "on the 25th" when its
passage names the month and year ("February 14th, 1956 ... on the 25th"). A timeline
date that no cited passage states (an approximate "c. 1953", a date only the timeline
knows) backs no question.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from corpus.models import Passage, TimelineEvent
from quizzes.generation.sentences import split_sentences

_ORDINAL = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class Evidence:
    """The passages that state an event's date and the phrases in them that do."""

    passages: list[Passage]
    phrases: list[str]

    def sentences(self) -> list[tuple[Passage, str]]:
        """Each stating sentence with its passage, in citation order."""
        out = []
        for passage in self.passages:
            for start, end in split_sentences(passage.text):
                sentence = passage.text[start:end]
                if any(phrase in sentence for phrase in self.phrases):
                    out.append((passage, sentence))
        return out


def _patterns(event: TimelineEvent) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(patterns that state the whole date, patterns that state it but for the year)."""
    d = event.date
    year = rf"\b{d.year}\b"
    month = calendar.month_name[d.month]
    if event.precision == TimelineEvent.Precision.YEAR:
        return [re.compile(year)], []
    if event.precision == TimelineEvent.Precision.MONTH:
        return [re.compile(rf"\b{month},?\s+{d.year}\b")], []
    day = rf"{d.day}{_ORDINAL}"
    whole = [
        re.compile(rf"\b{month}\s+{day},?\s+{d.year}\b"),
        re.compile(rf"\b{day}\s+(?:of\s+)?{month},?\s+{d.year}\b"),
    ]
    partial = [
        re.compile(rf"\b{month}\s+{day}\b(?!,?\s*\d)"),
        re.compile(rf"\b{day}\s+(?:of\s+)?{month}\b(?!,?\s*\d)"),
    ]
    return whole, partial


def date_evidence(event: TimelineEvent, citations: list[Passage]) -> Evidence | None:
    """The cited passages that state the event's date at its precision, or None."""
    if event.precision not in (
        TimelineEvent.Precision.DAY,
        TimelineEvent.Precision.MONTH,
        TimelineEvent.Precision.YEAR,
    ):
        return None
    whole, partial = _patterns(event)
    for passage in citations:
        for pattern in whole:
            m = pattern.search(passage.text)
            if m:
                return Evidence([passage], [m.group(0)])
    if event.precision != TimelineEvent.Precision.DAY:
        return None
    d = event.date
    month_year = re.compile(rf"\b{calendar.month_name[d.month]}\b[^.]{{0,12}}\b{d.year}\b")
    for passage in citations:
        for pattern in partial:
            m = pattern.search(passage.text)
            if not m:
                continue
            year = next(
                (
                    (other, y.group(0))
                    for other in citations
                    if other.source.slug == passage.source.slug
                    and other is not passage
                    and (y := re.search(rf"\b{d.year}\b", other.text))
                ),
                None,
            )
            if year:
                return Evidence([passage, year[0]], [m.group(0), year[1]])
        # "on the 25th" in a passage that names the month and the year
        the_day = re.search(rf"\bthe\s+{d.day}{_ORDINAL}\b", passage.text)
        named = month_year.search(passage.text)
        if the_day and named:
            return Evidence([passage], [the_day.group(0), named.group(0)])
    return None
