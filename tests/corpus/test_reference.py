import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from corpus.models import GlossaryTerm, Passage, TimelineEvent
from corpus.reference import (
    ReferenceDataError,
    find_mentions,
    load_reference_data,
    may_name,
    term_pattern,
    words_of,
)
from tests.factories import make_passage, make_source, make_term

pytestmark = pytest.mark.django_db

GLOSSARY = """
[[term]]
slug = "beria"
name = "Lavrentiy Beria"
kind = "person"
role = "security-chief"
aliases = ["Beria", "Beriya"]
description = "Head of the state security organs."
citations = [
  { source = "speech", quote = "the abject provocateur and vile enemy, Beriya" },
  { source = "resolution", quote = "the criminal gang of the agent of international imperialism, Beria" },
]

[[term]]
slug = "kirov"
name = "Kirov"
kind = "person"
role = "soviet-official"
aliases = ["S. M. Kirov"]
description = "Murdered in 1934."
citations = [{ source = "speech", quote = "After the criminal murder of S. M. Kirov" }]

[[term]]
slug = "central-committee"
name = "Central Committee"
kind = "organization"
role = "party-body"
aliases = ["central committee"]
description = "The party body."
citations = [{ source = "resolution", quote = "THE central committee of the Communist Party" }]
"""

TIMELINE = """
[[event]]
slug = "kirov-murder"
date = 1934-12-01
precision = "day"
title = "Kirov murdered"
description = "The directive of 1 December 1934."
citations = [{ source = "speech", quote = "After the criminal murder of S. M. Kirov" }]
terms = ["kirov"]

[[event]]
slug = "beria-executed"
date = "1953-01-01"
precision = "approx"
title = "Beria executed"
citations = [{ source = "resolution", quote = "Beria, got to the head" }]
description = "Three years before the speech."
terms = ["beria", "central-committee"]
"""


@pytest.fixture
def corpus():
    speech = make_source(slug="speech")
    resolution = make_source(slug="resolution")
    return {
        "kirov": make_passage(
            source=speech,
            ordinal=1,
            text="After the criminal murder of S. M. Kirov, mass repressions began.",
        ),
        "beriya": make_passage(
            source=speech,
            ordinal=2,
            text="This suspicion was taken advantage of by the abject provocateur and vile "
            "enemy, Beriya. The Central  Committee knew nothing.",
        ),
        "kirovograd": make_passage(
            source=speech, ordinal=3, text="In Kirovograd the kirov works; the CIA is special."
        ),
        "beria": make_passage(
            source=resolution,
            ordinal=1,
            text="1. THE central committee of the Communist Party notes with satisfaction that "
            "the criminal gang of the agent of international imperialism, Beria, got to the "
            "head of the state security organs. Beria’s gang was exposed.",
        ),
    }


@pytest.fixture
def files(tmp_path):
    glossary, timeline = tmp_path / "glossary.toml", tmp_path / "timeline.toml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    timeline.write_text(TIMELINE, encoding="utf-8")

    def load():
        return load_reference_data(glossary_path=glossary, timeline_path=timeline)

    load.glossary = glossary
    load.timeline = timeline
    return load


def _snapshot():
    """Everything the loader writes, row ids included, to compare before and after."""
    return (
        list(GlossaryTerm.objects.order_by("pk").values()),
        list(TimelineEvent.objects.order_by("pk").values()),
        *(
            list(through.objects.order_by("pk").values_list())
            for through in (
                GlossaryTerm.citations.through,
                GlossaryTerm.mentions.through,
                TimelineEvent.citations.through,
                TimelineEvent.terms.through,
            )
        ),
    )


