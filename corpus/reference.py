"""The glossary and the timeline: loading them from their TOML files, finding mentions.

`load_reference_data` is called by `load_corpus` once passages exist. It reads
corpus/data/glossary.toml and corpus/data/timeline.toml, keeps in their place the
entries curators changed in the app (corpus.curated: the database is the truth at run
time, the files are what ships), resolves every citation (a quotation, see
corpus.citations; an entry may also or instead cite reference works,
`references = [{work = ..., at = ...}]`) and writes terms, events and their links in one
transaction: a bad entry or a quotation that no longer resolves aborts the whole load
and leaves the database as it was. Curators' edits (corpus.reference_editing) are
written by the same `write_reference_data`, from the rows, never to a file.

Names in passages are found by `term_pattern`, one rule used both to link
`GlossaryTerm.mentions` and by corpus.markup to link terms in the reader and in lessons:

* whole words only: "Kirov" is not found in "Kirovograd", nor "Lenin" in
  "Leninism"; a possessive counts ("Stalin's", "Stalin’s");
* case-aware: a one-word spelling matches as written or in capitals ("Tito",
  "TITO"; "CIA" never matches "cia"), a spelling of several words ignores case
  ("central committee", "Central Committee", "THE TWENTIETH CONGRESS");
* spaces, dashes and apostrophes vary as in `normalise_for_match`.
"""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from corpus import curated, editorial_toml
from corpus.citations import Citation, CitationError, CitationIndex
from corpus.editorial import EditorialDataError, RefEntry, sync_entry_references
from corpus.models import GlossaryTerm, Passage, ReferenceCitation, ReferenceWork, TimelineEvent
from corpus.plumbing.plain_text import control_character_problem


class ReferenceDataError(ValueError):
    """The glossary or timeline file is malformed or cites a quotation that does not resolve."""


@dataclass(frozen=True)
class ReferenceReport:
    terms: int
    terms_created: int
    terms_updated: int
    terms_deleted: int
    events: int
    events_created: int
    events_updated: int
    events_deleted: int
    citations: int  # citation links (term and event) after the load
    mentions: int  # term-mentioned-in-passage links after the load
    links_changed: int  # link rows added or removed by this load
    curation: curated.CurationReport = field(default_factory=curated.CurationReport)

    @property
    def changed(self) -> bool:
        return bool(
            self.terms_created
            or self.terms_updated
            or self.terms_deleted
            or self.events_created
            or self.events_updated
            or self.events_deleted
            or self.links_changed
        )


# --- matching names in text -------------------------------------------------


class TermLike(Protocol):
    slug: str

    @property
    def spellings(self) -> list[str]: ...


_PIECE = re.compile(r"(\s+|[\u2010-\u2015\u2212-]+|['‘’`´])")


# No word character before a match, tested just after its first character when that is a
# letter as written ("S(?<!\w.)talin"): a regex that starts with a letter is searched for
# that letter, one that starts with the test tries every position (three times slower).
_WORD_START = r"(?<!\w.)"


def _spelling_regex(spelling: str) -> str:
    pieces = []
    for piece in _PIECE.split(spelling.strip()):
        if not piece:
            continue
        if piece.isspace():
            pieces.append(r"\s+")
        elif _PIECE.fullmatch(piece) and piece[0] in "'‘’`´":
            pieces.append("['‘’`´]")
        elif _PIECE.fullmatch(piece):
            pieces.append(r"\s*[\u2010-\u2015\u2212-]+\s*")
        elif not pieces:
            pieces.append(re.escape(piece[0]) + _WORD_START + re.escape(piece[1:]))
        else:
            pieces.append(re.escape(piece))
    body = "".join(pieces)
    starts = _WORD_START in body
    if len(spelling.split()) == 1:
        written, upper = spelling.strip(), spelling.strip().upper()
        if upper != written:
            capitals = re.escape(upper[0]) + _WORD_START + re.escape(upper[1:])
            body = f"(?:{body}|{capitals if starts else re.escape(upper)})"
    else:
        body = f"(?i:{body})"
    return body + r"(?!\w)" if starts else rf"(?<!\w){body}(?!\w)"


