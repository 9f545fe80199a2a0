"""Full-text search over the current passages: one interface, two engines.

SQLite (the default install) uses an FTS5 table, `corpus_passage_fts`, kept in
step with corpus_passage by triggers (see migration 0002); PostgreSQL uses
`to_tsvector('english', text)` backed by a GIN index on the same expression.

User input never reaches either query language as syntax: it is reduced to
plain word terms, each quoted (FTS5) or quoted as a lexeme (tsquery), so
`AND`, `*`, `"`, `NEAR(` or a 10,000-character paste are just words or are
dropped.  Snippets are highlighted by the database with control characters
that cannot occur in a query or in cleaned text, then HTML-escaped, and only
then are the markers turned into <mark>: passage text and query are always
escaped before any markup is added.

Garbled passages are searched and returned, not hidden: the results carry the
passage so the page can show its quality flag (a curator needs to find them,
a student needs to know not to quote them).

Spelling is forgiven (corpus.spelling): a word with other spellings in the glossary
is searched in all of them ("Beria" finds the speech's "Beriya"), and a search that
finds nothing offers the closest words the corpus has ("Berya": did you mean "beriya"?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from corpus.models import Passage
from corpus.spelling import corpus_vocabulary, glossary_spellings, suggest, variant_map, words

MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MAX_QUERY_LENGTH = 500  # characters of input looked at; the rest is ignored

_START, _STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchHit:
    passage: Passage
    snippet: SafeString


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    limit: int = 20
    offset: int = 0
    truncated: bool = False  # words or characters of the input were left out
    # Other spellings searched too, per word of the query: (("beria", ("beriya",)),)
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    suggestion: str = ""  # a query that finds something, when this one found nothing

    @property
    def other_spellings(self) -> tuple[str, ...]:
        return tuple(other for _, others in self.variants for other in others)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def first_shown(self) -> int:
        return self.offset + 1 if self.hits else 0

    @property
    def last_shown(self) -> int:
        return self.offset + len(self.hits)


def search_terms(query: str) -> tuple[tuple[str, ...], bool]:
    """The words of a user's query that the search will look for, and whether some were dropped.

    Only runs of letters and digits survive; single letters are dropped (they
    are noise such as the "s" of "Stalin's", and as a prefix would match half
    the corpus).
    """
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].lower())
    words = [w.replace("_", "")[:MAX_TERM_LENGTH] for w in words]
    words = [w for w in words if len(w) > 1 or w.isdigit()]
    unique = list(dict.fromkeys(words))
    return tuple(unique[:MAX_TERMS]), len(unique) > MAX_TERMS or len(query) > MAX_QUERY_LENGTH


def search_passages(*, query: str, limit: int = 20, offset: int = 0) -> SearchResults:
    """Current passages matching every word of `query`, best first.

    The last word matches as a prefix, so results appear while a word is still
    being typed.  An empty or all-punctuation query gives no results.
    """
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    shown_query = " ".join(query.split())[:200]
    terms, truncated = search_terms(query)
    results = SearchResults(
        query=shown_query, terms=terms, limit=limit, offset=offset, truncated=truncated
    )
    if not terms:
        return results
    spellings = glossary_spellings()
    known = variant_map(spellings=spellings)
    groups = tuple((term, *known.get(term, ())) for term in terms)
    total, rows = _search(groups=groups, limit=limit, offset=offset)
    suggestion = ""
    if not total:
        suggestion = _suggestion(terms=terms, spellings=spellings, known=known)
    passages = Passage.objects.select_related("source").in_bulk([pk for pk, _ in rows])
    hits = [
        SearchHit(passage=passages[pk], snippet=highlight_markers(snippet))
        for pk, snippet in rows
        if pk in passages
    ]
    return SearchResults(
        query=shown_query,
        terms=terms,
        hits=hits,
        total=total,
        limit=limit,
        offset=offset,
        truncated=truncated,
        variants=tuple((group[0], group[1:]) for group in groups if len(group) > 1),
        suggestion=suggestion,
    )


def _search(
    *, groups: tuple[tuple[str, ...], ...], limit: int, offset: int, count_only: bool = False
) -> tuple[int, list[tuple[int, str]]]:
    if connection.vendor == "postgresql":
        return _search_postgres(groups=groups, limit=limit, offset=offset, count_only=count_only)
    return _search_sqlite(groups=groups, limit=limit, offset=offset, count_only=count_only)


def _suggestion(
    *, terms: tuple[str, ...], spellings: list[list[str]], known: dict[str, tuple[str, ...]]
) -> str:
    """A query close to `terms` that finds something, or "" (two or three queries)."""
    glossary_words = {w for group in spellings for spelling in group for w in words(spelling)}
    suggested = suggest(terms=terms, vocabulary=corpus_vocabulary(), known=glossary_words)
    if suggested is None:
        return ""
    groups = tuple((term, *known.get(term, ())) for term in suggested)
    total, _ = _search(groups=groups, limit=1, offset=0, count_only=True)
    return " ".join(suggested) if total else ""


def highlight_markers(text: str) -> SafeString:
    """Escape `text`, then turn the database's highlight markers into <mark> elements."""
    escaped = escape(text)
    if escaped.count(_START) != escaped.count(_STOP):
        escaped = escaped.replace(_START, "").replace(_STOP, "")
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above  # nosec


