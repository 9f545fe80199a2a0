"""What happened, and when: questions resting on timeline events that cite reference works.

Two questions per event (`entries` has the rules they share):

* its date: "On what date did the Soviet army crush the Hungarian revolution?" (the title
  turned into a question as `who_what_when.event_question` turns it), with the dates of
  other events as distractors, the nearest in time first; only of an act done once
  (`event_dates.once`: a paper that printed on 28 May may have printed on 2 June);
* who did it, when the title's subject is a person or a body of the glossary: "Who became
  first secretary of the Polish party on 20 March 1956?", with people (bodies) of the
  same kind and role, none named in the entry, none whose own entry names the key (Kádár's
  names Nagy: a member of his government, defensible beside him).

The key is what the entry says, and the question rests on the event (`Candidate.events`);
its feedback shows the entry with its reference citations. An event whose date the
speech or another source states is asked "according to" that source by `who_what_when`,
with the same fingerprint: the better of the two survives the near-duplicate gate.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from corpus.models import GlossaryTerm, TimelineEvent
from quizzes.generation import clues
from quizzes.generation.candidates import Candidate, Rejection, item_rng, shuffled_options
from quizzes.generation.corpus_snapshot import CorpusSnapshot, is_discovered
from quizzes.generation.documents_named import SPEECH_UNNAMED, name_documents
from quizzes.generation.entries import (
    ENTRY_PENALTY,
    MIN_DAYS_APART,
    NEAR_DAYS,
    datable,
    date_distractors,
    date_question,
    dated_elsewhere,
    deaths,
    entry_text,
    fits_time,
    misdated,
    past_clause,
    same_story,
    when_phrase,
)
from quizzes.generation.event_dates import implied, once
from quizzes.generation.glossary_choice import ROLE_FALLBACK_PENALTY, all_spellings, like_terms
from quizzes.generation.sentences import contains_phrase, normalise
from quizzes.models import Question

NAME = "event_questions"
VERSION = 1
TYPE = Question.Type.WHO_WHAT_WHEN
_ASK = {GlossaryTerm.Kind.PERSON: "Who", GlossaryTerm.Kind.ORGANIZATION: "Which organization"}
# Newspapers printed the speech on the same days: "which newspaper printed it" has several
# defensible answers, so the press is not asked about this way.
_NOT_ASKED_ROLES = {"press"}
NEVER = 10**6  # days to the nearest event naming someone no event names


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    # The events another question's options may name: dated as surely as the key.
    options = [e for e in corpus.events if datable(corpus, e) is None and not misdated(corpus, e)]
    dead = deaths(corpus)
    for event in corpus.events:
        problem = datable(corpus, event)
        if problem:
            yield Rejection(NAME, problem, event.slug)
            continue
        clause = past_clause(event.title, corpus)
        if clause is None:
            yield Rejection(NAME, "timeline title has no verb to ask about", event.slug)
            continue
        if dated_elsewhere(event, clause):
            yield Rejection(NAME, "the entry dates something else than its title", event.slug)
            continue
        yield _date_question(corpus, event, base)
        yield _actor_question(corpus, event, clause, base, dead)
        yield _on_date_question(corpus, event, base, options)


def _date_question(corpus: CorpusSnapshot, event: TimelineEvent, base: float):
    r = item_rng(base, "event-date", event.slug)
    if not once(event.title):
        # "On what date did France-Soir print parts of the speech?" with 2 June beside 28
        # May: a paper prints again, an embassy is told again, so another day is not
        # surely wrong (the historian's audit, G1). Asked of an act done once.
        return Rejection(
            NAME, "an act done more than once: another date is not surely wrong", event.slug
        )
    question = date_question(event, corpus)
    choice = date_distractors(corpus, event)
    # Two days shifted from the key ("23 December 1921", "23 December 1923") beside it give
    # it away by the day they share: at most one option is made that way.
    if question is None or len(choice.labels) < 3 or choice.derived > 1:
        return Rejection(NAME, "too few dates of other events", event.slug)
    answer_text = event.date_label
    options, answer = shuffled_options(rng=r, answer=answer_text, distractors=choice.labels)
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=name_documents(question),
        options=options,
        answer=answer,
        passage=None,
        explanation=f"{event.title.rstrip('.')}: {answer_text}.",
        quote=" ".join(event.description.split()),
        highlight=None,
        identity=("event", event.slug),
        option_kind="date",
        support_text=entry_text(event),
        support_phrases=[answer_text],
        answer_spellings=[answer_text],
        penalties={"rests on an entry": ENTRY_PENALTY},
        difficulty="hard" if event.precision == TimelineEvent.Precision.DAY else "medium",
        events=[event],
    )


_FINER = {
    TimelineEvent.Precision.DAY: (TimelineEvent.Precision.DAY,),
    TimelineEvent.Precision.MONTH: (TimelineEvent.Precision.DAY, TimelineEvent.Precision.MONTH),
    TimelineEvent.Precision.YEAR: (
        TimelineEvent.Precision.DAY,
        TimelineEvent.Precision.MONTH,
        TimelineEvent.Precision.YEAR,
    ),
}


def _outside(other: TimelineEvent, event: TimelineEvent) -> bool:
    """Whether `other` surely did not happen on the day, in the month or in the year asked."""
    if other.precision not in _FINER.get(event.precision, ()):
        return False
    if event.precision == TimelineEvent.Precision.DAY:
        return other.date_label != event.date_label
    if event.precision == TimelineEvent.Precision.MONTH:
        return (other.date.year, other.date.month) != (event.date.year, event.date.month)
    return other.date.year != event.date.year


def _on_date_question(corpus: CorpusSnapshot, event: TimelineEvent, base: float, usable):
    """ "Which of these events took place on 12 March 1956?": the other options are events
    the same rules let us date, the nearest in time first, none within a few days of the
    date asked (so none could have happened on it too), none an act done again (a paper
    prints, an embassy is told) dated before it: of the same precision, or, for a month or
    a year, dated more finely to another month or year."""
    r = item_rng(base, "event-on-date", event.slug)
    others = [
        e
        for e in usable
        if e.slug != event.slug
        and _outside(e, event)
        and MIN_DAYS_APART <= abs((e.date - event.date).days) <= NEAR_DAYS
        and not same_story(corpus, e, event)
        # "Bohlen reports a French summary" (14 May; "three days later he judges it")
        # is no wrong answer for 17 May.
        and not _also_on(e, event)
        # "The Manchester Guardian prints a report" (17 March) may have printed another
        # on 20 March: an act done again is wrong only for a day before it was first done.
        and (once(e.title) or e.date > event.date)
    ]
    others.sort(key=lambda e: (abs((e.date - event.date).days), e.slug))
    if len(others) < 3:
        return Rejection(NAME, "too few other events near it", event.slug)
    title = event.title.rstrip(".")
    options, answer = shuffled_options(
        rng=r, answer=title, distractors=[e.title.rstrip(".") for e in others[:3]]
    )
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=f"Which of these events took place {when_phrase(event)}?",
        options=options,
        answer=answer,
        passage=None,
        explanation=f"{title}: {event.date_label}. "
        + "; ".join(f"{e.title.rstrip('.')}: {e.date_label}" for e in others[:3])
        + ".",
        quote=" ".join(event.description.split()),
        highlight=None,
        identity=("event-on-date", event.slug),
        option_kind="event-title",
        support_text=entry_text(event),
        support_phrases=[event.date_label],
        exclusive_text=event.description,
        answer_spellings=[title],
        penalties={"rests on an entry": ENTRY_PENALTY},
        difficulty="medium",
        events=[event],
    )


def _also_on(other: TimelineEvent, event: TimelineEvent) -> bool:
    """Whether `other`'s entry names or counts a day in the day, month or year asked."""
    for day in implied(other):
        if event.precision == TimelineEvent.Precision.DAY and day == event.date:
            return True
        if event.precision == TimelineEvent.Precision.MONTH and (day.year, day.month) == (
            event.date.year,
            event.date.month,
        ):
            return True
    return False


