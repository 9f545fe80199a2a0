"""The home page, the lesson list and a lesson, as a visitor without an account sees them."""

import datetime
import re

import pytest

from corpus import reference_editing
from corpus.citations import Citation
from corpus.models import GlossaryTerm
from corpus.reference import TermEntry
from lessons.accounts.roles import CURATORS, ensure_role_groups
from tests.factories import (
    make_event,
    make_module,
    make_passage,
    make_section,
    make_source,
    make_term,
    make_user,
)


@pytest.fixture
def source(db):
    return make_source(slug="speech-anthology", title="Speech anthology")


def build_module(source, *, sections: int, citations: int, ordinal: int = 1, slug="speech"):
    """A module with `sections` sections of `citations` notes and one excerpt each."""
    module = make_module(
        slug=slug,
        title=f"Module {slug}",
        ordinal=ordinal,
        objectives="Explain the night meeting.\nCompare two figures.",
        prompts="Why at night?\nWho listened?\nWhat changed?",
    )
    module.timeline_events.add(
        make_event(slug=f"{slug}-given", title="Speech given", date=datetime.date(1956, 2, 25))
    )
    for s in range(sections):
        notes = []
        for c in range(citations):
            make_passage(source=source, key=f"{slug}-{s}-{c}", text=f"Fact {slug} {s}/{c} here.")
            notes.append(f'Claim {c}.[^speech-anthology: "fact {slug} {s}/{c} here"]')
        excerpt = make_passage(
            source=source, key=f"{slug}-x{s}", text=f"Excerpted words {slug} {s}."
        )
        excerpt.glossary_terms.add(make_term(name=f"Word{slug}{s}"))
        make_section(
            module=module,
            slug=f"part-{s}",
            title=f"Part {s}",
            ordinal=s,
            body=" ".join(notes)
            + f'\n\n{{{{ excerpt source="speech-anthology" quote="excerpted words {slug} {s}" }}}}',
        )
    return module


@pytest.mark.django_db
def test_home_shows_empty_state_before_lessons_are_loaded(client):
    html = client.get("/").content.decode()
    assert "The lessons are not loaded yet" in html
    assert "load_lessons" in html


def test_home_lists_modules_in_order_with_objectives_and_progress(client, source):
    build_module(source, sections=1, citations=1, ordinal=2, slug="second")
    build_module(source, sections=1, citations=1, ordinal=1, slug="first")
    html = client.get("/").content.decode()
    assert html.index("Module first") < html.index("Module second")
    assert "Explain the night meeting." in html
    assert "Not started" in html
    assert 'href="/lessons/first/"' in html
    for url in ["/sources/", "/glossary/", "/timeline/"]:
        assert f'href="{url}"' in html


