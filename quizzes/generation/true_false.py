"""True or false: a sentence from a passage, or the same sentence with one fact swapped.

Only a declarative, self-contained sentence is asked about (`statements`): not a
question, not a heading or bullet, no "I"/"you" and no "he" without a name
before it, no address to the audience ("Comrades, ..."), and a fact a student
could confuse. A false statement swaps that fact for a real confusion: a figure
or a date from the same story (the passage and its neighbours: "848" executed
for "1,108" arrested, the trial's 2 February 1940 for the declaration's 1
October 1939), possible beside the sentence's other figures; or a person of the
same role that the same work names about as prominently (Stalin by Lenin in the
speech, never by a name the speech barely mentions, never by the work's own
author) and that the neighbouring passages name. Never a made-up number or date,
never one body's name for another of its names. The false variant is kept only if
no passage in the corpus supports it. A true statement is a sentence with such a
fact, so true and false statements test the same kind of knowledge; `balancing`
keeps true and false in proportion.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from corpus.models import EditorialNote, GlossaryTerm
from quizzes.generation import cloze_date, cloze_quantity
from quizzes.generation.candidates import Candidate, Rejection, item_rng, passage_ref
from quizzes.generation.cloze import (
    INITIALS,
    MAX_PAIR_WORDS,
    Sentence,
    known_title,
    sentences,
    trivial_penalty,
    word_bounded,
)
from quizzes.generation.corpus_snapshot import NEARBY, CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings, display, like_terms
from quizzes.generation.name_choice import dead_by, moment_of, of_the_time, same_sex
from quizzes.generation.sentences import (
    contains_phrase,
    normalise,
    split_sentences,
    straighten_quotes,
    without_citations,
    word_count,
)
from quizzes.generation.statements import (
    ANAPHORA,
    has_referent,
    in_cult_phrase,
    standalone_problem,
)
from quizzes.models import Question

NAME = "true_false"
VERSION = 4
TYPE = Question.Type.TRUE_FALSE
SUPPORT_SCORE = 88
# A replacement name must be named in the same work in at least this share of the
# passages that name the original: comparable prominence, a plausible confusion.
PROMINENCE_SHARE = 0.25
OPTIONS = [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]


def plausible_replacements(
    *,
    corpus: CorpusSnapshot,
    term: GlossaryTerm,
    passage,
    r: random.Random,
    short: bool,
    sentence: str = "",
) -> list[GlossaryTerm]:
    """Terms that could stand where `term` stands, as a plausible mistake (see module doc)."""
    work = corpus.work_of(passage)
    author = corpus.author_of(passage)
    exclude = frozenset({author.slug}) if author else frozenset()
    others, _ = like_terms(
        corpus=corpus,
        answer=term,
        avoid_text=passage.text,
        rng=r,
        count=len(corpus.terms),
        short=short,
        exclude=exclude,
    )
    needed = max(1, math.ceil(PROMINENCE_SHARE * corpus.mentions_in_work(term, work)))
    nearby = corpus.nearby_text(passage)
    when = moment_of(sentence, passage.text)
    dead = dead_by(term, when)  # "beside Lenin's [body]": a dead man for a dead man
    return [
        t
        for t in others
        if t.role == term.role
        and corpus.mentions_in_work(t, work) >= needed
        and any(contains_phrase(nearby, s) for s in all_spellings(t))
        # "On 1 November Bierut announced ...": he had died in March; no confusion
        and (dead_by(t, when) if dead else of_the_time(corpus, t, when))
        # "Enver Hoxha, an old Bolshevik ..., said Lenin had appeared to her": a man for a
        # woman is absurd, not a confusion
        and same_sex(term, t)
    ]


class Story:
    """The passage and its neighbours in its source (`NEARBY` either side): where a
    confusable figure or date comes from. Figures and dates are found once per passage."""

    def __init__(self, corpus: CorpusSnapshot) -> None:
        self._around: dict[int, list] = {}
        by_source: dict[str, list] = {}
        for p in corpus.all_passages:
            by_source.setdefault(p.source.slug, []).append(p)
        for same in by_source.values():
            for i, p in enumerate(same):
                self._around[id(p)] = same[max(0, i - NEARBY) : i + NEARBY + 1]
        self._figures: dict[int, list] = {}
        self._dates: dict[int, list] = {}

    def _of(self, passage) -> list:
        return self._around.get(id(passage), [passage])

    def figures(self, passage) -> list:
        out = []
        for p in self._of(passage):
            if id(p) not in self._figures:
                self._figures[id(p)] = cloze_quantity.find_figures(p.text)
            out += self._figures[id(p)]
        return out

    def dates(self, passage) -> list:
        out = []
        for p in self._of(passage):
            if id(p) not in self._dates:
                self._dates[id(p)] = cloze_date.find_dates(p.text)
            out += self._dates[id(p)]
        return out


def _figure_swaps(sentence, story: Story) -> list[tuple[int, int, str, str]]:
    """A figure replaced by another of the same kind from the same story ("848" executed
    for "1,108" arrested), possible beside the sentence's other figures; never a figure
    the sentence's others determine ("98 persons, that is, 70 percent" of 139)."""
    text = sentence.text
    figures = cloze_quantity.find_figures(text)
    nearby = story.figures(sentence.passage) if figures else []
    swaps = []
    for figure in figures:
        others = [f for f in figures if f is not figure]
        if cloze_quantity.determined(figure, others) is not None:
            continue
        for other in nearby:
            value = other.value
            if (
                other.percent == figure.percent
                and (figure.percent or (figure.noun and other.noun == figure.noun))
                and value != figure.value
                # 1,200,000 prisoners for a camp's 5,200 is absurd, not a confusion
                and figure.value / 3 <= value <= figure.value * 3
                and not any(value == f.value for f in others)
                and cloze_quantity.consistent(value, answer=figure, others=others)
            ):
                new = cloze_quantity.format_like(value, answer=figure)
                swaps.append((figure.start, figure.end, figure.text, new))
                break
    return swaps


