"""Quote attribution: "Who said (or wrote) these words?" for quotations the text attributes.

A quotation is attributed when the words around it name the speaker with a
verb of saying ("said Lenin", "Eikhe ... said as follows:", "Comrade Eugene
Dennis ... says in his well-known article:"); when several people are named,
the one next to the verb ("Speaking to Mikoyan, ... Alexei Snegov, stated").
A quotation interrupted by its attribution ("Only he will win," said Lenin,
"who believes in the people") is joined again. A pronoun ("he answered") is
resolved to the first person named in the previous sentence, at a small cost
to the quality score. A block quotation of another work (the encyclopedia
quoting the speech) is in the voice of that work's author. Only glossary terms
can be speakers, so every option is a known person (or organization) of the
same kind and role, or a neighbouring one (Marx among Communist leaders).
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
    without_citations,
    word_count,
)
from quizzes.generation.time_bounds import (
    career_floor,
    dead_by_then,
    later_people,
    words_floor,
)
from quizzes.models import Question

NAME = "quote_attribution"
VERSION = 3
TYPE = Question.Type.QUOTE_ATTRIBUTION
MIN_QUOTE_WORDS = 8
MAX_QUOTE_WORDS = 45
PRONOUN_PENALTY = 0.1

# Every quoted span, however short: skipping the short ones ("hero", "mob,") would pair
# a closing mark with the next opening one. Length is checked afterwards.
_QUOTED = re.compile(
    r"\"(?P<a>[^\"]+?)\"|“(?P<b>[^”]+?)”|(?<![\w'])'(?P<c>[A-Z][^']*?[.,!?;])'(?!\w)"
)
MIN_QUOTE_CHARS = 20
_SAYING = re.compile(
    r"\b(?:said|says|say|wrote|writes|write|stated|states|declared|declares|replied|answered|"
    r"told|added|exclaimed|remarked|warned|insisted|admitted|explained|asked|as follows|"
    r"pointed out|emphasising|emphasizing|"
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


def _next_to_verb(window: str, named: list[tuple[int, GlossaryTerm]]) -> GlossaryTerm | None:
    """Of several people named around a quotation, the one beside the verb of saying."""
    verbs = [m.start() for m in _SAYING.finditer(window)]
    best = sorted((min(abs(v - at) for v in verbs), term.slug, term) for at, term in named if verbs)
    if best and best[0][0] <= 25 and (len(best) == 1 or best[1][0] >= best[0][0] + 5):
        return best[0][2]
    return None


def _joint(text: str, a: GlossaryTerm, b: GlossaryTerm) -> bool:
    return a.slug != b.slug and any(
        re.search(rf"\b{re.escape(x)}\s+and\s+{re.escape(y)}\b", text)
        for x in all_spellings(a)
        for y in all_spellings(b)
    )


def _speaker(
    window: str, previous: str, terms: list[GlossaryTerm]
) -> tuple[GlossaryTerm | None, bool]:
    bare = _without_quotes(window)
    named = _terms_in(bare, terms)
    people = [t for _, t in named if t.kind == GlossaryTerm.Kind.PERSON]
    if len(people) == 1:
        return people[0], False
    if any(
        f"{a.name} and {b.name}" in window or _joint(bare, a, b) for a in people for b in people
    ):
        return None, False  # "a telegram from Stalin and Zhdanov": two authors, not one
    if people:
        # two people around one quotation: only the one beside the verb, else a guess
        beside = _next_to_verb(bare, [(at, t) for at, t in named if t.kind == "person"])
        return beside, False
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


def _join(first: str, rest: str) -> str:
    """The halves of an interrupted quotation as one: the comma before the attribution
    stays only where the sentence has it ("the power, who believes", "You, yourself, will")."""
    first = first.rstrip()
    keeps_comma = re.match(r"(?:who|which|and|but|or|that|whose|where|when|if|as)\b", rest)
    if keeps_comma or "," in first.rstrip(","):
        return f"{first} {rest}"
    return f"{first.rstrip(',')} {rest}"


def _joined(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, quoted words, attribution between the parts) for each quotation,
    the two halves of an interrupted one joined: "Only he will win," said Lenin, "who ..."."""
    matches = list(_QUOTED.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        quote = next(g for g in m.groups() if g)
        if i + 1 < len(matches):
            n = matches[i + 1]
            gap = text[m.end() : n.start()]
            rest = next(g for g in n.groups() if g)
            if (
                len(gap) <= 60
                and _SAYING.search(gap)
                and (quote.rstrip().endswith(",") or gap.lstrip().startswith(","))
                and rest[:1].islower()
            ):
                yield m.start(), n.end(), _join(quote, rest), gap
                i += 2
                continue
        if len(quote) >= MIN_QUOTE_CHARS:
            yield m.start(), m.end(), quote, ""
        i += 1


def find_quotations(
    *, passage: Passage, previous_passage: Passage | None, terms: list[GlossaryTerm]
) -> Iterator[Quotation]:
    text = passage.text
    for start, end, quote, gap in _joined(text):
        window, previous = _sentence_before(text, start)
        following = text[end:].lstrip(" .,;")
        # words after the quotation attribute it only within its own sentence ("...," said
        # Lenin); a new sentence ("Strictly speaking ... Stalin did not ...") does not
        after = gap or ("" if following[:1].isupper() else text[end : end + 60].split(".")[0])
        if not window.strip() and previous_passage is not None and start < 3:
            window, previous = _sentence_before(previous_passage.text, len(previous_passage.text))
            window = window if window else previous_passage.text[-300:]
        if not _SAYING.search(window + " " + after) and not window.rstrip().endswith(":"):
            continue
        speaker, by_pronoun = _speaker(window + " " + after, previous, terms)
        if speaker is None:
            continue
        yield Quotation(
            passage=passage,
            start=start,
            end=end,
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
    if not kept:
        # One long sentence: cut it at the last comma that keeps it short, marked "…".
        commas = [m.start() for m in re.finditer(",", quote)]
        fits = [c for c in commas if MIN_QUOTE_WORDS <= word_count(quote[:c]) <= MAX_QUOTE_WORDS]
        kept = quote[: fits[-1]] if fits else ""
    return kept + " …" if kept else None


def _quotations(
    corpus: CorpusSnapshot, passage: Passage, previous: Passage | None, speakers
) -> Iterator[Quotation]:
    author = corpus.author_of(passage) if passage.quoted_work is not None else None
    if author is not None:
        # A block quotation of another work speaks in that work's author's voice.
        text = passage.text.strip()
        body = text.strip('"“”')
        yield Quotation(
            passage=passage,
            start=0,
            end=len(passage.text),
            text=body,
            speaker=author,
            written=False,
            by_pronoun=False,
        )
        return
    yield from find_quotations(passage=passage, previous_passage=previous, terms=speakers)


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
        for quotation in _quotations(corpus, passage, previous, speakers):
            shown = _trim(quotation.text)
            if shown is None or word_count(shown) < MIN_QUOTE_WORDS:
                yield Rejection(NAME, "quotation too short or too long", quotation.text[:80], ref)
                continue
            speaker = quotation.speaker
            r = item_rng(base, ref, str(quotation.start))
            context = passage.text + " " + (previous.text if previous else "")
            # No one dead before the words could be said ("After Stalin's death", the
            # doctors' plot of 1953: not Zhdanov, dead in 1948).
            floor = max(
                (
                    bound
                    for bound in (
                        words_floor(corpus, words=shown, context=context),
                        career_floor(corpus, speaker),
                    )
                    if bound is not None
                ),
                default=None,
            )
            others, penalty = like_terms(
                corpus=corpus,
                answer=speaker,
                avoid_text=context,
                rng=r,
                neighbours=True,
                exclude=dead_by_then(corpus, floor, key=speaker)
                | later_people(corpus, key=speaker),
            )
            if len(others) < 3:
                yield Rejection(
                    NAME, "too few distractors of the same kind and role", speaker.slug, ref
                )
                continue
            verb = "wrote" if quotation.written else "said"
            # The quoting work, not the quoted one: "Khrushchev's Secret Speech, as quoted
            # in ..." would give the speaker away.
            label = corpus.work_label(passage.source.work)
            where = f"as reported in {label}"
            if "apocryphal" in passage.text.lower():
                where = f"in a story that {label} calls probably apocryphal"
            excerpt = straighten_quotes(without_citations(shown))
            stem = f"{_ASK[speaker.kind]} {verb} these words, {where}? “{excerpt}”"
            options, answer = shuffled_options(
                rng=r, answer=speaker.name, distractors=[t.name for t in others]
            )
            by_name = {t.name: t for t in others}
            support = context
            extra = _context_passages(quotation, previous)
            phrases = [next((s for s in all_spellings(speaker) if contains_phrase(support, s)), "")]
            if passage.quoted_work is not None and speaker == corpus.author_of(passage):
                # The speaker is the quoted work's author (source metadata); the same words
                # in the work's own rendering are cited too where the corpus has them.
                extra = corpus.twins_in_work(passage, passage.quoted_work)
                phrases = []
            yield Candidate(
                type=TYPE,
                generator=NAME,
                version=VERSION,
                stem=stem,
                options=options,
                answer=answer,
                passage=passage,
                extra_passages=extra,
                explanation=f"{speaker.name} {verb} these words, {where}.",
                quote=passage.text,
                highlight=(quotation.start, quotation.end),
                identity=(ref, speaker.slug, normalise(quotation.text)[:120]),
                option_kind="person"
                if speaker.kind == GlossaryTerm.Kind.PERSON
                else "organization",
                support_text=support,
                support_phrases=phrases,
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