def term_pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    """A regex finding any of a term's spellings as whole words (rules in the module docstring)."""
    return _compiled(tuple(spellings))[0]


_WORD = re.compile(r"\w+")


def words_of(text: str) -> frozenset[str]:
    """A text's words, casefolded: what may_name looks in."""
    return frozenset(_WORD.findall(text.casefold()))


def may_name(spellings: Iterable[str], *, words: frozenset[str]) -> bool:
    """False when a text (its words_of) cannot hold any of the spellings: each word of a
    spelling is a whole word of what term_pattern finds, in some case. A quick test before
    that search, which a page linking the whole glossary makes for each term."""
    needles = _compiled(tuple(spellings))[1]
    return needles is None or any(word in words for word in needles)


# Cached: a lesson page asks for each glossary term's regex in every paragraph.
@functools.lru_cache(maxsize=4096)
def _compiled(spellings: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """The regex and, for may_name, the longest word of each spelling, casefolded (None if
    a spelling has no word)."""
    # Longest first, so the regex prefers "Lenin's testament" to "Lenin".
    ordered = sorted({s.strip() for s in spellings if s.strip()}, key=lambda s: (-len(s), s))
    if not ordered:
        return re.compile(r"(?!)"), ()  # never matches
    longest = [max(_WORD.findall(s.casefold()), key=len, default="") for s in ordered]
    needles = tuple(longest) if all(longest) else None
    return re.compile("|".join(_spelling_regex(s) for s in ordered)), needles


def find_mentions(
    *, terms: Iterable[TermLike], passages: Iterable[tuple[int, str]]
) -> set[tuple[str, int]]:
    """(term slug, passage id) for every passage (id, text) that names a term."""
    patterns = [(term.slug, term_pattern(term.spellings)) for term in terms]
    return {
        (slug, passage_id)
        for passage_id, text in passages
        for slug, pattern in patterns
        if pattern.search(text)
    }


# --- reading the files ------------------------------------------------------


@dataclass(frozen=True)
class TermEntry:
    slug: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]
    description: str
    citations: tuple[Citation, ...]
    references: tuple[RefEntry, ...] = ()
    same_as: tuple[str, ...] = ()  # other glossary terms naming the same thing
    died: str = ""  # a person's date of death: "1948", "1948-08" or "1948-08-31"

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass(frozen=True)
class EventEntry:
    slug: str
    date: datetime.date
    precision: str
    title: str
    description: str
    citations: tuple[Citation, ...]
    terms: tuple[str, ...]
    references: tuple[RefEntry, ...] = ()

    def canonical(self) -> dict[str, Any]:
        """What the event says (corpus.curated): its terms are a set (the database keeps
        no order for them)."""
        return {
            "slug": self.slug,
            "date": self.date.isoformat(),
            "precision": self.precision,
            "title": self.title,
            "description": self.description,
            "citations": curated.canonical(self.citations),
            "terms": sorted(self.terms),
            "references": curated.canonical(self.references),
        }


