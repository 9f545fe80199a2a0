"""A student's progress by lesson module, composed from the quizzes' per-question results.

`quizzes.progress` knows questions, attempts and responses but not modules;
this module groups its results by module. A module's *mastery* is the share of
its end-of-lesson quiz's questions (the questions `quiz_for_passages` chose
from the passages the module cites) that the student answered correctly on
their latest try, in any quiz: a spaced review that re-asks a question updates
the module it belongs to. Until the module's quiz is built (the first time
anyone opens it) the module has no questions and shows "Not started".

Every function runs a fixed number of queries, whatever the number of modules,
attempts or responses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Prefetch

from lessons.assignments import student_assignments, student_retakes
from lessons.charts import BarChart, horizontal_bar_chart
from lessons.models import Module, SchoolClass
from quizzes.models import QuizItem
from quizzes.progress import TermMisses, TypeMisses, answer_summary, latest_results, missed_terms
from quizzes.review import due_count


def module_quiz_key(module: Module) -> str:
    return f"module:{module.slug}"


@dataclass(frozen=True)
class Mastery:
    module: Module
    correct: int
    answered: int
    total: int

    @property
    def started(self) -> bool:
        return self.answered > 0

    @property
    def percent(self) -> int | None:
        """Mastery as a whole percentage, or None before any question is answered."""
        if not self.started or not self.total:
            return None
        return round(100 * self.correct / self.total)


def module_mastery(
    *,
    user,
    modules: Sequence[Module],
    now: datetime.datetime,
    latest: dict[int, bool] | None = None,
) -> list[Mastery]:
    """Mastery of each module, in the order given. Two queries (one if `latest` is passed)."""
    if latest is None:
        latest = latest_results(user=user, now=now)
    by_key = {module_quiz_key(module): module for module in modules}
    questions: dict[int, set[int]] = defaultdict(set)
    # No ORDER BY: QuizItem's default ordering would join and sort for a set.
    for key, question_id in (
        QuizItem.objects.filter(quiz__key__in=by_key)
        .values_list("quiz__key", "question_id")
        .order_by()
    ):
        questions[by_key[key].pk].add(question_id)
    result = []
    for module in modules:
        asked = questions[module.pk]
        answered = [latest[q] for q in asked if q in latest]
        result.append(
            Mastery(module=module, correct=sum(answered), answered=len(answered), total=len(asked))
        )
    return result


@dataclass(frozen=True)
class StudentDashboard:
    mastery: list[Mastery]
    chart: BarChart
    missed_types: list[TypeMisses]
    missed_terms: list[TermMisses]
    due_reviews: int
    classes: list[SchoolClass]
    assigned: list
    retakes: list

    @property
    def has_results(self) -> bool:
        return any(m.started for m in self.mastery) or bool(self.missed_types)

    @property
    def next_module(self) -> Module | None:
        """The first module with questions the student has not answered yet.

        Not "not started": lessons share some questions, so finishing lesson 1's quiz
        also answers a few of lesson 2's, and lesson 2 must still come next."""
        return next((m.module for m in self.mastery if m.answered < m.total), None)


def student_classes(*, user) -> list[SchoolClass]:
    """The classes the user has joined, with their teachers. Two queries."""
    # No DISTINCT: a student is in a class once (Membership's unique constraint).
    teachers = User.objects.only("username", "first_name", "last_name")
    return list(
        SchoolClass.objects.joined_by(user)
        .only("name")
        .prefetch_related(Prefetch("teachers", queryset=teachers))
    )


def student_dashboard(*, user, now: datetime.datetime) -> StudentDashboard:
    """Everything on the dashboard except the paginated attempt history.

    A fixed number of queries (ten at most); fewer for a student with nothing
    to show yet, never more with more attempts, modules or classes."""
    modules = list(Module.objects.only("slug", "title", "ordinal"))
    # The latest result per question and the question types missed, from one read
    # of the revealed responses.
    answers = answer_summary(user=user, now=now, type_limit=3)
    latest = answers.latest
    mastery = module_mastery(user=user, modules=modules, now=now, latest=latest)
    classes = student_classes(user=user)
    # Assignments are set to classes: a student in none (learning alone) has none,
    # and is spared their queries.
    assigned = student_assignments(user=user, now=now) if classes else []
    return StudentDashboard(
        mastery=mastery,
        chart=horizontal_bar_chart(
            rows=[
                (f"{index}. {m.module.title}", m.percent)
                for index, m in enumerate(mastery, start=1)
            ]
        ),
        missed_types=answers.missed_types,
        missed_terms=missed_terms(user=user, now=now, limit=5, latest=latest),
        due_reviews=due_count(user=user, now=now),
        classes=classes,
        assigned=assigned,
        retakes=student_retakes(user=user),
    )
