"""What the questions built from editorial notes share (`disagreement`, `claim_source`).

A dispute note lists who says what (`EditorialData.positions`); a side quoted from a
passage can be checked against that passage, a side resting on a reference work only by
its figures and dates. A wrong answer must be plainly wrong: "History Today says the report
was heard in deathly silence" is no wrong answer if History Today's passage speaks of
silence, even though the note gives that words to someone else (`safely_wrong`).
"""

from __future__ import annotations

import calendar
import re

from corpus.models import EditorialNote, Passage
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.corrections import dates_in, figures_in
from quizzes.generation.editorial_data import NoteLink, Position
from quizzes.generation.sentences import contains_phrase, split_sentences

# A wrong answer shares less than this share of its words with the passage it is wrongly
# given to.
MAX_SHARED = 1 / 3
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset({
    "about", "above", "after", "again", "against", "also", "among", "another", "because",
    "been", "before", "being", "below", "between", "both", "could", "does", "doing", "down",
    "during", "each", "even", "ever", "every", "from", "further", "have", "having", "here",
    "into", "itself", "just", "many", "more", "most", "much", "must", "neither", "never",
    "nothing", "once", "only", "other", "ought", "over", "same", "should", "since", "some",
    "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "under", "until", "upon", "very", "were", "what", "when", "where", "which",
    "while", "whom", "whose", "will", "with", "within", "without", "would", "your",
})  # fmt: skip


def content_words(text: str) -> set[str]:
    """Words of four letters or more that carry meaning, lower case."""
    return {
        w.lower().strip("'’") for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in _STOP
    }


_DAY = re.compile(
    r"\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b|\b(January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\s+(\d{1,2})\b"
)
_MONTHS = list(calendar.month_name)[1:]


def figures_and_dates(text: str) -> set:
    """Dates, figures, and days of a month given without a year ("4 February"), which a
    date with its year gives too."""
    found = dates_in(text) | figures_in(text)
    for m in _DAY.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.add(("day", _MONTHS.index(month) + 1, int(day)))
    found |= {("day", d[2], d[3]) for d in found if d[0] == "date" and len(d) == 4}
    return found


def _compatible(a, b) -> bool:
    if a[0] != b[0]:
        return False
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def differ_in_figures(a: str, b: str) -> bool:
    """Both give dates or figures, and none of the one's is the other's."""
    fa, fb = figures_and_dates(a), figures_and_dates(b)
    return bool(fa and fb) and not any(_compatible(x, y) for x in fa for y in fb)


def readable(passage: Passage) -> bool:
    """Current, good text: a body passage, a quotation or an editor's note (quoted as the
    editor's words)."""
    return (
        passage.is_current
        and passage.quality == Passage.Quality.GOOD
        and passage.kind in (Passage.Kind.BODY, Passage.Kind.QUOTATION, Passage.Kind.EDITORIAL)
    )


def sentence_with(passage: Passage, quote: str) -> str:
    """The sentence of the passage holding the quoted words (the quote itself if they run
    across sentences), without the brackets of a stage direction it opens or closes."""
    text = passage.text
    found = quote
    for start, end in split_sentences(text):
        if contains_phrase(text[start:end], quote):
            found = text[start:end]
            break
    if found.startswith("[") and "]" not in found:
        found = found[1:]
    if found.endswith("]") and "[" not in found:
        found = found[:-1]
    return found.strip()


def safely_wrong(position: Position, says: str) -> bool:
    """Whether "`position` says `says`" is plainly wrong. An answer with figures or dates:
    none of them is in the side's passage (or, for a side resting on a reference work, in
    what the note says it says). An answer without: the side's passage shares few of its
    words; a side on a reference work alone cannot be checked, so it is never wrong."""
    found = figures_and_dates(says)
    if found:
        theirs = (
            figures_and_dates(position.link.passage.text)
            if position.link is not None
            else figures_and_dates(position.says)
        )
        return bool(theirs or position.link) and not any(
            _compatible(x, y) for x in found for y in theirs
        )
    if position.link is None:
        return False
    words = content_words(says)
    shared = words & content_words(position.link.passage.text)
    return bool(words) and len(shared) / len(words) < MAX_SHARED


def renderings(a: Passage, b: Passage) -> bool:
    """Two renderings of one work (the Congressional Record's translation and the
    anthology's): they say the same, they do not take sides against each other."""
    return a.source.work.slug == b.source.work.slug and a.source.slug != b.source.slug


def question_title(note: EditorialNote) -> str:
    """The note's title when it is a question ("How many delegates were at the 20th
    Congress?"), else ""."""
    title = " ".join(note.title.split())
    return title if title.endswith("?") and title.count("?") == 1 else ""


def quoted(corpus: CorpusSnapshot, link: NoteLink, who: str = "") -> str:
    """ "“<sentence>” (History Today)": one line of the feedback. A side that a passage
    reports but does not hold ("one cannot agree with Comrade Togliatti's putting the
    question ...") is named with the document that reports it."""
    label = who or corpus.source_label(link.passage)
    own = next(
        (p for p in corpus.editorial.positions(link.note) if p.link is not None
         and p.link.passage.source.slug == link.passage.source.slug),
        None,
    )  # fmt: skip
    if who and own is not None and own.short_who != who:
        label = f"{who}, as reported in {corpus.source_label(link.passage)}"
    return f"“{sentence_with(link.passage, link.quote)}” ({label})"


def in_sentence(who: str) -> str:
    """A side's name inside a sentence: "the anthology's editor", "History Today"."""
    return "the" + who[3:] if who.startswith("The ") else who


def cited(position: Position) -> str:
    """ "Mark Kramer: as many as 600 executed (Kramer, “New Evidence”, p. 380)"."""
    return f"{position.short_who}: {position.says} ({position.reference.text})"


def sided_positions(corpus: CorpusSnapshot, note: EditorialNote) -> list[Position]:
    """The note's positions on a current passage or on a reference work. Only those on a
    readable passage (`readable`) can be keys: their words are quoted and checked."""
    known = {id(p) for p in corpus.all_passages}
    return [
        p
        for p in corpus.editorial.positions(note)
        if (p.link is not None and id(p.link.passage) in known)
        or (p.link is None and p.reference is not None)
    ]


def quotable(position: Position) -> bool:
    return position.link is not None and readable(position.link.passage)


def answer_text(says: str) -> str:
    """A side's answer as an option: one clause, no semicolons (they separate the sides)."""
    return capitalised(says.replace("; ", ", "))


def capitalised(text: str) -> str:
    text = text.strip().rstrip(".;")
    return text[:1].upper() + text[1:]
