import os

import pytest
from _pytest.nodeid import NodeId
from django.conf import settings as django_settings
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

# No per-example deadline: two cores shared with a browser and a server make timings noisy.
# In CI the examples are derandomised, so a run is reproducible and a red run is a real bug
# found before (run `pytest` locally to keep exploring new examples).
hypothesis_settings.register_profile("thaw", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "thaw")

# The browser tests drive Chromium through Playwright's sync API, which keeps an event loop
# running in the test process from the first browser test to the end of the session;
# Django then refuses every later database call in that process as "async". Nothing here
# runs async (the app is WSGI; the browser talks to its own server process), so the suite
# sets the switch Django's async-safety check provides for such environments (Django's
# "Asynchronous support" docs). Without it a database test scheduled after the browser
# suite in the same process (make test's slow-first order) fails before it starts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


def shared_setup(item: pytest.Item) -> str | None:
    """Where the widest of the item's own fixtures built once per module or per process is
    defined (a test module, or a conftest's folder such as tests/browser), if it has one."""
    places = [
        fixturedefs[-1].baseid
        for fixturedefs in item._fixtureinfo.name2fixturedefs.values()
        if fixturedefs[-1].scope != "function" and fixturedefs[-1].baseid
    ]
    return min(places, key=len) if places else None


def _join_group(item: pytest.Item, group: str) -> None:
    item.add_marker(pytest.mark.xdist_group(group))
    # pytest-xdist 3.8 tells its scheduler an item's group by appending "@group" to the
    # item's nodeid, which pytest 9.2's structured node ids silently ignore, so the mark
    # alone groups nothing (pytest-dev/pytest-xdist#1386); until a release fixes it, the
    # suffix is set here, as xdist set it with earlier pytest.
    if "@" not in item.nodeid.rpartition("]")[2]:
        item._id = NodeId.parse(f"{item.nodeid}@{group}")


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    flags = ("transaction", "reset_sequences")
    return "transactional_db" in item.fixturenames or bool(
        marker and any(marker.kwargs.get(flag) for flag in flags)
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    # Before every other plugin: -m selects on no_database, xdist reads the groups.
    for item in items:
        if not uses_database(item):
            item.add_marker(pytest.mark.no_database)
    balancing = getattr(config.option, "loadgroup", False)  # set in xdist workers
    # make test runs `-n 2 --dist loadgroup --no-loadscope-reorder`: each test is a unit a
    # free worker takes, but the tests that share a fixture built once per module or per
    # process (the browser suite's server, the real bank, the permissions matrix's world)
    # are one unit, so one worker builds it once.
    if balancing:
        for item in items:
            if place := shared_setup(item):
                _join_group(item, place)
    result = yield
    # After pytest-django has put the transactional tests after the others: the slow tests
    # go first, the units sharing a setup first of all, so no long test starts late and
    # leaves the other core idle at the end.
    if balancing:
        items.sort(
            key=lambda item: (
                item.get_closest_marker("slow") is None or _transactional(item),
                shared_setup(item) is None,
            )
        )
    return result


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
