"""Editorial notes (corpus) in lessons: which notes a lesson page shows, and whether a
note's lesson sentence can be placed.

A note names a lesson by slug and a sentence by quoting it (corpus cannot import
lessons); the sentence is looked for in the rendered sections (lessons.modules.rendering's
`find_sentence`). `load_lessons` refuses a note whose sentence is not in its lesson,
and the curators' note form asks `check_lesson_targets` (registered with corpus by
LessonsConfig.ready) before saving.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, Q

from corpus.models import EditorialNote, NoteLessonTarget, NotePassage
from lessons.models import Section
from lessons.modules.rendering import find_sentence, sentence_problem, split_blocks


def notes_for_module(*, module_slug: str, passage_ids: Iterable[int]) -> list[EditorialNote]:
    """Notes on a sentence of this lesson or on a passage it shows as an excerpt, with what
    the note partial shows: one query, three more only when there are notes."""
    on_passages = Q(
        passage_links__role=NotePassage.Role.TARGET,
        passage_links__passage__in=list(passage_ids),
    )
    return list(
        EditorialNote.objects.filter(Q(lesson_targets__lesson=module_slug) | on_passages)
        .distinct()
        .for_display()
        .prefetch_related(
            Prefetch("lesson_targets", queryset=NoteLessonTarget.objects.filter(lesson=module_slug))
        )
    )


def _sections_by_module(slugs: Iterable[str]) -> dict[str, list[tuple[int, list[str]]]]:
    modules: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    rows = (
        Section.objects.filter(module__slug__in=set(slugs))
        .order_by("module", "ordinal", "pk")
        .values_list("module__slug", "pk", "html")
    )
    for slug, pk, html in rows:
        modules[slug].append((pk, split_blocks(html)))
    return modules


def check_lesson_targets(targets: Sequence[tuple[str, str, str]]) -> list[str]:
    """Problems with (note slug, lesson slug, quote) targets against the lessons as stored:
    a lesson that does not exist, a sentence found in no block or in several."""
    sections = _sections_by_module(lesson for _, lesson, _ in targets)
    problems = []
    for note, lesson, quote in targets:
        if lesson not in sections:
            problems.append(f"note {note!r}: no lesson {lesson!r}")
            continue
        found = find_sentence(quote=quote, sections=sections[lesson])
        if problem := sentence_problem(note=note, lesson=lesson, quote=quote, found=len(found)):
            problems.append(problem)
    return problems


def check_module_notes(*, module_slugs: Iterable[str]) -> list[str]:
    """Problems with every note aimed at a sentence of these modules (after loading them)."""
    targets = NoteLessonTarget.objects.filter(lesson__in=set(module_slugs)).values_list(
        "note__slug", "lesson", "quote"
    )
    return check_lesson_targets(list(targets))
