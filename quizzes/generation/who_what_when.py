"""Who / what / when multiple choice from the glossary and the timeline.

"Who fits this description?" is built from a glossary entry with the name
blanked; "When did this happen?" from a timeline event. Both entries cite
passages; the first citation is the question's passage and the rest are extra
citations.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterator

from corpus.models import GlossaryTerm, TimelineEvent
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    shuffled_options,
)
from quizzes.generation.cloze import BLANK
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings, like_terms
from quizzes.generation.sentences import (
    contains_phrase,
    split_sentences,
    straighten_quotes,
    word_count,
)
from quizzes.models import Question

NAME = "who_what_when"
VERSION = 1
TYPE = Question.Type.WHO_WHAT_WHEN
ERA_YEARS = 8

_ASK = {
    GlossaryTerm.Kind.PERSON: ("Who", "person"),
    GlossaryTerm.Kind.ORGANIZATION: ("Which organization", "organization"),
    GlossaryTerm.Kind.PLACE: ("Which place", "place"),
    GlossaryTerm.Kind.EVENT: ("Which event", "event-name"),
    GlossaryTerm.Kind.DOCUMENT: ("Which document", "document"),
    GlossaryTerm.Kind.CONCEPT: ("Which term", "concept"),
}
_WHEN = {
    TimelineEvent.Precision.DAY: "On what date",
    TimelineEvent.Precision.MONTH: "In which month",
    TimelineEvent.Precision.YEAR: "In which year",
}
_YEAR = re.compile(r"\b1[89]\d\d\b|\b20\d\d\b")


def _redact(text: str, spellings: list[str]) -> str:
    for spelling in spellings:  # longest first
        text = re.sub(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", BLANK, text)
    return text


def _describe(term: GlossaryTerm) -> str:
    """The first sentence or two of the description, with every spelling of the term blanked."""
    description = " ".join(term.description.split())
    spans = split_sentences(description)
    text = ""
    for start, end in spans:
        candidate = (text + " " + description[start:end]).strip()
        if word_count(candidate) > 40:
            break
        text = candidate
    return straighten_quotes(_redact(text, all_spellings(term)))


def _from_glossary(corpus: CorpusSnapshot, base: float) -> Iterator[Candidate | Rejection]:
    for term in corpus.terms:
        citations = corpus.term_citations.get(term.slug, [])
        if not citations:
            yield Rejection(NAME, "glossary entry cites no passage", term.slug)
            continue
        support = " ".join(p.text for p in citations)
        found = [s for s in all_spellings(term) if contains_phrase(support, s)]
        if not found:
            yield Rejection(NAME, "answer not supported by a cited passage", term.slug)
            continue
        description = _describe(term)
        if BLANK in description and description.startswith(BLANK):
            description = description.replace(BLANK, "This " + _ASK[term.kind][1], 1)
        r = item_rng(base, "term", term.slug)
        others, penalty = like_terms(corpus=corpus, answer=term, avoid_text=term.description, rng=r)
        if len(others) < 3:
            yield Rejection(NAME, "too few distractors of the same kind and role", term.slug)
            continue
        ask, noun = _ASK[term.kind]
        stem = f"{ask} does Thaw's glossary describe here? “{description}”"
        options, answer = shuffled_options(
            rng=r, answer=term.name, distractors=[t.name for t in others]
        )
        by_name = {t.name: t for t in others}
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=citations[0],
            extra_passages=citations[1:],
            explanation=f"The glossary entry for {term.name}: {term.description}",
            quote=citations[0].text,
            highlight=_highlight(citations[0].text, found),
            identity=("term", term.slug),
            option_kind=noun if noun != "person" else "person",
            support_text=support,
            support_phrases=found[:1],
            exclusive_text=term.description,
            answer_spellings=all_spellings(term),
            distractor_spellings={
                o["id"]: all_spellings(by_name[o["text"]]) for o in options if o["id"] not in answer
            },
            penalties={"role widened": penalty},
            difficulty="medium",
        )


def _highlight(text: str, phrases: list[str]) -> tuple[int, int] | None:
    for phrase in phrases:
        index = text.find(phrase)
        if index >= 0:
            return index, index + len(phrase)
    return None


def _label(date: datetime.date, precision: str) -> str:
    return TimelineEvent(date=date, precision=precision).date_label


def _shifted(event: TimelineEvent) -> list[datetime.date]:
    d = event.date
    out = [d.replace(year=d.year + n) for n in (-2, -1, 1, 2, 3)]
    if event.precision != TimelineEvent.Precision.YEAR:
        out += [d.replace(month=(d.month + n - 1) % 12 + 1, day=min(d.day, 28)) for n in (3, 5)]
    return out


def _from_timeline(corpus: CorpusSnapshot, base: float) -> Iterator[Candidate | Rejection]:
    for event in corpus.events:
        if event.precision not in _WHEN:
            yield Rejection(NAME, "approximate date", event.slug)
            continue
        citations = corpus.event_citations.get(event.slug, [])
        if not citations:
            yield Rejection(NAME, "timeline event cites no passage", event.slug)
            continue
        if _YEAR.search(event.title):
            yield Rejection(NAME, "answer given away in the stem", event.slug)
            continue
        r = item_rng(base, "event", event.slug)
        answer_text = event.date_label
        pool = [
            e.date
            for e in corpus.events
            if e.precision == event.precision and abs(e.date.year - event.date.year) <= ERA_YEARS
        ]
        r.shuffle(pool)
        shifted = _shifted(event)
        r.shuffle(shifted)
        distractors: list[str] = []
        derived = 0
        for i, date in enumerate(pool[:2] + shifted):
            label = _label(date, event.precision)
            if label != answer_text and label not in distractors and len(distractors) < 3:
                distractors.append(label)
                derived += i >= 2
        support = " ".join(p.text for p in citations)
        year_cited = str(event.date.year) in support
        title = event.title.rstrip(".")
        stem = f"{_WHEN[event.precision]} did this happen, according to Thaw's timeline? {title}."
        options, answer = shuffled_options(rng=r, answer=answer_text, distractors=distractors)
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=citations[0],
            extra_passages=citations[1:],
            explanation=f"{event.title}: {answer_text}. {event.description}".strip(),
            quote=citations[0].text,
            highlight=_highlight(citations[0].text, [str(event.date.year)]),
            identity=("event", event.slug),
            option_kind="date",
            support_text=support,
            support_phrases=[str(event.date.year)] if year_cited else [],
            exclusive_text="",
            answer_spellings=[answer_text],
            penalties={
                "date not in cited passage": 0.0 if year_cited else 0.15,
                "derived distractors": 0.04 * max(0, derived - 1),
            },
            difficulty="hard" if event.precision == TimelineEvent.Precision.DAY else "medium",
        )


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    yield from _from_glossary(corpus, base)
    yield from _from_timeline(corpus, base)
