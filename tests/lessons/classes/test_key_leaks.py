"""Issue 15: a test's keys must not leak from practice, from a classmate's results, or past a
student's own due date; bad dates never break a page; leaving a class closes the attempt.

The first two are the hostile tester's scenarios, played over HTTP as a student would:
read "The answer" on each feedback card of the lesson's public quiz, then take the
class's test with those keys at hand.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons.models import Assignment
from quizzes.models import Attempt, Question, Quiz, QuizOverride
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

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

QUESTION_ID = re.compile(r'name="question" value="(\d+)"')
OPTION = re.compile(
    r'name="choice" value="([^"]+)"[^>]*>\s*<span class="option-text">([^<]*)</span>'
)
# A feedback card marks the right answer: "The answer" when the student was wrong, their
# own answer when they were right (templates/quizzes/_answers.html).
KEY_ON_CARD = re.compile(
    r'<div class="is-right"><dt>(?:Your answer|The answer)</dt><dd>([^<]*)</dd>'
)


def lesson(*, practice: int, test_only: int, slug: str = "leak"):
    """A lesson whose pool holds `practice` + `test_only` questions, one per sentence."""
    source = make_source(slug=f"src-{slug}")
    module = make_module(slug=slug, title=f"Lesson {slug}")
    total = practice + test_only
    passages = [
        make_passage(source=source, key=f"{slug}-{i}", text=f"Fact {slug} {i} was stated.")
        for i in range(total)
    ]
    make_section(
        module=module,
        body=" ".join(
            f'Claim {i}.[^src-{slug}: "fact {slug} {i} was stated"]' for i in range(total)
        ),
    )
    for i, passage in enumerate(passages):
        make_question(
            passage=passage,
            stem=f"Who stated fact {i}?",
            options=[
                {"id": "a", "text": f"Right {i}"},
                {"id": "b", "text": f"Wrong {i}"},
                {"id": "c", "text": f"Other {i}"},
                {"id": "d", "text": f"Else {i}"},
            ],
            answer=["a"],
            explanation_quote=sentence_in_share(passage.text, test_only=i >= practice),
            test_only=i >= practice,
        )
    return module


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def take(client: Client, quiz_pk: int, *, keys: dict[int, str] | None = None) -> tuple:
    """Start the quiz and answer every question: with the key in `keys` when there is one,
    else the first option shown. Returns (attempt, keys read off feedback, questions
    answered with a key)."""
    start = client.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz_pk}))
    assert start.status_code == 302, start
    attempt = Attempt.objects.get(pk=int(start["Location"].rstrip("/").split("/")[-1]))
    harvested, known = {}, 0
    for _ in range(attempt.question_count):
        page = client.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})).text
        question_id = int(QUESTION_ID.search(page)[1])
        options = OPTION.findall(page)
        choice = options[0][0]
        if keys and question_id in keys:
            known += 1
            choice = next(oid for oid, text in options if text == keys[question_id])
        card = client.post(
            reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
            {"question": question_id, "choice": choice},
            **HTMX,
        ).text
        if key := KEY_ON_CARD.search(card):
            harvested[question_id] = key[1]
    client.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))
    attempt.refresh_from_db()
    return attempt, harvested, known


def practise_the_public_quiz(client: Client, module) -> dict[int, str]:
    quiz_page = client.post(reverse("modules:lesson_quiz", kwargs={"slug": module.slug}))
    quiz_pk = int(quiz_page["Location"].rstrip("/").split("/")[-1])
    attempt, harvested, _ = take(client, quiz_pk)
    assert attempt.is_finished and len(harvested) == attempt.question_count == 10
    # The harvest works: each key read off a card is the question's answer.
    for question_id, text in harvested.items():
        assert Question.objects.get(pk=question_id).correct_texts() == [text]
    return harvested


@pytest.fixture
def teacher():
    return make_teacher(username="tamara")


def assign_test(teacher, school_class, module, **rules) -> Quiz:
    data = {
        "what": "lesson",
        "module": module.pk,
        "mode": "test",
        "reveal_answers": "never",
        "attempts_allowed": "1",
        **rules,
    }
    response = logged_in(teacher).post(
        reverse("classes:teacher_assign", args=[school_class.pk]), data
    )
    assert response.status_code == 302, response.content
    return Assignment.objects.get(school_class=school_class).quiz


@pytest.mark.parametrize("draw_from", ["unseen", "test_only"])
def test_keys_read_in_practice_help_on_no_question_of_the_test(teacher, draw_from):
    # The size of lesson 2 ("the leak"): 26 questions, about two in five test-only.
    module = lesson(practice=16, test_only=10)
    students = [make_user() for _ in range(3)]
    school_class = make_school_class(teachers=[teacher], students=students)
    test = assign_test(teacher, school_class, module, draw_from=draw_from)
    for student in students:  # three times out of three
        client = logged_in(student)
        keys = practise_the_public_quiz(client, module)
        attempt, _, known = take(client, test.pk, keys=keys)
        assert attempt.is_finished and attempt.question_count == 10
        # Not one question of the test had its key on a feedback card: whatever the
        # student scores, they scored by knowing or guessing, not by copying.
        assert known == 0
        assert not set(attempt.question_ids) & set(keys)


def test_the_public_quizs_keys_passed_to_a_friend_miss_a_test_only_test(teacher):
    module = lesson(practice=16, test_only=10)
    keen, friend = make_user(), make_user()
    school_class = make_school_class(teachers=[teacher], students=[keen, friend])
    test = assign_test(teacher, school_class, module, draw_from="test_only")
    keys = practise_the_public_quiz(logged_in(keen), module)
    # The friend never practised but holds the keen student's notes.
    attempt, _, known = take(logged_in(friend), test.pk, keys=keys)
    assert known == 0 and attempt.question_count == 10


def test_two_students_of_one_test_get_different_questions(teacher):
    module = lesson(practice=20, test_only=20)
    one, two = make_user(), make_user()
    school_class = make_school_class(teachers=[teacher], students=[one, two])
    test = assign_test(teacher, school_class, module)
    first, *_ = take(logged_in(one), test.pk)
    second, *_ = take(logged_in(two), test.pk)
    # Forty questions to draw from and the least asked first: no question in common.
    assert not set(first.question_ids) & set(second.question_ids)


def test_a_later_due_date_keeps_the_keys_hidden_until_then_and_the_second_attempt_gains_nothing(
    teacher,
):
    module = lesson(practice=15, test_only=15)
    late, classmate = make_user(), make_user()
    school_class = make_school_class(teachers=[teacher], students=[late, classmate])
    noon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    due = noon + datetime.timedelta(hours=2)
    with time_machine.travel(noon, tick=False):
        test = assign_test(
            teacher,
            school_class,
            module,
            reveal_answers="after_due",
            due_at=timezone.localtime(due).strftime("%Y-%m-%dT%H:%M"),
        )
        QuizOverride.objects.create(
            quiz=test, user=late, extra_attempts=1, due_at=due + datetime.timedelta(days=2)
        )
        first, *_ = take(logged_in(late), test.pk)
        other, *_ = take(logged_in(classmate), test.pk)
    keys_of = {q.pk: q.correct_texts()[0] for q in Question.objects.all()}
    with time_machine.travel(due + datetime.timedelta(hours=1), tick=False):
        # The class's due date has passed: the classmate sees every answer ...
        shown = logged_in(classmate).get(reverse("quizzes:attempt_review", kwargs={"pk": other.pk}))
        assert all(keys_of[pk] in shown.text for pk in other.question_ids)
        # ... the student with the later due date sees only their score, and when.
        client = logged_in(late)
        hidden = client.get(reverse("quizzes:attempt_review", kwargs={"pk": first.pk}))
        assert "shown after your due date" in hidden.text
        assert not any(keys_of[pk] in hidden.text for pk in first.question_ids)
        # So their extra attempt starts with no key in hand.
        second, *_ = take(client, test.pk)
        assert second.number == 2 and second.is_finished
    with time_machine.travel(due + datetime.timedelta(days=2, hours=1), tick=False):
        late_page = logged_in(late).get(reverse("quizzes:attempt_review", kwargs={"pk": first.pk}))
        assert all(keys_of[pk] in late_page.text for pk in first.question_ids)


# --- Dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "0001-01-01T00:00", "2100-01-01T09:00"])
def test_a_date_beyond_five_years_is_refused_with_a_message_in_the_assignment_form(teacher, when):
    module = lesson(practice=4, test_only=0)
    school_class = make_school_class(teachers=[teacher])
    response = logged_in(teacher).post(
        reverse("classes:teacher_assign", args=[school_class.pk]),
        {
            "what": "lesson",
            "module": module.pk,
            "mode": "test",
            "reveal_answers": "never",
            "due_at": when,
            "opens_at": when,
        },
    )
    assert response.status_code == 200
    assert response.text.count("Choose a date within five years of today") == 2
    assert not Assignment.objects.exists()


def test_a_date_beyond_five_years_is_refused_in_the_accommodation_form(teacher):
    module = lesson(practice=4, test_only=0)
    student = make_user()
    school_class = make_school_class(teachers=[teacher], students=[student])
    test = assign_test(teacher, school_class, module)
    assignment = Assignment.objects.get(quiz=test)
    url = reverse(
        "classes:teacher_accommodation", args=[school_class.pk, assignment.pk, student.pk]
    )
    response = logged_in(teacher).post(url, {"due_at": "9999-12-31T23:59", "extra_attempts": "1"})
    assert response.status_code == 200
    assert "Choose a date within five years of today" in response.text
    assert not QuizOverride.objects.exists()
    soon = (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert logged_in(teacher).post(url, {"due_at": soon}).status_code == 302
    assert QuizOverride.objects.get().user == student


def test_the_admin_refuses_a_quiz_date_beyond_five_years():
    from django.core.exceptions import ValidationError

    far = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)
    quiz = Quiz(title="Far", due_at=far)
    with pytest.raises(ValidationError, match="within five years"):
        quiz.full_clean()
    override = QuizOverride(quiz=Quiz.objects.create(title="Near"), user=make_user(), due_at=far)
    with pytest.raises(ValidationError, match="within five years"):
        override.full_clean()


def test_a_far_due_date_already_stored_opens_and_starts_for_its_student(teacher):
    module = lesson(practice=12, test_only=0)
    student = make_user()
    school_class = make_school_class(teachers=[teacher], students=[student])
    test = assign_test(teacher, school_class, module)
    Quiz.objects.filter(pk=test.pk).update(due_at=timezone.now() + datetime.timedelta(days=1))
    far = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)
    QuizOverride.objects.create(quiz=test, user=student, due_at=far)  # as saved before the rule
    client = logged_in(student)
    assert client.get(reverse("quizzes:quiz_detail", kwargs={"pk": test.pk})).status_code == 200
    attempt, *_ = take(client, test.pk)
    assert attempt.is_finished and attempt.question_count == 10


# --- Leaving the class --------------------------------------------------------------------


def test_removing_a_student_closes_their_open_attempt_and_refuses_further_answers(teacher):
    module = lesson(practice=12, test_only=0)
    student = make_user()
    school_class = make_school_class(teachers=[teacher], students=[student])
    test = assign_test(teacher, school_class, module)
    client = logged_in(student)
    start = client.post(reverse("quizzes:quiz_start", kwargs={"pk": test.pk}))
    attempt = Attempt.objects.get(user=student)
    question = Question.objects.get(pk=attempt.question_ids[0])
    client.post(
        reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
        {"question": question.pk, "choice": "a"},
    )
    logged_in(teacher).post(
        reverse("classes:teacher_student_remove", args=[school_class.pk, student.pk])
    )
    attempt.refresh_from_db()
    # Graded as it stood: the one answer given counts, nothing is lost.
    assert attempt.is_finished and attempt.closed_by_removal and not attempt.closed_by_deadline
    assert (attempt.score, attempt.max_score, attempt.answered_count) == (1, 10, 1)
    refused = client.post(
        reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
        {"question": attempt.question_ids[1], "choice": "a"},
        follow=True,
    )
    assert "You are no longer in the class this quiz was set for" in refused.text
    assert attempt.responses.count() == 1
    assert "You left the class this quiz was set for" in refused.text  # the results page
    assert start.status_code == 302
    # Starting again is refused: the quiz is the class's.
    assert client.post(reverse("quizzes:quiz_start", kwargs={"pk": test.pk})).status_code == 404


def test_an_answer_racing_the_removal_is_refused_with_the_same_message(teacher):
    from lessons.classes.assignments import remove_student
    from quizzes.taking import AttemptClosed, record_answer

    module = lesson(practice=12, test_only=0)
    student = make_user()
    school_class = make_school_class(teachers=[teacher], students=[student])
    test = assign_test(teacher, school_class, module)
    logged_in(student).post(reverse("quizzes:quiz_start", kwargs={"pk": test.pk}))
    loaded = Attempt.objects.select_related("quiz").get(user=student)  # before the removal
    remove_student(school_class=school_class, student_id=student.pk)
    question = Question.objects.get(pk=loaded.question_ids[0])
    with pytest.raises(AttemptClosed, match="no longer in the class"):
        record_answer(attempt=loaded, question=question, answer=["a"], now=timezone.now())


def test_a_membership_removed_in_the_admin_closes_the_attempt_too(teacher):
    module = lesson(practice=12, test_only=0)
    student, other = make_user(), make_user()
    school_class = make_school_class(teachers=[teacher], students=[student, other])
    test = assign_test(teacher, school_class, module)
    for user in (student, other):
        logged_in(user).post(reverse("quizzes:quiz_start", kwargs={"pk": test.pk}))
    public = Quiz.objects.create(title="Open to all")
    public.items.create(question=Question.objects.first(), position=1)
    logged_in(student).post(reverse("quizzes:quiz_start", kwargs={"pk": public.pk}))
    school_class.memberships.filter(student=student).delete()
    school_class.sync_audience()  # what the admin's class page does after saving
    closed = Attempt.objects.get(user=student, quiz=test)
    assert closed.is_finished and closed.closed_by_removal
    # The classmate's attempt and the student's attempt at a quiz open to all stay open.
    assert not Attempt.objects.get(user=other).is_finished
    assert not Attempt.objects.get(user=student, quiz=public).is_finished


def test_the_teacher_is_told_the_pool_its_split_and_who_will_get_fewer(teacher):
    module = lesson(practice=12, test_only=4)
    keen = make_user(first_name="Vera", last_name="Keen")
    school_class = make_school_class(teachers=[teacher], students=[keen, make_user()])
    practise_the_public_quiz(logged_in(keen), module)
    client = logged_in(teacher)
    data = {"what": "lesson", "module": module.pk, "mode": "test", "reveal_answers": "never"}
    page = client.post(reverse("classes:teacher_assign", args=[school_class.pk]), data, follow=True)
    assert "Each student gets 10 questions drawn from the whole pool" in page.text
    assert "16 questions (4 test-only, 12 for practice)" in page.text
    # Ten of the sixteen were in the public quiz Vera practised: six are left for her.
    assert "1 student has already seen the answers" in page.text and "Vera Keen (6)" in page.text
    other = make_school_class(teachers=[teacher])
    page = client.post(
        reverse("classes:teacher_assign", args=[other.pk]),
        {**data, "draw_from": "test_only"},
        follow=True,
    )
    assert "The pool runs short: it has only 4 questions" in page.text
    assignment = Assignment.objects.get(school_class=other)
    analysis = client.get(
        reverse("classes:teacher_item_analysis", args=[other.pk, assignment.pk])
    ).text
    assert "each student gets at most 4" in analysis
    # No one has answered yet: the page lists no question and says the whole pool is unasked.
    assert "4 more in the pool have not been answered yet" in analysis