def test_lesson_list_page_and_fragment(client, source):
    build_module(source, sections=1, citations=1)
    page = client.get("/lessons/").content.decode()
    assert "<h1>Lessons</h1>" in page and "Module speech" in page
    fragment = client.get("/lessons/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="module-list"')
    assert "<html" not in fragment and "Module speech" in fragment


def test_lesson_page_shows_everything_a_lesson_has_without_login(client, source):
    build_module(source, sections=2, citations=2)
    response = client.get("/lessons/speech/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="lesson-title">Module speech</h1>' in html
    assert "Explain the night meeting." in html  # objectives
    assert 'href="#part-0"' in html and 'id="part-1"' in html  # table of contents, sections
    assert "Excerpted words speech 1." in html  # excerpt from the passage
    assert 'href="/sources/speech-anthology/#p-speech-x0"' in html  # read in context
    assert 'href="/sources/speech-anthology/#p-speech-0-1"' in html  # citation link
    assert ">4</a></sup>" in html  # numbered across the module
    assert "Speech given" in html and "/timeline/#event-speech-given" in html  # timeline strip
    assert "Who listened?" in html  # discussion prompts
    assert "Take the end-of-lesson quiz" in html


def test_lesson_page_shows_the_passages_current_text(client, source):
    build_module(source, sections=1, citations=1)
    from corpus.models import Passage

    Passage.objects.filter(key="speech-x0").update(text="Excerpted words speech 0, as corrected.")
    html = client.get("/lessons/speech/").content.decode()
    assert "as corrected." in html


def test_excerpt_text_is_escaped(client, source):
    build_module(source, sections=1, citations=1)
    from corpus.models import Passage

    Passage.objects.filter(key="speech-x0").update(text="Words <script>alert(1)</script>")
    html = client.get("/lessons/speech/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_previous_and_next_lessons_are_linked_for_htmx_and_without_it(client, source):
    build_module(source, sections=1, citations=1, ordinal=1, slug="one")
    build_module(source, sections=1, citations=1, ordinal=2, slug="two")
    build_module(source, sections=1, citations=1, ordinal=3, slug="three")
    html = client.get("/lessons/two/").content.decode()
    assert 'href="/lessons/one/" hx-get="/lessons/one/"' in html
    assert 'href="/lessons/three/" hx-get="/lessons/three/"' in html
    assert "Lesson 2 of 3" in html


def test_htmx_request_gets_the_lesson_fragment_only(client, source):
    build_module(source, sections=1, citations=1)
    html = client.get("/lessons/speech/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith("<title>Module speech · Lessons · Thaw</title>")
    assert '<article id="lesson-article"' in html
    assert "<html" not in html and '<footer class="site-footer' not in html
    assert "<title>Module speech · Lessons · Thaw</title>" in html


def curators_new_term(*, slug: str, name: str):
    """A glossary term added in the app, as a curator adds one (corpus.reference_editing)."""
    reference_editing.add_entry(
        entry=TermEntry(
            slug=slug,
            name=name,
            kind="concept",
            role="",
            aliases=(),
            description="Met at night.",
            citations=(Citation(source="speech-anthology", quote="the delegates met"),),
        ),
        user=make_user(),
    )


@pytest.fixture
def lesson(source):
    make_passage(source=source, key="met", text="That night the delegates met in secret.")
    module = make_module(slug="night")
    make_section(
        module=module,
        body='The delegates met at night.[^speech-anthology: "delegates met"] The delegates left.',
    )
    return module


def term_links(client, module) -> list[str]:
    html = client.get(module.get_absolute_url()).content.decode()
    return re.findall(r'<a class="term" href="(/glossary/[^"]+/)"[^>]*>([^<]*)</a>', html)


def test_a_term_a_curator_adds_is_linked_in_a_loaded_lesson_without_reloading(client, lesson):
    assert term_links(client, lesson) == []
    curators_new_term(slug="delegates", name="delegates")
    assert term_links(client, lesson) == [("/glossary/delegates/", "delegates")]  # first mention


def test_a_term_a_curator_deletes_or_renames_leaves_no_stale_link(client, lesson):
    curators_new_term(slug="delegates", name="delegates")
    assert term_links(client, lesson) == [("/glossary/delegates/", "delegates")]
    GlossaryTerm.objects.filter(slug="delegates").update(slug="congress-delegates")
    assert term_links(client, lesson) == [("/glossary/congress-delegates/", "delegates")]
    reference_editing.apply_changes(
        what="term", changed={}, deleted={"congress-delegates"}, user=make_user()
    )
    assert term_links(client, lesson) == []


@pytest.mark.parametrize(("sections", "citations"), [(1, 1), (6, 8)])
def test_lesson_page_runs_a_fixed_number_of_queries(
    client, source, django_assert_num_queries, sections, citations
):
    build_module(source, sections=sections, citations=citations)
    for c in range(citations):  # linked in every section, as the page is shown
        make_term(slug=f"claim-{c}", name=f"Claim {c}")
    # The first view chooses the sections' checks from the lesson's whole pool
    # (lessons.modules.checks: the lesson's group, its pool and which section holds what) and
    # keeps the choice in the cache.
    with django_assert_num_queries(20):
        assert client.get("/lessons/speech/").status_code == 200
    # Then: module, sections, citations (with passages and sources), the excerpts'
    # glossary terms, timeline events, the course for previous/next, the editorial
    # notes on its sentences and excerpts (none here; with notes see
    # tests/lessons/modules/test_editorial_notes.py), the glossary (its terms are linked as
    # the page is shown), the bank's stamp for the kept checks (none here; with checks see
    # tests/lessons/modules/test_work_views.py), its source-analysis task.
    with django_assert_num_queries(10):
        html = client.get("/lessons/speech/").content.decode()
    assert html.count('<a class="term" href="/glossary/claim-') == sections * citations


@pytest.mark.parametrize("count", [1, 4])
def test_home_page_runs_a_fixed_number_of_queries(client, source, django_assert_num_queries, count):
    for n in range(count):
        build_module(source, sections=2, citations=1, ordinal=n, slug=f"m{n}")
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_unknown_lesson_is_a_404(client):
    response = client.get("/lessons/no-such-lesson/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_lesson_pages_accept_only_get(client):
    assert client.post("/lessons/").status_code == 405


@pytest.mark.django_db
def test_curators_get_a_link_to_review_the_lessons_questions(client, django_user_model):
    from django.core.management import call_command

    call_command("load_corpus", verbosity=0)
    call_command("load_lessons", verbosity=0)
    curator = django_user_model.objects.create_user("cur", is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])
    client.force_login(curator)
    html = client.get("/lessons/the-secret-speech/").content.decode()
    link = html.split("Curate this lesson's questions")[0].rsplit('href="', 1)[1].split('"')[0]
    assert link == "/curation/?group=module%3Athe-secret-speech"
    # The link lists this lesson's questions, and the filter shows it is chosen.
    queue = client.get(link.replace("%3A", ":")).content.decode()
    assert '<option value="module:the-secret-speech" selected>' in queue
    client.force_login(django_user_model.objects.create_user("pupil"))
    assert "Curate this lesson" not in client.get("/lessons/the-secret-speech/").content.decode()


def test_the_lesson_quiz_is_a_lesson_quiz_because_lessons_says_so(client, source):
    """Lessons names the quiz and its kind; quizzes no longer guesses the kind from the key."""
    from quizzes.building import quiz_for_passages
    from quizzes.models import Quiz

    module = build_module(source, sections=1, citations=1)
    response = client.post(f"/lessons/{module.slug}/quiz/")
    quiz = Quiz.objects.get(key=f"module:{module.slug}")
    assert response.status_code == 302 and response["Location"] == f"/quizzes/{quiz.pk}/"
    assert quiz.kind == Quiz.Kind.MODULE
    lookalike = quiz_for_passages(key="module:lookalike", title="Other", passages=[])
    assert lookalike.kind == Quiz.Kind.CUSTOM