def _date_swaps(sentence, story: Story) -> list[tuple[int, int, str, str]]:
    """A date replaced by another date of the same story and precision (the trial's
    2 February 1940 for the declaration's 1 October 1939)."""
    text = sentence.text
    swaps = []
    found_here = cloze_date.find_dates(text)
    nearby = story.dates(sentence.passage) if found_here else []
    for found in found_here:
        if cloze_date.range_end(text, found.start):
            continue  # "from 17 to 17 October": a range's end is no date of its own
        precision = cloze_date.precision(found.style)
        rest = [d for d in found_here if d is not found]
        for other in nearby:
            if cloze_date.precision(other.style) != precision or other.date == found.date:
                continue
            if not cloze_date.consistent(other.date, answer=found, others=rest):
                continue  # "arrested in June and shot in March" is absurd, not a confusion
            new = cloze_date.format_like(other.date, answer=found)
            if new != found.text and not contains_phrase(text, new):
                swaps.append((found.start, found.end, found.text, new))
                break
    return swaps


def _name_swaps(corpus, sentence, pools, r) -> list[tuple[int, int, str, str]]:
    """A person replaced by another of the same role, as prominent in the work and named
    nearby (`plausible_replacements`)."""
    text = sentence.text
    swaps = []
    for term in pools["people"]:
        for spelling in all_spellings(term):
            match = next(word_bounded(text, spelling), None)
            if match is None:
                continue
            start = match.start()
            initials = INITIALS.search(text[:start])
            if initials:
                start = initials.start()  # "J. V. Stalin" is swapped whole, never "J. V. Molotov"
            if in_cult_phrase(text, start, match.end()):
                break  # "the cult of Vladimir Lenin" is absurd, not a plausible mistake
            if _RELATIONS.match(text, match.end()):
                break  # "Molotov's critics noticed ...": he had critics too; not surely false
            short = not initials and len(spelling.split()) == 1
            others = plausible_replacements(
                corpus=corpus, term=term, passage=sentence.passage, r=r, short=short, sentence=text
            )
            if others:
                swaps.append(
                    (start, match.end(), text[start : match.end()], display(others[0], short=short))
                )
            break
    return swaps


