"""A student's results per question, question type, glossary term and attempt.

Everything here starts from the user (`Response.objects.filter(attempt__user=user)`),
so one student's results never leak into another's, and runs a fixed number of
queries however many attempts the student has made. Views that group results by
lesson module or class live in `lessons`, which composes these.

Only *revealed* answers count: a response in a finished attempt whose quiz shows
its answers now. Otherwise a progress bar moving after each answer of a test
still in progress, or of a quiz that reveals answers after its due date, would
tell the student which answers were right.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from corpus.models import GlossaryTerm
from quizzes.models import Attempt, Question, Response


def revealed_responses(*, user, now: datetime.datetime) -> QuerySet[Response]:
    """The user's responses in finished attempts whose results show the answers at `now`,
    to this user: after their own due date when the quiz waits for it."""
    # The same rule as Attempt.reveals_answers_at; a practice attempt showed each
    # answer as it was given.
    attempts = Attempt.objects.filter(user=user).revealing_answers_at(now).order_by()
    return Response.objects.filter(attempt__in=attempts.values("pk"))


def latest_results(*, user, now: datetime.datetime) -> dict[int, bool]:
    """{question id: correct on the latest try} over every revealed response of the user.

    One query; the rows come oldest first, so a later answer to the same
    question overwrites an earlier one.
    """
    rows = (
        revealed_responses(user=user, now=now)
        .order_by("answered_at", "pk")
        .values_list("question_id", "is_correct")
    )
    return dict(rows)


@dataclass(frozen=True)
class TypeMisses:
    type: str
    label: str
    missed: int
    answered: int

    @property
    def percent_missed(self) -> int:
        return round(100 * self.missed / self.answered) if self.answered else 0


# Question types as a student reads them on the dashboard: plain words. The model's
# labels ("Cloze: date") are the bank's own terms, for curators.
PLAIN_TYPE_NAMES = {
    Question.Type.CLOZE_QUANTITY: "Fill in the number",
    Question.Type.CLOZE_DATE: "Fill in the date",
    Question.Type.CLOZE_NAME: "Fill in the name",
    Question.Type.WHO_WHAT_WHEN: "Who, what or when",
    Question.Type.TRUE_FALSE: "True or false",
    Question.Type.QUOTE_ATTRIBUTION: "Who said it",
    Question.Type.SOURCE_ATTRIBUTION: "Which document says it",
    Question.Type.CHRONOLOGY: "Put events in order",
    Question.Type.COMPARE_RENDERINGS: "Compare two translations",
    Question.Type.DISAGREEMENT: "Where sources disagree",
    Question.Type.CLAIM_SOURCE: "Which source claims it",
}


def missed_question_types(*, user, now: datetime.datetime, limit: int = 3) -> list[TypeMisses]:
    """The question types the user misses most: most wrong answers first (every try counts)."""
    rows = (
        revealed_responses(user=user, now=now)
        .values("question__type")
        .annotate(missed=Count("pk", filter=Q(is_correct=False)), answered=Count("pk"))
        .filter(missed__gt=0)
        .order_by("-missed", "-answered", "question__type")[:limit]
    )
    labels = PLAIN_TYPE_NAMES
    return [
        TypeMisses(
            type=row["question__type"],
            label=labels.get(row["question__type"], row["question__type"]),
            missed=row["missed"],
            answered=row["answered"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AnswerSummary:
    latest: dict[int, bool]
    missed_types: list[TypeMisses]


def answer_summary(*, user, now: datetime.datetime, type_limit: int = 3) -> AnswerSummary:
    """`latest_results` and `missed_question_types` together, from one query.

    Both read the same revealed responses; the dashboard needs both, so it reads
    them once (with each question's type) and counts the misses per type here.
    """
    rows = (
        revealed_responses(user=user, now=now)
        .order_by("answered_at", "pk")
        .values_list("question_id", "is_correct", "question__type")
    )
    latest: dict[int, bool] = {}
    missed: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for question_id, is_correct, question_type in rows:
        latest[question_id] = is_correct
        answered[question_type] += 1
        if not is_correct:
            missed[question_type] += 1
    # The same order as missed_question_types: most wrong, then most answered, then type.
    ranked = sorted(missed, key=lambda t: (-missed[t], -answered[t], t))[:type_limit]
    labels = PLAIN_TYPE_NAMES
    return AnswerSummary(
        latest=latest,
        missed_types=[
            TypeMisses(type=t, label=labels.get(t, t), missed=missed[t], answered=answered[t])
            for t in ranked
        ],
    )


@dataclass(frozen=True)
class TermMisses:
    term: GlossaryTerm  # its pk, slug and name only: what a link to it needs
    missed: int
    answered: int

    @property
    def percent_missed(self) -> int:
        return round(100 * self.missed / self.answered) if self.answered else 0


def missed_terms(
    *,
    user,
    now: datetime.datetime,
    limit: int = 5,
    latest: dict[int, bool] | None = None,
) -> list[TermMisses]:
    """Glossary terms whose questions the user gets wrong on the latest try.

    A question is *about* the terms its passage mentions (GlossaryTerm.mentions,
    found by the corpus ingest), which works for every question type; matching
    the answer text would only work for the name questions. Terms are ranked by
    the share of their answered questions missed, then by the number missed, so
    a name that appears everywhere (Stalin) only tops the list when the student
    really misses most of its questions. Two queries, one when the caller
    passes `latest` (from latest_results) it already has.
    """
    if latest is None:
        latest = latest_results(user=user, now=now)
    if not latest:
        return []
    # The term's name and slug come with the pairs (all the list shows), rather
    # than from a second query for the few terms ranked.
    rows = (
        Question.objects.filter(
            pk__in=revealed_responses(user=user, now=now).values("question_id"),
            passage__glossary_terms__isnull=False,
        )
        .values_list(
            "pk",
            "passage__glossary_terms",
            "passage__glossary_terms__slug",
            "passage__glossary_terms__name",
        )
        .order_by()
        .distinct()
    )
    missed: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    names: dict[int, tuple[str, str]] = {}
    for question_id, term_id, slug, name in rows:
        names[term_id] = (slug, name)
        answered[term_id] += 1
        if not latest.get(question_id, True):
            missed[term_id] += 1
    ranked = sorted(missed, key=lambda t: (-missed[t] / answered[t], -missed[t], t))[:limit]
    return [
        TermMisses(
            term=GlossaryTerm(pk=t, slug=names[t][0], name=names[t][1]),
            missed=missed[t],
            answered=answered[t],
        )
        for t in ranked
    ]


def attempt_history(*, user) -> QuerySet[Attempt]:
    """The user's finished attempts, newest first, with their quiz (for a paginator)."""
    return user.attempts.finished().select_related("quiz").order_by("-finished_at", "-pk")
