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
from quizzes.generation.sentences import contains_phrase, split_sentences
from quizzes.generation.time_bounds import report_ceiling
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


def bare_years(text: str) -> set[int]:
    """The years `text` names outside its dates ("from the end of 1936", not the 1953 of
    "26 June 1953")."""
    rest = text
    for found in reversed(find_dates(text)):
        rest = rest[: found.start] + " " + rest[found.end :]
    return {int(y) for y in re.findall(r"\b(1[89]\d\d|20[0-2]\d)\b", rest)}


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


# --- periods the stem names ------------------------------------------------------------------
#
# "The Anti-Party Group crisis of June 1957": a stem naming a period tells a reader the key
# is likely in it, so a key inside it must not be the only option inside it (two of the
# three distractors are); "While the delegates were still sitting, ... on _____": the
# congress's own days (from 17 to 31 October 1961), which every option must be within.

Period = tuple[datetime.date, datetime.date]
_Y = r"1[89]\d\d|20[0-2]\d"
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_SEASON = re.compile(rf"\b(?P<season>spring|summer|autumn|fall)\s+of\s+(?P<year>{_Y})\b", re.I)
_YEARS = re.compile(rf"\b(?P<a>{_Y})\s*[–-]\s*(?P<b>{_Y})\b")
_BARE_YEAR = re.compile(rf"(?<![\d–-])\b(?P<year>{_Y})\b(?!\s*[–-]\s*\d)")
# What a meeting is called, and the sentence that gives its days.
_MEETING = r"congress|plenum|meeting|session|conference|summit|talks|delegates|presidium"
_DURING = re.compile(rf"\b(?:while|during|as)\b[^.;]{{0,40}}?\b(?:{_MEETING})\b", re.I)
_SPANS = (
    re.compile(
        rf"\bfrom\s+(?P<d1>\d{{1,2}})\s+to\s+(?P<d2>\d{{1,2}})\s+(?P<m>{_M}),?\s+(?P<y>{_Y})"
    ),
    re.compile(
        rf"\bfrom\s+(?P<d1>\d{{1,2}})\s+(?P<m1>{_M})\s+to\s+(?P<d2>\d{{1,2}})\s+(?P<m>{_M}),?\s+(?P<y>{_Y})"
    ),
    re.compile(rf"\b(?P<d1>\d{{1,2}})\s*[–-]\s*(?P<d2>\d{{1,2}})\s+(?P<m>{_M}),?\s+(?P<y>{_Y})"),
    re.compile(
        rf"\bopened\s+on\s+(?P<d1>\d{{1,2}})\s+(?P<m1>{_M}),?\s+(?P<y>{_Y})\b[^.]{{0,80}}?"
        rf"\b(?:until|to|till)\s+(?P<d2>\d{{1,2}})(?:\s+(?P<m>{_M}))?"
    ),
)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def span_of(value: datetime.date, style: str) -> Period:
    """The days a date written at its precision covers."""
    if style == "y":
        return datetime.date(value.year, 1, 1), datetime.date(value.year, 12, 31)
    if style == "my":
        return value.replace(day=1), _month_end(value.year, value.month)
    return value, value


