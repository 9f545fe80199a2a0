"""The reader's pages: full pages, htmx fragments, bad input, constant query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from corpus.models import GlossaryTerm, ReferenceCitation, TimelineEvent
from tests.factories import (
    make_event,
    make_note,
    make_passage,
    make_passages,
    make_reference_work,
    make_source,
    make_term,
    make_work,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

TESTAMENT_000 = (
    'Vladimir Ilyich said: "Stalin is excessively rude, and this defect, which can be freely '
    "tolerated in our midst and in contacts among us Communists, becomes a defect which cannot be "
    "tolerated in one holding the position of the Secretary General. ... greater tolerance, "
    "greater loyalty, greater kindness, and more considerate attitude toward the comrades, a less "
    'capricious temper, etc.".'
)
TESTAMENT_001 = (
    "Stalin is excessively rude, and this defect, which can be freely tolerated in our midst and "
    "in contacts among us Communists, becomes a defect which cannot be tolerated in one holding "
    "the position of the Secretary-General. ... greater tolerance, greater loyalty, greater "
    "kindness and more considerate attitude towards the comrades, a less capricious temper, &c."
)
TESTAMENT_002 = (
    "“Stalin is excessively rude,” Lenin wrote, “and this defect, which can be freely tolerated "
    "in our midst and in contacts among us, communists, becomes a defect which cannot be "
    "tolerated in one holding the post of general secretary. ... greater tolerance, greater "
    "loyalty, greater politeness and a more considerate attitude towards the comrades, a less "
    "capricious temper, etc.”"
)


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _is_fragment(html: str) -> bool:
    return "<html" not in html and "<main" not in html


@pytest.fixture
def speech():
    work = make_work(
        slug="secret-speech", title="The Secret Speech", date=datetime.date(1956, 2, 25)
    )
    fuller = make_source(
        work=work, slug="speech-congressional-record", title="Congressional Record"
    )
    excerpt = make_source(work=work, slug="speech-anthology", title="Speech anthology")
    resolution = make_source(
        work=make_work(slug="cc-resolution-1956", title="CC resolution"),
        slug="resolution-news-booklet",
        title="News Booklet No. 20",
    )
    return {"fuller": fuller, "excerpt": excerpt, "resolution": resolution}


def _fill_speech(speech, *, count: int):
    """`count` passages on each side of the compare view, plus the three testament quotations."""
    make_passages(
        source=speech["fuller"],
        count=count,
        text="Comrades, passage {n} about the cult of the individual and its harmful consequences.",
    )
    make_passages(
        source=speech["excerpt"],
        count=count,
        text="Comrades! Passage {n} about the cult of the individual and its harmful consequences.",
    )
    make_passage(source=speech["fuller"], ordinal=10_000, text=TESTAMENT_000)
    make_passage(source=speech["excerpt"], ordinal=10_000, text=TESTAMENT_001, kind="quotation")
    make_passage(source=speech["resolution"], ordinal=10_000, text=TESTAMENT_002)


# --- sources --------------------------------------------------------------------


def test_source_list_page_and_fragment(client, speech):
    speech["fuller"].citation = "Congressional Record, 84th Congress, pp. 9389-9403."
    speech["fuller"].save()
    make_passages(source=speech["fuller"], count=3)
    make_passage(source=speech["fuller"], quality="garbled")
    html = _html(client.get(reverse("corpus:source_list")))
    assert "The Secret Speech" in html and "Congressional Record, 84th Congress" in html
    assert "4 passages" in html and "1 flagged as incomplete or garbled" in html
    assert 'href="/sources/speech-congressional-record/"' in html
    fragment = _html(client.get(reverse("corpus:source_list"), **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<div id="source-list"')


def test_source_page_shows_passages_with_anchors_pages_and_permalinks(client, speech):
    passage = make_passage(source=speech["fuller"], key="p0001", text="Comrades!", page_start=9389)
    make_passage(source=speech["fuller"], key="p0002", text="Next.", page_start=9389)
    make_passage(source=speech["fuller"], key="p0003", text="Later.", page_start=9390)
    html = _html(client.get(speech["fuller"].get_absolute_url()))
    assert f'id="{passage.anchor}"' in html
    assert 'href="#p-p0001"' in html and 'data-copy-anchor="p-p0001"' in html
    # The page number appears where the printed page changes, not on every passage.
    assert html.count("p. 9389</span>") == 1 and "p. 9390</span>" in html
    assert 'src="/static/js/reader.js" defer' in html


def test_source_page_marks_stage_directions_editorial_notes_and_garbled_passages(client, speech):
    make_passage(source=speech["fuller"], text="We abolish it. [Indignation in the hall.]")
    make_passage(source=speech["fuller"], text="Introduced by the editor.", kind="editorial")
    make_passage(
        source=speech["fuller"],
        text="One of those w young Alexander ' tect",
        quality="garbled",
        quality_note="Column fragments from the scan.",
    )
    html = _html(client.get(speech["fuller"].get_absolute_url()))
    assert 'class="stage-direction"' in html
    assert "passage-editorial" in html and "Editor's note</p>" in html
    assert "Unreadable scan." in html and "Column fragments from the scan." in html
    assert "One of those w young Alexander" in html  # shown, not hidden


def test_source_page_links_glossary_terms_to_page_and_popover(client, speech):
    passage = make_passage(source=speech["fuller"], text="Beria was arrested.")
    term = make_term(slug="beria", name="Beria")
    term.mentions.add(passage)
    html = _html(client.get(speech["fuller"].get_absolute_url()))
    assert '<a class="term" href="/glossary/beria/" hx-get="/glossary/beria/"' in html
    assert 'id="term-popover"' in html


def test_source_page_marks_corrections(client, speech):
    make_passage(
        source=speech["fuller"],
        text="that he is capricious",
        corrections=[{"wrong": "lie", "right": "he"}],
    )
    html = _html(client.get(speech["fuller"].get_absolute_url()))
    assert "OCR correction: &#x27;lie&#x27; → &#x27;he&#x27;" in html


def test_retired_passage_anchor_still_resolves_with_a_note(client, speech):
    make_passage(source=speech["fuller"], key="p0001", text="Current text.")
    make_passage(source=speech["fuller"], key="p0009", text="Old wording.", is_current=False)
    html = _html(client.get(speech["fuller"].get_absolute_url()))
    assert 'id="p-p0009"' in html and "Retired passage." in html
    assert html.index("Current text.") < html.index("Retired passages") < html.index("Old wording.")


def test_passage_permalink_page_resolves_for_a_retired_passage(client, speech):
    old = make_passage(source=speech["fuller"], key="p0009", text="Old wording.", is_current=False)
    url = reverse("corpus:passage_detail", kwargs={"slug": speech["fuller"].slug, "key": old.key})
    html = _html(client.get(url))
    assert "This passage has been retired." in html and "Old wording." in html
    assert f'href="{old.get_absolute_url()}"' in html
    fragment = _html(client.get(url, **HTMX))
    assert _is_fragment(fragment) and 'id="passage-card"' in fragment


def test_source_page_fragment_is_only_the_text(client, speech):
    make_passage(source=speech["fuller"], text="Comrades!")
    fragment = _html(client.get(speech["fuller"].get_absolute_url(), **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<article id="source-text"')
    assert "Comrades!" in fragment


def test_unknown_source_and_passage_are_404(client, speech):
    assert client.get("/sources/no-such-source/").status_code == 404
    assert client.get("/sources/speech-anthology/passages/nope/").status_code == 404
    assert client.get("/sources/no-such-source/", **HTMX).status_code == 404


@pytest.mark.parametrize("count", [3, 60])
def test_source_page_runs_a_constant_number_of_queries(
    client, speech, django_assert_num_queries, count
):
    passages = make_passages(source=speech["fuller"], count=count, text="Stalin spoke {n}.")
    for n in range(3):
        term = make_term(name=f"Stalin{n}" if n else "Stalin")
        term.mentions.add(*passages)
    make_passage(source=speech["fuller"], is_current=False)
    # An editorial note on each passage, citing a reference work and another passage.
    work = make_reference_work()
    for passage in passages:
        make_note(on=[passage], references=[(work, "p. 1")], cites=[passages[0]])
    # source, passages, their glossary terms, the notes on them, the notes' reference
    # works, the notes' passages.
    with django_assert_num_queries(6):
        page = client.get(speech["fuller"].get_absolute_url())
    assert page.content.decode().count('class="editorial-note') == count


# --- search ----------------------------------------------------------------------


def test_search_page_has_labelled_form_that_works_without_javascript(client):
    html = _html(client.get(reverse("corpus:corpus_search")))
    assert '<search>\n<form method="get" action="/search/"' in html
    assert '<label for="search-q">' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'aria-live="polite"' in html
    assert "Try one of these" in html


def test_search_shows_highlighted_results_with_source_and_count(client, speech):
    passage = make_passage(
        source=speech["fuller"], text="Stalin is excessively rude.", page_start=9389
    )
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": "rude"}))
    assert "<mark>rude</mark>" in html
    assert f'href="{passage.get_absolute_url()}"' in html
    assert "1 passage matches “rude”" in html


def test_search_marks_garbled_results(client, speech):
    make_passage(source=speech["fuller"], text="w young Alexander tect", quality="garbled")
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": "Alexander"}))
    assert "Garbled (unreadable OCR)" in html


def test_search_with_no_results_gives_a_hint(client, speech):
    make_passage(source=speech["fuller"], text="Stalin is excessively rude.")
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": "Trotskyite zzz"}))
    assert "No passage contains all of “trotskyite zzz”" in html
    assert "Hints:" in html


def test_search_htmx_request_returns_results_and_announces_count_out_of_band(client, speech):
    make_passage(source=speech["fuller"], text="Stalin is excessively rude.")
    fragment = _html(client.get(reverse("corpus:corpus_search"), {"q": "rude"}, **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<section id="search-results"')
    assert '<p id="search-status" hx-swap-oob="innerHTML">1 passage matches' in fragment


def test_search_user_input_is_escaped_in_the_page(client, speech):
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": '<script>alert(1)</script>"'}))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "comrades", "page": "abc"}, "That page number was not understood"),
        ({"q": "comrades", "page": "-4"}, "That page number was not understood"),
        ({"q": "comrades", "page": "999999"}, "is past the end: there are 25 results on 2 pages"),
        ({"q": "comrades", "page": "9" * 40}, "is past the end: there are 25 results on 2 pages"),
        ({"q": "comrades " * 2000}, "Your search was too long"),
        ({"q": '"unbalanced AND *'}, "No passage contains all of"),
        ({"q": "!!!"}, "has no words to search for"),
    ],
)
def test_bad_search_parameters_give_a_clear_page(client, speech, params, expected):
    make_passages(source=speech["fuller"], count=25, text="Comrades, passage {n}.")
    html = _html(client.get(reverse("corpus:corpus_search"), params))
    assert expected in html


def test_search_pages_link_forward_and_back_with_and_without_htmx(client, speech):
    make_passages(source=speech["fuller"], count=45, text="Comrades, passage {n}.")
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": "comrades", "page": "2"}))
    assert "Page 2 of 3" in html
    assert 'href="?q=comrades&amp;page=1"' in html and 'href="?q=comrades&amp;page=3"' in html
    assert 'hx-get="/search/?q=comrades&amp;page=3"' in html
    assert 'start="21"' in html


@pytest.mark.parametrize("count", [3, 60])
def test_search_runs_a_constant_number_of_queries(client, speech, django_assert_num_queries, count):
    make_passages(source=speech["fuller"], count=count, text="Comrades, passage {n}.")
    for n in range(count):
        make_term(aliases=[f"Alias {n}"])
    # the glossary's spellings, count, page of hits, their passages and sources
    with django_assert_num_queries(4):
        client.get(reverse("corpus:corpus_search"), {"q": "comrades"})


@pytest.mark.parametrize("count", [3, 60])
def test_a_search_that_finds_nothing_runs_a_constant_number_of_queries(
    client, speech, django_assert_num_queries, count
):
    make_passages(source=speech["fuller"], count=count, text="Comrades, passage {n}.")
    # spellings, count, the corpus's fingerprint, its words (once), the suggestion's count
    with django_assert_num_queries(5):
        page = client.get(reverse("corpus:corpus_search"), {"q": "komrades"})
    assert 'Did you mean <a href="?q=comrades">“comrades”</a>?' in page.content.decode()
    with django_assert_num_queries(4):  # the corpus's words come from the cache now
        client.get(reverse("corpus:corpus_search"), {"q": "komrades"})


def test_search_page_names_the_other_spellings_it_searched(client, speech):
    make_passage(source=speech["fuller"], text="Beriya also handled this case cruelly.")
    make_term(slug="beria", name="Lavrentiy Beria", aliases=["Beria", "Beriya"])
    html = _html(client.get(reverse("corpus:corpus_search"), {"q": "Beria"}))
    assert "1 passage matches “beria”" in html
    assert "Other spellings searched too: beriya (for “beria”)." in html
    assert "<mark>Beriya</mark>" in html


# --- glossary -----------------------------------------------------------------------


def _glossary(speech, *, count: int) -> list[GlossaryTerm]:
    passages = make_passages(source=speech["fuller"], count=3)
    terms = []
    for n in range(count):
        term = make_term(
            kind=GlossaryTerm.Kind.PERSON if n % 2 else GlossaryTerm.Kind.ORGANIZATION,
            aliases=[f"Alias {n}"],
        )
        term.citations.add(passages[0])
        term.mentions.add(*passages)
        terms.append(term)
    return terms


def test_glossary_groups_terms_by_kind_with_citations_and_mention_counts(client, speech):
    passage = make_passage(source=speech["fuller"], text="Beria", page_start=9390)
    beria = make_term(slug="beria", name="Beria", aliases=["L. P. Beria"], kind="person")
    beria.citations.add(passage)
    beria.mentions.add(passage, make_passage(source=speech["fuller"], text="Beria again"))
    make_term(slug="nkvd", name="NKVD", kind="organization")
    make_term(slug="abakumov", name="Abakumov", kind="person")
    html = _html(client.get(reverse("corpus:glossary_list")))
    assert html.index(">Abakumov</a>") < html.index(">Beria</a>")
    assert (
        '<h2 id="kind-person">Persons' in html
        and '<h2 id="kind-organization">Organizations' in html
    )
    assert "also L. P. Beria" in html
    assert f'href="{passage.get_absolute_url()}"' in html
    assert '<a href="/glossary/beria/#mentions">Named in 2 passages</a>' in html
    assert 'id="term-beria"' in html


def test_glossary_filter_by_kind_returns_fragment_for_htmx(client, speech):
    make_term(name="Beria", kind="person")
    make_term(name="NKVD", kind="organization")
    fragment = _html(client.get(reverse("corpus:glossary_list"), {"kind": "person"}, **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<div id="glossary-terms"')
    assert "Beria" in fragment and "NKVD" not in fragment


def test_glossary_unknown_kind_shows_everything_with_a_note(client, speech):
    make_term(name="Beria", kind="person")
    html = _html(client.get(reverse("corpus:glossary_list"), {"kind": "<bogus>"}))
    assert "There is no kind “&lt;bogus&gt;”" in html and "Beria" in html


def test_glossary_term_page_lists_citations_and_mentions(client, speech):
    cited = make_passage(source=speech["fuller"], text="Yezhov was removed.")
    term = make_term(slug="yezhov", name="Yezhov", aliases=["Ezhov"])
    term.citations.add(cited)
    term.mentions.add(
        cited, make_passage(source=speech["fuller"], text="Retired", is_current=False)
    )
    html = _html(client.get(reverse("corpus:glossary_detail", kwargs={"slug": "yezhov"})))
    assert "<h1>Yezhov</h1>" in html and "Also written: Ezhov" in html
    assert "Named in 1 passage" in html
    assert html.count(f'href="{cited.get_absolute_url()}"') == 2  # cited, and mentioned


def test_glossary_term_popover_fragment_for_htmx(client, speech):
    make_term(slug="yezhov", name="Yezhov")
    fragment = _html(
        client.get(reverse("corpus:glossary_detail", kwargs={"slug": "yezhov"}), **HTMX)
    )
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<div id="term-card"')
    assert 'href="/glossary/yezhov/">Full entry</a>' in fragment
    assert "data-close-popover" in fragment


def test_unknown_glossary_term_is_404(client):
    assert client.get("/glossary/no-such-term/").status_code == 404
    assert client.get("/glossary/no-such-term/", **HTMX).status_code == 404


@pytest.mark.parametrize("count", [3, 60])
def test_glossary_pages_run_a_constant_number_of_queries(
    client, speech, django_assert_num_queries, count
):
    terms = _glossary(speech, count=count)
    # Each term cites a reference work and carries an editorial note citing one.
    work = make_reference_work()
    for term in terms:
        ReferenceCitation.objects.create(term=term, work=work, at="p. 2")
        make_note(terms=[term], references=[(work, "p. 3")])
    # terms with mention counts, citations with sources, reference works cited, notes,
    # the notes' reference works, the notes' passages
    with django_assert_num_queries(6):
        page = client.get(reverse("corpus:glossary_list"))
    assert page.content.decode().count('class="editorial-note') == count
    url = reverse("corpus:glossary_detail", kwargs={"slug": terms[0].slug})
    with django_assert_num_queries(7):  # the same for one term, and its mentions
        client.get(url)
    with django_assert_num_queries(4):  # term, citations, reference works, notes' titles
        client.get(url, **HTMX)


# --- timeline --------------------------------------------------------------------------


def test_timeline_groups_events_by_year_with_dates_respecting_precision(client, speech):
    passage = make_passage(source=speech["fuller"], text="The speech.")
    speech_event = make_event(title="The Secret Speech", date=datetime.date(1956, 2, 25))
    speech_event.citations.add(passage)
    speech_event.terms.add(make_term(slug="khrushchev", name="Khrushchev"))
    make_event(title="Letter to the Congress", date=datetime.date(1922, 12, 1), precision="month")
    make_event(title="Purges", date=datetime.date(1937, 1, 1), precision="approx")
    html = _html(client.get(reverse("corpus:timeline")))
    assert (
        html.index('id="year-1922"') < html.index('id="year-1937"') < html.index('id="year-1956"')
    )
    assert '<time datetime="1956-02-25">25 February 1956</time>' in html
    assert '<time datetime="1922-12">December 1922</time>' in html
    assert (
        '<time datetime="1937">c. 1937</time> <span class="badge">approximate date</span>' in html
    )
    assert f'href="{passage.get_absolute_url()}"' in html
    assert 'href="/glossary/khrushchev/"' in html


def test_timeline_fragment_for_htmx(client):
    make_event(title="The Secret Speech")
    fragment = _html(client.get(reverse("corpus:timeline"), **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<div id="timeline-events"')


@pytest.mark.parametrize("count", [3, 60])
def test_timeline_runs_a_constant_number_of_queries(
    client, speech, django_assert_num_queries, count
):
    passages = make_passages(source=speech["fuller"], count=3)
    term = make_term()
    work = make_reference_work()
    for n in range(count):
        event = make_event(
            date=datetime.date(1920 + n % 40, 1, 1), precision=TimelineEvent.Precision.YEAR
        )
        event.citations.add(*passages)
        event.terms.add(term)
        ReferenceCitation.objects.create(event=event, work=work, at="p. 4")
        make_note(events=[event], references=[(work, "p. 5")], cites=[passages[0]])
    # events, citations with sources, terms, reference works cited, notes, the notes'
    # reference works and passages
    with django_assert_num_queries(7):
        page = client.get(reverse("corpus:timeline"))
    assert page.content.decode().count('class="editorial-note') == count


# --- compare -----------------------------------------------------------------------------


def test_compare_renderings_aligns_passages_with_word_differences(client, speech):
    make_passage(
        source=speech["fuller"],
        text="Comrades, in the report at the 20th Congress a lot has been said about the cult of the individual.",
    )
    make_passage(
        source=speech["fuller"],
        text="Allow me first of all to remind you how severely the classics denounced the cult.",
    )
    make_passage(
        source=speech["excerpt"],
        text="Comrades! In the report at the twentieth Congress a lot has been said about the cult of the individual.",
    )
    html = _html(client.get(reverse("corpus:compare_renderings")))
    assert (
        '<del class="diff diff-replace"><span class="visually-hidden">[worded differently: </span>20th'
        in html
    )
    assert (
        '<ins class="diff diff-replace"><span class="visually-hidden">[worded differently: </span>twentieth'
        in html
    )
    assert "1 passage only in the Congressional Record text" in html
    assert "Not in the anthology excerpt" in html


def test_compare_renderings_without_the_sources_explains_what_is_missing(client):
    html = _html(client.get(reverse("corpus:compare_renderings")))
    assert "Both versions must be loaded" in html


def test_compare_renderings_fragment_for_htmx(client, speech):
    _fill_speech(speech, count=2)
    fragment = _html(client.get(reverse("corpus:compare_renderings"), **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<section id="alignment"')


def test_testament_shows_three_wordings_and_says_none_is_preferred(client, speech):
    _fill_speech(speech, count=1)
    html = _html(client.get(reverse("corpus:compare_testament")))
    assert "The translations differ, and Thaw does not choose between them." in html
    assert html.count('<figure class="wording">') == 3
    for title in ("Congressional Record", "Speech anthology", "News Booklet No. 20"):
        assert title in html
    assert re.search(r'<mark class="variant">.{0,120}politeness', html)
    assert re.search(r'<mark class="variant">.{0,120}kindness', html)
    assert "<td>politeness" in html or "politeness</td>" in html


def test_testament_names_sources_where_the_quotation_is_missing(client, speech):
    make_passage(source=speech["fuller"], text=TESTAMENT_000)
    html = _html(client.get(reverse("corpus:compare_testament")))
    assert "Not found in: speech-anthology, resolution-news-booklet" in html


def test_testament_fragment_for_htmx(client, speech):
    _fill_speech(speech, count=1)
    fragment = _html(client.get(reverse("corpus:compare_testament"), **HTMX))
    assert _is_fragment(fragment) and fragment.lstrip().startswith('<section id="testament"')


@pytest.mark.parametrize("count", [3, 60])
def test_compare_views_run_a_constant_number_of_queries(
    client, speech, django_assert_num_queries, count
):
    _fill_speech(speech, count=count)
    with django_assert_num_queries(2):  # sources, passages
        client.get(reverse("corpus:compare_renderings"))
    with django_assert_num_queries(2):  # sources, candidate passages
        client.get(reverse("corpus:compare_testament"))


# --- plain words: no passage ids in what a reader sees -----------------------------------


def test_reader_pages_name_a_passage_by_page_or_paragraph_never_by_its_id(client, speech):
    passage = make_passage(
        source=speech["fuller"], key="deadbeef", ordinal=12, text="Beria was arrested."
    )
    paged = make_passage(
        source=speech["excerpt"], key="cafebabe", ordinal=3, page_start=271, text="Beria spoke."
    )
    term = make_term(slug="beria", name="Lavrentiy Beria", aliases=["Beria"])
    term.citations.add(passage, paged)
    term.mentions.add(passage, paged)
    make_event(title="Beria arrested").citations.add(passage, paged)
    pages = [
        reverse("corpus:glossary_list"),
        reverse("corpus:glossary_detail", kwargs={"slug": "beria"}),
        reverse("corpus:timeline"),
        reverse("corpus:corpus_search") + "?q=Beria",
        speech["fuller"].get_absolute_url(),
        reverse("corpus:passage_detail", kwargs={"slug": speech["fuller"].slug, "key": "deadbeef"}),
    ]
    for url in pages:
        html = _html(client.get(url))
        shown = re.sub(r"<[^>]*>", " ", html)  # the words, without tags and their attributes
        assert "deadbeef" not in shown and "cafebabe" not in shown, url
        assert "paragraph 12" in " ".join(shown.lower().split()), url
        assert "#p-deadbeef" in html, url  # the id stays in the link, where it belongs
    assert "p. 271" in re.sub(r"<[^>]*>", " ", _html(client.get(reverse("corpus:timeline"))))
