"""Search that forgives spelling: other spellings of a name, and "did you mean".

The sources spell names as their translators did ("Beriya" in the Congressional Record,
"Beria" in the encyclopedia; "Kossior" and "Kosior"), and students type them as they
heard them. Two helps, both for SQLite and PostgreSQL alike (corpus.search builds the
engine's query from their output):

* **Variants**: the glossary's spellings of one term (its name and aliases) are compared
  word by word; two words that differ only a little (after accents are set aside) are
  variants of each other, and searching for one also finds the other.
* **Suggestions**: when nothing matches, each word that occurs nowhere in the current
  passages or the glossary is replaced by the closest word that does (rapidfuzz), and
  the result is offered as "Did you mean ...?" if that search finds something.

The corpus vocabulary is built from the passages' text once and kept in the cache under
a fingerprint of the current passages (count, last id, last text change), so a re-import
or an edit makes a new one; it is read only when a search finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from django.core.cache import cache
from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from corpus.models import GlossaryTerm, Passage

VARIANT_SIMILARITY = 80  # rapidfuzz ratio (0-100) of two spellings of one name: Beria/Beriya 91
SUGGESTION_SIMILARITY = 75  # a typo in a five-letter word (Berya/Beria) scores 80
MIN_WORD_LENGTH = 4  # shorter words are too alike to tell a variant from another word
_WORD = re.compile(r"\w+")
# Letters with no Unicode decomposition that transliterations drop (Władysław, Wladyslaw).
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def words(text: str) -> list[str]:
    """The words of `text` as search sees them: runs of letters and digits, lower-cased."""
    return [w.replace("_", "") for w in _WORD.findall(text.lower())]


def plain(word: str) -> str:
    """`word` without accents: Kádár -> kadar, Gomułka -> gomulka."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_PLAIN_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _alike(first: str, second: str) -> bool:
    a, b = plain(first), plain(second)
    return a == b or fuzz.ratio(a, b) >= VARIANT_SIMILARITY


def variant_map(*, spellings: Iterable[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Each word's other spellings, from groups of spellings of one thing each.

    Within a group (a glossary term's name and aliases), words of at least
    MIN_WORD_LENGTH letters that are alike are variants: ("Lavrentiy Beria", "Beriya")
    gives beria <-> beriya. Unlike words of one name are not ("Secretary General",
    "General Secretary" pair nothing), and groups never mix.
    """
    found: dict[str, set[str]] = {}
    for group in spellings:
        vocabulary = sorted({w for spelling in group for w in words(spelling)})
        vocabulary = [w for w in vocabulary if len(w) >= MIN_WORD_LENGTH and not w.isdigit()]
        for n, word in enumerate(vocabulary):
            for other in vocabulary[n + 1 :]:
                if _alike(word, other):
                    found.setdefault(word, set()).add(other)
                    found.setdefault(other, set()).add(word)
    return {word: tuple(sorted(others)) for word, others in found.items()}


def glossary_spellings() -> list[list[str]]:
    """Each glossary term's name and aliases (one query)."""
    rows = GlossaryTerm.objects.order_by().values_list("name", "aliases")
    return [[name, *(aliases or [])] for name, aliases in rows]


def corpus_vocabulary() -> dict[str, int]:
    """Every word of the current passages with how many times it occurs.

    One query for the fingerprint; one more to read the passages when the cache does
    not hold this fingerprint's vocabulary yet.
    """
    stamp = Passage.objects.current().aggregate(
        count=Count("pk"), last=Max("pk"), changed=Max("text_changed_at")
    )
    key = "search-vocabulary:{count}:{last}:{changed}".format(**stamp).replace(" ", "_")
    vocabulary = cache.get(key)
    if vocabulary is None:
        counts: Counter[str] = Counter()
        for text in Passage.objects.current().values_list("text", flat=True).iterator():
            counts.update(w for w in words(text) if len(w) > 2 and not w.isdigit())
        vocabulary = dict(counts)
        cache.set(key, vocabulary, timeout=None)
    return vocabulary


def suggest(
    *, terms: Sequence[str], vocabulary: dict[str, int], known: Iterable[str] = ()
) -> tuple[str, ...] | None:
    """`terms` with each unknown word replaced by the closest known one, or None.

    A word is known if it is in `vocabulary` (word -> count) or `known` (the glossary's
    words); the last term also if it starts a known word, as search matches it as a
    prefix. Of equally close words the more frequent wins. None when every word is
    known or an unknown one has no close match.
    """
    choices = {**dict.fromkeys(known, 0), **vocabulary}
    changed, out = False, []
    for n, term in enumerate(terms):
        is_last = n == len(terms) - 1
        if term in choices or term.isdigit() or len(term) < MIN_WORD_LENGTH:
            out.append(term)
            continue
        if is_last and any(word.startswith(term) for word in choices):
            out.append(term)
            continue
        matches = process.extract(
            term, choices.keys(), scorer=fuzz.ratio, score_cutoff=SUGGESTION_SIMILARITY, limit=5
        )
        if not matches:
            return None
        best = max(matches, key=lambda match: (match[1], choices[match[0]], match[0]))
        out.append(best[0])
        changed = True
    return tuple(out) if changed else None
