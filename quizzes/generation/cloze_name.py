"""Cloze — name: a person, organization or place from the glossary blanked.

Distractors are glossary terms of the same kind and role (a Soviet official
for a Soviet official, an intelligence service for an intelligence service),
none of them named anywhere in the passage, always by their canonical names.
One blank per passage, preferring the less frequent names, so the bank is not
two hundred questions about Stalin; a blank for the work's main subject (Stalin
in the speech: anyone guesses him) or in a sentence too short to teach anything
waits for a curator. The sentence must stand alone (`statements`): no "I" or
"you", no "he" before anyone is named.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator

from corpus import discovery
from corpus.models import GlossaryTerm
from quizzes.generation import clues, name_choice
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import (
    INITIALS,
    SET_PHRASE,
    blank,
    cloze_candidate,
    in_context,
    sentences,
    word_bounded,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot, is_discovered
from quizzes.generation.glossary_choice import NAMED_KINDS, all_spellings, display
from quizzes.generation.sentences import contains_phrase
from quizzes.generation.statements import in_cult_phrase
from quizzes.models import Question

NAME = "cloze_name"
VERSION = 3
TYPE = Question.Type.CLOZE_NAME
PER_PASSAGE = 2  # different terms in different sentences
# A term named in more than this share of a work's passages is what the work is about.
MAIN_SUBJECT_SHARE = 0.25
MAIN_SUBJECT_PENALTY = 0.35
MAIN_SUBJECT_MIN_PASSAGES = 4
MAIN_SUBJECT_MIN_MENTIONS = 3
# "Warsaw" in "the Warsaw Pact" is part of a longer name: blanking it alone is absurd.
_LONGER_NAME = re.compile(r" [A-Z][a-z]")
_WORD_BEFORE = re.compile(r"(?<![.!?:;]\s)\b([A-Z][a-z]+)\s$")
# "the critical remarks of _____ during the period immediately following his death": of
# the men offered, only the one dead by then fits (round 5, R085).
_OWN_DEATH = re.compile(r"\b(?:his|her) (?:own )?(?:death|murder|assassination|execution)\b")


_DEATH_BEFORE = re.compile(
    r"\b(?:murder|assassination|death|execution|killing|shooting|funeral|memory)\s+of\s+"
    r"(?:the\s+)?(?:late\s+)?(?:comrade\s+)?$",
    re.I,
)
_DEATH_AFTER = re.compile(
    r"^['’]s\s+(?:life|lifetime|death|murder|assassination|execution|funeral|memory)\b|"
    r"^,?\s+(?:was|were)\s+(?:\w+\s+)?(?:murdered|assassinated|executed|killed|shot)\b|"
    r"^\s+died\b",
    re.I,
)


def died_here(before: str, after: str) -> bool:
    """Whether the sentence tells of the blanked person's death or of his life as over
    ("After the criminal murder of _____", "During _____'s life")."""
    return bool(_DEATH_BEFORE.search(before) or _DEATH_AFTER.match(after))


# "up to Moscow and _____": the Germans came up to Leningrad and Kiev too (round 6, R108).
_LIST_BEFORE = re.compile(r"\b([A-Z][\w-]+),?\s+(?:and|or)\s+$")
_LIST_AFTER = re.compile(r"^,?\s+(?:and|or)\s+([A-Z][\w-]+)\b|^,\s+([A-Z][\w-]+),")


def _in_a_list_of_places(corpus: CorpusSnapshot, before: str, after: str) -> bool:
    """Whether the blanked place stands in a list beside another place, which says the
    same of several places (any place the list could go on with is a defensible answer)."""
    places = (
        {
            spelling
            for t in corpus.terms
            if t.kind == GlossaryTerm.Kind.PLACE
            for spelling in all_spellings(t)
        }
        | set(clues.SOVIET_CITIES)
        | {word for words in clues.NATIONS.values() for word in words}
    )
    found = _LIST_BEFORE.search(before) or _LIST_AFTER.match(after)
    return bool(found) and any(name in places for name in found.groups() if name)


def _tells_apart(corpus: CorpusSnapshot, key: GlossaryTerm, text: str) -> bool:
    """Whether a sentence about a victim of the purges says something only he fits: a
    date, a figure, or another person, body or place named. "Investigation of _____'s
    case was made in a manner which most brutally violated Soviet legality" fits Kosior
    and Postyshev as well as Eikhe (round 7, R101)."""
    if re.search(r"\d", text):
        return True
    return any(
        contains_phrase(text, spelling)
        for t in corpus.terms
        if t.slug != key.slug and t.kind != GlossaryTerm.Kind.CONCEPT  # "Soviet legality"
        for spelling in all_spellings(t)
        if len(spelling) > 3
    )


def _first_name_before(text: str) -> bool:
    """A capitalised word just before the name, not opening the sentence, that ordinary
    English rarely uses and that is no month or title: a first name ("Nikolai")."""
    m = _WORD_BEFORE.search(text)
    if not m or m.start() == 0:
        return False
    word = m.group(1)
    return (
        discovery.zipf(word) < discovery.RARE_ZIPF
        and word not in discovery.MONTHS
        and not discovery.is_title(word)
    )


_QUOTED_TITLE = re.compile(r"[\"“]([A-Z][^\"“”]{2,80})[\"”]")


def _in_quoted_title(text: str, index: int) -> bool:
    """Whether `index` falls in a title in quotation marks ("The Forty Days of Kengir")."""
    return any(
        m.start() < index < m.end()
        and len(m.group(1).split()) <= 10
        and not m.group(1).endswith((".", ","))
        for m in _QUOTED_TITLE.finditer(text)
    )


_TITLE_BEFORE = re.compile(
    r"\b(?:(?:First|Prime|Deputy|Foreign|Vice|Lieutenant|Major|Field)\s+)?"
    r"(?:General|Marshal|Cardinal|Admiral|Colonel|Premier|President|Bishop|Minister|Secretary)\s+$"
)
_WHAT = {
    GlossaryTerm.Kind.PERSON: "name",
    GlossaryTerm.Kind.ORGANIZATION: "organization",
    GlossaryTerm.Kind.PLACE: "place",
}


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    terms = [t for t in corpus.terms if t.kind in NAMED_KINDS]
    frequency = {t.slug: len(corpus.term_mentions.get(t.slug, ())) for t in terms}
    for passage in corpus.passages:
        ref = passage_ref(passage)
        found = []
        for sentence in sentences(passage):
            for term in terms:
                for spelling in all_spellings(term):
                    if spelling not in sentence.text:
                        continue  # the cheap test first: most terms are not in the sentence
                    match = next(
                        (
                            m
                            for m in word_bounded(sentence.text, spelling)
                            if not _LONGER_NAME.match(sentence.text, m.end())
                        ),
                        None,
                    )
                    if match:
                        found.append(
                            (frequency[term.slug], sentence.start, term.slug, sentence, term, match)
                        )
                        break
        found.sort(key=lambda f: f[:3])
        # Up to PER_PASSAGE glossary names and as many names the glossary lacks: a new
        # document dense with names no glossary has seen is asked about them too.
        made: Counter[bool] = Counter()
        used_terms: set[str] = set()
        used_sentences: set[int] = set()
        for _, _, _, sentence, term, match in found:
            if made[is_discovered(term)] >= PER_PASSAGE:
                continue
            if term.slug in used_terms or sentence.start in used_sentences:
                continue
            if _in_quoted_title(sentence.text, match.start()):
                continue  # "The Forty Days of Kengir": a work's title, not the place
            start = match.start()
            # "Marshal _____" gives its key away among civilians, and a cardinal among party
            # leaders is absurd: the title is blanked with the name.
            title = _TITLE_BEFORE.search(sentence.text[:start])
            if title:
                start = title.start()
            elif _first_name_before(sentence.text[:start]):
                # "the Premier, Nikolai _____": the first name left in the stem gives it away
                yield Rejection(NAME, "a first name before the blank", term.slug, ref)
                continue
            initials = INITIALS.search(sentence.text[:start])
            if initials:
                start = initials.start()
            if name_choice.reported_by_many(
                term, sentence.text[:start], sentence.text[match.end() :]
            ):
                yield Rejection(NAME, "other newspapers could be the answer", term.slug, ref)
                continue
            shown_in_text = sentence.text[start : match.end()]
            is_person = term.kind == GlossaryTerm.Kind.PERSON
            if is_person and _OWN_DEATH.search(sentence.text, match.end()):
                yield Rejection(NAME, "the sentence speaks of the key's death", term.slug, ref)
                continue
            if SET_PHRASE.match(sentence.text, match.end()):
                yield Rejection(NAME, "a set phrase gives the name away", term.slug, ref)
                continue
            if term.kind == GlossaryTerm.Kind.PLACE and _in_a_list_of_places(
                corpus, sentence.text[:start], sentence.text[match.end() :]
            ):
                yield Rejection(NAME, "a place in a list: other places share it", term.slug, ref)
                continue
            if term.role == "repression-victim" and not _tells_apart(corpus, term, sentence.text):
                yield Rejection(NAME, "nothing tells this victim from the others", term.slug, ref)
                continue
            # "After the criminal murder of _____", "During _____'s life": the key was dead
            # when the document spoke, and so must every option be (round 6, R112, R010).
            dead_only = is_person and died_here(sentence.text[:start], sentence.text[match.end() :])
            shown, problem = in_context(
                corpus=corpus, sentence=sentence, persons=[start] if is_person else []
            )
            if problem:
                yield Rejection(NAME, problem, sentence.text[:120], ref)
                continue
            shift = sentence.start - shown.start
            name_shown = sentence.text[title.end() if title else start : match.end()]
            short = len(name_shown.split()) == 1 and term.kind == GlossaryTerm.Kind.PERSON
            r = item_rng(base, ref, term.slug)
            others, penalty = name_choice.choose(
                corpus=corpus,
                answer=term,
                passage=passage,
                rng=r,
                short=short,
                ignore_calling=bool(title),
                sentence=sentence.text,
                dead_only=dead_only,
            )
            if len(others) < 3:
                yield Rejection(
                    NAME, "too few distractors of the same kind and role", term.slug, ref
                )
                continue
            answer_text = display(term, short=short)
            blanked = blank(
                corpus=corpus,
                sentence=shown,
                start=start + shift,
                end=match.end() + shift,
                what=_WHAT[term.kind],
            )
            options, answer = shuffled_options(
                rng=r, answer=answer_text, distractors=[display(t, short=short) for t in others]
            )
            by_text = {display(t, short=short): t for t in others}
            spellings = {
                o["id"]: all_spellings(by_text[o["text"]]) for o in options if o["id"] not in answer
            }
            made[is_discovered(term)] += 1
            used_terms.add(term.slug)
            used_sentences.add(sentence.start)
            yield cloze_candidate(
                kind=(TYPE, NAME, VERSION),
                passage=passage,
                blanked=blanked,
                options=options,
                answer=answer,
                answer_text=answer_text,
                shown_text=shown_in_text,
                identity=(ref, term.slug, shown_in_text),
                option_kind="person" if term.kind == GlossaryTerm.Kind.PERSON else str(term.kind),
                answer_spellings=all_spellings(term),
                distractor_spellings=spellings,
                penalties={
                    "role widened": penalty,
                    "answer is the work's main subject": _main_subject_penalty(
                        corpus, passage, term
                    ),
                    # "the cult of the person of _____": the phrase gives the name away
                    "answer named by the cult's own phrase": MAIN_SUBJECT_PENALTY
                    if in_cult_phrase(sentence.text, start, match.end())
                    else 0.0,
                },
                difficulty="medium",
            )


def _main_subject_penalty(corpus: CorpusSnapshot, passage, term: GlossaryTerm) -> float:
    work = corpus.work_of(passage)
    total = corpus.work_passage_count(work)
    if total < MAIN_SUBJECT_MIN_PASSAGES:
        return 0.0  # in a handful of passages every name is "frequent"
    mentions = corpus.mentions_in_work(term, work)
    share = mentions / total
    # In a short document two paragraphs naming someone (40 % of five) do not make them
    # what it is about: a main subject is named in three or more, or in half of them.
    if mentions < MAIN_SUBJECT_MIN_MENTIONS and share < 0.5:
        return 0.0
    return MAIN_SUBJECT_PENALTY if share > MAIN_SUBJECT_SHARE else 0.0
