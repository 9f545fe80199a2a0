"""Sending a user who must choose their own password to the password change page.

An account made by a roster import logs in with a password its teacher printed
(lessons.classes.roster). The log-in receiver (lessons.accounts) puts a flag in the
session when the account must change it; until the user has, every page but the
password change page and log-out sends them there. Other users cost nothing: the
flag is read from the session every page loads anyway, and only when a session
cookie came with the request (so anonymous pages keep no `Vary: Cookie`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from lessons.accounts.roles import PASSWORD_CHANGE_SESSION_KEY
from lessons.models import PasswordChangeRequired

MESSAGE = (
    "Please choose your own password before you go on: the one on your slip "
    "from your teacher works only once."
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # STATIC_URL is relative ("static/"); request.path starts with a slash.
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.session.get(
            PASSWORD_CHANGE_SESSION_KEY
        ):
            return self.get_response(request)
        change_url = reverse("password_change")
        if request.path == change_url:
            response = self.get_response(request)
            # Django's PasswordChangeView redirects (to the "done" page) only when the
            # new password was saved; a form with errors is shown again with a 200.
            if request.method == "POST" and response.status_code == 302:
                PasswordChangeRequired.objects.filter(user_id=request.user.pk).delete()
                request.session.pop(PASSWORD_CHANGE_SESSION_KEY, None)
            return response
        if request.path == reverse("logout") or request.path.startswith(self.static_prefix):
            return self.get_response(request)
        messages.info(request, MESSAGE)
        if getattr(request, "htmx", False):
            # A 302 would be followed by htmx and the page swapped into a fragment.
            return HttpResponseClientRedirect(change_url)
        return redirect(change_url)
