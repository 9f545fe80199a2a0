"""Compare renderings: a wording that differs between two renderings of the same text.

Sentences of different sources that say nearly the same thing (the speech in
two translations; Lenin's letter in the speech and in the resolution) are
aligned with rapidfuzz; a word-level diff finds a short content-word
substitution ("kindness" / "politeness"), and the question asks which word one
rendering uses. The other rendering's word is always a distractor, which is
the point of the question. Spelling and OCR differences are not substitutions.
"""

from __future__ import annotations

import difflib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import BLANK, Sentence, sentences
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import contains_phrase, normalise, straighten_quotes
from quizzes.models import Question

NAME = "compare_renderings"
VERSION = 1
TYPE = Question.Type.COMPARE_RENDERINGS
ALIGN_SCORE = 72
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_STOP = {
    "a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "by", "with", "at", "as", "is",
    "was", "were", "be", "been", "that", "which", "who", "this", "these", "it", "its", "he",
    "his", "they", "their", "not", "no", "from", "but", "so", "such", "also", "all", "has", "had",
    "have", "would", "will", "should", "could", "into", "upon", "than", "there",
}  # fmt: skip


@dataclass(frozen=True)
class Difference:
    sentence: Sentence  # the rendering asked about
    other: Sentence
    start: int  # offsets in sentence.text
    end: int
    answer: str
    other_text: str


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _substitution(a: Sentence, b: Sentence) -> Difference | None:
    wa, wb = _words(a.text), _words(b.text)
    la, lb = [w.group(0).lower() for w in wa], [w.group(0).lower() for w in wb]
    matcher = difflib.SequenceMatcher(a=la, b=lb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or not (1 <= i2 - i1 <= 2 and 1 <= j2 - j1 <= 2):
            continue
        while i2 - i1 > 1 and la[i1] in _STOP:
            i1 += 1
        while j2 - j1 > 1 and lb[j1] in _STOP:
            j1 += 1
        old, new = " ".join(la[i1:i2]), " ".join(lb[j1:j2])
        if set(old.split()) <= _STOP or set(new.split()) <= _STOP:
            continue
        if fuzz.ratio(old, new) >= 60 or len(new) < 4 or len(old) < 4:
            continue  # a spelling variant or an OCR slip, not a different word
        start, end = wb[j1].start(), wb[j2 - 1].end()
        shown_old = a.text[wa[i1].start() : wa[i2 - 1].end()]
        return Difference(b, a, start, end, b.text[start:end], shown_old)
    return None


def find_differences(corpus: CorpusSnapshot) -> list[Difference]:
    pool = [s for p in corpus.all_passages if p.quality == "good" for s in sentences(p)]
    keys = [normalise(s.text) for s in pool]
    in_scope = {passage_ref(p) for p in corpus.passages}
    found = []
    for j, b in enumerate(pool):
        if passage_ref(b.passage) not in in_scope:
            continue
        others = {
            i: keys[i]
            for i, a in enumerate(pool)
            if a.passage.source.slug != b.passage.source.slug and keys[i] != keys[j]
        }
        for _, _, i in process.extract(
            keys[j], others, scorer=fuzz.ratio, score_cutoff=ALIGN_SCORE, limit=None
        ):
            diff = _substitution(pool[i], b)
            if diff:
                found.append(diff)
    return found


def _label(corpus: CorpusSnapshot, sentence: Sentence) -> str:
    return f"{corpus.source_label(sentence.passage)} (“{sentence.passage.source.title}”)"


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    differences = find_differences(corpus)
    words = sorted(
        {d.answer.lower() for d in differences} | {d.other_text.lower() for d in differences}
    )
    for diff in differences:
        passage = diff.sentence.passage
        ref = passage_ref(passage)
        r = item_rng(base, ref, passage_ref(diff.other.passage), diff.answer)
        both = passage.text + " " + diff.other.passage.text
        # Extra distractors share the answer's ending ("lately"/"recently"): a word of
        # another part of speech would be rejected by grammar alone.
        extra = [
            w
            for w in words
            if len(w.split()) == len(diff.answer.split())
            and w[-2:] == diff.answer.lower()[-2:]
            and w not in (diff.answer.lower(), diff.other_text.lower())
            and not contains_phrase(both, w)
        ]
        r.shuffle(extra)
        if not extra:
            yield Rejection(NAME, "too few distractors", diff.answer, ref)
            continue
        text = diff.sentence.text
        shown = straighten_quotes(text[: diff.start] + BLANK + text[diff.end :])
        stem = (
            f"Two renderings word this sentence differently. Which word does "
            f"{_label(corpus, diff.sentence)} use? “{shown}”"
        )
        casing = (lambda w: w[:1].upper() + w[1:]) if diff.answer[:1].isupper() else str.lower
        options, answer = shuffled_options(
            rng=r,
            answer=diff.answer,
            distractors=[casing(diff.other_text), *(casing(w) for w in extra[:2])],
        )
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=passage,
            extra_passages=[diff.other.passage],
            explanation=(
                f"{_label(corpus, diff.sentence)} has “{diff.answer}”; "
                f"{_label(corpus, diff.other)} has “{diff.other_text}”."
            ),
            quote=text,
            highlight=(diff.start, diff.end),
            identity=(
                ref,
                passage_ref(diff.other.passage),
                normalise(diff.answer),
                normalise(diff.other_text),
            ),
            option_kind="word",
            support_text=passage.text,
            support_phrases=[diff.answer],
            exclusive_text=passage.text,
            answer_spellings=[diff.answer],
            excerpt=straighten_quotes(text),
            blank_prefix=text[: diff.start],
            penalties={"two options only from the corpus": 0.1 if len(extra) < 2 else 0.0},
            difficulty="hard",
        )
