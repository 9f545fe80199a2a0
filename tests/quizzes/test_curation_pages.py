"""What curators read (issue 16 part 4): an edit refused with the validator's reason, an
audit log of fields before and after (not a Python dict), and when statistics flag."""

import pytest
from django.urls import reverse
from django.utils import timezone

from corpus.plumbing import audit
from quizzes import curation
from quizzes.models import ItemStatistics, Question
from tests.factories import make_question
from tests.quizzes.test_curation import make_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = make_curator()
    client.force_login(user)
    return user


def _edit(client, question, **fields):
    data = {
        "stem": question.stem,
        **{f"option_{o['id']}": o["text"] for o in question.options},
        "key": question.answer[0],
        **fields,
    }
    return client.post(reverse("curation:edit", kwargs={"pk": question.pk}), data)


def test_an_edit_giving_two_options_the_same_text_is_refused_with_the_reason(client, curator):
    question = make_question()
    response = _edit(client, question, option_b="Yezhov ")
    assert response.status_code == 400
    assert "two options read the same (“Yezhov”)" in response.content.decode()
    question.refresh_from_db()
    assert question.version == 1 and question.options[1]["text"] == "Yagoda"


def test_an_edit_blanking_the_stem_is_refused(client, curator):
    question = make_question()
    response = _edit(client, question, stem="   ")
    assert response.status_code in (200, 400)  # the form's own "required", or the validator
    question.refresh_from_db()
    assert question.stem.strip() and question.version == 1


def test_the_audit_log_shows_each_field_before_and_after_not_a_dict(client, curator):
    question = make_question(stem="Which name completes the old sentence?")
    assert _edit(client, question, stem="Which name completes the new sentence?").status_code == 302
    curation.set_status(question=question, user=curator, status=Question.Status.RETIRED)
    page = client.get(reverse("curation:audit")).content.decode()
    assert "<dt>Stem</dt>" in page
    assert "<del>Which name completes the old sentence?</del>" in page
    assert "<ins>Which name completes the new sentence?</ins>" in page
    assert "<del>published</del>" in page and "<ins>retired</ins>" in page
    assert "{&#x27;" not in page and "[&#x27;" not in page  # no Python repr left


def test_change_lines_read_options_ids_and_details():
    options = [{"id": "a", "text": "Yezhov"}, {"id": "b", "text": "Yagoda"}]
    lines = audit.change_lines(
        {
            "options": [options, [{**options[0], "text": "Beria"}, options[1]]],
            "question_ids": [3, 4],
            "count": 2,
            "status": [None, "published"],
        }
    )
    assert [(line.field, line.before, line.after) for line in lines] == [
        ("Options", "a. Yezhov · b. Yagoda", "a. Beria · b. Yagoda"),
        ("Question ids", None, "3 · 4"),  # a list of ids, not a before and after
        ("Count", None, "2"),
        ("Status", "—", "published"),
    ]
    many = audit.change_lines({"question_ids": list(range(30))})[0]
    assert many.after.endswith("… (30 in all)")
    assert audit.change_lines({"old": "x" * 500})[0].is_long


def test_the_queue_says_from_how_many_responses_flags_appear(client, curator):
    question = make_question(status=Question.Status.NEEDS_REVIEW)
    ItemStatistics.objects.create(
        question=question, responses=5, facility=0.1, computed_at=timezone.now()
    )
    page = client.get(reverse("curation:queue")).content.decode()
    assert "only once it has 20 responses" in page
    assert "no flags before 20 responses" in page  # on the question with 5