def test_load_creates_terms_and_events_with_their_citations(corpus, files):
    report = files()

    beria = GlossaryTerm.objects.get(slug="beria")
    assert (beria.name, beria.kind, beria.role, beria.aliases) == (
        "Lavrentiy Beria",
        "person",
        "security-chief",
        ["Beria", "Beriya"],
    )
    event = TimelineEvent.objects.get(slug="beria-executed")
    assert event.date == datetime.date(1953, 1, 1)
    assert event.date_label == "c. 1953"
    assert set(event.terms.values_list("slug", flat=True)) == {"beria", "central-committee"}
    assert list(event.citations.all()) == [corpus["beria"]]
    assert (report.terms, report.events, report.terms_created, report.events_created) == (
        3,
        2,
        3,
        2,
    )
    assert report.citations == 6


def test_citations_keep_the_order_of_the_file(corpus, files):
    files()

    rows = GlossaryTerm.citations.through.objects.filter(glossaryterm__slug="beria").order_by("pk")
    assert [row.passage for row in rows] == [corpus["beriya"], corpus["beria"]]


def test_second_load_of_the_same_files_changes_nothing(corpus, files):
    first = files()
    before = _snapshot()

    second = files()

    assert _snapshot() == before
    assert not second.changed
    assert (second.terms, second.events, second.citations, second.mentions) == (
        first.terms,
        first.events,
        first.citations,
        first.mentions,
    )


def test_edited_description_updates_only_that_term(corpus, files):
    files()
    files.glossary.write_text(
        GLOSSARY.replace("Murdered in 1934.", "Murdered on 1 December 1934."), encoding="utf-8"
    )

    report = files()

    assert GlossaryTerm.objects.get(slug="kirov").description == "Murdered on 1 December 1934."
    assert (report.terms_updated, report.terms_created, report.links_changed) == (1, 0, 0)


def test_term_removed_from_the_file_disappears_with_its_links(corpus, files):
    files()
    without_cc = GLOSSARY[: GLOSSARY.index('[[term]]\nslug = "central-committee"')]
    files.glossary.write_text(without_cc, encoding="utf-8")
    files.timeline.write_text(TIMELINE.replace(', "central-committee"', ""), encoding="utf-8")

    report = files()

    assert not GlossaryTerm.objects.filter(slug="central-committee").exists()
    assert report.terms_deleted == 1
    assert list(
        TimelineEvent.objects.get(slug="beria-executed").terms.values_list("slug", flat=True)
    ) == ["beria"]


def test_event_removed_from_the_file_disappears(corpus, files):
    files()
    files.timeline.write_text(TIMELINE[: TIMELINE.index("[[event]]", 10)], encoding="utf-8")

    report = files()

    assert list(TimelineEvent.objects.values_list("slug", flat=True)) == ["kirov-murder"]
    assert report.events_deleted == 1


def test_missing_citation_aborts_the_whole_load_and_leaves_the_database_as_it_was(corpus, files):
    files()
    before = _snapshot()
    files.glossary.write_text(
        GLOSSARY.replace("Murdered in 1934.", "Changed.").replace(
            "After the criminal murder of S. M. Kirov", "After the murder of Kirov"
        ),
        encoding="utf-8",
    )

    with pytest.raises(ReferenceDataError) as error:
        files()

    assert "glossary term 'kirov'" in str(error.value)
    assert "'After the murder of Kirov'" in str(error.value)
    assert "nothing was loaded" in str(error.value)
    assert _snapshot() == before


def test_first_load_with_a_bad_citation_writes_nothing(corpus, files):
    files.timeline.write_text(
        TIMELINE.replace("Beria, got to the head", "Beria was shot"), encoding="utf-8"
    )

    with pytest.raises(ReferenceDataError, match="timeline event 'beria-executed'"):
        files()

    assert not GlossaryTerm.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_ambiguous_citation_within_a_source_is_reported_with_the_count(corpus, files):
    make_passage(source=corpus["kirov"].source, ordinal=9, text="Again: S. M. Kirov.")
    files.glossary.write_text(
        GLOSSARY.replace("After the criminal murder of S. M. Kirov", "S. M. Kirov"),
        encoding="utf-8",
    )

    with pytest.raises(ReferenceDataError, match="glossary term 'kirov': 2 passages of 'speech'"):
        files()


