"""Fixtures for Thaw's LTI tool against the test platform (tests/lessons/lti/platform.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.lessons.lti.platform import DEPLOYMENT_ID, Member, Platform

TOOL = "http://testserver"


@pytest.fixture
def platform():
    lms = Platform(
        tool_launch_url=f"{TOOL}/lti/launch/",
        tool_login_url=f"{TOOL}/lti/login/",
        members=[
            Member("t-1", "Tamara Teacher", role="Instructor"),
            Member("s-1", "Sasha Student"),
            Member("s-2", "Boris Second"),
            Member("s-3", "Vera Third"),
        ],
    ).start()
    yield lms
    lms.stop()


@pytest.fixture
def registered(db, platform):
    """The test platform registered with Thaw, its deployment allowed."""
    from lessons.lti.registration import PlatformFields, jwks, register_platform

    registration = register_platform(
        fields=PlatformFields(**platform.registration_fields(), deployment_ids=(DEPLOYMENT_ID,))
    )
    platform.tool_jwks = jwks()
    return registration


def form_of(page: str, form_id: str = "") -> tuple[str, dict]:
    """The action and hidden fields of the form `form_id` (or the first form) of a page."""
    start = page.index(f'id="{form_id}"') if form_id else 0
    page = page[page.rindex("<form", 0, start + 1) if form_id else 0 :]
    action = re.search(r'<form[^>]*action="([^"]+)"', page)[1]
    page = page[: page.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return action.replace("&amp;", "&"), fields


def login_step(client, platform, *, sub: str, message: str = "resource:link-1", **extra):
    """Thaw's OIDC login for `sub`: the authentication request it sends the platform."""
    response = client.get("/lti/login/", platform.login_params(sub=sub, message=message), **extra)
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(platform.url + "/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def launch(client, platform, *, sub: str, message: str = "resource:link-1", **extra):
    """A whole launch, as a browser makes it: Thaw's login, the platform's auth endpoint
    (over HTTP), then the signed launch posted to Thaw."""
    params = login_step(client, platform, sub=sub, message=message, **extra)
    page = requests.get(f"{platform.url}/auth", params=params, timeout=5)
    assert page.status_code == 200, (page.text, platform.problems)
    action, fields = form_of(page.text)
    assert action == platform.tool_launch_url
    return client.post("/lti/launch/", fields, **extra)
