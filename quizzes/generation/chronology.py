"""Chronology: put 3–5 timeline events in order, earliest first.

Events are only set side by side when their order is unambiguous at their
precision (two events in the same year cannot be ordered if one is dated only
by year) with a margin (`MIN_GAP`: 13 and 17 April 1956 are a test of memory for
dates, not of history), and when their titles do not carry their dates. Sets
are drawn deterministically from the seed; a new set shares at most one event
with any set already chosen, and no event is used more than `MAX_USES` times,
so the bank has many different questions rather than variations of one.

Every event is ordered by what the question cites: only events whose cited passages
state their date at its precision (`dating`) are used, the question cites each of
those passages, and the feedback quotes each event's dating sentence with its source.
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
from quizzes.generation.dating import Evidence, date_evidence
from quizzes.generation.who_what_when import title_problem
from quizzes.models import Question

NAME = "chronology"
VERSION = 3
TYPE = Question.Type.CHRONOLOGY
SETS = 24
TRIES = 400
MAX_USES = 4
MAX_SHARED = 1
MIN_GAP = datetime.timedelta(days=30)
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


def orderable(events: list[TimelineEvent], *, gap: datetime.timedelta = MIN_GAP) -> bool:
    periods = sorted(_period(e) for e in events)
    return all(a[1] + gap < b[0] for a, b in itertools.pairwise(periods))


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    usable = []
    readable = {id(p) for p in corpus.passages}
    cited = {
        e.slug: [p for p in corpus.event_citations.get(e.slug, []) if id(p) in readable]
        for e in corpus.events
    }
    evidence: dict[str, Evidence] = {}
    for event in corpus.events:
        found = date_evidence(event, cited[event.slug]) if cited[event.slug] else None
        if not cited[event.slug]:
            yield Rejection(NAME, "timeline event cites no passage", event.slug)
        elif found is None:
            yield Rejection(NAME, UNDATED, event.slug)
        elif _DATED_TITLE.search(event.title):
            yield Rejection(NAME, "event title gives its date away", event.slug)
        elif title_problem(corpus, event):
            yield Rejection(NAME, "event title needs a sentence it does not give", event.slug)
        else:
            evidence[event.slug] = found
            usable.append(event)
    if len(usable) < 3:
        return
    chosen: list[set[str]] = []
    uses: dict[str, int] = {}
    for n in range(SETS):
        r = item_rng(base, "set", str(n))
        size = (4, 3, 4, 5)[n % 4]
        picked = _pick(r, usable, size, chosen, uses)
        if picked is None:
            yield Rejection(NAME, "no further set of events far enough apart", str(n))
            continue
        key = tuple(sorted(e.slug for e in picked))
        chosen.append(set(key))
        for slug in key:
            uses[slug] = uses.get(slug, 0) + 1
        options = [{"id": OPTION_IDS[i], "text": e.title.rstrip(".")} for i, e in enumerate(picked)]
        in_order = sorted(range(size), key=lambda i: picked[i].date)
        ordered = [picked[i] for i in in_order]
        citations: list = []
        for e in ordered:
            citations += [p for p in evidence[e.slug].passages if p not in citations]
        first = citations[0]
        explanation = "From the earliest: " + "; ".join(
            f"{e.date_label}, {e.title.rstrip('.')}" for e in ordered
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
            quote=_quotes(corpus, [evidence[e.slug] for e in ordered]),
            highlight=None,
            identity=key,
            option_kind="event",
            support_text=" ".join(p.text for p in citations),
            support_phrases=[phrase for e in ordered for phrase in evidence[e.slug].phrases],
            difficulty={3: "easy", 4: "medium", 5: "hard"}[size],
        )


UNDATED = "event's date is not stated in its cited passages"


def _quotes(corpus: CorpusSnapshot, evidence: list[Evidence]) -> str:
    """One line per event, earliest first: the sentence that dates it and whose it is."""
    lines = []
    for found in evidence:
        for passage, sentence in found.sentences():
            line = f"“{sentence}” ({corpus.source_label(passage)})"
            if line not in lines:
                lines.append(line)
    return "\n".join(lines)


def _pick(
    r: random.Random,
    usable: list[TimelineEvent],
    size: int,
    chosen: list[set[str]],
    uses: dict[str, int],
    gap: datetime.timedelta = MIN_GAP,
) -> list[TimelineEvent] | None:
    """A set of `size` events, orderable with a margin (`gap`), new enough beside `chosen`."""
    pool = [e for e in usable if uses.get(e.slug, 0) < MAX_USES]
    if len(pool) < size:
        return None
    for _ in range(TRIES):
        picked = r.sample(pool, size)
        slugs = {e.slug for e in picked}
        if any(len(slugs & earlier) > MAX_SHARED for earlier in chosen):
            continue
        if orderable(picked, gap=gap):
            return picked
    return None