def test_event_naming_a_term_missing_from_the_glossary_is_rejected(corpus, files):
    files.timeline.write_text(TIMELINE.replace('terms = ["kirov"]', 'terms = ["kirof"]'))

    with pytest.raises(ReferenceDataError, match="timeline event 'kirov-murder' names terms"):
        files()


def test_malformed_entries_are_all_reported_by_name(corpus, files):
    files.glossary.write_text(
        GLOSSARY.replace('kind = "organization"', 'kind = "body"').replace(
            'name = "Kirov"', 'nmae = "Kirov"'
        ),
        encoding="utf-8",
    )

    with pytest.raises(ReferenceDataError) as error:
        files()

    message = str(error.value)
    assert "glossary term 'central-committee' has kind 'body'" in message
    assert "glossary term 'kirov' has unknown keys ['nmae']" in message
    assert "glossary term 'kirov' needs name" in message


def test_duplicate_slugs_are_rejected(corpus, files):
    files.glossary.write_text(GLOSSARY + GLOSSARY[GLOSSARY.index('[[term]]\nslug = "kirov"') :])

    with pytest.raises(ReferenceDataError, match="glossary term 'kirov' appears 2 times"):
        files()


def test_invalid_toml_is_a_one_line_error(corpus, files):
    files.timeline.write_text("[[event]\nslug = ")

    with pytest.raises(ReferenceDataError, match=r"timeline\.toml: not valid TOML"):
        files()


def test_mentions_link_every_current_passage_naming_the_term_or_an_alias(corpus, files):
    files()

    def mentioned(slug):
        return set(GlossaryTerm.objects.get(slug=slug).mentions.all())

    # "Beriya" (alias) and "Beria’s" (possessive, curly apostrophe) both count.
    assert mentioned("beria") == {corpus["beriya"], corpus["beria"]}
    # Not "Kirovograd", and not the lower-case "kirov" of an ordinary word.
    assert mentioned("kirov") == {corpus["kirov"]}
    # A spelling of several words ignores case and spacing: "THE central committee",
    # "The Central  Committee".
    assert mentioned("central-committee") == {corpus["beriya"], corpus["beria"]}


def test_mentions_drop_passages_that_are_retired(corpus, files):
    again = make_passage(source=corpus["kirov"].source, ordinal=20, text="Kirov, again.")
    files()
    Passage.objects.filter(pk=again.pk).update(is_current=False)

    report = files()

    assert set(GlossaryTerm.objects.get(slug="kirov").mentions.all()) == {corpus["kirov"]}
    assert report.links_changed == 1


def test_mention_linking_takes_the_same_queries_for_a_bigger_corpus(corpus, files, tmp_path):
    def queries():
        GlossaryTerm.objects.all().delete()
        TimelineEvent.objects.all().delete()
        with CaptureQueriesContext(connection) as context:
            files()
        return len(context)

    small = queries()
    for n in range(40):
        make_passage(source=corpus["kirov"].source, ordinal=100 + n, text=f"Beria and Kirov {n}.")
    big = queries()

    assert GlossaryTerm.objects.get(slug="kirov").mentions.count() == 41
    assert big == small


def test_find_mentions_is_case_aware_and_word_bounded():
    term = make_term(slug="cia", name="Central Intelligence Agency", aliases=["CIA"])
    passages = [
        (1, "the CIA leaked the speech"),
        (2, "a special case; cia"),
        (3, "the central intelligence agency"),
        (4, "CIA's head"),
    ]

    assert find_mentions(terms=[term], passages=passages) == {("cia", 1), ("cia", 3), ("cia", 4)}


