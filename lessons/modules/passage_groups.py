"""What lessons offers quizzes: each module as a group (quizzes.passage_groups), the pool its
quizzes, the review queue's lesson filter and the bank's balancing use.

A module's group is the passages its sections cite, the timeline events it lists (front
matter `timeline`) and the glossary terms its sections link; each section is a group too,
so an end-of-lesson quiz can take its questions from the sections in turn. An event
belongs to the section that names its day or cites what it rests on (its reference works,
at the same document or page where the locators say so, or its passages), the best match;
a term to every section linking it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from corpus.models import ReferenceCitation, TimelineEvent
from lessons.models import Citation, Module, Section, module_quiz_key
from lessons.modules.rendering import glossary_for_links, linked_terms
from quizzes.passage_groups import GroupSection, PassageGroup

_NUMBER = re.compile(r"\d+")


def module_passage_groups() -> list[PassageGroup]:
    """Every module's group, in course order, without its sections (the review queue's
    filter and the bank's balancing need only what is in a lesson). One query when there
    is no module, five however many there are."""
    return _groups(Module.objects.order_by("ordinal", "title"), sections=False)


def module_group(module: Module) -> PassageGroup:
    """One module's group with its sections: its quizzes' pool (`PassageGroup.questions`)
    and what its end-of-lesson quiz takes in turn. Nine queries."""
    return _groups(Module.objects.filter(pk=module.pk), sections=True)[0]


def _groups(modules, *, sections: bool) -> list[PassageGroup]:
    want_sections = sections
    modules = list(modules.values_list("pk", "slug", "ordinal", "title"))
    if not modules:
        return []
    module_ids = [pk for pk, *_ in modules]
    sections = list(
        Section.objects.filter(module_id__in=module_ids)
        .order_by("ordinal", "pk")
        .values_list("pk", "module_id", "slug", "title", "html")
    )
    passages: dict[int, set[int]] = defaultdict(set)
    works: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for section_id, passage_id, work_id, at in Citation.objects.filter(
        section__module_id__in=module_ids
    ).values_list("section_id", "passage_id", "work_id", "quote"):
        if passage_id is not None:
            passages[section_id].add(passage_id)
        if work_id is not None:
            works[section_id].append((work_id, at))
    # The terms each section's page links now (its stored HTML has no glossary link).
    glossary = glossary_for_links()
    term_ids = {term.slug: term.pk for term in glossary}
    linked = {
        pk: {term_ids[s] for s in linked_terms(html=html, glossary=glossary)}
        for pk, _m, _s, _t, html in sections
    }
    listed: dict[int, set[int]] = defaultdict(set)
    for module_id, event_id in Module.timeline_events.through.objects.filter(
        module_id__in=module_ids
    ).values_list("module_id", "timelineevent_id"):
        listed[module_id].add(event_id)
    events = _events({e for ids in listed.values() for e in ids}) if want_sections else {}
    groups = []
    for pk, slug, ordinal, title in modules:
        own = [row for row in sections if row[1] == pk]
        placed = _place_events(listed[pk], events, own, passages, works, linked)
        parts = tuple(
            GroupSection(
                key=section_slug,
                label=section_title,
                passage_ids=frozenset(passages[section_id]),
                event_ids=frozenset(placed[section_id]),
                term_ids=frozenset(linked[section_id]),
            )
            for section_id, _m, section_slug, section_title, _h in own
        )
        groups.append(
            PassageGroup(
                key=module_quiz_key(slug),
                label=f"Lesson {ordinal}: {title}",
                passage_ids=frozenset().union(*(p.passage_ids for p in parts)),
                event_ids=frozenset(listed[pk]),
                term_ids=frozenset().union(*(p.term_ids for p in parts)),
                sections=parts if want_sections else (),
            )
        )
    return groups


def _events(ids: set[int]) -> dict[int, dict]:
    """What places each event in a section: its day, reference works, passages and terms.
    Four queries (none for no events)."""
    if not ids:
        return {}
    found = {
        pk: {"day": _day(date, precision), "works": [], "passages": set(), "terms": set()}
        for pk, date, precision in TimelineEvent.objects.filter(pk__in=ids).values_list(
            "pk", "date", "precision"
        )
    }
    for event_id, work_id, at in ReferenceCitation.objects.filter(event_id__in=ids).values_list(
        "event_id", "work_id", "at"
    ):
        found[event_id]["works"].append((work_id, at))
    for event_id, passage_id in TimelineEvent.citations.through.objects.filter(
        timelineevent_id__in=ids
    ).values_list("timelineevent_id", "passage_id"):
        found[event_id]["passages"].add(passage_id)
    for event_id, term_id in TimelineEvent.terms.through.objects.filter(
        timelineevent_id__in=ids
    ).values_list("timelineevent_id", "glossaryterm_id"):
        found[event_id]["terms"].add(term_id)
    return found


def _day(date, precision: str) -> str:
    # "12 March": how a lesson names the day (the year is often given once for many days).
    return f"{date.day} {date:%B}" if precision == TimelineEvent.Precision.DAY else ""


def _place_events(event_ids, events, sections, passages, works, linked) -> dict[int, set[int]]:
    """Each event in the one section that matches it best (none if nothing matches)."""
    placed: dict[int, set[int]] = defaultdict(set)
    for event_id in sorted(event_ids):
        event = events.get(event_id)
        if event is None:
            continue
        best, best_score = None, 0.0
        for section_id, _m, _s, _t, html in sections:
            score = 3.0 * len(event["passages"] & passages[section_id])
            if event["day"] and re.search(rf"\b{re.escape(event['day'])}\b", html):
                score += 3
            for work_id, at in event["works"]:
                for cited, where in works[section_id]:
                    if cited == work_id:
                        score += 1 + 2 * bool(
                            set(_NUMBER.findall(at)) & set(_NUMBER.findall(where))
                        )
            score += 0.5 * len(event["terms"] & linked[section_id])
            if score > best_score:
                best, best_score = section_id, score
        if best is not None:
            placed[best].add(event_id)
    return placed
