"""Uploads are limited in size and type, and spreadsheet exports carry no formulas.

Each upload (a class roster, a source document, a question file) is sent too large, of
the wrong type (binary, not UTF-8, a zip disguised by its name), empty, or missing: the
page answers with a message that says what is wrong, and nothing is created, in the
database or in the corpus data directory.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corpus import curation
from corpus.models import AuditEntry, Passage, Source, Work
from lessons.accounts.roles import CURATORS, ensure_role_groups
from lessons.classes.gradebook import gradebook_csv
from lessons.classes.roster import MAX_BYTES as ROSTER_LIMIT
from lessons.models import Membership
from quizzes import exchange
from quizzes.models import Question, QuizOverride
from tests.factories import (
    make_assignment,
    make_finished_attempt,
    make_question,
    make_quiz,
    make_school_class,
    make_teacher,
    make_user,
)
from tests.reliability.test_fuzz import data_dir  # noqa: F401 - a fixture: the tiny corpus

pytestmark = pytest.mark.django_db


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sheet.xml", "<x>" + "data " * 500 + "</x>")
    return out.getvalue()


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# --- a class roster -------------------------------------------------------------------------

GOOD_ROSTER = b"username,display_name\nupload-a,Anna A\nupload-b,Boris B\n"
ROSTER_CASES = {
    "too large": (
        "roster.csv",
        GOOD_ROSTER + b"upload-c,Clara C\n" * (ROSTER_LIMIT // 16),
        "The file is too large (the limit is 256 KB).",
    ),
    "a zip named .csv": ("roster.csv", _zip(), "The file is not UTF-8 text."),
    "binary": ("roster.csv", bytes(range(256)) * 8, "The file is not UTF-8 text."),
    "UTF-16": ("roster.csv", GOOD_ROSTER.decode().encode("utf-16"), "The file is not UTF-8 text."),
    "empty": ("roster.csv", b"", "The file is empty"),
    "blank": ("roster.csv", b"\n \n", "The file is empty."),
    "no file": (None, None, "Choose a CSV file to upload."),
}


@pytest.mark.parametrize("case", ROSTER_CASES, ids=list(ROSTER_CASES))
def test_a_bad_roster_file_gets_a_clear_message_and_creates_no_account(client, case):
    name, content, message = ROSTER_CASES[case]
    teacher = make_teacher()
    school_class = make_school_class(teachers=[teacher])
    client.force_login(teacher)
    users = User.objects.count()
    # A browser always sends the form's token, so the form is bound even without a file.
    data = {"csrfmiddlewaretoken": "token"}
    if name:
        data["roster"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("classes:teacher_roster", kwargs={"pk": school_class.pk}), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert "lessons/teacher/roster_passwords.html" not in [t.name for t in response.templates]
    assert User.objects.count() == users
    assert not Membership.objects.filter(school_class=school_class).exists()


def test_a_good_roster_still_imports(client):
    # The cases above fail for their reason, not because every upload is refused.
    teacher = make_teacher()
    school_class = make_school_class(teachers=[teacher])
    client.force_login(teacher)
    upload = SimpleUploadedFile("roster.csv", GOOD_ROSTER)
    client.post(
        reverse("classes:teacher_roster", kwargs={"pk": school_class.pk}), {"roster": upload}
    )
    assert Membership.objects.filter(school_class=school_class).count() == 2


# --- a source document ----------------------------------------------------------------------


@pytest.fixture
def curator_client(client):
    curator = make_user(is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    return client


SOURCE_TEXT = b"A Title\n\nA paragraph about the Congress of 1956.\n\nAnother paragraph.\n"
SOURCE_CASES = {
    "too large": ("big.txt", b"a" * (5 * 1024 * 1024 + 1), "the limit is 5 MB"),
    "a zip named .txt": ("notes.txt", _zip(), "binary file"),
    "binary": ("notes.txt", bytes(range(256)) * 8, "binary file"),
    "Latin-1": ("notes.md", "Café au lait.\n".encode("latin-1"), "not UTF-8 text"),
    "UTF-16": ("notes.txt", SOURCE_TEXT.decode().encode("utf-16"), "binary file"),
    "a PDF": ("notes.pdf", b"%PDF-1.4\n" + SOURCE_TEXT, "only plain text or Markdown files"),
    "an executable": ("run.exe", b"MZ\x90\x00" + SOURCE_TEXT, "only plain text or Markdown files"),
    "empty": ("notes.txt", b"", "The submitted file is empty."),
    "blank": ("notes.txt", b"\n\n  \n", "the file contains no text"),
    "no file": (None, None, "This field is required."),
}


@pytest.mark.parametrize("case", SOURCE_CASES, ids=list(SOURCE_CASES))
def test_a_bad_source_document_gets_a_clear_message_and_changes_nothing(
    curator_client,
    data_dir,  # noqa: F811 - the fixture
    case,
):
    name, content, message = SOURCE_CASES[case]
    files_before = sorted(p.relative_to(data_dir) for p in data_dir.rglob("*"))
    counts = [m.objects.count() for m in (Source, Work, Passage, Question, AuditEntry)]
    data = {"title": "Uploaded", "work": "A new work", "date": "1956", "kind": "other"}
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    response = curator_client.post(reverse("curation:source_upload"), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert [m.objects.count() for m in (Source, Work, Passage, Question, AuditEntry)] == counts
    assert sorted(p.relative_to(data_dir) for p in data_dir.rglob("*")) == files_before


def test_a_source_over_the_limit_is_refused_before_it_is_read(
    curator_client,
    data_dir,  # noqa: F811 - the fixture
    monkeypatch,
):
    # The size is checked on the upload itself: the document is never read into memory
    # (nor handed to the importer) to find out it is too large.
    def never(**kwargs):
        raise AssertionError("an oversized upload reached the importer")

    monkeypatch.setattr(curation, "upload_source", never)
    upload = SimpleUploadedFile("big.txt", b"a" * (settings.CORPUS_MAX_UPLOAD_BYTES + 1))
    data = {"file": upload, "title": "Big", "work": "Big work", "date": "", "kind": "other"}
    response = curator_client.post(reverse("curation:source_upload"), data)
    assert response.status_code == 400 and "the limit is 5 MB" in _text(response)


# --- a question file ------------------------------------------------------------------------

IMPORT_CASES = {
    "too large": ("bank.json", b" " * (exchange.MAX_BYTES + 1), "File is too large"),
    "a zip named .json": ("bank.json", _zip(), "File is not UTF-8 text"),
    "binary": ("bank.xml", bytes(range(256)) * 8, "File is not UTF-8 text"),
    "UTF-16": ("bank.json", '{"format": "thaw-questions"}'.encode("utf-16"), "not UTF-8"),
    "empty": ("bank.json", b"", "The submitted file is empty."),
    "not a question file": ("bank.json", b'{"hello": 1}', "Not a Thaw question file"),
    "an XML bomb": (
        "bank.xml",
        b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<quiz>&b;</quiz>",
        "XML with a DTD, entities or external references is refused.",
    ),
    "no file": (None, None, "This field is required."),
}


@pytest.mark.parametrize("case", IMPORT_CASES, ids=list(IMPORT_CASES))
def test_a_bad_question_file_gets_a_clear_message_and_imports_nothing(curator_client, case):
    name, content, message = IMPORT_CASES[case]
    make_question()
    questions = Question.objects.count()
    data = {"csrfmiddlewaretoken": "token"}
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    response = curator_client.post(reverse("curation:import"), data)
    assert response.status_code in (200, 400)
    assert 'class="form-error"' in response.content.decode() or "errorlist" in _text(response)
    assert message in _text(response)
    # Nothing waits for confirmation, and confirming imports nothing.
    assert "curation_import" not in curator_client.session
    curator_client.post(reverse("curation:import_confirm"))
    assert Question.objects.count() == questions


# --- request bodies ---------------------------------------------------------------------------


def test_an_oversized_form_body_is_a_400_not_a_500(client):
    # DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB default) caps fields other than files.
    teacher = make_teacher()
    client.force_login(teacher)
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("classes:teacher_classes"), {"name": body})
    assert response.status_code == 400


# --- spreadsheet exports ----------------------------------------------------------------------

FORMULAS = ["=1+1", '=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_no_cell_of_the_gradebook_export_can_start_a_formula(client):
    teacher = make_teacher()
    # Usernames may start with @ + - (Django's validator allows them); names with anything.
    students = [
        make_user(username=f"{prefix}formula{n}", first_name=formula)
        for n, (prefix, formula) in enumerate(zip("@+-@+-@", FORMULAS, strict=True))
    ]
    school_class = make_school_class(teachers=[teacher], students=students)
    question = make_question()
    for title in ("=cmd|' /C calc'!A0", "+title", "-title", "@title"):
        quiz = make_quiz(questions=[question], title=title)
        make_assignment(school_class=school_class, quiz=quiz, title=title)
        make_finished_attempt(quiz=quiz, user=students[0], results=[(question, True)])
        QuizOverride.objects.create(quiz=quiz, user=students[1], note="=note", extra_minutes=5)
    client.force_login(teacher)
    response = client.get(reverse("classes:teacher_gradebook_csv", kwargs={"pk": school_class.pk}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(students)
    cells = [cell for row in rows for cell in row]
    dangerous = [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert not dangerous
    # Neutralised, not dropped: the text is still there after the quote.
    assert "'=cmd|' /C calc'!A0 — score %" in rows[0]
    assert {f"'{s.username}" for s in students} <= set(cells)


def test_the_gradebook_csv_function_quotes_every_formula_prefix():
    student = make_user(username="plain", first_name="\r=evil")
    school_class = make_school_class(students=[student])
    make_assignment(school_class=school_class, title="\t=tab")
    from django.utils import timezone

    from lessons.classes.gradebook import gradebook

    text = gradebook_csv(book=gradebook(school_class=school_class, now=timezone.now()))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][0] == "'=evil" and rows[0][2].startswith("'\t=tab")
