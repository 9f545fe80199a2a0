"""What lessons offers the curators' review queue: each module as a group of the passages
it cites, so a curator can filter the queue to one lesson (quizzes.passage_groups)."""

from __future__ import annotations

from lessons.models import Module
from quizzes.passage_groups import PassageGroup


def module_passage_groups() -> list[PassageGroup]:
    """Every module with the passages its sections cite, in course order. One query."""
    modules: dict[str, tuple[str, set[int]]] = {}
    rows = Module.objects.order_by("ordinal", "title").values_list(
        "slug", "ordinal", "title", "sections__citations__passage_id"
    )
    for slug, ordinal, title, passage_id in rows:  # a module citing nothing: one row, None
        _label, cited = modules.setdefault(slug, (f"Lesson {ordinal}: {title}", set()))
        if passage_id is not None:
            cited.add(passage_id)
    return [
        PassageGroup(key=f"module:{slug}", label=label, passage_ids=frozenset(cited))
        for slug, (label, cited) in modules.items()
    ]
