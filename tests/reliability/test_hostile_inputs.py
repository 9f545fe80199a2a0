"""The hostile tester's inputs (issue #15): each ends in a 4xx page or a clean command
error, and writes nothing, on SQLite and PostgreSQL.

Curators' question files (Moodle XML, GIFT, JSON) through the import page, its
confirmation and `import_questions`; errata and glossary TOML through the curation pages;
a roster through the teacher's page; a request body in a charset Thaw does not read.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from corpus.models import AuditEntry
from lessons.accounts.roles import CURATORS, ensure_role_groups
from quizzes.exchange import SCHEMA
from quizzes.models import Question
from tests.factories import make_school_class, make_source, make_teacher, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    user = make_user(is_staff=True)
    user.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(user)
    return client


def _bank(*items) -> bytes:
    return json.dumps({"format": SCHEMA, "questions": list(items)}).encode()


def _item(stem="Who chaired the commission of 1955?", **extra) -> dict:
    return {
        "type": "cloze_name",
        "stem": stem,
        "options": [{"id": "a", "text": "Pospelov"}, {"id": "b", "text": "Beria"}],
        "answer": ["a"],
        **extra,
    }


def _moodle(answers: str, tags: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice">'
        "<name><text>q</text></name><questiontext><text>Who chaired it?</text></questiontext>"
        f"{answers}{tags}</question></quiz>"
    ).encode()


_TWO_ANSWERS = (
    '<answer fraction="100"><text>Pospelov</text></answer>'
    '<answer fraction="0"><text>Beria</text></answer>'
)
QUESTION_FILES = {
    "moodle-fraction-not-a-number": (
        "bank.xml",
        _moodle(
            '<answer fraction="abc"><text>Pospelov</text></answer>'
            '<answer fraction="0"><text>Beria</text></answer>'
        ),
        "is not a number",
    ),
    "moodle-metadata-a-list": (
        "bank.xml",
        _moodle(_TWO_ANSWERS, "<tags><tag><text>thaw-meta:[1, 2]</text></tag></tags>"),
        "is not a JSON object",
    ),
    "gift-metadata-a-list": (
        "bank.gift",
        b"// thaw: [1]\n::q::Who chaired it? {=Pospelov ~Beria}\n",
        "is not a JSON object",
    ),
    "gift-option-ids-a-number": (
        "bank.gift",
        b'// thaw: {"option_ids": 5}\n::q::Who chaired it? {=Pospelov ~Beria}\n',
        "must be a list of texts",
    ),
    "gift-passage-ref-a-number": (
        "bank.gift",
        b'// thaw: {"passage": 5}\n::q::Who chaired it? {=Pospelov ~Beria}\n',
        "must be text",
    ),
    "json-passage-ref-a-number": ("bank.json", _bank(_item(passage_ref=5)), "passage_ref"),
    "json-nested-100000-deep": (
        "bank.json",
        b'{"format": "thaw-questions", "questions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested too deeply",
    ),
    "json-5000-digit-integer": (
        "bank.json",
        b'{"format": "thaw-questions", "questions": [], "n": ' + b"7" * 5000 + b"}",
        "number too long",
    ),
    "json-the-same-question-twice": (
        "bank.json",
        _bank(_item(), _item()),
        "the same question as question 1",
    ),
    "json-two-questions-with-one-id": (
        "bank.json",
        _bank(_item(id="f" * 64), _item(stem="Another wording?", id="f" * 64)),
        "the same question as question 1",
    ),
    "json-nul-in-the-stem": (
        "bank.json",
        _bank(_item(stem="Who chaired\u0000 it?")),
        "control character (U+0000)",
    ),
    "json-nul-in-an-option-id": (
        "bank.json",
        _bank(
            _item(
                options=[{"id": "a\u0000", "text": "x"}, {"id": "b", "text": "y"}],
                answer=["a\u0000"],
            )
        ),
        "control character (U+0000)",
    ),
}


@pytest.mark.parametrize(("name", "data", "message"), QUESTION_FILES.values(), ids=QUESTION_FILES)
def test_a_hostile_question_file_is_a_400_page_and_cannot_be_confirmed(
    curator_client, name, data, message
):
    preview = curator_client.post(
        reverse("curation:import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert preview.status_code == 400
    assert message in preview.content.decode()
    confirm = curator_client.post(reverse("curation:import_confirm"), follow=True)
    assert "there is no import waiting" in confirm.content.decode()
    assert not Question.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("name", "data", "message"), QUESTION_FILES.values(), ids=QUESTION_FILES)
def test_a_hostile_question_file_is_a_clean_command_error(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Nothing imported|" + message):
        call_command("import_questions", str(path))
    assert not Question.objects.exists()


def test_a_good_file_still_imports(curator_client):
    data = _bank(_item(), _item(stem="Who was arrested in June 1953?"))
    preview = curator_client.post(
        reverse("curation:import"), {"file": SimpleUploadedFile("bank.json", data)}
    )
    assert preview.status_code == 200
    assert curator_client.post(reverse("curation:import_confirm")).status_code == 302
    assert Question.objects.count() == 2


@pytest.fixture
def data_dir(tmp_path, settings):
    (tmp_path / "errata").mkdir()
    for name in ("glossary.toml", "timeline.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    settings.CORPUS_DATA_DIR = tmp_path
    return tmp_path


DEEP_TOML = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"
HOSTILE_TOML = {
    "nested-100000-deep": (DEEP_TOML, "nested too deeply"),
    "nested-tables": ("x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    "5000-digit-integer": ("x = " + "9" * 5000 + "\n", "a number too long to read"),
    "correction-not-a-table": ("correction = [1, 2]\n", "array of tables"),
    "nul-escaped-in-a-string": (
        '[[correction]]\nwrong = "Stalin\\u0000"\nright = "Stalin"\n',
        "control character (U+0000)",
    ),
}


@pytest.mark.parametrize(("text", "message"), HOSTILE_TOML.values(), ids=HOSTILE_TOML)
def test_hostile_errata_are_a_400_page_and_write_no_file(curator_client, data_dir, text, message):
    source = make_source(slug="speech-errata")
    response = curator_client.post(
        reverse("curation:source", kwargs={"slug": source.slug}), {"text": text}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (data_dir / "errata" / "speech-errata.toml").exists()


@pytest.mark.parametrize("which", ["glossary", "timeline"])
def test_deeply_nested_glossary_and_timeline_files_are_a_400_page(curator_client, data_dir, which):
    response = curator_client.post(
        reverse("curation:reference", kwargs={"which": which}), {"text": DEEP_TOML}
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()
    assert (data_dir / f"{which}.toml").read_text() == ""


def test_a_nul_in_a_glossary_string_is_refused(curator_client, data_dir):
    text = (
        '[[term]]\nslug = "beria"\nname = "Beria\\u0000"\nkind = "person"\n'
        'description = "x"\nreferences = [{work = "w"}]\n'
    )
    response = curator_client.post(
        reverse("curation:reference", kwargs={"which": "glossary"}), {"text": text}
    )
    assert response.status_code == 400
    assert "control character (U+0000)" in response.content.decode()


def test_a_nul_in_a_roster_display_name_is_a_400_page_and_creates_nobody(client):
    teacher = make_teacher()
    school_class = make_school_class(teachers=[teacher])
    client.force_login(teacher)
    data = b"username,display_name\nanna,Anna\x00K\nboris,Boris\n"
    before = User.objects.count()
    response = client.post(
        reverse("classes:teacher_roster", kwargs={"pk": school_class.pk}),
        {"roster": SimpleUploadedFile("roster.csv", data)},
    )
    assert response.status_code == 400
    assert "control character (U+0000)" in response.content.decode()
    assert User.objects.count() == before


CHARSETS = [
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonsense",
    "multipart/form-data; boundary=xx; charset=nonsense",
    "multipart/form-data; boundary=xx; charset=utf-16",
    'text/plain; charset="latin-1"',
]


@pytest.mark.parametrize("content_type", CHARSETS)
@pytest.mark.parametrize("url_name", ["login", "accounts:signup", "classes:class_join"])
def test_a_body_in_a_charset_thaw_does_not_read_is_a_400_page(url_name, content_type):
    # CSRF checked as in production: its check read the body inside Django's error handling.
    browser = Client(enforce_csrf_checks=True, raise_request_exception=True)
    browser.get(reverse("login"))
    # `generic` sends the bytes as they are (`post` would encode them in the charset).
    response = browser.generic(
        "POST", reverse(url_name), data=b"username=a&password=b", content_type=content_type
    )
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded; charset=UTF-8", ""])
def test_utf8_and_no_charset_are_read_as_before(client, content_type):
    make_user(username="pupil", password="the-right-password-1956")
    body = "username=pupil&password=the-right-password-1956"
    kwargs = {"content_type": content_type or "application/x-www-form-urlencoded"}
    response = client.post(reverse("login"), data=body, **kwargs)
    assert response.status_code == 302
