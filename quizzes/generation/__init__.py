"""Question generation: one module per question type, a registry, and the gates.

Each generator module has NAME, VERSION, TYPE and
`generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]`.
`generate_bank()` runs them, passes every candidate through the gates and the
near-duplicate filter, and returns unsaved candidates and rejections; the
generate_questions command saves them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

from quizzes.generation import (
    appositions,
    chronology,
    claim_source,
    cloze_date,
    cloze_name,
    cloze_quantity,
    compare_renderings,
    disagreement,
    document_chronology,
    entry_clozes,
    event_questions,
    event_statements,
    lesson_chronology,
    quote_attribution,
    source_attribution,
    term_questions,
    true_false,
    who_what_when,
)
from quizzes.generation.answer_keys import AnswerKeys
from quizzes.generation.balancing import (
    CAPPED,
    FILLER_TYPES,
    Groups,
    balance_true_false,
    publish_threshold,
    select_fillers,
    spread_keys,
)
from quizzes.generation.candidates import Candidate, Rejection, passage_ref
from quizzes.generation.clues import Clues
from quizzes.generation.corpus_snapshot import CorpusSnapshot, load_snapshot
from quizzes.generation.corrections import EditorialRule
from quizzes.generation.gates import NearDuplicates, check
from quizzes.passage_groups import PassageGroup, passage_groups

GENERATORS: tuple[ModuleType, ...] = (
    cloze_quantity,
    cloze_date,
    cloze_name,
    who_what_when,
    true_false,
    quote_attribution,
    source_attribution,
    chronology,
    compare_renderings,
    # A new document before the timeline and glossary cover it: who held an office, and
    # the order of its own dated sentences.
    appositions,
    document_chronology,
    # What happened, resting on timeline and glossary entries that cite reference works.
    event_questions,
    term_questions,
    event_statements,
    lesson_chronology,
    entry_clozes,
    # Beyond recall, from the editorial notes: where sources disagree, who claims what.
    disagreement,
    claim_source,
)
NEAR_DUPLICATE = "near-duplicate of another question"

__all__ = [
    "GENERATORS",
    "BankResult",
    "Candidate",
    "Rejection",
    "generate_bank",
    "lesson_groups",
    "load_snapshot",
]


@dataclass
class BankResult:
    accepted: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    candidates: int = 0

    def rejection_counts(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejections)


def generate_bank(
    *,
    corpus: CorpusSnapshot,
    seed: int,
    generators: Sequence[ModuleType] = GENERATORS,
    on_generator_done: Callable[[str], None] | None = None,
    groups: Groups = (),
) -> BankResult:
    """Every generator's candidates through every gate; deterministic for a corpus and seed.
    `groups` are the lessons (`lesson_groups()`): the bank is balanced within each of them
    (`balancing`) as well as as a whole, and a chronology may order one lesson's events."""
    result = BankResult()
    passed: list[Candidate] = []
    if groups and not corpus.groups:
        corpus.groups = groups
    rule = EditorialRule(corpus)
    clues = Clues(corpus)  # what a stem tells of its key beyond the fact it tests
    for module in generators:
        rng = random.Random(f"{seed}:{module.NAME}")  # noqa: S311 - not cryptographic
        for item in module.generate(corpus=corpus, rng=rng):
            if isinstance(item, Rejection):
                result.rejections.append(item)
                continue
            result.candidates += 1
            rule.mark(item)
            reason = check(item) or clues.check(item)
            if reason:
                result.rejections.append(
                    Rejection(item.generator, reason, item.stem[:200], item.identity[0])
                )
            else:
                passed.append(item)
        if on_generator_done:
            on_generator_done(module.NAME)
    # The better of two near-duplicates survives: best score first, ties by fingerprint.
    passed.sort(key=lambda c: (-c.quality_score, c.fingerprint))
    duplicates = NearDuplicates()
    for candidate in passed:
        if duplicates.is_duplicate(candidate):
            result.rejections.append(
                Rejection(
                    candidate.generator, NEAR_DUPLICATE, candidate.stem[:200], candidate.identity[0]
                )
            )
            continue
        duplicates.add(candidate)
        result.accepted.append(candidate)
    for candidate in result.accepted:
        _cite_twins(corpus, candidate)
    # Keys first, so a passage whose questions wait for review counts as uncovered and
    # can take a filler; then the fillers' own balance and keys.
    threshold = publish_threshold()
    keys = AnswerKeys(corpus.terms)
    spread_keys(result.accepted, keys, groups, threshold=threshold)
    result.accepted, capped = select_fillers(result.accepted, groups, threshold=threshold)
    result.rejections.extend(
        Rejection(c.generator, CAPPED, c.stem[:200], c.identity[0]) for c in capped
    )
    balance_true_false(result.accepted, groups, threshold=threshold)
    spread_keys(result.accepted, keys, groups, threshold=threshold)
    return result


def lesson_groups() -> list[PassageGroup]:
    """Each lesson: its passages, events and terms (registered with `quizzes.passage_groups`)."""
    return list(passage_groups().values())


def _cite_twins(corpus: CorpusSnapshot, candidate: Candidate) -> None:
    """A question on words the anthology repeats from the Congressional Record cites both."""
    if candidate.type in ("chronology", "who_what_when", "compare_renderings"):
        return
    if candidate.passage is None:  # resting on an entry: no passage to find twins of
        return
    text = candidate.quote
    if candidate.type in FILLER_TYPES and candidate.support_phrases:
        text = candidate.support_phrases[0]
    have = {passage_ref(p) for p in (candidate.passage, *candidate.extra_passages)}
    for twin in corpus.twins(candidate.passage, text):
        if passage_ref(twin) not in have:
            candidate.extra_passages.append(twin)
            have.add(passage_ref(twin))
