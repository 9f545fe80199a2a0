"""Aligning renderings of the same words, for the compare view.

Pure functions: passages (anything with a `.text`) or strings in, plain
dataclasses out; no database.  String similarity and word-level edit scripts
come from rapidfuzz; what is ours is the bookkeeping around them:

* `align_renderings` pairs the passages of an excerpt (the anthology, 001)
  with those of a fuller text (the Congressional Record, 000).  Every pair
  above a similarity threshold is a candidate; the best *monotone* chain of
  candidates is kept (the excerpt follows the speech's order), allowing one
  passage on one side to match several consecutive passages on the other
  (the two editions break paragraphs differently).  Passages on either side
  left unmatched become gap rows.
* `word_diff` turns two texts into equal/insert/delete/replace segments,
  comparing words case-insensitively and ignoring punctuation, while keeping
  the original text (with its punctuation) for display.
* `find_testament_quote` and `compare_wordings` find and compare Lenin's
  "Stalin is excessively rude" passage in several sources, without treating
  any one wording as the reference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, Literal, Protocol, TypeVar

from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Levenshtein

Op = Literal["equal", "insert", "delete", "replace"]

# Below this many characters (after normalising), partial_ratio is unreliable:
# a short line such as "Vladimir Ilyich said:" occurs inside many passages.
_SHORT = 40


class HasText(Protocol):
    text: str


P = TypeVar("P", bound=HasText)


@dataclass(frozen=True)
class DiffSegment:
    """A run of words: `left` is the first text's wording, `right` the second's."""

    op: Op
    left: str
    right: str


@dataclass(frozen=True)
class AlignedRow(Generic[P]):
    """One row of the side-by-side view; a side may be empty (a gap)."""

    left: tuple[P, ...]
    right: tuple[P, ...]
    score: float = 0.0
    segments: tuple[DiffSegment, ...] = ()

    @property
    def status(self) -> Literal["matched", "left-only", "right-only"]:
        if self.left and self.right:
            return "matched"
        return "left-only" if self.left else "right-only"

    @property
    def changed(self) -> bool:
        return any(segment.op != "equal" for segment in self.segments)


@dataclass(frozen=True)
class Alignment(Generic[P]):
    rows: tuple[AlignedRow[P], ...]

    @property
    def matched_count(self) -> int:
        return sum(1 for row in self.rows if row.status == "matched")

    @property
    def left_only_count(self) -> int:
        return sum(len(row.left) for row in self.rows if row.status == "left-only")

    @property
    def right_only_count(self) -> int:
        return sum(len(row.right) for row in self.rows if row.status == "right-only")


def similarity(*, left: str, right: str) -> float:
    """0-100: how far the shorter text occurs, nearly verbatim, inside the longer."""
    a, b = utils.default_process(left), utils.default_process(right)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < _SHORT:
        return fuzz.ratio(a, b)
    return fuzz.partial_ratio(a, b)


def align_renderings(
    *, fuller: Sequence[P], excerpt: Sequence[P], threshold: float = 90.0
) -> Alignment[P]:
    """Align an excerpt's passages to a fuller text's, in order, with gaps on either side.

    Rows come in reading order; a run of unmatched passages on one side is one
    gap row.  Matched rows carry a word-level diff of the joined texts.
    """
    left_texts = [utils.default_process(p.text) for p in fuller]
    right_texts = [utils.default_process(p.text) for p in excerpt]
    scores = _score_matrix(left=left_texts, right=right_texts, threshold=threshold)
    chain = _best_monotone_chain(scores=scores, threshold=threshold)
    return Alignment(rows=tuple(_rows(fuller=fuller, excerpt=excerpt, chain=chain, scores=scores)))


def _score_matrix(*, left: list[str], right: list[str], threshold: float) -> list[list[float]]:
    """scores[i][j]: similarity of right[i] (excerpt) to left[j] (fuller text).

    partial_ratio is slow on long texts, so it runs only where the cheap
    token_set_ratio (which is never lower for a passage contained in another)
    already clears the threshold.
    """
    scores = []
    for r in right:
        row = []
        for l in left:  # noqa: E741
            if min(len(r), len(l)) < _SHORT:
                row.append(fuzz.ratio(r, l))
            elif fuzz.token_set_ratio(r, l, score_cutoff=threshold):
                row.append(fuzz.partial_ratio(r, l))
            else:
                row.append(0.0)
        scores.append(row)
    return scores


def _best_monotone_chain(*, scores: list[list[float]], threshold: float) -> list[tuple[int, int]]:
    """The heaviest chain of (i, j) cells above threshold with i and j both non-decreasing.

    best[i][j] is the weight of the best chain ending at (i, j); reach[i][j]
    the best chain ending anywhere in the rectangle up to (i, j), so each cell
    extends the better of the rectangles just above and just left of it.
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    best = [[0.0] * cols for _ in range(rows)]
    back: list[list[tuple[int, int] | None]] = [[None] * cols for _ in range(rows)]
    reach: list[list[tuple[float, tuple[int, int] | None]]] = [
        [(0.0, None)] * cols for _ in range(rows)
    ]
    for i in range(rows):
        for j in range(cols):
            candidates = [(0.0, None)]
            if i:
                candidates.append(reach[i - 1][j])
            if j:
                candidates.append(reach[i][j - 1])
            before = max(candidates, key=lambda c: c[0])
            if scores[i][j] >= threshold:
                best[i][j] = before[0] + scores[i][j]
                back[i][j] = before[1]
                here = (best[i][j], (i, j))
            else:
                here = (0.0, None)
            reach[i][j] = max([here, before], key=lambda c: c[0])
    cell = reach[rows - 1][cols - 1][1] if rows and cols else None
    chain = []
    while cell is not None:
        chain.append(cell)
        cell = back[cell[0]][cell[1]]
    return chain[::-1]


