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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from corpus.models import Passage

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
    if connection.vendor == "postgresql":
        total, rows = _search_postgres(terms=terms, limit=limit, offset=offset)
    else:
        total, rows = _search_sqlite(terms=terms, limit=limit, offset=offset)
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
    )


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


def fts5_match_expression(terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH string: every term as a quoted string, the last one as a prefix.

    Quoting makes FTS5 treat AND/OR/NOT/NEAR and any punctuation as plain
    text; terms are already reduced to word characters, so they hold no quote.
    """
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _search_sqlite(
    *, terms: tuple[str, ...], limit: int, offset: int
) -> tuple[int, list[tuple[int, str]]]:
    match = fts5_match_expression(terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM corpus_passage_fts f "
            "JOIN corpus_passage p ON p.id = f.rowid "
            "WHERE corpus_passage_fts MATCH %s AND p.is_current",
            [match],
        )
        total = cursor.fetchone()[0]
        if offset >= total:
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


def tsquery_expression(terms: tuple[str, ...]) -> str:
    """A to_tsquery string: every term a quoted lexeme, ANDed; the last a prefix."""
    lexemes = [f"'{term}'" for term in terms]
    lexemes[-1] += ":*"
    return " & ".join(lexemes)


def _search_postgres(
    *, terms: tuple[str, ...], limit: int, offset: int
) -> tuple[int, list[tuple[int, str]]]:
    tsquery = tsquery_expression(terms)
    # The WHERE clause repeats the indexed expression exactly so the GIN index is used.
    where = (
        "FROM corpus_passage p, to_tsquery('english', %s) q "
        "WHERE p.is_current AND to_tsvector('english', p.text) @@ q"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {where}", [tsquery])
        total = cursor.fetchone()[0]
        if offset >= total:
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
