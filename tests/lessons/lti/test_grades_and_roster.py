"""Deep linking, grades and rosters against the test platform."""

from __future__ import annotations

import datetime
import io

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lessons.lti.grades import send_due
from lessons.lti.models import CourseLink, LmsScore, Placement
from quizzes.models import Attempt
from tests.factories import make_passages, make_question, make_source
from tests.lessons.lti.conftest import form_of, launch
from tests.lessons.lti.platform import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    source = make_source(slug="secret-speech", title="The Secret Speech")
    for n, passage in enumerate(make_passages(source=source, count=3)):
        make_question(
            passage=passage,
            explanation_quote=passage.text,
            options=[
                {"id": "a", "text": f"Right {n}"},
                {"id": "b", "text": f"Wrong {n}"},
                {"id": "c", "text": f"Other {n}"},
            ],
        )
    return source


def place_quiz(client, platform, source) -> Placement:
    """A teacher's deep-linking launch, pick and answer, ending at the platform."""
    response = launch(client, platform, sub="t-1", message="deep-link")
    assert response["Location"] == reverse("lti:lti_pick")
    picker = client.get(reverse("lti:lti_pick"))
    assert picker.status_code == 200 and b"Source quiz: The Secret Speech" in picker.content
    answer = client.post(reverse("lti:lti_pick"), {"choice": f"source:{source.pk}", "mode": "test"})
    assert answer.status_code == 200, answer.content[:600]
    assert f"form-action 'self' {platform.url}" in answer["Content-Security-Policy"]
    action, fields = form_of(answer.content.decode(), "lti-return-form")
    assert action == f"{platform.url}/dl_return"
    back = requests.post(action, data=fields, timeout=5)  # what the page's script submits
    assert back.status_code == 200, platform.problems
    client.logout()
    return Placement.objects.select_related("assignment__quiz").get()


def test_deep_linking_places_the_picked_quiz_with_a_gradable_line_item(
    client, platform, registered, source
):
    placement = place_quiz(client, platform, source)
    assignment = placement.assignment
    assert assignment.school_class == CourseLink.objects.get().school_class
    assert assignment.quiz.mode == "test"
    [item] = platform.deep_link_items
    assert item["custom"] == {"thaw_assignment": str(assignment.pk)}
    assert item["url"] == platform.tool_launch_url
    [line] = platform.lineitems.values()
    assert line["resourceId"] == f"thaw-assignment-{assignment.pk}"
    assert line["scoreMaximum"] == 3 and line["label"] == assignment.title


def test_a_picker_post_without_a_choice_says_so_and_places_nothing(
    client, platform, registered, source
):
    launch(client, platform, sub="t-1", message="deep-link")
    response = client.post(reverse("lti:lti_pick"), {"mode": "test"})
    assert response.status_code == 400 and b"Choose what to add" in response.content
    assert not Placement.objects.exists()


def _take(client, quiz_id: int, *, finish_twice: bool = True) -> Attempt:
    start = client.post(reverse("quizzes:quiz_start", kwargs={"pk": quiz_id}))
    assert start.status_code == 302, start.content[:300]
    attempt = Attempt.objects.get(quiz_id=quiz_id)
    for question_id in attempt.question_ids:
        client.post(
            reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
            {"question": question_id, "choice": "a"},
        )
    for _ in range(2 if finish_twice else 1):
        client.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk}))
    attempt.refresh_from_db()
    assert attempt.is_finished
    return attempt


def test_a_launched_student_takes_the_quiz_and_the_lms_gets_exactly_one_score(
    client, platform, registered, source, django_capture_on_commit_callbacks
):
    placement = place_quiz(client, platform, source)
    opened = launch(client, platform, sub="s-1", message="resource:link-dl-1")
    assert opened["Location"] == reverse(
        "quizzes:quiz_detail", kwargs={"pk": placement.assignment.quiz_id}
    )
    placement.refresh_from_db()
    assert placement.lineitem_url == f"{platform.url}/lineitems/1"  # from the launch's AGS claim
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _take(client, placement.assignment.quiz_id)
    out = io.StringIO()
    call_command("lti_send_grades", stdout=out)
    assert out.getvalue().startswith("0 score(s) sent")  # nothing left to send
    [score] = platform.scores
    assert score["userId"] == "s-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (3, 3)
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"] == attempt.finished_at.isoformat()
    assert score["submission"] == {
        "startedAt": attempt.started_at.isoformat(),
        "submittedAt": attempt.finished_at.isoformat(),
    }
    assert LmsScore.objects.get().status == LmsScore.Status.SENT
    assert not platform.problems


