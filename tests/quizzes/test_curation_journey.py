"""A new curator's first session, end to end through the Django test client, on the
real corpus (slow: loads the five sources and generates the bank)."""

import shutil

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from corpus.models import AuditEntry, Source
from quizzes.models import ProblemReport, Question
from tests.factories import make_attempt, make_quiz

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NEW_SOURCE = """# Letter on the Thaw

The Secret Speech of 25 February 1956 was read to closed party meetings across the Soviet Union in the weeks that followed, and Nikita Khrushchev was named as its author.

In June 1956 the Central Committee resolution "On Overcoming the Cult of Personality and Its Consequences" was published, and Joseph Stalin was criticised in milder terms than in the speech.

By 1961 the Twenty-Second Congress had voted to remove the body of Joseph Stalin from the Mausoleum on Red Square in Moscow, and Nikita Khrushchev spoke again about the repressions.
"""


@pytest.fixture
def data_dir(tmp_path, settings):
    target = tmp_path / "data"
    shutil.copytree(django_settings.CORPUS_DATA_DIR, target)
    settings.CORPUS_DATA_DIR = target
    return target


def test_a_new_curator_reviews_fixes_publishes_resolves_imports_and_downloads(client, data_dir):
    for command in ("load_corpus", "load_lessons", "generate_questions", "seed_demo"):
        call_command(command)
    source = "speech-congressional-record"

    # A student reports a problem with a question they were shown.
    reported = Question.objects.published().filter(source__slug=source).first()
    assert client.login(username="student", password="thaw-student-1956")
    student = User.objects.get(username="student")
    make_attempt(quiz=make_quiz(questions=[reported]), user=student)
    client.post(reverse("curation:report", kwargs={"pk": reported.pk}), {"reason": "typo"})
    assert client.get(reverse("curation:queue")).status_code == 403
    client.logout()

    # The curator logs in and opens the queue, filtered to one source.
    assert client.login(username="curator", password="thaw-curator-1956")
    page = client.get(reverse("curation:queue"), {"source": source})
    assert page.status_code == 200
    shown = Question.objects.filter(source__slug=source).count()
    assert f"{shown} question" in page.content.decode()

    # Fixes a stem (in place, with htmx).
    question = Question.objects.filter(source__slug=source).first()
    form = client.get(
        reverse("curation:edit", kwargs={"pk": question.pk}), headers={"HX-Request": "true"}
    )
    assert 'name="stem"' in form.content.decode()
    fields = {f"option_{o['id']}": o["text"] for o in question.options}
    if question.type != Question.Type.CHRONOLOGY:
        fields["key"] = question.answer[0]
    new_stem = question.stem.rstrip("?.") + " (as the speech has it)?"
    client.post(
        reverse("curation:edit", kwargs={"pk": question.pk}),
        {"stem": new_stem, "explanation": question.explanation, **fields},
        headers={"HX-Request": "true"},
    )
    question.refresh_from_db()
    assert question.stem == new_stem and question.curator_locked and question.version == 2

    # Publishes ten questions in bulk: retire all of the source's questions waiting
    # for review but ten, then publish the filtered selection.
    waiting = Question.objects.filter(source__slug=source).exclude(status="published")
    if waiting.count() < 10:
        Question.objects.filter(
            pk__in=Question.objects.filter(source__slug=source, curator_locked=False)
            .published()
            .values("pk")[: 10 - waiting.count()]
        ).update(status="needs_review")
    ten = list(waiting.order_by("pk").values_list("pk", flat=True)[:10])
    Question.objects.filter(pk__in=waiting.values("pk")).exclude(pk__in=ten).update(status="draft")
    url = reverse("curation:bulk") + f"?source={source}&status=needs_review"
    confirm = client.post(url, {"action": "published"})
    assert "Publish 10 questions?" in confirm.content.decode()
    client.post(url, {"action": "published", "confirm": "on"})
    assert (
        Question.objects.filter(pk__in=ten, status="published", curator_locked=True).count() == 10
    )

    # Resolves the student's report.
    report = ProblemReport.objects.get()
    assert "Typo" in client.get(reverse("curation:reports")).content.decode()
    client.post(reverse("curation:resolve", kwargs={"pk": report.pk}), {"resolution": "no_change"})
    report.refresh_from_db()
    assert report.resolved_by.username == "curator"

    # Imports a new source and publishes its best questions.
    response = client.post(
        reverse("curation:source_upload"),
        {
            "file": SimpleUploadedFile("letter.md", NEW_SOURCE.encode()),
            "title": "Letter on the Thaw",
            "work": "A letter on the Thaw",
            "date": "1962",
            "kind": "article",
        },
    )
    assert response.status_code == 302
    new = Source.objects.get(slug="letter-on-the-thaw")
    assert new.passages.count() >= 3
    # Kept in the database (every app server sees it), not written into the code's folder.
    assert new.curated_file.text.startswith(NEW_SOURCE.strip()[:40])
    assert not (data_dir / "imported" / "letter-on-the-thaw.toml").exists()
    best = client.get(reverse("curation:queue"), {"source": new.slug, "score_min": "0.5"})
    assert best.status_code == 200
    client.post(
        reverse("curation:bulk") + f"?source={new.slug}&score_min=0.5",
        {"action": "published", "confirm": "on"},
    )
    new_questions = Question.objects.filter(source=new, quality_score__gte=0.5)
    assert new_questions.exists()
    assert all(q.status == "published" for q in new_questions)

    # Downloads the bank as Moodle XML.
    download = client.get(reverse("curation:export"), {"format": "moodle-xml"})
    assert download["Content-Disposition"].endswith('.xml"')
    assert new_stem.replace("&", "&amp;").split(" (")[0][:30] in download.content.decode()

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "question.edit",
        "question.bulk_published",
        "report.resolve",
        "source.upload",
    } <= actions
    assert client.get(reverse("curation:audit")).status_code == 200
