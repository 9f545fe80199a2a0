"""The editorial notes as the generators see them: each note with the passages it targets,
quotes or gives for a position, and the reference works its positions cite.

Loaded once with the corpus snapshot (three queries) and read by the rule that keeps a
source's error from being taught as fact (`corrections`) and by the types built from
notes (`disagreement`, `claim_source`). Tests build it from unsaved objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.models import EditorialNote, NotePassage, Passage, ReferenceCitation

# "History Today (2006)", "The encyclopedia article (about 2008)": the label without its date.
_WHEN = re.compile(r"\s*\((?:c\.|about|from)?\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?\d{4}[^)]*\)\s*$")


@dataclass(frozen=True)
class NoteLink:
    """A passage a note targets, quotes or gives for one of its positions."""

    note: EditorialNote
    passage: Passage
    role: str  # NotePassage.Role
    quote: str  # the exact words that picked the passage
    position: int | None = None


@dataclass(frozen=True)
class Position:
    """One side of a dispute: who says what, on a passage or a reference work."""

    index: int
    who: str
    says: str
    link: NoteLink | None
    reference: ReferenceCitation | None

    @property
    def short_who(self) -> str:
        """The label without its year: "History Today (2006)" -> "History Today"."""
        return _WHEN.sub("", self.who).strip()


@dataclass
class EditorialData:
    notes: list[EditorialNote] = field(default_factory=list)
    links: list[NoteLink] = field(default_factory=list)
    # (note slug, position index) -> the reference citation given for that position
    position_references: dict[tuple[str, int], ReferenceCitation] = field(default_factory=dict)
    # note slug -> the note's own reference citations (not a position's)
    references: dict[str, list[ReferenceCitation]] = field(default_factory=dict)

    def targets_on(self, passage: Passage) -> list[NoteLink]:
        """The links of notes targeting this passage (by identity: snapshot objects)."""
        return self._targets.get(id(passage), [])

    @property
    def _targets(self) -> dict[int, list[NoteLink]]:
        cached = self.__dict__.get("_target_index")
        if cached is None:
            cached = {}
            for link in self.links:
                if link.role == NotePassage.Role.TARGET:
                    cached.setdefault(id(link.passage), []).append(link)
            self.__dict__["_target_index"] = cached
        return cached

    def positions(self, note: EditorialNote) -> list[Position]:
        by_index = {
            link.position: link
            for link in self.links
            if link.note is note and link.role == NotePassage.Role.POSITION
        }
        return [
            Position(
                index=n,
                who=" ".join(str(p.get("who", "")).split()),
                says=" ".join(str(p.get("says", "")).split()),
                link=by_index.get(n),
                reference=self.position_references.get((note.slug, n)),
            )
            for n, p in enumerate(note.positions or [])
            if p.get("who") and p.get("says")
        ]


def load_editorial(*, passages: list[Passage]) -> EditorialData:
    """Every note, its links to current passages (as the snapshot's objects) and its
    reference citations: three queries."""
    by_id = {p.pk: p for p in passages}
    notes = {n.pk: n for n in EditorialNote.objects.order_by("slug")}
    links = [
        NoteLink(
            note=notes[row.note_id],
            passage=by_id[row.passage_id],
            role=row.role,
            quote=row.quote,
            position=row.position,
        )
        for row in NotePassage.objects.order_by("note_id", "ordinal", "pk")
        if row.passage_id in by_id
    ]
    data = EditorialData(notes=list(notes.values()), links=links)
    citations = ReferenceCitation.objects.filter(note__isnull=False).select_related("work")
    for citation in citations.order_by("ordinal", "pk"):
        slug = notes[citation.note_id].slug
        if citation.position is None:
            data.references.setdefault(slug, []).append(citation)
        else:
            data.position_references[(slug, citation.position)] = citation
    return data