def rebuild_index() -> int:
    """Rebuild the search index from the current passages; returns how many are indexed.

    On SQLite the FTS table and its triggers are recreated if missing, then
    refilled.  On PostgreSQL the GIN index follows the table by itself, so
    there is nothing to rebuild.
    """
    if connection.vendor != "sqlite":
        return Passage.objects.current().count()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in _SQLITE_SCHEMA:
            cursor.execute(statement)
        cursor.execute("DELETE FROM corpus_passage_fts")
        cursor.execute(
            "INSERT INTO corpus_passage_fts(rowid, text) "
            "SELECT id, text FROM corpus_passage WHERE is_current"
        )
        cursor.execute("SELECT count(*) FROM corpus_passage_fts")
        return cursor.fetchone()[0]


# --- SQLite FTS5 ------------------------------------------------------------

_SQLITE_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS corpus_passage_fts "
    "USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_insert AFTER INSERT ON corpus_passage "
    "WHEN new.is_current BEGIN "
    "INSERT INTO corpus_passage_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_update AFTER UPDATE ON corpus_passage BEGIN "
    "DELETE FROM corpus_passage_fts WHERE rowid = old.id; "
    "INSERT INTO corpus_passage_fts(rowid, text) SELECT new.id, new.text WHERE new.is_current; "
    "END",
    "CREATE TRIGGER IF NOT EXISTS corpus_passage_fts_delete AFTER DELETE ON corpus_passage BEGIN "
    "DELETE FROM corpus_passage_fts WHERE rowid = old.id; END",
]


def fts5_match_expression(groups: tuple[tuple[str, ...], ...]) -> str:
    """An FTS5 MATCH string: every group must match, by any of its spellings, each a
    quoted string; the last group's spellings match as prefixes.

    Quoting makes FTS5 treat AND/OR/NOT/NEAR and any punctuation as plain
    text; terms are already reduced to word characters, so they hold no quote.
    """
    parts = []
    for n, group in enumerate(groups):
        star = "*" if n == len(groups) - 1 else ""
        quoted = [f'"{term}"{star}' for term in group]
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)  # FTS5 does not AND a bracket with the next phrase implicitly


def _search_sqlite(
    *, groups: tuple[tuple[str, ...], ...], limit: int, offset: int, count_only: bool = False
) -> tuple[int, list[tuple[int, str]]]:
    match = fts5_match_expression(groups)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM corpus_passage_fts f "
            "JOIN corpus_passage p ON p.id = f.rowid "
            "WHERE corpus_passage_fts MATCH %s AND p.is_current",
            [match],
        )
        total = cursor.fetchone()[0]
        if count_only or offset >= total:
            return total, []
        cursor.execute(
            "SELECT f.rowid, snippet(corpus_passage_fts, 0, %s, %s, '…', 30) "
            "FROM corpus_passage_fts f JOIN corpus_passage p ON p.id = f.rowid "
            "WHERE corpus_passage_fts MATCH %s AND p.is_current "
            "ORDER BY f.rank, p.id LIMIT %s OFFSET %s",
            [_START, _STOP, match, limit, offset],
        )
        return total, [(pk, _CONTROL.sub(_keep_markers, snippet)) for pk, snippet in cursor]


def _keep_markers(found: re.Match) -> str:
    return found.group() if found.group() in (_START, _STOP) else ""


# --- PostgreSQL -------------------------------------------------------------

_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def tsquery_expression(groups: tuple[tuple[str, ...], ...]) -> str:
    """A to_tsquery string: every group ANDed, its spellings ORed, each a quoted
    lexeme; the last group's spellings match as prefixes."""
    parts = []
    for n, group in enumerate(groups):
        star = ":*" if n == len(groups) - 1 else ""
        lexemes = [f"'{term}'{star}" for term in group]
        parts.append(lexemes[0] if len(lexemes) == 1 else "(" + " | ".join(lexemes) + ")")
    return " & ".join(parts)


def _search_postgres(
    *, groups: tuple[tuple[str, ...], ...], limit: int, offset: int, count_only: bool = False
) -> tuple[int, list[tuple[int, str]]]:
    tsquery = tsquery_expression(groups)
    # The WHERE clause repeats the indexed expression exactly so the GIN index is used.
    where = (
        "FROM corpus_passage p, to_tsquery('english', %s) q "
        "WHERE p.is_current AND to_tsvector('english', p.text) @@ q"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {where}", [tsquery])
        total = cursor.fetchone()[0]
        if count_only or offset >= total:
            return total, []
        # Headlines are costly: make them only for the page of results.
        cursor.execute(
            "SELECT hit.id, ts_headline('english', hit.text, hit.q, %s) FROM ("  # noqa: S608  # nosec
            f"SELECT p.id, p.text, q, ts_rank(to_tsvector('english', p.text), q) AS rank {where} "
            "ORDER BY rank DESC, p.id LIMIT %s OFFSET %s"
            ") hit ORDER BY hit.rank DESC, hit.id",
            [_HEADLINE_OPTIONS, tsquery, limit, offset],
        )
        return total, [(pk, _CONTROL.sub(_keep_markers, snippet)) for pk, snippet in cursor]
