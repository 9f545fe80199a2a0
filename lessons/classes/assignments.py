"""A teacher's classes and assignments: create, assign, accommodate, allow a retake.

Every function takes objects the caller has already scoped to the teacher
(`request.user.taught_classes`), so none of them checks access again.
An assignment gets its own Quiz row with a copy of the chosen questions and
the rules the teacher set, so two classes' due dates never collide. A lesson,
source or random assignment copies a pool, and each student's attempt draws its
own questions from it (quizzes.drawing, docs/decisions.md "Item pools").
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from corpus.models import Source
from corpus.templatetags.people import display_name
from lessons.models import (
    Assignment,
    Membership,
    Module,
    Retake,
    SchoolClass,
    generate_join_code,
    module_quiz_key,
)
from lessons.modules.passage_groups import module_group
from quizzes.building import (
    practice_share,
    question_pool,
    quiz_for_group,
    quiz_from_questions,
    retake_quiz,
    test_only_share,
)
from quizzes.drawing import PoolReport, pool_report
from quizzes.models import Attempt, Quiz, QuizOverride
from quizzes.taking import close_on_leaving

# What a teacher can assign (the form's first choice).
LESSON = "lesson"
MODULE_QUIZ = "module_quiz"
SOURCE_QUIZ = "source_quiz"
PICKED = "picked"
DRAWN = "drawn"
# Questions each student draws when the teacher does not say: a lesson's own quiz asks
# ten, a source's fifteen (quizzes.building).
LESSON_DRAW = 10
SOURCE_DRAW = 15


class AssignmentError(Exception):
    """The assignment cannot be made; `str(error)` is a message for the teacher."""


# --- Classes --------------------------------------------------------------------------


@transaction.atomic
def create_class(*, teacher: User, name: str) -> SchoolClass:
    school_class = SchoolClass.objects.create(name=name)
    school_class.teachers.add(teacher)
    school_class.sync_audience()
    return school_class


def regenerate_join_code(*, school_class: SchoolClass) -> str:
    """A fresh code: the old one stops working at once (students already in stay)."""
    for _ in range(5):  # 32**8 codes: a collision is a curiosity, but never a 500
        code = generate_join_code()
        if not SchoolClass.objects.filter(join_code=code).exists():
            break
    SchoolClass.objects.filter(pk=school_class.pk).update(join_code=code)
    school_class.join_code = code
    return code


def set_join_enabled(*, school_class: SchoolClass, enabled: bool) -> None:
    SchoolClass.objects.filter(pk=school_class.pk).update(join_enabled=enabled)
    school_class.join_enabled = enabled


@transaction.atomic
def remove_student(*, school_class: SchoolClass, student_id: int) -> bool:
    """Take a student out of the class. Their account, attempts and answers stay theirs
    (their results pages still show them), but they can start no more of its quizzes,
    and an attempt they have open is closed with what they answered: a test taken from
    outside the class is not the class's test."""
    deleted, _ = Membership.objects.filter(
        school_class=school_class, student_id=student_id
    ).delete()
    if (
        school_class.audience_id is not None
        and not school_class.teachers.filter(pk=student_id).exists()
    ):
        school_class.audience.members.remove(student_id)
        close_on_leaving(
            audience_id=school_class.audience_id, user_ids=[student_id], now=timezone.now()
        )
    return bool(deleted)


def add_co_teacher(*, school_class: SchoolClass, username: str) -> User:
    """Add a teacher (by username) to the class; AssignmentError if there is no such teacher."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None or not user.has_perm("lessons.add_schoolclass"):
        raise AssignmentError(f"There is no teacher with the username “{username.strip()}”.")
    school_class.teachers.add(user)
    school_class.quiz_audience().members.add(user)
    return user


# --- Assignments ----------------------------------------------------------------------


def module_quiz(module: Module) -> Quiz:
    """The module's end-of-lesson quiz (built on first use, as the lesson page does)."""
    return quiz_for_group(
        key=module_quiz_key(module.slug),
        title=f"End-of-lesson quiz: {module.title}",
        group=module_group(module),
        kind=Quiz.Kind.MODULE,
    )


