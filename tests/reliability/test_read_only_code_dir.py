"""The app runs with its code directory read-only (issue 17 part 1).

A production host may mount the release read-only, and on several app servers a file one
server wrote is missing on the others: so nothing a curator or teacher does in the app may
write under the project directory. The database is the truth at run time; only VAR_DIR
(the SQLite database, the file cache, collected static files) and the temporary directory
(uploads in flight) are written.

Root ignores file permissions here, so the read-only mount is made with an audit hook
(PEP 578): while the `read_only_code_dir` fixture is on, every write-mode `open`, every
removal, rename, mkdir, chmod, copy or move of a path under settings.BASE_DIR (outside
VAR_DIR) or under CORPUS_DATA_DIR is refused with the error a
read-only file system gives (EROFS) and remembered, so a write the app swallowed is caught
too. Python's own byte-code caches (__pycache__) are refused without being remembered, as
a read-only mount refuses them and Python carries on.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from corpus.models import (
    AuditEntry,
    EditorialNote,
    GlossaryTerm,
    Passage,
    Proposal,
    ReferenceWork,
    Source,
    SourceErrata,
    SourceFile,
    TimelineEvent,
)
from lessons.accounts import CURATORS, ensure_role_groups
from lessons.models import SchoolClass
from quizzes.models import Question
from tests.factories import make_question, make_teacher, make_user
from tests.reliability.test_fuzz import data_dir  # noqa: F401 - a fixture: the tiny corpus

pytestmark = pytest.mark.django_db

# Audit events that write, and which of their arguments are paths written to.
WRITE_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),  # also os.replace
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.link": (1,),
    "os.symlink": (1,),
    "shutil.copyfile": (1,),
    "shutil.copymode": (1,),
    "shutil.copystat": (1,),
    "shutil.copytree": (1,),
    "shutil.rmtree": (0,),
    "shutil.move": (0, 1),
    "shutil.make_archive": (0,),
    "tempfile.mkstemp": (0,),
    "tempfile.mkdtemp": (0,),
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class _Guard:
    """What the audit hook refuses while it is on, and what it refused."""

    on = False
    code: tuple[str, ...] = ()  # the project directory
    data: tuple[str, ...] = ()  # the data files, wherever a test put them
    allowed: tuple[str, ...] = ()  # VAR_DIR, even when it is inside the project
    refused: list[str] = []

    @classmethod
    def forbidden(cls, path) -> bool:
        if isinstance(path, int):  # a file descriptor already open
            return False
        try:
            name = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        if _inside(name, cls.data):  # even when a test put them in the temporary directory
            return True
        return _inside(name, cls.code) and not _inside(name, cls.allowed)


def _inside(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + os.sep) for root in roots)


def _hook(event: str, args: tuple) -> None:
    if not _Guard.on:
        return
    if event == "open":
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        )
        paths = [path] if writes else []
    elif event in WRITE_EVENTS:
        paths = [args[n] for n in WRITE_EVENTS[event] if n < len(args)]
    else:
        return
    for path in paths:
        if _Guard.forbidden(path):
            name = os.fsdecode(path)
            if "__pycache__" not in Path(name).parts:
                _Guard.refused.append(f"{event} {name}")
            raise PermissionError(errno.EROFS, "Read-only file system (test)", name)


_installed = False


def _roots(*paths) -> tuple[str, ...]:
    found = []
    for path in paths:
        found += [os.path.abspath(path), os.path.realpath(path)]
    return tuple(dict.fromkeys(found))


@pytest.fixture
def read_only_code_dir(settings):
    """The project directory and the data files read-only until the test ends; yields the
    list of writes refused (the test asserts it is empty)."""
    global _installed
    if not _installed:  # an audit hook cannot be removed: one per process, off by default
        sys.addaudithook(_hook)
        _installed = True
    _Guard.code = _roots(settings.BASE_DIR)
    _Guard.data = _roots(settings.CORPUS_DATA_DIR)
    _Guard.allowed = _roots(settings.VAR_DIR)
    _Guard.refused = []
    _Guard.on = True
    try:
        yield _Guard.refused
    finally:
        _Guard.on = False


def test_the_guard_refuses_writes_in_the_code_and_data_folders_and_allows_var_and_tmp(
    data_dir,  # noqa: F811 - the fixture
    read_only_code_dir,
):
    """The hook itself: a test of the app that it let pass would prove nothing."""
    for path in (
        Path(django_settings.BASE_DIR) / "corpus" / "read-only-probe.txt",
        data_dir / "glossary.toml",
        data_dir / "imported" / "probe.toml",
    ):
        with pytest.raises(PermissionError):
            path.write_text("x", encoding="utf-8")
    with pytest.raises(PermissionError):
        os.open(data_dir / "timeline.toml", os.O_WRONLY | os.O_APPEND)
    with pytest.raises(PermissionError):
        (data_dir / "imported").mkdir()
    with pytest.raises(PermissionError):
        os.replace(data_dir / "glossary.toml", data_dir / "glossary.old")
    with pytest.raises(PermissionError):
        (data_dir / "timeline.toml").unlink()
    assert len(read_only_code_dir) == 7
    read_only_code_dir.clear()
    assert (data_dir / "sources.toml").read_text(encoding="utf-8")  # reading is allowed
    with tempfile.NamedTemporaryFile("w") as scratch:  # so is the temporary directory
        scratch.write("x")
    var = Path(django_settings.VAR_DIR)
    if str(var).startswith(str(Path(django_settings.BASE_DIR))):
        probe = var / "read-only-probe.txt"
        var.mkdir(exist_ok=True)
        probe.write_text("x", encoding="utf-8")
        probe.unlink()
    assert read_only_code_dir == []


def _curator_client(client):
    curator = make_user(is_staff=True, username="ro-curator")
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    return client


GLOSSARY = """[[term]]
slug = "ro-stalin"
name = "Joseph Stalin"
kind = "person"
role = "soviet-leader"
aliases = ["Stalin"]
description = "General Secretary of the party."
citations = [{ source = "fuzz-manifest-source", quote = "names Stalin and the Congress" }]
"""
TIMELINE = """[[event]]
slug = "ro-secret-speech"
date = 1956-02-25
precision = "day"
title = "The Secret Speech"
description = "Khrushchev speaks to a closed session."
citations = [{ source = "fuzz-manifest-source", quote = "delivered to a closed session" }]
terms = ["ro-stalin"]
"""
UPLOAD = (
    "A letter on the Thaw\n\n"
    "In 1956 Khrushchev spoke to the Congress about Stalin and the cult of the individual.\n\n"
    "The delegates listened in silence while Stalin's cult was denounced at length.\n"
)


def test_every_curator_and_teacher_change_works_with_the_code_directory_read_only(
    client,
    data_dir,  # noqa: F811 - the fixture
    read_only_code_dir,
):
    call_command("load_corpus", verbosity=0)  # a deploy's load reads the files only
    curate = _curator_client(client)

    def post(name: str, data: dict, *, status: int = 302, **kwargs):
        response = curate.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code == status, (name, response.status_code)
        assert read_only_code_dir == [], name
        return response

    # The glossary and the timeline, through their editor: an entry added, then edited.
    for which, text in (("glossary", GLOSSARY), ("timeline", TIMELINE)):
        post("curation:reference", {"text": text}, which=which)
    term = GlossaryTerm.objects.get(slug="ro-stalin")
    assert term.curator_edited_at is not None and term.citations.exists()
    assert TimelineEvent.objects.get(slug="ro-secret-speech").terms.get() == term
    page = curate.get(reverse("curation:reference", kwargs={"which": "glossary"}))
    base = page.context["form"].initial["base"]
    edited = GLOSSARY.replace("General Secretary", "First General Secretary")
    post("curation:reference", {"text": edited, "base": base}, which="glossary")
    term.refresh_from_db()
    assert term.description == "First General Secretary of the party."

    # Errata of the shipped source: its passage reads corrected.
    errata = '[[correction]]\nwrong = "closed session"\nright = "closed session of the Congress"\n'
    post("curation:source", {"text": errata}, slug="fuzz-manifest-source")
    assert SourceErrata.objects.get(source__slug="fuzz-manifest-source").text == errata.strip()
    assert Passage.objects.filter(
        source__slug="fuzz-manifest-source",
        is_current=True,
        text__contains="closed session of the Congress",
    ).exists()

    # A source uploaded: its text kept in the database.
    upload = {
        "file": SimpleUploadedFile("letter.txt", UPLOAD.encode()),
        "title": "A letter on the Thaw",
        "work": "Letters",
        "date": "1962",
        "kind": "article",
    }
    post("curation:source_upload", upload)
    source = Source.objects.get(slug="a-letter-on-the-thaw")
    assert source.passages.filter(text__contains="listened in silence").exists()
    assert SourceFile.objects.get(source=source).text.startswith("A letter on the Thaw")

    # A reference work and an editorial note: added, edited, deleted.
    work = {"slug": "ro-work", "kind": "book", "authors": "Taubman, William"}
    work |= {"title": "Khrushchev: The Man and His Era", "publisher": "Norton", "year": "2003"}
    post("curation:editorial:work_add", work)
    post("curation:editorial:work_edit", {**work, "year": "2004"}, slug="ro-work")
    assert ReferenceWork.objects.get(slug="ro-work").year == 2004
    note = {
        "slug": "ro-note",
        "kind": "dispute",
        "title": "Who was in the hall",
        "body": "Accounts differ on who heard the speech.",
        "targets": '{ passage = { source = "a-letter-on-the-thaw", quote = "listened in silence" } }',
        "references": '{ work = "ro-work", at = "p. 270" }',
    }
    post("curation:editorial:note_add", note)
    post("curation:editorial:note_edit", {**note, "title": "Who heard the speech"}, slug="ro-note")
    assert EditorialNote.objects.get(slug="ro-note").title == "Who heard the speech"
    post("curation:editorial:note_delete", {}, slug="ro-note")
    post("curation:editorial:work_delete", {}, slug="ro-work")
    assert not EditorialNote.objects.filter(slug="ro-note").exists()
    assert not ReferenceWork.objects.filter(slug="ro-work").exists()

    # A proposal approved: a new glossary term.
    passage = source.passages.get(text__contains="spoke to the Congress")
    proposal = Proposal.objects.create(
        slug="ro-khrushchev",
        kind=Proposal.Kind.PERSON,
        name="Nikita Khrushchev",
        quote=passage.text,
        source=source,
    )
    proposal.passages.add(passage)
    approve = {"action": "approve", "name": "Nikita Khrushchev", "description": passage.text}
    post("curation:proposal_decide", approve, pk=proposal.pk)
    assert GlossaryTerm.objects.filter(slug="ro-khrushchev").exists()

    # A question edited, and a bank imported.
    question = make_question(passage=passage)
    fields = {"stem": "Who spoke to the Congress in 1956?", "key": "a"}
    fields |= {"explanation": "The letter says so."}
    fields |= {f"option_{o['id']}": o["text"] for o in question.options}
    post("curation:edit", fields, pk=question.pk)
    question.refresh_from_db()
    assert question.stem == "Who spoke to the Congress in 1956?" and question.version == 2
    item = {"type": "cloze_name", "stem": "Who was denounced at length?", "answer": ["a"]}
    item["options"] = [{"id": "a", "text": "Stalin"}, {"id": "b", "text": "Beria"}]
    bank = json.dumps({"format": "thaw-questions", "questions": [item]}).encode()
    post("curation:import", {"file": SimpleUploadedFile("bank.json", bank)}, status=200)
    post("curation:import_confirm", {})
    assert Question.objects.filter(stem="Who was denounced at length?").exists()

    # A teacher's class.
    teacher = make_teacher(username="ro-teacher")
    client.force_login(teacher)
    response = client.post(reverse("classes:teacher_classes"), {"name": "Form 10B"})
    assert response.status_code == 302
    assert SchoolClass.objects.filter(teachers=teacher, name="Form 10B").exists()

    # Every change is audited, and a later load keeps the curators' work.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"term.create", "term.edit", "event.create", "source.errata", "source.upload"} <= actions
    assert {"work.create", "note.create", "note.delete", "proposal.approve"} <= actions
    call_command("load_corpus", verbosity=0)
    assert GlossaryTerm.objects.get(slug="ro-stalin").description.startswith("First General")
    assert read_only_code_dir == []
