"""The audit log: who changed what, when, and the page curators read it on."""

import pytest
from django.urls import reverse

from corpus.models import AuditEntry
from corpus.plumbing.audit import record
from lessons.accounts import CURATORS, ensure_role_groups
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_and_the_changes():
    user = make_user(username="konstantin")
    source = make_source(title="Congressional Record")
    entry = record(
        user=user, action="source.errata", obj=source, changes={"old": "lie", "new": "he"}
    )
    entry.refresh_from_db()
    assert (entry.user, entry.username, entry.action) == (user, "konstantin", "source.errata")
    assert (entry.object_type, entry.object_id) == ("corpus.Source", str(source.pk))
    assert entry.object_label == "Congressional Record"
    assert entry.changes == {"old": "lie", "new": "he"}


def test_the_username_outlives_a_deleted_user():
    user = make_user(username="gone")
    entry = record(user=user, action="bank.import", changes={"added": 2})
    user.delete()
    entry.refresh_from_db()
    assert entry.user is None and entry.username == "gone"


def test_audit_page_is_paginated_newest_first_and_for_curators_only(client):
    for n in range(60):
        record(user=None, action=f"action.{n}")
    student = make_user()
    client.force_login(student)
    assert client.get(reverse("curation:audit")).status_code == 403
    curator = make_user(is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    first = client.get(reverse("curation:audit")).content.decode()
    assert "action.59" in first and "action.9<" not in first and "Page 1 of 2" in first
    second = client.get(reverse("curation:audit"), {"page": 2}).content.decode()
    assert "action.0<" in second
    assert AuditEntry.objects.count() == 60