@transaction.atomic
def create_assignment(
    *,
    school_class: SchoolClass,
    teacher: User,
    what: str,
    rules: dict,
    title: str = "",
    module: Module | None = None,
    source: Source | None = None,
    question_ids: list[int] | None = None,
    types: list[str] | None = None,
    difficulties: list[str] | None = None,
    count: int | None = None,
    draw_from: str = Quiz.DrawFrom.UNSEEN,
) -> Assignment:
    """Assign a lesson, a module or source quiz, picked questions, or a random draw.

    All but picked questions are drawn for each student: the quiz holds the pool (the
    lesson's questions, the source's, or the filtered bank) and every attempt draws
    `count` of them (quizzes.drawing). Practice draws from the practice share only; a
    test from the whole pool, leaving out what each student has seen, or with
    `draw_from` TEST_ONLY from the test-only share, which practice never shows.
    `rules` holds Quiz rule fields (quizzes.building.RULE_FIELDS).
    Raises AssignmentError (nothing written) when there are no questions to ask.
    """
    practice = rules.get("mode", Quiz.Mode.PRACTICE) == Quiz.Mode.PRACTICE
    kind, draw_count = Quiz.Kind.CUSTOM, None
    filters = {"types": types or (), "difficulties": difficulties or ()}
    if what in (LESSON, MODULE_QUIZ):
        if module is None:
            raise AssignmentError("Choose a lesson.")
        pool = question_pool(group=module_group(module))
        kind, draw_count = Quiz.Kind.MODULE, count or LESSON_DRAW
        default_title = f"Lesson: {module.title}" if what == LESSON else f"Quiz: {module.title}"
    elif what == SOURCE_QUIZ:
        if source is None:
            raise AssignmentError("Choose a source.")
        pool = question_pool(passage_ids=source.passages.current().values_list("pk", flat=True))
        kind, draw_count = Quiz.Kind.SOURCE, count or SOURCE_DRAW
        default_title = f"Quiz: {source.title}"
    elif what == DRAWN:
        if not count or count < 1:
            raise AssignmentError("Say how many questions to draw.")
        pool = question_pool(
            group=module_group(module) if module else None, source=source, **filters
        )
        draw_count = count
        default_title = f"Random quiz: {count} questions"
    elif what == PICKED:
        pool = question_pool(
            group=module_group(module) if module else None, source=source, **filters
        )
        default_title = "Custom quiz"
    else:
        raise AssignmentError("Choose what to assign.")
    if draw_count:
        questions = _drawable(list(pool), practice=practice, draw_from=draw_from)
    else:
        by_pk = {q.pk: q for q in pool.filter(pk__in=question_ids or [])}
        questions = [by_pk[pk] for pk in dict.fromkeys(question_ids or []) if pk in by_pk]
        _check_picked(questions, practice=practice)
    if not questions:
        raise AssignmentError(
            "There are no published questions for that choice. Widen the filters or pick another."
        )
    title = title.strip() or default_title
    quiz = quiz_from_questions(
        title=title,
        questions=questions,
        kind=kind,
        owner=teacher,
        source=source if what == SOURCE_QUIZ else None,
        rules=rules,
        draw_count=draw_count,
        draw_from=Quiz.DrawFrom.UNSEEN if practice else draw_from,
    )
    # In the same transaction: the quiz is never visible to everyone, even briefly.
    quiz.audience = school_class.quiz_audience()
    quiz.save(update_fields=["audience"])
    return Assignment.objects.create(
        school_class=school_class,
        quiz=quiz,
        module=module if what in (LESSON, MODULE_QUIZ) else None,
        title=title,
        created_by=teacher,
    )


def _drawable(questions: list, *, practice: bool, draw_from: str) -> list:
    """The part of a pool a drawn assignment copies: practice shows answers, so it gets
    the practice share only; a test the whole pool, or the test-only share."""
    if practice:
        return practice_share(questions)
    if draw_from == Quiz.DrawFrom.TEST_ONLY:
        return test_only_share(questions)
    return questions


def _check_picked(questions: list, *, practice: bool) -> None:
    """Practice shows each answer: a test-only question picked for it would be shown."""
    if not practice:
        return
    if test_only := [n for n, q in enumerate(questions, 1) if q.is_test_only]:
        listed = ", ".join(str(n) for n in test_only)
        raise AssignmentError(
            f"Practice shows the answers, and {len(test_only)} of the questions you ticked "
            f"(number {listed} in your list) are kept for tests. Untick them, or set the "
            "mode to Test."
        )


