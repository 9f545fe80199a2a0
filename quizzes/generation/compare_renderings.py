"""Compare renderings: a word that two renderings of the same words translate differently.

Pairs of passages that render the same text are found with rapidfuzz (two
renderings of the speech, including the encyclopedia's quotations of it in
another translation; or two works quoting a third, like Lenin's letter in the
speech and in the resolution, which must then agree closely); the word-level
diff of `corpus.align.word_diff` gives their differences. A difference is asked
about only if it is a clean substitution of one or two words between unchanged
words, not a spelling or inflection variant ("analyse", "leading" /
"leadership"), not a reordering, not inside an editor's brackets, and only if it
matters to history (`why_it_matters`): a different person, a different figure, or
a word whose change the corpus's own editors note (a glossary or timeline entry
quotes both words: "greater kindness" in the speech, "greater politeness" in the
resolution). "Lately" / "recently" tests nothing. The other rendering's word is
never an option (a student who knows it could defend it); the distractors are
of the answer's kind: people of the same role, figures of the same kind, words of
the same meaning class (`WORD_KINDS`). With too few, nothing is asked.
"""

from __future__ import annotations

import difflib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from corpus.align import word_diff
from corpus.models import EditorialNote, GlossaryTerm, NotePassage, Passage
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    passage_ref,
    shuffled_options,
)
from quizzes.generation.cloze import BLANK
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.glossary_choice import all_spellings, display, like_terms
from quizzes.generation.sentences import (
    contains_phrase,
    normalise,
    split_sentences,
    straighten_quotes,
)
from quizzes.models import Question

NAME = "compare_renderings"
VERSION = 4
TYPE = Question.Type.COMPARE_RENDERINGS
SAME_WORK_SCORE = 70  # two translations of one speech differ a lot
QUOTED_SCORE = 84  # two works quoting a third must agree closely, or it is a paraphrase
MIN_CONTEXT_WORDS = 3
WINDOW_WORDS = 8  # words kept either side of the difference (the stem's limit is 60)
CLAUSE_WORDS = 14  # how much further back a cut may go to start at a clause
# Words a clause or a phrase may start with: "to select another man for it who …".
_OPENS = re.compile(r"(?:to|a|an|another|the)\b")
_STOP = {
    "a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "by", "with", "at", "as", "is",
    "was", "were", "be", "been", "that", "which", "who", "this", "these", "it", "its", "he",
    "his", "they", "their", "not", "no", "from", "but", "so", "such", "also", "all", "has", "had",
    "have", "would", "will", "should", "could", "into", "upon", "than", "there", "our", "we",
    "us", "i", "me", "my", "etc", "c",
}  # fmt: skip
_WORDS = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Difference:
    passage: Passage  # the rendering asked about
    other: Passage
    start: int  # offsets of the differing words in passage.text
    end: int
    answer: str
    other_text: str


def _spans(text: str, segments, side: str) -> list[tuple[str, int, int]]:
    """(op, start, end) of each diff segment in `text` (joining a side gives the text)."""
    out, at = [], 0
    for seg in segments:
        piece = getattr(seg, side)
        out.append((seg.op, at, at + len(piece)))
        at += len(piece)
    return out


def _content(words: list[str]) -> list[str]:
    while words and words[0].lower() in _STOP:
        words = words[1:]
    while words and words[-1].lower() in _STOP:
        words = words[:-1]
    return words


def _variant(a: str, b: str) -> bool:
    """A spelling or inflection of the same word: not a different wording."""
    la, lb = a.lower(), b.lower()
    if sorted(la.split()) == sorted(lb.split()):
        return True
    prefix = 0
    for x, y in zip(la, lb, strict=False):
        if x != y:
            break
        prefix += 1
    return fuzz.ratio(la, lb) >= 70 or prefix >= 4


def _clean(la: list[str], lb: list[str], context: str) -> bool:
    if not la or not lb or len(la) > 2 or len(lb) > 2:
        return False
    if "[" in context:
        return False
    a, b = " ".join(la), " ".join(lb)
    if _figure(a) is not None and _figure(b) is not None:
        return _figure(a) != _figure(b)  # "98" / "89"; "20th" / "twentieth" is no difference
    if any(not w.isalpha() for w in la + lb):
        return False
    return not _variant(a, b)