class _Entry:
    """Reads one [[term]] or [[event]] table, collecting problems named after the entry."""

    def __init__(self, raw: Any, *, what: str, number: int, allowed: set[str]) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        slug = self.raw.get("slug")
        self.label = f"{what} {slug!r}" if isinstance(slug, str) else f"{what} #{number}"
        self.problems: list[str] = []
        if not isinstance(raw, dict):
            self.problem("is not a table")
        # TOML's escapes (\u0000) let any character in; PostgreSQL refuses a NUL.
        control = control_character_problem(self.raw)
        if control:
            self.problem(control)
        unknown = sorted(set(self.raw) - allowed)
        if unknown:
            self.problem(f"has unknown keys {unknown}")

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.label} {message}")

    def text(self, key: str, *, max_length: int | None = None, required: bool = True) -> str:
        value = self.raw.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"needs {key} (text)")
            return ""
        value = " ".join(value.split())
        if max_length and len(value) > max_length:
            self.problem(f"has a {key} longer than {max_length} characters")
        return value

    def slug(self) -> str:
        value = self.text("slug", max_length=80)
        if value and slugify(value) != value:
            self.problem("has a slug that is not lowercase-letters-digits-and-hyphens")
        return value

    def choice(self, key: str, choices: type[models.TextChoices]) -> str:
        value = self.text(key)
        if value and value not in choices.values:
            self.problem(f"has {key} {value!r}, not one of {sorted(choices.values)}")
        return value

    def life_date(self, key: str) -> str:
        """An optional date at the precision known: a TOML date (1948-08-31), a year (1948)
        or text ("1948-08"); "" when absent. Kept as "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
        value = self.raw.get(key)
        if value is None:
            return ""
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str) and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text.strip()):
            text = text.strip()
            parts = [int(p) for p in text.split("-")]
            try:
                datetime.date(
                    parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
                )
            except ValueError:
                pass
            else:
                return text
        self.problem(
            f'has {key} {value!r}, not a date (1948-08-31), a month ("1948-08") or a year (1948)'
        )
        return ""

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"needs {key} as a list of texts")
            return ()
        return tuple(" ".join(v.split()) for v in value)

    def citations(self) -> tuple[Citation, ...]:
        """The passages cited; an entry resting only on reference works may cite none."""
        value = self.raw.get("citations", [])
        if not isinstance(value, list) or not (value or self.raw.get("references")):
            self.problem(
                "needs at least one citation: citations = [{source = ..., quote = ...}] "
                "or references = [{work = ..., at = ...}]"
            )
            return ()
        found = []
        for item in value:
            if (
                not isinstance(item, dict)
                or set(item) != {"source", "quote"}
                or not all(isinstance(v, str) and v.strip() for v in item.values())
            ):
                self.problem(f"has a citation that is not {{source = ..., quote = ...}}: {item!r}")
                continue
            found.append(Citation(source=item["source"].strip(), quote=item["quote"]))
        return tuple(found)

    def references(self) -> tuple[RefEntry, ...]:
        """Reference works cited at a locator (the works are checked when loading)."""
        value = self.raw.get("references", [])
        found = []
        for item in value if isinstance(value, list) else [value]:
            if (
                not isinstance(item, dict)
                or "work" not in item
                or not set(item) <= {"work", "at"}
                or not all(isinstance(v, str) for v in item.values())
                or not item["work"].strip()
            ):
                self.problem(
                    f'has a reference that is not {{work = "slug", at = "p. 12"}}: {item!r}'
                )
                continue
            found.append(
                RefEntry(work=item["work"].strip(), at=" ".join(item.get("at", "").split()))
            )
        return tuple(found)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(f"{path.name}: file not found at {path}") from None
    except UnicodeDecodeError:
        raise ReferenceDataError(f"{path.name}: not UTF-8 text") from None


def _read_toml(text: str, *, name: str, table: str) -> list[Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ReferenceDataError(f"{name}: not valid TOML ({error})") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise ReferenceDataError(f"{name}: not valid TOML (nested too deeply)") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ReferenceDataError(f"{name}: not valid TOML (a number too long to read)") from None
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise ReferenceDataError(f"{name}: [[{table}]] must be an array of tables")
    return entries


def _check_unique(slugs: Sequence[str], *, what: str, problems: list[str]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for slug in slugs:
        counts[slug] += 1
    problems.extend(f"{what} {slug!r} appears {n} times" for slug, n in counts.items() if n > 1)


def parse_glossary(path: Path) -> list[TermEntry]:
    """The [[term]] tables of a glossary file; ReferenceDataError lists every problem."""
    return parse_glossary_text(_read_file(path), name=path.name)


def parse_glossary_text(text: str, *, name: str = "glossary.toml") -> list[TermEntry]:
    """The [[term]] tables of a glossary's TOML (a file, or the curation page's text)."""
    allowed = {
        "slug", "name", "kind", "role", "aliases", "same_as", "description", "citations",
        "references", "died",
    }  # fmt: skip
    entries, problems = [], []
    for number, raw in enumerate(_read_toml(text, name=name, table="term"), start=1):
        entry = _Entry(raw, what="glossary term", number=number, allowed=allowed)
        term = TermEntry(
            slug=entry.slug(),
            name=entry.text("name", max_length=200),
            kind=entry.choice("kind", GlossaryTerm.Kind),
            role=entry.text("role", max_length=60, required=False),
            aliases=entry.strings("aliases"),
            description=entry.text("description"),
            citations=entry.citations(),
            references=entry.references(),
            same_as=entry.strings("same_as"),
            died=entry.life_date("died"),
        )
        problems += entry.problems
        entries.append(term)
    _check_unique([t.slug for t in entries], what="glossary term", problems=problems)
    problems += _same_as_problems(entries)
    if problems:
        raise ReferenceDataError(f"{name}: " + "; ".join(problems))
    return entries


def _same_as_problems(entries: Sequence[TermEntry]) -> list[str]:
    slugs = {t.slug for t in entries}
    return [
        f"glossary term {term.slug!r} has same_as naming no other glossary term: {unknown}"
        for term in entries
        if (unknown := [s for s in term.same_as if s not in slugs or s == term.slug])
    ]


def parse_timeline(path: Path, *, term_slugs: Iterable[str] | None) -> list[EventEntry]:
    """The [[event]] tables of a timeline file; ReferenceDataError lists every problem."""
    return parse_timeline_text(_read_file(path), name=path.name, term_slugs=term_slugs)


def parse_timeline_text(
    text: str, *, name: str = "timeline.toml", term_slugs: Iterable[str] | None
) -> list[EventEntry]:
    """The [[event]] tables of a timeline's TOML; the terms an event names are checked
    against `term_slugs` (None: checked later, against the glossary as loaded)."""
    allowed = {
        "slug", "date", "precision", "title", "description", "citations", "terms", "references",
    }  # fmt: skip
    known_terms = None if term_slugs is None else set(term_slugs)
    entries, problems = [], []
    for number, raw in enumerate(_read_toml(text, name=name, table="event"), start=1):
        entry = _Entry(raw, what="timeline event", number=number, allowed=allowed)
        date = entry.raw.get("date")
        if isinstance(date, str):
            try:
                date = datetime.date.fromisoformat(date)
            except ValueError:
                date = None
        if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
            entry.problem("needs date as an ISO date (1956-02-25)")
            date = datetime.date.min
        event = EventEntry(
            slug=entry.slug(),
            date=date,
            precision=entry.choice("precision", TimelineEvent.Precision),
            title=entry.text("title", max_length=300),
            description=entry.text("description"),
            citations=entry.citations(),
            terms=entry.strings("terms"),
            references=entry.references(),
        )
        unknown = [
            slug for slug in event.terms if known_terms is not None and slug not in known_terms
        ]
        if unknown:
            entry.problem(f"names terms that are not in the glossary: {unknown}")
        problems += entry.problems
        entries.append(event)
    _check_unique([e.slug for e in entries], what="timeline event", problems=problems)
    if problems:
        raise ReferenceDataError(f"{name}: " + "; ".join(problems))
    return entries


# --- writing ----------------------------------------------------------------


def _resolve(
    entries: Sequence[TermEntry | EventEntry], *, index: CitationIndex, what: str
) -> dict[str, list[int]]:
    """Each entry's cited passage ids, in file order; ReferenceDataError names failures."""
    resolved: dict[str, list[int]] = {}
    problems = []
    for entry in entries:
        ids: list[int] = []
        for citation in entry.citations:
            try:
                passage_id = index.find(citation).pk
            except CitationError as error:
                problems.append(f"{what} {entry.slug!r}: {error}")
                continue
            if passage_id not in ids:
                ids.append(passage_id)
        resolved[entry.slug] = ids
    if problems:
        raise ReferenceDataError(
            f"{len(problems)} citation(s) do not resolve, nothing was loaded: "
            + "; ".join(problems)
        )
    return resolved


