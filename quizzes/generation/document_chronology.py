"""Chronology within a document the timeline does not cover yet: its own dated sentences.

A new document ("The Anti-Party Group crisis of June 1957") dates its events in its
own sentences long before a curator approves them as timeline events. Each sentence
whose main clause opens or ends with a day or month (`corpus.proposals.dated_events`,
the rule proposals follow) gives an event titled by its headline in the present
("Soviet forces attack Budapest"); 3 or 4 of them, a few days apart at least, are put in
order. Each event's date is in its own cited sentence, which the feedback quotes. A
headline that needs the sentence before it ("The congress votes to remove the body")
or gives its year away is not used. Once the timeline cites the document, the
timeline's chronology asks instead.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.utils.text import slugify

from corpus import discovery
from corpus.models import GlossaryTerm, TimelineEvent
from corpus.proposals import dated_events
from quizzes.generation.candidates import OPTION_IDS, Candidate, Rejection, item_rng
from quizzes.generation.chronology import _DATED_TITLE, orderable
from quizzes.generation.cloze import known_title
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.statements import anaphora, dangling_pronoun
from quizzes.models import Question

NAME = "document_chronology"
VERSION = 1
TYPE = Question.Type.CHRONOLOGY
SETS = 4
SIZES = (3, 4, 3, 4)
TRIES = 200
MAX_USES = 2
MAX_SHARED = 1
# Within one story a few days are history ("the plenum met after the Presidium had"),
# not a test of memory for dates.
MIN_GAP = datetime.timedelta(days=2)


class _Dated:
    """A document's dated sentence as an event: what `orderable` needs, and its passage."""

    def __init__(self, *, passage, title: str, date, precision: str, date_text: str, sentence):
        self.passage = passage
        self.title = title
        self.date = date
        self.precision = precision
        self.date_text = date_text
        self.sentence = sentence
        self.slug = f"{slugify(discovery.fold(title))[:60].rstrip('-')}-{date.year}"

    @property
    def date_label(self) -> str:
        return TimelineEvent(date=self.date, precision=self.precision).date_label


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    covered = {id(p) for passages in corpus.event_citations.values() for p in passages}
    persons = [
        s for t in corpus.terms if t.kind == GlossaryTerm.Kind.PERSON for s in t.spellings if s
    ]
    by_work: dict[str, list] = {}
    for passage in corpus.passages:
        by_work.setdefault(corpus.work_of(passage).slug, []).append(passage)
    for work_slug, passages in by_work.items():
        if any(id(p) in covered for p in passages):
            continue  # the timeline covers this document: its chronology asks
        events = list(_events(corpus, passages, persons))
        usable = [e for e in events if not isinstance(e, Rejection)]
        yield from (e for e in events if isinstance(e, Rejection))
        if len(usable) < 3:
            continue
        label = corpus.source_label(passages[0])
        chosen: list[set[str]] = []
        uses: dict[str, int] = {}
        for n in range(SETS):
            r = item_rng(base, work_slug, str(n))
            picked = _pick(r, usable, SIZES[n], chosen, uses)
            if picked is None:
                continue
            key = tuple(sorted(e.slug for e in picked))
            chosen.append(set(key))
            for slug in key:
                uses[slug] = uses.get(slug, 0) + 1
            yield _candidate(corpus, picked, key=key, label=label)


def _events(corpus: CorpusSnapshot, passages, persons) -> Iterator[_Dated | Rejection]:
    seen: set[str] = set()
    for passage in passages:
        known = known_title(corpus, passage)
        for found in dated_events(passage.text, persons=persons):
            title = found.title
            problem = (
                anaphora(title, known=known)
                or dangling_pronoun(title)
                or ("the title gives its year away" if _DATED_TITLE.search(title) else None)
            )
            if problem:
                yield Rejection(NAME, problem, title, f"{passage.source.slug}:{passage.key}")
                continue
            event = _Dated(
                passage=passage,
                title=title,
                date=found.date,
                precision=found.precision,
                date_text=found.date_text,
                sentence=found.sentence,
            )
            if event.slug not in seen:
                seen.add(event.slug)
                yield event


def _pick(r, usable, size, chosen, uses):
    pool = [e for e in usable if uses.get(e.slug, 0) < MAX_USES]
    if len(pool) < size:
        return None
    for _ in range(TRIES):
        picked = r.sample(pool, size)
        slugs = {e.slug for e in picked}
        if any(len(slugs & earlier) > MAX_SHARED for earlier in chosen):
            continue
        if orderable(picked, gap=MIN_GAP):
            return picked
    return None


def _candidate(corpus: CorpusSnapshot, picked: list[_Dated], *, key, label: str) -> Candidate:
    size = len(picked)
    options = [{"id": OPTION_IDS[i], "text": e.title.rstrip(".")} for i, e in enumerate(picked)]
    in_order = sorted(range(size), key=lambda i: picked[i].date)
    ordered = [picked[i] for i in in_order]
    citations: list = []
    for e in ordered:
        if e.passage not in citations:
            citations.append(e.passage)
    explanation = "From the earliest: " + "; ".join(
        f"{e.date_label}, {e.title.rstrip('.')}" for e in ordered
    )
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=(
            f"Put these events from {label} in chronological order, from the earliest to "
            "the latest."
        ),
        options=options,
        answer=[OPTION_IDS[i] for i in in_order],
        passage=citations[0],
        extra_passages=citations[1:],
        explanation=explanation + ".",
        quote="\n".join(f"“{e.sentence}” ({label})" for e in ordered),
        highlight=None,
        identity=("document", *key),
        option_kind="event",
        support_text=" ".join(p.text for p in citations),
        support_phrases=[e.date_text for e in ordered],
        difficulty={3: "easy", 4: "medium", 5: "hard"}[size],
    )