def draw_report(*, assignment: Assignment, now: datetime.datetime) -> PoolReport | None:
    """The pool of a drawn assignment and what it gives the class's students now; None when
    the assignment asks fixed questions. Five queries."""
    if not assignment.quiz.draw_count:
        return None
    student_ids = list(assignment.school_class.memberships.values_list("student_id", flat=True))
    return pool_report(quiz=assignment.quiz, user_ids=student_ids, now=now)


def describe_draw(*, report: PoolReport, names: dict[int, str]) -> list[str]:
    """The draw in sentences for the teacher: the split, a pool that runs short, and the
    students who have seen so many answers that they will get fewer questions."""
    share = (
        "practice share"
        if report.mode == Quiz.Mode.PRACTICE
        else "test-only share"
        if report.draw_from == Quiz.DrawFrom.TEST_ONLY
        else "whole pool"
    )
    lines = [
        f"Each student gets {report.draw_count} questions drawn from the {share}: "
        f"{report.eligible} of the pool's {report.size} questions "
        f"({report.test_only} test-only, {report.practice} for practice)."
    ]
    if report.is_short:
        lines.append(
            f"The pool runs short: it has only {report.fresh} questions that do not give one "
            f"another away, so each student gets at most {report.fresh}. Widen the choice, "
            "or ask for fewer."
        )
    if report.short:
        listed = ", ".join(
            f"{names.get(user_id, 'a student')} ({n})"
            for user_id, n in sorted(report.short.items(), key=lambda item: item[1])
        )
        lines.append(
            f"{len(report.short)} student{'s have' if len(report.short) != 1 else ' has'} "
            f"already seen the answers to so many of these questions that they will get "
            f"fewer (questions left in brackets): {listed}."
        )
    return lines


# --- Changing an assignment: its rules, an extension for everyone, deleting it ------------

# The rules a teacher may change once an assignment is set (the content stays: students
# may have drawn from its pool already).
EDITABLE_RULES = (
    "opens_at",
    "due_at",
    "mode",
    "reveal_answers",
    "attempts_allowed",
    "time_limit_minutes",
)


@transaction.atomic
def update_assignment(*, assignment: Assignment, title: str, rules: dict) -> list[str]:
    """Change the title and rules (EDITABLE_RULES) of an assignment; returns what changed,
    as phrases for the teacher. Attempts already started keep their mode and time limit
    (fixed at their start); a later due date reaches them too (`_move_due_date`).

    Raises AssignmentError (nothing written) when practice would show a question kept
    for tests: practice shows every answer."""
    quiz = assignment.quiz
    changed = {k: v for k, v in rules.items() if k in EDITABLE_RULES and getattr(quiz, k) != v}
    title = title.strip() or assignment.title
    if changed.get("mode") == Quiz.Mode.PRACTICE:
        # The test-only share is a hash of each question's sentence (Question.is_test_only).
        kept = sum(question.is_test_only for question in quiz.questions.all())
        if kept:
            raise AssignmentError(
                f"Practice shows the answers, and {kept} of this assignment's questions are "
                "kept for tests, so it cannot become practice. Set a new practice "
                "assignment instead."
            )
    if "due_at" in changed:
        _move_due_date(quiz=quiz, due_at=changed["due_at"])
    for field, value in changed.items():
        setattr(quiz, field, value)
    said = [_RULE_NAMES[field] for field in changed]
    if title != assignment.title:
        assignment.title = quiz.title = title
        assignment.save(update_fields=["title"])
        said.insert(0, "title")
    quiz.save(update_fields=[*changed, "title"])
    return said


_RULE_NAMES = {
    "opens_at": "opening date",
    "due_at": "due date",
    "mode": "mode",
    "reveal_answers": "when answers are shown",
    "attempts_allowed": "attempts allowed",
    "time_limit_minutes": "time limit",
}


@transaction.atomic
def extend_assignment(*, assignment: Assignment, due_at: datetime.datetime) -> int:
    """Give the whole class a later due date; returns how many students it lets back in
    (in the class, nothing handed in, and the old date passed). A student's own later
    date (an accommodation) still counts where it is later still."""
    quiz = assignment.quiz
    if quiz.due_at is not None and due_at <= quiz.due_at:
        raise AssignmentError("An extension must be later than the current due date.")
    reopened = 0
    if quiz.due_at is not None and quiz.due_at < timezone.now():
        finished = Attempt.objects.finished().filter(quiz=quiz).values("user_id")
        reopened = (
            assignment.school_class.memberships.exclude(student_id__in=finished)
            .values("student_id")
            .count()
        )
    _move_due_date(quiz=quiz, due_at=due_at)
    quiz.due_at = due_at
    quiz.save(update_fields=["due_at"])
    return reopened


