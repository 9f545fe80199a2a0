"""Cloze — quantity: a figure blanked from its sentence.

"... ___ persons, that is, 70 percent, were arrested and shot". A figure needs
what it counts: a sentence that names no person, event, date or numbered
congress ("Of ___ delegates with either voting or advisory rights, ...") takes
the event named in an earlier sentence of the passage into the stem ("about the
17th Party Congress"), or is not asked. Distractors are figures of the same kind
(a count of people, a span of time, a sum of money, a percentage) and a similar
magnitude: from the corpus when they count something else the stem rules out
(the 20th Congress's 1,355 delegates for the 17th's 1,966), never a figure the
corpus gives for the same thing (sources that disagree), otherwise derived from
the answer; formatted alike.

Every distractor is possible beside the other figures of the sentence
(`consistent`): a count below the total it is part of ("of the 139 members ...,
_____ persons" never offers 147), a total above its parts. A figure the others
determine ("98 persons, that is, _____" of 139: 70 percent) is not asked; asking
one of the others, the stem leaves the percentage out ("98 persons … were arrested").
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import zip_longest

from corpus.models import GlossaryTerm
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import (
    Blanked,
    Sentence,
    blank,
    cloze_candidate,
    earlier_sentences,
    in_context,
    occurrence,
    sentences,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import contains_phrase, split_sentences
from quizzes.generation.statements import has_referent, referents
from quizzes.models import Question

NAME = "cloze_quantity"
VERSION = 2
TYPE = Question.Type.CLOZE_QUANTITY

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_FIGURE = re.compile(
    r"(?<![\w.,/§-])(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<unit>\s?(?:percent|per cent|%))?"
    r"(?![\w/%-]|[.,]\d)"
)
_NOT_A_QUANTITY_BEFORE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\b(?:No|Nos|p|pp|page|pages|Article|Section|Part|Vol|Volume"
    r"|chapter|number|Point|Paragraph|item)\.?|\bin|#)\s*$",
    re.I,
)
# "21 October", "9 a.m.", and the first day of a range of dates ("from 17 to 31 October").
_NOT_A_QUANTITY_AFTER = re.compile(
    rf"^\s*(?:{_MONTHS})\b|^\s*(?:a\.m|p\.m|am|pm)\b"
    rf"|^\s*(?:to|and|-|–)\s*\d{{1,2}}\s+(?:{_MONTHS})\b",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    value: int
    percent: bool
    text: str
    noun: str = ""  # the word the figure counts ("delegates"), to keep like from like

    @property
    def unit(self) -> str:
        return "percent" if self.percent else UNIT_OF.get(self.noun, self.noun)


_NOUN = re.compile(r"\s+([a-z]+)(?:\s+([a-z]+))?")
_NOT_NOUNS = {"of", "the", "a", "an", "and", "or", "for", "to", "in", "were", "was", "are", "is"}
# Figures of one unit are like for like: a count of people is not a span of time.
UNIT_OF = {
    **dict.fromkeys(("years", "months", "days", "hours", "weeks"), "time"),
    **dict.fromkeys(("million", "dollars", "billion"), "money"),
    **dict.fromkeys(
        ("persons", "delegates", "members", "candidates", "votes", "individuals", "people",
         "communists", "prisoners", "voting"),
        "people",
    ),
}  # fmt: skip


def _noun(text: str, end: int) -> str:
    """The word counted: "1,355 voting delegates" counts delegates, "98 persons" persons."""
    m = _NOUN.match(text, end)
    if not m:
        return ""
    words = [w for w in m.groups() if w and w not in _NOT_NOUNS]
    counted = [w for w in words if w in UNIT_OF and w != "voting"]
    return counted[0] if counted else (words[0] if words else "")


def find_figures(text: str) -> list[Figure]:
    """Counts and percentages; not years, days of a month, page or section numbers."""
    found = []
    for m in _FIGURE.finditer(text):
        digits = m.group("number")
        value = int(digits.replace(",", ""))
        percent = bool(m.group("unit"))
        # a few words either side decide (slicing the whole text made this quadratic)
        if _NOT_A_QUANTITY_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        if _NOT_A_QUANTITY_AFTER.search(text[m.end() : m.end() + 40]):
            continue
        if "," not in digits and 1000 <= value <= 2100 and not percent:
            continue  # a year
        if value < 3 or (percent and value > 100) or (digits.startswith("0") and value):
            continue
        found.append(Figure(m.start(), m.end(), value, percent, m.group(0), _noun(text, m.end())))
    return found


# Counts written as words ("Seven of the Presidium's 11 full members"): never asked, but
# a distractor must be possible beside them as beside any figure of the sentence.
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen", "twenty"],
        start=2,
    )
}  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b(?i:{'|'.join(_NUMBER_WORDS)})\b(?!-)")


def word_figures(text: str) -> list[Figure]:
    """Counts the sentence writes in words ("Seven of the ..."): figures to be consistent
    with, not to ask."""
    return [
        Figure(m.start(), m.end(), _NUMBER_WORDS[m.group(0).lower()], False, m.group(0),
               _noun(text, m.end()))
        for m in _NUMBER_WORD.finditer(text)
    ]  # fmt: skip


def least_total(answer: Figure, others: list[Figure], people: Callable[[], int]) -> int:
    """The smallest total the sentence allows for `answer` when it is the whole its other
    counts of people are parts of: the largest part and the people the sentence names
    beside it ("Seven of the _____ members voted against him; only Mikoyan, Suslov and
    Kirichenko stood with him": 7 + Khrushchev and three = 11, so never 10). When the
    names cannot all be outside the part (the key is smaller), the part alone."""
    parts = [o.value for o in others if _counts(answer, o) and o.value < answer.value]
    if not parts:
        return 0
    floor = max(parts) + people()
    return floor if floor <= answer.value else max(parts) + 1


def format_like(value: int, *, answer: Figure) -> str:
    body = f"{value:,}" if "," in answer.text else str(value)
    if answer.percent:
        unit = answer.text[len(re.match(r"[\d,]+", answer.text).group(0)) :]
        return body + unit
    return body


def _round_like(value: float, *, answer: int) -> int:
    """Derived distractors are as round as the answer (724,000 -> 500,000, not 543,000)."""
    text = str(answer)
    zeros = len(text) - len(text.rstrip("0"))
    step = 10**zeros if zeros else 1
    # "100 million" -> 50, 150 (steps of ten), not only 200: a step is under a quarter of it
    step = min(step, 10 ** max(0, len(str(max(1, answer // 4))) - 1))
    if answer < 100:  # "10 years" -> 5, 15, 20: small spans move by fives, not tens
        step = 5 if answer % 5 == 0 else 1
    elif answer % 5 == 0 and step == 1:
        step = 5
    return max(step, round(value / step) * step)


def subject_of(corpus: CorpusSnapshot, sentence: Sentence, figure: Figure) -> tuple[str, str]:
    """(what the figure is about, to name in the stem or "" if the sentence says it);
    ("", "") when nothing says what it counts."""
    text = sentence.text
    own = text[: figure.start] + text[figure.end :]
    events = [t.slug for t in referents(own, corpus.terms) if t.kind in ("event", "document")]
    if events:
        return events[0], ""
    if has_referent(own, corpus.terms):
        return "self", ""
    for earlier in earlier_sentences(sentence):
        named = [t for t in referents(earlier, corpus.terms) if t.kind in ("event", "document")]
        if named:
            return named[0].slug, f"the {named[0].name}"
    return "", ""


def _pool(corpus: CorpusSnapshot) -> list[tuple[int, bool, str, str]]:
    """(value, percent, noun, event slug or "") of every figure in the corpus."""
    values = set()
    for passage in corpus.all_passages:
        for start, end in split_sentences(passage.text):
            sentence = Sentence(passage, start, end)
            for figure in find_figures(sentence.text):
                subject, _ = subject_of(corpus, sentence, figure)
                values.add((figure.value, figure.percent, figure.noun, subject))
    return sorted(values)


PERCENT_SLACK = 2.0  # "98 persons, that is, 70 percent" of 139 is 70.5 percent


def _counts(figure: Figure, other: Figure) -> bool:
    """Whether two figures of one sentence count the same kind of thing: people with
    people, or a figure whose noun says nothing ("1,108 were declared", "98 of 139") with
    a count of people; never a span of time or a sum of money with a count."""
    if figure.percent or other.percent:
        return False
    kinds = {UNIT_OF.get(f.noun, "") for f in (figure, other)}
    return kinds <= {"people", ""} or figure.unit == other.unit


def _triples(answer: Figure, others: list[Figure]):
    """(part, whole, percent) of the sentence's figures where part/whole is the percent."""
    figures = [answer, *others]
    for percent in (f for f in figures if f.percent):
        for part in figures:
            for whole in figures:
                if (
                    part is not whole
                    and _counts(part, whole)
                    and part.value < whole.value
                    and abs(100 * part.value / whole.value - percent.value) <= PERCENT_SLACK
                ):
                    yield part, whole, percent


def determined(answer: Figure, others: list[Figure]) -> Figure | None:
    """The percentage that ties `answer` to the sentence's other figures, if the answer
    follows from them by arithmetic (a count, its total and their percentage)."""
    for part, whole, percent in _triples(answer, others):
        if answer in (part, whole, percent):
            return percent
    return None


def consistent(value: int, *, answer: Figure, others: list[Figure]) -> bool:
    """Whether `value` could stand where `answer` stands beside the sentence's other
    figures: on the same side of every figure counting the same kind of thing."""
    for other in others:
        if not _counts(answer, other) or other.value == answer.value:
            continue
        if value == other.value or (value < other.value) != (answer.value < other.value):
            return False
    return True


# "Stalin headed the party and the country for _____ years": 30, not 60 (round 6, R080). A
# span of a life or a career is offered at most half as long again as the key.
_SPANS = {"years", "months"}
MAX_SPAN_FACTOR = 1.5
# "1,108 … of 1,966 delegates, i.e., decidedly more than a majority" (round 6, R134).
_MAJORITY = re.compile(r"\bmajority\b|\bmore than half\b", re.I)


def keeps_majority(value: int, *, answer: Figure, others: list[Figure]) -> bool:
    """Whether `value` in the answer's place keeps a part more than half of its total, for
    every other figure of the same kind in the sentence (the larger of two is the total)."""
    for other in others:
        if not _counts(answer, other) or other.value == answer.value:
            continue
        if answer.value > other.value and not value < 2 * other.value:
            return False  # the answer is the total: the part must stay more than half
        if answer.value < other.value and not 2 * value > other.value:
            return False  # the answer is the part
    return True


def _same_kind(answer: Figure, noun: str, percent: bool) -> bool:
    """A corpus figure of the same kind: a percentage for a percentage; a count of the
    same noun ("delegates" for "delegates", not "votes")."""
    if answer.percent or percent:
        return answer.percent == percent
    return bool(answer.noun) and noun == answer.noun


def distractors_for(
    *,
    answer: Figure,
    pool: list[tuple[int, bool, str, str]],
    passage_text: str,
    rng: random.Random,
    subject: str = "",
    others: list[Figure] = (),
    floor: int = 0,
    sentence: str = "",
) -> tuple[list[str], int]:
    """Three figures; how many had to be derived from the answer rather than the corpus.
    `others` are the other figures of the sentence: every distractor is consistent with them;
    `floor` is the least total the sentence allows (`least_total`); `sentence` is read for
    what it says of them ("decidedly more than a majority")."""
    majority = bool(_MAJORITY.search(sentence))

    def acceptable(value: int) -> bool:
        if value == answer.value or value < 3 or (answer.percent and value >= 100):
            return False
        if value < floor:
            return False
        if answer.noun in _SPANS and value > answer.value * MAX_SPAN_FACTOR:
            return False
        if majority and not keeps_majority(value, answer=answer, others=list(others)):
            return False
        if not consistent(value, answer=answer, others=list(others)):
            return False
        if "," in answer.text and value < 1000:
            return False
        if "," not in answer.text and value >= 1000:
            return False
        return not contains_phrase(passage_text, format_like(value, answer=answer))

    low, high = answer.value / 3, answer.value * 3
    # A figure the corpus gives for the same thing ("1,500 delegates" beside "1,355 voting
    # delegates", both of the 20th Congress: the sources disagree) could be defended, so it
    # is never a distractor; the same noun for another event, which the stem names, may be.
    event = subject if subject not in ("", "self") else ""
    same_thing = {
        v
        for v, _, noun, about in pool
        if answer.noun and noun == answer.noun and (not event or not about or about == event)
    }
    corpus_values = sorted(
        {
            v
            for v, pct, noun, _ in pool
            if _same_kind(answer, noun, pct)
            and low <= v <= high
            and acceptable(v)
            and v not in same_thing
        }
    )
    rng.shuffle(corpus_values)
    chosen = corpus_values[:3]
    derived = 0
    if answer.percent:
        factors = [answer.value + d for d in (-30, -20, -10, 10, 20, 30) if answer.value + d > 0]
    else:
        factors = [
            _round_like(answer.value * f, answer=answer.value)
            for f in (0.5, 0.6, 0.75, 0.9, 1.1, 1.25, 1.5, 1.75, 2, 2.5)
        ]
    # Of the key's number of digits (from thousands up), and on both sides of it, below and
    # above by turns: "724,000" alone among 1,086,000, 1,448,000 and 1,810,000 is picked
    # out by its length and by being the least.
    if answer.value >= 1000:
        factors = [v for v in factors if len(str(v)) == len(str(answer.value))]
    below = [v for v in factors if v < answer.value]
    above = [v for v in factors if v > answer.value]
    rng.shuffle(below)
    rng.shuffle(above)
    ordered = [v for pair in zip_longest(below, above) for v in pair if v is not None]
    if sum(v < answer.value for v in chosen) > sum(v > answer.value for v in chosen):
        ordered = [v for pair in zip_longest(above, below) for v in pair if v is not None]
    for value in ordered:
        if len(chosen) >= 3:
            break
        if value not in chosen and acceptable(value):
            chosen.append(value)
            derived += 1
    return [format_like(v, answer=answer) for v in chosen], derived


def _people_named(corpus: CorpusSnapshot, text: str) -> int:
    """How many different people the sentence names (a glossary or discovered person)."""
    return sum(
        1
        for t in corpus.terms
        if t.kind == GlossaryTerm.Kind.PERSON
        and any(contains_phrase(text, s) for s in t.spellings if s)
    )


FOLLOWS = "figure follows from the other figures in the sentence"


def _apposition(percent: Figure) -> re.Pattern[str]:
    """ ", that is, 70 percent," around a percentage that restates a count."""
    return re.compile(rf",\s*(?:that is|i\.e\.),?\s*{re.escape(percent.text)}\s*,")


def _elidable(text: str, percent: Figure) -> bool:
    return bool(_apposition(percent).search(text))


def _elide(blanked: Blanked, percent: Figure) -> Blanked:
    """The stem without the percentage that would give the blanked count away."""
    pattern = _apposition(percent)
    return dataclasses.replace(
        blanked,
        stem=pattern.sub(" …", blanked.stem, count=1),
        excerpt=pattern.sub(" …", blanked.excerpt, count=1),
    )


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    pool = _pool(corpus)
    for passage in corpus.passages:
        for sentence in sentences(passage):
            figures = find_figures(sentence.text)
            shown, problem = in_context(corpus=corpus, sentence=sentence) if figures else (None, "")
            shift = sentence.start - shown.start if shown else 0
            for figure in figures:
                ref = passage_ref(passage)
                if problem:
                    yield Rejection(NAME, problem, sentence.text[:120], ref)
                    continue
                others = [f for f in figures if f is not figure]
                tie = determined(figure, others)
                if tie is figure or (tie is not None and not _elidable(sentence.text, tie)):
                    yield Rejection(NAME, FOLLOWS, sentence.text[:120], ref)
                    continue
                subject, about = subject_of(corpus, sentence, figure)
                if not subject:
                    yield Rejection(NAME, "figure without what it counts", sentence.text, ref)
                    continue
                r = item_rng(base, ref, str(sentence.start), figure.text)
                beside = [f for f in others if f is not tie] + word_figures(sentence.text)
                distractors, derived = distractors_for(
                    answer=figure,
                    pool=pool,
                    passage_text=passage.text,
                    rng=r,
                    subject=subject,
                    others=beside,
                    floor=least_total(
                        figure, beside, functools.partial(_people_named, corpus, sentence.text)
                    ),
                    sentence=sentence.text,
                )
                if len(distractors) < 3:
                    yield Rejection(NAME, "too few distractors", figure.text, ref)
                    continue
                blanked = blank(
                    corpus=corpus,
                    sentence=shown,
                    start=figure.start + shift,
                    end=figure.end + shift,
                    what="figure",
                    about=about,
                )
                if tie is not None:
                    blanked = _elide(blanked, tie)
                options, answer = shuffled_options(
                    rng=r, answer=figure.text, distractors=distractors
                )
                yield cloze_candidate(
                    kind=(TYPE, NAME, VERSION),
                    passage=passage,
                    blanked=blanked,
                    options=options,
                    answer=answer,
                    answer_text=figure.text,
                    shown_text=figure.text,
                    identity=(
                        ref,
                        figure.text,
                        occurrence(sentence=sentence, start=figure.start, text=figure.text),
                    ),
                    option_kind="figure",
                    answer_spellings=[figure.text],
                    penalties={"derived distractors": 0.05 * derived},
                    difficulty="medium" if derived < 2 else "hard",
                )
