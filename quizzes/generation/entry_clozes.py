"""Which name completes an account of what happened: a sentence of a timeline or glossary
entry that rests on reference works, with a glossary name blanked.

"Which name completes this account of what happened on 20 March 1956? “After Bierut's
death, _____ becomes first secretary of the Polish United Workers' Party.”" The sentence is
the entry's own, so the key is what the entry says, and the question rests on the entry
(its feedback shows it with its reference citations). The rules are `cloze_name`'s: a
person, body or place of the glossary, blanked with its initials, never after a first name
left in the sentence or inside a longer name; the sentence stands alone (`statements`: a
statement, no "I" or "you", no "he" before a name, nothing pointing outside it); the
distractors are terms of the same kind and role that the entry does not name, shown by
their canonical names. For a person, also someone about at the time and alive then
(`entries.fits_time`): not Kirov, shot in 1934, beside the leaders of 1956. One blank per
sentence and at most `PER_ENTRY` per entry, the rarer names first.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterator

from corpus.models import GlossaryTerm
from quizzes.generation import clues
from quizzes.generation.candidates import Candidate, Rejection, item_rng, shuffled_options
from quizzes.generation.cloze import BLANK, INITIALS, SET_PHRASE, trivial_penalty, word_bounded
from quizzes.generation.cloze_name import (
    _LONGER_NAME,
    _WHAT,
    MAIN_SUBJECT_MIN_PASSAGES,
    MAIN_SUBJECT_SHARE,
    _first_name_before,
)
from quizzes.generation.corpus_snapshot import CorpusSnapshot, is_discovered
from quizzes.generation.entries import (
    ENTRY_PENALTY,
    datable,
    deaths,
    fits_time,
    is_woman,
    reference_backed,
    when_phrase,
)
from quizzes.generation.glossary_choice import (
    NAMED_KINDS,
    ROLE_FALLBACK_PENALTY,
    all_spellings,
    display,
    like_terms,
)
from quizzes.generation.sentences import split_sentences, straighten_quotes, word_count
from quizzes.generation.statements import (
    dangling_pronoun,
    is_declarative,
    outside_reference,
    person_offsets,
    person_problem,
)
from quizzes.generation.term_questions import given_away
from quizzes.generation.time_bounds import later_bodies
from quizzes.models import Question

NAME = "entry_clozes"
VERSION = 1
TYPE = Question.Type.CLOZE_NAME
PER_ENTRY = 2
MIN_WORDS = 10
_YEAR = re.compile(r"\b1[89]\d\d\b")


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    names = [t for t in corpus.terms if t.kind in NAMED_KINDS and not is_discovered(t)]
    frequency = {t.slug: len(corpus.term_mentions.get(t.slug, ())) for t in names}
    dead = deaths(corpus)
    for event in corpus.events:
        if not reference_backed(corpus, event=event):
            continue
        # A dated account: the events of a disputed or approximate date are not "of" it.
        if datable(corpus, event) is not None:
            continue
        about = f"what happened {when_phrase(event)}"
        entry = ("event", event.slug, event.description, event.date, about)
        yield from _clozes(corpus, base, names, frequency, dead, entry, events=[event])
    for term in corpus.terms:
        if is_discovered(term) or not reference_backed(corpus, term=term):
            continue
        years = [int(y) for y in _YEAR.findall(term.description)]
        when = datetime.date(min(years), 7, 1) if years else None
        entry = ("term", term.slug, term.description, when, _named(term))
        yield from _clozes(corpus, base, names, frequency, dead, entry, terms=[term], own=term)


def _named(term: GlossaryTerm) -> str:
    """The term as the object of "this account of": "Edward Ochab", "the 22nd Party
    Congress", "the term “polycentrism”"."""
    if term.kind in (GlossaryTerm.Kind.PERSON, GlossaryTerm.Kind.PLACE):
        return term.name
    if term.kind == GlossaryTerm.Kind.CONCEPT:
        return f"the term “{term.name.lower() if term.name.istitle() else term.name}”"
    if term.name.startswith("The ") or (term.description or "").lstrip().startswith(term.name):
        # "Reuters is a news agency …": its own entry names it without an article (round 8,
        # R122: "this account of the Reuters").
        return term.name
    return f"the {term.name}"


