"""Picking like-for-like glossary terms as distractors (shared by the name-based types)."""

from __future__ import annotations

import random
import re

from corpus.models import GlossaryTerm
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import contains_phrase, normalise

NAMED_KINDS = (
    GlossaryTerm.Kind.PERSON,
    GlossaryTerm.Kind.ORGANIZATION,
    GlossaryTerm.Kind.PLACE,
)
ROLE_FALLBACK_PENALTY = 0.15


def surname(term: GlossaryTerm) -> str:
    """The short form a sentence usually uses: a one-word spelling, else the last word."""
    if term.kind != GlossaryTerm.Kind.PERSON:
        return term.name
    single = sorted(
        (s for s in term.spellings if re.fullmatch(r"[A-Z][\w'-]+", s)), key=lambda s: (len(s), s)
    )
    return single[0] if single else term.name.split()[-1]


def display(term: GlossaryTerm, *, short: bool) -> str:
    return surname(term) if short else term.name


def all_spellings(term: GlossaryTerm) -> list[str]:
    spellings = [s for s in term.spellings if s]
    if term.kind == GlossaryTerm.Kind.PERSON:
        spellings.append(surname(term))
    return sorted(set(spellings), key=lambda s: (-len(s), s))


def _family(role: str) -> str:
    return role.split("-", 1)[0] if role else ""


def _is_variant(a: GlossaryTerm, b: GlossaryTerm) -> bool:
    spellings_a = {normalise(s) for s in all_spellings(a)}
    return any(normalise(s) in spellings_a for s in all_spellings(b))


def like_terms(
    *,
    corpus: CorpusSnapshot,
    answer: GlossaryTerm,
    avoid_text: str,
    rng: random.Random,
    count: int = 3,
    short: bool = False,
) -> tuple[list[GlossaryTerm], float]:
    """`count` terms of the answer's kind and role absent from `avoid_text`, and a penalty
    if the role had to be widened to its family ("soviet-official" -> "soviet-*")."""

    def eligible(term: GlossaryTerm) -> bool:
        if term.slug == answer.slug or term.kind != answer.kind or _is_variant(term, answer):
            return False
        if any(contains_phrase(avoid_text, s) for s in all_spellings(term)):
            return False
        shown = display(term, short=short)
        return normalise(shown) != normalise(display(answer, short=short))

    same_role = [t for t in corpus.terms if t.role == answer.role and eligible(t)]
    rng.shuffle(same_role)
    if len(same_role) >= count or not answer.role:
        return same_role[:count], 0.0
    family = [
        t
        for t in corpus.terms
        if t.role != answer.role and _family(t.role) == _family(answer.role) and eligible(t)
    ]
    rng.shuffle(family)
    return (same_role + family)[:count], ROLE_FALLBACK_PENALTY
