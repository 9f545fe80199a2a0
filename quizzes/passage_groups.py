"""Named groups of passages that other apps offer the review queue as a filter.

A lesson module is a group (the passages it cites), but `quizzes` never imports `lessons`:
lessons registers a provider when it starts (`LessonsConfig.ready`), and the queue asks
for the groups on each render. A provider is a plain function returning groups in the
order a curator should see them; it should cost one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PassageGroup:
    key: str  # stable, for URLs: "module:the-secret-speech"
    label: str  # for the curator: "Lesson 1: The Secret Speech"
    passage_ids: frozenset[int]


Provider = Callable[[], list[PassageGroup]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Offer `provider`'s groups to the queue (once; registering again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def passage_groups() -> dict[str, PassageGroup]:
    """Every registered provider's groups, by key."""
    return {group.key: group for provider in _providers for group in provider()}
