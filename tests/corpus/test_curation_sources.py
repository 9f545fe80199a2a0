"""Corpus curation from the UI (corpus/curation_views.py): errata, uploads, glossary and
timeline files, and how a changed passage sends its questions back to review."""

import shutil

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from corpus.models import AuditEntry, Passage, Source
from lessons.accounts import CURATORS, ensure_role_groups
from quizzes.curation import PASSAGE_CHANGED
from quizzes.models import Question
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SLUG = "resolution-news-booklet"


@pytest.fixture
def data_dir(tmp_path, settings):
    target = tmp_path / "data"
    shutil.copytree(django_settings.CORPUS_DATA_DIR, target)
    settings.CORPUS_DATA_DIR = target
    call_command("load_corpus")
    call_command("generate_questions", "--source", SLUG)
    return target


@pytest.fixture
def curator_client(client):
    user = make_user(is_staff=True)
    user.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(user)
    return client


def test_invalid_errata_toml_is_a_clear_error_and_changes_nothing(curator_client, data_dir):
    path = data_dir / "errata" / f"{SLUG}.toml"
    before = path.read_bytes()
    texts = list(Passage.objects.filter(source__slug=SLUG).values_list("text", flat=True))
    response = curator_client.post(
        reverse("curation:source", kwargs={"slug": SLUG}), {"text": "[[correction]\nwrong = "}
    )
    assert response.status_code == 400
    assert "not valid TOML" in response.content.decode()
    assert path.read_bytes() == before
    assert list(Passage.objects.filter(source__slug=SLUG).values_list("text", flat=True)) == texts
    assert not AuditEntry.objects.exists()


def test_errata_edit_reingests_and_flags_the_questions_citing_the_changed_passage(
    curator_client, data_dir
):
    question = Question.objects.filter(source__slug=SLUG, passage__isnull=False).exclude(
        status="retired"
    )[0]
    passage = question.passage
    word = next(w for w in passage.text.split() if w.isalpha() and len(w) > 6)
    path = data_dir / "errata" / f"{SLUG}.toml"
    text = path.read_text() + f'\n[[correction]]\nwrong = "{word}"\nright = "{word}X"\nnote = "t"\n'
    response = curator_client.post(
        reverse("curation:source", kwargs={"slug": SLUG}), {"text": text}
    )
    assert response.status_code == 302
    passage.refresh_from_db()
    assert f"{word}X" in passage.text and passage.text_changed_at is not None
    question.refresh_from_db()
    assert question.status == Question.Status.NEEDS_REVIEW
    assert question.review_reason == PASSAGE_CHANGED
    assert AuditEntry.objects.get(action="source.errata").changes["flagged"] >= 1


def test_upload_refuses_a_binary_file_and_changes_nothing(curator_client, data_dir):
    count = Source.objects.count()
    response = curator_client.post(
        reverse("curation:source_upload"),
        {
            "file": SimpleUploadedFile("scan.txt", b"\x00\x01binary"),
            "title": "A scan",
            "work": "secret-speech",
            "kind": "other",
        },
    )
    assert response.status_code == 400
    assert "binary file" in response.content.decode()
    assert Source.objects.count() == count
    assert not (data_dir / "imported").exists() or not any((data_dir / "imported").iterdir())


def test_a_broken_glossary_file_is_refused_and_the_file_is_kept(curator_client, data_dir):
    path = data_dir / "glossary.toml"
    before = path.read_bytes()
    response = curator_client.post(
        reverse("curation:reference", kwargs={"which": "glossary"}),
        {"text": "[[term]]\nslug = 3\n"},
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert path.read_bytes() == before


def test_source_page_lists_passages_with_quality_flags(curator_client, data_dir):
    html = curator_client.get(reverse("curation:source", kwargs={"slug": SLUG})).content.decode()
    assert "Save errata and re-ingest" in html
    assert (
        html.count('<li class="quality-')
        == Passage.objects.current().filter(source__slug=SLUG).count()
    )
