"""The permissions matrix (issue #6): every URL × six roles, requested, and docs/permissions.md.

The matrix lives in tests/reliability/permissions_data.py. Each cell comes as its role,
requests the URL with the method(s) the view takes, and checks the outcome; a refused cell
must leak none of the world's private text and change nothing in the database, and an
allowed POST must change the database exactly for the roles the row says. The world is
built once for the module; every cell runs in its own transaction, rolled back after it.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse

from tests.reliability import permissions_data as matrix
from tests.reliability.figures import record

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
WRITE_DOC = "THAW_WRITE_PERMISSIONS_DOC"

# Every table a view could change; Permission rows are fixed by migrations.
SNAPSHOT_APPS = {"corpus", "quizzes", "lessons", "auth"}
NOT_SNAPSHOTTED = {"auth.Permission"}

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"  # as tests/conftest.py

TALLY = {
    "cells": 0,
    "passed": 0,
    "requests": 0,
    "refused": 0,
    "refused_requests": 0,
    "wrong_method": 0,
    "writes_checked": 0,
}


CELLS = [
    pytest.param(row, role, id=f"{row.id}-{role}") for row in matrix.MATRIX for role in matrix.ROLES
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Built once, inside a transaction that is rolled back when the module is done; each
    # cell's own transaction (pytest-django) nests inside it as a savepoint.
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        transaction.atomic(),
    ):
        built = matrix.build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def sessions(world) -> dict[str, str]:
    """A session per role, made once: a cell sends its cookie instead of logging in again
    (a cell that logs out or changes its session has that rolled back with the rest)."""
    keys = {}
    for role, user in world.users.items():
        browser = Client()
        browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        keys[role] = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    return keys


@pytest.fixture(scope="module")
def corpus_data_dir(tmp_path_factory):
    # The curation pages edit files under CORPUS_DATA_DIR: give them a copy to edit.
    target = tmp_path_factory.mktemp("corpus-data")
    source = Path(django_settings.CORPUS_DATA_DIR)
    for name in ("glossary.toml", "timeline.toml"):
        shutil.copy(source / name, target / name)
    (target / "errata").mkdir()
    return target


@pytest.fixture(autouse=True)
def _corpus_files(settings, corpus_data_dir):
    settings.CORPUS_DATA_DIR = corpus_data_dir


@functools.cache
def _snapshot_tables() -> list[tuple[str, str]]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in SNAPSHOT_APPS and model._meta.label not in NOT_SNAPSHOTTED:
            tables.append((model._meta.db_table, model._meta.pk.column))
    return tables


def database_state() -> dict[str, list]:
    """Every row of every table of the project's apps (the world is small), in plain SQL:
    the ORM's overhead, times forty tables, would be most of the module's time. On
    PostgreSQL one statement reads them all, as each query there is a round trip."""
    quote = connection.ops.quote_name
    tables = _snapshot_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(
                f"(SELECT json_agg(x ORDER BY x.{quote(pk)})::text FROM {quote(table)} x)"
                for table, pk in tables
            )
            cursor.execute(f"SELECT {columns}")
            return dict(zip([table for table, _ in tables], cursor.fetchone(), strict=True))
        state = {}
        for table, pk in tables:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            state[table] = cursor.fetchall()
        return state


def _changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _request(client, method: str, url: str, data: dict):
    TALLY["requests"] += 1
    if method == "POST":
        return client.post(url, data)
    return client.get(url)


def _visible(response) -> bytes:
    """What the client receives: the headers (a redirect's address, a file name) and the body."""
    headers = "\n".join(f"{key}: {value}" for key, value in response.items()).encode()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return headers + b"\n" + body


def _outcome_error(response, expected: str, method: str) -> str | None:
    """Why `response` is not `expected`, or None when it is."""
    code = response.status_code
    location = urlsplit(response.get("Location", "")).path if code in (301, 302, 303) else ""
    logins = {reverse("login"), reverse("admin:login")}
    target = matrix.redirect_target(expected)
    if expected == matrix.OK:
        if method == "GET":
            fine = code == 200
        else:
            fine = code in (200, 400) or (code in (302, 303) and location not in logins)
    elif expected == matrix.LOGIN:
        fine = code == 302 and location == reverse("login")
    elif expected == matrix.ADMIN_LOGIN:
        fine = code == 302 and location == reverse("admin:login")
    elif target is not None:
        fine = code == 302 and resolve(location).view_name == target
    else:
        fine = code == int(expected)
    if fine:
        return None
    return f"expected {expected}, got {code}" + (f" to {location}" if location else "")


def _check(response, *, expected: str, method: str, url: str, hidden: list[str], role: str):
    error = _outcome_error(response, expected, method)
    assert error is None, f"{method} {url} as {role}: {error}"
    visible = _visible(response)
    leaked = [text for text in hidden if text.encode() in visible]
    assert not leaked, f"{method} {url} as {role} shows {leaked}"


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CELLS)
def test_cell(client, world, sessions, row: matrix.Row, role: str):
    TALLY["cells"] += 1
    if role in sessions:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[role]
    url = reverse(row.name, kwargs=row.kwargs(world))
    expected = row.expect[role]
    refused = expected in matrix.REFUSED
    # Private text this role has no business seeing, on this page or any other.
    hidden = [marker.text for marker in world.markers if role not in marker.seen_by]
    state = database_state()
    for method in row.methods:
        data = row.data(world) if method == "POST" else {}
        response = _request(client, method, url, data)
        _check(response, expected=expected, method=method, url=url, hidden=hidden, role=role)
        after = database_state()
        changed = _changed_tables(state, after)
        if refused:
            assert not changed, f"{method} {url} as {role} was refused but changed {changed}"
            TALLY["refused_requests"] += 1
        elif method == "POST" and row.writes is not None:
            should = role in row.writes
            assert bool(changed) == should, (
                f"POST {url} as {role}: expected {'a change' if should else 'no change'}, "
                f"changed {changed or 'nothing'}"
            )
            TALLY["writes_checked"] += 1
        state = after
    if row.wrong_method:
        method = row.wrong_method
        data = row.data(world) if method == "POST" else {}
        response = _request(client, method, url, data)
        wrong = matrix.wrong_method_outcome(expected)
        _check(response, expected=wrong, method=method, url=url, hidden=hidden, role=role)
        changed = _changed_tables(state, database_state())
        assert not changed, f"{method} {url} as {role} answered {wrong} but changed {changed}"
        TALLY["wrong_method"] += 1
    TALLY["passed"] += 1
    TALLY["refused"] += refused


