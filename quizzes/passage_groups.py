"""Named groups of passages and entries that other apps offer quizzes: a lesson's pool.

A lesson module is a group: the passages its sections cite, the timeline events it lists
and the glossary terms its sections link. A question is in the group when it cites one of
those passages, rests on one of those terms, or rests on those events only
(`PassageGroup.holds`, `PassageGroup.questions`): the one rule the review queue's filter, the bank's balancing,
the lesson's quizzes and the teachers' pools all use. `quizzes` never imports `lessons`:
lessons registers a provider when it starts (`LessonsConfig.ready`), and quizzes asks for
the groups when it needs them. A provider is a plain function returning groups in the order
a curator should see them; it should cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class GroupSection:
    """One section of a lesson: what its end-of-lesson quiz takes questions from in turn."""

    key: str  # the section's anchor
    label: str
    passage_ids: frozenset[int] = frozenset()
    event_ids: frozenset[int] = frozenset()
    term_ids: frozenset[int] = frozenset()

    def holds(
        self,
        *,
        passage_ids: Collection[int] = (),
        event_ids: Collection[int] = (),
        term_ids: Collection[int] = (),
    ) -> bool:
        """Whether a question citing these passages and resting on these entries is in it:
        it cites one of its passages, rests on one of its terms, or rests on its events
        alone (a chronology of this lesson's events, not another's that shares one)."""
        return bool(
            self.passage_ids.intersection(passage_ids)
            or (event_ids and self.event_ids.issuperset(event_ids))
            or self.term_ids.intersection(term_ids)
        )


@dataclass(frozen=True)
class PassageGroup(GroupSection):
    # key: stable, for URLs ("module:the-secret-speech"); label: for the curator
    # ("Lesson 1: The Secret Speech").
    sections: tuple[GroupSection, ...] = ()

    def question_filter(self) -> Q:
        """The filter of questions in the group: citing its passages (as the main or an
        extra citation) or resting on its events or terms. Subqueries, not joins: no
        duplicate rows, no DISTINCT."""
        from quizzes.models import Question

        through = Question.extra_citations.through.objects
        events = Question.events.through.objects
        terms = Question.terms.through.objects
        return (
            Q(passage__in=self.passage_ids)
            | Q(pk__in=through.filter(passage_id__in=self.passage_ids).values("question_id"))
            | (
                Q(pk__in=events.filter(timelineevent_id__in=self.event_ids).values("question_id"))
                & ~Q(
                    pk__in=events.exclude(timelineevent_id__in=self.event_ids).values("question_id")
                )
            )
            | Q(pk__in=terms.filter(glossaryterm_id__in=self.term_ids).values("question_id"))
        )

    def questions(self):
        """The group's published questions (a QuerySet): a lesson's pool."""
        from quizzes.models import Question

        return Question.objects.published().filter(self.question_filter())


Provider = Callable[[], list[PassageGroup]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Offer `provider`'s groups to the queue (once; registering again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def passage_groups() -> dict[str, PassageGroup]:
    """Every registered provider's groups, by key."""
    return {group.key: group for provider in _providers for group in provider()}


def entry_ids(questions) -> dict[int, tuple[set[int], set[int], set[int]]]:
    """For each question (loaded): the passages it cites and the events and terms it rests
    on, as `holds` takes them. Three queries, however many questions."""
    from quizzes.models import Question

    ids = [q.pk for q in questions]
    found: dict[int, tuple[set[int], set[int], set[int]]] = {
        q.pk: ({q.passage_id} if q.passage_id else set(), set(), set()) for q in questions
    }
    tables = (
        (Question.extra_citations.through, "passage_id", 0),
        (Question.events.through, "timelineevent_id", 1),
        (Question.terms.through, "glossaryterm_id", 2),
    )
    for through, column, index in tables:
        rows = through.objects.filter(question_id__in=ids).values_list("question_id", column)
        for question_id, other in rows:
            found[question_id][index].add(other)
    return found
