"""Students report problems with questions they were shown; curators resolve them."""

import pytest
from django.urls import reverse

from corpus.models import AuditEntry
from lessons.accounts.roles import CURATORS, ensure_role_groups
from quizzes.models import ProblemReport
from tests.factories import make_attempt, make_question, make_quiz, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown():
    """A student with an attempt on a quiz asking `question`."""
    question = make_question(stem="Who was arrested on 29 April 1938?")
    student = make_user()
    attempt = make_attempt(quiz=make_quiz(questions=[question]), user=student)
    return student, question, attempt


def test_every_question_a_student_sees_has_report_a_problem(client, shown):
    student, question, attempt = shown
    client.force_login(student)
    html = client.get(
        reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert "Report a problem" in html
    assert reverse("curation:report", kwargs={"pk": question.pk}) in html


def test_student_reports_with_htmx_and_sees_thanks(client, shown):
    student, question, _ = shown
    client.force_login(student)
    response = client.post(
        reverse("curation:report", kwargs={"pk": question.pk}),
        {"reason": "two_answers", "comment": "Both Yezhov and Yagoda fit."},
        headers={"HX-Request": "true"},
    )
    assert "a curator will look at this question" in response.content.decode()
    report = ProblemReport.objects.get()
    assert (report.user, report.question, report.reason) == (student, question, "two_answers")
    assert report.question_version == 1 and report.resolved_at is None


def test_report_without_javascript_redirects_back_with_a_message(client, shown):
    student, question, attempt = shown
    client.force_login(student)
    back = reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    response = client.post(
        reverse("curation:report", kwargs={"pk": question.pk}),
        {"reason": "typo", "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert "a curator will look at this question" in response.content.decode()


def test_a_student_cannot_report_a_question_they_were_not_shown(client):
    question = make_question()
    client.force_login(make_user())
    response = client.post(
        reverse("curation:report", kwargs={"pk": question.pk}),
        {"reason": "typo"},
        headers={"HX-Request": "true"},
    )
    assert "only report a question you have been shown" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_other_needs_a_comment(client, shown):
    student, question, _ = shown
    client.force_login(student)
    response = client.post(
        reverse("curation:report", kwargs={"pk": question.pk}),
        {"reason": "other", "comment": "  "},
        headers={"HX-Request": "true"},
    )
    assert "say what is wrong" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_anonymous_visitors_cannot_report(client, shown):
    _, question, _ = shown
    response = client.post(
        reverse("curation:report", kwargs={"pk": question.pk}), {"reason": "typo"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not ProblemReport.objects.exists()


def test_curator_resolves_a_report_recording_who_and_how(client, shown):
    student, question, _ = shown
    report = ProblemReport.objects.create(
        question=question, user=student, reason="typo", comment="Eikhe"
    )
    curator = make_user(is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    page = client.get(reverse("curation:reports")).content.decode()
    assert "Typo" in page and "Eikhe" in page
    client.post(
        reverse("curation:resolve", kwargs={"pk": report.pk}),
        {"resolution": "fixed", "note": "Spelling corrected."},
    )
    report.refresh_from_db()
    assert report.resolved_by == curator and report.resolution == "fixed"
    assert report.resolution_note == "Spelling corrected."
    assert AuditEntry.objects.get(action="report.resolve").user == curator
    # A second resolution is refused and changes nothing.
    client.post(reverse("curation:resolve", kwargs={"pk": report.pk}), {"resolution": "no_change"})
    report.refresh_from_db()
    assert report.resolution == "fixed"
    assert "No open reports" in client.get(reverse("curation:reports")).content.decode()
