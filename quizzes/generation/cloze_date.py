"""Cloze — date: a date blanked from its sentence.

Distractors are other dates of the same precision (day, month or year) and
era: from the corpus when they are within a few years, otherwise shifted
from the answer; all written in the answer's format.
"""

from __future__ import annotations

import calendar
import datetime
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import (
    blank,
    cloze_candidate,
    in_context,
    occurrence,
    sentences,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.sentences import contains_phrase
from quizzes.models import Question

NAME = "cloze_date"
VERSION = 2
TYPE = Question.Type.CLOZE_DATE

MONTHS = list(calendar.month_name)[1:]
_M = "|".join(MONTHS)
_DATE = re.compile(
    rf"(?P<mdy>\b(?P<m1>{_M}) (?P<d1>\d{{1,2}}), (?P<y1>1[89]\d\d|20[0-2]\d)\b)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}}) (?P<m2>{_M}),? (?P<y2>1[89]\d\d|20[0-2]\d)\b)"
    rf"|(?P<my>\b(?P<m3>{_M}),? (?P<y3>1[89]\d\d|20[0-2]\d)\b)"
    rf"|(?P<y>(?<=\bin )(?P<y4>1[89]\d\d|20[0-2]\d)\b(?![-–/]\d| ?-\d))"
)
ERA_YEARS = 6


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: datetime.date
    style: str  # "mdy", "dmy", "my", "y"
    text: str


def find_dates(text: str) -> list[FoundDate]:
    found = []
    for m in _DATE.finditer(text):
        style = next(s for s in ("mdy", "dmy", "my", "y") if m.group(s))
        if style in ("mdy", "dmy"):
            month, day, year = (
                m.group(g) for g in (("m1", "d1", "y1") if style == "mdy" else ("m2", "d2", "y2"))
            )
            try:
                value = datetime.date(int(year), MONTHS.index(month) + 1, int(day))
            except ValueError:
                continue
        elif style == "my":
            value = datetime.date(int(m.group("y3")), MONTHS.index(m.group("m3")) + 1, 1)
        else:
            value = datetime.date(int(m.group("y4")), 1, 1)
        found.append(FoundDate(m.start(), m.end(), value, style, m.group(0)))
    return found


def format_like(value: datetime.date, *, answer: FoundDate) -> str:
    month = MONTHS[value.month - 1]
    comma = "," in answer.text
    if answer.style == "mdy":
        return f"{month} {value.day}, {value.year}"
    if answer.style == "dmy":
        return f"{value.day} {month}{',' if comma else ''} {value.year}"
    if answer.style == "my":
        return f"{month}{',' if comma else ''} {value.year}"
    return str(value.year)


def _shifted(answer: FoundDate, rng: random.Random) -> list[datetime.date]:
    d = answer.date
    out = []
    for years in (-3, -2, -1, 1, 2, 3):
        try:
            out.append(d.replace(year=d.year + years))
        except ValueError:
            continue
    if answer.style != "y":
        for months in (-5, -3, 2, 4):
            m = (d.month - 1 + months) % 12 + 1
            y = d.year + (d.month - 1 + months) // 12
            out.append(d.replace(year=y, month=m, day=min(d.day, 28)))
    if answer.style in ("mdy", "dmy"):
        out.extend(d + datetime.timedelta(days=n) for n in (-9, 11, 17))
    rng.shuffle(out)
    return out


def _pool(corpus: CorpusSnapshot) -> dict[str, set[datetime.date]]:
    pool: dict[str, set[datetime.date]] = {"day": set(), "month": set(), "year": set()}
    for passage in corpus.all_passages:
        for found in find_dates(passage.text):
            pool[precision(found.style)].add(found.date)
    return pool


def precision(style: str) -> str:
    return {"mdy": "day", "dmy": "day", "my": "month", "y": "year"}[style]


# "from 17 to 31 October 1961", "between 4 and 10 March": the second day closes a range
# whose start is no date of its own, so an option before it would be impossible.
_RANGE_START = re.compile(r"\b(?:from|between)\s+\d{1,2}(?:\s+[A-Z][a-z]+)?\s+(?:to|and|-|–)\s*$")


def range_end(text: str, start: int) -> bool:
    """Whether the date at `start` closes a range whose first day is written without it."""
    return bool(_RANGE_START.search(text[max(0, start - 40) : start]))


def _order_key(value: datetime.date, style: str) -> tuple[int, ...]:
    return {"y": (value.year,), "my": (value.year, value.month)}.get(
        style, (value.year, value.month, value.day)
    )


def _compare(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    n = min(len(a), len(b))
    return (a[:n] > b[:n]) - (a[:n] < b[:n])


def consistent(value: datetime.date, *, answer: FoundDate, others: list[FoundDate]) -> bool:
    """Whether `value` could stand where `answer` stands beside the sentence's other dates:
    on the same side of each as the answer ("arrested on 26 June 1953 and shot in _____"
    never offers March 1953), at the precision both are written in."""
    mine = _order_key(value, answer.style)
    key = _order_key(answer.date, answer.style)
    for other in others:
        theirs = _order_key(other.date, other.style)
        side = _compare(key, theirs)
        if side and _compare(mine, theirs) != side:
            return False
    return True


def distractors_for(
    *,
    answer: FoundDate,
    pool: dict[str, set[datetime.date]],
    passage_text: str,
    rng: random.Random,
    others: list[FoundDate] = (),
) -> tuple[list[str], int]:
    """Three dates for `answer`; how many were derived from it rather than the corpus.
    `others` are the sentence's other dates: every distractor keeps its order with them."""
    texts: list[str] = []
    derived = 0

    def take(value: datetime.date) -> bool:
        text = format_like(value, answer=answer)
        if value == answer.date or text in texts or text == answer.text:
            return False
        if contains_phrase(passage_text, text) or abs(value.year - answer.date.year) > ERA_YEARS:
            return False
        if not consistent(value, answer=answer, others=list(others)):
            return False
        texts.append(text)
        return True

    corpus_dates = sorted(pool[precision(answer.style)])
    rng.shuffle(corpus_dates)
    for value in corpus_dates:
        if len(texts) == 2:  # keep room for one derived date close to the answer
            break
        take(value)
    for value in _shifted(answer, rng):
        if len(texts) >= 3:
            break
        derived += take(value)
    return texts, derived


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    pool = _pool(corpus)
    for passage in corpus.passages:
        ref = passage_ref(passage)
        for sentence in sentences(passage):
            dates = find_dates(sentence.text)
            shown, problem = in_context(corpus=corpus, sentence=sentence) if dates else (None, "")
            shift = sentence.start - shown.start if shown else 0
            context_dates = find_dates(shown.text[:shift]) if shift else []
            for found in dates:
                if problem:
                    yield Rejection(NAME, problem, sentence.text[:120], ref)
                    continue
                if range_end(sentence.text, found.start):
                    yield Rejection(NAME, "the end of a range of days", found.text, ref)
                    continue
                r = item_rng(base, ref, str(sentence.start), found.text)
                distractors, derived = distractors_for(
                    answer=found,
                    pool=pool,
                    passage_text=passage.text,
                    rng=r,
                    # the sentence's other dates, and those of the sentence shown before
                    # it: "sent a draft on 26 March ... The decree was issued on _____"
                    others=[d for d in dates if d is not found] + context_dates,
                )
                if len(distractors) < 3:
                    yield Rejection(NAME, "too few distractors", found.text, ref)
                    continue
                blanked = blank(
                    corpus=corpus,
                    sentence=shown,
                    start=found.start + shift,
                    end=found.end + shift,
                    what="date" if found.style != "y" else "year",
                )
                options, answer = shuffled_options(
                    rng=r, answer=found.text, distractors=distractors
                )
                yield cloze_candidate(
                    kind=(TYPE, NAME, VERSION),
                    passage=passage,
                    blanked=blanked,
                    options=options,
                    answer=answer,
                    answer_text=found.text,
                    shown_text=found.text,
                    identity=(
                        ref,
                        found.text,
                        occurrence(sentence=sentence, start=found.start, text=found.text),
                    ),
                    option_kind="date",
                    answer_spellings=[found.text],
                    penalties={"derived distractors": 0.04 * max(0, derived - 1)},
                    difficulty="hard" if found.style in ("mdy", "dmy") else "medium",
                )
