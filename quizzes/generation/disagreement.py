"""Sources disagree: what two accounts each say, or what a source says against the record.

Beyond recall: the student holds two accounts side by side. Two kinds, both from the
editorial notes, whose feedback quotes both sides:

* **Two sources, one question** (a dispute note's two positions quoted from passages of
  two different works): "History Today and the anthology's editor give different answers
  to this question: How many delegates were at the 20th Congress? What does each of them
  say?" The options pair the answers the note's sides give; the swapped pair is always
  among them, and every wrong pair gives at least one source an answer its own passage
  plainly does not (`note_questions.safely_wrong`). Both passages are cited and quoted.
* **A source against the record** (a correction note): the detail the claim gives where
  the correction gives another of the same kind (`corrections.corrected`: a date, a
  figure, a body), blanked in the claim: "The encyclopedia article and the historical
  record disagree about this: “the Pospelov Commission was set up on _____.” Which date
  does the encyclopedia article give?" The options are the claim's detail and the
  correction's details of that kind, written alike; the key is what the cited passage
  says. The feedback quotes the passage and gives the correction with its reference work.

Figures that merely differ between two works (1,966 delegates of the 17th Congress, 1,500
of the 20th) are not asked without a note: a count of voting delegates and one of all
delegates differ without disagreeing, and only an editor can tell which is which.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from itertools import combinations

from corpus.models import EditorialNote, GlossaryTerm, NotePassage
from quizzes.generation.candidates import Candidate, Rejection, item_rng, shuffled_options
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.corrections import (
    claim_parts,
    corrected,
    detail_spans,
    details_in,
    month_name,
)
from quizzes.generation.documents_named import name_documents
from quizzes.generation.glossary_choice import like_terms
from quizzes.generation.note_questions import (
    answer_text,
    capitalised,
    in_sentence,
    question_title,
    quotable,
    quoted,
    readable,
    renderings,
    safely_wrong,
    sided_positions,
)
from quizzes.generation.other_names import OtherNames
from quizzes.models import Question

NAME = "disagreement"
VERSION = 1
TYPE = Question.Type.DISAGREEMENT
DISTRACTORS = 3
PAIRS_PER_NOTE = 2
_KIND_WORDS = {"date": "Which date", "figure": "Which figure", "name": "Which name"}
_BODY_WORDS = {GlossaryTerm.Kind.ORGANIZATION: "Which body", GlossaryTerm.Kind.PLACE: "Which place"}


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    names = OtherNames(corpus.terms)
    for note in corpus.editorial.notes:
        if note.kind == EditorialNote.Kind.DISPUTE:
            yield from _two_sources(corpus, note, base)
        elif note.kind == EditorialNote.Kind.CORRECTION and note.claim:
            yield from _against_the_record(corpus, note, base, names)


def _two_sources(corpus: CorpusSnapshot, note: EditorialNote, base: float):
    title = question_title(note)
    if not title:
        yield Rejection(NAME, "the note's title is not a question", note.slug)
        return
    positions = sided_positions(corpus, note)
    quoted_sides = [p for p in positions if quotable(p)]
    asked: set[frozenset] = set()  # the pairs of sides already set side by side
    # Documents' own sides first; at most PAIRS_PER_NOTE pairs, since each pair's options
    # show what the sides say and would give the next pair of the same dispute away.
    pairs = sorted(
        combinations(quoted_sides, 2),
        key=lambda pair: sum(bool(_side(corpus, note, p)[1]) for p in pair),
    )
    for a, b in pairs:
        ref = f"{note.slug}:{a.index}:{b.index}"
        if len(asked) == PAIRS_PER_NOTE:
            yield Rejection(NAME, "the dispute has been asked twice already", ref)
            continue
        if renderings(a.link.passage, b.link.passage):
            yield Rejection(NAME, "two renderings of one work do not disagree", ref)
            continue
        # Two renderings of one work are one side (the Congressional Record's translation
        # and the anthology's both print the ovation); a side a document reports (Togliatti
        # in the resolution) is not that document's own.
        sides = frozenset(_side(corpus, note, p) for p in (a, b))
        if sides in asked:
            yield Rejection(NAME, "the same two sides are already set side by side", ref)
            continue
        if not (safely_wrong(a, b.says) and safely_wrong(b, a.says)):
            yield Rejection(NAME, "the two sides do not plainly differ", ref)
            continue
        values = [a.says, b.says, *(p.says for p in positions if p not in (a, b))]
        # The stem says the two give different answers: no option pairs two answers of one
        # side (round 7, R005: the anthology's "prolonged applause" beside the Record's).
        side_of = {p.says: _side(corpus, note, p) for p in positions if p.link is not None}
        wrong = [
            (x, y)
            for x in values
            for y in values
            if x != y
            and (x, y) != (a.says, b.says)
            and not (x in side_of and side_of.get(x) == side_of.get(y))
            and ((x != a.says and safely_wrong(a, x)) or (y != b.says and safely_wrong(b, y)))
        ]
        if len(wrong) < 2:
            yield Rejection(NAME, "too few answers to pair", ref)
            continue
        asked.add(sides)
        r = item_rng(base, NAME, ref)
        swap = (b.says, a.says)
        rest = [pair for pair in wrong if pair != swap]
        r.shuffle(rest)
        chosen = ([swap] if swap in wrong else []) + rest
        chosen = chosen[:DISTRACTORS]

        def text(pair: tuple[str, str], a=a, b=b) -> str:
            return f"{a.short_who}: {answer_text(pair[0])}. {b.short_who}: {answer_text(pair[1])}."

        options, answer = shuffled_options(
            rng=r, answer=text((a.says, b.says)), distractors=[text(p) for p in chosen]
        )
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=(
                f"{_subject(a.short_who)} and {_subject(in_sentence(b.short_who))} give "
                "different answers to this "
                "question: "
                f"{title} What does each of them say?"
            ),
            options=options,
            answer=answer,
            passage=a.link.passage,
            extra_passages=[b.link.passage],
            explanation=(
                f"{a.short_who}: {answer_text(a.says)}. {b.short_who}: {answer_text(b.says)}. "
                "The note below weighs the accounts."
            ),
            quote="\n".join(
                [quoted(corpus, a.link, a.short_who), quoted(corpus, b.link, b.short_who)]
            ),
            highlight=None,
            identity=("dispute", note.slug, str(a.index), str(b.index)),
            option_kind="pair",
            support_text=f"{a.link.passage.text} {b.link.passage.text}",
            support_phrases=[a.link.quote, b.link.quote],
            difficulty=Question.Difficulty.HARD,
            notes=[note],
        )


def _subject(who: str) -> str:
    """A side as part of a sentence's subject: an apposition is closed by a comma
    ("Palmiro Togliatti, Italian communist leader, give", round 7, R098)."""
    return f"{who}," if "," in who else who


def _side(corpus: CorpusSnapshot, note: EditorialNote, position) -> tuple[str, str]:
    """(work, "") for a document's own side; (work, who) for a side it only reports."""
    work = corpus.work_of(position.link.passage).slug
    own = next(
        p
        for p in corpus.editorial.positions(note)
        if p.link is not None and p.link.passage.source.slug == position.link.passage.source.slug
    )
    return (work, "" if own.index == position.index else position.short_who)


