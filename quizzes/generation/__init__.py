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
    chronology,
    cloze_date,
    cloze_name,
    cloze_quantity,
    compare_renderings,
    quote_attribution,
    source_attribution,
    true_false,
    who_what_when,
)
from quizzes.generation.candidates import Candidate, Rejection
from quizzes.generation.corpus_snapshot import CorpusSnapshot, load_snapshot
from quizzes.generation.gates import NearDuplicates, check

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
)
NEAR_DUPLICATE = "near-duplicate of another question"

__all__ = ["GENERATORS", "BankResult", "Candidate", "Rejection", "generate_bank", "load_snapshot"]


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
) -> BankResult:
    """Every generator's candidates through every gate; deterministic for a corpus and seed."""
    result = BankResult()
    passed: list[Candidate] = []
    for module in generators:
        rng = random.Random(f"{seed}:{module.NAME}")  # noqa: S311 - not cryptographic
        for item in module.generate(corpus=corpus, rng=rng):
            if isinstance(item, Rejection):
                result.rejections.append(item)
                continue
            result.candidates += 1
            reason = check(item)
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
    return result
