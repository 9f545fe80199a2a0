"""A request body in a character set Thaw does not read gets a 400 page, not a 500.

Every form Thaw serves posts UTF-8. Django refuses an urlencoded body declared in another
charset (`BadRequest`), but raises it wherever `request.POST` is first read, the CSRF
check included, and its 400 and 500 handlers run the CSRF check again: the error
handling itself failed, and the client got a bare 500. An unknown charset name
(`charset=nonsense`) failed the same way in the multipart parser. This middleware looks
at the declared charset before anything reads the body.
"""

from __future__ import annotations

import codecs

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

ACCEPTED = {"utf-8"}  # codecs' canonical name; "UTF8", "utf_8" and "U8" come to this too


def accepted_charset(content_type: str) -> bool:
    """Whether a Content-Type header declares no charset, or UTF-8 (or its ASCII subset)."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset":
            continue
        value = value.strip().strip('"').strip()
        try:
            canonical = codecs.lookup(value).name
        except LookupError:
            return False
        if canonical not in ACCEPTED | {"ascii"}:
            return False
    return True


class RequestCharsetMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not accepted_charset(request.META.get("CONTENT_TYPE", "")):
            # Rendered without the request: no context processor, nothing reads the body.
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)