def subject_term(words: tuple[str, ...], corpus: CorpusSnapshot) -> GlossaryTerm | None:
    """The glossary person or body a title's subject names whole ("Bolesław Bierut", "The
    Central Committee"), or None."""
    text = " ".join(words[1:] if words[0] in ("The", "the") else words)
    for term in corpus.terms:
        if term.kind not in _ASK or is_discovered(term):
            continue
        if any(normalise(s) == normalise(text) for s in all_spellings(term)):
            return term
    return None


def _actor_question(corpus: CorpusSnapshot, event: TimelineEvent, clause, base: float, dead):
    term = subject_term(clause.words, corpus)
    if term is None:
        return Rejection(NAME, "the title's subject is not a person or body", event.slug)
    if term.role in _NOT_ASKED_ROLES:
        return Rejection(NAME, "several newspapers could be the answer", event.slug)
    r = item_rng(base, "event-actor", event.slug)
    avoid = f"{event.title} {event.description}"
    others, _ = like_terms(
        corpus=corpus, answer=term, avoid_text=avoid, rng=r, count=len(corpus.terms)
    )
    # Not someone whose own entry names the key: a colleague or a successor might be
    # defensible beside him ("Nagy's government declared ...": Kádár sat in it).
    others = [
        t
        for t in others
        if not is_discovered(t)
        and not any(contains_phrase(t.description, s) for s in all_spellings(term))
    ]
    # Someone of the event's years, alive on its day: not Kirov (shot in 1934) or Bierut
    # (dead since March) as the man who did something in October 1956.
    others = [
        t
        for t in others
        if fits_time(corpus, t, event.date, dead) and _distance(corpus, t, event, term)[1] < NEVER
    ]
    stem = f"{_ASK[term.kind]} {clause.predicate} {when_phrase(event)}?"
    # Of the country the question gives the key ("Who declared Hungary neutral?": a
    # Hungarian, not Mao or Gomułka).
    others = [t for t in others if not clues.ruled_out(corpus, term, t, stem)]
    others.sort(key=lambda t: _distance(corpus, t, event, term))
    if len(others) < 3:
        return Rejection(NAME, "too few distractors of the same kind and role", event.slug)
    distractors = others[:3]
    penalty = 0.0 if all(t.role == term.role for t in distractors) else ROLE_FALLBACK_PENALTY
    options, answer = shuffled_options(
        rng=r, answer=term.name, distractors=[t.name for t in distractors]
    )
    by_name = {t.name: t for t in distractors}
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=name_documents(stem, speech=SPEECH_UNNAMED),
        options=options,
        answer=answer,
        passage=None,
        explanation=f"{event.title.rstrip('.')}: {event.date_label}.",
        quote=" ".join(event.description.split()),
        highlight=None,
        identity=("event-actor", event.slug),
        option_kind="person" if term.kind == GlossaryTerm.Kind.PERSON else "organization",
        support_text=f"{entry_text(event)} {' '.join(term.spellings)}",
        support_phrases=[clause.words[-1]],
        exclusive_text=avoid,
        answer_spellings=all_spellings(term),
        distractor_spellings={
            o["id"]: all_spellings(by_name[o["text"]]) for o in options if o["id"] not in answer
        },
        penalties={"role widened": penalty, "rests on an entry": ENTRY_PENALTY},
        difficulty="medium",
        events=[event],
    )


def _distance(
    corpus: CorpusSnapshot, term: GlossaryTerm, event: TimelineEvent, key: GlossaryTerm
) -> tuple:
    """How far a distractor is from the event, a real confusion first: the events naming it
    that share most of this event's other entries (Poland: Bierut and Ochab beside
    Gomułka), then the nearest of them in days, then its slug."""
    around = set(corpus.event_terms.get(event.slug, [])) - {key.slug}
    shared, days = 0, NEVER
    for other in corpus.events:
        named = corpus.event_terms.get(other.slug, [])
        if term.slug in named:
            shared = max(shared, len(around & set(named)))
            days = min(days, abs((other.date - event.date).days))
    return (-shared, days, term.slug)
