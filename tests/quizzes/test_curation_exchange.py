"""Downloading the bank and importing files from the curation pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corpus.models import AuditEntry
from lessons.accounts import CURATORS, ensure_role_groups
from quizzes.exchange import MAX_BYTES, SCHEMA
from quizzes.models import Question
from tests.factories import make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    user = make_user(is_staff=True)
    user.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(user)
    return client


def _item(stem="Who signed the directive of 1 December 1934?", **extra):
    return {
        "type": "cloze_name",
        "stem": stem,
        "options": [{"id": "a", "text": "Yenukidze"}, {"id": "b", "text": "Kirov"}],
        "answer": ["a"],
        **extra,
    }


def _upload(client, name, data):
    return client.post(reverse("curation:import"), {"file": SimpleUploadedFile(name, data)})


def test_download_published_bank_as_moodle_xml_gift_and_json(curator_client):
    make_question(stem="Published question?")
    make_question(stem="Draft question?", status=Question.Status.DRAFT)
    xml = curator_client.get(reverse("curation:export"), {"format": "moodle-xml"})
    assert xml["Content-Disposition"] == 'attachment; filename="thaw-questions.xml"'
    body = xml.content.decode()
    assert (
        body.startswith("<?xml") and "Published question?" in body and "Draft question?" not in body
    )
    gift = curator_client.get(reverse("curation:export"), {"format": "gift"}).content.decode()
    assert "Published question?" in gift
    data = json.loads(curator_client.get(reverse("curation:export"), {"format": "json"}).content)
    assert [q["stem"] for q in data["questions"]] == ["Published question?"]


def test_download_the_filtered_selection(curator_client):
    make_question(stem="Published question?")
    make_question(stem="Draft question?", status=Question.Status.DRAFT)
    response = curator_client.get(
        reverse("curation:export"), {"format": "json", "scope": "filtered", "status": "draft"}
    )
    assert [q["stem"] for q in json.loads(response.content)["questions"]] == ["Draft question?"]


def test_import_previews_first_then_imports_on_confirmation(curator_client):
    existing = make_question(stem="Old wording?")
    items = [_item(), _item(stem="Changed wording?", id=existing.fingerprint)]
    data = json.dumps({"format": SCHEMA, "questions": items}).encode()
    preview = _upload(curator_client, "bank.json", data)
    html = preview.content.decode()
    assert "<strong>1</strong> to add · <strong>1</strong> to update" in html
    assert Question.objects.count() == 1  # nothing changed by the preview
    done = curator_client.post(reverse("curation:import_confirm"))
    assert done.status_code == 302
    assert Question.objects.count() == 2
    existing.refresh_from_db()
    assert existing.stem == "Changed wording?"
    assert AuditEntry.objects.get(action="bank.import").changes == {"added": 1, "updated": 1}


HOSTILE = {
    "xxe": (
        "bank.xml",
        b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<quiz><question type="multichoice"><questiontext><text>&xxe;</text></questiontext>'
        b"</question></quiz>",
    ),
    "entity bomb": (
        "bank.xml",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<quiz>&lol2;</quiz>",
    ),
    "wrong encoding": ("bank.gift", "::Q:: Qui a signé? {=Yenukidze ~Kirov}".encode("latin-1")),
    "not json": ("bank.json", b'{"questions": [1, 2'),
    "huge": ("bank.json", b"{" + b" " * (MAX_BYTES + 1) + b"}"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_broken_files_get_a_clear_error_and_change_nothing(curator_client, case):
    name, data = HOSTILE[case]
    response = _upload(curator_client, name, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-error"' in html and "Nothing was changed." in html
    assert "root:" not in html
    assert not Question.objects.exists()
    # No import waits for confirmation after a refused file.
    curator_client.post(reverse("curation:import_confirm"))
    assert not Question.objects.exists()


def test_script_in_a_stem_is_rejected_in_the_preview_and_cannot_be_confirmed(curator_client):
    data = json.dumps(
        {"format": SCHEMA, "questions": [_item(), _item(stem="<script>alert(1)</script>?")]}
    ).encode()
    html = _upload(curator_client, "bank.json", data).content.decode()
    assert "<strong>1</strong> rejected" in html
    assert "HTML or script markup is not allowed" in html
    assert "<script>alert" not in html
    confirm = curator_client.post(reverse("curation:import_confirm"), follow=True)
    assert "there is no import waiting" in confirm.content.decode()  # the file was not kept
    assert not Question.objects.exists()
