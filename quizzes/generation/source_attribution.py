"""Source attribution: "Which document does this passage come from?"

Answered at the level of the work (the speech, the resolution, the magazine
article, the encyclopedia article), and asked only of the documents of 1956 (the speech,
the resolution): which later article summarises the speech in a given sentence is a
fact about the reading list, not about history. Only passages whose words appear in one
work are asked about: not a quotation of another work (`Passage.quoted_work`),
and no sentence shared, even loosely, with another work (word 5-gram overlap),
so Lenin's letter, quoted by both the speech and the resolution, never is.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from corpus.models import GlossaryTerm, Passage, Work
from quizzes.generation import clues
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings
from quizzes.generation.sentences import (
    contains_phrase,
    normalise,
    split_sentences,
    straighten_quotes,
    word_count,
)
from quizzes.models import Question

NAME = "source_attribution"
VERSION = 3
TYPE = Question.Type.SOURCE_ATTRIBUTION
SHINGLE = 5
MAX_SHARED = 0.1
MIN_WORDS, MAX_WORDS = 14, 45
# The documents of the time, whose voice a student learns to tell apart: the speech's
# and the resolution's words are asked about, a later article's summaries are not.
PRIMARY = frozenset({Work.Kind.SPEECH, Work.Kind.RESOLUTION})


def shingles(text: str) -> set[tuple[str, ...]]:
    words = normalise(text).split()
    return {tuple(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def _work_of(passage: Passage) -> str:
    return passage.quoted_work.slug if passage.quoted_work else passage.source.work.slug


# A booklet's section heading run into its first sentence ("2. HOW, indeed, could it
# happen …", round 7, R013): the excerpt starts at the next sentence.
_SECTION_START = re.compile(r"\s*(?:\d+\.|[IVX]+\.)\s+[A-Z]{2,}\b")
_SECTION_NUMBER = re.compile(r"\s*(?:\d+|[IVX]+)\.\s*")  # split off as a sentence of its own


def _excerpt(passage: Passage) -> tuple[int, int] | None:
    """The first run of whole sentences of 14–45 words, starting at a sentence start and
    not at a section number. Never a sentence cut at a comma: "In raising the question
    of combating the cult …" (round 5, R060) and "The ideologists of capitalism, in an
    effort to undermine … the people …" (round 7, R063) said nothing before their cut."""
    text = passage.text
    spans = split_sentences(text)
    for i, (start, stop) in enumerate(spans):
        if _SECTION_START.match(text, start) or (
            i and _SECTION_NUMBER.fullmatch(text[spans[i - 1][0] : spans[i - 1][1]])
        ):
            continue
        end = None
        for _, stop in spans[i:]:
            words = word_count(text[start:stop])
            if words > MAX_WORDS:
                break
            end = stop
            if words >= MIN_WORDS:
                return start, end
    return None


def anchored(corpus: CorpusSnapshot, excerpt: str) -> bool:
    """Whether the excerpt names something a student can place: a person, a place, a
    nation, a date or a figure. "We are absolutely certain that our party … will lead
    the Soviet people along the Leninist path" could close either document (round 6,
    R102, R117)."""
    if re.search(r"\d", excerpt) or clues.nation_words(excerpt) - {"soviet union"}:
        return True
    return any(
        contains_phrase(excerpt, spelling)
        for term in corpus.terms
        if term.kind in (GlossaryTerm.Kind.PERSON, GlossaryTerm.Kind.PLACE)
        for spelling in all_spellings(term)
        if len(spelling) > 3
    )


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    by_work: dict[str, set[tuple[str, ...]]] = {}
    for passage in corpus.all_passages:
        by_work.setdefault(_work_of(passage), set()).update(shingles(passage.text))
        # A quotation belongs to both works: its words are in the quoting one too.
        if passage.quoted_work:
            by_work.setdefault(passage.source.work.slug, set()).update(shingles(passage.text))
    works = {w.slug: w for w in corpus.works}
    for passage in corpus.passages:
        ref = passage_ref(passage)
        work = passage.source.work
        if passage.quoted_work is not None:
            yield Rejection(NAME, "passage quotes another work", "", ref)
            continue
        if work.kind == Work.Kind.OTHER:
            # A document imported beside the corpus's works on the speech is told from
            # them by its subject alone ("The amnesty freed ..."): nothing to attribute.
            yield Rejection(NAME, "a document on another subject than the other works", "", ref)
            continue
        if work.kind not in PRIMARY:
            # "Khrushchev denounced Stalin, the cult of personality he had fostered ...":
            # whether a summary sentence is History Today's or the encyclopedia's is a fact
            # about this course's reading list, not about history.
            yield Rejection(
                NAME, "a secondary account's sentence: which one is no history", "", ref
            )
            continue
        span = _excerpt(passage)
        if span is None:
            yield Rejection(NAME, "no excerpt of the right length", "", ref)
            continue
        excerpt = passage.text[span[0] : span[1]]
        if not anchored(corpus, excerpt):
            yield Rejection(NAME, "a generic sentence: nothing named to tell its voice by", "", ref)
            continue
        own = shingles(excerpt)
        shared = max(
            (len(own & s) / max(1, len(own)) for slug, s in by_work.items() if slug != work.slug),
            default=0.0,
        )
        if shared > MAX_SHARED:
            yield Rejection(NAME, "text appears in more than one work", "", ref)
            continue
        others = [w for slug, w in works.items() if slug != work.slug]
        r = item_rng(base, ref)
        r.shuffle(others)
        others = others[:3]
        if len(others) < 2:
            yield Rejection(NAME, "too few works to choose from", "", ref)
            continue
        options, answer = shuffled_options(
            rng=r,
            answer=corpus.work_option(work),
            distractors=[corpus.work_option(w) for w in others],
        )
        shown = straighten_quotes(excerpt)
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=f"Which document does this passage come from? “{shown}”",
            options=options,
            answer=answer,
            passage=passage,
            explanation=f"This passage is from {passage.source.title}.",
            quote=passage.text,
            highlight=span,
            identity=(ref,),
            option_kind="work",
            support_text=passage.text,
            support_phrases=[excerpt],
            answer_spellings=[work.title],
            excerpt=shown,
            penalties={"three options only": 0.1 if len(others) < 3 else 0.0},
            difficulty="easy",
        )
