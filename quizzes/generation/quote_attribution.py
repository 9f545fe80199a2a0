"""Quote attribution: "Who said (or wrote) these words?" for quotations the text attributes.

A quotation is attributed when the words around it name the speaker with a
verb of saying ("said Lenin", "Eikhe ... said as follows:", "Comrade Eugene
Dennis ... says in his well-known article:"). A pronoun ("he answered") is
resolved to the first person named in the previous sentence, at a small cost
to the quality score. Only glossary terms can be speakers, so every option is a
known person (or organization) of the same kind and role.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.models import GlossaryTerm, Passage
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings, like_terms
from quizzes.generation.sentences import (
    contains_phrase,
    normalise,
    split_sentences,
    straighten_quotes,
    word_count,
)
from quizzes.models import Question

NAME = "quote_attribution"
VERSION = 1
TYPE = Question.Type.QUOTE_ATTRIBUTION
MIN_QUOTE_WORDS = 8
MAX_QUOTE_WORDS = 38
PRONOUN_PENALTY = 0.1

_QUOTED = re.compile(
    r"\"(?P<a>[^\"]{20,}?)\"|“(?P<b>[^”]{20,}?)”|(?<![\w'])'(?P<c>[A-Z][^']{18,}?[.,!?;])'(?!\w)"
)
_SAYING = re.compile(
    r"\b(?:said|says|say|wrote|writes|write|stated|states|declared|declares|replied|answered|"
    r"told|added|exclaimed|remarked|warned|insisted|admitted|explained|asked|as follows|"
    r"letter|telegram|declaration|statement|editorial|article|interview|words)\b",
    re.I,
)
_WRITING = re.compile(
    r"\b(?:wrote|writes|write|letter|telegram|declaration|editorial|article)\b", re.I
)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.I)
_ASK = {
    GlossaryTerm.Kind.PERSON: "Who",
    GlossaryTerm.Kind.ORGANIZATION: "Which organization",
    GlossaryTerm.Kind.DOCUMENT: "Which document",
}


@dataclass(frozen=True)
class Quotation:
    passage: Passage
    start: int
    end: int
    text: str
    speaker: GlossaryTerm
    written: bool
    by_pronoun: bool


def _terms_in(text: str, terms: list[GlossaryTerm]) -> list[tuple[int, GlossaryTerm]]:
    found = []
    for term in terms:
        positions = [
            m.start()
            for s in all_spellings(term)
            for m in re.finditer(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)
        ]
        if positions:
            found.append((min(positions), term))
    return sorted(found, key=lambda f: (f[0], f[1].slug))


def _without_quotes(text: str) -> str:
    return _QUOTED.sub(" ", text)


def _speaker(
    window: str, previous: str, terms: list[GlossaryTerm]
) -> tuple[GlossaryTerm | None, bool]:
    named = _terms_in(_without_quotes(window), terms)
    people = [t for _, t in named if t.kind == GlossaryTerm.Kind.PERSON]
    if len(people) == 1:
        return people[0], False
    if people:
        return None, False  # two people around one quotation: which one spoke is a guess
    others = [t for _, t in named if t.kind in _ASK]
    if len(others) == 1 and not _PRONOUN.search(window):
        return others[0], False
    if _PRONOUN.search(window) and not named:
        before = [t for _, t in _terms_in(_without_quotes(previous), terms)]
        if before and before[0].kind == GlossaryTerm.Kind.PERSON:
            return before[0], True
    return None, False


def _sentence_before(text: str, index: int) -> tuple[str, str]:
    """The sentence containing `index` up to it, and the sentence before that."""
    spans = [s for s in split_sentences(text[:index]) if s[0] < index]
    if not spans:
        return "", ""
    window = text[spans[-1][0] : index]
    previous = text[spans[-2][0] : spans[-2][1]] if len(spans) > 1 else ""
    return window, previous


def find_quotations(
    *, passage: Passage, previous_passage: Passage | None, terms: list[GlossaryTerm]
) -> Iterator[Quotation]:
    text = passage.text
    for m in _QUOTED.finditer(text):
        quote = next(g for g in m.groups() if g)
        window, previous = _sentence_before(text, m.start())
        after = text[m.end() : m.end() + 60].split(".")[0]
        if not window.strip() and previous_passage is not None and m.start() < 3:
            window, previous = _sentence_before(previous_passage.text, len(previous_passage.text))
            window = window if window else previous_passage.text[-300:]
        if not _SAYING.search(window + " " + after) and not window.rstrip().endswith(":"):
            continue
        speaker, by_pronoun = _speaker(window + " " + after, previous, terms)
        if speaker is None:
            continue
        yield Quotation(
            passage=passage,
            start=m.start(),
            end=m.end(),
            text=quote,
            speaker=speaker,
            written=bool(_WRITING.search(window + " " + after)),
            by_pronoun=by_pronoun,
        )


def _trim(quote: str) -> str | None:
    quote = " ".join(quote.split()).strip(" ,;")
    if not re.match(r"(?:\.\.\.\s?|…\s?)?[A-Z]", quote) or "•" in quote:
        return None  # the second half of a quotation, or a list caught between two quotes
    if word_count(quote) <= MAX_QUOTE_WORDS:
        return quote
    kept = ""
    for start, end in split_sentences(quote):
        longer = (kept + " " + quote[start:end]).strip()
        if word_count(longer) > MAX_QUOTE_WORDS:
            break
        kept = longer
    return kept + " …" if kept else None


def _context_passages(quotation: Quotation, previous: Passage | None) -> list[Passage]:
    """The previous passage is cited too when the speaker is only named there."""
    if previous is None:
        return []
    if any(contains_phrase(quotation.passage.text, s) for s in all_spellings(quotation.speaker)):
        return []
    return [previous]


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    speakers = [t for t in corpus.terms if t.kind in _ASK]
    previous_of: dict[str, Passage] = {}
    last: Passage | None = None
    for passage in corpus.all_passages:
        if last is not None and last.source.slug == passage.source.slug:
            previous_of[passage_ref(passage)] = last
        last = passage
    for passage in corpus.passages:
        ref = passage_ref(passage)
        previous = previous_of.get(ref)
        for quotation in find_quotations(
            passage=passage, previous_passage=previous, terms=speakers
        ):
            shown = _trim(quotation.text)
            if shown is None or word_count(shown) < MIN_QUOTE_WORDS:
                yield Rejection(NAME, "quotation too short or too long", quotation.text[:80], ref)
                continue
            speaker = quotation.speaker
            r = item_rng(base, ref, str(quotation.start))
            context = passage.text + " " + (previous.text if previous else "")
            others, penalty = like_terms(corpus=corpus, answer=speaker, avoid_text=context, rng=r)
            if len(others) < 3:
                yield Rejection(
                    NAME, "too few distractors of the same kind and role", speaker.slug, ref
                )
                continue
            verb = "wrote" if quotation.written else "said"
            label = corpus.source_label(passage)
            excerpt = straighten_quotes(shown)
            stem = f"{_ASK[speaker.kind]} {verb} these words, as reported in {label}? “{excerpt}”"
            options, answer = shuffled_options(
                rng=r, answer=speaker.name, distractors=[t.name for t in others]
            )
            by_name = {t.name: t for t in others}
            support = context
            yield Candidate(
                type=TYPE,
                generator=NAME,
                version=VERSION,
                stem=stem,
                options=options,
                answer=answer,
                passage=passage,
                extra_passages=_context_passages(quotation, previous),
                explanation=f"{speaker.name} {verb} these words, as {label} reports.",
                quote=passage.text,
                highlight=(quotation.start, quotation.end),
                identity=(ref, speaker.slug, normalise(quotation.text)[:120]),
                option_kind="person"
                if speaker.kind == GlossaryTerm.Kind.PERSON
                else "organization",
                support_text=support,
                support_phrases=[
                    next((s for s in all_spellings(speaker) if contains_phrase(support, s)), "")
                ],
                exclusive_text=context,
                answer_spellings=all_spellings(speaker),
                distractor_spellings={
                    o["id"]: all_spellings(by_name[o["text"]])
                    for o in options
                    if o["id"] not in answer
                },
                excerpt="",
                penalties={
                    "role widened": penalty,
                    "speaker found through a pronoun": PRONOUN_PENALTY
                    if quotation.by_pronoun
                    else 0.0,
                },
                difficulty="medium",
            )
