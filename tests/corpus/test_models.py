"""The corpus models: the curated rows share one set of bookkeeping columns."""

import pytest
from django.core.management import call_command

from corpus.models import Curated, EditorialNote, GlossaryTerm, ReferenceWork, TimelineEvent


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    # SystemExit(1) if a model changed without a migration (a field's help text included).
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("model", [GlossaryTerm, TimelineEvent, ReferenceWork, EditorialNote])
def test_rows_a_curator_edits_in_the_app_keep_corpus_curateds_bookkeeping(model):
    assert issubclass(model, Curated)
    assert {"curator_edited_at", "file_digest"} <= {f.name for f in model._meta.concrete_fields}