def _question_word(detail: tuple, terms: dict[str, GlossaryTerm]) -> str:
    if detail[0] == "name":
        return _BODY_WORDS.get(terms[detail[2]].kind, "Which name")
    if detail[0] == "date" and len(detail) == 2:
        return "Which year"
    return _KIND_WORDS[detail[0]]


def _format(detail: tuple, names: dict[str, GlossaryTerm]) -> str:
    if detail[0] == "name":
        return names[detail[2]].name
    if detail[0] == "figure":
        return f"{detail[1]:,}"
    year, *rest = detail[1:]
    if len(rest) == 2:
        return f"{rest[1]} {month_name(rest[0])} {year}"
    if len(rest) == 1:
        return f"{month_name(rest[0])} {year}"
    return str(year)


def _blank(claim: str, detail: tuple, terms: dict[str, GlossaryTerm]) -> str:
    """The claim with its detail replaced by a blank, or "" if it cannot be found."""
    if detail[0] == "name":
        for spelling in sorted(terms[detail[2]].spellings, key=len, reverse=True):
            m = re.search(rf"(?<!\w)(?:the )?{re.escape(spelling)}(?!\w)", claim)
            if m:
                return claim[: m.start()] + "_____" + claim[m.end() :]
        return ""
    for start, end, found in detail_spans(claim):
        if found == detail:
            return claim[:start] + "_____" + claim[end:]
    return ""


_SUBJECT_VERB = re.compile(r"^_____\s+(?:(?:was|were|had|has|have)\s+)?([a-z]+)")


