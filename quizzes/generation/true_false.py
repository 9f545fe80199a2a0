"""True or false: a sentence from a passage, or the same sentence with one fact swapped.

Only a declarative, self-contained sentence is asked about (`statements`): not a
question, not a heading or bullet, no "I"/"you" and no "he" without a name
before it, and something definite it is about (a person, event, date, a
numbered congress). The swapped fact (a figure, a date, a name) is replaced by
one of the same kind: a name by the canonical name of a glossary term of the
same kind and role that the same work names about as prominently (Stalin by
Lenin in the speech, never by a name the speech barely mentions, never by the
work's own author: Khrushchev swapped into his own speech makes nonsense) and
that the neighbouring passages name (Lenin in the pages on Lenin's letter, not
in those on Tito in 1948, where "Lenin shook his little finger" is absurd). The
false variant is kept only if no passage in the corpus supports it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from rapidfuzz import fuzz

from corpus.models import GlossaryTerm
from quizzes.generation import cloze_date, cloze_quantity
from quizzes.generation.candidates import Candidate, Rejection, item_rng, passage_ref
from quizzes.generation.cloze import INITIALS, sentences, trivial_penalty, word_bounded
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import NAMED_KINDS, all_spellings, display, like_terms
from quizzes.generation.sentences import contains_phrase, normalise, straighten_quotes
from quizzes.generation.statements import has_referent, in_cult_phrase, standalone_problem
from quizzes.models import Question

NAME = "true_false"
VERSION = 2
TYPE = Question.Type.TRUE_FALSE
SUPPORT_SCORE = 88
# A replacement name must be named in the same work in at least this share of the
# passages that name the original: comparable prominence, a plausible confusion.
PROMINENCE_SHARE = 0.25
OPTIONS = [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]


def plausible_replacements(
    *, corpus: CorpusSnapshot, term: GlossaryTerm, passage, r: random.Random, short: bool
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
    return [
        t
        for t in others
        if t.role == term.role
        and corpus.mentions_in_work(t, work) >= needed
        and any(contains_phrase(nearby, s) for s in all_spellings(t))
    ]


def _swaps(corpus, sentence, pools, r) -> list[tuple[int, int, str, str]]:
    """(start, end, original, replacement) fact swaps available in the sentence."""
    text = sentence.text
    passage_text = sentence.passage.text
    swaps = []
    for figure in cloze_quantity.find_figures(text):
        others, _ = cloze_quantity.distractors_for(
            answer=figure, pool=pools["figures"], passage_text=passage_text, rng=r
        )
        if others:
            swaps.append((figure.start, figure.end, figure.text, others[0]))
    for found in cloze_date.find_dates(text):
        others, _ = cloze_date.distractors_for(
            answer=found, pool=pools["dates"], passage_text=passage_text, rng=r
        )
        if others:
            swaps.append((found.start, found.end, found.text, others[0]))
    for term in pools["terms"]:
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
            short = (
                not initials
                and len(spelling.split()) == 1
                and term.kind == GlossaryTerm.Kind.PERSON
            )
            others = plausible_replacements(
                corpus=corpus, term=term, passage=sentence.passage, r=r, short=short
            )
            if others:
                swaps.append(
                    (start, match.end(), text[start : match.end()], display(others[0], short=short))
                )
            break
    return swaps


def supported_anywhere(*, corpus: CorpusSnapshot, statement: str, new_fact: str) -> bool:
    needle = normalise(statement)
    fact = f" {normalise(new_fact)} "
    for passage in corpus.all_passages:
        text = corpus.normalised(passage)
        if fact in text and fuzz.partial_ratio(needle, text.strip()) >= SUPPORT_SCORE:
            return True
    return False


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    pools = {
        "figures": cloze_quantity._pool(corpus),
        "dates": cloze_date._pool(corpus),
        "terms": [t for t in corpus.terms if t.kind in NAMED_KINDS],
    }
    for passage in corpus.passages:
        ref = passage_ref(passage)
        r = item_rng(base, ref)
        options = list(sentences(passage))
        r.shuffle(options)
        work_kind = corpus.work_of(passage).kind
        problem = ""
        for sentence in options:
            text = sentence.text
            problem = standalone_problem(
                text=text,
                passage=passage,
                start=sentence.start,
                terms=corpus.terms,
                work_kind=work_kind,
                statement=True,
            ) or ("" if has_referent(text, corpus.terms) else "nothing definite to test")
            if problem:
                continue
            swaps = _swaps(corpus, sentence, pools, r)
            label = corpus.source_label(passage)
            # Plausible swaps are rare (see the module doc), so a sentence that has one
            # becomes a false statement; one without is still a fair true statement, and
            # generate_bank.balance prefers the false ones.
            if swaps:
                start, end, original, new = r.choice(swaps)
                statement = text[:start] + new + text[end:]
                if supported_anywhere(corpus=corpus, statement=statement, new_fact=new):
                    yield Rejection(NAME, "false variant is supported by a passage", statement, ref)
                    continue
                answer, identity, highlight = (
                    "false",
                    (ref, normalise(text), original, new),
                    (start, end),
                )
                explanation = f"False: {label} has “{original}”, not “{new}”."
            else:
                statement = text
                answer, identity, highlight = "true", (ref, normalise(text)), None
                explanation = f"True: this is what {label} says."
            excerpt = straighten_quotes(statement)
            yield Candidate(
                type=TYPE,
                generator=NAME,
                version=VERSION,
                stem=f"True or false? According to {label}: “{excerpt}”",
                options=OPTIONS,
                answer=[answer],
                passage=passage,
                explanation=explanation,
                quote=text,
                highlight=highlight,
                identity=identity,
                option_kind="boolean",
                support_text=passage.text,
                support_phrases=[text],
                excerpt=excerpt,
                penalties={"trivial stem": trivial_penalty(excerpt)},
                difficulty="easy" if answer == "true" else "medium",
            )
            break
        else:
            if problem:
                yield Rejection(NAME, f"no sentence fit for true/false ({problem})", "", ref)