def _figure(text: str) -> int | None:
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _inner(seg_left: str, seg_right: str) -> Iterator[tuple[list[str], list[str]]]:
    """One-word substitutions inside a merged run of changes, between words the run
    shares ("the position of the Secretary General" / "the post of general secretary")."""
    wa, wb = _WORDS.findall(seg_left), _WORDS.findall(seg_right)
    if len(wa) > 8 or len(wb) > 8:
        return
    ops = difflib.SequenceMatcher(
        a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False
    ).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        after = ops[n + 1] if n + 1 < len(ops) else None
        if after and after[0] == "equal":
            yield wa[i1:i2], wb[j1:j2]


def _differences(a: Passage, b: Passage) -> Iterator[tuple[int, int, int, int]]:
    """(a_start, a_end, b_start, b_end) of clean substitutions between two renderings."""
    segments = word_diff(left=a.text, right=b.text)
    left, right = _spans(a.text, segments, "left"), _spans(b.text, segments, "right")
    for i, seg in enumerate(segments):
        if seg.op != "replace":
            continue
        before = segments[i - 1] if i else None
        after = segments[i + 1] if i + 1 < len(segments) else None
        # Only a substitution between unchanged words: merged runs of changes are paraphrase.
        context = [s for s in (before, after) if s is not None]
        framed = all(
            s.op == "equal" and len(_WORDS.findall(s.left)) >= MIN_CONTEXT_WORDS for s in context
        )
        la, lb = _content(_WORDS.findall(seg.left)), _content(_WORDS.findall(seg.right))
        pairs = [(la, lb)] if framed and _clean(la, lb, seg.left + seg.right) else []
        if not pairs and framed:
            pairs = [p for p in _inner(seg.left, seg.right) if _clean(*p, seg.left + seg.right)]
        for wa, wb in pairs:
            a_start = _find_word(a.text, wa[0], left[i][1])
            b_start = _find_word(b.text, wb[0], right[i][1])
            if a_start < 0 or b_start < 0:
                continue
            a_end = a.text.index(wa[-1], a_start) + len(wa[-1])
            b_end = b.text.index(wb[-1], b_start) + len(wb[-1])
            yield a_start, a_end, b_start, b_end


def _find_word(text: str, word: str, start: int) -> int:
    m = re.compile(rf"\b{re.escape(word)}\b").search(text, start)
    return m.start() if m else -1


def find_differences(corpus: CorpusSnapshot) -> list[Difference]:
    found = []
    passages = [p for p in corpus.passages if len(p.text) >= 60]
    keys = {id(p): normalise(p.text) for p in passages}
    for i, a in enumerate(passages):
        for b in passages[i + 1 :]:
            if a.source.slug == b.source.slug:
                continue
            same_work = corpus.work_of(a).slug == corpus.work_of(b).slug
            cutoff = SAME_WORK_SCORE if same_work else QUOTED_SCORE
            ka, kb = keys[id(a)], keys[id(b)]
            if not fuzz.token_set_ratio(ka, kb, score_cutoff=cutoff):
                continue
            short, long_ = sorted((ka, kb), key=len)
            if not fuzz.partial_ratio(short, long_, score_cutoff=cutoff):
                continue
            for a0, a1, b0, b1 in _differences(a, b):
                found.append(Difference(a, b, a0, a1, a.text[a0:a1], b.text[b0:b1]))
                found.append(Difference(b, a, b0, b1, b.text[b0:b1], a.text[a0:a1]))
    return found


# Words of one meaning class: a quality Lenin asked of a general secretary is offered
# beside other qualities, never beside an unrelated word of the same ending ("uneasiness").
# No two words of a class mean nearly the same ("courtesy" beside "politeness" would be
# defensible), so no distractor is a synonym of either rendering's word.
WORD_KINDS: dict[str, frozenset[str]] = {
    "quality of a person": frozenset(
        (
            "kindness", "politeness", "tolerance", "loyalty", "modesty", "patience", "honesty",
            "firmness", "sincerity", "generosity", "humility", "fairness",
        )
    ),
    "post": frozenset(("position", "post", "office", "rank", "title", "seat", "chair")),
}  # fmt: skip


def _kind_of_word(word: str) -> frozenset[str]:
    return next((words for words in WORD_KINDS.values() if word.lower() in words), frozenset())


def _term(corpus: CorpusSnapshot, text: str) -> GlossaryTerm | None:
    """The glossary term `text` names, if it is a name."""
    key = normalise(text)
    return next(
        (t for t in corpus.terms if any(normalise(s) == key for s in all_spellings(t))), None
    )


