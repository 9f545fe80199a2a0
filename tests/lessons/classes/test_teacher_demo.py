"""seed_demo gives the demo teacher a class with work to grade, once, however often it runs."""

import pytest
from django.core.management import call_command

from lessons.accounts.demo import DEMO_JOIN_CODE, DEMO_STUDENTS
from lessons.classes.gradebook import gradebook
from lessons.classes.item_analysis import item_analysis
from lessons.models import Assignment, SchoolClass
from quizzes.models import Attempt, QuizOverride, Response
from tests.lessons.classes.test_teacher_views import build_module

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_demo_class_with_gradable_work_and_is_idempotent(capsys):
    build_module(slug="lesson-one", ordinal=1, questions=6)
    build_module(slug="lesson-two", ordinal=2, questions=6)
    call_command("seed_demo")
    counts = (Assignment.objects.count(), Attempt.objects.count(), Response.objects.count())
    call_command("seed_demo")
    assert (Assignment.objects.count(), Attempt.objects.count(), Response.objects.count()) == counts
    assert "2 assignments" in capsys.readouterr().out

    school_class = SchoolClass.objects.get(join_code=DEMO_JOIN_CODE)
    assert school_class.memberships.count() == len(DEMO_STUDENTS) + 1
    from django.utils import timezone

    book = gradebook(school_class=school_class, now=timezone.now())
    statuses = {cell.status for row in book.rows for cell in row.cells}
    assert {"done", "late", "in_progress", "not_started"} <= statuses
    assert QuizOverride.objects.count() == 1
    answers = Response.objects.values_list("is_correct", flat=True)
    assert True in answers and False in answers  # a realistic mix
    practice, test = book.assignments
    assert (practice.quiz.mode, test.quiz.mode) == ("practice", "test")
    assert any(item.wrong for item in item_analysis(assignment=test))


def test_seed_demo_without_a_bank_makes_only_the_accounts_and_says_so(capsys):
    call_command("seed_demo")
    assert "Demo class work skipped" in capsys.readouterr().out
    assert not Assignment.objects.exists()
