"""A shared cache (Redis, CACHE_URL) that stops answering: the 503 page, not a 500.

With several app servers the session is read from Redis first (docs/deployment.md). While
Redis does not answer, the app cannot tell who is logged in and does not guess: the
student gets the page that says to try again in a minute, and nothing is written.
"""

import pytest
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_a_cache_that_does_not_answer_gives_the_try_again_page(settings, caplog):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user())
    assert browser.get("/dashboard/").status_code == 200

    settings.CACHES = DEAD_REDIS
    page = browser.get("/dashboard/")
    assert page.status_code == 503
    assert page["Retry-After"] == "60"
    assert "Please try again in a minute" in page.content.decode()
    assert "The shared cache did not answer" in caplog.text


def test_an_htmx_request_gets_the_message_in_the_page(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user())
    settings.CACHES = DEAD_REDIS
    fragment = browser.get("/dashboard/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200  # htmx swaps only 2xx: retargeted into the page
    assert fragment["HX-Retarget"] == "#main"
    assert "Please try again in a minute" in fragment.content.decode()
