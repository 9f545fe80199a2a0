"""What a generator hands back: candidate questions and reasons for rejecting them.

A candidate carries everything the gates need to judge it (the text that must
support the answer, the text in which no distractor may appear, every spelling
of the answer) and becomes an unsaved `Question` with `to_question()`.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from corpus.models import EditorialNote, GlossaryTerm, Passage, TimelineEvent
from quizzes.models import Question

OPTION_IDS = "abcdefgh"


@dataclass
class Candidate:
    type: str
    generator: str
    version: int
    stem: str
    options: list[dict[str, str]]
    answer: list[str]
    # None for a question resting only on a timeline event, glossary term or note (`events`,
    # `terms`, `notes`): what HAPPENED, cited to reference works through the entry.
    passage: Passage | None
    explanation: str
    quote: str
    highlight: tuple[int, int] | None
    identity: tuple[str, ...]  # what the question tests; hashed into the fingerprint
    option_kind: str  # "figure", "date", "person", "work", "word", "boolean", "event", ...
    support_text: str = ""  # text that must contain every support phrase
    support_phrases: list[str] = field(default_factory=list)
    exclusive_text: str = ""  # no distractor may appear here
    answer_spellings: list[str] = field(default_factory=list)
    distractor_spellings: dict[str, list[str]] = field(default_factory=dict)
    excerpt: str = ""  # the passage text shown inside the stem, if any
    blank_prefix: str = ""  # words just before the blank, for a/an agreement
    extra_passages: list[Passage] = field(default_factory=list)
    penalties: dict[str, float] = field(default_factory=dict)
    difficulty: str = Question.Difficulty.MEDIUM
    # Why a sound question waits for a curator rather than being published (the bank's
    # balance: its key is already the key of many questions of its lesson, ...); "" if not.
    held: str = ""
    # The entries the question rests on: its feedback shows them, and a lesson's pool holds
    # it when the lesson lists the event or links the term (quizzes.passage_groups).
    events: list[TimelineEvent] = field(default_factory=list)
    terms: list[GlossaryTerm] = field(default_factory=list)
    notes: list[EditorialNote] = field(default_factory=list)
    # Set before the gates by the editorial rule (generation/corrections.py): the
    # corrections the question meets, and the other names of its key (aliases and terms
    # the glossary declares the same thing), none of which may be a distractor.
    corrections: list = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        raw = "|".join((self.type, *self.identity))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @property
    def answer_texts(self) -> list[str]:
        by_id = {option["id"]: option["text"] for option in self.options}
        return [by_id.get(option_id, "") for option_id in self.answer]

    @property
    def distractor_texts(self) -> list[str]:
        return [o["text"] for o in self.options if o["id"] not in self.answer]

    @property
    def quality_score(self) -> float:
        return round(max(0.0, min(1.0, 1.0 - sum(self.penalties.values()))), 3)

    @property
    def cited(self) -> list[Passage]:
        return [p for p in (self.passage, *self.extra_passages) if p is not None]

    @property
    def grounding(self) -> str:
        """The stable name of what the question rests on first: its passage, else its entry."""
        if self.passage is not None:
            return passage_ref(self.passage)
        entries = [
            *(f"event:{e.slug}" for e in self.events),
            *(f"term:{t.slug}" for t in self.terms),
            *(f"note:{n.slug}" for n in self.notes),
        ]
        return entries[0] if entries else ""

    def to_question(self, *, status: str) -> Question:
        source = self.passage.source if self.passage is not None else None
        return Question(
            type=self.type,
            stem=self.stem,
            options=self.options,
            answer=self.answer,
            explanation=self.explanation,
            explanation_quote=self.quote,
            highlight_start=self.highlight[0] if self.highlight else None,
            highlight_end=self.highlight[1] if self.highlight else None,
            passage=self.passage,
            source=source,
            work=source.work if source is not None else None,
            generator=self.generator,
            generator_version=self.version,
            status=status,
            quality_score=self.quality_score,
            difficulty=self.difficulty,
            fingerprint=self.fingerprint,
        )


@dataclass(frozen=True)
class Rejection:
    generator: str
    reason: str
    detail: str = ""
    passage_key: str = ""


def passage_ref(passage: Passage) -> str:
    """The stable name of a passage: survives re-ingest (keys are carried over)."""
    return f"{passage.source.slug}:{passage.key}"


def item_rng(rng_seed: float, *parts: str) -> random.Random:
    """A random stream per item, so one new passage does not reshuffle every other question."""
    return random.Random(f"{rng_seed!r}:" + ":".join(parts))  # noqa: S311 - not cryptographic


def shuffled_options(
    *, rng: random.Random, answer: str, distractors: list[str]
) -> tuple[list[dict[str, str]], list[str]]:
    texts = [answer, *distractors]
    rng.shuffle(texts)
    options = [{"id": OPTION_IDS[i], "text": text} for i, text in enumerate(texts)]
    return options, [OPTION_IDS[texts.index(answer)]]


def explanation_for(*, passage: Passage, quote: str, answer: str) -> str:
    where = passage.page_label
    where = f", {where}" if where else ""
    return f"The answer is {answer}: see {passage.source.title}{where}."
