import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

# No per-example deadline: two cores shared with a browser and a server make timings noisy.
# In CI the examples are derandomised, so a run is reproducible and a red run is a real bug
# found before (run `pytest` locally to keep exploring new examples).
hypothesis_settings.register_profile("thaw", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "thaw")

# pytest-django refuses the database to a test without the django_db mark or a fixture
# built on `django_db_setup` (db, transactional_db, client fixtures with users...), so
# such a test does the same on every engine. `make test-postgres` leaves these out
# (-m "not no_database"): they ran on SQLite. A test whose servers use the suite's
# DATABASE_URL says so with the `uses_database` mark.
DATABASE_FIXTURES = {"django_db_setup", "live_server"}


def uses_database(item: pytest.Item) -> bool:
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("uses_database") is not None
        or not DATABASE_FIXTURES.isdisjoint(item.fixturenames)
    )


@pytest.hookimpl(tryfirst=True)  # before -m selects on the mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not uses_database(item):
            item.add_marker(pytest.mark.no_database)


def suite_settings() -> dict[str, object]:
    """What every test runs with in place of production's settings (the reasons beside
    each); also for data a module-scoped fixture builds before any test runs."""
    return {
        # The manifest storage needs `collectstatic`; tests render templates
        # without it, so they use the plain storage (what DEBUG uses).
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # A fast hasher: tests log in hundreds of times; the real one is tested by Django.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Django's test client authenticates without a request, which django-axes refuses;
        # the throttling itself is tested in tests/test_login_throttling.py.
        "AUTHENTICATION_BACKENDS": ["django.contrib.auth.backends.ModelBackend"],
        # One process: an in-memory cache, emptied per test, instead of the files in VAR_DIR
        # that production shares between workers (and test runs would share between them).
        # Sessions still read from it, so query counts are what a server runs.
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    }


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    for name, value in suite_settings().items():
        setattr(settings, name, value)
    caches["default"].clear()
