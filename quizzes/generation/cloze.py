"""What the three cloze generators share: picking sentences and blanking a span."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.models import Passage
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import split_sentences, straighten_quotes, word_count

BLANK = "_____"
# Initials before a surname ("V. I. Lenin", "V.I Lenin") belong to the blank: left in the
# stem they give the name away.
INITIALS = re.compile(r"(?:(?:\b[A-Z]\. ?){1,3}|\b[A-Z]\.[A-Z] )$")
MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 44


@dataclass(frozen=True)
class Sentence:
    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def sentences(passage: Passage) -> Iterator[Sentence]:
    for start, end in split_sentences(passage.text):
        text = passage.text[start:end]
        if MIN_SENTENCE_WORDS <= word_count(text) <= MAX_SENTENCE_WORDS:
            yield Sentence(passage, start, end)


@dataclass(frozen=True)
class Blanked:
    stem: str
    excerpt: str
    blank_prefix: str
    quote: str
    highlight: tuple[int, int]


def blank(
    *, corpus: CorpusSnapshot, sentence: Sentence, start: int, end: int, what: str
) -> Blanked:
    """A stem with passage text [start:end) (offsets in the sentence) replaced by a blank."""
    text = sentence.text
    excerpt = straighten_quotes(text)
    blanked = excerpt[:start] + BLANK + excerpt[end:]
    label = corpus.source_label(sentence.passage)
    stem = f"Which {what} completes this sentence from {label}? “{blanked}”"
    return Blanked(
        stem=stem,
        excerpt=excerpt,
        blank_prefix=excerpt[:start],
        quote=text,
        highlight=(start, end),
    )


def word_bounded(text: str, phrase: str) -> Iterator[re.Match[str]]:
    yield from re.finditer(rf"(?<![\w'-]){re.escape(phrase)}(?![\w-])", text)


def occurrence(*, sentence: Sentence, start: int, text: str) -> str:
    """Which occurrence in the passage a span is ("2"): stable while the passage's key is."""
    absolute = sentence.start + start
    return str(sentence.passage.text[:absolute].count(text))
