"""The demo accounts, class and class work that `make run` and `seed_demo` set up.

Idempotent: run any number of times, the same accounts, class and work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from lessons.accounts.roles import CURATORS, TEACHERS, ensure_role_groups
from lessons.models import SchoolClass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str


DEMO_ACCOUNTS = [
    DemoAccount("student", "thaw-student-1956", "student", "Sasha Student"),
    DemoAccount("teacher", "thaw-teacher-1956", "teacher", "Tamara Teacher"),
    DemoAccount("curator", "thaw-curator-1956", "curator", "Konstantin Curator"),
]


# A fixed code so the README and a teacher's slides can print it; generated
# codes avoid 0/O/1/I, but a code typed from this printout is not misread.
DEMO_CLASS_NAME = "Demo class — 10B History"
DEMO_JOIN_CODE = "THAW1956"


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) the demo accounts; safe to run any number of times."""
    groups = ensure_role_groups()
    for account in DEMO_ACCOUNTS:
        first, _, last = account.display_name.partition(" ")
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.is_staff = account.role == "curator"
        user.set_password(account.password)
        user.save()
        if account.role == "curator":
            user.groups.add(groups[CURATORS])
        elif account.role == "teacher":
            user.groups.add(groups[TEACHERS])
    ensure_demo_class()
    return DEMO_ACCOUNTS


@transaction.atomic
def ensure_demo_class() -> SchoolClass:
    """The demo class, taught by the demo teacher, with the demo student in it."""
    school_class, _ = SchoolClass.objects.update_or_create(
        join_code=DEMO_JOIN_CODE, defaults={"name": DEMO_CLASS_NAME, "join_enabled": True}
    )
    school_class.teachers.add(User.objects.get(username="teacher"))
    school_class.add_student(User.objects.get(username="student"))
    school_class.sync_audience()  # the teacher too, on a database seeded before audiences
    return school_class


# --- The demo class's work (so `make run` shows a gradebook with something in it) -------

# Demo students log in with DEMO_STUDENT_PASSWORD; they are not printed by
# seed_demo (the `student` account is the one to try the student side with).
DEMO_STUDENTS = [
    ("anya", "Anya Petrova"),
    ("boris", "Boris Ivanov"),
    ("dasha", "Dasha Smirnova"),
    ("grisha", "Grisha Volkov"),
    ("lena", "Lena Kuznetsova"),
    ("misha", "Misha Orlov"),
]
DEMO_STUDENT_PASSWORD = "thaw-class-1956"  # noqa: S105 (a published demo login)
DEMO_PRACTICE_TITLE = "Practice: Lesson 1 quiz"
DEMO_TEST_TITLE = "Test: Lesson 2"


@dataclass(frozen=True)
class DemoWork:
    students: int
    assignments: int
    attempts_created: int
    skipped_reason: str = ""


def _demo_answer(question, *, right: bool, rng) -> list[str]:
    from quizzes.grading import is_ordering

    ids = [option["id"] for option in question.options]
    if right:
        return list(question.answer)
    if is_ordering(question.type):
        wrong = list(question.answer)
        wrong[0], wrong[-1] = wrong[-1], wrong[0]
        return wrong
    return [rng.choice([i for i in ids if i not in question.answer] or ids)]


def _take(*, quiz, user, now, ability: float, rng, finish: bool = True) -> bool:
    """One attempt through quizzes.taking, each answer right with probability `ability`."""
    import datetime

    from quizzes.models import Question
    from quizzes.taking import finish_attempt, record_answer, start_attempt

    if quiz.attempts.filter(user=user).exists():
        return False
    attempt = start_attempt(quiz=quiz, user=user, now=now)
    questions = Question.objects.in_bulk(attempt.question_ids)
    answered = attempt.question_ids if finish else attempt.question_ids[:2]
    for n, pk in enumerate(answered, 1):
        question = questions[pk]
        # Harder questions are missed more often, so item analysis has a shape.
        penalty = {"easy": -0.1, "medium": 0.05, "hard": 0.2}.get(question.difficulty, 0)
        record_answer(
            attempt=attempt,
            question=question,
            answer=_demo_answer(question, right=rng.random() < ability - penalty, rng=rng),
            now=now + datetime.timedelta(minutes=n),
        )
    if finish:
        finish_attempt(attempt=attempt, now=now + datetime.timedelta(minutes=len(answered) + 1))
    return True


@transaction.atomic
def ensure_demo_work(*, now) -> DemoWork:
    """Demo students in the demo class, two assignments, and attempts to grade. Idempotent.

    Needs the lessons and the question bank; without them it adds nothing (and says why).
    """
    import datetime
    import decimal
    import random

    from lessons.classes.assignments import (
        LESSON,
        MODULE_QUIZ,
        AssignmentError,
        create_assignment,
        set_accommodation,
    )
    from lessons.models import Module
    from quizzes.models import Question, Quiz

    school_class = ensure_demo_class()
    modules = list(Module.objects.order_by("ordinal", "title")[:2])
    if len(modules) < 2 or not Question.objects.published().exists():
        return DemoWork(0, 0, 0, "the lessons or the question bank are not loaded")
    students = []
    for username, name in DEMO_STUDENTS:
        first, _, last = name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_STUDENT_PASSWORD)
            user.save(update_fields=["password"])
        school_class.add_student(user)
        students.append(user)
    teacher = User.objects.get(username="teacher")
    plans = [
        (
            DEMO_PRACTICE_TITLE,
            MODULE_QUIZ,
            modules[0],
            {"mode": Quiz.Mode.PRACTICE, "due_at": now - datetime.timedelta(days=2)},
        ),
        (
            DEMO_TEST_TITLE,
            LESSON,
            modules[1],
            {
                "mode": Quiz.Mode.TEST,
                "due_at": now + datetime.timedelta(days=4),
                "attempts_allowed": 2,
                "time_limit_minutes": 20,
                "reveal_answers": Quiz.Reveal.AFTER_DUE,
                "shuffle_options": True,
            },
        ),
    ]
    assignments = []
    for title, what, module, rules in plans:
        assignment = school_class.assignments.filter(title=title).first()
        if assignment is None:
            try:
                assignment = create_assignment(
                    school_class=school_class,
                    teacher=teacher,
                    what=what,
                    module=module,
                    title=title,
                    rules=rules,
                )
            except AssignmentError:  # a module without published questions: no assignment
                continue
        assignments.append(assignment)
    rng = random.Random(1956)  # noqa: S311 (the same demo every time)
    abilities = [0.9, 0.55, 0.75, 0.45, 0.85, 0.65]
    made = 0
    for assignment in assignments:
        quiz = assignment.quiz
        practice = quiz.mode == Quiz.Mode.PRACTICE
        start = now - datetime.timedelta(days=5 if practice else 1)
        # Practice: five finished, one never started (late); test: four
        # finished, one half-way through, one not started.
        for n, (student, ability) in enumerate(zip(students, abilities, strict=True)):
            if n == 5:
                continue
            finish = practice or n < 4
            made += _take(
                quiz=quiz,
                user=student,
                now=start + datetime.timedelta(hours=n),
                ability=ability,
                rng=rng,
                finish=finish,
            )
        if not practice:
            set_accommodation(
                assignment=assignment,
                student_id=students[3].pk,
                time_multiplier=decimal.Decimal("1.5"),
                extra_minutes=0,
                extra_attempts=1,
                due_at=None,
                note="Extra time (demo)",
            )
    return DemoWork(len(students), len(assignments), made)