def _other_act(blanked: str, correct: str) -> bool:
    """Whether the claim's blank is the doer of an act the correction does not tell: "_____
    leaked the speech to The New York Times" against "the State Department released the
    text to the whole press" would have the student agree that someone leaked it, to the
    Times (the frame "X and the record disagree about this: …" holds the rest as shared)."""
    m = _SUBJECT_VERB.match(blanked)
    if m is None:
        return False
    stem = m.group(1)[: max(3, min(5, len(m.group(1)) - 2))]
    return not re.search(rf"\b{re.escape(stem)}", correct, re.I)


def _against_the_record(
    corpus: CorpusSnapshot, note: EditorialNote, base: float, names: OtherNames
):
    who, rest = claim_parts(note.claim)
    if not who:
        return
    terms = {t.slug: t for t in corpus.terms}
    said = frozenset(details_in(rest, names))
    right = frozenset(details_in(note.correct, names))
    claimed = sorted(corrected(said, right))
    if len(claimed) != 1:
        reason = "no date, figure or body of the claim is corrected" if not claimed else ""
        yield Rejection(NAME, reason or "the claim has several corrected details", note.slug)
        return
    detail = claimed[0]
    kind = detail[0]
    known = {id(p) for p in corpus.passages}
    targets = [
        link
        for link in corpus.editorial.links
        if link.note is note
        and link.role == NotePassage.Role.TARGET
        and id(link.passage) in known
        and readable(link.passage)
        and detail in details_in(link.passage.text, names)
    ]
    if not targets:
        yield Rejection(NAME, "no readable passage states the corrected detail", note.slug)
        return
    link = targets[0]
    size = len(detail)
    others = []
    for d in sorted(corrected(right, said)):
        if d[0] != kind or (kind == "name" and d[1] != detail[1]):
            continue
        d = d[:size] if kind == "date" else d  # written at the claim's precision
        if kind == "date" and len(d) != size:
            continue
        if d != detail and d not in others:
            others.append(d)
    if kind == "date":
        # Then the passage's other dates at that precision (the Kalmyks' December 1943 for
        # the Chechens' March 1944): what the source says of something else.
        for d in sorted(details_in(link.passage.text, names)):
            if d[0] == "date" and len(d) == size and d != detail and d not in others:
                others.append(d)
    options = [_format(d, terms) for d in others]
    r = item_rng(base, NAME, note.slug)
    if kind == "name" and len(options) < 2:
        key_term = terms[detail[2]]
        extra, _ = like_terms(
            corpus=corpus, answer=key_term, avoid_text=link.passage.text, rng=r, count=3
        )
        options += [t.name for t in extra if t.name not in options][: 2 - len(options) + 1]
    key = _format(detail, terms)
    options = [o for o in dict.fromkeys(options) if o != key][:DISTRACTORS]
    if len(options) < 2:
        yield Rejection(NAME, "too few details to set against the claim", note.slug)
        return
    blanked = _blank(rest, detail, terms)
    if not blanked:
        yield Rejection(NAME, "the claim's detail cannot be blanked", note.slug)
        return
    if kind == "name" and _other_act(blanked, note.correct):
        yield Rejection(NAME, "the correction tells of another act than the claim", note.slug)
        return
    references = corpus.editorial.references.get(note.slug, [])
    authority = f" ({references[0].text})" if references else ""
    shown, answer = shuffled_options(rng=r, answer=key, distractors=options)
    blanked = capitalised(blanked) + "."
    yield Candidate(
        type=TYPE,
        generator=NAME,
        version=VERSION,
        stem=(
            # named in full at first mention: "the speech" alone asks "which speech?"
            f"{name_documents(capitalised(who))} and the historical record disagree about "
            f"this: {blanked} "
            f"{_question_word(detail, terms)} does {who} give?"
        ),
        options=shown,
        answer=answer,
        passage=link.passage,
        explanation=(
            f"{capitalised(who)} gives {key}, but that is wrong. "
            f"What happened: {note.correct}{authority}"
        ),
        quote="\n".join([quoted(corpus, link), f"What happened: {note.correct}{authority}"]),
        highlight=None,
        identity=("correction", note.slug),
        option_kind=terms[detail[2]].kind if kind == "name" else kind,
        support_text=link.passage.text,
        support_phrases=[link.quote],
        answer_spellings=list(terms[detail[2]].spellings) if kind == "name" else [key],
        difficulty=Question.Difficulty.HARD,
        notes=[note],
    )
