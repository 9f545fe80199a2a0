"""Roles as Django groups and permissions, and the demo accounts `make run` prints.

A curator is a staff user in the `curators` group (may change the corpus, the question
bank and lesson content in the admin and the curation pages, never classes or students'
work); a teacher is in the `teachers` group; everyone else is a student. Views check
permissions, never group names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse

from lessons.models import PasswordChangeRequired, SchoolClass

CURATORS = "curators"
TEACHERS = "teachers"

# Curators edit the corpus, the question bank and lesson content, and may delete a
# student's account (lessons.privacy). Nothing about classes or students' work: no
# classes, memberships, assignments, accommodations, attempts, answers or review cards
# (least privilege, issue #15; the admin also keeps those to superusers, corpus.admin_access).
# A curator who also teaches is put in the teachers' group as well.
CURATOR_PERMISSIONS = (
    Q(content_type__app_label="corpus")
    | Q(
        content_type__app_label="quizzes",
        content_type__model__in=[
            "question",
            "questionversion",
            "problemreport",
            "itemstatistics",
            "generationrun",
        ],
    )
    | Q(
        content_type__app_label="lessons",
        # Lesson content; a task's written answers (taskanswer) are students' work.
        content_type__model__in=[
            "module",
            "section",
            "citation",
            "sourcetask",
            "taskdocument",
            "taskstep",
        ],
    )
    | Q(content_type__app_label="lessons", codename="delete_student_account")
    # Registering an LMS (LTI) and rotating Thaw's keys: the /lti/platforms/ pages.
    | Q(content_type__app_label="lessons", codename="manage_lti_platforms")
)
# Teachers create classes and assignments; the views check `lessons.add_schoolclass`.
TEACHER_PERMISSIONS = Q(content_type__app_label="lessons") & Q(
    codename__in=["add_schoolclass", "change_schoolclass", "add_assignment", "change_assignment"]
)


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
def ensure_role_groups() -> dict[str, Group]:
    curators, _ = Group.objects.get_or_create(name=CURATORS)
    curators.permissions.set(Permission.objects.filter(CURATOR_PERMISSIONS))
    teachers, _ = Group.objects.get_or_create(name=TEACHERS)
    # Views check this permission, not the group name ("Classes" in the nav too).
    teachers.permissions.add(*Permission.objects.filter(TEACHER_PERMISSIONS))
    return {CURATORS: curators, TEACHERS: teachers}


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


@transaction.atomic
def sign_up_student(
    *, username: str, display_name: str, password: str, school_class: SchoolClass
) -> User:
    """Create a student account (no e-mail) and make it a member of `school_class`.

    The caller has validated the inputs (lessons.forms.SignupForm); a username
    taken meanwhile raises IntegrityError and nothing is written.
    """
    user = User.objects.create_user(username=username, password=password, first_name=display_name)
    school_class.add_student(user)
    return user


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

    from lessons.assignments import (
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


# --- Where each role starts --------------------------------------------------------------


def start_page_for(user: User) -> str:
    """The page a user lands on after logging in without a ?next=: their own work.

    Curators start at the review queue, teachers at their classes, students at their
    dashboard. A curator may also teach (the group holds every lessons permission),
    so the curator test comes first.
    """
    if user.is_staff and user.has_perm("quizzes.change_question"):
        return reverse("curation:queue")
    if user.has_perm("lessons.add_schoolclass"):
        return reverse("teacher_classes")
    return reverse("dashboard")


# --- The "Classes" link in the navigation ------------------------------------------------
#
# Checking a permission in every page's nav costs two queries per page (the
# permission cache lives on the user object, which is loaded afresh on each
# request). The role is looked up once, at login, and kept in the session,
# which every page reads anyway. A teacher added to the group while logged in
# sees the link after logging in again; the teacher pages themselves always
# check the permission.
TEACHER_SESSION_KEY = "thaw_teacher"


@receiver(user_logged_in)
def remember_teacher_role(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[TEACHER_SESSION_KEY] = user.has_perm("lessons.add_schoolclass")


# An account made by a roster import logs in with a password its teacher printed: it
# must choose its own first. Looked up once here, at log-in, so that other users'
# pages cost no query for it; lessons.middleware reads the session and clears both.
PASSWORD_CHANGE_SESSION_KEY = "thaw_must_change_password"  # noqa: S105 (a session key)


@receiver(user_logged_in)
def remember_password_change_required(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[PASSWORD_CHANGE_SESSION_KEY] = True
    else:
        request.session.pop(PASSWORD_CHANGE_SESSION_KEY, None)


# --- Log-in throttling -------------------------------------------------------------------


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username django-axes records for a log-in, cut to its 255-character column.

    Django's log-in form does not enforce the username's length, so a longer one reached
    axes' INSERT: a 500 on PostgreSQL (found by tests/reliability/test_fuzz.py). No real
    username is that long (150 at most), so cutting changes no lockout of a real account.
    """
    source = credentials or getattr(request, "POST", {})
    username = source.get("username")
    return username[:255] if isinstance(username, str) else username
