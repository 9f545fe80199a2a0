"""The audit log: every change a curator makes, recorded in one place.

`record` is called by the domain function that makes the change (inside its
transaction), never by a signal, so a rolled-back change leaves no entry.
"""

from __future__ import annotations

from dataclasses import dataclass
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


# --- Reading the log ----------------------------------------------------------------------
# An entry's changes are {field: [before, after]} for an edit, or details (counts, a file
# name, ids). The audit page shows them as lines a curator reads, not a Python dict.

LONG_TEXT = 240  # characters: a longer value (a whole errata file) folds away on the page
LIST_SHOWN = 12  # items of a long list (the ids of a bulk action) shown before "… N in all"


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str | None  # None: a detail, not an edit
    after: str

    @property
    def is_edit(self) -> bool:
        return self.before is not None

    @property
    def is_long(self) -> bool:
        return max(len(self.before or ""), len(self.after)) > LONG_TEXT


def change_lines(changes: object) -> list[ChangeLine]:
    """The entry's changes as lines: "Stem: old → new" for an edit, "Count: 12" for a
    detail. A pair is a two-item list under any key but a list of ids."""
    if not isinstance(changes, dict):
        return [ChangeLine("Details", None, readable(changes))]
    lines = []
    for key, value in changes.items():
        label = str(key).replace("_", " ").capitalize()
        if isinstance(value, list) and len(value) == 2 and not str(key).endswith("ids"):
            lines.append(ChangeLine(label, readable(value[0]), readable(value[1])))
        else:
            lines.append(ChangeLine(label, None, readable(value)))
    return lines


def readable(value: object) -> str:
    """One value as a curator reads it: options as "a. text", lists joined, nothing as "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if set(value) >= {"id", "text"}:  # a question's option
            return f"{value['id']}. {value['text']}"
        return "; ".join(f"{str(k).replace('_', ' ')}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return "none"
        shown = " · ".join(readable(item) for item in value[:LIST_SHOWN])
        more = len(value) - LIST_SHOWN
        return f"{shown} … ({len(value)} in all)" if more > 0 else shown
    return str(value)
