"""A student's work on a lesson page: checks for understanding, the source-analysis task,
and the teacher's page of written answers."""

import pytest
from django.test import Client
from django.utils import timezone

from lessons.models import SourceTask, TaskAnswer, TaskDocument, TaskStep
from quizzes.drawing import seen_questions
from quizzes.models import Attempt, Quiz, Response
from tests.factories import (
    make_module,
    make_passage,
    make_question,
    make_school_class,
    make_section,
    make_source,
    make_teacher,
    make_user,
    sentence_in_share,
)

NOW = timezone.now()


def build_lesson(*, sections: int = 2, checks: int = 2, slug: str = "speech"):
    """A lesson whose sections each cite one passage that `checks` practice questions cite,
    and a source-analysis task with two documents and the four steps."""
    source = make_source(slug=f"{slug}-source")
    module = make_module(slug=slug, title=f"Lesson {slug}")
    questions = []
    for s in range(sections):
        passage = make_passage(source=source, key=f"{slug}{s}", text=f"Fact {slug} {s} here.")
        make_section(
            module=module,
            slug=f"part-{s}",
            title=f"Part {s}",
            ordinal=s,
            body=f'Claim {s}.[^{source.slug}: "fact {slug} {s} here"]',
        )
        for c in range(checks):
            sentence = sentence_in_share(f"Sentence {slug} {s} {c}.")
            questions.append(
                make_question(
                    passage=passage,
                    type="who_what_when",
                    stem=f"Who is described here? “Check {s}-{c} of {slug}”",
                    options=[
                        {"id": "a", "text": f"Right answer {s}-{c}"},
                        {"id": "b", "text": f"Wrong answer {s}-{c}"},
                    ],
                    answer=["a"],
                    explanation=f"Key explanation {s}-{c}.",
                    explanation_quote=sentence,
                    quality_score=0.5 + c / 10,
                )
            )
    task = SourceTask.objects.create(module=module, title="Two wordings", intro="Read both.")
    first = source.passages.first()
    for n in (1, 2):
        TaskDocument.objects.create(
            task=task,
            ordinal=n,
            heading=f"Document heading {n}",
            passage=first,
            source_slug=source.slug,
            quote="fact",
        )
    for n, kind in enumerate(TaskStep.Kind.values, 1):
        TaskStep.objects.create(
            task=task, kind=kind, ordinal=n, question=f"Step question {kind}?", hints="A hint."
        )
    return module, questions, task


def url(module, section="part-0"):
    return f"/lessons/{module.slug}/checks/{section}/"


@pytest.fixture
def lesson(db):
    return build_lesson()


@pytest.fixture
def student(db):
    return make_user(username="sasha")


# --- checks for understanding --------------------------------------------------------------


def test_each_section_ends_with_its_checks_and_the_key_is_not_in_the_page(client, lesson, student):
    module, questions, _ = lesson
    client.force_login(student)
    html = client.get(module.get_absolute_url()).content.decode()
    assert html.count('class="check-card') == 4
    assert "Check 0-0 of speech" in html and "Check 1-1 of speech" in html
    assert html.count('name="csrfmiddlewaretoken"') >= 4
    assert "Key explanation" not in html and "Right answer" in html  # options, not the key
    for question in questions:
        assert question.explanation_quote not in html
    assert "Correct" not in html and "Not quite" not in html


def test_a_visitor_sees_the_question_and_a_way_to_log_in_but_no_form(client, lesson):
    module, questions, _ = lesson
    html = client.get(module.get_absolute_url()).content.decode()
    assert "Check 0-0 of speech" in html
    assert "Log in to check your answer" in html
    assert f"/accounts/login/?next=/lessons/speech/%23check-{questions[1].pk}" in html
    assert 'name="choice"' not in html


