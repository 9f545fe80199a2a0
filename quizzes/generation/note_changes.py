"""After the editorial notes change: the questions whose passages gained or lost a note.

A correction note can turn a sound question into one that teaches a source's error as
fact, so a question records the notes on its cited passages when it was last generated or
checked (`Question.checked_notes`). After each run (generate_questions, a curator's
regeneration), a question whose passages now carry other notes

* was **regenerated** if the run produced it again and no curator has locked it: the
  editorial rule (generation/corrections.py) judged it with the new notes;
* is otherwise **sent to review** (`NOTES_CHANGED`): a curator's locked question, or one
  outside the sources the run covered, is never changed by a run.

Either way its record is brought up to date, so each change is reported once. Retired
questions are left alone. `question_report` lists the questions the notes touch
(`touched_by_corrections`, `sent_to_review`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from rich.table import Table

from corpus.models import EditorialNote, NotePassage
from quizzes.models import Question

NOTES_CHANGED = (
    "An editorial note on a cited passage was added or removed; check the question against it."
)
BATCH = 200


@dataclass
class NoteChanges:
    regenerated: list[int] = field(default_factory=list)
    sent_to_review: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.regenerated)} regenerated and {len(self.sent_to_review)} sent back for "
            "review because the notes on their passages changed"
        )


def notes_on_passages() -> dict[int, set[str]]:
    """passage id -> the slugs of the notes attached to it (one query)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = NotePassage.objects.filter(role=NotePassage.Role.TARGET).values_list(
        "passage_id", "note__slug"
    )
    for passage_id, slug in rows:
        found[passage_id].add(slug)
    return found


@transaction.atomic
def review_note_changes(*, produced: set[str], run_started=None) -> NoteChanges:
    """Compare every live question's recorded notes with the notes now on its passages;
    `produced` are the fingerprints the run just generated. A question the run created
    (at or after `run_started`) is only recorded: it was made with its notes. Four
    queries, and the writes."""
    on_passage = notes_on_passages()
    extra: dict[int, set[int]] = defaultdict(set)
    for question_id, passage_id in Question.extra_citations.through.objects.values_list(
        "question_id", "passage_id"
    ):
        extra[question_id].add(passage_id)
    changes = NoteChanges()
    changed: list[Question] = []
    rows = Question.objects.exclude(status=Question.Status.RETIRED).values_list(
        "pk", "fingerprint", "passage_id", "checked_notes", "curator_locked", "created_at"
    )
    for pk, fingerprint, passage_id, checked, locked, created in rows:
        cited = {passage_id, *extra[pk]} - {None}
        now = sorted(set().union(*(on_passage[p] for p in cited if p in on_passage)))
        if now == sorted(checked or []):
            continue
        if run_started is not None and created >= run_started and fingerprint in produced:
            pass  # new in this run: nothing changed under it
        elif fingerprint in produced and not locked:
            changes.regenerated.append(pk)
        else:
            changes.sent_to_review.append(pk)
        changed.append(Question(pk=pk, checked_notes=now))
    Question.objects.bulk_update(changed, ["checked_notes"], batch_size=BATCH)
    if changes.sent_to_review:
        Question.objects.filter(pk__in=changes.sent_to_review).update(
            status=Question.Status.NEEDS_REVIEW, review_reason=NOTES_CHANGED
        )
    return changes


def touched_by_corrections() -> list[Question]:
    """Questions (not retired) linked to a correction note: asked as the source's claim,
    with the correction in their feedback. Two queries."""
    return list(
        Question.objects.exclude(status=Question.Status.RETIRED)
        .filter(notes__kind=EditorialNote.Kind.CORRECTION)
        .distinct()
        .order_by("status", "type", "pk")
        .prefetch_related("notes")
    )


def sent_to_review() -> list[Question]:
    """Questions waiting for a curator because the notes on their passages changed."""
    return list(Question.objects.filter(review_reason=NOTES_CHANGED).order_by("type", "pk"))


def note_tables() -> list:
    """For question_report: the questions correction notes touch, and those sent back to
    review because the notes on their passages changed (count, then list)."""
    touched = touched_by_corrections()
    by_status = Counter(q.status for q in touched)
    counts = ", ".join(
        f"{by_status[s.value]} {s.label.lower()}" for s in Question.Status if by_status[s.value]
    )
    table = Table()
    for column in ("Id", "Type", "Status", "Correction"):
        table.add_column(column, no_wrap=True)
    table.add_column("Stem", no_wrap=True, overflow="ellipsis", max_width=40)
    for q in touched:
        notes = ", ".join(n.slug for n in q.notes.all() if n.kind == EditorialNote.Kind.CORRECTION)
        table.add_row(str(q.pk), q.type, q.status, notes, q.stem)
    waiting = sent_to_review()
    review = Table()
    for column in ("Id", "Type"):
        review.add_column(column, no_wrap=True)
    review.add_column("Stem", no_wrap=True, overflow="ellipsis", max_width=80)
    for q in waiting:
        review.add_row(str(q.pk), q.type, q.stem)
    return [
        f"Questions on a corrected claim: {len(touched)} ({counts or 'none'}); each says whose "
        "claim it is and shows the correction.",
        *([table] if touched else []),
        f"Sent back to review because the notes on their passages changed: {len(waiting)}.",
        *([review] if waiting else []),
    ]