# People everyone has: a possessor swapped before them makes a statement that may be true.
_RELATIONS = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:critics|supporters|allies|opponents|enemies|friends|colleagues|"
    r"followers|admirers|rivals|heirs|men|circle|entourage|associates|family|relatives)\b"
)


def _swaps(corpus, sentence, pools, r) -> list[tuple[int, int, str, str]]:
    """(start, end, original, replacement): the real confusions the sentence allows, a
    figure or a date from the same story, or another person of the same role; never a
    number or date made up, never a body swapped for another name of itself."""
    return [
        *_figure_swaps(sentence, pools["story"]),
        *_date_swaps(sentence, pools["story"]),
        *_name_swaps(corpus, sentence, pools, r),
    ]


def supported_anywhere(*, corpus: CorpusSnapshot, statement: str, new_fact: str) -> bool:
    # A date in any of its spellings: "arrested on February 25, 1956" is said by a passage
    # writing "arrested on 25 February 1956".
    for fact_text in _spellings(new_fact):
        needle = normalise(statement.replace(new_fact, fact_text))
        fact = f" {normalise(fact_text)} "
        for passage in corpus.all_passages:
            text = corpus.normalised(passage)
            if fact in text and fuzz.partial_ratio(needle, text.strip()) >= SUPPORT_SCORE:
                return True
    return False


