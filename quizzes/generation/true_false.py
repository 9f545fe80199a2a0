"""True or false: a sentence from a passage, or the same sentence with one fact swapped.

The swapped fact (a figure, a date, a name) is replaced by one of the same kind;
the false variant is kept only if no passage in the corpus supports it (any
passage naming the new fact is compared with the altered sentence).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rapidfuzz import fuzz

from corpus.models import GlossaryTerm
from quizzes.generation import cloze_date, cloze_quantity
from quizzes.generation.candidates import Candidate, Rejection, item_rng, passage_ref
from quizzes.generation.cloze import INITIALS, sentences, word_bounded
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import NAMED_KINDS, all_spellings, display, like_terms
from quizzes.generation.sentences import contains_phrase, normalise, straighten_quotes
from quizzes.models import Question

NAME = "true_false"
VERSION = 1
TYPE = Question.Type.TRUE_FALSE
SUPPORT_SCORE = 88
OPTIONS = [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]


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
            short = (
                not initials
                and len(spelling.split()) == 1
                and term.kind == GlossaryTerm.Kind.PERSON
            )
            others, penalty = like_terms(
                corpus=corpus, answer=term, avoid_text=passage_text, rng=r, count=1, short=short
            )
            if others and not penalty:
                swaps.append(
                    (start, match.end(), text[start : match.end()], display(others[0], short=short))
                )
            break
    return swaps


def supported_anywhere(*, corpus: CorpusSnapshot, statement: str, new_fact: str) -> bool:
    needle = normalise(statement)
    for passage in corpus.all_passages:
        if (
            contains_phrase(passage.text, new_fact)
            and fuzz.partial_ratio(needle, normalise(passage.text)) >= SUPPORT_SCORE
        ):
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
        options = [s for s in sentences(passage)]
        r.shuffle(options)
        for sentence in options:
            swaps = _swaps(corpus, sentence, pools, r)
            if not swaps:
                continue  # a sentence with no figure, date or name tests nothing definite
            label = corpus.source_label(passage)
            text = sentence.text
            if r.random() < 0.5:
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
                difficulty="easy" if answer == "true" else "medium",
            )
            break