def why_it_matters(corpus: CorpusSnapshot, diff: Difference) -> str:
    """ "name", "figure" or "word" if the difference changes what the text says about
    history, else "": two different people, two different figures, or two words an
    editor notes side by side in a glossary or timeline entry."""
    a, b = _term(corpus, diff.answer), _term(corpus, diff.other_text)
    if a and b and a.slug != b.slug:
        return "name"
    if _figure(diff.answer) is not None and _figure(diff.other_text) is not None:
        return "figure"
    notes = [t.description for t in corpus.terms] + [e.description for e in corpus.events]
    if any(
        contains_phrase(note, diff.answer) and contains_phrase(note, diff.other_text)
        for note in notes
    ):
        return "word"
    return ""


def _distractors(
    corpus: CorpusSnapshot, diff: Difference, kind: str, rng: random.Random
) -> tuple[list[str], str]:
    """Three options of the answer's kind, in neither rendering and never the other's word;
    and the option kind for the gates."""
    both = diff.passage.text + " " + diff.other.text
    if kind == "name":
        answer = _term(corpus, diff.answer)
        others, _ = like_terms(corpus=corpus, answer=answer, avoid_text=both, rng=rng)
        short = len(diff.answer.split()) == 1
        return [display(t, short=short) for t in others], "person"
    if kind == "figure":
        value = _figure(diff.answer)
        other = _figure(diff.other_text)
        steps = [value + d for d in (-30, -20, -10, 10, 20, 30)] + [value * 2, value // 2]
        rng.shuffle(steps)
        fmt = (lambda v: f"{v:,}") if "," in diff.answer else str
        picked = [
            fmt(v)
            for v in steps
            if v > 2 and v not in (value, other) and not contains_phrase(both, fmt(v))
        ]
        return list(dict.fromkeys(picked))[:3], "figure"
    words = sorted(
        w
        for w in _kind_of_word(diff.answer)
        if not contains_phrase(both, w) and not _variant(w, diff.other_text)
    )
    rng.shuffle(words)
    casing = (lambda w: w[:1].upper() + w[1:]) if diff.answer[:1].isupper() else str.lower
    return [casing(w) for w in words[:3]], "word"


def _corrected_word(corpus: CorpusSnapshot, diff: Difference) -> bool:
    """Whether a correction note on the passage gives the answer as the claim it corrects."""
    return any(
        link.passage is diff.passage
        and link.role == NotePassage.Role.TARGET
        and link.note.kind == EditorialNote.Kind.CORRECTION
        and contains_phrase(link.note.claim or "", diff.answer)
        for link in corpus.editorial.links
    )


_CLOSING = re.compile(r"(?<=[.,;!?])'(?=\s*(?:…)?\s*$)")
_OPENING = re.compile(r"(?:^|(?<=[\s(—–-]))'(?=\w)")


def _unopened_quote(text: str) -> str:
    """The window cut a quotation's opening mark away ("… a less capricious temper,
    etc.'"): its closing mark goes too."""
    if _CLOSING.search(text) and not _OPENING.search(text):
        return _CLOSING.sub("", text)
    return text


def _sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), cut to about WINDOW_WORDS words either side; a
    cut before the words starts where a clause does ("a man who, above all, would differ
    …", not "… from Stalin in only one quality"), up to CLAUSE_WORDS words further back."""
    span = next(((a, b) for a, b in split_sentences(text) if a <= start < b), (0, len(text)))
    a, b = span
    before = [m.start() for m in _WORDS.finditer(text, a, start)]
    after = [m.end() for m in _WORDS.finditer(text, end, b)]
    if len(before) > WINDOW_WORDS:
        a = before[-WINDOW_WORDS]
        back = before[max(0, len(before) - WINDOW_WORDS - CLAUSE_WORDS) : -WINDOW_WORDS]
        clause = [w for w in back if re.search(r"[,;:]\s*$", text[:w]) or _OPENS.match(text, w)]
        if clause:
            a = clause[0]  # the furthest back: a subject's clause, not its predicate's
    if len(after) > WINDOW_WORDS:
        b = after[WINDOW_WORDS - 1]
    return a, b


def _label(corpus: CorpusSnapshot, passage: Passage) -> str:
    """A rendering by its edition: "the Congressional Record translation" (from the source
    title's parenthesis), "the quotation in the encyclopedia article on the speech"."""
    if passage.quoted_work is not None:
        return f"the quotation in {corpus.work_label(passage.source.work)}"
    edition = re.search(r"\(([^()]+)\)\s*$", passage.source.title)
    if edition:
        return f"the {edition.group(1)} of {corpus.work_label(passage.source.work)}"
    return f"“{passage.source.title}”"


def quoted_speaker(corpus: CorpusSnapshot, text: str, pos: int) -> GlossaryTerm | None:
    """The person whose quoted words `pos` falls inside, named just before the quotation
    opens or between its parts ("“Stalin is excessively rude,” Lenin wrote, “and …"), or
    None when `pos` is not inside a quotation or no one is named."""
    before = text[:pos]
    curly = before.rfind("“")
    if curly > before.rfind("”"):
        opening = curly
    elif before.count('"') % 2:
        opening = before.rfind('"')
    else:
        return None
    lead_in = text[max(0, opening - SPEAKER_WINDOW) : opening]
    named = [
        (m.start(), term)
        for term in corpus.terms
        if term.kind == GlossaryTerm.Kind.PERSON
        for spelling in all_spellings(term)
        for m in re.finditer(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", lead_in)
    ]
    return max(named, key=lambda found: found[0])[1] if named else None


# How far before a quotation its speaker may be named ("Vladimir Ilyich said: …").
SPEAKER_WINDOW = 120


def _stem(corpus: CorpusSnapshot, diff: Difference, shown: str) -> str:
    """The rendering asked about and, inside a quotation, whose words the two renderings
    translate (round 5, R080: "would differ from Stalin" alone did not say it was Lenin's
    letter; round 6, R122: naming both renderings in one clause read as convoluted)."""
    asked = _label(corpus, diff.passage)
    speaker = quoted_speaker(corpus, diff.passage.text, diff.start)
    if speaker is not None:
        what = f"These words of {display(speaker, short=False)} are quoted in two translations."
    else:
        what = "This sentence is worded differently in two translations."
    return f"{what} Which word does {asked} use? “{shown}”"


TRIVIAL = "the renderings differ by a word that changes nothing of the history"


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    for diff in find_differences(corpus):
        passage = diff.passage
        ref = passage_ref(passage)
        r = item_rng(base, ref, passage_ref(diff.other), diff.answer)
        kind = why_it_matters(corpus, diff)
        if not kind:
            yield Rejection(NAME, TRIVIAL, f"{diff.answer} / {diff.other_text}", ref)
            continue
        if _corrected_word(corpus, diff):
            # "greater kindness": the word an editorial note calls a loose translation.
            # Which word that translation chose is no history; the note's claim is asked
            # the other way (the resolution's "politeness", the closer rendering).
            yield Rejection(NAME, "the word is one a correction note calls wrong", diff.answer, ref)
            continue
        distractors, option_kind = _distractors(corpus, diff, kind, r)
        if len(distractors) < 3:
            yield Rejection(NAME, "too few distractors of the same kind", diff.answer, ref)
            continue
        text = passage.text
        a, b = _sentence_window(text, diff.start, diff.end)
        shown = straighten_quotes(text[a : diff.start] + BLANK + text[diff.end : b])
        shown = (
            "… " if a and text[a - 1] not in ".!?\n" and text[a : a + 1].islower() else ""
        ) + shown
        shown += " …" if b < len(text) and text[b - 1] not in ".!?”\"'" else ""
        shown = _unopened_quote(shown)
        stem = _stem(corpus, diff, shown)
        options, answer = shuffled_options(rng=r, answer=diff.answer, distractors=distractors)
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=passage,
            extra_passages=[diff.other],
            explanation=(
                f"{_label(corpus, passage)} has “{diff.answer}”; "
                f"{_label(corpus, diff.other)} has “{diff.other_text}”."
            ),
            quote=text[a:b],
            highlight=(diff.start - a, diff.end - a),
            identity=(
                ref,
                passage_ref(diff.other),
                normalise(diff.answer),
                normalise(diff.other_text),
            ),
            option_kind=option_kind,
            support_text=text,
            support_phrases=[diff.answer],
            exclusive_text=text + " " + diff.other.text,
            answer_spellings=[diff.answer],
            excerpt=shown,
            blank_prefix=text[a : diff.start],
            difficulty="hard",
        )
