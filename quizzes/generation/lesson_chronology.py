"""Chronology within one lesson: put 3-5 of its timeline events in order, as their entries
date them.

`chronology` orders events whose date a passage states, across the whole timeline; most
events of the rewritten lessons are dated by reference works instead (the Polish October,
Hungary, the leak's steps). Here each set is drawn from one lesson's timeline
(`CorpusSnapshot.groups`), from events that `entries.datable` allows (a reference work
behind the entry, day, month or year precision, no dispute about the date, no year in the
title), set apart as `orderable` sets them (a week between any two, `LESSON_GAP`) and
drawn as it draws them (`chronology._pick`: a set shares at most one event with an earlier
one, an event is in at most four). An entry citing no reference work is used where a cited
passage states its date (`dating`), as `chronology` requires. The question rests on its events, and its feedback
shows each entry with its date and reference citations.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from quizzes.generation.candidates import OPTION_IDS, Candidate, Rejection, item_rng
from quizzes.generation.chronology import _pick
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.dating import date_evidence
from quizzes.generation.entries import ENTRY_PENALTY, NO_REFERENCE, datable, misdated
from quizzes.models import Question

NAME = "lesson_chronology"
VERSION = 1
TYPE = Question.Type.CHRONOLOGY
SETS_PER_EVENTS = 2  # up to one set for every two usable events of a lesson
SIZES = (4, 3, 4, 5)
# Within one lesson the steps of one story, a week apart or more, are what the lesson
# teaches in order (lesson 2: Bierut's death, then Ochab; the State Department's release,
# then the Observer): `chronology`'s month is for events of different stories.
LESSON_GAP = datetime.timedelta(days=7)


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    usable = [e for e in corpus.events if _dated(corpus, e) and not misdated(corpus, e)]
    for group in corpus.groups:
        lesson = getattr(group, "event_ids", frozenset())
        events = [e for e in usable if e.pk in lesson]
        chosen: list[set[str]] = []
        uses: dict[str, int] = {}
        for n in range(len(events) // SETS_PER_EVENTS):
            r = item_rng(base, group.key, str(n))
            size = SIZES[n % len(SIZES)]
            picked = _pick(r, events, size, chosen, uses, gap=LESSON_GAP)
            if picked is None:
                yield Rejection(NAME, "no further set of events far enough apart", group.key)
                continue
            key = tuple(sorted(e.slug for e in picked))
            chosen.append(set(key))
            for slug in key:
                uses[slug] = uses.get(slug, 0) + 1
            yield _candidate(picked, key)


def _candidate(picked, key) -> Candidate:
    options = [{"id": OPTION_IDS[i], "text": e.title.rstrip(".")} for i, e in enumerate(picked)]
    in_order = sorted(range(len(picked)), key=lambda i: picked[i].date)
    ordered = [picked[i] for i in in_order]
    lines = [f"{e.date_label}: {e.title.rstrip('.')}." for e in ordered]
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem="Put these events in chronological order, from the earliest to the latest.",
        options=options,
        answer=[OPTION_IDS[i] for i in in_order],
        passage=None,
        explanation="From the earliest: "
        + "; ".join(f"{e.date_label}, {e.title.rstrip('.')}" for e in ordered)
        + ".",
        quote="\n".join(lines),
        highlight=None,
        identity=key,
        option_kind="event",
        support_text=" ".join(lines),
        support_phrases=[e.date_label for e in ordered],
        penalties={"rests on an entry": ENTRY_PENALTY},
        difficulty={3: "easy", 4: "medium", 5: "hard"}[len(picked)],
        events=ordered,
    )


def _dated(corpus: CorpusSnapshot, event) -> bool:
    """Whether the entry dates the event surely: as `datable` says, or, for an entry citing
    no reference work, where a cited passage states the date (`dating`)."""
    problem = datable(corpus, event)
    if problem is None:
        return True
    if problem != NO_REFERENCE:
        return False
    readable = {id(p) for p in corpus.passages}
    cited = [p for p in corpus.event_citations.get(event.slug, []) if id(p) in readable]
    return bool(cited) and date_evidence(event, cited) is not None
