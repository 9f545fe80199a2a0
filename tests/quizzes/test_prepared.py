"""Prepared queries (quizzes/prepared.py) return exactly what their ORM queryset returns."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from quizzes import cards, taking
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.prepared import PreparedQuery
from quizzes.taking import record_answer
from tests.factories import make_attempt, make_question, make_quiz

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def loaded(obj) -> dict:
    """Every field value the instance holds (deferred ones left out, as the ORM leaves them)."""
    deferred = obj.get_deferred_fields()
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in deferred
    }


def assert_same(prepared, orm) -> None:
    assert type(prepared) is type(orm)
    assert prepared.get_deferred_fields() == orm.get_deferred_fields()
    assert loaded(prepared) == loaded(orm)
    assert prepared._state.db == orm._state.db and not prepared._state.adding


@pytest.fixture
def answered_attempt(django_user_model):
    student = django_user_model.objects.create_user("kim", password="pw-123456789")
    quiz = make_quiz(count=3, mode="practice", time_limit_minutes=20)
    attempt = make_attempt(quiz=quiz, user=student, now=NOON)
    question = Question.objects.get(pk=attempt.question_ids[1])
    record_answer(attempt=attempt, question=question, answer=["a"], now=NOON)
    return attempt


def test_the_users_attempt_with_its_quiz_is_the_orms(answered_attempt, django_assert_num_queries):
    user = answered_attempt.user
    orm = user.attempts.select_related("quiz").get(pk=answered_attempt.pk)
    with django_assert_num_queries(1):  # the attempt and its quiz, one statement
        prepared = taking.attempt_for(user=user, pk=answered_attempt.pk)
        quiz = prepared.quiz
        assert prepared.user is user  # set, as a query through user.attempts sets it
    assert_same(prepared, orm)
    assert_same(quiz, orm.quiz)
    # Datetimes and JSON come back converted, as the ORM converts them.
    assert isinstance(prepared.started_at, datetime.datetime) and prepared.deadline_at
    assert prepared.question_ids == orm.question_ids and isinstance(prepared.question_ids, list)


def test_another_students_attempt_is_not_found(answered_attempt):
    other = User.objects.create_user("lee", password="pw-123456789")
    assert taking.attempt_for(user=other, pk=answered_attempt.pk) is None
    assert taking.attempt_for(user=answered_attempt.user, pk=answered_attempt.pk + 999) is None


@pytest.mark.parametrize("evidence", [False, True])
def test_a_cards_question_is_the_orms(evidence, django_assert_num_queries):
    question = make_question(explanation="Because.", highlight_start=1, highlight_end=4)
    orm = Question.objects.only(*cards._CARD_FIELDS)
    if evidence:
        orm = orm.select_related("passage__source").only(*cards._CARD_FIELDS, *cards._EVIDENCE)
    orm = orm.get(pk=question.pk)
    with django_assert_num_queries(1):  # with the passage and the source it cites
        prepared = cards.card_question(question.pk, evidence=evidence)
        if evidence:
            assert prepared.passage.source.title == orm.passage.source.title
    assert_same(prepared, orm)
    if evidence:
        assert_same(prepared.passage, orm.passage)
        assert_same(prepared.passage.source, orm.passage.source)
    assert cards.card_question(question.pk + 999, evidence=evidence) is None


def test_answered_ids_are_the_orms(answered_attempt):
    orm = list(answered_attempt.responses.values_list("question_id", flat=True))
    assert cards._ANSWERED_IDS.all(attempt_id=answered_attempt.pk) == orm
    assert orm == [answered_attempt.question_ids[1]]


def test_each_call_runs_with_its_own_parameters(django_user_model):
    quiz = make_quiz(count=1)
    one, two = (django_user_model.objects.create_user(name) for name in ("ann", "bob"))
    first, second = make_attempt(quiz=quiz, user=one), make_attempt(quiz=quiz, user=two)
    assert taking.attempt_for(user=one, pk=first.pk).pk == first.pk
    assert taking.attempt_for(user=two, pk=second.pk).pk == second.pk
    assert taking.attempt_for(user=one, pk=second.pk) is None


@pytest.mark.parametrize(
    "build,error",
    [
        # The length of an IN list is part of the SQL: not preparable.
        (lambda pk: Question.objects.filter(pk__in=[pk, pk + 1]), "depends on"),
        (lambda pk: Question.objects.filter(pk__gt=pk).exclude(pk=pk + 5), "depends on"),
        # A parameter the query doesn't use.
        (lambda pk: Question.objects.all(), "exactly once"),
        (lambda pk: Question.objects.filter(pk=pk).values("pk"), "model rows"),
        (lambda pk: Question.objects.filter(pk=pk).prefetch_related("versions"), "prefetch"),
    ],
)
def test_a_query_it_cannot_prepare_is_refused(build, error):
    with pytest.raises(ValueError, match=error):
        PreparedQuery(build).all(pk=1)


@pytest.mark.parametrize("value", [None, True, "1"])
def test_a_parameter_that_would_change_the_sql_is_refused(value):
    query = PreparedQuery(lambda pk: Response.objects.filter(pk=pk))
    with pytest.raises(TypeError):
        query.all(pk=value)
    with pytest.raises(TypeError):
        query.all(id=1)


def test_the_sql_is_the_orms():
    prepared = PreparedQuery(lambda user_id, pk: Attempt.objects.filter(user_id=user_id, pk=pk))
    prepared.all(user_id=1, pk=2)
    (compiled,) = prepared._compiled.values()
    sql, params = Attempt.objects.filter(user_id=1, pk=2).query.sql_with_params()
    assert compiled.sql == sql
    assert [
        compiled.constants[i] if s is None else {"user_id": 1, "pk": 2}[s]
        for i, s in enumerate(compiled.slots)
    ] == list(params)


def test_the_review_card_of_one_answer_is_the_orms(answered_attempt, django_assert_num_queries):
    from quizzes import review
    from quizzes.models import ReviewCard

    user, question_id = answered_attempt.user, answered_attempt.question_ids[1]
    orm = ReviewCard.objects.get(user=user, question_id=question_id)  # scheduled by practice
    with django_assert_num_queries(1):
        (prepared,) = review._ONE_CARD.all(user_id=user.pk, question_id=question_id)
    assert_same(prepared, orm)
    assert isinstance(prepared.fsrs_card, dict) and prepared.due_at == orm.due_at
    assert review._ONE_CARD.all(user_id=user.pk, question_id=answered_attempt.question_ids[0]) == []


def test_starting_reads_are_the_orms(django_user_model):
    from quizzes.models import QuizOverride

    student = django_user_model.objects.create_user("mo", password="pw-123456789")
    quiz = make_quiz(count=4, time_limit_minutes=10, attempts_allowed=1)
    assert_same(taking.quiz_to_start(pk=quiz.pk, user=student), Quiz.objects.get(pk=quiz.pk))
    assert taking.quiz_to_start(pk=quiz.pk + 999, user=student) is None
    items = list(quiz.items.order_by("position").values_list("question_id", flat=True))
    assert taking._QUIZ_QUESTION_IDS.all(quiz_id=quiz.pk) == items
    assert quiz.rules_for(student).time_limit_minutes == 10  # no override yet
    QuizOverride.objects.create(quiz=quiz, user=student, extra_minutes=5, extra_attempts=2)
    rules = Quiz.objects.get(pk=quiz.pk).rules_for(student)
    assert (rules.time_limit_minutes, rules.attempts_allowed) == (15, 3)
    other = django_user_model.objects.create_user("jo", password="pw-123456789")
    assert quiz.rules_for(other).time_limit_minutes == 10  # another student's override


def test_an_id_too_large_for_the_database_matches_no_row(answered_attempt, client):
    # A URL's <int:pk> takes any number of digits: a 404, as through the ORM, never a 500.
    huge = 10**30
    assert taking.attempt_for(user=answered_attempt.user, pk=huge) is None
    assert taking.quiz_to_start(pk=-huge, user=answered_attempt.user) is None
    client.force_login(answered_attempt.user)
    assert client.post(reverse("quizzes:quiz_start", kwargs={"pk": huge})).status_code == 404
    for name in ("quizzes:attempt_question", "quizzes:attempt_answer", "quizzes:attempt_finish"):
        method = client.get if name == "quizzes:attempt_question" else client.post
        assert method(reverse(name, kwargs={"pk": huge})).status_code == 404