def _move_due_date(*, quiz: Quiz, due_at: datetime.datetime | None) -> None:
    """Open attempts whose deadline was the old due date get their own time limit (or
    none) instead: the due date itself is read live (Attempt.effective_deadline), but
    an attempt's stored deadline would still stop it at the old date."""
    if quiz.due_at is None:
        return
    for attempt in Attempt.objects.in_progress().filter(quiz=quiz, deadline_at=quiz.due_at):
        limit = quiz.rules_for_user_id(attempt.user_id).time_limit_minutes
        attempt.deadline_at = (
            attempt.started_at + datetime.timedelta(minutes=limit) if limit else None
        )
        if due_at is not None and attempt.deadline_at is not None:
            attempt.deadline_at = min(attempt.deadline_at, due_at)
        elif due_at is not None and attempt.deadline_at is None:
            attempt.deadline_at = due_at
        attempt.save(update_fields=["deadline_at"])


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting an assignment takes with it, said to the teacher before they confirm."""

    students: int  # who started it
    finished: int  # finished attempts (scores in the gradebook)
    open: int  # attempts still in progress
    retakes: int
    accommodations: int

    @property
    def any_work(self) -> bool:
        return bool(self.students or self.retakes)


def deletion_impact(*, assignment: Assignment) -> DeletionImpact:
    """Three queries, however much work there is."""
    work = Attempt.objects.filter(quiz=assignment.quiz).aggregate(
        students=Count("user", distinct=True),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
        open=Count("pk", filter=Q(finished_at__isnull=True)),
    )
    return DeletionImpact(
        students=work["students"],
        finished=work["finished"],
        open=work["open"],
        retakes=assignment.retakes.count(),
        accommodations=QuizOverride.objects.filter(quiz=assignment.quiz).count(),
    )


@transaction.atomic
def delete_assignment(*, assignment: Assignment) -> DeletionImpact:
    """Delete the assignment with its quiz and everything done on it: attempts and their
    answers, accommodations, retakes (and their quizzes). Students' spaced review keeps
    the questions they were shown. Returns what went."""
    impact = deletion_impact(assignment=assignment)
    Quiz.objects.filter(retake__assignment=assignment).delete()
    assignment.quiz.delete()  # cascades to the assignment, attempts, answers, overrides
    return impact


# --- Accommodations and retakes ---------------------------------------------------------


def set_accommodation(
    *,
    assignment: Assignment,
    student_id: int,
    time_multiplier: decimal.Decimal | None,
    extra_minutes: int,
    extra_attempts: int,
    due_at: datetime.datetime | None,
    note: str = "",
) -> QuizOverride | None:
    """Create, change or (when every field is empty) remove a student's accommodation."""
    if not (time_multiplier or extra_minutes or extra_attempts or due_at):
        QuizOverride.objects.filter(quiz=assignment.quiz, user_id=student_id).delete()
        return None
    override, _ = QuizOverride.objects.update_or_create(
        quiz=assignment.quiz,
        user_id=student_id,
        defaults={
            "time_multiplier": time_multiplier,
            "extra_minutes": extra_minutes,
            "extra_attempts": extra_attempts,
            "due_at": due_at,
            "note": note,
        },
    )
    return override


@transaction.atomic
def allow_retake(*, assignment: Assignment, student: User, teacher: User) -> Retake:
    """A retake of the questions the student got wrong on their latest finished attempt.

    Raises AssignmentError when there is no finished attempt or nothing was wrong.
    The retake is practice (feedback after each answer), one attempt, no due date:
    it is for learning, not a second grade.
    """
    attempt = (
        Attempt.objects.finished()
        .filter(quiz=assignment.quiz, user=student)
        .order_by("-finished_at")
        .first()
    )
    if attempt is None:
        raise AssignmentError(f"{display_name(student)} has not finished this assignment yet.")
    quiz = retake_quiz(
        attempt=attempt,
        title=f"Retake: {assignment.title}",
        rules={"mode": Quiz.Mode.PRACTICE, "attempts_allowed": 1},
    )
    if quiz is None:
        raise AssignmentError("Every answer on the latest attempt was right: nothing to retake.")
    return Retake.objects.create(
        assignment=assignment, student=student, quiz=quiz, allowed_by=teacher
    )


