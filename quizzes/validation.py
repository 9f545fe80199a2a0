"""What every question must be, however it reaches the bank: imported from a file, typed
by a curator on the review queue or saved in the admin (quizzes.revision calls this).

One validator: the rules a generated question meets at the gates (options well formed and
distinct once normalised, a key among them, a stem), applied to a plain dict, plus what
an untrusted file may hold (no markup, text within bounds, no control characters).
`problem(item)` returns one short reason, or None; callers word it for their page.
"""

from __future__ import annotations

import re

from corpus.plumbing.plain_text import control_character_problem
from quizzes.models import Question

MAX_TEXT = 4000
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:", re.I)
_MC_TYPES = {t.value for t in Question.Type} - {"true_false", "chronology"}


def _normalised(text: str) -> str:
    # The generation gates' own normalisation (lower case, straight quotes, no punctuation),
    # so "Beria" and "beria." are one option wherever a question comes from. Imported here:
    # the generation package takes half a second to import, and only a save needs it.
    from quizzes.generation.sentences import normalise

    return normalise(text)


def problem(item: object) -> str | None:
    """Why `item` ({type, stem, options, answer, explanation, ...}) cannot be a question."""
    if not isinstance(item, dict):
        return "not an object"
    for name in ("type", "stem", "options", "answer"):
        if item.get(name) in (None, "", []):
            return f"missing field {name!r}"
    if item["type"] not in Question.Type.values:
        return f"unknown type {item['type']!r}"
    options, answer = item["options"], item["answer"]
    if not isinstance(options, list) or not all(
        isinstance(o, dict)
        and isinstance(o.get("id"), str)
        and isinstance(o.get("text"), str)
        and o["text"].strip()
        for o in options
    ):
        return "options must be a list of {id, text}"
    ids = [o["id"] for o in options]
    if len(set(ids)) != len(ids) or len(options) < 2:
        return "options must have at least two distinct ids"
    if not isinstance(answer, list) or not answer or any(a not in ids for a in answer):
        return "answer must list option ids"
    if item["type"] in _MC_TYPES and len(answer) != 1:
        return "a multiple-choice question has exactly one correct option"
    if item["type"] == "chronology" and sorted(answer) != sorted(ids):
        return "a chronology answer orders every item"
    texts = [
        item["stem"],
        item.get("explanation") or "",
        item.get("explanation_quote") or "",
        *(o["text"] for o in options),
    ]
    if not all(isinstance(t, str) for t in texts):
        return "text fields must be strings"
    if not item["stem"].strip():
        return "the question text is blank"
    if any(len(t) > MAX_TEXT for t in texts):
        return "a text field is too long"
    if any(MARKUP.search(t) for t in texts):
        return "HTML or script markup is not allowed in questions"
    same = _repeated_option(options)
    if same:
        return f"two options read the same (“{same}”)"
    status = item.get("status")
    if status is not None and status not in Question.Status.values:
        return f"unknown status {status!r}"
    reason = _passage_problem(item) or _links_problem(item)
    if reason:
        return reason
    found = control_character_problem(item)
    if found:
        return f"a field {found}"
    return None


def _repeated_option(options: list[dict]) -> str | None:
    """The text of an option that reads as another does, once normalised; else None."""
    seen: set[str] = set()
    for option in options:
        key = _normalised(option["text"]) or option["text"].strip().casefold()
        if key in seen:
            return option["text"].strip()
        seen.add(key)
    return None


def _passage_problem(item: dict) -> str | None:
    """The cited passage is named by "passage_ref" ("source:key", from GIFT and Moodle) or
    by a "passage" object (JSON); either may be left out, neither may be anything else."""
    ref, passage = item.get("passage_ref"), item.get("passage")
    if ref is not None and not isinstance(ref, str):
        return "passage_ref must be text (source:key)"
    if passage is not None and not (
        isinstance(passage, dict)
        and isinstance(passage.get("source", ""), str)
        and isinstance(passage.get("key", ""), str)
    ):
        return "passage must be an object with a text source and key"
    return None


def _links_problem(item: dict) -> str | None:
    """ "also_cites" is a list of {source, key}; "notes", "events" and "terms" lists of
    slugs; all optional."""
    also = item.get("also_cites", [])
    if not isinstance(also, list) or not all(
        isinstance(a, dict) and isinstance(a.get("source"), str) and isinstance(a.get("key"), str)
        for a in also
    ):
        return "also_cites must be a list of objects with a text source and key"
    for name, what in (("notes", "note"), ("events", "timeline event"), ("terms", "glossary term")):
        slugs = item.get(name, [])
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            return f"{name} must be a list of {what} slugs"
    return None
