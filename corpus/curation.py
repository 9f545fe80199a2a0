"""The curators' changes to the corpus from the curation pages: a document uploaded, a
source's errata, the glossary and timeline as text, a proposed term or event decided.

Each change is audited (corpus.plumbing.audit) in its transaction. The question bank follows
the corpus, but corpus imports no other app: quizzes registers what it does when it starts
(QuizzesConfig.ready), and the functions here call it inside the same transaction, so a
refused change leaves neither rows nor questions behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from corpus import editing, proposals, reference_editing
from corpus.ingest import DocumentError, import_document
from corpus.models import Proposal, Source
from corpus.plumbing import audit

PROPOSALS_PAGE_SIZE = 50


class CurationError(ValueError):
    """A change that cannot be made; the message is one line for the curator."""


# --- what the question bank does when the corpus changes --------------------------------------
# `sources_changed(sources=[slug, ...])` generates those documents' questions again and returns
# how many it created; `passages_changed()` sends the questions citing a passage whose text
# changed back to review and returns how many. Explicit calls, not signals: the change is the
# one place that knows it happened. With nothing registered (corpus alone) nothing follows.

SourcesChanged = Callable[..., int]
PassagesChanged = Callable[[], int]
_sources_changed: list[SourcesChanged] = []
_passages_changed: list[PassagesChanged] = []


def register(*, sources_changed: SourcesChanged, passages_changed: PassagesChanged) -> None:
    """Call these after every change made here (once; registering again changes nothing)."""
    if sources_changed not in _sources_changed:
        _sources_changed.append(sources_changed)
    if passages_changed not in _passages_changed:
        _passages_changed.append(passages_changed)


def _sources_followed(sources: list[str]) -> int:
    return sum(callback(sources=sources) for callback in _sources_changed)


def _passages_followed() -> int:
    return sum(callback() for callback in _passages_changed)


# --- sources --------------------------------------------------------------------------------


@transaction.atomic
def upload_source(
    *,
    user,
    name: str,
    data: bytes,
    work: str,
    title: str,
    date: str,
    kind: str,
    author: str = "",
    citation: str = "",
) -> Source:
    """Add an uploaded document as a new source (the same checks as import_source; kept
    in the database, corpus.ingest.import_document); its questions follow."""
    try:
        report = import_document(
            name=_short_file_name(name),
            data=data,
            work=work,
            title=title,
            date=date,
            kind=kind,
            author=author,
            citation=citation,
        )
    except DocumentError as error:
        raise CurationError(str(error)) from None
    source = Source.objects.get(slug=report.slug)
    created = _sources_followed([source.slug])
    audit.record(
        user=user,
        action="source.upload",
        obj=source,
        changes={"file": name, "passages": report.passages, "questions": created},
    )
    return source


def _short_file_name(name: str, *, limit: int = 200) -> str:
    """The upload's own name, its stem cut so the name fits a file system's 255 bytes when
    exported (a browser may send a longer one, or 255 Cyrillic letters, twice that in
    UTF-8)."""
    path = Path(Path(name).name)
    stem, suffix = path.stem, path.suffix
    while stem and len((stem + suffix).encode("utf-8")) > limit:
        stem = stem[:-1]
    return (stem or "upload") + suffix


def errata_page(*, source: Source) -> tuple[str, str]:
    """A source's errata as the database holds them, and their digest (the form's base)."""
    return editing.errata_text(source=source)


@transaction.atomic
def save_errata(*, source: Source, text: str, user, base: str = "") -> None:
    """Store a source's errata (a curator's change, in the database: corpus.editing) and
    re-ingest it; questions on changed passages go back to review. Invalid TOML, a failed
    ingest or an edit made meanwhile by someone else changes nothing (CurationError)."""
    try:
        old, _report = editing.save_errata(source=source, text=text, base=base)
    except editing.EditingError as error:
        raise CurationError(str(error)) from None
    flagged = _passages_followed()
    audit.record(
        user=user,
        action="source.errata",
        obj=source,
        changes={"old": old, "new": text, "flagged": flagged},
    )


# --- glossary and timeline -------------------------------------------------------------------
# Edited as their file's text, saved as rows: only the entries a curator changed are
# written, each a curator's change kept over the files (corpus.reference_editing).


def reference_page(*, which: str) -> reference_editing.Page:
    try:
        return reference_editing.page(which=which)
    except editing.EditingError as error:
        raise CurationError(str(error)) from None


def save_reference_text(*, which: str, text: str, user, base: str = "") -> list[str]:
    """Save the curator's changes to the glossary or timeline; the slugs changed or removed.
    CurationError (nothing changed) says why not."""
    try:
        saved = reference_editing.save_text(which=which, text=text, base=base, user=user)
    except editing.EditingError as error:
        raise CurationError(str(error).splitlines()[0] if str(error) else "Invalid text.") from None
    return [*saved.changed, *saved.deleted]


# --- proposed glossary terms and timeline events ----------------------------------------------
# corpus.proposals writes the approved entry (or records the rejection) and audits it; then
# the questions of the document it was found in follow, so approving a name or an event
# makes its questions and rejecting a name retires the questions asked about it.


def proposal_page(*, status: str, page: int) -> tuple[list[Proposal], int]:
    """One page of proposals of a status and their total: two queries."""
    qs: QuerySet[Proposal] = Proposal.objects.select_related("source")
    if status:
        qs = qs.filter(status=status)
    qs = qs.order_by("source__slug", "kind", "date", "name", "pk")
    start = (max(page, 1) - 1) * PROPOSALS_PAGE_SIZE
    return list(qs[start : start + PROPOSALS_PAGE_SIZE]), qs.count()


def approve_proposal(
    *,
    proposal: Proposal,
    user,
    name: str,
    description: str,
    role: str = "",
    date: datetime.date | None = None,
    precision: str = "",
) -> int:
    """Approve (proposals.ProposalError says why not); how many new questions followed."""
    proposals.approve(
        proposal=proposal,
        user=user,
        name=name,
        description=description,
        role=role,
        date=date,
        precision=precision,
    )
    return _sources_followed([proposal.source.slug])


def reject_proposal(*, proposal: Proposal, user) -> None:
    """Reject; a rejected name is no longer asked about, so its document's questions follow."""
    proposals.reject(proposal=proposal, user=user)
    _sources_followed([proposal.source.slug])
