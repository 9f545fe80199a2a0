"""Claim to source: which document, or which side of a dispute, makes a claim or an argument.

Beyond recall: the student matches an argument to whoever makes it, the skill of reading
sources against each other. Two kinds, from the editorial notes; the feedback quotes the
key's passage and the other side's passage or reference work:

* **Who gives this answer?** For a dispute note whose title is a question, each side
  quoted from a readable passage is a key ("How did the cult of Stalin arise? The sources
  disagree. Which of them gives this answer: the objective conditions of building socialism
  in a country surrounded by enemies, and some of Stalin's personal qualities?"). The other
  options are the note's other sides, as the note names them, each from another work and
  plainly not saying the key's answer (`note_questions.safely_wrong`): its passage shares
  few of the answer's words and none of its figures, or its reference work gives other
  figures or dates.
* **Which document makes this claim?** For a correction note whose claim is a document's
  own ("According to the encyclopedia article, ..."), on a readable passage of that
  document: "Historians have shown this claim to be wrong: the CIA leaked the speech to The
  New York Times in early June 1956. Which document makes it?" The options are the
  course's documents (`CorpusSnapshot.work_option`), less any other document holding the
  claim's words (the encyclopedia's quotations of the speech). The feedback quotes the
  passage and gives what happened, with its reference work.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from corpus.models import EditorialNote, NotePassage, Passage
from quizzes.generation.candidates import Candidate, Rejection, item_rng, shuffled_options
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.corrections import claim_parts
from quizzes.generation.note_questions import (
    answer_text,
    capitalised,
    cited,
    question_title,
    quotable,
    quoted,
    renderings,
    safely_wrong,
    sided_positions,
)
from quizzes.generation.sentences import contains_phrase, normalise
from quizzes.models import Question

NAME = "claim_source"
VERSION = 1
TYPE = Question.Type.CLAIM_SOURCE
DISTRACTORS = 3
# How a claim may name the document it is the claim of (its own words, not an editor's).
_OWN_VOICE = {
    "speech": ("the speech", "khrushchev"),
    "resolution": ("the resolution", "cc resolution", "central committee"),
    "article": ("history today",),
    "encyclopedia": ("the encyclopedia",),
}
# "... the edition it criticises ...": the claim points back at its source.
_POINTS_BACK = re.compile(r"\b(?:it|its)\b", re.I)


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    for note in corpus.editorial.notes:
        if note.kind == EditorialNote.Kind.DISPUTE:
            yield from _sides(corpus, note, base)
        elif note.kind == EditorialNote.Kind.CORRECTION and note.claim:
            yield from _claim(corpus, note, base)


def _sides(corpus: CorpusSnapshot, note: EditorialNote, base: float):
    title = question_title(note)
    if not title:
        yield Rejection(NAME, "the note's title is not a question", note.slug)
        return
    positions = sided_positions(corpus, note)
    for key in positions:
        if not quotable(key):
            continue  # a side resting on a reference work alone cannot be checked as a key
        ref = f"{note.slug}:{key.index}"
        others = [
            p
            for p in positions
            if p is not key
            and p.short_who != key.short_who
            and (p.link is None or not renderings(p.link.passage, key.link.passage))
            and safely_wrong(p, key.says)
        ]
        if len(others) < 2:
            yield Rejection(NAME, "too few other sides plainly saying something else", ref)
            continue
        r = item_rng(base, NAME, ref)
        r.shuffle(others)
        others = others[:DISTRACTORS]
        options, answer = shuffled_options(
            rng=r, answer=key.short_who, distractors=[p.short_who for p in others]
        )
        contrast = next((p for p in others if p.link is not None), others[0])
        lines = [quoted(corpus, key.link, key.short_who)]
        lines.append(
            quoted(corpus, contrast.link, contrast.short_who)
            if contrast.link is not None
            else cited(contrast)
        )
        says = answer_text(key.says)
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=f"{title} The sources disagree. Which of them gives this answer: {says}?",
            options=options,
            answer=answer,
            passage=key.link.passage,
            extra_passages=[contrast.link.passage] if contrast.link is not None else [],
            explanation=(
                f"{key.short_who} gives this answer. {contrast.short_who} does not: "
                f"{answer_text(contrast.says)}."
            ),
            quote="\n".join(lines),
            highlight=None,
            identity=("side", note.slug, str(key.index)),
            option_kind="source",
            support_text=key.link.passage.text,
            support_phrases=[key.link.quote],
            difficulty=Question.Difficulty.HARD,
            notes=[note],
        )


def _own_voice(who: str, work_kind: str) -> bool:
    """Whether "According to <who>" names the document itself, not an editor's summary."""
    said = normalise(who)
    return any(normalise(name) in said for name in _OWN_VOICE.get(work_kind, ()))


