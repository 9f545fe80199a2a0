"""A passage whose text changes (here through an erratum and a re-ingest) sends the
questions citing it back to a curator on the next generate_questions run."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from corpus.models import Passage
from quizzes.models import Question

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def data_dir(tmp_path, settings):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    settings.CORPUS_DATA_DIR = target
    return target


def test_changed_passage_sends_its_published_questions_back_for_review(data_dir):
    call_command("load_corpus", verbosity=0)
    call_command("generate_questions", verbosity=0)
    question = Question.objects.published().filter(passage__source__slug="speech-anthology").first()
    passage = question.passage
    word = passage.text.split()[3]
    errata = data_dir / "errata" / "speech-anthology.toml"
    with errata.open("a", encoding="utf-8") as file:
        file.write(f'\n[[correction]]\nwrong = "{word}"\nright = "{word}s"\nnote = "test"\n')

    call_command("load_corpus", verbosity=0)
    passage.refresh_from_db()
    assert passage.text_changed_at is not None
    call_command("generate_questions", verbosity=0)

    question.refresh_from_db()
    assert question.status == Question.Status.NEEDS_REVIEW
    untouched = (
        Question.objects.published().exclude(passage=passage).exclude(extra_citations=passage)
    )
    assert untouched.exists()
    assert not Passage.objects.filter(pk=passage.pk, is_current=False).exists()
