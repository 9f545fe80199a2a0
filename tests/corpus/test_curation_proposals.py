"""The proposals page of the curation pages (corpus/curation_views.py): who may see and
decide, and how it fails."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from corpus.models import AuditEntry, Proposal
from lessons.accounts import CURATORS, ensure_role_groups
from tests.factories import make_passage, make_source, make_user

pytestmark = pytest.mark.django_db


def _proposal(**kwargs) -> Proposal:
    source = kwargs.pop("source", None) or make_source(title="The Anti-Party Group")
    passage = make_passage(source=source, text="Shepilov also sided with them.")
    kwargs.setdefault("slug", f"dmitri-shepilov-{Proposal.objects.count()}")
    kwargs.setdefault("kind", Proposal.Kind.PERSON)
    kwargs.setdefault("name", "Dmitri Shepilov")
    proposal = Proposal.objects.create(source=source, quote=passage.text, **kwargs)
    proposal.passages.add(passage)
    return proposal


def _curator():
    user = make_user(is_staff=True)
    user.groups.add(ensure_role_groups()[CURATORS])
    return user


def test_curator_sees_the_proposals_waiting_with_the_sentence_they_were_found_in(client):
    _proposal()
    _proposal(
        kind=Proposal.Kind.EVENT,
        name="Khrushchev becomes premier",
        date=datetime.date(1958, 3, 27),
        precision="day",
    )
    client.force_login(_curator())
    html = client.get(reverse("curation:proposals")).content.decode()
    assert "Dmitri Shepilov" in html and "Khrushchev becomes premier" in html
    assert "Shepilov also sided with them." in html
    assert 'value="1958-03-27"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2


@pytest.mark.parametrize("count", [1, 12])
def test_proposals_page_runs_in_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    source = make_source()
    for _ in range(count):
        _proposal(source=source)
    client.force_login(_curator())
    client.get(reverse("curation:proposals"))  # warm the session and permission caches
    with django_assert_num_queries(5):
        client.get(reverse("curation:proposals"))


def test_a_student_can_neither_see_nor_decide_proposals(client):
    proposal = _proposal()
    client.force_login(make_user())
    assert client.get(reverse("curation:proposals")).status_code == 403
    response = client.post(
        reverse("curation:proposal_decide", kwargs={"pk": proposal.pk}), {"action": "reject"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
    assert not AuditEntry.objects.exists()


def test_a_decision_without_the_csrf_token_is_refused():
    proposal = _proposal()
    client = Client(enforce_csrf_checks=True)
    client.force_login(_curator())
    response = client.post(
        reverse("curation:proposal_decide", kwargs={"pk": proposal.pk}), {"action": "reject"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_approving_without_a_description_is_a_clear_error_and_changes_nothing(client):
    proposal = _proposal()
    client.force_login(_curator())
    response = client.post(
        reverse("curation:proposal_decide", kwargs={"pk": proposal.pk}),
        {"action": "approve", "name": "Dmitri Shepilov", "description": " "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "give a name (or title) and a description" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
    assert not AuditEntry.objects.exists()


def test_an_unknown_proposal_is_a_404_not_a_500(client):
    client.force_login(_curator())
    response = client.post(
        reverse("curation:proposal_decide", kwargs={"pk": 999}), {"action": "reject"}
    )
    assert response.status_code == 404