def test_a_score_waits_while_the_lms_is_down_and_is_sent_once_when_it_is_back(
    client, platform, registered, source, django_capture_on_commit_callbacks
):
    placement = place_quiz(client, platform, source)
    launch(client, platform, sub="s-1", message="resource:link-dl-1")
    platform.down = True
    with django_capture_on_commit_callbacks(execute=True):
        _take(client, placement.assignment.quiz_id, finish_twice=False)
    row = LmsScore.objects.get()
    assert row.status == LmsScore.Status.PENDING and row.tries == 1
    assert "503" in row.last_error
    # The teacher sees it waiting on the gradebook.
    client.logout()
    launch(client, platform, sub="t-1")
    school_class = placement.assignment.school_class
    book = client.get(reverse("classes:teacher_gradebook", kwargs={"pk": school_class.pk}))
    assert b"1 waiting to be sent" in book.content
    now = timezone.now()
    assert send_due(now=now).sent == 0  # its backoff has not passed
    platform.down = False
    report = send_due(now=now + datetime.timedelta(minutes=2))
    assert report.sent == 1 and len(platform.scores) == 1
    assert send_due(now=now + datetime.timedelta(hours=1)).sent == 0
    assert len(platform.scores) == 1
    book = client.get(reverse("classes:teacher_gradebook", kwargs={"pk": school_class.pk}))
    assert b"1 sent" in book.content


def test_a_score_claimed_by_one_sender_is_left_alone_by_another(
    client, platform, registered, source, django_capture_on_commit_callbacks
):
    placement = place_quiz(client, platform, source)
    launch(client, platform, sub="s-1", message="resource:link-dl-1")
    platform.down = True
    with django_capture_on_commit_callbacks(execute=True):
        _take(client, placement.assignment.quiz_id, finish_twice=False)
    platform.down = False
    later = timezone.now() + datetime.timedelta(minutes=5)
    LmsScore.objects.update(claimed_until=later + datetime.timedelta(minutes=1))
    assert send_due(now=later).sent == 0 and not platform.scores


def test_a_student_who_joined_with_the_code_keeps_their_grade_in_thaw_only(
    client, platform, registered, source, django_capture_on_commit_callbacks
):
    placement = place_quiz(client, platform, source)
    school_class = placement.assignment.school_class
    joiner = User.objects.create_user("joiner", password="a-long-password-1956")
    school_class.add_student(joiner)
    client.force_login(joiner)
    with django_capture_on_commit_callbacks(execute=True):
        _take(client, placement.assignment.quiz_id)
    assert not LmsScore.objects.exists() and not platform.scores


def test_roster_changes_on_the_platform_reach_the_class(client, platform, registered, source):
    launch(client, platform, sub="s-1")
    school_class = CourseLink.objects.get().school_class
    boris = User.objects.get(first_name="Boris Second")
    joiner = User.objects.create_user("joiner", password="a-long-password-1956")
    school_class.add_student(joiner)  # joined with the code: the LMS does not list them
    # Boris has a test open when he leaves the course.
    from lessons.classes.assignments import create_assignment
    from quizzes.taking import start_attempt

    assignment = create_assignment(
        school_class=school_class,
        teacher=school_class.teachers.get(),
        what="source_quiz",
        source=source,
        rules={"mode": "test"},
    )
    open_attempt = start_attempt(quiz=assignment.quiz, user=boris, now=timezone.now())
    platform.member("s-2").status = "Inactive"
    platform.members.append(Member("s-4", "Galina Fourth"))
    out = io.StringIO()
    call_command("lti_sync_rosters", stdout=out)
    assert "1 added, 1 removed" in out.getvalue()
    names = set(school_class.students.values_list("first_name", flat=True))
    assert names == {"Galina Fourth", "Sasha Student", "Vera Third", ""}  # "": the joiner
    assert school_class.memberships.filter(student=joiner).exists()
    assert not school_class.audience.members.filter(pk=boris.pk).exists()
    open_attempt.refresh_from_db()
    assert open_attempt.is_finished and open_attempt.closed_by_removal
    assert platform.nrps_requests >= 4  # two pages per synchronisation (page size 2)


def test_a_roster_the_lms_refuses_changes_nothing_and_tells_the_teacher(
    client, platform, registered
):
    launch(client, platform, sub="s-1")
    link = CourseLink.objects.get()
    before = set(link.school_class.students.values_list("pk", flat=True))
    platform.down = True
    platform.members.append(Member("s-4", "Galina Fourth"))
    with pytest.raises(Exception, match="could not be synchronised"):
        call_command("lti_sync_rosters", stdout=io.StringIO())
    link.refresh_from_db()
    assert "503" in link.roster_problem
    assert set(link.school_class.students.values_list("pk", flat=True)) == before
