"""Curators' decisions on proposed glossary terms and timeline events, and what follows.

corpus.proposals writes the approved entry (or records the rejection) and audits it; here
the questions of the document it was found in are generated again, so approving a name or
an event makes its questions (who/what/when, chronology) and rejecting a name retires the
questions asked about it.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from corpus import proposals
from corpus.models import Proposal
from quizzes import curation

PAGE_SIZE = 50


def proposal_page(*, status: str, page: int) -> tuple[list[Proposal], int]:
    """One page of proposals of a status and their total: two queries."""
    qs: QuerySet[Proposal] = Proposal.objects.select_related("source")
    if status:
        qs = qs.filter(status=status)
    qs = qs.order_by("source__slug", "kind", "date", "name", "pk")
    start = (max(page, 1) - 1) * PAGE_SIZE
    return list(qs[start : start + PAGE_SIZE]), qs.count()


def approve(
    *,
    proposal: Proposal,
    user,
    name: str,
    description: str,
    role: str = "",
    date: datetime.date | None = None,
    precision: str = "",
):
    """Approve and generate the questions of the proposal's document; returns the run."""
    proposals.approve(
        proposal=proposal,
        user=user,
        name=name,
        description=description,
        role=role,
        date=date,
        precision=precision,
    )
    return curation.regenerate(sources=[proposal.source.slug])


def reject(*, proposal: Proposal, user):
    """Reject; a rejected name is no longer asked about, so its document is regenerated."""
    proposals.reject(proposal=proposal, user=user)
    return curation.regenerate(sources=[proposal.source.slug])
