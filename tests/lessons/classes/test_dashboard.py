"""The student dashboard, joining a class, module mastery on the home page, and the lesson quiz link."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons.models import Membership
from quizzes.models import Question, Quiz, ReviewCard
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_module,
    make_passage,
    make_question,
    make_quiz,
    make_school_class,
    make_section,
    make_source,
    make_term,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return make_source(slug="speech-anthology", title="Speech anthology")


def build_module(source, *, slug: str, ordinal: int, questions: int = 4):
    """A module citing `questions` passages, one question each, and its built quiz."""
    module = make_module(slug=slug, title=f"Lesson {slug}", ordinal=ordinal)
    passages = [
        make_passage(source=source, key=f"{slug}-{i}", text=f"Fact {slug} {i} was stated.")
        for i in range(questions)
    ]
    make_section(
        module=module,
        body=" ".join(
            f'Claim {i}.[^speech-anthology: "fact {slug} {i} was stated"]' for i in range(questions)
        ),
    )
    made = [make_question(passage=p) for p in passages]
    quiz = make_quiz(
        key=f"module:{slug}", kind=Quiz.Kind.MODULE, title=f"Quiz {slug}", questions=made
    )
    return module, made, quiz


@pytest.fixture
def student():
    return make_user(username="sasha", first_name="Sasha S.")


def test_dashboard_requires_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_new_student_sees_empty_states_and_their_class(client, source, student):
    build_module(source, slug="speech", ordinal=1)
    make_school_class(
        name="10B History",
        students=[student],
        teachers=[make_user(first_name="Tamara", last_name="T.")],
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "You haven't taken a quiz yet — start with Lesson 1" in html
    assert 'href="/lessons/speech/"' in html
    assert "No finished quizzes yet" in html
    assert "Once you have taken a quiz" in html
    assert "10B History" in html and "Taught by Tamara T." in html
    assert "No assignments yet" in html
    assert "Nothing to review now" in html


def test_mastery_follows_the_latest_try_at_each_question(client, source, student):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=4)
    build_module(source, slug="leak", ordinal=2)
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=timezone.now() - datetime.timedelta(hours=5),
        results=[
            (questions[0], True),
            (questions[1], True),
            (questions[2], True),
            (questions[3], False),
        ],
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "3 of 4 questions" in html and "75%" in html
    assert "1. Lesson speech: 75%; 2. Lesson leak: Not started." in html  # the SVG's <desc>
    assert (
        'role="img"' in html and 'aria-labelledby="mastery-chart-title mastery-chart-desc"' in html
    )

    # A retake: the second question now wrong, the fourth right; the others keep their last answer.
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        results=[(questions[1], False), (questions[3], True)],
    )
    html = client.get("/dashboard/").content.decode()
    assert "1. Lesson speech: 75%" in html  # 0, 2, 3 right; 1 wrong
    make_finished_attempt(
        quiz=quiz,
        user=student,
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        results=[(questions[1], True)],
    )
    html = client.get("/dashboard/").content.decode()
    assert "1. Lesson speech: 100%" in html and "4 of 4 questions" in html


def test_history_lists_scores_and_links_to_reviews_ten_per_page(client, source, student):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=2)
    start = timezone.now() - datetime.timedelta(days=2)
    attempts = [
        make_finished_attempt(
            quiz=quiz,
            user=student,
            started_at=start + datetime.timedelta(hours=n),
            results=[(questions[0], True), (questions[1], n % 2 == 0)],
        )
        for n in range(12)
    ]
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    newest, oldest = attempts[-1], attempts[0]
    assert f'href="/attempts/{newest.pk}/review/"' in html
    assert f'href="/attempts/{oldest.pk}/review/"' not in html  # on page 2
    assert html.count('<td class="num" role="cell"><span class="score">') == 10
    assert "1 / 2" in html and "2 / 2" in html and "(50%)" in html
    assert "Page 1 of 2" in html and 'href="?page=2#history-heading"' in html

    fragment = client.get("/dashboard/?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="attempt-history"')
    assert "<html" not in fragment and "Mastery by lesson" not in fragment
    assert fragment.count('<span class="score">') == 2
    assert f"attempt {oldest.number}" in fragment and "Page 2 of 2" in fragment


def test_student_sees_only_their_own_results(client, source, student):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1)
    other = make_user()
    make_finished_attempt(quiz=quiz, user=other, results=[(q, True) for q in questions])
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "No finished quizzes yet" in html
    assert "Not started" in html and "100%" not in html


def test_teacher_sees_their_own_empty_dashboard(client, source, student):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1)
    make_finished_attempt(quiz=quiz, user=student, results=[(q, True) for q in questions])
    teacher = make_user(username="tamara")
    teacher.groups.add(Group.objects.get_or_create(name="teachers")[0])
    client.force_login(teacher)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "No finished quizzes yet" in response.content.decode()


def test_misses_show_question_types_and_glossary_terms(client, source, student):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=3)
    yezhov = make_term(name="Nikolai Yezhov", slug="nikolai-yezhov")
    questions[0].passage.glossary_terms.add(yezhov)
    Question.objects.filter(pk=questions[0].pk).update(type=Question.Type.CLOZE_DATE)
    make_finished_attempt(
        quiz=quiz,
        user=student,
        results=[(questions[0], False), (questions[1], True), (questions[2], True)],
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "Fill in the date" in html and "1 of 1 answer wrong (100%)" in html
    assert "Cloze" not in html  # the bank's term for it, which a student need not know
    assert 'href="/glossary/nikolai-yezhov/"' in html and "1 of 1 question missed" in html


def test_due_reviews_are_counted_with_the_clock(client, student):
    question = make_question()
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    for days in [-2, -1, 3]:
        ReviewCard.objects.create(
            user=student,
            question=make_question() if days != -2 else question,
            fsrs_card={},
            due_at=moment + datetime.timedelta(days=days),
        )
    client.force_login(student)
    with time_machine.travel(moment, tick=False):
        html = client.get("/dashboard/").content.decode()
    assert re.search(r'<p class="stat-value">2</p>', html)
    assert 'action="/review/start/"' in html and "Start review" in html
    with time_machine.travel(moment + datetime.timedelta(days=4), tick=False):
        html = client.get("/dashboard/").content.decode()
    assert re.search(r'<p class="stat-value">3</p>', html)


def test_student_joins_another_class_from_the_dashboard(client, student):
    first = make_school_class(name="10B History", students=[student])
    second = make_school_class(name="Debate club", join_code="DEBATE77")
    client.force_login(student)
    response = client.post("/dashboard/join/", {"join_code": "debate77"}, follow=True)
    assert response.redirect_chain == [("/dashboard/", 302)]
    assert "You have joined Debate club." in response.content.decode()
    assert set(student.school_classes.all()) == {first, second}


def test_joining_by_htmx_returns_the_class_list_fragment(client, student):
    make_school_class(name="Debate club", join_code="DEBATE77")
    client.force_login(student)
    fragment = client.post(
        "/dashboard/join/", {"join_code": "DEBATE77"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="class-list"')
    assert "<html" not in fragment
    assert "You have joined Debate club." in fragment and "No assignments yet" in fragment


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NOSUCH99", "No class has this join code"),
        ("", "This field is required"),
        ("CLOSED22", "This class is not accepting new students"),
        ("MINE2345", "You are already in Mine."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_join_code_shows_an_error_and_joins_nothing(client, student, code, message, htmx):
    make_school_class(name="Closed", join_code="CLOSED22", join_enabled=False)
    make_school_class(name="Mine", join_code="MINE2345", students=[student])
    client.force_login(student)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post("/dashboard/join/", {"join_code": code}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'aria-invalid="true"' in html
    assert ("<html" in html) is not htmx
    assert Membership.objects.count() == 1


def test_joining_requires_login_and_post(client):
    assert client.post("/dashboard/join/", {"join_code": "X"}).status_code == 302
    client.force_login(make_user())
    assert client.get("/dashboard/join/").status_code == 405


def test_dashboard_queries_do_not_grow_with_attempts_or_modules(
    client, source, student, django_assert_num_queries
):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=10)
    for q in questions:
        q.passage.glossary_terms.add(make_term())
    make_school_class(students=[student], teachers=[make_user()])
    make_finished_attempt(quiz=quiz, user=student, results=[(q, False) for q in questions])
    client.force_login(student)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    for n in range(2, 5):
        build_module(source, slug=f"more-{n}", ordinal=n, questions=3)
    make_school_class(students=[student], teachers=[make_user(), make_user()])
    for n in range(29):
        make_finished_attempt(
            quiz=quiz,
            user=student,
            started_at=timezone.now() - datetime.timedelta(hours=40 - n),
            results=[(q, (i + n) % 2 == 0) for i, q in enumerate(questions)],
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/dashboard/").status_code == 200
    assert len(small.captured_queries) <= 13


def test_home_shows_mastery_on_module_cards_for_a_student(
    client, source, student, django_assert_num_queries
):
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=4)
    build_module(source, slug="leak", ordinal=2)
    make_finished_attempt(
        quiz=quiz, user=student, results=[(q, i != 0) for i, q in enumerate(questions)]
    )
    client.force_login(student)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/").content.decode()
    assert "Mastery 75%" in html and "Not started" in html
    for n in range(3, 7):
        build_module(source, slug=f"more-{n}", ordinal=n)
    for _ in range(5):
        make_finished_attempt(quiz=quiz, user=student, results=[(q, True) for q in questions])
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get("/").content.decode()
    assert "Mastery 100%" in html


def test_visitor_home_cards_show_no_mastery(client, source):
    build_module(source, slug="speech", ordinal=1)
    html = client.get("/").content.decode()
    assert "Mastery" not in html and "Not started" in html


def test_lesson_page_links_to_its_quiz_which_is_built_once(client, source):
    module = make_module(slug="speech", title="Speech", ordinal=1)
    passages = [make_passage(source=source, text=f"Fact {i} was stated.") for i in range(3)]
    make_section(
        module=module,
        body=" ".join(f'C.[^speech-anthology: "fact {i} was stated"]' for i in range(3)),
    )
    # True/false questions: the quiz builder keeps one question per answer, and
    # the factory's choice questions all share theirs.
    cited = [make_question(passage=p, type=Question.Type.TRUE_FALSE) for p in passages]
    make_question()  # cites a passage the lesson does not
    html = client.get("/lessons/speech/").content.decode()
    assert 'action="/lessons/speech/quiz/"' in html and "Take the end-of-lesson quiz" in html

    response = client.post("/lessons/speech/quiz/")
    quiz = Quiz.objects.get(key="module:speech")
    assert response.status_code == 302 and response["Location"] == f"/quizzes/{quiz.pk}/"
    assert set(quiz.questions.all()) == set(cited)
    assert quiz.kind == Quiz.Kind.MODULE and "Speech" in quiz.title
    client.post("/lessons/speech/quiz/")
    assert Quiz.objects.filter(key="module:speech").count() == 1
    assert client.get("/lessons/speech/quiz/").status_code == 405
    assert client.post("/lessons/nope/quiz/").status_code == 404


def test_chart_bars_scale_with_mastery_and_long_titles_wrap():
    from lessons.classes.charts import horizontal_bar_chart

    chart = horizontal_bar_chart(
        rows=[
            ("1. Short", 50),
            ("3. The Central Committee’s resolution of 30 June 1956", 100),
            ("4. Later", None),
        ]
    )
    short, long, later = chart.bars
    assert short.width_percent == chart.track_percent / 2
    assert long.width_percent == chart.track_percent
    assert len(long.label_lines) == 2 and later.top > long.bar_y
    assert later.width_percent == 0 and later.text == "Not started"
    assert chart.summary == (
        "1. Short: 50%; 3. The Central Committee’s resolution of 30 June 1956: 100%; "
        "4. Later: Not started."
    )


@pytest.mark.django_db
def test_dashboard_lists_the_students_assignments_with_their_due_state(client):
    import datetime

    from django.utils import timezone

    from tests.factories import make_assignment, make_school_class, make_teacher, make_user

    teacher = make_teacher()
    student = make_user()
    school_class = make_school_class()
    school_class.teachers.add(teacher)
    school_class.add_student(student)
    overdue = timezone.now() - datetime.timedelta(days=1)
    # In the class before it was due (one who joined later: tests/lessons/classes/test_first_dashboard.py).
    Membership.objects.filter(student=student).update(
        joined_at=overdue - datetime.timedelta(days=7)
    )
    make_assignment(
        school_class=school_class,
        teacher=teacher,
        title="Read lesson 2 and take its test",
        quiz_kwargs={"due_at": overdue, "mode": "test"},
    )
    client.force_login(student)
    html = client.get("/dashboard/").content.decode()
    assert "Read lesson 2 and take its test" in html
    assert f"Missed: closed {timezone.localtime(overdue):%-d %b}" in html


@pytest.mark.django_db
def test_up_next_is_the_first_lesson_with_unanswered_questions():
    from lessons.classes.dashboard import Mastery, StudentDashboard
    from tests.factories import make_module

    first, second, third = (make_module() for _ in range(3))
    board = StudentDashboard(
        mastery=[
            Mastery(module=first, correct=8, answered=10, total=10, to_practise=0),
            # shared questions answered in the first: 8 of its quiz's 10 still to do
            Mastery(module=second, correct=2, answered=2, total=10, to_practise=8),
            Mastery(module=third, correct=0, answered=0, total=10, to_practise=10),
        ],
        chart=None,
        missed_types=[],
        missed_terms=[],
        due_reviews=0,
        classes=[],
        assigned=[],
        retakes=[],
    )
    assert board.next_module == second


def test_dashboard_query_counts_for_a_new_student_and_one_with_work(
    client, source, student, django_assert_num_queries
):
    """A student with nothing to show is spared the queries that could only come back
    empty (question types missed, a class's assignments); one with results and a class
    runs every query, and the same number however much work they have done."""
    _module, questions, quiz = build_module(source, slug="speech", ordinal=1, questions=3)
    client.force_login(student)
    # user, finished-attempt count, modules, revealed answers (latest results and
    # question types missed), mastery questions, due reviews, classes, retakes
    # (the session comes from the cache)
    with django_assert_num_queries(8):
        html = client.get("/dashboard/").content.decode()
    assert "No assignments yet" in html and "You haven't taken a quiz yet" in html

    school_class = make_school_class(students=[student], teachers=[make_user()])
    make_assignment(school_class=school_class, quiz=make_quiz(title="Homework on the leak"))
    questions[0].passage.glossary_terms.add(make_term(name="Nikolai Yezhov"))
    make_finished_attempt(quiz=quiz, user=student, results=[(q, False) for q in questions])
    # ... and glossary terms missed, the class's teachers, assignments (2: with
    # their accommodations, then the student's attempts at them) and the history page
    with django_assert_num_queries(13):
        html = client.get("/dashboard/").content.decode()
    assert "Homework on the leak" in html and "Nikolai Yezhov" in html
    assert "3 of 3 answers wrong" in html