def test_answering_with_htmx_returns_the_card_with_its_feedback(client, lesson, student):
    module, questions, _ = lesson
    question = questions[1]  # the better of part 0's two comes first
    client.force_login(student)
    response = client.post(
        url(module), {"question": question.pk, "choice": "b"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article id="check-{question.pk}"')
    assert "Not quite" in html and "Right answer 0-1" in html and "Key explanation 0-1" in html
    assert "<html" not in html


def test_an_answer_is_practice_the_student_has_seen(client, lesson, student):
    module, questions, _ = lesson
    client.force_login(student)
    client.post(url(module), {"question": questions[0].pk, "choice": "a"})
    answer = Response.objects.get()
    assert answer.is_correct and answer.attempt.user == student
    assert answer.attempt.mode == Quiz.Mode.PRACTICE
    assert answer.attempt.quiz.key == "checks:speech"
    assert questions[0].pk in seen_questions(user_ids=[student.pk], now=timezone.now())[student.pk]
    assert student.review_cards.filter(question=questions[0]).exists()


def test_without_javascript_the_answer_redirects_to_the_card_which_shows_the_feedback(
    client, lesson, student
):
    module, questions, _ = lesson
    client.force_login(student)
    response = client.post(url(module), {"question": questions[0].pk, "choice": "a"})
    assert response.status_code == 302
    assert response["Location"] == f"/lessons/speech/#check-{questions[0].pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Correct" in html and "Key explanation 0-0" in html
    assert "Key explanation 1-0" not in html  # the others still wait for an answer


def test_answering_twice_keeps_the_first_answer(client, lesson, student):
    module, questions, _ = lesson
    client.force_login(student)
    client.post(url(module), {"question": questions[0].pk, "choice": "a"})
    client.post(url(module), {"question": questions[0].pk, "choice": "b"})
    assert list(Response.objects.values_list("answer", flat=True)) == [["a"]]


def test_answering_every_check_finishes_the_attempt(client, lesson, student):
    module, questions, _ = lesson
    client.force_login(student)
    for n, question in enumerate(questions):
        client.post(url(module, f"part-{n // 2}"), {"question": question.pk, "choice": "a"})
    attempt = Attempt.objects.get()
    assert attempt.is_finished and attempt.score == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [({"choice": "a"}, "no longer one of"), ({}, "no longer one of"), ({"choice": "zz"}, "")],
)
def test_a_bad_answer_is_refused_with_a_message_and_nothing_stored(
    client, lesson, student, data, message
):
    module, questions, _ = lesson
    client.force_login(student)
    post = dict(data)
    if "choice" in post and post["choice"] == "zz":
        post["question"] = questions[0].pk
    response = client.post(url(module), post, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    if message:
        assert response["HX-Redirect"].startswith("/lessons/speech/")
    else:
        assert 'role="alert"' in response.content.decode()
    assert not Response.objects.exists()


def test_a_question_of_another_section_is_refused(client, lesson, student):
    module, questions, _ = lesson
    client.force_login(student)
    response = client.post(url(module, "part-0"), {"question": questions[2].pk, "choice": "a"})
    assert response.status_code == 302 and response["Location"] == "/lessons/speech/#part-0"
    assert not Response.objects.exists()


def test_a_test_only_question_cannot_be_answered_as_a_check(client, lesson, student):
    module, questions, _ = lesson
    secret = make_question(
        passage=questions[0].passage,
        stem="Who is secret?",
        explanation_quote=sentence_in_share("A secret sentence.", test_only=True),
        quality_score=1.0,
    )
    client.force_login(student)
    html = client.get(module.get_absolute_url()).content.decode()
    assert "Who is secret?" not in html
    client.post(url(module), {"question": secret.pk, "choice": "a"})
    assert not Response.objects.exists()


def test_checks_need_a_login_and_a_csrf_token(lesson, student):
    module, questions, _ = lesson
    data = {"question": questions[0].pk, "choice": "a"}
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(url(module), data).status_code == 403  # no token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    assert browser.post(url(module), data).status_code == 403
    assert Client().post(url(module), data)["Location"].startswith("/accounts/login/")
    assert Client().get(url(module)).status_code in (302, 405)
    assert not Response.objects.exists()


@pytest.mark.parametrize("sections", [1, 5])
def test_the_lesson_page_runs_a_fixed_number_of_queries(
    client, db, student, django_assert_num_queries, sections
):
    module, questions, _ = build_lesson(sections=sections)
    client.force_login(student)
    client.post(url(module), {"question": questions[1].pk, "choice": "a"})
    client.get(module.get_absolute_url())  # the session and the user are cached from here
    # The 10 of a lesson with its task (tests/lessons/modules/test_views.py), the session and the
    # user, the bank's stamp and the chosen checks (kept in the cache since the first
    # view), the student's answers, the notes of the answered checks (two: their passages,
    # then the notes, none here), the task's documents with their glossary terms, its
    # steps, and the student's written answers.
    with django_assert_num_queries(20):
        html = client.get(module.get_absolute_url()).content.decode()
    assert html.count('class="check-card') == 2 * sections


# --- the source-analysis task -------------------------------------------------------------


def task_url(module):
    return f"/lessons/{module.slug}/task/"


def answers(task, **by_kind):
    return {f"step-{s.pk}": by_kind.get(s.kind, "") for s in task.steps.all()}


def test_the_lesson_page_shows_the_task_and_a_visitor_is_asked_to_log_in(client, lesson):
    module, _, _ = lesson
    html = client.get(module.get_absolute_url()).content.decode()
    assert 'id="source-task"' in html and "Document A" in html and "Document B" in html
    assert "Step question sourcing?" in html and "A hint." in html
    assert "Log in to write your answers" in html and "<textarea" not in html


def test_a_student_saves_drafts_with_htmx_and_sees_them_on_the_lesson_page(client, lesson, student):
    module, _, task = lesson
    client.force_login(student)
    data = {**answers(task, sourcing="Khrushchev spoke <b>to delegates</b>."), "action": "save"}
    response = client.post(task_url(module), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="source-task"')
    assert "Your answers are saved" in html
    assert "Khrushchev spoke &lt;b&gt;to delegates&lt;/b&gt;." in html
    page = client.get(module.get_absolute_url()).content.decode()
    assert "Khrushchev spoke &lt;b&gt;to delegates&lt;/b&gt;." in page


def test_handing_in_without_javascript_redirects_and_fixes_the_answers(client, lesson, student):
    module, _, task = lesson
    client.force_login(student)
    every = answers(task, sourcing="A1", contextualization="B2", corroboration="C3")
    every[f"step-{task.steps.get(kind='close_reading').pk}"] = "D4"
    response = client.post(task_url(module), {**every, "action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/lessons/speech/#source-task"
    page = client.get(response["Location"]).content.decode()
    assert "You handed this in on" in page and "D4" in page and "<textarea" not in page
    response = client.post(task_url(module), {**every, "action": "save"})
    assert TaskAnswer.objects.filter(submitted_at__isnull=False).count() == 4


def test_a_refused_hand_in_without_javascript_keeps_what_was_typed(client, lesson, student):
    module, _, task = lesson
    client.force_login(student)
    data = {
        **answers(task, sourcing="Typed \x00 text", contextualization="Fine"),
        "action": "submit",
    }
    response = client.post(task_url(module), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<textarea" in html  # the task page, again
    assert "cannot be saved" in html and "Write an answer to this step" in html
    assert "Fine" in html and "Typed" in html
    assert TaskAnswer.objects.get().text == "Fine"


def test_the_task_needs_a_csrf_token_and_a_login_to_save(lesson, student):
    module, _, task = lesson
    data = {**answers(task, sourcing="x"), "action": "save"}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    assert browser.post(task_url(module), data).status_code == 403
    assert Client().post(task_url(module), data).status_code == 302
    assert not TaskAnswer.objects.exists()


# --- the teacher's page ---------------------------------------------------------------------


@pytest.fixture
def classes(lesson):
    _, _, task = lesson
    teacher, other_teacher = make_teacher(username="teacher"), make_teacher(username="other")
    mine, theirs = make_user(first_name="Anna"), make_user(first_name="Boris")
    waiting = make_user(first_name="Vera")
    class_a = make_school_class(teachers=[teacher], students=[mine, waiting])
    class_b = make_school_class(teachers=[other_teacher], students=[theirs])
    now = timezone.now()
    for student, text, submitted in (
        (mine, "Anna's handed-in answer", now),
        (theirs, "Boris's answer in another class", now),
        (waiting, "Vera's private draft", None),
    ):
        for step in task.steps.all():
            TaskAnswer.objects.create(
                step=step, student=student, text=text, updated_at=now, submitted_at=submitted
            )
    return class_a, class_b, teacher, other_teacher


def written(school_class):
    return f"/teach/classes/{school_class.pk}/written-answers/"


def test_a_teacher_reads_the_handed_in_answers_of_their_class_only(client, classes):
    class_a, _, teacher, _ = classes
    client.force_login(teacher)
    html = client.get(written(class_a)).content.decode()
    assert html.count("Anna&#x27;s handed-in answer") == 4
    assert "Boris" not in html
    assert "Vera&#x27;s private draft" not in html and "Not handed in yet" in html
    assert "Vera" in html
    assert f'href="/teach/classes/{class_a.pk}/written-answers/"' in html  # the class tab


def test_only_the_class_teachers_may_open_the_written_answers(client, classes):
    class_a, class_b, teacher, other_teacher = classes
    client.force_login(other_teacher)
    assert client.get(written(class_a)).status_code == 404
    client.force_login(teacher)
    assert client.get(written(class_b)).status_code == 404
    client.force_login(class_a.memberships.first().student)
    assert client.get(written(class_a)).status_code == 403
    client.logout()
    assert client.get(written(class_a))["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("students", [1, 6])
def test_the_written_answers_page_runs_a_fixed_number_of_queries(
    client, lesson, django_assert_num_queries, students
):
    _, _, task = lesson
    teacher = make_teacher()
    people = [make_user() for _ in range(students)]
    school_class = make_school_class(teachers=[teacher], students=people)
    for person in people:
        for step in task.steps.all():
            TaskAnswer.objects.create(
                step=step, student=person, text="An answer", updated_at=NOW, submitted_at=NOW
            )
    client.force_login(teacher)
    client.get(written(school_class))
    # session, user, the teacher's permissions, the class, the tasks, the steps, the
    # answers with their students, the class's members
    with django_assert_num_queries(8):
        assert client.get(written(school_class)).status_code == 200


def test_the_written_answers_page_picks_a_lesson_by_its_slug(client, classes, db):
    class_a, _, teacher, _ = classes
    build_lesson(slug="aftermath")
    client.force_login(teacher)
    html = client.get(written(class_a) + "?lesson=aftermath").content.decode()
    assert "Lesson aftermath" in html and "No one in" in html
    html = client.get(written(class_a) + "?lesson=%3Cscript%3E").content.decode()
    assert "Anna&#x27;s handed-in answer" in html  # an unknown lesson shows the first
