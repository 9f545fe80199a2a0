"""The timeline events and glossary terms a question rests on, shown with its feedback.

A question about what HAPPENED may rest on an entry rather than a passage (Bierut's death,
dated by reference works: quizzes/generation/entries.py). Its feedback then shows the
entry, as the timeline and the glossary show it: the date and title or the name, the
description, and the reference works it cites, linked to the bibliography (and, for an
event, the passages that state its date). Only the
feedback asks for them (quizzes.cards.Feedback), so an entry, which gives the answer,
never reaches the page before the answer does. A question citing a passage shows the
passage instead, and costs no query here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from corpus.models import GlossaryTerm, Passage, ReferenceCitation, TimelineEvent
from quizzes.models import Question


@dataclass(frozen=True)
class Entry:
    """One entry as the feedback shows it."""

    kind: str  # "Timeline" or "Glossary"
    heading: str  # "12 March 1956: Bolesław Bierut dies in Moscow", "Bolesław Bierut"
    description: str
    url: str
    references: tuple[ReferenceCitation, ...]
    # The passages the entry cites (a date the speech states), as the timeline shows them.
    passages: tuple[Passage, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.description.split("\n\n") if p.strip()]


def _rests_on_entries(question: Question) -> bool:
    return question.passage_id is None


def entries_for_question(*, question: Question) -> tuple[Entry, ...]:
    """The entries a question without a passage rests on: four queries (none for a
    question citing a passage)."""
    if not _rests_on_entries(question):
        return ()
    return entries_by_question(questions=[question]).get(question.pk, ())


def entries_by_question(*, questions: Sequence[Question]) -> dict[int, tuple[Entry, ...]]:
    """Each passage-less question's entries (the results page): four queries however many
    questions, none if every question cites a passage."""
    ids = [q.pk for q in questions if _rests_on_entries(q)]
    if not ids:
        return {}
    events = Question.events.through.objects.filter(question_id__in=ids).select_related(
        "timelineevent"
    )
    terms = Question.terms.through.objects.filter(question_id__in=ids).select_related(
        "glossaryterm"
    )
    on_event = [(row.question_id, row.timelineevent) for row in events.order_by("pk")]
    on_term = [(row.question_id, row.glossaryterm) for row in terms.order_by("pk")]
    citations = ReferenceCitation.objects.filter(
        Q(event__in={e.pk for _, e in on_event}) | Q(term__in={t.pk for _, t in on_term}),
        note__isnull=True,
        position__isnull=True,
    ).select_related("work")
    of_event: dict[int, list[ReferenceCitation]] = defaultdict(list)
    of_term: dict[int, list[ReferenceCitation]] = defaultdict(list)
    for citation in citations.order_by("ordinal", "pk"):
        if citation.event_id:
            of_event[citation.event_id].append(citation)
        else:
            of_term[citation.term_id].append(citation)
    cited: dict[int, list[Passage]] = defaultdict(list)
    event_passages = TimelineEvent.citations.through.objects.filter(
        timelineevent_id__in={e.pk for _, e in on_event}
    ).select_related("passage__source")
    for row in event_passages.order_by("pk"):
        cited[row.timelineevent_id].append(row.passage)
    found: dict[int, list[Entry]] = defaultdict(list)
    for question_id, event in sorted(on_event, key=lambda row: (row[1].date, row[1].slug)):
        found[question_id].append(_event_entry(event, of_event[event.pk], cited[event.pk]))
    for question_id, term in on_term:
        found[question_id].append(_term_entry(term, of_term[term.pk]))
    return {pk: tuple(entries) for pk, entries in found.items()}


def _event_entry(event: TimelineEvent, references, passages) -> Entry:
    return Entry(
        kind="Timeline",
        heading=f"{event.date_label}: {event.title}",
        description=event.description,
        url=reverse("corpus:timeline") + f"#event-{event.slug}",
        references=tuple(references),
        passages=tuple(passages),
    )


def _term_entry(term: GlossaryTerm, references) -> Entry:
    # A question rests on a glossary entry only when it cites reference works
    # (quizzes/generation/term_questions.py): its passages are not needed to check it.
    return Entry(
        kind="Glossary",
        heading=term.name,
        description=term.description,
        url=term.get_absolute_url(),
        references=tuple(references),
    )
