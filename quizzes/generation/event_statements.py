"""True or false: when an event happened, as the timeline entry (and its reference works)
dates it. "True or false? On 12 March 1956, Bolesław Bierut died in Moscow."

The statement is the event's title in the past tense after its date (`entries.past_clause`).
A false statement gives the date of a neighbouring event instead, the nearest in time of
the same precision (a real confusion: the day Ochab took over for the day Bierut died),
never a date the entry names or counts from its own ("three days later"), never a few days
from the true one, and only for an act done once (`event_dates.once`: a death, an arrest,
an election; a paper that printed a report on the 17th may have printed another on the
20th, so "printed … on 20 March" is not surely false). Events alternate
between true and false in date order (one with no neighbour to confuse stays true, and
the next is false), so the statements of any stretch of the timeline, and so of each
lesson, are about half true; `balancing` holds any surplus. One statement
per event; it rests on the event (`Candidate.events`), whose entry its feedback shows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from corpus.models import TimelineEvent
from quizzes.generation.candidates import Candidate, Rejection
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.documents_named import name_documents
from quizzes.generation.entries import (
    ENTRY_PENALTY,
    datable,
    date_distractors,
    dated_elsewhere,
    entry_text,
    past_clause,
    when_phrase,
)
from quizzes.generation.event_dates import implied, once
from quizzes.generation.true_false import OPTIONS
from quizzes.models import Question


def _label(date, precision: str) -> str:
    return TimelineEvent(date=date, precision=precision).date_label


NAME = "event_statements"
VERSION = 1
TYPE = Question.Type.TRUE_FALSE


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    usable = []
    for event in corpus.events:
        problem = datable(corpus, event)
        clause = None if problem else past_clause(event.title, corpus)
        if problem is None and clause is None:
            problem = "timeline title has no verb to state"
        elif clause is not None and dated_elsewhere(event, clause):
            problem = "the entry dates something else than its title"
        if problem:
            yield Rejection(NAME, problem, event.slug)
        else:
            usable.append((event, clause))
    lean = 0  # true statements made minus false ones: the next is false when positive
    for event, clause in sorted(usable, key=lambda row: (row[0].date, row[0].slug)):
        when = when_phrase(event)
        wrong = ""
        if lean > 0 and once(event.title):
            # False only by a date on which the entry rules the act out: an act done once
            # (a paper prints again, an ambassador reports again), never a day the entry
            # names or counts ("three days later he judges it").
            avoid = frozenset(_label(d, event.precision) for d in implied(event))
            choice = date_distractors(corpus, event, count=1, avoid=avoid)
            # No neighbouring event's date to confuse: this one is stated true after all.
            if choice.labels and not choice.derived:
                wrong = choice.labels[0]
                when = when.replace(event.date_label, wrong)
        true = not wrong
        lean += 1 if true else -1
        statement = clause.sentence(when)
        truth = f"{event.title.rstrip('.')}: {event.date_label}"
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=f"True or false? {name_documents(statement)}",
            options=OPTIONS,
            answer=["true" if true else "false"],
            passage=None,
            explanation=f"{'True' if true else 'False'}. {truth}"
            + ("." if true else f", not {wrong}."),
            quote=" ".join(event.description.split()),
            highlight=None,
            identity=("event-statement", event.slug),
            option_kind="boolean",
            support_text=entry_text(event),
            support_phrases=[event.date_label],
            penalties={"rests on an entry": ENTRY_PENALTY},
            difficulty="medium",
            events=[event],
        )
