"""`manage.py backup` writes a snapshot that restores to the same data."""

import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corpus.models import Passage
from tests.factories import make_passage

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_round_trip_keeps_every_passage(tmp_path):
    texts = {make_passage(text=f"Passage {n} survives the backup.").text for n in range(5)}
    target = tmp_path / ("thaw.sqlite3" if connection.vendor == "sqlite" else "thaw.dump")
    call_command("backup", "-o", str(target))
    if connection.vendor == "sqlite":
        restored = sqlite3.connect(target)
        rows = {row[0] for row in restored.execute("SELECT text FROM corpus_passage")}
        restored.close()
    else:
        listing = subprocess.run(
            ["pg_restore", "--data-only", "--table=corpus_passage", "--file=-", str(target)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rows = {text for text in texts if text in listing}
    assert rows == texts
    assert Passage.objects.count() == 5  # the live database is untouched


def test_backup_refuses_to_overwrite_a_file(tmp_path):
    target = tmp_path / "existing.sqlite3"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "-o", str(target))
    assert target.read_text() == "keep me"