def _spellings(fact: str) -> list[str]:
    """The fact as written, and a day's date in the other order ("25 February 1956")."""
    found = cloze_date.find_dates(fact)
    if len(found) != 1 or found[0].text != fact or found[0].style not in ("mdy", "dmy"):
        return [fact]
    day = found[0].date
    month = cloze_date.MONTHS[day.month - 1]
    return list(
        dict.fromkeys([fact, f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"])
    )


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    """Per fact sentence of a passage (one with a figure, date or person a student could
    confuse), a false statement (one fact swapped) and a true one: `balancing` keeps one
    version of a few sentences per passage, true or false as its lessons need. A sentence
    that says "he" or "the decree" is stated with the sentence before it."""
    base = rng.random()
    pools = {
        "people": [t for t in corpus.terms if t.kind == GlossaryTerm.Kind.PERSON],
        "story": Story(corpus),
    }
    for passage in corpus.passages:
        ref = passage_ref(passage)
        r = item_rng(base, ref)
        options = list(sentences(passage))
        r.shuffle(options)
        work_kind = corpus.work_of(passage).kind
        label = corpus.source_label(passage)
        known = known_title(corpus, passage)
        # A sentence a correction note corrects is never stated (generation/corrections.py):
        # another sentence of the passage is asked instead.
        corrected = [
            link.quote
            for link in corpus.editorial.targets_on(passage)
            if link.note.kind == EditorialNote.Kind.CORRECTION
        ]
        problem = ""
        facts: list[tuple[Sentence, Sentence, list]] = []
        for sentence in options:
            text = sentence.text
            if any(contains_phrase(text, quote) for quote in corrected):
                problem = "a correction note corrects it"
                continue
            shown, problem = _statement(corpus, sentence, work_kind=work_kind, known=known)
            if problem:
                continue
            shift = sentence.start - shown.start
            swaps = [
                (a + shift, b + shift, old, new)
                for a, b, old, new in _swaps(corpus, sentence, pools, r)
            ]
            if not swaps:
                problem = "no fact a student could confuse"
                continue
            if praise_only(text):
                problem = "praise of a person, no fact to test"
                continue
            facts.append((sentence, shown, swaps))
        if not facts:
            if problem:
                yield Rejection(NAME, f"no sentence fit for true/false ({problem})", "", ref)
            continue
        for sentence, shown, swaps in facts:
            text = shown.text
            asked = normalise(sentence.text)
            start, end, original, new = r.choice(swaps)
            statement = text[:start] + new + text[end:]
            if supported_anywhere(corpus=corpus, statement=statement, new_fact=new):
                yield Rejection(NAME, "false variant is supported by a passage", statement, ref)
            else:
                yield _candidate(
                    corpus,
                    shown,
                    statement=statement,
                    answer="false",
                    identity=(ref, asked, original, new),
                    highlight=(start, end),
                    explanation=f"False: {label} has “{original}”, not “{new}”.",
                )
            # The two versions of a sentence are alternatives: a student meets one.
            yield _candidate(
                corpus,
                shown,
                statement=text,
                answer="true",
                identity=(ref, asked),
                highlight=None,
                explanation=f"True: this is what {label} says.",
            )


def _statement(
    corpus: CorpusSnapshot, sentence: Sentence, *, work_kind: str, known: str
) -> tuple[Sentence | None, str | None]:
    """The text to state for `sentence` (it, or it with the sentence before it when that
    says who "he" or what "the decree" is), or (None, why it cannot be stated)."""
    passage = sentence.passage
    shown = sentence
    for attempt in range(2):
        text = shown.text
        problem = (
            standalone_problem(
                text=text,
                passage=passage,
                start=shown.start,
                terms=corpus.terms,
                work_kind=work_kind,
                statement=True,
                anaphoric=True,
                known=known,
            )
            or ("" if has_referent(text, corpus.terms) else "nothing definite to test")
            or rhetoric(text)
        )
        if not problem:
            return shown, None
        if attempt or problem not in (ANAPHORA, "pronoun without antecedent"):
            return None, problem
        before = [(a, b) for a, b in split_sentences(passage.text) if b <= sentence.start]
        if not before:
            return None, problem
        shown = Sentence(passage, before[-1][0], sentence.end)
        if word_count(shown.text) > MAX_PAIR_WORDS:
            return None, problem
    return None, problem


# Praise of a person's qualities ("Lenin's wisdom in dealing with people was evident in
# his work with cadres"): true or false, it turns on a name alone and tests no fact
# (round 5, R011). A figure or a date in the sentence is a fact to test.
_PRAISE = re.compile(
    r"\b(?:wisdom|wise|genius|greatness|brilliance|brilliant|talents?|talented|modesty|"
    r"sagacity|farsighted(?:ness)?|far-sighted(?:ness)?)\b",
    re.I,
)


def praise_only(text: str) -> bool:
    return bool(_PRAISE.search(text)) and not re.search(r"\d", text)


# Sentences that address the audience or exclaim are rhetoric, not facts to test.
_RHETORIC = re.compile(r"^(?:[\"'“‘]?\s*)(?:comrades|dear|well|indeed|so|finally)\b|!", re.I)


def rhetoric(text: str) -> str:
    return "rhetoric, not a fact" if _RHETORIC.search(text) else ""


def _candidate(
    corpus: CorpusSnapshot,
    sentence: Sentence,
    *,
    statement: str,
    answer: str,
    identity: tuple[str, ...],
    highlight: tuple[int, int] | None,
    explanation: str,
) -> Candidate:
    passage = sentence.passage
    excerpt = straighten_quotes(without_citations(statement))
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=f"True or false? According to {corpus.source_label(passage)}: “{excerpt}”",
        options=OPTIONS,
        answer=[answer],
        passage=passage,
        explanation=explanation,
        quote=sentence.text,
        highlight=highlight,
        identity=identity,
        option_kind="boolean",
        support_text=passage.text,
        support_phrases=[sentence.text],
        excerpt=excerpt,
        penalties={"trivial stem": trivial_penalty(excerpt)},
        difficulty="easy" if answer == "true" else "medium",
    )
