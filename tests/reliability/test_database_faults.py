"""A read-only or full database: a clear 503 page, the earlier answers intact, nothing half-written.

The faults are real, made in the test's own database connection (the one the test
client's requests use): SQLite's `PRAGMA query_only` (what a read-only file gives:
"attempt to write a readonly database"), SQLite's `PRAGMA max_page_count` with the
pages the answer needs already taken ("database or disk is full"), PostgreSQL's
`default_transaction_read_only`. A full disk on PostgreSQL is not simulated; its
SQLSTATE is checked on the error psycopg raises for it.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager

import psycopg.errors
import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from config.errors import BUSY, FULL, READ_ONLY, cannot_write, server_error
from quizzes import submission
from quizzes.models import Attempt, Question, Quiz, ReviewCard
from tests.factories import make_attempt, make_passage, make_question, make_quiz, make_user
from tests.reliability.server import engine

POSTGRES = engine() == "postgresql"
# PostgreSQL cannot make the test's open transaction read-only, so there each test
# runs without one (and the tables are emptied after it).
pytestmark = pytest.mark.django_db(transaction=POSTGRES)
HTMX = {"HTTP_HX_REQUEST": "true"}
MESSAGE = "Thaw cannot save right now"


@contextmanager
def read_only_database():
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET default_transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if POSTGRES:
                cursor.execute("SET default_transaction_read_only = off")
            else:
                cursor.execute("PRAGMA query_only = OFF")


@contextmanager
def full_sqlite_database(*, attempt: Attempt, fillers: list[Question]):
    """No room left where the attempt's next response goes.

    The file may not grow (max_page_count = its size), then stand-in responses to
    `fillers` (questions created after the attempt's answered ones and before its next)
    are written until one no longer fits: each sorts just where the real answer will,
    at the right edge of the response table and both its indexes, and is no larger.
    """
    with connection.cursor() as cursor:
        original = cursor.execute("PRAGMA max_page_count").fetchone()[0]
        cursor.execute("PRAGMA max_page_count = 1")  # SQLite keeps it at the current size
        filled = False
        for question in fillers:
            try:
                cursor.execute(
                    "INSERT INTO quizzes_response (attempt_id, question_id, question_version,"
                    " answer, is_correct, answered_at) VALUES (%s, %s, 1, '[]', 0, %s)",
                    [attempt.pk, question.pk, attempt.started_at.isoformat()],
                )
            except OperationalError as error:
                assert "full" in str(error)
                filled = True
                break
        assert filled, "more stand-in questions are needed to fill the database"
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {int(original)}")


@pytest.fixture
def student():
    return make_user(username="nadia")


@pytest.fixture
def pupil(student):
    # raise_request_exception=False: the client returns what a pupil would get.
    client = Client(raise_request_exception=False)
    client.force_login(student)
    return client


def answer(client, attempt, question, **headers):
    url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
    return client.post(url, {"question": question.pk, "choice": question.answer[0]}, **headers)


def assert_clear_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert MESSAGE in text and "Your earlier answers are safe" in text
    assert "try again in a minute" in text
    for leak in ("Traceback", "OperationalError", "readonly", "read-only transaction", "full"):
        assert leak not in text


def test_an_answer_on_a_read_only_database_gets_a_clear_503_and_nothing_is_written(
    pupil, student, caplog
):
    first, second = make_question(), make_question()
    attempt = make_attempt(quiz=make_quiz(questions=[first, second]), user=student)
    assert answer(pupil, attempt, first).status_code == 302  # an earlier answer, saved

    with read_only_database(), caplog.at_level(logging.WARNING, logger="thaw.database"):
        refused = answer(pupil, attempt, second)
        fragment = answer(pupil, attempt, second, **HTMX)
        finish = pupil.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))
        # Reading still works: the student sees the earlier answer counted.
        page = pupil.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk}))

    assert_clear_503(refused)
    assert_clear_503(finish)
    # htmx swaps only 2xx: the message comes with 200 and goes into the page's main area.
    assert fragment.status_code == 200
    assert fragment["HX-Retarget"] == "#main" and MESSAGE in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert page.status_code == 200 and "1 of 2 answered" in page.content.decode()
    attempt.refresh_from_db()
    assert list(attempt.responses.values_list("question_id", flat=True)) == [first.pk]
    assert attempt.answered_count == 1 and attempt.finished_at is None
    assert ReviewCard.objects.filter(user=student).count() == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "thaw.database"]
    assert len(logged) == 3 and all(READ_ONLY in line for line in logged)
    assert not any("nadia" in line or str(attempt.pk) in line for line in logged)

    # A minute later the database takes writes again, and so does the quiz.
    assert answer(pupil, attempt, second).status_code == 302
    attempt.refresh_from_db()
    assert attempt.answered_count == 2


@pytest.mark.skipif(POSTGRES, reason="a full disk is not simulated on PostgreSQL")
# Outside a test transaction: on a full disk SQLite may roll back the whole transaction
# (https://www.sqlite.org/lang_transaction.html), so the test's own would not survive.
@pytest.mark.django_db(transaction=True)
def test_an_answer_on_a_full_sqlite_database_gets_a_clear_503_and_nothing_is_written(
    pupil, student, caplog
):
    passage = make_passage()
    first = make_question(passage=passage)
    fillers = Question.objects.bulk_create(
        Question(
            type=Question.Type.CLOZE_NAME,
            stem="A stand-in question.",
            options=[],
            answer=[],
            fingerprint=f"filler-{n:058d}",
            passage=passage,
        )
        for n in range(1500)
    )
    second = make_question(passage=passage)
    quiz = make_quiz(questions=[first, second], mode=Quiz.Mode.TEST)
    attempt = make_attempt(quiz=quiz, user=student)
    assert answer(pupil, attempt, first).status_code == 302

    with (
        full_sqlite_database(attempt=attempt, fillers=fillers),
        caplog.at_level(logging.WARNING, logger="thaw.database"),
    ):
        refused = answer(pupil, attempt, second)

    assert_clear_503(refused)
    assert [r.getMessage() for r in caplog.records if r.name == "thaw.database"] == [
        "The database refused a write (full) in POST quizzes:attempt_answer; the 503 page was shown."
    ]
    attempt.refresh_from_db()
    assert not attempt.responses.filter(question=second).exists()
    assert attempt.answered_count == 1


def test_other_database_errors_still_get_the_normal_500_page(pupil, student, monkeypatch):
    question = make_question()
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=student)

    def broken(**kwargs):
        raise OperationalError("no such column: quizzes_response.answer")

    monkeypatch.setattr(submission, "record_answer", broken)  # where answering calls it
    response = answer(pupil, attempt, question)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def _wrapped(django_error: type[DatabaseError], driver_error: Exception) -> DatabaseError:
    """The error as Django raises it: its own class, `from` the driver's."""
    try:
        raise django_error(*driver_error.args) from driver_error
    except DatabaseError as error:
        return error


@pytest.mark.parametrize(
    ("driver_error", "django_error", "kind"),
    [
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            OperationalError,
            READ_ONLY,
        ),
        (sqlite3.OperationalError("database or disk is full"), OperationalError, FULL),
        (sqlite3.OperationalError("database is locked"), OperationalError, BUSY),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT"), DatabaseError, READ_ONLY),
        (psycopg.errors.DiskFull('could not extend file "base/1/2"'), OperationalError, FULL),
        (sqlite3.OperationalError("no such table: quizzes_response"), OperationalError, None),
        (sqlite3.IntegrityError("UNIQUE constraint failed"), IntegrityError, None),
        (psycopg.errors.UndefinedTable("relation does not exist"), DatabaseError, None),
    ],
)
def test_which_database_errors_mean_cannot_save_right_now(driver_error, django_error, kind):
    assert cannot_write(_wrapped(django_error, driver_error)) == kind


def test_a_refused_write_outside_any_view_still_gets_the_503_page(rf):
    """Saving the session after the view has run fails outside the middleware's reach:
    handler500 (config.errors.server_error) turns that into the same page."""
    request = rf.post("/accounts/login/")
    try:
        raise OperationalError("attempt to write a readonly database")
    except OperationalError:
        refused = server_error(request)
    try:
        raise ValueError("a bug")
    except ValueError:
        bug = server_error(request)
    assert refused.status_code == 503 and MESSAGE in refused.content.decode()
    assert bug.status_code == 500 and MESSAGE not in bug.content.decode()
