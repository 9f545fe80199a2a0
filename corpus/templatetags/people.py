"""How a person is named on every page: `{% load people %}` then `{{ user|display_name }}`.

Shared by every app (corpus is the one all may import); Python code that writes a name into
a message or a spreadsheet calls `display_name` too, so a student is named one way throughout.
"""

from __future__ import annotations

from django import template
from django.contrib.auth.models import User

register = template.Library()


@register.filter
def display_name(user: User) -> str:
    """The full name a person gave, else their username (roster and LTI accounts may have none)."""
    return user.get_full_name() or user.username
