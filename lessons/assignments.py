"""A teacher's classes and assignments: create, assign, accommodate, allow a retake.

Every function takes objects the caller has already scoped to the teacher
(`request.user.taught_classes`), so none of them checks access again.
An assignment gets its own Quiz row with a copy of the chosen questions and
the rules the teacher set, so two classes' due dates never collide.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery

from corpus.models import Passage, Source
from lessons.models import Assignment, Membership, Module, Retake, SchoolClass, generate_join_code
from quizzes.building import (
    draw_questions,
    question_pool,
    quiz_for_passages,
    quiz_for_source,
    quiz_from_questions,
    retake_quiz,
)
from quizzes.models import Attempt, Quiz, QuizOverride

# What a teacher can assign (the form's first choice).
LESSON = "lesson"
MODULE_QUIZ = "module_quiz"
SOURCE_QUIZ = "source_quiz"
PICKED = "picked"
DRAWN = "drawn"


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
    (their results pages still show them), but they can start no more of its quizzes."""
    deleted, _ = Membership.objects.filter(
        school_class=school_class, student_id=student_id
    ).delete()
    if (
        school_class.audience_id is not None
        and not school_class.teachers.filter(pk=student_id).exists()
    ):
        school_class.audience.members.remove(student_id)
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


def module_passage_ids(module: Module) -> list[int]:
    return list(
        Passage.objects.filter(lesson_citations__section__module=module)
        .values_list("pk", flat=True)
        .distinct()
    )


def module_quiz(module: Module) -> Quiz:
    """The module's end-of-lesson quiz (built on first use, as the lesson page does)."""
    # Imported here so lessons.dashboard may import this module for the student's panel.
    from lessons.dashboard import module_quiz_key

    return quiz_for_passages(
        key=module_quiz_key(module),
        title=f"End-of-lesson quiz: {module.title}",
        passages=module_passage_ids(module),
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
) -> Assignment:
    """Assign a lesson, a module or source quiz, picked questions, or a random draw.

    `rules` holds Quiz rule fields (quizzes.building.RULE_FIELDS).
    Raises AssignmentError (nothing written) when there are no questions to ask.
    """
    kind = Quiz.Kind.CUSTOM
    if what in (LESSON, MODULE_QUIZ):
        if module is None:
            raise AssignmentError("Choose a lesson.")
        questions = list(
            module_quiz(module).items.order_by("position").values_list("question_id", flat=True)
        )
        kind = Quiz.Kind.MODULE
        default_title = f"Lesson: {module.title}" if what == LESSON else f"Quiz: {module.title}"
    elif what == SOURCE_QUIZ:
        if source is None:
            raise AssignmentError("Choose a source.")
        questions = list(
            quiz_for_source(source=source)
            .items.order_by("position")
            .values_list("question_id", flat=True)
        )
        kind = Quiz.Kind.SOURCE
        default_title = f"Quiz: {source.title}"
    elif what in (PICKED, DRAWN):
        pool = question_pool(
            passage_ids=module_passage_ids(module) if module else None,
            source=source,
            types=types or (),
            difficulties=difficulties or (),
        )
        if what == PICKED:
            allowed = set(pool.filter(pk__in=question_ids or []).values_list("pk", flat=True))
            questions = [pk for pk in question_ids or [] if pk in allowed]
            default_title = "Custom quiz"
        else:
            if not count or count < 1:
                raise AssignmentError("Say how many questions to draw.")
            # Seeded per class and moment, so the draw is reproducible from the
            # assignment's own data (a re-run picks the same questions).
            seed = f"{school_class.pk}:{teacher.pk}:{rules.get('due_at')}:{count}"
            questions = [q.pk for q in draw_questions(pool=pool, size=count, seed=seed)]
            default_title = f"Random quiz: {len(questions)} questions"
    else:
        raise AssignmentError("Choose what to assign.")
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
        raise AssignmentError(
            f"{student.get_full_name() or student.username} has not finished this assignment yet."
        )
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
    def is_late(self) -> bool:
        return self.state in ("late", "missed")


def student_assignments(*, user: User, now: datetime.datetime) -> list[StudentAssignment]:
    """The user's assignments in every class they are in, soonest due first.

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
            )
        )
    )
    if not assignments:
        return []
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
    result = []
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
    result.sort(key=lambda s: (s.state in ("done", "late"), s.due_at or far))
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
