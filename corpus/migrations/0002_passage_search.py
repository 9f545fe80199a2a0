"""Full-text search over passages: an FTS5 table on SQLite, a GIN index on PostgreSQL.

The SQL is written out here (not imported from corpus.search) because a
migration is history and must not change when the app's code does.  On SQLite
triggers keep the FTS table in step with corpus_passage (admin edits, re-ingests);
corpus.search.rebuild_index() recreates the table and triggers if they are ever
lost, e.g. when a later migration rebuilds corpus_passage (which drops triggers).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS corpus_passage_fts
    USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')
    """,
    """
    CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_insert AFTER INSERT ON corpus_passage
    WHEN new.is_current
    BEGIN
        INSERT INTO corpus_passage_fts(rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_update AFTER UPDATE ON corpus_passage
    BEGIN
        DELETE FROM corpus_passage_fts WHERE rowid = old.id;
        INSERT INTO corpus_passage_fts(rowid, text) SELECT new.id, new.text WHERE new.is_current;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_delete AFTER DELETE ON corpus_passage
    BEGIN
        DELETE FROM corpus_passage_fts WHERE rowid = old.id;
    END
    """,
    """
    INSERT INTO corpus_passage_fts(rowid, text)
    SELECT id, text FROM corpus_passage WHERE is_current
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS corpus_passage_fts_insert",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_update",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_delete",
    "DROP TABLE IF EXISTS corpus_passage_fts",
]

POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS corpus_passage_text_tsv "
    "ON corpus_passage USING gin (to_tsvector('english', text))",
]

POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS corpus_passage_text_tsv"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
