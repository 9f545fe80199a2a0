"""One view, a full page or its htmx partial: the template name a view renders.

Shared by every app (corpus.plumbing: plumbing all may import). A view renders the whole page for a
plain request and only the named partial (django-template-partials, `page.html#partial`)
for htmx, so the page and its fragment never drift apart (docs/architecture.md, Requests).
"""

from __future__ import annotations

from django.http import HttpRequest


def page_or_partial(request: HttpRequest, name: str, partial: str) -> str:
    """`name` for a full page; `name#partial` when htmx asks for the fragment only."""
    return f"{name}#{partial}" if request.htmx else name