def named_periods(text: str) -> list[Period]:
    """The periods a title or stem names: a day, a month, a season or a year, or a span of
    years ("1953–1956")."""
    found: list[Period] = []
    for date in find_dates(text):
        found.append(span_of(date.date, date.style))
    for m in _SEASON.finditer(text):
        first, last = _SEASONS[m.group("season").lower()]
        year = int(m.group("year"))
        found.append((datetime.date(year, first, 1), _month_end(year, last)))
    for m in _YEARS.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b:
            found.append((datetime.date(a, 1, 1), datetime.date(b, 12, 31)))
    # A year standing alone ("... Congress of 1961"), not one of a date or a season above.
    masked = text
    for m in [*_DATE.finditer(text), *_SEASON.finditer(text), *_YEARS.finditer(text)]:
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _BARE_YEAR.finditer(masked):
        year = int(m.group("year"))
        found.append((datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return found


def meeting_span(sentence: str, document: str) -> Period | None:
    """The days of the meeting the sentence says something happened during ("while the
    delegates were still sitting"), as the document gives them ("met ... from 17 to 31
    October 1961"), or None."""
    if not _DURING.search(sentence):
        return None
    for start, end in split_sentences(document):
        text = document[start:end]
        if not re.search(rf"\b(?:{_MEETING})\b", text, re.I):
            continue
        for pattern in _SPANS:
            m = pattern.search(text)
            if not m:
                continue
            year = int(m.group("y"))
            last_month = MONTHS.index(m.group("m") or m.group("m1")) + 1
            first_month = MONTHS.index(m.groupdict().get("m1") or m.group("m")) + 1
            try:
                first = datetime.date(year, first_month, int(m.group("d1")))
                last = datetime.date(year, last_month, int(m.group("d2")))
            except ValueError:
                continue
            if first < last:
                return first, last
    return None


def _inside(span: Period, period: Period) -> bool:
    return period[0] <= span[0] and span[1] <= period[1]


def period_rules(
    answer: FoundDate, *, titles: str, sentence: str = "", document: str = ""
) -> tuple[list[tuple[Period, int]], bool]:
    """([(period, how many distractors must fall in it)], whether the stem gives the key
    away): a period the title names around the key needs two of three distractors in it;
    the meeting the sentence happens during needs all three; a title naming the key's own
    day, month or year gives it away."""
    key = span_of(answer.date, answer.style)
    rules: list[tuple[Period, int]] = []
    for period in named_periods(titles):
        if period == key:
            return [], True
        if _inside(key, period):
            rules.append((period, 2))
    meeting = meeting_span(sentence, document) if sentence else None
    if meeting is not None and _inside(key, meeting):
        rules.append((meeting, 3))
    return rules, False


def within(
    value: datetime.date, style: str, period: Period, rng: random.Random
) -> list[datetime.date]:
    """Dates written at `style`'s precision inside `period`, other than `value`, shuffled."""
    first, last = period
    out: list[datetime.date] = []
    if style in ("mdy", "dmy"):
        days = (last - first).days
        step = max(1, days // 40)
        out = [first + datetime.timedelta(days=n) for n in range(0, days + 1, step)]
        out = [d for d in out if abs((d - value).days) >= 2]
    elif style == "my":
        month = first.replace(day=1)
        while month <= last:
            if (month.year, month.month) != (value.year, value.month):
                out.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    else:
        out = [datetime.date(y, 1, 1) for y in range(first.year, last.year + 1) if y != value.year]
    rng.shuffle(out)
    return out


def inside(value: datetime.date, style: str, period: Period) -> bool:
    """Whether a date written at `style`'s precision falls wholly in `period`."""
    return _inside(span_of(value, style), period)


def distractors_for(
    *,
    answer: FoundDate,
    pool: dict[str, set[datetime.date]],
    passage_text: str,
    rng: random.Random,
    others: list[FoundDate] = (),
    periods: list[tuple[Period, int]] = (),
    latest: datetime.date | None = None,
    sentence: str = "",
) -> tuple[list[str], int]:
    """Three dates for `answer`; how many were derived from it rather than the corpus.
    `others` are the sentence's other dates: every distractor keeps its order with them;
    a year `sentence` names outside its dates holds every option of that year's key.
    `periods` (`period_rules`): how many distractors each period around the key must hold.
    `latest` (`time_bounds.report_ceiling`): no distractor after it, when the key is not."""
    if latest is not None and span_of(answer.date, answer.style)[0] > latest:
        latest = None  # the bound is wrong for this date, not the date
    texts: list[str] = []
    values: list[datetime.date] = []
    derived = 0
    # "from the end of 1936 after a telegram … dated … on _____": the year the sentence
    # names on its own holds the key's day, and every option's (round 6, R107).
    pinned = precision(answer.style) != "year" and answer.date.year in bare_years(sentence)

    def take(value: datetime.date) -> bool:
        text = format_like(value, answer=answer)
        if value == answer.date or text in texts or text == answer.text:
            return False
        if pinned and value.year != answer.date.year:
            return False
        if contains_phrase(passage_text, text) or abs(value.year - answer.date.year) > ERA_YEARS:
            return False
        if not consistent(value, answer=answer, others=list(others)):
            return False
        if latest is not None and span_of(value, answer.style)[0] > latest:
            return False  # 1958 for what the speech of 1956 reports
        if any(need == 3 and not _inside(span_of(value, answer.style), p) for p, need in periods):
            return False
        texts.append(text)
        values.append(value)
        return True

    corpus_dates = sorted(pool[precision(answer.style)])
    rng.shuffle(corpus_dates)
    # The narrowest period first: its dates are inside the wider ones too.
    for period, need in sorted(periods, key=lambda pn: pn[0][1] - pn[0][0]):
        in_corpus = [d for d in corpus_dates if _inside(span_of(d, answer.style), period)]
        have = sum(_inside(span_of(v, answer.style), period) for v in values)
        for value in in_corpus + within(answer.date, answer.style, period, rng):
            if have >= need:
                break
            if take(value):
                have += 1
                derived += value not in in_corpus
    for value in corpus_dates:
        if len(texts) >= 2:  # keep room for one derived date close to the answer
            break
        take(value)
    for value in _shifted(answer, rng):
        if len(texts) >= 3:
            break
        derived += take(value)
    return texts[:3], derived


def _story_so_far(answer: FoundDate, earlier: list[FoundDate]) -> list[FoundDate]:
    """The passage's dates before the sentence, when the key comes after every one of them
    (the story told in order up to it); none when the sentence goes back in time."""
    key = _order_key(answer.date, answer.style)
    if earlier and all(_compare(key, _order_key(d.date, d.style)) > 0 for d in earlier):
        return earlier
    return []


def _document_text(corpus: CorpusSnapshot, passage) -> str:
    """The text of the passage's source, read once per snapshot: where a meeting's days are."""
    cache = corpus.__dict__.setdefault("_source_texts", {})
    slug = passage.source.slug
    if slug not in cache:
        cache[slug] = "\n".join(p.text for p in corpus.passages if p.source.slug == slug)
    return cache[slug]


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
            earlier = find_dates(passage.text[: sentence.start]) if dates else []
            for found in dates:
                if problem:
                    yield Rejection(NAME, problem, sentence.text[:120], ref)
                    continue
                if range_end(sentence.text, found.start):
                    yield Rejection(NAME, "the end of a range of days", found.text, ref)
                    continue
                periods, given_away = period_rules(
                    found,
                    titles=corpus.source_label(passage),
                    sentence=shown.text,
                    document=_document_text(corpus, passage),
                )
                if given_away:
                    yield Rejection(NAME, "the title names the date", found.text, ref)
                    continue
                r = item_rng(base, ref, str(sentence.start), found.text)
                distractors, derived = distractors_for(
                    answer=found,
                    pool=pool,
                    passage_text=passage.text,
                    rng=r,
                    # the sentence's other dates, and those of the sentence shown before
                    # it: "sent a draft on 26 March ... The decree was issued on _____"; and
                    # when the story has reached the key, the passage's dates before it
                    # ("On 4 November 1956 Soviet forces attacked ... Nagy ... executed on
                    # _____" offers no day before November 1956)
                    others=[d for d in dates if d is not found]
                    + context_dates
                    + _story_so_far(found, earlier),
                    periods=periods,
                    latest=report_ceiling(corpus, passage=passage, sentence=shown.text),
                    sentence=sentence.text,
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
