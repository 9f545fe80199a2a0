"""The quiz pages: page and fragment, permissions, bad input, reveal policies, query counts."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.taking import finish_attempt, record_answer
from tests.factories import make_attempt, make_passage, make_question, make_quiz, make_source

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


@pytest.fixture
def pupil(client, student):
    client.force_login(student)
    return client


def question_url(attempt, q=None):
    url = reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    return f"{url}?q={q}" if q else url


def answer_url(attempt):
    return reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})


def post_answer(client, attempt, n=0, *, headers=None, follow=False, **data):
    data.setdefault("question", attempt.question_ids[n])
    return client.post(answer_url(attempt), data, follow=follow, **(headers or {}))


# --- Pages and fragments -------------------------------------------------------------


def test_quiz_detail_page_and_fragment(pupil):
    quiz = make_quiz(count=3, title="The 1956 speech")
    page = pupil.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk}))
    assert "<html" in page.text and "The 1956 speech" in page.text
    assert "Start the quiz" in page.text
    fragment = pupil.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk}), **HTMX)
    assert fragment.text.lstrip().startswith('<section id="quiz-panel"')
    assert "<html" not in fragment.text


def test_a_visitor_sees_the_quiz_with_a_log_in_call_to_action(client):
    quiz = make_quiz(count=2)
    response = client.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk}))
    assert response.status_code == 200
    assert "Log in to take this quiz" in response.text


@pytest.mark.parametrize(
    "name,method",
    [
        ("quizzes:quiz_start", "post"),
        ("quizzes:attempt_question", "get"),
        ("quizzes:attempt_answer", "post"),
        ("quizzes:attempt_finish", "post"),
        ("quizzes:attempt_review", "get"),
    ],
)
def test_a_visitor_must_log_in_to_take_a_quiz(client, name, method):
    response = getattr(client, method)(reverse(name, kwargs={"pk": 1}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_review_pages_need_a_login_too(client):
    assert client.get(reverse("quizzes:review_detail")).status_code == 302
    assert client.post(reverse("quizzes:review_start")).status_code == 302
    assert client.get(reverse("quizzes:source_quiz", kwargs={"slug": "x"})).status_code == 302


@pytest.mark.parametrize(
    "name,method",
    [
        ("quizzes:attempt_question", "get"),
        ("quizzes:attempt_answer", "post"),
        ("quizzes:attempt_finish", "post"),
        ("quizzes:attempt_review", "get"),
    ],
)
def test_another_students_attempt_is_a_404(pupil, django_user_model, name, method):
    other = django_user_model.objects.create_user("other", password="pw-123456789")
    attempt = make_attempt(quiz=make_quiz(count=1), user=other)
    response = getattr(pupil, method)(reverse(name, kwargs={"pk": attempt.pk}))
    assert response.status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None


def test_another_students_review_quiz_is_a_404(pupil, django_user_model):
    other = django_user_model.objects.create_user("other", password="pw-123456789")
    quiz = make_quiz(count=1, kind=Quiz.Kind.REVIEW, owner=other)
    assert pupil.get(reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk})).status_code == 404
    assert pupil.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz.pk})).status_code == 404


def test_wrong_methods_are_refused(pupil):
    attempt = make_attempt(quiz=make_quiz(count=1), user=pupil_user(pupil))
    assert pupil.get(answer_url(attempt)).status_code == 405
    assert (
        pupil.get(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk})).status_code == 405
    )
    assert pupil.post(question_url(attempt)).status_code == 405


def pupil_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_start_redirects_to_the_question_page_or_tells_htmx_to_go_there(pupil):
    quiz = make_quiz(count=2)
    response = pupil.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz.pk}))
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response["Location"] == question_url(attempt)
    response = pupil.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz.pk}), **HTMX)
    assert response["HX-Redirect"] == question_url(attempt)
    assert Attempt.objects.count() == 1  # resumed, not a second attempt


def test_start_explains_why_a_quiz_cannot_start(pupil):
    quiz = make_quiz(count=1, due_at=timezone.now() - datetime.timedelta(days=1))
    response = pupil.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz.pk}), follow=True)
    assert "This quiz closed on" in response.text
    assert not Attempt.objects.exists()


def test_question_page_and_fragment(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=3), user=student)
    page = pupil.get(question_url(attempt))
    assert "<html" in page.text and "Question 1" in page.text and "of 3" in page.text
    assert '<progress value="0" max="3"' in page.text
    fragment = pupil.get(question_url(attempt), **HTMX)
    assert fragment.text.lstrip().startswith('<article id="question-card"')
    assert "<html" not in fragment.text
    assert "autofocus" in fragment.text  # focus moves to the new question


def test_practice_answer_htmx_returns_feedback_and_plain_post_redirects_to_it(pupil, student):
    passage = make_passage()
    question = make_question(
        passage=passage,
        explanation="Yezhov ran the NKVD in 1937.",
        explanation_quote="In 1937 Yezhov was in charge.",
        highlight_start=8,
        highlight_end=14,
    )
    attempt = make_attempt(quiz=make_quiz(questions=[question, make_question()]), user=student)
    fragment = post_answer(pupil, attempt, choice="b", headers=HTMX)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<article id="question-card"')
    assert "Not quite" in fragment.text
    assert "Yezhov ran the NKVD in 1937." in fragment.text
    assert "In 1937 <mark>Yezhov</mark> was in charge." in fragment.text
    assert passage.get_absolute_url() in fragment.text
    assert 'role="status"' in fragment.text and "autofocus" in fragment.text
    assert "Next question" in fragment.text

    plain = post_answer(pupil, attempt, n=1, choice="a")
    assert plain.status_code == 302 and plain["Location"] == question_url(attempt, 2)
    assert "Correct" in pupil.get(plain["Location"]).text


def test_the_quote_is_escaped_around_the_mark(pupil, student):
    question = make_question(
        explanation_quote="<b>bold</b> & Yezhov", highlight_start=14, highlight_end=20
    )
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=student)
    text = post_answer(pupil, attempt, choice="a", headers=HTMX).text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; <mark>Yezhov</mark>" in text


def test_test_mode_answer_goes_on_to_the_next_question_without_feedback(pupil, student):
    quiz = make_quiz(count=2, mode=Quiz.Mode.TEST)
    attempt = make_attempt(quiz=quiz, user=student)
    fragment = post_answer(pupil, attempt, choice="b", headers=HTMX)
    assert "Question 2" in fragment.text
    assert "saved" in fragment.text
    assert "Not quite" not in fragment.text and "Correct" not in fragment.text
    plain = post_answer(pupil, attempt, n=1, choice="a")
    assert plain["Location"] == question_url(attempt)
    assert "All 2 questions answered" in pupil.get(plain["Location"]).text


def test_resume_in_a_new_session_continues_at_the_first_unanswered(student):
    attempt = make_attempt(quiz=make_quiz(count=3), user=student)
    first = Client()
    first.force_login(student)
    post_answer(first, attempt, choice="a")
    post_answer(first, attempt, n=1, choice="a")
    # The tab was closed; a new pupil session for the same student:
    second = Client()
    second.force_login(student)
    response = second.get(question_url(attempt))
    assert "Question 3" in response.text
    assert f'name="question" value="{attempt.question_ids[2]}"' in response.text
    detail = second.get(reverse("quizzes:quiz_detail", kwargs={"pk": attempt.quiz_id}))
    assert "Resume attempt 1" in detail.text and "2 of 3 answered" in detail.text


def test_double_submission_of_the_same_answer_shows_the_same_feedback(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    first = post_answer(pupil, attempt, choice="a", headers=HTMX)
    second = post_answer(pupil, attempt, choice="a", headers=HTMX)
    assert "Correct" in first.text and "Correct" in second.text
    assert "first answer stands" not in second.text
    assert Response.objects.count() == 1


def test_a_different_second_answer_is_refused_politely(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    post_answer(pupil, attempt, choice="b", headers=HTMX)
    second = post_answer(pupil, attempt, choice="a", headers=HTMX)
    assert "your first answer stands" in second.text
    assert "Not quite" in second.text  # the feedback for the answer that counts
    plain = post_answer(pupil, attempt, choice="a", follow=True)
    assert "your first answer stands" in plain.text
    assert Response.objects.get().answer == ["b"]


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Choose an answer before you submit."),
        ({"choice": "zz"}, "not one of this question"),
        ({"choice": ["a", "b"]}, "Choose only one answer."),
        ({"question": "garbage", "choice": "a"}, "not part of this quiz"),
        ({"question": "999999", "choice": "a"}, "not part of this quiz"),
    ],
)
def test_bad_post_data_gives_a_readable_message_on_the_same_question(pupil, student, data, message):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    for headers, status in ((HTMX, 200), ({}, 400)):
        response = post_answer(pupil, attempt, headers=headers, **data)
        assert response.status_code == status
        assert message in response.text
        assert 'role="alert"' in response.text
        assert f'name="question" value="{attempt.question_ids[0]}"' in response.text
    assert not Response.objects.exists()


def chronology_question():
    return make_question(
        type=Question.Type.CHRONOLOGY,
        stem="Put these events in chronological order, from the earliest to the latest.",
        options=[
            {"id": "a", "text": "Secret Speech"},
            {"id": "b", "text": "Death of Stalin"},
            {"id": "c", "text": "Kirov murdered"},
        ],
        answer=["c", "b", "a"],
    )


def test_ordering_moves_work_without_javascript_and_then_grade(pupil, student):
    attempt = make_attempt(quiz=make_quiz(questions=[chronology_question()]), user=student)
    page = pupil.get(question_url(attempt))
    assert page.text.count('name="move"') == 6
    assert 'value="up:a"' in page.text and "disabled" in page.text
    moved = post_answer(pupil, attempt, order=["a", "b", "c"], move="down:a")
    assert moved.status_code == 200 and "<html" in moved.text
    text = moved.text
    assert text.index('name="order" value="b"') < text.index('name="order" value="a"')
    assert "“Secret Speech” is now number 2 of 3." in text
    assert not Response.objects.exists()
    right = post_answer(pupil, attempt, order=["c", "b", "a"], headers=HTMX)
    assert "Correct" in right.text
    assert Response.objects.get().is_correct


def test_ordering_move_by_htmx_returns_the_card_with_focus_on_the_moved_button(pupil, student):
    attempt = make_attempt(quiz=make_quiz(questions=[chronology_question()]), user=student)
    fragment = post_answer(pupil, attempt, order=["a", "b", "c"], move="up:b", headers=HTMX)
    assert fragment.text.lstrip().startswith('<article id="question-card"')
    assert 'aria-label="Move up: Death of Stalin" disabled>' in fragment.text
    assert fragment.text.index('name="order" value="b"') < fragment.text.index(
        'name="order" value="a"'
    )
    # b reached the top: its up button is disabled, so focus stays on its down button.
    assert (
        'value="down:b" class="move-button" aria-label="Move down: Death of Stalin" autofocus'
        in fragment.text
    )


def test_a_malformed_order_is_refused_with_a_message(pupil, student):
    attempt = make_attempt(quiz=make_quiz(questions=[chronology_question()]), user=student)
    response = post_answer(pupil, attempt, order=["a", "a", "b"], headers=HTMX)
    assert "in order" in response.text
    assert not Response.objects.exists()


def test_finish_redirects_to_results_and_htmx_is_told_to_go_there(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=2), user=student)
    url = reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk})
    review_url = reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    assert pupil.post(url)["Location"] == review_url
    assert pupil.post(url, **HTMX)["HX-Redirect"] == review_url  # idempotent
    assert Attempt.objects.get().is_finished


def test_question_page_of_a_finished_attempt_goes_to_the_results(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=1), user=student)
    finish_attempt(attempt=attempt, now=timezone.now())
    assert pupil.get(question_url(attempt))["Location"].endswith("/review/")
    response = post_answer(pupil, attempt, choice="a", follow=True)
    assert "already finished" in response.text


def test_results_of_an_unfinished_attempt_are_not_shown(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=1, mode=Quiz.Mode.TEST), user=student)
    response = pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))
    assert response.status_code == 302 and response["Location"] == question_url(attempt)


# --- Deadline -------------------------------------------------------------------------


def test_an_answer_after_the_deadline_is_refused_with_a_clear_message(pupil, student, settings):
    settings.QUIZ_GRACE_SECONDS = 30
    quiz = make_quiz(count=2, time_limit_minutes=5)
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
        post_answer(pupil, attempt, choice="a")
    with time_machine.travel(NOON + datetime.timedelta(minutes=5, seconds=31), tick=False):
        fragment = post_answer(pupil, attempt, n=1, choice="a", headers=HTMX)
    assert "Time is up" in fragment.text and "See your results" in fragment.text
    attempt.refresh_from_db()
    assert attempt.closed_by_deadline and attempt.score == 1
    assert Response.objects.count() == 1


def test_opening_an_overdue_attempt_submits_it(pupil, student):
    quiz = make_quiz(count=2, time_limit_minutes=5)
    attempt = make_attempt(
        quiz=quiz, user=student, now=timezone.now() - datetime.timedelta(hours=1)
    )
    response = pupil.get(question_url(attempt), follow=True)
    assert "Time is up" in response.text and "Time ran out" in response.text


# --- Results and reveal policies ----------------------------------------------------------


def finished_test(student, **quiz_kwargs):
    right = make_question(explanation="The right one, explained.")
    wrong = make_question(explanation="The wrong one, explained.")
    quiz = make_quiz(questions=[right, wrong], mode=Quiz.Mode.TEST, **quiz_kwargs)
    attempt = make_attempt(quiz=quiz, user=student)
    record_answer(attempt=attempt, question=right, answer=["a"], now=timezone.now())
    record_answer(attempt=attempt, question=wrong, answer=["b"], now=timezone.now())
    finish_attempt(attempt=attempt, now=timezone.now())
    return attempt


def test_test_mode_review_shows_every_answer_and_explanation(pupil, student):
    attempt = finished_test(student)
    page = pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))
    assert "You scored 1 out of 2" in page.text
    assert "The right one, explained." in page.text and "The wrong one, explained." in page.text
    assert "Your answer" in page.text and "The answer" in page.text
    fragment = pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}), **HTMX)
    assert fragment.text.lstrip().startswith('<section id="attempt-results"')


def test_reveal_never_shows_the_score_and_which_were_right_only(pupil, student):
    attempt = finished_test(student, reveal_answers=Quiz.Reveal.NEVER)
    text = pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})).text
    assert "You scored 1 out of 2" in text
    assert "Right" in text and "Wrong" in text
    assert "explained." not in text and "The answer" not in text and "<mark>" not in text


def test_reveal_after_due_shows_only_the_score_until_the_due_date(pupil, student):
    due = timezone.now() + datetime.timedelta(minutes=5)
    attempt = finished_test(student, reveal_answers=Quiz.Reveal.AFTER_DUE, due_at=due)
    url = reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    before = pupil.get(url).text
    assert "You scored 1 out of 2" in before
    assert "explained." not in before and "Wrong" not in before
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        after = pupil.get(url).text
    assert "The wrong one, explained." in after


# --- Review and source quiz ----------------------------------------------------------------


def test_review_start_builds_and_starts_the_review_quiz(pupil, student):
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=make_quiz(count=1), user=student)
        post_answer(pupil, attempt, choice="b")
    with time_machine.travel(NOON + datetime.timedelta(days=1, minutes=1), tick=False):
        assert "1</span>" in pupil.get(reverse("quizzes:review_detail")).text
        response = pupil.post(reverse("quizzes:review_start"))
        review_attempt = Attempt.objects.get(quiz__kind=Quiz.Kind.REVIEW)
        assert response["Location"] == question_url(review_attempt)
        assert review_attempt.question_ids == attempt.question_ids


def test_review_start_with_nothing_due_says_so(pupil):
    response = pupil.post(reverse("quizzes:review_start"), follow=True)
    assert "Nothing is due for review" in response.text


def test_source_quiz_builds_the_quiz_and_redirects_to_it(pupil):
    source = make_source(slug="speech-congressional-record")
    make_question(passage=make_passage(source=source))
    response = pupil.get(reverse("quizzes:source_quiz", kwargs={"slug": source.slug}))
    quiz = Quiz.objects.get(key="source:speech-congressional-record")
    assert response["Location"] == reverse("quizzes:quiz_detail", kwargs={"pk": quiz.pk})
    assert pupil.get(reverse("quizzes:source_quiz", kwargs={"slug": "nope"})).status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def attempt_with_history(student, *, size, earlier):
    quiz = make_quiz(count=size)
    for number in range(1, earlier + 1):
        Attempt.objects.create(
            quiz=quiz,
            user=student,
            number=number,
            mode=quiz.mode,
            question_ids=[],
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
    attempt = make_attempt(quiz=quiz, user=student)
    record_answer(
        attempt=attempt,
        question=Question.objects.get(pk=attempt.question_ids[0]),
        answer=["a"],
        now=timezone.now(),
    )
    return attempt


@pytest.mark.parametrize("size,earlier", [(5, 1), (50, 1), (5, 30), (50, 30)])
def test_question_page_and_answer_run_a_fixed_number_of_queries(
    pupil, student, django_assert_num_queries, size, earlier
):
    attempt = attempt_with_history(student, size=size, earlier=earlier)
    # The session comes from the cache (config/settings.py), so no query reads it.
    with django_assert_num_queries(4):  # user, attempt and quiz, answered ids, the question
        pupil.get(question_url(attempt))
    with django_assert_num_queries(4):  # the same for the card alone
        pupil.get(question_url(attempt), **HTMX)
    # User, attempt and quiz, question with its passage; then one transaction (its begin
    # and end count: savepoints here) writing the response and the attempt's counter,
    # and reading and upserting the review card; then the feedback's editorial notes
    # (quizzes.editorial: none here, so their citations are not read).
    with django_assert_num_queries(10):  # 3 reads, begin, 4 writes and reads, end, notes
        post_answer(pupil, attempt, n=1, choice="a", headers=HTMX)
    # The same answer again: the constraint refuses the insert (rolled back to a
    # savepoint), and the response already stored is read for the feedback.
    with django_assert_num_queries(8):  # the same answer again: the constraint refuses it
        post_answer(pupil, attempt, n=1, choice="a")


@pytest.mark.parametrize("size", [5, 50])
def test_results_page_runs_a_fixed_number_of_queries(
    pupil, student, django_assert_num_queries, size
):
    attempt = attempt_with_history(student, size=size, earlier=1)
    finish_attempt(attempt=attempt, now=timezone.now())
    # user, attempt, responses, questions, reviews due; and for the editorial notes the
    # questions' other cited passages and the notes on them (none here).
    with django_assert_num_queries(7):
        pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))


@pytest.mark.parametrize("earlier", [1, 30])
def test_quiz_page_runs_a_fixed_number_of_queries(
    pupil, student, django_assert_num_queries, earlier
):
    attempt = attempt_with_history(student, size=5, earlier=earlier)
    with django_assert_num_queries(4):  # user, quiz, the user's attempts, any override
        pupil.get(reverse("quizzes:quiz_detail", kwargs={"pk": attempt.quiz_id}))


def test_finishing_after_the_deadline_within_the_grace_says_time_ran_out(pupil, student):
    # What quiz.js does when the countdown reaches zero: the results say so.
    quiz = make_quiz(count=2, time_limit_minutes=5, mode=Quiz.Mode.TEST)
    with time_machine.travel(NOON, tick=False):
        attempt = make_attempt(quiz=quiz, user=student)
        post_answer(pupil, attempt, choice="a")
    with time_machine.travel(NOON + datetime.timedelta(minutes=5, seconds=1), tick=False):
        pupil.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))
        response = pupil.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))
    attempt.refresh_from_db()
    assert attempt.closed_by_deadline and attempt.answered_count == 1
    assert "Time ran out" in response.text and "the 1 answer you had given" in response.text


def test_finishing_before_the_deadline_is_a_plain_finish(pupil, student):
    attempt = make_attempt(quiz=make_quiz(count=2, time_limit_minutes=5), user=student)
    pupil.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))
    attempt.refresh_from_db()
    assert attempt.is_finished and not attempt.closed_by_deadline


@pytest.mark.parametrize("earlier", [1, 30])
def test_start_and_finish_run_a_fixed_number_of_queries(
    pupil, student, django_assert_num_queries, earlier
):
    attempt = attempt_with_history(student, size=5, earlier=earlier)
    finish_attempt(attempt=attempt, now=timezone.now())
    start = reverse("quizzes:quiz_start", kwargs={"pk": attempt.quiz_id})
    # User, quiz (no audience: no membership lookup), one aggregate over the user's attempts
    # (is one open? how many finished?), any override, the question ids; then the
    # INSERT in its transaction (a savepoint here, so its begin and end count).
    with django_assert_num_queries(8):  # 5 reads, then begin, the INSERT, end
        response = pupil.post(start, **HTMX)
    new = Attempt.objects.get(quiz=attempt.quiz, user=student, finished_at__isnull=True)
    assert response["HX-Redirect"] == question_url(new)
    assert new.number == earlier + 2
    # Starting again resumes it: the aggregate finds it open and it is read.
    with django_assert_num_queries(4):  # user, quiz, the aggregate, the open attempt
        assert pupil.post(start, **HTMX)["HX-Redirect"] == question_url(new)
    # User, attempt and quiz; then the closing UPDATE, the responses counted, the score
    # written, in one transaction. Nothing is read back: finish knows what it wrote.
    with django_assert_num_queries(7):  # 2 reads, then begin, 3 writes and reads, end
        pupil.post(reverse("quizzes:attempt_finish", kwargs={"pk": new.pk}), **HTMX)
    new.refresh_from_db()
    assert new.is_finished and new.max_score == 5 and new.score == 0


def test_a_due_date_reads_the_students_override_once_per_request(
    pupil, student, django_assert_num_queries
):
    quiz = make_quiz(count=3, due_at=timezone.now() + datetime.timedelta(days=1))
    attempt = make_attempt(quiz=quiz, user=student)
    # The clock is checked by the view and the page shows the deadline: one read of
    # the override serves both (it was one each).
    with django_assert_num_queries(5):  # user, attempt and quiz, override, answered, question
        page = pupil.get(question_url(attempt))
    assert "Time ends" in page.text


def test_is_available_to_agrees_with_available_to(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from quizzes.models import Audience

    member, outsider, teacher = (
        django_user_model.objects.create_user(username=name) for name in ("ana", "ben", "tia")
    )
    audience = Audience.objects.create(name="Class 9B")
    audience.members.add(member)
    quizzes = [
        make_quiz(count=1),  # public
        make_quiz(count=1, kind=Quiz.Kind.MODULE),
        make_quiz(count=1, kind=Quiz.Kind.REVIEW, owner=member),  # personal
        make_quiz(count=1, kind=Quiz.Kind.RETAKE, owner=outsider),
        make_quiz(count=1, kind=Quiz.Kind.REVIEW),  # personal, no owner: no one
        make_quiz(count=1, audience=audience),  # an assignment
        make_quiz(count=1, audience=audience, owner=teacher),
        make_quiz(count=1, kind=Quiz.Kind.RETAKE, audience=audience, owner=outsider),
    ]
    seen = 0
    for user in (AnonymousUser(), member, outsider, teacher):
        listed = set(Quiz.objects.available_to(user).values_list("pk", flat=True))
        for quiz in quizzes:
            assert quiz.is_available_to(user) == (quiz.pk in listed), (user, quiz.kind)
        seen += len(listed)
    # Anonymous: the public two; the member: those, their review, the class's two; the
    # outsider: the public two and their two retakes; the teacher: the public two and theirs.
    assert seen == 2 + 5 + 4 + 3


def test_starting_a_quiz_of_another_class_is_a_404(pupil):
    from quizzes.models import Audience

    quiz = make_quiz(count=1, audience=Audience.objects.create(name="Another class"))
    assert pupil.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz.pk})).status_code == 404
    assert not Attempt.objects.filter(quiz=quiz).exists()
