"""A student's journeys without dead ends (issue 16 part 2): what a new member of a class
sees first, a closed quiz that says why and where to go, quiz texts that match the quiz's
rules, mastery that agrees with a test's score, and quiz pages the browser never keeps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.models import Membership
from quizzes.models import Quiz
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_module,
    make_question,
    make_quiz,
    make_school_class,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def school_class():
    return make_school_class(name="9A History", teachers=[make_teacher()])


def _assign(school_class, title: str, **quiz_kwargs):
    return make_assignment(school_class=school_class, title=title, quiz_kwargs=quiz_kwargs)


def test_a_new_member_sees_open_work_and_nothing_late_from_before_they_joined(client, school_class):
    _assign(school_class, "Practice set last week", due_at=NOW - datetime.timedelta(days=2))
    _assign(school_class, "Test on the leak", due_at=NOW + datetime.timedelta(days=4))
    _assign(school_class, "Reading with no date")
    student = make_user()
    school_class.add_student(student)  # joins now: the first was over already
    client.force_login(student)
    html = client.get(reverse("classes:dashboard")).content.decode()
    assert "Practice set last week" not in html
    assert "Missed" not in html and "Late" not in html
    assert "1 assignment was due before you joined" in html
    # What they can do, soonest due first, each "To do".
    assert html.index("Test on the leak") < html.index("Reading with no date")
    assert html.count(">To do<") == 2


def test_a_member_who_let_a_quiz_close_sees_it_missed_with_no_way_in_but_a_reason(
    client, school_class
):
    student = make_user()
    school_class.add_student(student)
    Membership.objects.filter(student=student).update(joined_at=NOW - datetime.timedelta(days=30))
    module = make_module(title="The leak to the West")
    assignment = _assign(school_class, "Lesson: the leak", due_at=NOW - datetime.timedelta(days=2))
    assignment.module = module
    assignment.save(update_fields=["module"])
    client.force_login(student)
    html = client.get(reverse("classes:dashboard")).content.decode()
    assert "Missed: closed" in html
    assert "If you need more time, ask your teacher." in html
    assert "Take the quiz" not in html  # it would only open a closed quiz


def test_a_closed_quiz_says_why_and_points_to_the_work_still_open(client, school_class):
    student = make_user()
    school_class.add_student(student)
    assignment = _assign(school_class, "Old practice", due_at=NOW - datetime.timedelta(days=2))
    client.force_login(student)
    html = client.get(assignment.quiz.get_absolute_url()).content.decode()
    assert "This quiz closed on" in html
    assert "Its due date has passed, so it takes no new attempts." in html
    assert "ask your teacher: they can give you a later due date" in html
    assert f'href="{reverse("classes:dashboard")}"' in html and "still open to you" in html
    assert "Start the quiz" not in html


@pytest.mark.parametrize(
    ("rules", "present", "absent"),
    [
        (
            {"due_at": NOW + datetime.timedelta(days=3)},
            ["There is no time limit. At the due date, an attempt still open is submitted"],
            ["When time runs out", "minutes are up", "clock keeps running"],
        ),
        (
            {"time_limit_minutes": 20},
            ["When your 20 minutes are up", "but the clock keeps running"],
            ["At the due date"],
        ),
        (
            {"mode": "test", "reveal_answers": "never"},
            ["the answers stay hidden"],
            ["spaced review</a> sooner", "minutes are up", "At the due date"],
        ),
        (
            {"mode": "test", "reveal_answers": "after_due", "due_at": NOW + datetime.timedelta(1)},
            ["After the due date, these questions come back in your"],
            ["sooner than the ones you get right"],
        ),
    ],
)
def test_the_quiz_intro_says_what_this_quizs_rules_do(client, rules, present, absent):
    quiz = make_quiz(**rules)
    client.force_login(make_user())
    html = client.get(quiz.get_absolute_url()).content.decode()
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_a_drawn_practice_quiz_does_not_promise_to_leave_seen_questions_out(client):
    quiz = make_quiz(count=4, draw_count=2)
    client.force_login(make_user())
    html = client.get(quiz.get_absolute_url()).content.decode()
    assert "any whose answer you have already seen come last" in html
    assert "leaving out any whose answer" not in html


def test_mastery_agrees_with_a_test_on_the_lesson_and_the_dashboard_says_how_it_is_counted(
    client, school_class
):
    """The report: 0 % mastery beside a 2/10 test. The lesson's public quiz shares one
    question with the test, answered wrong; the test's other nine count too now."""
    module = make_module(slug="the-leak", title="The leak to the West")
    public = [make_question() for _ in range(10)]
    make_quiz(key=f"module:{module.slug}", kind=Quiz.Kind.MODULE, questions=public)
    pool = [public[0], *(make_question() for _ in range(11))]
    test = make_quiz(questions=pool, mode="test", draw_count=10)
    assignment = make_assignment(school_class=school_class, quiz=test, title="Leak test")
    assignment.module = module
    assignment.save(update_fields=["module"])
    student = make_user()
    school_class.add_student(student)
    asked = pool[:10]
    make_finished_attempt(
        quiz=test, user=student, results=[(q, n in (3, 7)) for n, q in enumerate(asked)]
    )
    client.force_login(student)
    html = client.get(reverse("classes:dashboard")).content.decode()
    assert "2 / 10" in html  # the test in the history
    assert "2 of 10 questions" in html and ">20%<" in html
    assert "How mastery is worked out" in html
    # Its own quiz still has nine questions to practise: it is still up next.
    assert "Up next" in html and "The leak to the West</a></p>" in html


@pytest.mark.parametrize(
    "name", ["quizzes:quiz_detail", "quizzes:attempt_question", "quizzes:attempt_review"]
)
def test_the_quiz_flow_pages_are_never_kept_by_the_browser(client, name):
    student = make_user()
    quiz = make_quiz(count=1)
    question = quiz.items.get().question
    # An open attempt has a card to show; a finished one, its results.
    attempt = make_finished_attempt(
        quiz=quiz,
        user=student,
        results=[(question, True)],
        finished=name != "quizzes:attempt_question",
    )
    client.force_login(student)
    pk = quiz.pk if name == "quizzes:quiz_detail" else attempt.pk
    response = client.get(reverse(name, kwargs={"pk": pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_old_ordering_form_sent_again_shows_the_answer_not_the_question(client):
    """Back, without JavaScript, sends an ordering move again (a POST page in history)
    after the question was answered: the answer is shown, not the question reopened."""
    from quizzes.models import Question
    from quizzes.taking import start_attempt

    options = [{"id": k, "text": f"Event {k}"} for k in "abc"]
    ordering = make_question(type=Question.Type.CHRONOLOGY, options=options, answer=["a", "b", "c"])
    student = make_user()
    attempt = start_attempt(
        quiz=make_quiz(questions=[ordering, make_question()]), user=student, now=NOW
    )
    client.force_login(student)
    url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
    moved = client.post(url, {"question": ordering.pk, "order": ["a", "b", "c"], "move": "down:a"})
    assert moved.status_code == 200 and 'class="question-form' in moved.content.decode()
    client.post(url, {"question": ordering.pk, "order": ["a", "b", "c"]})  # answered
    again = client.post(
        url, {"question": ordering.pk, "order": ["a", "b", "c"], "move": "down:a"}, follow=True
    )
    html = again.content.decode()
    assert "You have already answered this question" in html
    assert 'class="question-form' not in html and "Question 1" in html
