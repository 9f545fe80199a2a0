"""Editorial notes (corpus) shown with a question's feedback, once the student has answered.

A note belongs to a question's feedback when it is attached to the question's passage
or to any passage the question also cites (`Question.extra_citations`). Only the
feedback asks for them (quizzes.cards.Feedback), so a note, which may say what the
right answer is, never reaches the page before the answer does.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from corpus.models import EditorialNote, NotePassage
from quizzes.models import Question


def notes_for_question(*, question: Question) -> list[EditorialNote]:
    """The notes on the question's passages: one query, two more only if there are notes."""
    return list(
        EditorialNote.objects.filter(
            Q(passage_links__passage_id=question.passage_id)
            | Q(passage_links__passage__questions_citing=question.pk),
            passage_links__role=NotePassage.Role.TARGET,
        )
        .distinct()
        .for_display()
    )


def notes_by_question(*, questions: Sequence[Question]) -> dict[int, list[EditorialNote]]:
    """Each question's notes (the results page): two queries however many questions, two
    more only if there are notes."""
    passages: dict[int, set[int]] = {q.pk: {q.passage_id} for q in questions if q.passage_id}
    through = Question.extra_citations.through
    for question_id, passage_id in through.objects.filter(
        question_id__in=[q.pk for q in questions]
    ).values_list("question_id", "passage_id"):
        passages.setdefault(question_id, set()).add(passage_id)
    wanted = {p for ids in passages.values() for p in ids}
    if not wanted:
        return {}
    notes = EditorialNote.objects.on_passages(wanted).for_display()
    on_passage: dict[int, list[EditorialNote]] = {}
    for note in notes:
        for link in note.target_links:
            on_passage.setdefault(link.passage_id, []).append(note)
    found: dict[int, list[EditorialNote]] = {}
    for question_id, ids in passages.items():
        seen: list[EditorialNote] = []
        for passage_id in sorted(ids):
            seen += [n for n in on_passage.get(passage_id, []) if n not in seen]
        if seen:
            found[question_id] = seen
    return found
