"""The audit log: every change a curator makes, recorded in one place.

`record` is called by the domain function that makes the change (inside its
transaction), never by a signal, so a rolled-back change leaves no entry.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from corpus.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def record(
    *,
    user: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
) -> AuditEntry:
    """Write one audit entry; `obj` may be None for actions on many rows."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action[:60],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        changes=_jsonable(changes or {}),
    )
