"""One way to change a question (quizzes.revision), whichever door the change comes through:
a curator's edit on the review queue, an imported bank, or the admin. Each keeps the
wording it replaces, so a student's past answer is still shown with the question they
saw; each checks the question with the one validator, locks it and is audited."""

import json
import re

import pytest
from django import forms
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from corpus.models import AuditEntry
from quizzes import curation, revision
from quizzes.exchange import SCHEMA, export_questions, import_questions
from quizzes.models import Question, QuestionVersion
from tests.factories import make_finished_attempt, make_question, make_quiz, make_user
from tests.quizzes.test_curation import make_curator

pytestmark = pytest.mark.django_db

SEEN = "Which name completes the sentence the student read?"
LATER = "Which name completes the sentence a curator rewrote later?"


def _exported(question: Question, **changes) -> bytes:
    document = json.loads(export_questions(questions=[question], fmt="json"))
    document["questions"][0].update(changes)
    return json.dumps(document).encode()


def _admin_data(question: Question, user, **changes) -> dict:
    """The admin change form's fields as the page would post them, with `changes`."""
    model_admin = admin.site._registry[Question]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, question, change=True)(instance=question)
    data = {"_save": "Save"}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            pks = [str(pk) for pk in value or []]
            data[name] = ",".join(pks) if name in model_admin.raw_id_fields else pks
        else:
            data[name] = "" if value is None else value
    for name, value in changes.items():
        data[name] = json.dumps(value) if isinstance(value, list) else value
    return data


def _change_by_curation(question, curator, client):
    client.force_login(curator)
    response = client.post(
        reverse("curation:edit", kwargs={"pk": question.pk}),
        {
            "stem": LATER,
            **{f"option_{o['id']}": o["text"] for o in question.options},
            "key": question.answer[0],
        },
    )
    assert response.status_code == 302


def _change_by_import(question, curator, client):
    client.force_login(curator)
    data = _exported(question, stem=LATER)
    preview = client.post(
        reverse("curation:import"),
        {"file": _upload(data)},
    )
    assert preview.status_code == 200
    confirm = client.post(reverse("curation:import_confirm"))
    assert confirm.status_code == 302


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bank.json", data, content_type="application/json")


def _change_in_the_admin(question, curator, client):
    client.force_login(curator)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = client.post(url, _admin_data(question, curator, stem=LATER))
    assert response.status_code == 302, re.findall(
        r"errorlist.{0,300}", response.content.decode(), re.S
    )


@pytest.mark.parametrize(
    "change",
    [_change_by_curation, _change_by_import, _change_in_the_admin],
    ids=lambda f: f.__name__,
)
def test_a_past_answer_shows_the_wording_its_student_saw_whichever_way_it_changed(client, change):
    question = make_question(stem=SEEN)
    student = make_user()
    attempt = make_finished_attempt(
        quiz=make_quiz(questions=[question]), user=student, results=[(question, False)]
    )
    curator = make_curator()

    change(question, curator, client)

    question.refresh_from_db()
    assert (question.stem, question.version, question.curator_locked) == (LATER, 2, True)
    versions = dict(
        QuestionVersion.objects.filter(question=question).values_list("version", "stem")
    )
    assert versions == {1: SEEN, 2: LATER}
    assert AuditEntry.objects.filter(object_id=str(question.pk), action__startswith="question.")
    reader = Client()  # the student's own browser (not the curator's, with its messages)
    reader.force_login(student)
    page = reader.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})).content.decode()
    assert SEEN in page and LATER not in page
    # A new answer is to the new wording.
    assert Question.objects.get(pk=question.pk).stem == LATER


def test_the_teachers_view_of_an_attempt_shows_the_wording_answered_too():
    question = make_question(stem=SEEN)
    untouched = make_question()
    attempt = make_finished_attempt(
        quiz=make_quiz(questions=[question, untouched]),
        user=make_user(),
        results=[(question, True), (untouched, True)],
    )
    curation.edit_question(
        question=question,
        user=make_curator(),
        stem=LATER,
        options=question.options,
        answer=question.answer,
        explanation="",
    )
    from quizzes.results import FULL, review_rows

    rows = review_rows(attempt=attempt, level=FULL)
    assert [row.question.stem for row in rows] == [SEEN, untouched.stem]
    assert rows[0].feedback.correct_answer == ["Yezhov"]


