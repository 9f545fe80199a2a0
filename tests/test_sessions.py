"""Sessions are read from a cache that every worker process shares (config/settings.py).

The test suite runs with an in-memory cache (tests/conftest.py); these tests put the
production cache back, in a temporary folder, and play a second gunicorn worker by
building a cache object of their own from the same settings, as that process would.
"""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import settings as project_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_cache(settings, tmp_path):
    config = {**project_settings.CACHES["default"], "LOCATION": str(tmp_path)}
    settings.CACHES = {"default": config}
    # What another worker process has: its own cache object over the same files.
    return FileBasedCache(config["LOCATION"], config)


@pytest.fixture
def sasha(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


def test_a_session_is_served_from_the_shared_cache_without_a_query(client, sasha, production_cache):
    client.force_login(sasha)
    key = client.cookies["sessionid"].value
    assert production_cache.get(KEY_PREFIX + key) is not None
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("quizzes:review_detail"))
    assert response.status_code == 200 and response.context["user"] == sasha
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_logout_in_one_worker_ends_the_session_in_every_worker(client, sasha, production_cache):
    client.force_login(sasha)
    key = client.cookies["sessionid"].value
    copied = Client()  # the same cookie in a second browser (or a copied one)
    copied.cookies["sessionid"] = key
    assert copied.get(reverse("quizzes:review_detail")).status_code == 200

    assert client.post(reverse("logout")).status_code == 302

    assert production_cache.get(KEY_PREFIX + key) is None
    response = copied.get(reverse("quizzes:review_detail"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_missing_from_the_cache_is_read_from_the_database(
    client, sasha, production_cache
):
    client.force_login(sasha)
    production_cache.clear()  # evicted, or the cache folder was emptied
    response = client.get(reverse("quizzes:review_detail"))
    assert response.status_code == 200
    assert response.context["user"] == sasha
