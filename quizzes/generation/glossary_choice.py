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
# Roles whose members a student could confuse with each other as the author of a
# quotation: Marx's words beside Lenin's and Stalin's are a fair question.
NEIGHBOUR_ROLES = {
    "theorist": ("soviet-leader", "foreign-communist-leader"),
    "foreign-communist-leader": ("soviet-leader",),
    "security-officer": ("security-chief",),
    "informer": ("repression-victim",),
    # The people who carried the news of the speech: reporters and their go-betweens.
    "journalist": ("intermediary",),
    "intermediary": ("journalist",),
}


def surname(term: GlossaryTerm) -> str:
    """The short form of the canonical name: its family name ("Khrushchev", "Mao").

    Always a word of `term.name`, never an alias: aliases include the sources'
    misspellings ("Khruschev"), which must never be shown as an option.
    """
    if term.kind != GlossaryTerm.Kind.PERSON:
        return term.name
    words = term.name.split()
    if len(words) == 1:
        return term.name
    aliases = set(term.aliases)
    # "Mao Zedong" is "Mao": the family name is the word the sources use on its own.
    used_alone = [w for w in words if w in aliases]
    return used_alone[-1] if used_alone else words[-1]


def display(term: GlossaryTerm, *, short: bool) -> str:
    return surname(term) if short else term.name


def all_spellings(term: GlossaryTerm) -> list[str]:
    spellings = [s for s in term.spellings if s]
    if term.kind == GlossaryTerm.Kind.PERSON:
        spellings.append(surname(term))
    return sorted(set(spellings), key=lambda s: (-len(s), s))


def _family(role: str) -> str:
    if role.startswith("discovered"):
        # A name the glossary lacks is asked among its own document's names
        # (name_choice), never widened to another document's.
        return role
    return role.split("-", 1)[0] if role else ""


def _is_variant(a: GlossaryTerm, b: GlossaryTerm) -> bool:
    spellings_a = {normalise(s) for s in all_spellings(a)}
    if any(normalise(s) in spellings_a for s in all_spellings(b)):
        return True
    # Another name of the same body (`same_as`: the Presidium was the Political Bureau).
    return b.slug in (a.same_as or []) or a.slug in (b.same_as or [])


def _one_name_each(terms: list[GlossaryTerm], rng: random.Random) -> list[GlossaryTerm]:
    """The terms shuffled, keeping one of the union's names ("USSR", "Soviet Union"): two
    names of one country among the options are one option twice."""
    rng.shuffle(terms)
    union = [t for t in terms if normalise(t.name) in UNION]
    return [t for t in terms if t not in union[1:]]


UNION = {"ussr", "soviet union", "the soviet union", "u s s r"}


def nested_bodies(corpus: CorpusSnapshot) -> frozenset[tuple[str, str]]:
    """Pairs of bodies (both ways) one of which names the other as the body it belongs to,
    in its name or the first sentence of its entry ("Political Bureau (Politburo) of the
    Central Committee"): every member of the one sat in the other, so "Member of the _____"
    is true of both. Read once per snapshot."""
    cached = corpus.__dict__.get("_nested_bodies")
    if cached is not None:
        return cached
    bodies = [t for t in corpus.terms if t.kind == GlossaryTerm.Kind.ORGANIZATION]
    pairs = set()
    for body in bodies:
        description = " ".join((body.description or "").split())
        said = f"{body.name}. {description.split('. ')[0]}"
        for other in bodies:
            if other.slug == body.slug:
                continue
            if any(
                len(s) > 3 and re.search(rf"\bof the {re.escape(s)}(?![\w-])", said)
                for s in all_spellings(other)
            ):
                pairs |= {(body.slug, other.slug), (other.slug, body.slug)}
    corpus.__dict__["_nested_bodies"] = cached = frozenset(pairs)
    return cached


def like_terms(
    *,
    corpus: CorpusSnapshot,
    answer: GlossaryTerm,
    avoid_text: str,
    rng: random.Random,
    count: int = 3,
    short: bool = False,
    exclude: frozenset[str] = frozenset(),
    neighbours: bool = False,
) -> tuple[list[GlossaryTerm], float]:
    """`count` terms of the answer's kind and role absent from `avoid_text`, and a penalty
    if the role had to be widened to its family ("soviet-official" -> "soviet-*") or,
    with `neighbours`, to a neighbouring role (a theorist among Communist leaders).
    Options always show the canonical name (`display`), never an alias."""

    # "Central Committee" beside "Political Bureau (of the Central Committee)": its
    # members sat in both (the historian's audit, G2).
    nested = nested_bodies(corpus) if answer.kind == GlossaryTerm.Kind.ORGANIZATION else ()

    def eligible(term: GlossaryTerm) -> bool:
        if term.slug == answer.slug or term.kind != answer.kind or _is_variant(term, answer):
            return False
        if term.slug in exclude or (term.slug, answer.slug) in nested:
            return False
        if any(contains_phrase(avoid_text, s) for s in all_spellings(term)):
            return False
        shown = display(term, short=short)
        return normalise(shown) != normalise(display(answer, short=short))

    same_role = _one_name_each(
        [t for t in corpus.terms if t.role == answer.role and eligible(t)], rng
    )
    if len(same_role) >= count or not answer.role:
        return same_role[:count], 0.0
    family = [
        t
        for t in corpus.terms
        if t.role != answer.role and _family(t.role) == _family(answer.role) and eligible(t)
    ]
    rng.shuffle(family)
    chosen = same_role + family
    if len(chosen) < count and neighbours:
        near = NEIGHBOUR_ROLES.get(answer.role, ())
        extra = [t for t in corpus.terms if t.role in near and eligible(t) and t not in chosen]
        rng.shuffle(extra)
        chosen += extra
    return chosen[:count], ROLE_FALLBACK_PENALTY
