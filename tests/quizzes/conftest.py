"""An in-memory corpus (unsaved objects) for the pure generators, and the real bank."""

from __future__ import annotations

import datetime
import io
import itertools
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from corpus.models import GlossaryTerm, Passage, Source, TimelineEvent, Work
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from tests.conftest import suite_settings

# The real bank's database, copied once per test process (SQLite), for `real_bank`.
_real_bank_copy: list[sqlite3.Connection] = []


def _build_real_bank() -> None:
    for command in ("load_corpus", "load_lessons", "generate_questions"):
        call_command(command, stdout=io.StringIO())


@pytest.fixture(scope="module")
def real_bank(django_db_setup, django_db_blocker):
    """The real corpus, the lessons and the bank generate_questions makes of them (what
    `make run` loads), for a module's tests to read; each test's own transaction is rolled
    back, so what one test changes the next does not see.

    Built once per test process (about 20 s of CPU) rather than once per module: on SQLite
    the built database is kept as a copy (SQLite's backup API copies every page, the
    search index included) and copied in for each module, and the database as it was is
    copied back after the module. On PostgreSQL it is built in a transaction rolled back
    after the module.
    """
    with django_db_blocker.unblock(), override_settings(**suite_settings()):
        if connection.vendor != "sqlite":
            with transaction.atomic():
                _build_real_bank()
                yield
                transaction.set_rollback(True)
            return
        connection.ensure_connection()
        database = connection.connection
        before = sqlite3.connect(":memory:")
        database.backup(before)
        try:
            if _real_bank_copy:
                _real_bank_copy[0].backup(database)
            else:
                _build_real_bank()
                _real_bank_copy.append(sqlite3.connect(":memory:"))
                database.backup(_real_bank_copy[0])
            yield
        finally:
            connection.ensure_connection()
            before.backup(connection.connection)
            before.close()


_keys = itertools.count(1)

SPEECH = Work(
    slug="secret-speech", title="On the Cult of Personality", kind=Work.Kind.SPEECH, ordinal=0
)
RESOLUTION = Work(
    slug="cc-resolution-1956", title="On Overcoming the Cult", kind=Work.Kind.RESOLUTION, ordinal=1
)
ARTICLE = Work(
    slug="history-today-2006", title="Stalin Denounced", kind=Work.Kind.ARTICLE, ordinal=2
)
ENCYCLOPEDIA = Work(
    slug="encyclopedia", title="On the Personality Cult", kind=Work.Kind.ENCYCLOPEDIA, ordinal=3
)


def source(work: Work, slug: str, title: str = "") -> Source:
    return Source(work=work, slug=slug, title=title or slug.title(), file_name=f"{slug}.txt")


def passage(src: Source, text: str, **kwargs) -> Passage:
    n = next(_keys)
    kwargs.setdefault("quality", Passage.Quality.GOOD)
    kwargs.setdefault("kind", Passage.Kind.BODY)
    return Passage(source=src, key=f"p{n}", ordinal=n, text=text, is_current=True, **kwargs)


def term(
    name: str, *aliases: str, kind=GlossaryTerm.Kind.PERSON, role="soviet-official"
) -> GlossaryTerm:
    slug = name.lower().replace(" ", "-").replace(".", "")
    return GlossaryTerm(
        slug=slug,
        name=name,
        aliases=list(aliases),
        kind=kind,
        role=role,
        description=f"{name} was a {role}.",
    )


def people() -> list[GlossaryTerm]:
    return [
        term("Vladimir Lenin", "Lenin", "V. I. Lenin", "Vladimir Ilyich", role="soviet-leader"),
        term("Joseph Stalin", "Stalin", "J. V. Stalin", role="soviet-leader"),
        term("Vyacheslav Molotov", "Molotov", role="soviet-leader"),
        term("Lazar Kaganovich", "Kaganovich", role="soviet-leader"),
        term("Georgy Malenkov", "Malenkov", role="soviet-leader"),
        term("Robert Eikhe", "Eikhe"),
        term("Avel Yenukidze", "Yenukidze"),
        term("Pavel Postyshev", "Postyshev"),
        term("Stanislav Kosior", "Kosior"),
        term("Nikolai Yezhov", "Yezhov", role="nkvd-chief"),
        term("Genrikh Yagoda", "Yagoda", role="nkvd-chief"),
        term("Lavrentiy Beria", "Beria", role="nkvd-chief"),
        term("Leonid Zakovsky", "Zakovsky", role="nkvd-chief"),
        term("NKVD", kind=GlossaryTerm.Kind.ORGANIZATION, role="intelligence-service"),
        term("Shin Bet", kind=GlossaryTerm.Kind.ORGANIZATION, role="intelligence-service"),
        term("CIA", kind=GlossaryTerm.Kind.ORGANIZATION, role="intelligence-service"),
        term("MI6", kind=GlossaryTerm.Kind.ORGANIZATION, role="intelligence-service"),
    ]


def snapshot(passages: list[Passage], terms=None, events=None, **kwargs) -> CorpusSnapshot:
    return CorpusSnapshot(
        passages=passages,
        terms=terms if terms is not None else people(),
        events=events or [],
        **kwargs,
    )


def event(slug: str, date: datetime.date, title: str, precision="day") -> TimelineEvent:
    return TimelineEvent(slug=slug, date=date, title=title, precision=precision)
