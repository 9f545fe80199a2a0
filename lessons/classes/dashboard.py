"""A student's progress by lesson module, composed from the quizzes' per-question results.

`quizzes.progress` knows questions, attempts and responses but not modules;
this module groups its results by module. A module's *mastery* is the share of the
lesson's questions the student has answered that they got right on their latest try,
in any quiz: the lesson's own end-of-lesson quiz and the tests their classes set on the
lesson (their questions drawn from its pool), and the spaced review that asks either
again. So a test's score and the lesson's mastery agree: 2 of 10 on a test of a lesson
never practised is 20 %, not 0 % from the two test questions that the public quiz
happens to share. A test counts once its results show the answers (quizzes.progress).
Until the module's quiz is built (the first time anyone opens it) and no class has set
the lesson, the module has no questions and shows "Not started".

Every function runs a fixed number of queries, whatever the number of modules,
attempts or responses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q

from lessons.classes.assignments import student_assignments, student_retakes
from lessons.classes.charts import BarChart, horizontal_bar_chart
from lessons.models import Module, SchoolClass, module_quiz_key
from quizzes.models import QuizItem
from quizzes.progress import TermMisses, TypeMisses, answer_summary, latest_results, missed_terms
from quizzes.review import due_count


@dataclass(frozen=True)
class Mastery:
    module: Module
    correct: int  # right on the latest try, of those answered
    answered: int  # the lesson's questions answered (revealed)
    total: int  # the lesson's questions the student can meet: its quiz, their classes' tests
    to_practise: int = 0  # questions of the lesson's own quiz not answered yet

    @property
    def started(self) -> bool:
        return self.answered > 0

    @property
    def percent(self) -> int | None:
        """Mastery as a whole percentage of the questions answered, or None before any."""
        if not self.started:
            return None
        return round(100 * self.correct / self.answered)


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
    by_key = {module_quiz_key(module.slug): module.pk for module in modules}
    own: dict[int, set[int]] = defaultdict(set)  # the lesson's own quiz
    questions: dict[int, set[int]] = defaultdict(set)  # and its tests in the user's classes
    # One query for both: the lessons' quizzes, and the quizzes (pools) of the
    # assignments of these lessons to the user's classes. No ORDER BY: QuizItem's
    # default ordering would join and sort for a set.
    set_to_user = Q(
        quiz__assignment__module_id__in=list(by_key.values()),
        quiz__assignment__school_class__memberships__student=user,
    )
    for key, module_id, question_id in (
        QuizItem.objects.filter(Q(quiz__key__in=by_key) | set_to_user)
        .values_list("quiz__key", "quiz__assignment__module_id", "question_id")
        .order_by()
    ):
        if key in by_key:
            own[by_key[key]].add(question_id)
        questions[by_key.get(key) or module_id].add(question_id)
    result = []
    for module in modules:
        asked = questions[module.pk]
        answered = [latest[q] for q in asked if q in latest]
        result.append(
            Mastery(
                module=module,
                correct=sum(answered),
                answered=len(answered),
                total=len(asked),
                to_practise=sum(1 for q in own[module.pk] if q not in latest),
            )
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
        """The first module whose own quiz has questions the student has not answered yet.

        Not "not started": lessons share some questions, so finishing lesson 1's quiz
        also answers a few of lesson 2's, and lesson 2 must still come next. Nor every
        question of the lesson: a class's test may hold questions practice never shows."""
        return next((m.module for m in self.mastery if m.to_practise), None)


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
