"""What the three cloze generators share: picking sentences and blanking a span."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.models import Passage, Work
from quizzes.generation.candidates import Candidate, explanation_for
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import (
    split_sentences,
    straighten_quotes,
    without_citations,
    word_count,
)
from quizzes.generation.statements import ANAPHORA, standalone_problem

BLANK = "_____"
# Initials before a surname ("V. I. Lenin", "V.I Lenin") belong to the blank: left in the
# stem they give the name away.
INITIALS = re.compile(r"(?:(?:\b[A-Z]\. ?){1,3}|\b[A-Z]\.[A-Z] )$")
MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 44
MIN_TEACHING_WORDS = 12
TRIVIAL_PENALTY = 0.35


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
    *,
    corpus: CorpusSnapshot,
    sentence: Sentence,
    start: int,
    end: int,
    what: str,
    about: str = "",
) -> Blanked:
    """A stem with passage text [start:end) (offsets in the sentence) replaced by a blank.
    `about` names what the sentence is about when the sentence itself does not
    ("Of _____ delegates ..." is about the 17th Party Congress)."""
    text = sentence.text
    excerpt = straighten_quotes(text)
    # "(Works, Vol. 26, Page 431)" is no part of the sentence a student completes.
    blanked = without_citations(excerpt[:start]) + BLANK + without_citations(excerpt[end:])
    label = corpus.source_label(sentence.passage)
    about = f", about {about}" if about else ""
    these = "these sentences" if len(split_sentences(text)) > 1 else "this sentence"
    stem = f"Which {what} completes {these} from {label}{about}? “{blanked}”"
    return Blanked(
        stem=stem,
        excerpt=excerpt,
        blank_prefix=excerpt[:start],
        quote=text,
        highlight=(start, end),
    )


def earlier_sentences(sentence: Sentence) -> list[str]:
    """The sentences of the passage before this one, nearest first."""
    text = sentence.passage.text
    return [text[a:b] for a, b in reversed(split_sentences(text)) if b <= sentence.start]


def standalone(*, corpus: CorpusSnapshot, sentence: Sentence, persons=()) -> str | None:
    """Why the sentence cannot be read without its passage (see `statements`), or None."""
    return standalone_problem(
        text=sentence.text,
        passage=sentence.passage,
        start=sentence.start,
        terms=corpus.terms,
        work_kind=corpus.work_of(sentence.passage).kind,
        persons=persons,
        anaphoric=True,
        known=known_title(corpus, sentence.passage),
    )


def known_title(corpus: CorpusSnapshot, passage: Passage) -> str:
    """What the stem's name for the work tells a reader ("the congress" of a document
    called "... the 22nd Party Congress of 1961")."""
    work = corpus.work_of(passage)
    return f"{corpus.source_label(passage)} {work.title} {_IMPLIED.get(work.kind, '')}"


# What every reader of these works knows they are about: the speech was made to the 20th
# Congress; the resolution is the Central Committee's decision.
_IMPLIED = {
    Work.Kind.SPEECH: "congress delegates report speech",
    Work.Kind.RESOLUTION: "resolution decision",
}
MAX_PAIR_WORDS = 45
INTRODUCES_UNSHOWN = "the sentence introduces words it does not show"
A_QUESTION = "a question asserts nothing to complete"
# "Lenin's mausoleum", "Lenin's behests": the phrase names him; anyone completes it.
SET_PHRASE = re.compile(r"['’]s (?:mausoleum|testament|behests|precepts|covenants)\b")
_FIXED_BY_CONTEXT = {"pronoun without antecedent", ANAPHORA}


def in_context(
    *, corpus: CorpusSnapshot, sentence: Sentence, persons=()
) -> tuple[Sentence | None, str | None]:
    """The text a stem quotes to ask about `sentence` (offsets of `persons` in it): the
    sentence alone if it stands alone; else with the sentence before it, when that says
    who "he" is or what "it" or "the decree" is ("Zhukov's triumph was brief. On 26
    October 1957 ... he was dismissed ..."); else (None, why not)."""
    if sentence.text.rstrip().endswith(":"):
        # "In _____, in a letter to the Party Congress, Vladimir Ilyich wrote:" asks of
        # words the stem does not show (which part of the letter?).
        return None, INTRODUCES_UNSHOWN
    if sentence.text.rstrip().rstrip("”\"'’").endswith("?"):
        # "Were there any signs that _____ was an enemy of the party?" asserts nothing:
        # Yezhov and Yagoda fit as well as Beria (round 6 review).
        return None, A_QUESTION
    problem = standalone(corpus=corpus, sentence=sentence, persons=persons)
    if problem not in _FIXED_BY_CONTEXT:
        return (sentence, None) if problem is None else (None, problem)
    before = [(a, b) for a, b in split_sentences(sentence.passage.text) if b <= sentence.start]
    if not before:
        return None, problem
    start = before[-1][0]
    pair = Sentence(sentence.passage, start, sentence.end)
    # Room in a stem of at most 60 words beside "Which figure completes these sentences
    # from <the work's title>, about ...?"
    room = min(MAX_PAIR_WORDS, 60 - word_count(corpus.source_label(sentence.passage)) - 12)
    if word_count(pair.text) > room:
        return None, problem
    shift = sentence.start - start
    if standalone(corpus=corpus, sentence=pair, persons=[p + shift for p in persons]):
        return None, problem
    return pair, None


def trivial_penalty(excerpt: str) -> float:
    """A sentence too short to teach anything ("You see to what _____'s mania for
    greatness led.") waits for a curator rather than being published."""
    return TRIVIAL_PENALTY if word_count(excerpt) < MIN_TEACHING_WORDS else 0.0


def word_bounded(text: str, phrase: str) -> Iterator[re.Match[str]]:
    yield from re.finditer(rf"(?<![\w'-]){re.escape(phrase)}(?![\w-])", text)


def occurrence(*, sentence: Sentence, start: int, text: str) -> str:
    """Which occurrence in the passage a span is ("2"): stable while the passage's key is."""
    absolute = sentence.start + start
    return str(sentence.passage.text[:absolute].count(text))


def cloze_candidate(
    *,
    kind: tuple[str, str, int],
    passage: Passage,
    blanked: Blanked,
    options: list[dict],
    answer: list[str],
    answer_text: str,
    shown_text: str,
    identity: tuple,
    option_kind: str,
    answer_spellings: list[str],
    penalties: dict[str, float],
    difficulty: str,
    **extra,
) -> Candidate:
    """The candidate every cloze generator makes: a blanked sentence of `passage` whose
    answer is `shown_text` as the passage prints it. `kind` is (type, generator, version)."""
    question_type, generator, version = kind
    return Candidate(
        type=question_type,
        generator=generator,
        version=version,
        stem=blanked.stem,
        options=options,
        answer=answer,
        passage=passage,
        explanation=explanation_for(passage=passage, quote=blanked.quote, answer=answer_text),
        quote=blanked.quote,
        highlight=blanked.highlight,
        identity=identity,
        option_kind=option_kind,
        support_text=passage.text,
        support_phrases=[shown_text],
        exclusive_text=passage.text,
        answer_spellings=answer_spellings,
        excerpt=blanked.excerpt,
        blank_prefix=blanked.blank_prefix,
        penalties={**penalties, "trivial stem": trivial_penalty(blanked.excerpt)},
        difficulty=difficulty,
        **extra,
    )
