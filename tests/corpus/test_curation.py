"""corpus.curation: what the question bank registers is called after each change, once."""

from __future__ import annotations

import pytest

from corpus import curation
from corpus.models import AuditEntry, Proposal
from quizzes.curation import flag_changed_passages, follow_sources
from tests.factories import make_passage, make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(monkeypatch):
    """Replace what quizzes registered with recorders: the calls each change makes."""
    calls: list[tuple] = []
    monkeypatch.setattr(curation, "_sources_changed", [])
    monkeypatch.setattr(curation, "_passages_changed", [])

    def sources_changed(*, sources):
        calls.append(("sources", tuple(sources)))
        return 3

    def passages_changed():
        calls.append(("passages",))
        return 2

    curation.register(sources_changed=sources_changed, passages_changed=passages_changed)
    curation.register(sources_changed=sources_changed, passages_changed=passages_changed)
    return calls


def test_quizzes_registers_the_banks_followers_when_it_starts():
    assert follow_sources in curation._sources_changed
    assert flag_changed_passages in curation._passages_changed


def test_a_rejected_proposal_regenerates_its_document_once(followed):
    source = make_source(slug="anti-party")
    passage = make_passage(source=source, text="Shepilov also sided with them.")
    proposal = Proposal.objects.create(
        source=source, quote=passage.text, slug="shepilov", kind="person", name="Shepilov"
    )
    curation.reject_proposal(proposal=proposal, user=make_user())
    assert followed == [("sources", ("anti-party",))]


def _upload():
    return curation.upload_source(
        user=None,
        name="speech.txt",
        data=b"The first paragraph of a new document, long enough to be a passage.\n",
        work="A new work",
        title="A new document",
        date="1956",
        kind="other",
    )


def test_an_upload_says_how_many_questions_followed(followed):
    source = _upload()
    assert followed == [("sources", (source.slug,))]
    assert AuditEntry.objects.get(action="source.upload").changes["questions"] == 3


def test_errata_send_the_changed_passages_questions_to_review(followed):
    source = _upload()
    errata = '[[correction]]\nwrong = "first"\nright = "opening"\nnote = "t"\n'
    curation.save_errata(source=source, text=errata, user=None)
    assert followed[-1] == ("passages",)
    assert AuditEntry.objects.get(action="source.errata").changes["flagged"] == 2


def test_with_nothing_registered_a_change_is_made_and_nothing_follows(monkeypatch):
    monkeypatch.setattr(curation, "_sources_changed", [])
    monkeypatch.setattr(curation, "_passages_changed", [])
    source = _upload()
    assert source.passages.exists()
    assert AuditEntry.objects.get(action="source.upload").changes["questions"] == 0