def test_every_url_of_the_resolver_has_a_row():
    routes = matrix.url_routes()
    admin = f"{matrix.ADMIN_NAMESPACE}:"
    ours = {name for name in routes if not name.startswith(admin)}
    assert not [name for name in ours if name.endswith("<unnamed>")], (
        "an unnamed URL pattern cannot be reversed, so the matrix cannot cover it"
    )
    shadowed = {name: found for name, found in routes.items() if len(found) > 1}
    assert not {name for name in shadowed if not name.startswith(admin)}, shadowed
    rows = {row.name for row in matrix.MATRIX}
    missing = sorted(ours - rows)
    assert not missing, f"URLs missing from tests/reliability/permissions_data.py: {missing}"
    stale = sorted(rows - set(routes))
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    assert any(row.name.startswith(admin) for row in matrix.MATRIX)


def test_every_model_in_the_admin_says_what_a_curator_may_do():
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(matrix.CURATOR_ADMIN), (
        "classify each admin model in CURATOR_ADMIN (tests/reliability/permissions_data.py): "
        f"missing {sorted(registered - set(matrix.CURATOR_ADMIN))}, "
        f"stale {sorted(set(matrix.CURATOR_ADMIN) - registered)}"
    )


def test_every_row_names_every_role_with_a_known_outcome():
    for row in matrix.MATRIX:
        assert set(row.expect) == set(matrix.ROLES), row.id
        for outcome in row.expect.values():
            assert outcome in matrix.REFUSED | {matrix.OK} or matrix.redirect_target(outcome)
        assert set(row.methods) <= {"GET", "POST"}, row.id
    ids = [(row.id) for row in matrix.MATRIX]
    assert len(ids) == len(set(ids)), "two rows with the same name and label"


def test_permissions_doc_is_up_to_date():
    rendered = matrix.render_doc()
    if os.environ.get(WRITE_DOC):
        DOC.write_text(rendered, encoding="utf-8")
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == rendered, (
        f"docs/permissions.md is stale: rewrite it with {WRITE_DOC}=1 "
        ".venv/bin/pytest tests/reliability/test_permissions_matrix.py"
    )


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    """After the module: what the cells checked, into docs/reliability.md, when every cell
    ran and passed (a run of a few cells, or a red one, leaves the last figures alone)."""
    yield
    total = len(CELLS)
    if TALLY["cells"] < total or TALLY["passed"] < total:
        return
    routes = matrix.url_routes()
    admin = f"{matrix.ADMIN_NAMESPACE}:"
    record(
        "permissions",
        [
            f"- URL patterns: {sum(1 for n in routes if not n.startswith(admin))} of our own, "
            f"plus {sum(1 for n in routes if n.startswith(admin))} of the admin "
            f"(stood for by {len(matrix.ADMIN)} rows)",
            f"- Rows (URL × kind of object): {len(matrix.MATRIX)}; roles: {len(matrix.ROLES)}",
            f"- Cells checked: {total}, {TALLY['passed']} passing; "
            f"requests made: {TALLY['requests']}",
            f"- Refused cells verified to leak none of the private text and change nothing: "
            f"{TALLY['refused']} ({TALLY['refused_requests']} requests)",
            f"- Wrong-method requests checked: {TALLY['wrong_method']}; "
            f"allowed POSTs checked to write exactly when expected: {TALLY['writes_checked']}",
        ],
        title="Permissions matrix",
    )