def _claim(corpus: CorpusSnapshot, note: EditorialNote, base: float):
    who, rest = claim_parts(note.claim)
    known = {id(p) for p in corpus.passages}  # readable primary text in scope
    targets = [
        link
        for link in corpus.editorial.links
        if link.note is note and link.role == NotePassage.Role.TARGET
    ]
    readable = [link for link in targets if id(link.passage) in known]
    if not who or not readable:
        yield Rejection(NAME, "no readable passage makes the claim", note.slug)
        return
    link = readable[0]
    work = corpus.work_of(link.passage)
    if not _own_voice(who, work.kind) or _TRANSLATION.search(who):
        # "According to both translations of the speech, Lenin wanted … greater kindness":
        # the translators' word, not the document's claim (and which word one translation
        # chose is no history).
        yield Rejection(NAME, "the claim is not the document's own", note.slug)
        return
    if rounding(rest, note.correct):
        # "three years before the speech" for two years and eight months: loose, not wrong.
        yield Rejection(NAME, "the claim only rounds what happened", note.slug)
        return
    if naming_slip(corpus, rest, note.correct):
        # "copies were sent by order of the Soviet Politburo" when the body was then called
        # the Presidium: a slip of a name, not a claim historians refute (round 2, R090).
        yield Rejection(NAME, "the correction only gives the body's other name", note.slug)
        return
    if _POINTS_BACK.search(rest) and not contains_phrase(rest, "the speech"):
        yield Rejection(NAME, "the claim points back at its source", note.slug)
        return
    # Every document holding the claim's words (a quotation of the speech in the
    # encyclopedia) could be the answer: only the key's own work is offered of those.
    holding = {t.passage.source.work.slug for t in targets} | {
        corpus.work_of(t.passage).slug for t in targets
    }
    holding |= {
        p.source.work.slug
        for p in corpus.passages
        if any(contains_phrase(p.text, t.quote) for t in targets)
    }
    others = [w for w in corpus.works if w.slug != work.slug and w.slug not in holding]
    if len(others) < 2:
        yield Rejection(NAME, "too few documents that do not make the claim", note.slug)
        return
    r = item_rng(base, NAME, note.slug)
    r.shuffle(others)
    options, answer = shuffled_options(
        rng=r,
        answer=corpus.work_option(work),
        distractors=[corpus.work_option(w) for w in others[:DISTRACTORS]],
    )
    references = corpus.editorial.references.get(note.slug, [])
    authority = f" ({references[0].text})" if references else ""
    claim = capitalised(rest) + "."
    yield Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=f"Historians have shown this claim to be wrong: {claim} Which document makes it?",
        options=options,
        answer=answer,
        passage=link.passage,
        extra_passages=_same_work_targets(corpus, targets, link.passage, work.slug),
        explanation=(
            f"{capitalised(corpus.work_label(work))} makes this claim. "
            f"What happened: {note.correct}{authority}"
        ),
        quote="\n".join([quoted(corpus, link), f"What happened: {note.correct}{authority}"]),
        highlight=None,
        identity=("claim", note.slug),
        option_kind="work",
        support_text=link.passage.text,
        support_phrases=[link.quote],
        difficulty=Question.Difficulty.MEDIUM,
        notes=[note],
    )


_TRANSLATION = re.compile(r"\btranslat", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
_DURATION = re.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(years?|months?|weeks?|days?)\b", re.I
)


def _durations(text: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for n, unit in _DURATION.findall(text):
        value = int(n) if n.isdigit() else _NUMBER_WORDS[n.lower()]
        found.setdefault(unit.lower().rstrip("s"), set()).add(value)
    return found


def rounding(claim: str, correct: str) -> bool:
    """Whether the claim differs from the correction only by a length of time one unit off
    ("three years before the speech" against "about two years before"): a loose round
    figure, not an error worth a question."""
    said, right = _durations(claim), _durations(correct)
    return bool(said) and all(
        unit in right and any(abs(a - b) <= 1 for a in values for b in right[unit])
        for unit, values in said.items()
    )


def _same_work_targets(corpus, targets, first: Passage, work: str) -> list[Passage]:
    """The claim's other passages in the key's own work (its other rendering): cited too."""
    known = {id(p) for p in corpus.passages}
    return [
        t.passage
        for t in targets
        if t.passage is not first
        and id(t.passage) in known
        and corpus.work_of(t.passage).slug == work
    ]


def naming_slip(corpus: CorpusSnapshot, claim: str, correct: str) -> bool:
    """Whether the correction puts, for a body the claim names, another name of that same
    body (`GlossaryTerm.same_as`: the Political Bureau was called the Presidium 1952-1966),
    by one of its spellings or its head word ("the Presidium")."""
    by_slug = {t.slug: t for t in corpus.terms}
    for a in corpus.terms:
        if not any(contains_phrase(claim, s) for s in a.spellings if s):
            continue
        others = [by_slug[x] for x in a.same_as or [] if x in by_slug]
        others += [t for t in corpus.terms if a.slug in (t.same_as or [])]
        for b in others:
            names = [*b.spellings, b.name.split()[0]]
            if any(contains_phrase(correct, s) for s in names if s):
                return True
    return False
