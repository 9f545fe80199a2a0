"""Every teacher page and action, tried by a student, another teacher and a visitor.

A visitor is sent to log in, a student is refused (403), and another teacher
gets a 404 for a class that is not theirs; none of them sees a byte of the
class's data, and no action changes anything.
"""

import pytest
from django.urls import reverse

from lessons.models import Assignment, Membership, Retake, SchoolClass
from quizzes.models import QuizOverride
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_question,
    make_quiz,
    make_school_class,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zinaida Secretova"


@pytest.fixture
def world():
    owner = make_teacher(username="owner")
    pupil = make_user(username="pupil", first_name=SECRET_NAME)
    school_class = make_school_class(name="Owner's class", teachers=[owner], students=[pupil])
    question = make_question()
    quiz = make_quiz(questions=[question])
    assignment = make_assignment(school_class=school_class, quiz=quiz, title="Secret assignment")
    attempt = make_finished_attempt(quiz=quiz, user=pupil, results=[(question, False)])
    return {"class": school_class, "assignment": assignment, "pupil": pupil, "attempt": attempt}


def _pages(world):
    c, a, s, t = world["class"].pk, world["assignment"].pk, world["pupil"].pk, world["attempt"].pk
    return [
        ("get", reverse("classes:teacher_class", args=[c])),
        ("get", reverse("classes:teacher_roster", args=[c])),
        ("get", reverse("classes:teacher_assign", args=[c])),
        ("get", reverse("classes:teacher_gradebook", args=[c])),
        ("get", reverse("classes:teacher_gradebook_csv", args=[c])),
        ("get", reverse("classes:teacher_student", args=[c, s])),
        ("get", reverse("classes:teacher_attempt", args=[c, t])),
        ("get", reverse("classes:teacher_item_analysis", args=[c, a])),
        ("get", reverse("classes:teacher_accommodation", args=[c, a, s])),
        ("post", reverse("classes:teacher_join_code", args=[c])),
        ("post", reverse("classes:teacher_join_toggle", args=[c])),
        ("post", reverse("classes:teacher_student_remove", args=[c, s])),
        ("post", reverse("classes:teacher_co_teacher", args=[c])),
        ("post", reverse("classes:teacher_roster", args=[c])),
        ("post", reverse("classes:teacher_assign", args=[c])),
        ("post", reverse("classes:teacher_accommodation", args=[c, a, s])),
        ("post", reverse("classes:teacher_retake", args=[c, a, s])),
    ]


POST_DATA = {
    "enabled": "0",
    "username": "intruder",
    "what": "module_quiz",
    "mode": "practice",
    "reveal_answers": "immediately",
    "extra_attempts": "5",
}


def _snapshot(world):
    school_class = SchoolClass.objects.get(pk=world["class"].pk)
    return (
        school_class.join_code,
        school_class.join_enabled,
        list(school_class.teachers.values_list("pk", flat=True)),
        Membership.objects.count(),
        Assignment.objects.count(),
        QuizOverride.objects.count(),
        Retake.objects.count(),
    )


def _try_everything(client, world):
    before = _snapshot(world)
    for method, url in _pages(world):
        response = getattr(client, method)(url, POST_DATA)
        yield method, url, response
    assert _snapshot(world) == before


def test_a_visitor_is_sent_to_log_in_everywhere(client, world):
    for _method, url, response in _try_everything(client, world):
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    response = client.get(reverse("classes:teacher_classes"))
    assert response.status_code == 302


def test_a_student_is_refused_everywhere_even_in_their_own_class(client, world):
    client.force_login(world["pupil"])
    for _method, url, response in _try_everything(client, world):
        assert response.status_code == 403, url
        assert b"Secret assignment" not in response.content
    assert client.get(reverse("classes:teacher_classes")).status_code == 403


def test_another_teacher_gets_not_found_everywhere(client, world):
    other = make_teacher(username="other")
    make_school_class(name="Other's class", teachers=[other])
    client.force_login(other)
    for _method, url, response in _try_everything(client, world):
        assert response.status_code == 404, url
        assert SECRET_NAME.encode() not in response.content
        assert b"Secret assignment" not in response.content
    listing = client.get(reverse("classes:teacher_classes"))
    assert b"Other&#x27;s class" in listing.content and b"Owner&#x27;s class" not in listing.content


def test_a_teacher_cannot_reach_a_student_or_attempt_outside_their_class(client, world):
    owner = world["class"].teachers.get()
    stranger = make_user(first_name="Stranger Danger")
    other_class = make_school_class(students=[stranger])
    other_quiz = make_quiz()
    make_assignment(school_class=other_class, quiz=other_quiz)
    stranger_attempt = make_finished_attempt(quiz=other_quiz, user=stranger, results=[])
    c, a = world["class"].pk, world["assignment"].pk
    client.force_login(owner)
    for url in (
        reverse("classes:teacher_student", args=[c, stranger.pk]),
        reverse("classes:teacher_attempt", args=[c, stranger_attempt.pk]),
        reverse("classes:teacher_accommodation", args=[c, a, stranger.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404 and b"Stranger Danger" not in response.content
    assert (
        client.post(reverse("classes:teacher_retake", args=[c, a, stranger.pk])).status_code == 404
    )
    assert (
        client.post(reverse("classes:teacher_student_remove", args=[c, stranger.pk])).status_code
        == 404
    )
    assert Membership.objects.filter(student=stranger).exists()


def test_the_classes_link_is_in_the_nav_for_teachers_only(client, world):
    client.force_login(world["pupil"])
    assert b'href="/teach/"' not in client.get(reverse("modules:lesson_list")).content
    client.force_login(world["class"].teachers.get())
    assert b'href="/teach/"' in client.get(reverse("modules:lesson_list")).content
