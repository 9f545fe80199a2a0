"""The glossary and the timeline: loading them from their TOML files, finding mentions.

`load_reference_data` is called by `load_corpus` once passages exist. It reads
corpus/data/glossary.toml and corpus/data/timeline.toml, resolves every
citation (a quotation, see corpus.citations; an entry may also or instead cite
reference works, `references = [{work = ..., at = ...}]`) and writes terms, events and their
links in one transaction: a bad entry or a quotation that no longer resolves
aborts the whole load and leaves the database as it was.

Names in passages are found by `term_pattern`, one rule used both to link
`GlossaryTerm.mentions` and by `mark_terms` for the reader:

* whole words only: "Kirov" is not found in "Kirovograd", nor "Lenin" in
  "Leninism"; a possessive counts ("Stalin's", "Stalin’s");
* case-aware: a one-word spelling matches as written or in capitals ("Tito",
  "TITO"; "CIA" never matches "cia"), a spelling of several words ignores case
  ("central committee", "Central Committee", "THE TWENTIETH CONGRESS");
* spaces, dashes and apostrophes vary as in `normalise_for_match`.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from corpus.citations import Citation, CitationError, CitationIndex
from corpus.editorial import EditorialDataError, RefEntry, sync_entry_references
from corpus.models import GlossaryTerm, Passage, ReferenceWork, TimelineEvent
from corpus.plain_text import control_character_problem


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


T = TypeVar("T", bound=TermLike)

_PIECE = re.compile(r"(\s+|[\u2010-\u2015\u2212-]+|['‘’`´])")


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
        else:
            pieces.append(re.escape(piece))
    body = "".join(pieces)
    if len(spelling.split()) == 1:
        upper = re.escape(spelling.strip().upper())
        body = f"(?:{body}|{upper})" if upper != re.escape(spelling.strip()) else body
    else:
        body = f"(?i:{body})"
    return rf"(?<!\w){body}(?!\w)"


def term_pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    """A regex finding any of a term's spellings as whole words (rules in the module docstring)."""
    ordered = sorted({s.strip() for s in spellings if s.strip()}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")  # never matches
    return re.compile("|".join(_spelling_regex(s) for s in ordered))


def mark_terms(
    *, text: str, terms: Iterable[T], first_only: bool = True
) -> list[tuple[str, T | None]]:
    """`text` cut into (segment, term) pairs: term is None for plain text.

    Joining the segments gives `text` back. Where spellings of two terms
    overlap, the longer wins ("Lenin's testament" over "Lenin"), then the
    earlier. With `first_only` (the default, and what the reader shows) only
    the first mention of each term is marked; later ones stay plain text, so a
    paragraph about Stalin is not a sea of links.
    """
    terms = list(terms)
    spellings = sorted(
        ((s.strip(), i) for i, term in enumerate(terms) for s in term.spellings if s.strip()),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    if not spellings:
        return [(text, None)] if text else []
    pattern = re.compile(
        "|".join(f"(?P<s{n}>{_spelling_regex(s)})" for n, (s, _) in enumerate(spellings))
    )
    segments: list[tuple[str, T | None]] = []
    seen: set[int] = set()
    position = 0
    for match in pattern.finditer(text):
        index = spellings[int(match.lastgroup[1:])][1]
        if first_only and index in seen:
            continue
        seen.add(index)
        if position < match.start():
            segments.append((text[position : match.start()], None))
        segments.append((match.group(), terms[index]))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], None))
    return segments


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


def _read_toml(path: Path, *, table: str) -> list[Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError(f"{path.name}: file not found at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ReferenceDataError(f"{path.name}: not valid TOML ({error})") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise ReferenceDataError(f"{path.name}: not valid TOML (nested too deeply)") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ReferenceDataError(
            f"{path.name}: not valid TOML (a number too long to read)"
        ) from None
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise ReferenceDataError(f"{path.name}: [[{table}]] must be an array of tables")
    return entries


def _check_unique(slugs: Sequence[str], *, what: str, problems: list[str]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for slug in slugs:
        counts[slug] += 1
    problems.extend(f"{what} {slug!r} appears {n} times" for slug, n in counts.items() if n > 1)


def parse_glossary(path: Path) -> list[TermEntry]:
    """The [[term]] tables of a glossary file; ReferenceDataError lists every problem."""
    allowed = {
        "slug", "name", "kind", "role", "aliases", "same_as", "description", "citations",
        "references", "died",
    }  # fmt: skip
    entries, problems = [], []
    for number, raw in enumerate(_read_toml(path, table="term"), start=1):
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
    slugs = {t.slug for t in entries}
    for term in entries:
        unknown = [s for s in term.same_as if s not in slugs or s == term.slug]
        if unknown:
            problems.append(
                f"glossary term {term.slug!r} has same_as naming no other glossary term: {unknown}"
            )
    if problems:
        raise ReferenceDataError(f"{path.name}: " + "; ".join(problems))
    return entries


def parse_timeline(path: Path, *, term_slugs: Iterable[str]) -> list[EventEntry]:
    """The [[event]] tables of a timeline file; ReferenceDataError lists every problem."""
    allowed = {
        "slug", "date", "precision", "title", "description", "citations", "terms", "references",
    }  # fmt: skip
    known_terms = set(term_slugs)
    entries, problems = [], []
    for number, raw in enumerate(_read_toml(path, table="event"), start=1):
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
        unknown = [slug for slug in event.terms if slug not in known_terms]
        if unknown:
            entry.problem(f"names terms that are not in the glossary: {unknown}")
        problems += entry.problems
        entries.append(event)
    _check_unique([e.slug for e in entries], what="timeline event", problems=problems)
    if problems:
        raise ReferenceDataError(f"{path.name}: " + "; ".join(problems))
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
    model: type[models.Model], rows: Sequence[dict[str, Any]]
) -> tuple[dict[str, int], int, int, int]:
    """Create, update (only what differs) and delete rows by slug.

    Returns slug → pk and the numbers created, updated and deleted. Comparing
    before writing keeps a second load of the same files a true no-op.
    """
    existing = {obj.slug: obj for obj in model.objects.all()}
    fields = [name for name in rows[0] if name != "slug"] if rows else []
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row["slug"])
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)
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


@transaction.atomic
def load_reference_data(
    *, glossary_path: Path | None = None, timeline_path: Path | None = None
) -> ReferenceReport:
    """Load the glossary and timeline files and link terms to the passages naming them.

    Idempotent: terms and events are matched by slug, those no longer in the
    files are deleted, and loading unchanged files writes nothing. Raises
    ReferenceDataError, naming the entry, for a malformed entry, a citation
    that does not resolve to exactly one current passage or a reference to a
    work that is not loaded (corpus.editorial loads the works first); nothing
    is written then.
    """
    # Read at call time: tests and the curation pages point CORPUS_DATA_DIR at a copy.
    data_dir = Path(settings.CORPUS_DATA_DIR)
    term_entries = parse_glossary(glossary_path or data_dir / "glossary.toml")
    timeline_path = timeline_path or data_dir / "timeline.toml"
    event_entries = parse_timeline(timeline_path, term_slugs=[t.slug for t in term_entries])

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
            }
            for t in term_entries
        ],
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
            }
            for e in event_entries
        ],
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
    )
