"""Curators edit editorial notes and reference works in the app: checked, audited, kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corpus.models import AuditEntry, EditorialDeletion, EditorialNote, ReferenceWork
from lessons.accounts import CURATORS, ensure_role_groups
from tests.factories import (
    make_module,
    make_note,
    make_passage,
    make_reference_work,
    make_section,
    make_source,
    make_teacher,
    make_term,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = make_user(username="kostya", is_staff=True)
    user.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(user)
    return client


@pytest.fixture
def world():
    speech = make_source(slug="speech", title="The speech")
    passage = make_passage(
        source=speech, key="deport", text="At the end of October, 1943, they were deported."
    )
    work = make_reference_work(slug="taubman-2003", authors=["William Taubman"], title="Khrushchev")
    term = make_term(slug="karachai", name="Karachai")
    return {"speech": speech, "passage": passage, "work": work, "term": term}


def note_data(**changes) -> dict:
    data = {
        "slug": "deportation-dates",
        "kind": "correction",
        "title": "The speech misdates the deportations",
        "body": "The speech says the end of October.\n\nIt was 2 November 1943.",
        "targets": '{ passage = { source = "speech", quote = "the end of October, 1943" } }\n{ term = "karachai" }',
        "references": '{ work = "taubman-2003", at = "p. 283" }',
        "passages": "",
        "claim": "According to the speech, they were deported at the end of October 1943.",
        "correct": "They were deported on 2 November 1943.",
        "positions": "",
    }
    return {**data, **changes}


def test_a_curator_creates_a_note_that_is_checked_linked_marked_and_audited(curator, world):
    response = curator.post(reverse("curation:editorial:note_add"), note_data())
    assert response.status_code == 302 and response["Location"] == reverse(
        "curation:editorial:notes"
    )
    note = EditorialNote.objects.for_display().get(slug="deportation-dates")
    assert [link.passage for link in note.target_links] == [world["passage"]]
    assert list(note.terms.all()) == [world["term"]]
    assert [(c.work, c.at) for c in note.references] == [(world["work"], "p. 283")]
    assert note.curator_edited_at is not None and note.file == "curated"
    entry = AuditEntry.objects.get(action="note.create")
    assert entry.username == "kostya" and entry.object_label == note.title
    assert entry.changes["title"] == [None, "The speech misdates the deportations"]
    # And readers see it at once, beside its passage.
    html = curator.get(world["speech"].get_absolute_url()).content.decode()
    assert "The speech misdates the deportations" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"targets": '{ passage = { source = "speech", quote = "the middle of May" } }'},
            "no current passage of &#x27;speech&#x27; contains &#x27;the middle of May&#x27;",
        ),
        ({"references": "", "passages": ""}, "is a correction but cites no reference work"),
        (
            {"references": '{ work = "nobody-1999", at = "p. 1" }'},
            "no reference work &#x27;nobody-1999&#x27;",
        ),
        ({"targets": '{ term = "chechens" }'}, "no glossary term &#x27;chechens&#x27;"),
        ({"targets": "{ passage = speech }"}, "Line 1 of targets is not an inline table"),
        ({"kind": "context"}, "has claim or correct, which only a correction may have"),
        (
            {"targets": '{ lesson = "no-such-lesson", quote = "A sentence." }'},
            "no lesson &#x27;no-such-lesson&#x27;",
        ),
        ({"slug": "new"}, "cannot be a slug"),
    ],
)
def test_a_bad_note_is_refused_with_a_readable_reason_and_nothing_saved(
    curator, world, changes, message
):
    response = curator.post(reverse("curation:editorial:note_add"), note_data(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved." in html
    assert not EditorialNote.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_note_on_a_lesson_sentence_is_checked_against_the_lesson(curator, world):
    module = make_module(slug="the-speech")
    make_section(module=module, body="The Karachai were deported in 1943. Nobody said so.")
    targets = '{ lesson = "the-speech", quote = "The Karachai were deported in 1943." }'
    assert (
        curator.post(reverse("curation:editorial:note_add"), note_data(targets=targets)).status_code
        == 302
    )
    targets = '{ lesson = "the-speech", quote = "The Chechens were deported." }'
    response = curator.post(
        reverse("curation:editorial:note_add"), note_data(slug="other", targets=targets)
    )
    assert response.status_code == 400
    assert "has no sentence" in response.content.decode()


def test_editing_a_note_shows_its_file_form_and_audits_what_changed(curator, world):
    curator.post(reverse("curation:editorial:note_add"), note_data())
    url = reverse("curation:editorial:note_edit", kwargs={"slug": "deportation-dates"})
    page = curator.get(url).content.decode()
    assert (
        "{ passage = { source = &quot;speech&quot;, quote = &quot;the end of October, 1943&quot; } }"
        in page
    )
    response = curator.post(
        url, note_data(title="When were the Karachai deported?", slug="ignored")
    )
    assert response.status_code == 302
    note = EditorialNote.objects.get()
    assert note.slug == "deportation-dates"  # the slug field is fixed once made
    assert note.title == "When were the Karachai deported?"
    entry = AuditEntry.objects.get(action="note.edit")
    assert entry.changes == {
        "title": ["The speech misdates the deportations", "When were the Karachai deported?"]
    }


def test_deleting_a_note_is_confirmed_remembered_and_audited(curator, world):
    note = make_note(slug="gone-note", on=[world["passage"]], references=[(world["work"], "p. 1")])
    url = reverse("curation:editorial:note_delete", kwargs={"slug": note.slug})
    assert "Delete note" in curator.get(url).content.decode()
    assert curator.post(url).status_code == 302
    assert not EditorialNote.objects.exists()
    assert EditorialDeletion.objects.filter(what="note", slug="gone-note").exists()
    assert AuditEntry.objects.get(action="note.delete").changes["slug"] == ["gone-note", None]


def test_a_curator_creates_and_edits_a_reference_work(curator, world):
    data = {
        "slug": "kramer-1998",
        "kind": "article",
        "authors": "Mark Kramer",
        "title": "The Soviet Union and the 1956 Crises",
        "container": "Journal of Contemporary History",
        "volume": "33",
        "issue": "2",
        "year": "1998",
        "pages": "163–214",
        "doi": "10.1177/002200949803300202",
    }
    assert curator.post(reverse("curation:editorial:work_add"), data).status_code == 302
    work = ReferenceWork.objects.get(slug="kramer-1998")
    assert work.authors == ["Mark Kramer"] and work.curator_edited_at is not None
    url = reverse("curation:editorial:work_edit", kwargs={"slug": "kramer-1998"})
    assert curator.post(url, {**data, "pages": "163–215"}).status_code == 302
    assert AuditEntry.objects.get(action="work.edit").changes == {"pages": ["163–214", "163–215"]}
    bad = curator.post(
        reverse("curation:editorial:work_add"), {**data, "slug": "x-1", "date": "June 1956"}
    )
    assert bad.status_code == 400 and "not an ISO date" in bad.content.decode()


def test_a_cited_work_cannot_be_deleted_and_the_page_says_by_what(curator, world):
    make_note(slug="citing-note", on=[world["passage"]], references=[(world["work"], "p. 1")])
    url = reverse("curation:editorial:work_delete", kwargs={"slug": "taubman-2003"})
    assert "note &#x27;citing-note&#x27;" in curator.get(url).content.decode()
    response = curator.post(url)
    assert response.status_code == 400
    assert ReferenceWork.objects.filter(slug="taubman-2003").exists()
    assert not AuditEntry.objects.exists()


def test_a_work_cited_by_a_lesson_cannot_be_deleted(curator, world):
    make_section(module=make_module(), body='Said.[^ref:taubman-2003: "p. 4"]')
    response = curator.post(
        reverse("curation:editorial:work_delete", kwargs={"slug": "taubman-2003"})
    )
    assert response.status_code == 400
    assert "cited by 1 citations in Lessons" in response.content.decode()
    assert ReferenceWork.objects.filter(slug="taubman-2003").exists()
    assert not EditorialDeletion.objects.exists() and not AuditEntry.objects.exists()


def test_an_unused_work_is_deleted_and_audited(curator, world):
    url = reverse("curation:editorial:work_delete", kwargs={"slug": "taubman-2003"})
    assert curator.post(url).status_code == 302
    assert not ReferenceWork.objects.exists()
    assert AuditEntry.objects.get(action="work.delete").object_label == "Taubman, Khrushchev"


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_students_and_teachers_cannot_see_or_change_notes_or_works(client, world, who):
    user = make_teacher(username="t") if who == "teacher" else make_user(username="s")
    client.force_login(user)
    note = make_note(slug="kept", on=[world["passage"]], references=[(world["work"], "p. 1")])
    for name, kwargs in [
        ("curation:editorial:notes", {}),
        ("curation:editorial:works", {}),
        ("curation:editorial:note_edit", {"slug": note.slug}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert client.post(reverse("curation:editorial:note_add"), note_data()).status_code == 403
    assert (
        client.post(reverse("curation:editorial:note_delete", kwargs={"slug": "kept"})).status_code
        == 403
    )
    assert (
        client.post(
            reverse("curation:editorial:work_delete", kwargs={"slug": "taubman-2003"})
        ).status_code
        == 403
    )
    assert list(EditorialNote.objects.values_list("slug", flat=True)) == ["kept"]
    assert ReferenceWork.objects.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_the_lists_run_a_fixed_number_of_queries(curator, world, django_assert_num_queries, count):
    for n in range(count):
        make_note(on=[world["passage"]], references=[(world["work"], f"p. {n}")])
        make_reference_work()
    # session user, permissions (group and user), the rows
    with django_assert_num_queries(4):
        assert curator.get(reverse("curation:editorial:notes")).status_code == 200
    with django_assert_num_queries(4):
        assert curator.get(reverse("curation:editorial:works")).status_code == 200


def test_a_line_no_toml_reader_can_take_is_a_form_error(curator, world):
    for line in ["{ at = " + "9" * 5000 + " }", "[" * 3000 + "]" * 3000]:
        response = curator.post(reverse("curation:editorial:note_add"), note_data(references=line))
        assert response.status_code == 400
        assert "Line 1 of references is not an inline table" in response.content.decode()
    assert not EditorialNote.objects.exists()