def _check_works(entries: Sequence[TermEntry | EventEntry]) -> None:
    """Every reference work an entry cites exists (corpus/data/references/*.toml)."""
    known = set(ReferenceWork.objects.values_list("slug", flat=True))
    problems = [
        f"{'glossary term' if isinstance(entry, TermEntry) else 'timeline event'} "
        f"{entry.slug!r}: no reference work {ref.work!r}"
        for entry in entries
        for ref in entry.references
        if ref.work not in known
    ]
    if problems:
        raise ReferenceDataError(
            f"{len(problems)} reference(s) name no known work, nothing was loaded: "
            + "; ".join(problems)
        )


def _upsert(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    bookkeeping: Callable[[str], dict[str, Any]],
) -> tuple[dict[str, int], int, int, int]:
    """Create, update (only what differs) and delete rows by slug; `bookkeeping(slug)` adds the
    bookkeeping columns of one row (corpus.curated: its mark, its file's digest).

    Returns slug → pk and the numbers created, updated and deleted. Comparing
    before writing keeps a second load of the same files a true no-op.
    """
    existing = {obj.slug: obj for obj in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        values = {**row, **bookkeeping(row["slug"])}
        obj = existing.get(row["slug"])
        if obj is None:
            to_create.append(model(**values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            to_update.append(obj)
            changed_fields.update(changed)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
    wanted = {row["slug"] for row in rows}
    stale = [obj.pk for slug, obj in existing.items() if slug not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    pks = dict(model.objects.values_list("slug", "pk"))
    return pks, len(to_create), len(to_update), len(stale)


def _sync_links(relation: Any, *, wanted: dict[int, list[int]], ordered: bool) -> int:
    """Make the through rows of a many-to-many relation equal `wanted` (owner pk → target pks).

    Ordered relations (citations: the first is the main one, and readers sort
    by row id) are rewritten per owner when the order differs; unordered ones
    (mentions, event terms) get only the missing rows added and the extra ones
    removed. Returns the number of rows added plus removed.
    """
    through = relation.through
    owner = relation.field.m2m_field_name() + "_id"
    target = relation.field.m2m_reverse_field_name() + "_id"
    current: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, owner_pk, target_pk in through.objects.order_by("pk").values_list("pk", owner, target):
        current[owner_pk].append((pk, target_pk))
    remove: list[int] = []
    add: list[tuple[int, int]] = []
    for owner_pk in set(current) | set(wanted):
        have = current.get(owner_pk, [])
        want = wanted.get(owner_pk, [])
        if ordered:
            if [t for _, t in have] != want:
                remove += [pk for pk, _ in have]
                add += [(owner_pk, t) for t in want]
        else:
            have_targets = {t for _, t in have}
            remove += [pk for pk, t in have if t not in set(want)]
            add += [(owner_pk, t) for t in want if t not in have_targets]
    for start in range(0, len(remove), 500):  # under every backend's parameter limit
        through.objects.filter(pk__in=remove[start : start + 500]).delete()
    through.objects.bulk_create([through(**{owner: o, target: t}) for o, t in add], batch_size=500)
    return len(remove) + len(add)


def _check_together(terms: Sequence[TermEntry], events: Sequence[EventEntry]) -> None:
    """What only the glossary and timeline together can show: unique slugs, `same_as`
    and an event's terms naming terms that exist (after curators' changes)."""
    problems: list[str] = []
    _check_unique([t.slug for t in terms], what="glossary term", problems=problems)
    _check_unique([e.slug for e in events], what="timeline event", problems=problems)
    problems += _same_as_problems(terms)
    known = {t.slug for t in terms}
    problems += [
        f"timeline event {event.slug!r} names terms that are not in the glossary: {unknown}"
        for event in events
        if (unknown := [slug for slug in event.terms if slug not in known])
    ]
    if problems:
        raise ReferenceDataError("; ".join(problems))


@transaction.atomic
def write_reference_data(
    term_entries: Sequence[TermEntry],
    event_entries: Sequence[EventEntry],
    *,
    term_extra: Callable[[str], dict[str, Any]] = lambda slug: {},
    event_extra: Callable[[str], dict[str, Any]] = lambda slug: {},
    curation: curated.CurationReport | None = None,
) -> ReferenceReport:
    """Make the glossary and timeline rows exactly these entries, with their links.

    Terms and events are matched by slug, those not given are deleted, and unchanged
    entries write nothing. Raises ReferenceDataError, naming the entry, for a citation
    that does not resolve to exactly one current passage, a reference to a work that is
    not loaded (corpus.editorial loads the works first), an unknown `same_as` or event
    term; nothing is written then.
    """
    _check_together(term_entries, event_entries)
    index = CitationIndex.for_sources(
        c.source for entry in [*term_entries, *event_entries] for c in entry.citations
    )
    term_citations = _resolve(term_entries, index=index, what="glossary term")
    event_citations = _resolve(event_entries, index=index, what="timeline event")
    _check_works([*term_entries, *event_entries])

    term_pks, terms_created, terms_updated, terms_deleted = _upsert(
        GlossaryTerm,
        [
            {
                "slug": t.slug,
                "name": t.name,
                "kind": t.kind,
                "role": t.role,
                "aliases": list(t.aliases),
                "same_as": list(t.same_as),
                "died": t.died,
                "description": t.description,
                "quotes": _quotes(t.citations),
            }
            for t in term_entries
        ],
        bookkeeping=term_extra,
    )
    event_pks, events_created, events_updated, events_deleted = _upsert(
        TimelineEvent,
        [
            {
                "slug": e.slug,
                "date": e.date,
                "precision": e.precision,
                "title": e.title,
                "description": e.description,
                "quotes": _quotes(e.citations),
            }
            for e in event_entries
        ],
        bookkeeping=event_extra,
    )

    mentions = find_mentions(
        terms=term_entries, passages=Passage.objects.current().values_list("pk", "text")
    )
    wanted_mentions: dict[int, list[int]] = defaultdict(list)
    for slug, passage_pk in sorted(mentions):
        wanted_mentions[term_pks[slug]].append(passage_pk)

    links_changed = _sync_links(
        GlossaryTerm.citations,
        wanted={term_pks[slug]: ids for slug, ids in term_citations.items()},
        ordered=True,
    )
    links_changed += _sync_links(GlossaryTerm.mentions, wanted=wanted_mentions, ordered=False)
    links_changed += _sync_links(
        TimelineEvent.citations,
        wanted={event_pks[slug]: ids for slug, ids in event_citations.items()},
        ordered=True,
    )
    links_changed += _sync_links(
        TimelineEvent.terms,
        wanted={event_pks[e.slug]: [term_pks[s] for s in e.terms] for e in event_entries},
        ordered=False,
    )
    try:
        links_changed += sync_entry_references(
            owner="term_id",
            wanted={term_pks[t.slug]: t.references for t in term_entries},
            what="glossary terms",
        )
        links_changed += sync_entry_references(
            owner="event_id",
            wanted={event_pks[e.slug]: e.references for e in event_entries},
            what="timeline events",
        )
    except EditorialDataError as error:
        raise ReferenceDataError(str(error)) from None

    return ReferenceReport(
        terms=len(term_entries),
        terms_created=terms_created,
        terms_updated=terms_updated,
        terms_deleted=terms_deleted,
        events=len(event_entries),
        events_created=events_created,
        events_updated=events_updated,
        events_deleted=events_deleted,
        citations=sum(map(len, term_citations.values())) + sum(map(len, event_citations.values())),
        mentions=len(mentions),
        links_changed=links_changed,
        curation=curation or curated.CurationReport(),
    )


def _quotes(citations: Sequence[Citation]) -> list[dict[str, str]]:
    return [{"source": c.source, "quote": c.quote} for c in citations]


@transaction.atomic
def load_reference_data(
    *,
    glossary_path: Path | None = None,
    timeline_path: Path | None = None,
    take_file: dict[str, set[str]] | None = None,
) -> ReferenceReport:
    """Load the glossary and timeline files, keeping curators' changes in the app over
    them (corpus.curated), and link terms to the passages naming them.

    Idempotent: terms and events are matched by slug, those neither the files nor a
    curator holds are deleted, and loading unchanged files writes nothing. `take_file`
    ({"term": {slug}, "event": {slug}}) drops those curators' changes for the files'.
    ReferenceDataError names what is wrong; nothing is written then.
    """
    # Read at call time: tests point CORPUS_DATA_DIR at a copy.
    data_dir = Path(settings.CORPUS_DATA_DIR)
    take_file = take_file or {}
    file_terms = parse_glossary(glossary_path or data_dir / "glossary.toml")
    file_events = parse_timeline(timeline_path or data_dir / "timeline.toml", term_slugs=None)
    report = curated.CurationReport()
    terms = curated.merge(
        file_terms,
        {t.slug: t for t in entry_terms()},
        what="term",
        to_entry=term_entry,
        report=report,
        take_file=take_file.get("term", ()),
    )
    events = curated.merge(
        file_events,
        {e.slug: e for e in entry_events()},
        what="event",
        to_entry=event_entry,
        report=report,
        take_file=take_file.get("event", ()),
    )
    return write_reference_data(
        terms.entries,
        events.entries,
        term_extra=terms.row_values,
        event_extra=events.row_values,
        curation=report,
    )


# --- the rows as entries: curators' changes, the export --------------------------------------


def entry_terms() -> models.QuerySet[GlossaryTerm]:
    """Terms with what `term_entry` reads, in two queries."""
    return GlossaryTerm.objects.prefetch_related(
        models.Prefetch(
            "reference_citations", queryset=ReferenceCitation.objects.select_related("work")
        )
    )


def entry_events() -> models.QuerySet[TimelineEvent]:
    """Events with what `event_entry` reads, in three queries."""
    return TimelineEvent.objects.prefetch_related(
        models.Prefetch(
            "reference_citations", queryset=ReferenceCitation.objects.select_related("work")
        ),
        models.Prefetch("terms", queryset=GlossaryTerm.objects.only("slug")),
    )


def _refs(row: GlossaryTerm | TimelineEvent) -> tuple[RefEntry, ...]:
    return tuple(RefEntry(work=c.work.slug, at=c.at) for c in row.reference_citations.all())


def _citations(row: GlossaryTerm | TimelineEvent) -> tuple[Citation, ...]:
    return tuple(Citation(source=q["source"], quote=q["quote"]) for q in row.quotes)


def term_entry(term: GlossaryTerm) -> TermEntry:
    """A term row as the entry a file would hold (from `entry_terms()`)."""
    return TermEntry(
        slug=term.slug,
        name=term.name,
        kind=term.kind,
        role=term.role,
        aliases=tuple(term.aliases),
        description=term.description,
        citations=_citations(term),
        references=_refs(term),
        same_as=tuple(term.same_as),
        died=term.died,
    )


def event_entry(event: TimelineEvent) -> EventEntry:
    """An event row as the entry a file would hold (from `entry_events()`)."""
    return EventEntry(
        slug=event.slug,
        date=event.date,
        precision=event.precision,
        title=event.title,
        description=event.description,
        citations=_citations(event),
        terms=tuple(sorted(t.slug for t in event.terms.all())),
        references=_refs(event),
    )


def term_table(entry: TermEntry) -> dict[str, Any]:
    """A term as its [[term]] table, keys in the file's order (optional ones when set)."""
    table: dict[str, Any] = {"slug": entry.slug, "name": entry.name, "kind": entry.kind}
    if entry.role:
        table["role"] = entry.role
    table["aliases"] = list(entry.aliases)
    if entry.same_as:
        table["same_as"] = list(entry.same_as)
    if entry.died:
        table["died"] = entry.died
    table["description"] = entry.description
    table["citations"] = _quotes(entry.citations)
    if entry.references:
        table["references"] = [{"work": r.work, "at": r.at} for r in entry.references]
    return table


def event_table(entry: EventEntry) -> dict[str, Any]:
    """An event as its [[event]] table, keys in the file's order."""
    table: dict[str, Any] = {
        "slug": entry.slug,
        "date": entry.date,
        "precision": entry.precision,
        "title": entry.title,
        "description": entry.description,
        "citations": _quotes(entry.citations),
        "terms": list(entry.terms),
    }
    if entry.references:
        table["references"] = [{"work": r.work, "at": r.at} for r in entry.references]
    return table


DESCRIPTION_WIDTH = 100  # the files' line length; a description's line breaks mean nothing


def term_toml(entry: TermEntry) -> str:
    return editorial_toml.table(
        "term", term_table(entry), blocks={"description": DESCRIPTION_WIDTH}
    )


def event_toml(entry: EventEntry) -> str:
    return editorial_toml.table(
        "event", event_table(entry), blocks={"description": DESCRIPTION_WIDTH}
    )