def _clozes(corpus, base, names, frequency, dead, entry, *, events=(), terms=(), own=None):
    kind, slug, description, when, about = entry
    text = _SOURCE_LABEL.sub("", _SEE_NOTE.sub("", " ".join(description.split())))
    found = []
    # The first sentence only: the later ones lean on it ("the advance", "After hearing it").
    for start, end in split_sentences(text)[:1]:
        sentence = text[start:end]
        if word_count(sentence) < MIN_WORDS or not is_declarative(sentence):
            continue
        if _leans_on_context(sentence, own):
            yield Rejection(NAME, "refers to something outside the sentence", sentence[:120])
            continue
        for term in names:
            if (own is not None and term.slug == own.slug) or term.slug in _main_subjects(corpus):
                continue
            match = next(
                (
                    m
                    for s in all_spellings(term)
                    if s in sentence
                    for m in word_bounded(sentence, s)
                    if not _LONGER_NAME.match(sentence, m.end())
                ),
                None,
            )
            if match:
                found.append((frequency.get(term.slug, 0), start, term.slug, sentence, term, match))
    found.sort(key=lambda f: f[:3])
    used_terms: set[str] = set()
    used_sentences: set[str] = set()
    made = 0
    for _, _, _, sentence, term, match in found:
        if made >= PER_ENTRY or term.slug in used_terms or sentence in used_sentences:
            continue
        ref = f"{kind}:{slug}"
        start = match.start()
        if _first_name_before(sentence[:start]):
            yield Rejection(NAME, "a first name before the blank", term.slug, ref)
            continue
        initials = INITIALS.search(sentence[:start])
        if initials:
            start = initials.start()
        problem = _standalone(corpus, sentence, start if term.kind == "person" else None)
        if problem:
            yield Rejection(NAME, problem, sentence[:120], ref)
            continue
        shown = sentence[start : match.end()]
        if SET_PHRASE.match(sentence, match.end()):
            # "Lenin's mausoleum": the phrase names him; anyone completes it.
            yield Rejection(NAME, "a set phrase gives the name away", term.slug, ref)
            continue
        if term.kind == GlossaryTerm.Kind.PERSON and is_woman(term):
            yield Rejection(NAME, "the options could not all be women", term.slug, ref)
            continue
        if term.kind == GlossaryTerm.Kind.PLACE and _ADJECTIVE.search(shown):
            # "Polish city where ...": the blank wants an adjective, the options are countries.
            yield Rejection(NAME, "the name stands as an adjective", term.slug, ref)
            continue
        if (
            term.role == "press"
            and _PRINTS.search(sentence)
            and not _PAPER_BEFORE.search(sentence[:start])
        ):
            # "_____ prints it in full on 5 June": other papers printed it too; "The London
            # Sunday paper _____ gives eight of its 14 pages to the text" is one paper.
            yield Rejection(NAME, "other newspapers could be the answer", term.slug, ref)
            continue
        short = len(shown.split()) == 1 and term.kind == GlossaryTerm.Kind.PERSON
        r = item_rng(base, ref, term.slug)
        others, _ = like_terms(
            corpus=corpus,
            answer=term,
            avoid_text=description,
            rng=r,
            count=len(corpus.terms),
            short=short,
        )
        others = [
            t
            for t in others
            if not is_discovered(t) and not _named_as(sentence, t) and not is_woman(t)
        ]
        if term.kind == GlossaryTerm.Kind.PERSON and when is not None:
            others = [t for t in others if fits_time(corpus, t, when, dead)]
        if when is not None:  # not a journal of 1989 beside a news agency of 1956
            later = later_bodies(corpus, when.year, key=term)
            others = [t for t in others if t.slug not in later]
        # Of the country and kind the sentence gives the key ("leader of Poland's ruling
        # communist party": not Mao; "the magazine _____": not a newspaper).
        around = sentence[:start] + BLANK + sentence[match.end() :]
        others = [t for t in others if not clues.ruled_out(corpus, term, t, around)]
        others = others[:3]
        if len(others) < 3:
            yield Rejection(NAME, "too few distractors of the same kind and role", term.slug, ref)
            continue
        if given_away(
            around, display(term, short=short), [display(t, short=short) for t in others]
        ):
            # "the Under Secretary of State, second in the _____": the State Department
            yield Rejection(NAME, "answer given away in the stem", term.slug, ref)
            continue
        excerpt = straighten_quotes(sentence)
        # straighten_quotes keeps the length, so the offsets hold.
        blanked = excerpt[:start] + "_____" + excerpt[match.end() :]
        answer_text = display(term, short=short)
        options, answer = shuffled_options(
            rng=r, answer=answer_text, distractors=[display(t, short=short) for t in others]
        )
        by_text = {display(t, short=short): t for t in others}
        used_terms.add(term.slug)
        used_sentences.add(sentence)
        made += 1
        penalty = 0.0 if all(t.role == term.role for t in others) else ROLE_FALLBACK_PENALTY
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=f"Which {_WHAT[term.kind]} completes this account of {about}? “{blanked}”",
            options=options,
            answer=answer,
            passage=None,
            explanation=f"The answer is {answer_text}.",
            quote=sentence,
            highlight=None,  # the feedback shows the whole entry, not this sentence
            identity=(ref, term.slug, shown),
            option_kind="person" if term.kind == GlossaryTerm.Kind.PERSON else str(term.kind),
            support_text=sentence,
            support_phrases=[shown],
            exclusive_text=description,
            answer_spellings=all_spellings(term),
            distractor_spellings={
                o["id"]: all_spellings(by_text[o["text"]]) for o in options if o["id"] not in answer
            },
            excerpt=excerpt,
            blank_prefix=excerpt[:start],
            penalties={
                "role widened": penalty,
                "trivial stem": trivial_penalty(excerpt),
                "rests on an entry": ENTRY_PENALTY,
            },
            difficulty="medium",
            events=list(events),
            terms=list(terms),
        )


