"""What one question card of an attempt shows: the question, or its feedback once answered.

The key never reaches the page before the student answers: a card's feedback properties
return nothing unless the card is in the FEEDBACK state, and the feedback's extra reads
(editorial notes, timeline and glossary entries) happen only then. The card's reads run on
every request of the quiz flow, so they are compiled once (quizzes/prepared.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from quizzes import editorial, feedback_entries
from quizzes.grading import is_ordering
from quizzes.models import Attempt, Question, Response
from quizzes.prepared import PreparedQuery

BLANK = "_____"

_QUOTED = re.compile(r"^(?P<lead>[^“]*?)\s*“(?P<quote>.*)”(?P<tail>[^”]*)$", re.S)
_ASKED = re.compile(r"^(?P<lead>.*?\?)\s+(?P<quote>\S.*)$", re.S)


@dataclass(frozen=True)
class Stem:
    """A stem split for display: the question, then the text it is about.

    Each part is a list of text pieces that had a blank between them, so the
    template can draw the gap (and label it for screen readers) without |safe.
    """

    lead: list[str]
    quote: list[str]
    quoted: bool

    @classmethod
    def parse(cls, text: str) -> Stem:
        if match := _QUOTED.match(text):
            lead = match["lead"] + (match["tail"] if match["tail"].strip() else "")
            return cls(lead.split(BLANK), match["quote"].split(BLANK), True)
        if match := _ASKED.match(text):
            return cls(match["lead"].split(BLANK), match["quote"].split(BLANK), False)
        return cls(text.split(BLANK), [], False)


QUESTION = "question"  # asking; nothing about the key may be in the page
FEEDBACK = "feedback"  # practice: answered, show right/wrong and why
SAVED = "saved"  # test: answered, feedback waits for the end
COMPLETE = "complete"  # every question answered: offer to finish
CLOSED = "closed"  # the attempt takes no more answers


@dataclass
class QuestionCard:
    """Everything one card of an attempt shows. Feedback properties return nothing
    unless the card is in the FEEDBACK state, so a template cannot leak the key.

    What the template reads more than once (the kind, the options) is computed once:
    a card is built, its order or move set, then rendered, and never changed after."""

    attempt: Attempt
    state: str
    question: Question | None = None
    order: list[str] = field(default_factory=list)
    response: Response | None = None
    notice: str = ""
    error: str = ""
    moved: str = ""
    moved_direction: str = ""
    focus: bool = False

    @property
    def total(self) -> int:
        return self.attempt.question_count

    @property
    def answered(self) -> int:
        return self.attempt.answered_count

    @cached_property
    def position(self) -> int:
        return self.attempt.question_ids.index(self.question.pk) + 1 if self.question else 0

    @property
    def unanswered(self) -> int:
        return max(self.total - self.answered, 0)

    @cached_property
    def kind(self) -> str:
        if is_ordering(self.question.type):
            return "ordering"
        if self.question.type == Question.Type.TRUE_FALSE:
            return "true_false"
        return "choice"

    @cached_property
    def stem(self) -> Stem:
        return Stem.parse(self.question.stem)

    @cached_property
    def options(self) -> list[dict]:
        texts = {option["id"]: option["text"] for option in self.question.options}
        ids = self.order or self.attempt.option_ids(self.question)
        chosen = set(self.response.answer) if self.response and self.state != QUESTION else set()
        ids = [option_id for option_id in ids if option_id in texts]
        question_id = self.question.pk
        return [
            {
                "id": option_id,
                # The radio's id, made here: two lookups per option fewer in the loop.
                "input_id": f"q{question_id}-{option_id}",
                "text": texts[option_id],
                "position": n,
                "first": n == 1,
                "last": n == len(ids),
                "chosen": option_id in chosen,
                "moved": option_id == self.moved,
                "focus": self._focus_button(option_id, n, len(ids)),
            }
            for n, option_id in enumerate(ids, 1)
        ]

    def _focus_button(self, option_id: str, n: int, count: int) -> str:
        """Which move button of the moved item keeps the focus after a reload or a swap:
        the one just pressed, or the other once the item reaches an end of the list."""
        if option_id != self.moved:
            return ""
        if self.moved_direction == "up":
            return "up" if n > 1 else "down"
        return "down" if n < count else "up"

    @property
    def announcement(self) -> str:
        for option in self.options if self.moved else []:
            if option["moved"]:
                return (
                    f"“{option['text']}” is now number {option['position']} of {len(self.order)}."
                )
        return ""

    @property
    def your_answer(self) -> list[str]:
        if self.response is None or self.state not in (FEEDBACK, SAVED):
            return []
        texts = {option["id"]: option["text"] for option in self.question.options}
        return [texts.get(option_id, option_id) for option_id in self.response.answer]

    @cached_property
    def feedback(self) -> Feedback | None:
        if self.state != FEEDBACK or self.response is None:
            return None
        return Feedback(question=self.question, response=self.response)


@dataclass(frozen=True)
class Feedback:
    """The revealed side of an answered question: used by feedback and the review page.
    The link and the citation are read twice by the template: computed once (a reverse())."""

    question: Question
    response: Response | None
    # Editorial notes on the question's passages, when the caller has them (the results
    # page reads every row's in one go); a card's feedback reads its own (`notes`).
    given_notes: tuple | None = None
    # The timeline and glossary entries a question without a passage rests on, when the
    # caller has them (the results page); a card's feedback reads its own (`entries`).
    given_entries: tuple | None = None

    @property
    def is_correct(self) -> bool:
        return bool(self.response and self.response.is_correct)

    @cached_property
    def notes(self) -> tuple:
        """Editorial notes on the question's passage or a passage it cites: asked only
        here, so only once the answer is revealed (quizzes.editorial)."""
        if self.given_notes is not None:
            return self.given_notes
        return tuple(editorial.notes_for_question(question=self.question))

    @cached_property
    def entries(self) -> tuple:
        """The entries a question without a passage rests on, shown in its place: asked
        only here, so only once the answer is revealed (quizzes.feedback_entries)."""
        if self.given_entries is not None:
            return self.given_entries
        return feedback_entries.entries_for_question(question=self.question)

    @cached_property
    def correct_answer(self) -> list[str]:
        return self.question.correct_texts()

    @property
    def is_ordering(self) -> bool:
        return is_ordering(self.question.type)

    @property
    def quotes_each_source(self) -> bool:
        """The quotation is one line per source, each naming it (a chronology's events, the
        two sides of a disagreement): no single citation under it."""
        return self.is_ordering or self.question.type in (
            Question.Type.DISAGREEMENT,
            Question.Type.CLAIM_SOURCE,
        )

    @cached_property
    def quote(self) -> tuple[str, str, str]:
        return self.question.highlighted_quote

    @cached_property
    def passage_url(self) -> str:
        passage = self.question.passage
        return passage.get_absolute_url() if passage else ""

    @cached_property
    def source_title(self) -> str:
        passage = self.question.passage
        return passage.source.title if passage else ""


# Feedback names the passage and its source; of those rows it needs only what
# makes the link and the citation. Loading whole passages (their text) and
# sources was the costliest query of answering (measured by `make bench`).
_EVIDENCE = ("passage__key", "passage__source__slug", "passage__source__title")
# What a card and grading read of the question. The rest (curation's fields and four
# timestamps, each parsed from text on SQLite) is a tenth of a millisecond per card.
_CARD_FIELDS = (
    "type",
    "stem",
    "options",
    "answer",
    "explanation",
    "explanation_quote",
    "highlight_start",
    "highlight_end",
    "passage",
    "version",
)


# A card's reads run on every request of the quiz flow: compiled once (quizzes/prepared.py).
# No ORDER BY: one row by its key (as get() leaves it out), or a set of ids.
_CARD_QUESTION = PreparedQuery(
    lambda pk: Question.objects.only(*_CARD_FIELDS).filter(pk=pk).order_by()
)
_CARD_QUESTION_WITH_EVIDENCE = PreparedQuery(
    lambda pk: (
        Question.objects.select_related("passage__source")
        .only(*_CARD_FIELDS, *_EVIDENCE)
        .filter(pk=pk)
        .order_by()
    )
)
_ANSWERED_IDS = PreparedQuery(
    lambda attempt_id: (
        Response.objects.filter(attempt_id=attempt_id)
        .order_by()
        .values_list("question_id", flat=True)
    )
)


def card_question(question_id: int, *, evidence: bool = False) -> Question | None:
    """The question; with `evidence`, also what its feedback shows (passage, source)."""
    questions = _CARD_QUESTION_WITH_EVIDENCE if evidence else _CARD_QUESTION
    return questions.one(pk=question_id)


def card_for(*, attempt: Attempt, position: int | None = None, notice: str = "") -> QuestionCard:
    """The card to show: question `position` if it is answered (its feedback), else the
    first unanswered question (where a student who closed the tab picks up)."""
    ids = attempt.question_ids
    # order_by(): Response's default ordering is by attempt, which joined the attempt
    # table into every card's query for nothing. The next question needs only which
    # ids are answered; a revisited one needs its response.
    revisit = bool(position and 1 <= position <= len(ids))
    if revisit:
        answered = {r.question_id: r for r in attempt.responses.order_by()}
    else:
        answered = dict.fromkeys(_ANSWERED_IDS.all(attempt_id=attempt.pk))
    if revisit and ids[position - 1] in answered:
        response = answered[ids[position - 1]]
        state = FEEDBACK if attempt.is_practice else SAVED
        return QuestionCard(
            attempt,
            state,
            card_question(ids[position - 1], evidence=state == FEEDBACK),
            response=response,
            notice=notice,
        )
    for question_id in ids:
        if question_id not in answered and (question := card_question(question_id)):
            return QuestionCard(attempt, QUESTION, question, notice=notice)
    return QuestionCard(attempt, COMPLETE, notice=notice)