# --- What a student sees -----------------------------------------------------------------


@dataclass(frozen=True)
class StudentAssignment:
    assignment: Assignment
    due_at: datetime.datetime | None
    finished: int
    in_progress: int
    best_score: int | None
    max_score: int | None
    state: str  # "todo", "in_progress", "done", "late", "missed"

    @property
    def is_open(self) -> bool:
        """Whether the student can still work on it (its quiz takes attempts by the date)."""
        return self.state in ("todo", "in_progress")


class StudentAssignments(list):
    """The assignments a student sees, and how many closed before they joined the class:
    those are not theirs to do, so they are neither listed nor late, only counted."""

    closed_before_joining: int = 0


def student_assignments(*, user: User, now: datetime.datetime) -> StudentAssignments:
    """The user's assignments in every class they are in: what they can still do first,
    soonest due first. An assignment whose due date (their own) passed before they
    joined its class, with nothing handed in, is left out and counted instead.

    Two queries; one when there are none."""
    # No DISTINCT: a student is in a class once (Membership's unique constraint).
    # The student's own due date (an accommodation) comes along as a subquery.
    assignments = list(
        Assignment.objects.for_student(user)
        .select_related("quiz", "school_class", "module")
        .filter(Q(quiz__opens_at__isnull=True) | Q(quiz__opens_at__lte=now))
        # What the student's list shows (lessons/teacher/_student_assignments.html).
        .only("title", "quiz__due_at", "school_class__name", "module__slug")
        .annotate(
            override_due_at=Subquery(
                QuizOverride.objects.filter(
                    quiz=OuterRef("quiz"), user=user, due_at__isnull=False
                ).values("due_at")[:1]
            ),
            joined_at=Subquery(
                Membership.objects.filter(
                    school_class=OuterRef("school_class"), student=user
                ).values("joined_at")[:1]
            ),
        )
    )
    result = StudentAssignments()
    if not assignments:
        return result
    quiz_ids = [a.quiz_id for a in assignments]
    stats = {
        row["quiz_id"]: row
        for row in Attempt.objects.filter(user=user, quiz_id__in=quiz_ids)
        .values("quiz_id")
        .annotate(
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            open=Count("pk", filter=Q(finished_at__isnull=True)),
            best=Max("score", filter=Q(finished_at__isnull=False)),
            out_of=Max("max_score", filter=Q(finished_at__isnull=False)),
            first_done=Min("finished_at"),
        )
        .order_by()
    }
    for assignment in assignments:
        due = assignment.quiz.due_at
        # A later due date extends the quiz's; it never adds one (as Quiz.rules_for says).
        extended = assignment.override_due_at
        if due is not None and extended is not None and extended > due:
            due = extended
        row = stats.get(assignment.quiz_id, {})
        finished, open_ = row.get("finished", 0), row.get("open", 0)
        if finished:
            state = "late" if due and row["first_done"] and row["first_done"] > due else "done"
        elif due and now > due:
            if not open_ and assignment.joined_at and assignment.joined_at >= due:
                # Closed before they were in the class: not theirs to do, and not late.
                result.closed_before_joining += 1
                continue
            state = "missed"
        else:
            state = "in_progress" if open_ else "todo"
        result.append(
            StudentAssignment(
                assignment=assignment,
                due_at=due,
                finished=finished,
                in_progress=open_,
                best_score=row.get("best"),
                max_score=row.get("out_of"),
                state=state,
            )
        )
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    # What the student can still do first; then what is over (done, late or missed).
    result.sort(key=lambda s: (not s.is_open, s.due_at or far))
    return result


def student_retakes(*, user: User) -> list[Retake]:
    """Retakes a teacher allowed the user that they have not finished yet. One query."""
    # NOT EXISTS rather than .exclude() across the attempts relation, which Django
    # writes as a NOT IN over a joined subquery.
    finished = Attempt.objects.filter(quiz=OuterRef("quiz"), finished_at__isnull=False)
    return list(
        Retake.objects.filter(~Exists(finished), student=user)
        .select_related("quiz")
        .only("quiz__title")  # all the student's list shows: a link to the quiz
        .order_by("-created_at")
    )
