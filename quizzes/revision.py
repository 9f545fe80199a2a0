"""Changing a question's wording: the one way, for a curator's edit on the review queue,
an imported question bank and the admin.

A response records the version of the question its student answered
(`Response.question_version`), and the results pages show each answer with the wording
of that version (`as_answered`, `version_for`). That holds only if every change of the
wording keeps a copy of what it replaces, so every change goes through `revise`: checked
by the one validator (quizzes.validation), the wording before and after kept as
QuestionVersions, the version raised with F() (two saves at once both count), the
question locked against regeneration, and an audit entry saying what changed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from corpus.plumbing import audit
from quizzes import validation
from quizzes.models import Question, QuestionVersion, Response

# What a student reads and is marked on: a change to any of them is a new version.
WORDING = ("type", "stem", "options", "answer", "explanation")


class InvalidQuestion(ValueError):
    """The new wording would not make a valid question; `str(error)` is the reason."""


def snapshot(*, question: Question, user=None) -> QuestionVersion:
    """The stored wording of the question's current version (made if missing)."""
    version, _ = QuestionVersion.objects.get_or_create(
        question=question,
        version=question.version,
        defaults={
            "stem": question.stem,
            "options": question.options,
            "answer": question.answer,
            "explanation": question.explanation,
            "created_by": user if user is not None and user.is_authenticated else None,
        },
    )
    return version


def check(*, question: Question | None, wording: Mapping[str, object]) -> str | None:
    """Why `question` with `wording` laid over it would not be a valid question, or None.
    For forms, which show the reason beside the fields before anything is saved."""
    base = {name: getattr(question, name) for name in WORDING} if question is not None else {}
    quote = getattr(question, "explanation_quote", "") if question is not None else ""
    return validation.problem({**base, "explanation_quote": quote, **wording})


@transaction.atomic
def revise(
    *,
    question: Question,
    user,
    action: str,
    wording: Mapping[str, object],
    also: Mapping[str, object] | None = None,
) -> dict[str, list]:
    """Give `question` new `wording` (any of WORDING) and other fields (`also`: status,
    passage...), as one change. Returns {field: [before, after]} of what changed ({} when
    nothing did, and then nothing is written). Raises InvalidQuestion, writing nothing.

    The stored row is read again (locked, on PostgreSQL) rather than trusting `question`:
    the admin hands over an object its form has already changed. `question` is brought
    up to date with what was saved."""
    if unknown := set(wording) - set(WORDING):
        raise ValueError(f"not wording: {sorted(unknown)}")
    stored = Question.objects.select_for_update().get(pk=question.pk)
    reason = check(question=stored, wording=wording)
    if reason:
        raise InvalidQuestion(reason)
    changed = {k: [getattr(stored, k), v] for k, v in wording.items() if getattr(stored, k) != v}
    others = {k: v for k, v in (also or {}).items() if _value(stored, k) != _value_of(v)}
    changes = {**changed, **{k: [getattr(stored, k), v] for k, v in others.items()}}
    if not changes:
        question.refresh_from_db()
        return {}
    now = timezone.now()
    fields = {**{k: wording[k] for k in changed}, **others}
    fields |= {"curator_locked": True, "edited_at": now, "updated_at": now}
    if changed:
        snapshot(question=stored)  # the wording it replaces, if no one kept it yet
        fields["version"] = F("version") + 1
    Question.objects.filter(pk=stored.pk).update(**fields)
    question.refresh_from_db()
    if changed:
        snapshot(question=question, user=user)
    audit.record(user=user, action=action, obj=question, changes=changes)
    return changes


def _value(question: Question, name: str) -> object:
    """A field's stored value, a foreign key as its id (no query for the related row)."""
    field = Question._meta.get_field(name)
    return getattr(question, field.attname)


def _value_of(value: object) -> object:
    return value.pk if hasattr(value, "_meta") else value


# --- What the student saw ----------------------------------------------------------------


def version_for(*, response: Response) -> QuestionVersion | Question:
    """What the student saw when they gave `response`: the stored version, or the
    question itself when it has not changed since."""
    if response.question_version == response.question.version:
        return response.question
    stored = response.question.versions.filter(version=response.question_version).first()
    return stored or response.question


def as_answered(
    *, questions: Mapping[int, Question], responses: Iterable[Response]
) -> dict[int, Question]:
    """`questions` with the wording each was answered in, where it changed since (a copy
    of the question carrying the stored version's stem, options, key and explanation).
    No query when no answered question changed; one otherwise."""
    stale = {
        r.question_id: r.question_version
        for r in responses
        if r.question_id in questions and r.question_version != questions[r.question_id].version
    }
    if not stale:
        return dict(questions)
    wanted = Q()
    for question_id, version in stale.items():
        wanted |= Q(question_id=question_id, version=version)
    shown = dict(questions)
    for stored in QuestionVersion.objects.filter(wanted):
        seen = copy.copy(questions[stored.question_id])
        seen.stem, seen.options = stored.stem, stored.options
        seen.answer, seen.explanation = stored.answer, stored.explanation
        shown[stored.question_id] = seen
    return shown
