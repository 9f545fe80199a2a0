"""Every model registered in the admin opens for a curator: list, search and add pages."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("root", "root@example.org", "a-long-password-1956")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_open(superuser_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    assert superuser_client.get(changelist, {"q": "Stalin"}).status_code == 200
    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # read-only models refuse adding


def test_thaw_models_are_all_in_the_admin():
    from django.apps import apps

    ours = {
        (m._meta.app_label, m._meta.model_name)
        for app in ("corpus", "quizzes", "lessons")
        for m in apps.get_app_config(app).get_models()
    }
    missing = ours - set(REGISTERED)
    # Through-style rows edited inline on their parent are fine to leave out.
    assert missing <= {
        ("quizzes", "quizitem"),
        ("lessons", "citation"),
        ("lessons", "membership"),
        # Shown inline on their note, glossary term or timeline event.
        ("corpus", "notepassage"),
        # Shown inline on their source-analysis task.
        ("lessons", "taskdocument"),
        ("lessons", "taskstep"),
        ("corpus", "notelessontarget"),
        ("corpus", "referencecitation"),
        # LTI (lessons/lti): curators see platforms on /lti/platforms/, teachers the LMS
        # grades on the gradebook; the links, the score outbox and used nonces are plumbing.
        ("lessons", "courselink"),
        ("lessons", "placement"),
        ("lessons", "lmsscore"),
        ("lessons", "usednonce"),
    }


@pytest.mark.django_db
def test_a_curated_rows_bookkeeping_comes_last_in_its_admin_form(superuser_client):
    html = superuser_client.get(reverse("admin:corpus_glossaryterm_add")).content.decode()
    order = [html.index(f'id="id_{name}') for name in ("slug", "quotes", "curator_edited_at")]
    assert order == sorted(order)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/corpus/timelineevent/", "date__year=-99999999999999999999999"),
        ("/admin/corpus/timelineevent/", "date__year=1956&date__month=99999999999999999999"),
        ("/admin/corpus/auditentry/", "at__year=99999999999999999999999"),
    ],
)
def test_a_date_out_of_any_range_in_the_admin_is_a_bad_query_not_a_500(
    superuser_client, url, query
):
    # Found by the fuzz test: Django catches a ValueError here, not an OverflowError.
    response = superuser_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
