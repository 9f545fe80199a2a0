"""The review queue: who may use it, filters, decisions, edits, versions, bulk actions."""

import pytest
from django.urls import reverse

from corpus.models import AuditEntry
from lessons.accounts import CURATORS, TEACHERS, ensure_role_groups
from lessons.models import Citation
from quizzes import curation, revision
from quizzes.models import ItemStatistics, ProblemReport, Question, QuestionVersion
from tests.factories import (
    make_finished_attempt,
    make_module,
    make_passage,
    make_question,
    make_quiz,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db


def make_curator(**kwargs):
    user = make_user(is_staff=True, **kwargs)
    user.groups.add(ensure_role_groups()[CURATORS])
    return user


@pytest.fixture
def curator_client(client):
    client.force_login(make_curator())
    return client


CURATOR_GETS = [
    ("curation:queue", {}),
    ("curation:edit", {"pk": 0}),
    ("curation:reports", {}),
    ("curation:export", {}),
    ("curation:import", {}),
    ("curation:audit", {}),
    ("curation:sources", {}),
    ("curation:source", {"slug": "SRC"}),
    ("curation:reference", {"which": "glossary"}),
]
CURATOR_POSTS = [
    ("curation:status", {"pk": 0}),
    ("curation:edit", {"pk": 0}),
    ("curation:accept_passage", {"pk": 0}),
    ("curation:bulk", {}),
    ("curation:recompute", {}),
    ("curation:resolve", {"pk": 0}),
    ("curation:import", {}),
    ("curation:import_confirm", {}),
    ("curation:source_upload", {}),
    ("curation:source", {"slug": "SRC"}),
    ("curation:source_regenerate", {"slug": "SRC"}),
    ("curation:reference", {"which": "glossary"}),
]


def _url(name, kwargs, question, report):
    filled = {}
    for key, value in kwargs.items():
        if key == "pk":
            filled[key] = report.pk if name == "curation:resolve" else question.pk
        elif key == "slug":
            filled[key] = question.source.slug
        else:
            filled[key] = value
    return reverse(name, kwargs=filled)


@pytest.mark.parametrize("role", ["student", "teacher", "anonymous"])
def test_students_and_teachers_get_403_on_every_curation_page_and_action(client, role):
    question = make_question(status=Question.Status.NEEDS_REVIEW)
    report = ProblemReport.objects.create(question=question, reason="typo")
    if role != "anonymous":
        user = make_user()
        if role == "teacher":
            user.groups.add(ensure_role_groups()[TEACHERS])
        client.force_login(user)
    for name, kwargs in CURATOR_GETS:
        assert client.get(_url(name, kwargs, question, report)).status_code == 403, name
    for name, kwargs in CURATOR_POSTS:
        response = client.post(_url(name, kwargs, question, report), {"status": "published"})
        assert response.status_code == 403, name
    question.refresh_from_db()
    assert question.status == Question.Status.NEEDS_REVIEW
    assert not AuditEntry.objects.exists()


def test_curator_opens_every_curation_page(curator_client):
    question = make_question()
    report = ProblemReport.objects.create(question=question, reason="typo")
    for name, kwargs in CURATOR_GETS:
        assert curator_client.get(_url(name, kwargs, question, report)).status_code == 200, name


def test_queue_row_shows_stem_key_highlighted_passage_generator_and_score(curator_client):
    make_question(
        stem="Who signed the directive of 1 December 1934?",
        options=[{"id": "a", "text": "Yenukidze"}, {"id": "b", "text": "Kirov"}],
        answer=["a"],
        explanation_quote="the Secretary of the Presidium, Yenukidze, signed",
        highlight_start=32,
        highlight_end=41,
        generator="cloze_name",
        quality_score=0.83,
    )
    html = curator_client.get(reverse("curation:queue"), {"status": ""}).content.decode()
    assert "Who signed the directive of 1 December 1934?" in html
    assert 'class="is-key">Yenukidze <span class="key-mark">✓ key</span>' in html
    assert "<mark>Yenukidze</mark>" in html
    assert "cloze_name v0" in html and "score 0.83" in html


def test_queue_filters_by_status_type_source_score_passages_and_flags():
    passage = make_passage()
    wanted = make_question(passage=passage, status="needs_review", quality_score=0.6)
    make_question(status="needs_review", quality_score=0.6)
    make_question(passage=passage, status="published", quality_score=0.6)
    make_question(passage=passage, status="needs_review", quality_score=0.9)

    def ids(**filters):
        return {q.pk for q in curation.filter_queue(filters=curation.QueueFilters(**filters))}

    assert ids(status="needs_review", source=passage.source.slug, score_max=0.7) == {wanted.pk}
    assert ids(status="needs_review", passages=[passage.pk], score_min=0.5, score_max=0.7) == {
        wanted.pk
    }
    ProblemReport.objects.create(question=wanted, reason="typo")
    assert ids(flag="reported") == {wanted.pk}
    ItemStatistics.objects.create(
        question=wanted,
        responses=30,
        facility=0.1,
        low_facility=True,
        computed_at="2026-01-01T00:00Z",
    )
    assert ids(flag="low_facility") == {wanted.pk}
    assert ids(flag="high_facility") == set()


def test_publish_with_htmx_returns_the_row_locked_and_audited(curator_client):
    question = make_question(status=Question.Status.NEEDS_REVIEW)
    response = curator_client.post(
        reverse("curation:status", kwargs={"pk": question.pk}),
        {"status": "published"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="q-{question.pk}"' in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED and question.curator_locked
    entry = AuditEntry.objects.get()
    assert entry.action == "question.published" and entry.object_id == str(question.pk)


def test_retire_without_javascript_redirects_back_to_the_filtered_queue(curator_client):
    question = make_question()
    back = reverse("curation:queue") + "?status=published"
    response = curator_client.post(
        reverse("curation:status", kwargs={"pk": question.pk}), {"status": "retired", "next": back}
    )
    assert response.status_code == 302 and response.url == back
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED


def test_next_parameter_never_redirects_off_site(curator_client):
    question = make_question()
    response = curator_client.post(
        reverse("curation:status", kwargs={"pk": question.pk}),
        {"status": "retired", "next": "https://evil.example/"},
    )
    assert response.url == reverse("curation:queue")


def test_edit_makes_a_new_version_keeps_the_old_one_and_locks_the_question(curator_client):
    question = make_question(stem="Old stem with a typpo?", explanation="Old.")
    response = curator_client.post(
        reverse("curation:edit", kwargs={"pk": question.pk}),
        {
            "stem": "New stem without a typo?",
            "option_a": "Yezhov",
            "option_b": "Yagoda",
            "option_c": "Beria",
            "key": "b",
            "explanation": "New.",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "New stem without a typo?" in response.content.decode()
    question.refresh_from_db()
    assert (question.version, question.answer, question.curator_locked) == (2, ["b"], True)
    versions = {v.version: v for v in QuestionVersion.objects.filter(question=question)}
    assert versions[1].stem == "Old stem with a typpo?" and versions[1].answer == ["a"]
    assert versions[2].stem == "New stem without a typo?"
    entry = AuditEntry.objects.get(action="question.edit")
    assert entry.changes["stem"] == ["Old stem with a typpo?", "New stem without a typo?"]


def test_an_edit_with_markup_or_empty_option_is_refused_and_changes_nothing(curator_client):
    question = make_question(stem="Stem?")
    response = curator_client.post(
        reverse("curation:edit", kwargs={"pk": question.pk}),
        {
            "stem": "<script>alert(1)</script>",
            "option_a": "x",
            "option_b": "y",
            "option_c": "z",
            "key": "a",
        },
    )
    assert response.status_code == 400
    assert "markup is not allowed" in response.content.decode()
    question.refresh_from_db()
    assert question.stem == "Stem?" and question.version == 1
    assert not QuestionVersion.objects.exists()


def test_a_response_shows_the_version_its_student_answered():
    question = make_question(stem="What the student saw?")
    student = make_user()
    attempt = make_finished_attempt(
        quiz=make_quiz(questions=[question]), user=student, results=[(question, True)]
    )
    curation.edit_question(
        question=question,
        user=make_curator(),
        stem="What a curator wrote later?",
        options=question.options,
        answer=question.answer,
        explanation="",
    )
    response = attempt.responses.select_related("question").get()
    assert response.question_version == 1
    assert revision.version_for(response=response).stem == "What the student saw?"


def test_bulk_publish_asks_for_confirmation_with_the_count_then_publishes(curator_client):
    passage = make_passage()
    for _ in range(12):
        make_question(passage=passage, status=Question.Status.NEEDS_REVIEW)
    make_question(status=Question.Status.NEEDS_REVIEW)
    url = reverse("curation:bulk") + f"?source={passage.source.slug}&status=needs_review"
    confirm = curator_client.post(url, {"action": "published"})
    assert "Publish 12 questions?" in confirm.content.decode()
    assert Question.objects.filter(status="published").count() == 0
    done = curator_client.post(url, {"action": "published", "confirm": "on"})
    assert done.status_code == 302
    assert Question.objects.filter(status="published", curator_locked=True).count() == 12
    assert AuditEntry.objects.get().changes["count"] == 12


def test_queue_shows_open_report_counts(curator_client):
    question = make_question()
    for _ in range(3):
        ProblemReport.objects.create(question=question, reason="typo")
    queue = curator_client.get(reverse("curation:queue"), {"status": ""}).content.decode()
    assert "3 open reports" in queue


def test_the_queue_opens_on_what_needs_review_and_any_status_is_one_choice_away(
    curator_client,
):
    waiting = make_question(status=Question.Status.NEEDS_REVIEW)
    published = make_question(status=Question.Status.PUBLISHED)
    opened = curator_client.get(reverse("curation:queue")).content.decode()
    assert f'id="q-{waiting.pk}"' in opened and f'id="q-{published.pk}"' not in opened
    assert '<option value="needs_review" selected>' in opened
    # The bulk action offered acts on the rows shown, not on the whole bank.
    assert "Publish all 1…" in opened and "status=needs_review" in opened
    everything = curator_client.get(reverse("curation:queue"), {"status": ""}).content.decode()
    assert f'id="q-{waiting.pk}"' in everything and f'id="q-{published.pk}"' in everything


def _bank(size):
    passage = make_passage()
    Question.objects.bulk_create(
        Question(
            type=Question.Type.CLOZE_NAME,
            stem=f"Question {n}?",
            options=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
            answer=["a"],
            passage=passage,
            source=passage.source,
            fingerprint=f"bulk-{n}",
            status=Question.Status.NEEDS_REVIEW,
        )
        for n in range(size)
    )


@pytest.mark.parametrize("size", [60, 5000])
def test_queue_renders_in_a_constant_number_of_queries(client, django_assert_num_queries, size):
    _bank(size)
    client.force_login(make_curator())
    # user, user permissions, group permissions, sources and lessons for the filters,
    # count, the page of rows (with passage, source, statistics and report counts); the
    # session comes from the cache.
    with django_assert_num_queries(7):
        response = client.get(reverse("curation:queue"), {"page": "2"})
    assert response.status_code == 200
    assert response.content.decode().count('class="queue-row') == curation.PAGE_SIZE


def test_queue_filters_to_the_passages_one_lesson_cites(client):
    cited, elsewhere, uncited = make_passage(), make_passage(), make_passage()
    in_lesson = make_question(passage=cited, status=Question.Status.NEEDS_REVIEW)
    by_extra_citation = make_question(passage=uncited, status=Question.Status.NEEDS_REVIEW)
    by_extra_citation.extra_citations.add(cited)
    outside = make_question(passage=elsewhere, status=Question.Status.NEEDS_REVIEW)
    module = make_module(slug="the-leak", title="The leak to the West", ordinal=2)
    Citation.objects.create(
        section=make_section(module=module),
        kind=Citation.Kind.NOTE,
        index=1,
        passage=cited,
        source_slug=cited.source.slug,
        quote=cited.text[:40],
    )
    make_module(slug="empty", title="Nothing cited yet", ordinal=3)
    client.force_login(make_curator())

    page = client.get(reverse("curation:queue")).content.decode()
    assert "Lesson 2: The leak to the West" in page  # offered as a choice
    shown = client.get(reverse("curation:queue"), {"group": "module:the-leak"}).content.decode()
    assert f'id="q-{in_lesson.pk}"' in shown
    assert f'id="q-{by_extra_citation.pk}"' in shown
    assert f'id="q-{outside.pk}"' not in shown
    # A lesson that cites nothing matches nothing (not everything).
    empty = client.get(reverse("curation:queue"), {"group": "module:empty"}).content.decode()
    assert "queue-row" not in empty
    # A lesson that no longer exists is a form error, not a 500.
    gone = client.get(reverse("curation:queue"), {"group": "module:gone"})
    assert gone.status_code == 200 and "form-error" in gone.content.decode()


def test_passage_text_change_sends_citing_questions_back_to_review():

    from django.utils import timezone

    passage = make_passage()
    published = make_question(passage=passage)
    retired = make_question(passage=passage, status=Question.Status.RETIRED)
    other = make_question()
    assert curation.flag_changed_passages() == 0
    passage.text_changed_at = timezone.now()
    passage.save()
    assert curation.flag_changed_passages() == 1
    published.refresh_from_db()
    retired.refresh_from_db()
    other.refresh_from_db()
    assert published.status == Question.Status.NEEDS_REVIEW
    assert published.review_reason == curation.PASSAGE_CHANGED
    assert retired.status == Question.Status.RETIRED and other.status == Question.Status.PUBLISHED
    # Flagged once: the next run leaves the curator's decision alone.
    assert curation.flag_changed_passages() == 0
