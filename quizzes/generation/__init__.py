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
from quizzes.generation.candidates import Candidate, Rejection, passage_ref
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
    for candidate in result.accepted:
        _cite_twins(corpus, candidate)
    result.accepted, capped = balance(result.accepted)
    result.rejections.extend(
        Rejection(c.generator, CAPPED, c.stem[:200], c.identity[0]) for c in capped
    )
    return result


# Types that test what a sentence says or where it is from: easy to mass-produce, so
# they fill gaps in coverage rather than dominate the bank.
FILLER_TYPES = ("true_false", "source_attribution")
CAPPED = "capped: the passage already has questions"
FILLERS_PER_PASSAGE = 1
WELL_COVERED = 3


def _cited(candidate: Candidate) -> list[str]:
    return [passage_ref(p) for p in (candidate.passage, *candidate.extra_passages)]


def _filler_rank(c: Candidate) -> int:
    """A false statement tests most; a true one least (a bank of true statements teaches
    students to answer "true"), so it only fills a passage nothing else can."""
    if c.type == "true_false":
        return 0 if c.answer == ["false"] else 2
    return 1


def balance(accepted: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """(kept, capped): at most one true/false or source-attribution question per passage,
    none for a passage that questions of other types already cite `WELL_COVERED` times;
    a false statement first, then source attribution, then a true statement."""
    substantive: Counter[str] = Counter()
    for c in accepted:
        if c.type not in FILLER_TYPES:
            substantive.update(set(_cited(c)))
    fillers = sorted(
        (c for c in accepted if c.type in FILLER_TYPES),
        key=lambda c: (_filler_rank(c), -c.quality_score, c.fingerprint),
    )
    used: Counter[str] = Counter()
    keep: set[str] = set()
    for c in fillers:
        ref = passage_ref(c.passage)
        if substantive[ref] >= WELL_COVERED or used[ref] >= FILLERS_PER_PASSAGE:
            continue
        used[ref] += 1
        keep.add(c.fingerprint)
    kept = [c for c in accepted if c.type not in FILLER_TYPES or c.fingerprint in keep]
    capped = [c for c in accepted if c.type in FILLER_TYPES and c.fingerprint not in keep]
    return kept, capped


def _cite_twins(corpus: CorpusSnapshot, candidate: Candidate) -> None:
    """A question on words the anthology repeats from the Congressional Record cites both."""
    if candidate.type in ("chronology", "who_what_when", "compare_renderings"):
        return
    text = candidate.quote
    if candidate.type in FILLER_TYPES and candidate.support_phrases:
        text = candidate.support_phrases[0]
    have = {passage_ref(p) for p in (candidate.passage, *candidate.extra_passages)}
    for twin in corpus.twins(candidate.passage, text):
        if passage_ref(twin) not in have:
            candidate.extra_passages.append(twin)
            have.add(passage_ref(twin))
