"""Who held an office or did a deed: a question from a name and its apposition.

"Lavrentiy Beria, the Minister of Internal Affairs, sent the party leadership a draft
amnesty ..." asks "According to <document>, who was the Minister of Internal Affairs
who sent the party leadership a draft amnesty ...?"; "The Prime Minister, Józef
Cyrankiewicz, warned that ..." asks who the Prime Minister was who warned. The
apposition must name an office or a kind of person ("the chairman of the KGB", "an
old Bolshevik who ..."), the rest of the sentence must say what they did (a verb in
the past) and read on its own (no "it", no "them" without a plural before it, no "the
decree" nothing names). Options are people of the same document (`name_choice`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from corpus.models import GlossaryTerm
from quizzes.generation import name_choice
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    explanation_for,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import known_title, sentences
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings, display
from quizzes.generation.sentences import straighten_quotes, word_count
from quizzes.generation.statements import anaphora, dangling_pronoun, outside_reference
from quizzes.models import Question

NAME = "apposition"
VERSION = 1
TYPE = Question.Type.WHO_WHAT_WHEN

# Words an apposition about a person is built on: an office, a rank or a kind of person.
_PERSON_NOUNS = (
    r"minister|secretary|chairman|chairwoman|leader|premier|president|head|commander|"
    r"director|editor|marshal|general|chief|bolshevik|ambassador|founder|writer|poet|"
    r"novelist|officer|official|prisoner|communist|member|deputy|prosecutor|judge|"
    r"journalist|correspondent|governor|manager|wife|husband|widow|son|daughter|colleague"
)
_APPOSITION = rf"(?!(?:who|whom|whose|which|that|then|also|however|too)\b)(?:(?:the|a|an)\s+)?[^,;:()\"“”]{{0,70}}?\b(?i:{_PERSON_NOUNS})s?\b[^,;:()\"“”]{{0,60}}?"
# After the name: ", the Minister of Internal Affairs, sent ..."
_AFTER = re.compile(
    rf"^,\s+(?P<app>{_APPOSITION}),\s+(?P<rest>(?:also\s+|then\s+|later\s+)?[a-z]+\b.*)$"
)
# Before the name: "The Prime Minister, Józef Cyrankiewicz, warned ..."
_BEFORE = re.compile(rf"(?:^|,\s+|\s)(?P<app>(?:[Tt]he|[Aa]n?)\s+{_APPOSITION}),\s+$")
_REST_AFTER_NAME = re.compile(r"^,\s+(?P<rest>(?:also\s+|then\s+|later\s+)?[a-z]+\b.*)$")
_PAST_VERB = re.compile(
    r"^(?:also\s+|then\s+|later\s+)?(?:[a-z]+ed|was|were|had|became|took|told|said|sent|"
    r"wrote|flew|gave|led|made|spoke|rose|fell|won|lost|stood|sided|left|ran|brought|"
    r"fought|kept|held|met|went|came|saw|began|chose|drew|found|read|put|set|built)\b"
)


def _rest_ok(rest: str) -> bool:
    return bool(_PAST_VERB.match(rest)) and 3 <= word_count(rest) <= 30


def _question(app: str, rest: str) -> str:
    app = app[:1].lower() + app[1:] if app.split()[0] in ("The", "A", "An") else app
    rest = rest.rstrip(" .")
    return f"who was {app} who {rest}?"


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    people = [t for t in corpus.terms if t.kind == GlossaryTerm.Kind.PERSON]
    for passage in corpus.passages:
        ref = passage_ref(passage)
        label = corpus.source_label(passage)
        known = known_title(corpus, passage)
        asked: set[str] = set()
        for sentence in sentences(passage):
            text = straighten_quotes(sentence.text)
            for term in people:
                if term.slug in asked:
                    continue
                for spelling in all_spellings(term):
                    index = text.find(spelling)
                    if index < 0 or not re.match(r"(?:\W|$)", text[index + len(spelling) :]):
                        continue
                    found = _parse(text, index, index + len(spelling))
                    if found is None:
                        break
                    app, rest = found
                    question = _question(app, rest)
                    problem = (
                        anaphora(question, known=known)
                        or dangling_pronoun(question)
                        or outside_reference(question)
                    )
                    if problem:
                        yield Rejection(NAME, problem, question, ref)
                        break
                    candidate = _candidate(
                        corpus,
                        passage=passage,
                        term=term,
                        spelling=spelling,
                        stem=f"According to {label}, {question}",
                        app=app,
                        sentence=sentence.text,
                        r=item_rng(base, ref, term.slug),
                    )
                    if isinstance(candidate, Rejection):
                        yield candidate
                        break
                    asked.add(term.slug)
                    yield candidate
                    break


def _parse(text: str, start: int, end: int) -> tuple[str, str] | None:
    """(apposition, what the person did) when the name at text[start:end] is the subject
    of its sentence with an apposition, else None."""
    before, after = text[:start], text[end:]
    m = _AFTER.match(after)
    # The name opens the sentence or follows an opening phrase ("On 26 March 1953").
    opening = not before.strip() or re.fullmatch(
        r"(?:(?:On|In|By|At|Near|Early on|After|Before)\s[^,]{0,40}?,?\s+)", before
    )
    if m and opening and _rest_ok(m.group("rest")):
        return m.group("app").strip(), m.group("rest")
    b = _BEFORE.search(before)
    m = _REST_AFTER_NAME.match(after)
    if b and m and b.start() == 0 and _rest_ok(m.group("rest")):
        return b.group("app").strip(), m.group("rest")
    return None


def _candidate(
    corpus: CorpusSnapshot,
    *,
    passage,
    term: GlossaryTerm,
    spelling: str,
    stem: str,
    app: str,
    sentence: str,
    r: random.Random,
) -> Candidate | Rejection:
    ref = passage_ref(passage)
    # Family names alike ("Beria", "Yagoda"): full names beside surnames stand out.
    others, penalty = name_choice.choose(
        corpus=corpus, answer=term, passage=passage, rng=r, short=True, sentence=sentence
    )
    if len(others) < 3:
        return Rejection(NAME, "too few distractors of the same kind and role", term.slug, ref)
    answer_text = display(term, short=True)
    options, answer = shuffled_options(
        rng=r, answer=answer_text, distractors=[display(t, short=True) for t in others]
    )
    by_text = {display(t, short=True): t for t in others}
    start = passage.text.find(sentence)
    highlight = None
    if start >= 0 and spelling in sentence:
        at = start + sentence.index(spelling)
        highlight = (at, at + len(spelling))
    return Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=stem,
        options=options,
        answer=answer,
        passage=passage,
        explanation=explanation_for(passage=passage, quote=sentence, answer=answer_text),
        quote=sentence,
        highlight=highlight,
        identity=("apposition", ref, term.slug),
        option_kind="person",
        support_text=passage.text,
        support_phrases=[spelling, app],
        exclusive_text=passage.text,
        answer_spellings=all_spellings(term),
        distractor_spellings={
            o["id"]: all_spellings(by_text[o["text"]]) for o in options if o["id"] not in answer
        },
        penalties={"role widened": penalty},
        difficulty="medium",
    )