def test_two_revisions_from_stale_copies_both_count():
    question = make_question(stem=SEEN)
    first, second = Question.objects.get(pk=question.pk), Question.objects.get(pk=question.pk)
    curator = make_curator()
    revision.revise(question=first, user=curator, action="question.edit", wording={"stem": LATER})
    revision.revise(
        question=second, user=curator, action="question.edit", wording={"stem": "A third?"}
    )
    question.refresh_from_db()
    assert question.version == 3
    stems = list(QuestionVersion.objects.filter(question=question).values_list("stem", flat=True))
    assert stems == [SEEN, LATER, "A third?"]
    assert second.version == 3  # the caller's copy is brought up to date


def test_a_revision_that_changes_nothing_writes_nothing():
    question = make_question(stem=SEEN)
    changes = revision.revise(
        question=question, user=None, action="question.edit", wording={"stem": SEEN}
    )
    assert changes == {}
    assert not QuestionVersion.objects.exists() and not AuditEntry.objects.exists()
    question.refresh_from_db()
    assert (question.version, question.curator_locked) == (1, False)


@pytest.mark.parametrize(
    ("wording", "reason"),
    [
        (
            {"options": [{"id": "a", "text": "Beria"}, {"id": "b", "text": "beria."}]},
            "two options read the same (“beria.”)",
        ),
        ({"stem": "   "}, "the question text is blank"),
        ({"answer": ["z"]}, "answer must list option ids"),
        ({"options": [{"id": "a", "text": "<b>Beria</b>"}, {"id": "b", "text": "x"}]}, "markup"),
    ],
)
def test_an_invalid_revision_is_refused_and_writes_nothing(wording, reason):
    question = make_question(stem=SEEN)
    with pytest.raises(revision.InvalidQuestion, match=re.escape(reason)):
        revision.revise(question=question, user=None, action="question.edit", wording=wording)
    question.refresh_from_db()
    assert (question.stem, question.version) == (SEEN, 1)
    assert not QuestionVersion.objects.exists() and not AuditEntry.objects.exists()


def test_the_admin_refuses_two_identical_options_with_the_reason(client):
    question = make_question(stem=SEEN)
    curator = make_curator()
    client.force_login(curator)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    options = [{"id": "a", "text": "Yezhov"}, {"id": "b", "text": "Yezhov"}]
    response = client.post(url, _admin_data(question, curator, options=options))
    assert response.status_code == 200
    assert "two options read the same" in response.content.decode()
    question.refresh_from_db()
    assert question.version == 1 and len(question.options) == 3


def test_an_admin_change_to_the_status_alone_is_locked_and_audited_but_no_new_version(client):
    question = make_question(stem=SEEN, status=Question.Status.NEEDS_REVIEW)
    curator = make_curator()
    client.force_login(curator)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = client.post(url, _admin_data(question, curator, status="published"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.version, question.curator_locked) == ("published", 1, True)
    entry = AuditEntry.objects.get(action="question.admin_edit")
    assert entry.changes == {"status": ["needs_review", "published"]}
    assert not QuestionVersion.objects.exists()


def test_the_admin_does_not_let_anyone_type_a_version():
    model_admin = admin.site._registry[Question]
    assert "version" in model_admin.readonly_fields


def test_an_import_that_rewords_a_question_keeps_both_wordings_and_audits_the_change():
    question = make_question(stem=SEEN)
    curator = make_curator()
    preview = import_questions(data=_exported(question, stem=LATER), user=curator)
    assert [item["fingerprint"] for item in preview.updated] == [question.fingerprint]
    question.refresh_from_db()
    assert (question.version, question.curator_locked) == (2, True)
    assert list(question.versions.values_list("version", "stem")) == [(1, SEEN), (2, LATER)]
    entry = AuditEntry.objects.get(action="question.import")
    assert entry.username == curator.username
    assert entry.changes["stem"] == [SEEN, LATER]


def test_an_import_refuses_a_question_with_two_identical_options():
    question = make_question()
    options = [{"id": "a", "text": "Yezhov"}, {"id": "b", "text": " yezhov "}]
    preview = import_questions(
        data=_exported(question, options=options, answer=["a"]), dry_run=True
    )
    assert preview.rejected == [("question 1", "two options read the same (“yezhov”)")]


def test_an_import_reads_the_bank_in_one_query_however_many_questions_it_holds(
    django_assert_num_queries,
):
    def file_of(count: int) -> bytes:
        questions = [make_question() for _ in range(count)]
        document = json.loads(export_questions(questions=questions, fmt="json"))
        assert document["format"] == SCHEMA
        return json.dumps(document).encode()

    small, large = file_of(2), file_of(12)
    with django_assert_num_queries(1):  # the questions it names, all at once
        import_questions(data=small, dry_run=True)
    with django_assert_num_queries(1):
        preview = import_questions(data=large, dry_run=True)
    assert len(preview.unchanged) == 12