def _rows(
    *,
    fuller: Sequence[P],
    excerpt: Sequence[P],
    chain: list[tuple[int, int]],
    scores: list[list[float]],
) -> list[AlignedRow[P]]:
    # Cells sharing a passage on either side belong to the same row.
    groups: list[list[tuple[int, int]]] = []
    for i, j in chain:
        if groups and (groups[-1][-1][0] == i or groups[-1][-1][1] == j):
            groups[-1].append((i, j))
        else:
            groups.append([(i, j)])
    rows: list[AlignedRow[P]] = []
    next_left = next_right = 0
    for group in groups:
        lefts = sorted({j for _, j in group})
        rights = sorted({i for i, _ in group})
        if next_left < lefts[0]:
            rows.append(AlignedRow(left=tuple(fuller[next_left : lefts[0]]), right=()))
        if next_right < rights[0]:
            rows.append(AlignedRow(left=(), right=tuple(excerpt[next_right : rights[0]])))
        left = tuple(fuller[lefts[0] : lefts[-1] + 1])
        right = tuple(excerpt[rights[0] : rights[-1] + 1])
        rows.append(
            AlignedRow(
                left=left,
                right=right,
                score=max(scores[i][j] for i, j in group),
                segments=tuple(
                    word_diff(
                        left=" ".join(p.text for p in left),
                        right=" ".join(p.text for p in right),
                    )
                ),
            )
        )
        next_left, next_right = lefts[-1] + 1, rights[-1] + 1
    if next_left < len(fuller):
        rows.append(AlignedRow(left=tuple(fuller[next_left:]), right=()))
    if next_right < len(excerpt):
        rows.append(AlignedRow(left=(), right=tuple(excerpt[next_right:])))
    return rows


# --- word-level differences -------------------------------------------------

# A word keeps its apostrophes ("Stalin's"); everything up to the next word
# (spaces, punctuation, hyphens: "Secretary-General" is "Secretary General")
# is display text only.
_WORD = re.compile(r"&c\b|\w+(?:['’]\w+)*")


def _tokens(text: str) -> tuple[list[str], list[str], str]:
    """(comparison keys, display pieces, leading text) for `text`."""
    matches = list(_WORD.finditer(text))
    keys = [m.group().lower().replace("’", "'") for m in matches]
    pieces = [
        text[m.start() : matches[n + 1].start() if n + 1 < len(matches) else len(text)]
        for n, m in enumerate(matches)
    ]
    lead = text[: matches[0].start()] if matches else text
    return keys, pieces, lead


def word_diff(*, left: str, right: str) -> list[DiffSegment]:
    """Word-level differences from `left` to `right`, as display segments.

    Words are compared without case or punctuation; each segment keeps the
    original spelling and punctuation of its side.  Joining every segment's
    `left` (or `right`) gives back that text exactly.
    """
    left_keys, left_pieces, left_lead = _tokens(left)
    right_keys, right_pieces, right_lead = _tokens(right)
    segments: list[DiffSegment] = []
    if left_lead or right_lead:
        segments.append(DiffSegment(op="equal", left=left_lead, right=right_lead))
    for tag, src_start, src_end, dest_start, dest_end in _word_opcodes(left_keys, right_keys):
        segments.append(
            DiffSegment(
                op=tag,
                left="".join(left_pieces[src_start:src_end]),
                right="".join(right_pieces[dest_start:dest_end]),
            )
        )
    return _space_outside_changes(segments)


def _word_opcodes(left: list[str], right: list[str]) -> list[tuple[Op, int, int, int, int]]:
    """rapidfuzz's edit script over words, coarsened for reading.

    A minimal edit script breaks one reworded phrase into several changes
    around a shared "the" or "of"; adjacent changes, and changes around a
    single shared word, are merged into one.
    """
    ops = [
        [op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end]
        for op in Levenshtein.opcodes(left, right)
    ]
    merged: list[list] = []
    n = 0
    while n < len(ops):
        op = ops[n]
        sandwiched = (
            op[0] == "equal"
            and op[2] - op[1] == 1
            and merged
            and merged[-1][0] != "equal"
            and n + 1 < len(ops)
        )
        if sandwiched:
            op = ["replace", op[1], op[2], op[3], op[4]]
        if op[0] != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = op[2], op[4]
        else:
            merged.append(list(op))
        n += 1
    for op in merged:
        if op[0] != "equal":
            op[0] = (
                "replace"
                if op[1] < op[2] and op[3] < op[4]
                else ("delete" if op[1] < op[2] else "insert")
            )
    return [tuple(op) for op in merged]