def test_may_name_rules_out_only_texts_without_a_spelling():
    spellings = ["Central Committee", "CC", "Lenin's testament", "Mikoyan-Gurevich"]
    for text in [
        "the CENTRAL\ncommittee met",
        "the CC met",
        "Lenin’s testament",
        "Mikoyan – Gurevich",
    ]:
        assert term_pattern(spellings).search(text)
        assert may_name(spellings, words=words_of(text))
    assert not may_name(spellings, words=words_of("the presidium met"))


@given(
    words=st.lists(
        st.sampled_from(["Stalin", "Central", "Committee", "Lenin's", "CIA"]), max_size=4
    ),
    text=st.text(alphabet=st.sampled_from("stalinCENTRAL ’'-\ncommitteeSTALIN"), max_size=60),
)
def test_may_name_is_true_wherever_term_pattern_finds_a_spelling(words, text):
    spellings = [" ".join(words)] if words else []
    if term_pattern(spellings).search(text):
        assert may_name(spellings, words=words_of(text))


REQUIRED_TERMS = {
    "eikhe",
    "beria",
    "yezhov",
    "yagoda",
    "kirov",
    "kosior",
    "postyshev",
    "voznesensky",
    "tito",
    "grayevsky",
    "ochab",
    "barmor",
    "angleton",
    "dulles",
    "togliatti",
    "nkvd",
    "shin-bet",
    "pospelov-commission",
    "seventeenth-congress",
    "leningrad-affair",
    "doctors-plot",
    "enemy-of-the-people",
    "lenins-testament",
}


@pytest.mark.slow
def test_real_glossary_and_timeline_resolve_against_the_ingested_corpus():
    call_command("load_corpus", stdout=io.StringIO())
    report = load_reference_data()  # every citation resolved, or this raises

    assert not report.changed  # load_corpus already loaded exactly this
    terms = {term.slug: term for term in GlossaryTerm.objects.all()}
    assert len(terms) >= 40
    assert set(terms) >= REQUIRED_TERMS
    assert {"Beria", "Beriya"} <= set(terms["beria"].spellings)
    assert {"Kosior", "Kossior"} <= set(terms["kosior"].spellings)
    # An entry may rest on reference works alone (a person no source names, an event no
    # source dates), but never on nothing; a term a source is cited for is named in it.
    unsupported = GlossaryTerm.objects.filter(citations=None, reference_citations=None)
    unmentioned = GlossaryTerm.objects.filter(mentions=None).exclude(citations=None)
    assert list(unsupported.values_list("slug", flat=True)) == []
    assert list(unmentioned.values_list("slug", flat=True)) == []
    assert TimelineEvent.objects.count() >= 25
    undated = TimelineEvent.objects.filter(citations=None, reference_citations=None)
    assert list(undated.values_list("slug", flat=True)) == []
    assert not Passage.objects.filter(glossary_citations__isnull=False, is_current=False).exists()
    dates = list(TimelineEvent.objects.values_list("date", flat=True))
    assert min(dates) == datetime.date(1922, 12, 23)  # Lenin begins his letter to the congress
    assert max(dates) == datetime.date(1989, 3, 1)


def test_same_as_names_another_term_and_is_stored(corpus, files):
    files.glossary.write_text(
        GLOSSARY.replace(
            'aliases = ["central committee"]',
            'aliases = ["central committee"]\nsame_as = ["kirov"]',
        ),
        encoding="utf-8",
    )

    files()

    assert GlossaryTerm.objects.get(slug="central-committee").same_as == ["kirov"]
    assert GlossaryTerm.objects.get(slug="kirov").same_as == []


def test_same_as_naming_no_other_term_is_refused(corpus, files):
    files.glossary.write_text(
        GLOSSARY.replace(
            'aliases = ["S. M. Kirov"]',
            'aliases = ["S. M. Kirov"]\nsame_as = ["kirov", "presidium"]',
        ),
        encoding="utf-8",
    )

    with pytest.raises(ReferenceDataError) as error:
        files()

    assert "'kirov' has same_as naming no other glossary term: ['kirov', 'presidium']" in str(
        error.value
    )