_SEE_NOTE = re.compile(r"\s*\((?:see|cf\.) the note[^)]*\)")
# "(the encyclopedia)": the entry's note of which source also says it, no words of a stem.
_SOURCE_LABEL = re.compile(
    r"\s*\((?:the |as )?(?:encyclopedia|speech|resolution|anthology|History Today)"
    r"(?:['’]s)?(?: article| says| account)?\)"
)
_ADJECTIVE = re.compile(r"(?:ish|ian|ese|ic)$")
_PRINTS = re.compile(r"\b(?:print|publish|report|carr)(?:s|ed|ies|ied|ing)?\b", re.I)
_PAPER_BEFORE = re.compile(r"\b(?:paper|newspaper|magazine|daily|weekly)\s+$")
# "it"/"its" for something no word of the sentence names; "also", "nonetheless" for what
# came before. ("It was ... that" is a dummy subject.)
_IT = re.compile(r"\b(?:it|its)\b(?! (?:is|was) \w+ (?:that|to)\b)", re.I)
_CONNECTIVE = re.compile(
    r"^(?:\S+\s+){0,3}(?:also|too|then|later|nonetheless|however|this|these|there)\b", re.I
)
_PRONOUN = re.compile(r"\b(?:he|him|his|she|her|they|them|their)\b", re.I)
_DEMONYMS = {"soviet": "USSR", "polish": "Poland", "hungarian": "Hungary", "yugoslav": "Yugoslavia"}


def _leans_on_context(sentence: str, own) -> bool:
    """Whether the sentence needs the entry around it: an "it" or a connective, or (in a
    glossary entry) a "he"/"they" for the entry's subject, whose name the sentence lacks."""
    if _IT.search(sentence) or _CONNECTIVE.search(sentence):
        return True
    if own is None:
        return False
    named = [m.start() for s in all_spellings(own) for m in word_bounded(sentence, s)]
    first = _PRONOUN.search(sentence)
    return bool(first) and not any(at < first.start() for at in named)


def _named_as(sentence: str, term) -> bool:
    """Whether the sentence names the term, by a spelling or its people's adjective ("Soviet
    reconciliation with _____": not the USSR)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", sentence)}
    return any(_DEMONYMS.get(w) in term.spellings for w in words)


def _main_subjects(corpus: CorpusSnapshot) -> frozenset[str]:
    """The names a work is about (Stalin in the speech, Khrushchev in the articles): blanked,
    anyone guesses them (`cloze_name`'s main-subject rule, over every work)."""
    cached = corpus.__dict__.get("_entry_main_subjects")
    if cached is None:
        cached = frozenset(
            t.slug
            for t in corpus.terms
            for w in corpus.works
            if corpus.work_passage_count(w) >= MAIN_SUBJECT_MIN_PASSAGES
            and corpus.mentions_in_work(t, w) > MAIN_SUBJECT_SHARE * corpus.work_passage_count(w)
        )
        corpus.__dict__["_entry_main_subjects"] = cached
    return cached


def _standalone(corpus: CorpusSnapshot, sentence: str, person_at: int | None) -> str | None:
    """Why the sentence cannot be read on its own (`statements`), or None."""
    if outside_reference(sentence):
        return "refers to something outside the sentence"
    persons = person_offsets(sentence, corpus.terms)
    if person_at is not None:
        persons.append(person_at)
    return person_problem(text=sentence, persons=persons, work_kind="") or dangling_pronoun(
        sentence
    )