def _space_outside_changes(segments: list[DiffSegment]) -> list[DiffSegment]:
    """Move the spaces after a changed run into an equal segment, so marks hug the words."""
    out: list[DiffSegment] = []
    for segment in segments:
        if segment.op == "equal":
            if out and out[-1].op == "equal":
                last = out.pop()
                segment = DiffSegment(
                    op="equal", left=last.left + segment.left, right=last.right + segment.right
                )
            out.append(segment)
            continue
        left, right = segment.left.rstrip(), segment.right.rstrip()
        out.append(DiffSegment(op=segment.op, left=left, right=right))
        space_left, space_right = segment.left[len(left) :], segment.right[len(right) :]
        if space_left or space_right:
            out.append(DiffSegment(op="equal", left=space_left, right=space_right))
    return out


# --- Lenin's testament --------------------------------------------------------

_TESTAMENT_START = re.compile(r"Stalin is (?:excessively|too) rude", re.IGNORECASE)
_TESTAMENT_END = re.compile(r"capricious temper,?(?:\s*(?:etc|&c)\.?)?", re.IGNORECASE)
# What the quotation is recognised by: its first lines, in words every rendering shares.
_TESTAMENT_PROBE = utils.default_process(
    "Stalin is excessively rude and this defect which can be freely tolerated in our midst "
    "and in contacts among us Communists becomes a defect which cannot be tolerated"
)


@dataclass(frozen=True)
class TestamentQuote(Generic[P]):
    passage: P
    text: str  # the quoted words only, cut out of the passage


@dataclass(frozen=True)
class WordingPiece:
    text: str
    varies: bool  # this stretch is worded differently in at least one other rendering


@dataclass(frozen=True)
class PairDifference:
    """How rendering `first` and rendering `second` (indexes) differ."""

    first: int
    second: int
    segments: tuple[DiffSegment, ...]  # only the non-equal ones


@dataclass(frozen=True)
class WordingComparison:
    pieces: tuple[tuple[WordingPiece, ...], ...]  # one tuple per wording, in input order
    differences: tuple[PairDifference, ...]


def find_testament_quote(*, passages: Sequence[P]) -> TestamentQuote[P] | None:
    """The passage quoting Lenin's "Stalin is excessively (too) rude", and the quoted words.

    A source may name the phrase more than once (the speech paraphrases it
    before quoting it); the passage whose text after the phrase best matches
    the quotation's opening is chosen.
    """
    best: tuple[float, P, str] | None = None
    for passage in passages:
        start = _TESTAMENT_START.search(passage.text)
        if start is None:
            continue
        rest = passage.text[start.start() :]
        end = _TESTAMENT_END.search(rest)
        quoted = rest[: end.end()] if end else rest
        score = fuzz.partial_ratio(_TESTAMENT_PROBE, utils.default_process(quoted))
        if best is None or score > best[0]:
            best = (score, passage, quoted.strip().strip("\"“”'‘’ ").strip())
    if best is None:
        return None
    return TestamentQuote(passage=best[1], text=best[2])


def compare_wordings(*, texts: Sequence[str]) -> WordingComparison:
    """Compare several renderings of one text, none of them taken as the reference.

    Each wording is split into pieces marked `varies` where at least one other
    rendering words that stretch differently; every pair's differences are
    listed too.
    """
    varies: list[list[bool]] = []
    for text in texts:
        keys, _, _ = _tokens(text)
        varies.append([False] * len(keys))
    differences = []
    for a, b in combinations(range(len(texts)), 2):
        a_keys, _, _ = _tokens(texts[a])
        b_keys, _, _ = _tokens(texts[b])
        for tag, src_start, src_end, dest_start, dest_end in _word_opcodes(a_keys, b_keys):
            if tag == "equal":
                continue
            for n in range(src_start, src_end):
                varies[a][n] = True
            for n in range(dest_start, dest_end):
                varies[b][n] = True
        segments = tuple(s for s in word_diff(left=texts[a], right=texts[b]) if s.op != "equal")
        differences.append(PairDifference(first=a, second=b, segments=segments))
    pieces = []
    for text, flags in zip(texts, varies, strict=True):
        _, display, lead = _tokens(text)
        merged: list[WordingPiece] = [WordingPiece(text=lead, varies=False)] if lead else []
        for piece, flag in zip(display, flags, strict=True):
            if merged and merged[-1].varies == flag:
                merged[-1] = WordingPiece(text=merged[-1].text + piece, varies=flag)
            else:
                merged.append(WordingPiece(text=piece, varies=flag))
        pieces.append(tuple(merged))
    return WordingComparison(pieces=tuple(pieces), differences=tuple(differences))
