"""Which answer a question keys, for counting how often one answer is the key.

"Lenin", "Vladimir Lenin" and "V. I. Lenin" are one answer to a student guessing: every
spelling of a glossary term counts as the term. Used by the bank's balancing
(`balancing.spread_keys`) and by `question_report`, so both count alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus.models import GlossaryTerm
from quizzes.generation.glossary_choice import all_spellings
from quizzes.generation.sentences import normalise
from quizzes.models import Question

# Types whose key is one option's text. A true/false key ("True") and a chronology's
# order are not answers a student could learn to guess by their text.
ONE_ANSWER_TYPES = frozenset(
    t.value for t in Question.Type if t not in (Question.Type.TRUE_FALSE, Question.Type.CHRONOLOGY)
)
# A key may be the key of at most this share of a lesson's questions of those types.
KEY_SHARE = 0.05


def key_cap(items: int) -> int:
    """How many of `items` questions may share one key: 5 %, and at least one."""
    return max(1, int(KEY_SHARE * items))


class AnswerKeys:
    """Maps an answer text to what it names: a glossary term's name, or the text itself."""

    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        self._names: dict[str, str] = {}
        for term in terms:
            for spelling in all_spellings(term):
                self._names.setdefault(normalise(spelling), term.name)
            self._names[normalise(term.name)] = term.name

    def key(self, text: str) -> str:
        return self._names.get(normalise(text), text.strip())
