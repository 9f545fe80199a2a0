"""A source's questions generated again from its curation page (quizzes/curation_views.py,
`source_regenerate`): a curator's wording survives."""

import shutil

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from corpus.models import AuditEntry
from lessons.accounts import CURATORS, ensure_role_groups
from quizzes import curation
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


def test_a_curator_edit_survives_regeneration_from_the_ui(curator_client, data_dir):
    question = Question.objects.filter(source__slug=SLUG).exclude(type="chronology")[0]
    curation.edit_question(
        question=question,
        user=None,
        stem="A curator's wording, kept across regeneration?",
        options=question.options,
        answer=question.answer,
        explanation=question.explanation,
    )
    response = curator_client.post(reverse("curation:source_regenerate", kwargs={"slug": SLUG}))
    assert response.status_code == 302
    call_command("generate_questions")
    question.refresh_from_db()
    assert question.stem == "A curator's wording, kept across regeneration?"
    assert question.version == 2
    assert AuditEntry.objects.filter(action="source.regenerate").exists()
