"""Thaw's pages inside the LMS's iframe: which site may frame them, and cookies that work there.

A launch sets a signed cookie naming the origins of the LMS it came from (`remember_lms`).
While a browser holds it:

* `LtiFramingMiddleware` lets those origins (and no other) frame the page: the CSP's
  frame-ancestors lists them and X-Frame-Options is left out (it cannot name a site).
  Elsewhere Thaw keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
* `LtiCookieMiddleware`, over HTTPS, writes the session and CSRF cookies SameSite=None
  (and Secure): a browser sends a Lax cookie with no request made inside another site's
  frame, so without it the student launched into Thaw would lose their session at the
  first click. Only browsers that came from an LMS get them; everyone else keeps Lax.

The cookie is signed, so a page cannot be made frameable by a site no curator registered;
it holds no personal data and reading it costs no query (no session read on every page).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

COOKIE = "thaw_lti"
SALT = "lessons.lti.framing"
# As long as a school day and then some: a browser that launched this morning still frames.
MAX_AGE = 12 * 60 * 60


def origin_of(url: str) -> str | None:
    """`https://moodle.example.org` of any URL on it; None for anything but http(s)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def framing_origins(request) -> list[str]:
    """The LMS origins this browser launched Thaw from, or [] (a forged cookie counts as none)."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
        origins = json.loads(value)
    except (KeyError, signing.BadSignature, ValueError):
        return []
    return [o for o in origins if isinstance(o, str) and origin_of(o) == o]


def remember_lms(response, *, request, origins: list[str]) -> None:
    """Let these origins frame Thaw for this browser (set on the launch's response)."""
    value = json.dumps(sorted(set(origins)))
    secure = request.is_secure()
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )
    # The response itself is framed too (a refused page, the picker after a redirect).
    response.thaw_lti_origins = sorted(set(origins))


def allow_framing(response, *, origins: list[str] | None = None) -> None:
    """Frameable by `origins`; without them, by anyone (a page holding nothing private,
    such as a refused launch's, which must show inside whatever LMS sent it)."""
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": ["'self'", *origins] if origins else ["*"]}


class LtiFramingMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = getattr(response, "thaw_lti_origins", None) or framing_origins(request)
        if origins and not getattr(response, "_csp_replace", None):
            allow_framing(response, origins=origins)
        return response


class LtiCookieMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure() and (
            getattr(response, "thaw_lti_origins", None) or framing_origins(request)
        ):
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["samesite"] = "None"
                    response.cookies[name]["secure"] = True
        return response
