"""Benchmark: a teacher's gradebook for a class of 300 students and 30 assignments.

Run by `make bench` through `manage.py shell -c` on a fresh SQLite database: the
class, its assignments (each its own 10-question quiz) and one finished attempt per
student and assignment (9,000 attempts) are bulk-created, then the gradebook page is
requested through Django's test client (the whole view: queries, grid, template),
20 times. Prints one JSON line with the timings in milliseconds (wall clock, and the
median CPU time, which a busy machine changes much less).
"""

from __future__ import annotations

import datetime
import json
import statistics
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lessons.accounts.roles import TEACHERS, ensure_role_groups
from lessons.models import Assignment, Membership, SchoolClass
from quizzes.models import Attempt, Question, Quiz, QuizItem

STUDENTS = 300
ASSIGNMENTS = 30
QUESTIONS_PER_QUIZ = 10
ROUNDS = 20


@transaction.atomic
def build_class() -> tuple[User, SchoolClass]:
    now = timezone.now()
    password = make_password(None)
    teacher = User.objects.create(username="bench-gradebook-teacher", password=password)
    teacher.groups.add(ensure_role_groups()[TEACHERS])
    school_class = SchoolClass.objects.create(name="Gradebook bench", join_code="BENCHGB1")
    school_class.teachers.add(teacher)
    students = User.objects.bulk_create(
        User(username=f"gb-{n:03d}", first_name=f"Student {n}", password=password)
        for n in range(STUDENTS)
    )
    Membership.objects.bulk_create(
        Membership(school_class=school_class, student=s) for s in students
    )
    question_ids = list(
        Question.objects.published().values_list("pk", flat=True)[:QUESTIONS_PER_QUIZ]
    )
    for a in range(ASSIGNMENTS):
        quiz = Quiz.objects.create(
            title=f"Assignment {a + 1}", mode="test", due_at=now + datetime.timedelta(days=a - 15)
        )
        QuizItem.objects.bulk_create(
            QuizItem(quiz=quiz, question_id=q, position=i) for i, q in enumerate(question_ids, 1)
        )
        Assignment.objects.create(
            school_class=school_class, quiz=quiz, title=quiz.title, created_by=teacher
        )
        Attempt.objects.bulk_create(
            Attempt(
                quiz=quiz,
                user=s,
                number=1,
                mode="test",
                question_ids=question_ids,
                started_at=now - datetime.timedelta(days=20 - a % 20),
                finished_at=None
                if (n + a) % 7 == 0
                else now - datetime.timedelta(days=19 - a % 20),
                score=(n * 7 + a) % (QUESTIONS_PER_QUIZ + 1),
                max_score=QUESTIONS_PER_QUIZ,
            )
            for n, s in enumerate(students)
            if (n + a) % 11  # some students have not started
        )
    return teacher, school_class


# Production settings (DEBUG off) but plain static storage: no collectstatic needed.
@override_settings(
    STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def measure() -> dict[str, float]:
    teacher, school_class = build_class()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    url = reverse("classes:teacher_gradebook", kwargs={"pk": school_class.pk})
    assert client.get(url).status_code == 200  # warm-up, and the page works
    timings, cpu = [], []
    for _ in range(ROUNDS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "students": STUDENTS,
        "assignments": ASSIGNMENTS,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
        # CPU time of this process: what the page costs, whatever else the machine runs.
        "cpu_median_ms": statistics.median(cpu),
    }


print(json.dumps(measure()))
