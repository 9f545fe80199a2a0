"""Who or what is described: glossary entries that rest on reference works.

`who_what_when` asks "Who is described here?" of a glossary entry whose cited passages bear
its description out; many entries written for the rewritten lessons say what happened and
cite reference works instead (Bierut, Gomułka, the Anti-Party Group). Such an entry is the
evidence itself: the question rests on the term (`Candidate.terms`) and its feedback shows
the entry with its reference citations. The description is cut and blanked as
`who_what_when` does it (`_describe`), refused where it plays on the name's spellings, and
its distractors are terms of the same kind and role that it does not name. Same
fingerprint as `who_what_when`'s question on the term: where both exist, the one citing a
passage survives the near-duplicate gate.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from corpus.models import GlossaryTerm
from quizzes.generation import clues
from quizzes.generation.candidates import Candidate, Rejection, item_rng, shuffled_options
from quizzes.generation.cloze import BLANK, trivial_penalty
from quizzes.generation.corpus_snapshot import CorpusSnapshot, is_discovered
from quizzes.generation.entries import ENTRY_PENALTY, is_woman, reference_backed, same_era
from quizzes.generation.glossary_choice import (
    NAMED_KINDS,
    ROLE_FALLBACK_PENALTY,
    all_spellings,
    display,
    like_terms,
)
from quizzes.generation.who_what_when import _ASK, _describe, description_problem
from quizzes.models import Question

# "French daily newspaper" for France-Soir: the stem names the key through its country.
_DEMONYMS = {
    "french": "france", "polish": "poland", "italian": "italy", "british": "britain",
    "american": "america", "german": "germany", "chinese": "china", "israeli": "israel",
    "hungarian": "hungary", "georgian": "georgia", "yugoslav": "yugoslavia",
}  # fmt: skip
# "the party's leader in West Siberia from 1930 until his arrest in April 1938": an office
# said to end with an arrest the sources date, though nothing cited says he still held it
# (the purge's victims were mostly moved to another post first: Eikhe had been People's
# Commissar of Agriculture for half a year). Two facts joined that need not meet.
_ENDED_BY_ARREST = re.compile(r"\buntil (?:his|her|their) (?:arrest|execution)\b", re.I)
_FIRST_NAME_BLANK = re.compile(rf"\b[A-Z][a-z]+ {re.escape(BLANK)}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")

TOO_FEW_OF_ITS_KIND = "too few options of the country or kind the description gives the key"
# Three options where only two others are of the key's kind and country (the Mossad among
# Israel's services): fewer choices, a small cost.
THREE_OPTIONS_PENALTY = 0.1

NAME = "term_questions"
VERSION = 1
TYPE = Question.Type.WHO_WHAT_WHEN


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    for term in corpus.terms:
        if is_discovered(term):
            continue
        if not reference_backed(corpus, term=term):
            yield Rejection(NAME, "glossary entry cites no reference work", term.slug)
            continue
        entry = f"{term.name}: {' '.join(term.description.split())}"
        # The entry is what is cited: it bears out every name and year it gives. The fuller
        # description if it does not play on the name's spellings, else its first sentence.
        description = _describe(term)
        problem = description_problem(description, term, entry, corpus.terms)
        if problem:
            description = _describe(term, sentences=1)
            problem = description_problem(description, term, entry, corpus.terms)
        if problem:
            yield Rejection(NAME, problem, term.slug)
            continue
        if _ENDED_BY_ARREST.search(description):
            yield Rejection(NAME, "the description ends an office with an arrest", term.slug)
            continue
        if description.startswith(BLANK):
            description = description.replace(BLANK, "This " + _ASK[term.kind][1], 1)
        if BLANK in description and term.kind not in NAMED_KINDS:
            # "The official _____ of Stalin": only the key fits the words around the blank.
            yield Rejection(NAME, "only the key fits the blank", term.slug)
            continue
        # "Nikolai _____, head of the Soviet government": the blank is a family name, and so
        # is every option.
        short = bool(_FIRST_NAME_BLANK.search(description))
        r = item_rng(base, "term", term.slug)
        person = term.kind == GlossaryTerm.Kind.PERSON
        if person and is_woman(term):
            # The glossary does not say who is a woman: the options could not all be women.
            yield Rejection(NAME, "the description gives the key away by gender", term.slug)
            continue
        # All the candidates, the same role first (like_terms), then of them: for a person,
        # no woman among men and no one of another era (Lenin for a post after 1953).
        others, _ = like_terms(
            corpus=corpus,
            answer=term,
            avoid_text=term.description,
            rng=r,
            count=len(corpus.terms),
            short=short,
            neighbours=True,
        )
        others = [t for t in others if not is_discovered(t)]
        if person:
            others = [
                t
                for t in others
                if not is_woman(t) and same_era(corpus, term, t) and not clues.outranks(t, term)
            ]
        # English alone answers it ("This place is the capital of Poland"), or the options
        # must be of the kind and country the description gives the key ("Israel's foreign
        # intelligence service": not the CIA; "a British Sunday newspaper": not Izvestiia).
        reason = clues.giveaway(corpus, term, description)
        if reason:
            yield Rejection(NAME, reason, term.slug)
            continue
        fitting = [t for t in others if not clues.ruled_out(corpus, term, t, description)]
        if len(fitting) < 2 <= len(others):
            yield Rejection(NAME, TOO_FEW_OF_ITS_KIND, term.slug)
            continue
        others = fitting
        when = clues.earliest_year(description) if person else None
        if when and not clues.dead_before(term, when):
            # "head of the Soviet government from 8 February 1955": not Stalin
            others = [t for t in others if not clues.dead_before(t, when)]
        others = others[:3]
        penalty = 0.0 if all(t.role == term.role for t in others) else ROLE_FALLBACK_PENALTY
        if len(others) < 2:
            yield Rejection(NAME, "too few distractors of the same kind and role", term.slug)
            continue
        key = display(term, short=short)
        if given_away(description, key, [display(t, short=short) for t in others]):
            yield Rejection(NAME, "answer given away in the stem", term.slug)
            continue
        ask, noun = _ASK[term.kind]
        options, answer = shuffled_options(
            rng=r, answer=key, distractors=[display(t, short=short) for t in others]
        )
        by_name = {display(t, short=short): t for t in others}
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=f"{ask} is described here? “{description}”",
            options=options,
            answer=answer,
            passage=None,
            explanation=f"The glossary entry for {term.name}.",
            quote=" ".join(term.description.split()),
            highlight=None,
            identity=("term", term.slug),
            option_kind=noun,
            support_text=entry,
            support_phrases=[term.name],
            exclusive_text=term.description,
            answer_spellings=all_spellings(term),
            distractor_spellings={
                o["id"]: all_spellings(by_name[o["text"]]) for o in options if o["id"] not in answer
            },
            penalties={
                "role widened": penalty,
                "trivial stem": trivial_penalty(description),
                "rests on an entry": ENTRY_PENALTY,
                "three options only": THREE_OPTIONS_PENALTY if len(others) < 3 else 0.0,
            },
            difficulty="medium",
            terms=[term],
        )


def given_away(stem: str, key: str, distractors: list[str]) -> bool:
    """Whether a word of the key that no distractor shares is in the stem, or begins one of
    its words ("Hungarian" for "Hungary", "doctors" for "Doctors' plot", "Guardian" for
    "Manchester Guardian"): the stem names what it asks for."""
    others = {w.lower() for d in distractors for w in _WORD.findall(d.replace("-", " "))}
    stem_words = [w.lower() for w in _WORD.findall(stem)]
    stem_words += [_DEMONYMS[w] for w in stem_words if w in _DEMONYMS]
    for word in _WORD.findall(key.replace("-", " ")):
        word = word.lower().rstrip("'’s")
        if len(word) < 4 or word in others or word in ("party", "congress"):
            continue
        if any(w.startswith(word[:5]) for w in stem_words):
            return True
    return False
