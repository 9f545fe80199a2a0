"""Chronology: put 3–5 timeline events in order, earliest first.

Events are only set side by side when their order is unambiguous at their
precision (two events in the same year cannot be ordered if one is dated only
by year), and when their titles do not carry their dates.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
from collections.abc import Iterator

from corpus.models import TimelineEvent
from quizzes.generation.candidates import OPTION_IDS, Candidate, Rejection, item_rng
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.models import Question

NAME = "chronology"
VERSION = 1
TYPE = Question.Type.CHRONOLOGY
SETS = 40
_DATED_TITLE = re.compile(r"\b1[89]\d\d\b|\b20\d\d\b")


def _period(event: TimelineEvent) -> tuple[datetime.date, datetime.date]:
    d = event.date
    if event.precision == TimelineEvent.Precision.DAY:
        return d, d
    if event.precision == TimelineEvent.Precision.MONTH:
        return d.replace(day=1), d.replace(day=28)
    if event.precision == TimelineEvent.Precision.YEAR:
        return d.replace(month=1, day=1), d.replace(month=12, day=31)
    return d.replace(year=d.year - 2, month=1, day=1), d.replace(year=d.year + 2, month=12, day=31)


def orderable(events: list[TimelineEvent]) -> bool:
    periods = sorted(_period(e) for e in events)
    return all(a[1] < b[0] for a, b in itertools.pairwise(periods))


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    usable = []
    for event in corpus.events:
        if not corpus.event_citations.get(event.slug):
            yield Rejection(NAME, "timeline event cites no passage", event.slug)
        elif _DATED_TITLE.search(event.title):
            yield Rejection(NAME, "event title gives its date away", event.slug)
        else:
            usable.append(event)
    if len(usable) < 3:
        return
    seen: set[tuple[str, ...]] = set()
    for n in range(SETS):
        r = item_rng(base, "set", str(n))
        size = r.choice((3, 4, 4, 5))
        if len(usable) < size:
            continue
        picked = r.sample(usable, size)
        key = tuple(sorted(e.slug for e in picked))
        if key in seen:
            continue
        seen.add(key)
        if not orderable(picked):
            yield Rejection(NAME, "events cannot be ordered at their precision", ",".join(key))
            continue
        options = [{"id": OPTION_IDS[i], "text": e.title.rstrip(".")} for i, e in enumerate(picked)]
        in_order = sorted(range(size), key=lambda i: picked[i].date)
        citations = [corpus.event_citations[e.slug][0] for e in picked]
        first = citations[in_order[0]]
        explanation = "; ".join(
            f"{picked[i].date_label}: {picked[i].title.rstrip('.')}" for i in in_order
        )
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem="Put these events in chronological order, from the earliest to the latest.",
            options=options,
            answer=[OPTION_IDS[i] for i in in_order],
            passage=first,
            extra_passages=[p for p in citations if p is not first],
            explanation=explanation + ".",
            quote=first.text,
            highlight=None,
            identity=key,
            option_kind="event",
            support_text=" ".join(p.text for p in citations),
            difficulty={3: "easy", 4: "medium", 5: "hard"}[size],
        )
