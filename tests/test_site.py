"""The frame every page shares: settings, base template, error pages."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client


def _django_setup(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _django_setup({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_app_refuses_a_weak_secret_key_when_debug_is_off():
    result = _django_setup({"DEBUG": "0", "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_app_starts_in_debug_without_secret_key():
    assert _django_setup({"DEBUG": "1"}).returncode == 0


@pytest.mark.django_db
def test_home_page_has_skip_link_landmarks_and_local_assets(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert 'aria-label="Main"' in html
    assert "<footer" in html
    assert "//cdn" not in html and "https://" not in html.split("<body")[0]
    assert "htmx" in html and 'hx-headers=\'{"X-CSRFToken"' in html


@pytest.mark.django_db
def test_unknown_page_gets_designed_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Back to the start" in response.content


def test_sqlite_is_tuned_for_a_web_server():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite-only settings")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.django_db
def test_server_error_page_is_designed_and_reassuring(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"Your work so far is saved" in response.content


@pytest.mark.django_db
def test_forbidden_page_is_designed(rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert b"You can't open this page" in response.content


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the end of its line: one that goes on shows its text
    to every visitor (it did, on the dashboard). Longer comments use {% comment %}."""
    templates = sorted((settings.BASE_DIR / "templates").rglob("*.html"))
    assert templates
    leaking = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not leaking, f"multi-line {{# comments (use {{% comment %}}): {leaking}"


@pytest.mark.django_db
def test_admin_pages_link_an_icon_that_exists_so_no_favicon_404(admin_client):
    from django.contrib.staticfiles import finders

    html = admin_client.get("/admin/").content.decode()
    link = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert link, "the admin links no icon: browsers ask for /favicon.ico"
    assert finders.find(link[1])
    assert f'href="/static/{link[1]}"' in Client().get("/").content.decode()  # the site too


def test_htmx_never_copies_a_style_attribute_into_a_swapped_element():
    """htmx settles `style` from an old element onto its new twin (same id) by default: a
    style the browser set (a resized textarea) became an inline style the CSP refused."""
    from django.template.loader import get_template

    source = get_template("base.html").template.source
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']+)'", source)[1])
    assert "style" not in config["attributesToSettle"]
