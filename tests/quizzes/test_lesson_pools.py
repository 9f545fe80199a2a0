"""A lesson's pool: the questions citing its passages or resting on its timeline events and
the glossary terms its sections link; one rule everywhere (quizzes.passage_groups), the
end-of-lesson quiz taking the sections in turn, and the entry a question rests on shown in
its feedback once answered (quizzes.feedback_entries)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from corpus.models import ReferenceCitation
from lessons.modules.passage_groups import module_group, module_passage_groups
from quizzes import curation
from quizzes.building import question_pool, quiz_for_group
from quizzes.generation import BankResult
from quizzes.generation.candidates import Candidate
from quizzes.generation.saving import save_bank
from quizzes.models import Question, Quiz
from quizzes.passage_groups import PassageGroup
from quizzes.taking import finish_attempt
from tests.factories import (
    make_attempt,
    make_event,
    make_module,
    make_passage,
    make_question,
    make_quiz,
    make_reference_work,
    make_section,
    make_source,
    make_term,
    sentence_in_share,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BIERUT = "Bierut dies of a heart attack during a stay in Moscow after the 20th Congress."


@pytest.fixture
def persak():
    return make_reference_work(slug="persak-2006", authors=["Paweł Machcewicz"], title="Poland")


@pytest.fixture
def bierut_dies(persak):
    event = make_event(
        slug="bierut-dies",
        title="Bolesław Bierut dies in Moscow",
        date=datetime.date(1956, 3, 12),
        description=BIERUT,
    )
    ReferenceCitation.objects.create(event=event, work=persak, at="p. 1285")
    return event


def entry_question(*, events=(), terms=(), **kwargs) -> Question:
    kwargs.setdefault("explanation_quote", sentence_in_share(BIERUT))  # practice may ask it
    question = make_question(passage=None, **kwargs)
    question.events.add(*events)
    question.terms.add(*terms)
    return question


def test_a_question_resting_on_an_entry_is_published_without_a_passage(bierut_dies):
    on_entry = entry_question(events=[bierut_dies])
    on_nothing = make_question(passage=None)
    published = set(Question.objects.published())
    assert on_entry in published and on_nothing not in published


def test_a_groups_pool_holds_its_passages_events_and_terms_questions_and_no_other(bierut_dies):
    cited, extra, elsewhere = make_passage(), make_passage(), make_passage()
    ochab = make_term(name="Edward Ochab")
    main = make_question(passage=cited)
    also = make_question(passage=elsewhere)
    also.extra_citations.add(extra)
    on_event = entry_question(events=[bierut_dies])
    on_term = entry_question(terms=[ochab])
    outside = make_question(passage=elsewhere)
    make_question(passage=cited, status=Question.Status.NEEDS_REVIEW)
    lesson = PassageGroup(
        key="module:leak",
        label="Leak",
        passage_ids=frozenset({cited.pk, extra.pk}),
        event_ids=frozenset({bierut_dies.pk}),
        term_ids=frozenset({ochab.pk}),
    )
    assert set(lesson.questions()) == {main, also, on_event, on_term}
    assert outside not in set(question_pool(group=lesson))
    assert lesson.questions().count() == 4  # no row twice


def lesson(bierut_dies):
    """A module of three sections: one names the day Bierut died, one cites a passage, one
    links the glossary's Ochab; its timeline lists Bierut's death."""
    source = make_source(slug="encyclopedia-article")
    passage = make_passage(source=source, text="The copies were sent to the Eastern Bloc.")
    ochab = make_term(slug="ochab", name="Edward Ochab", aliases=["Ochab"])
    module = make_module(slug="the-leak")
    module.timeline_events.add(bierut_dies)
    make_section(module=module, slug="warsaw", ordinal=1, body="Bierut died on 12 March 1956.")
    make_section(
        module=module,
        slug="copies",
        ordinal=2,
        body='Copies went east.[^encyclopedia-article: "the copies were sent"]',
    )
    make_section(module=module, slug="successor", ordinal=3, body="Then Ochab took over.")
    return module, passage, ochab


def test_a_modules_group_is_its_passages_listed_events_and_linked_terms_by_section(bierut_dies):
    module, passage, ochab = lesson(bierut_dies)
    group = module_group(module)
    assert group.key == "module:the-leak"
    assert group.passage_ids == {passage.pk}
    assert group.event_ids == {bierut_dies.pk}
    assert ochab.pk in group.term_ids
    sections = {s.key: s for s in group.sections}
    assert sections["warsaw"].event_ids == {bierut_dies.pk}  # the section naming its day
    assert sections["copies"].passage_ids == {passage.pk}
    assert ochab.pk in sections["successor"].term_ids
    # The queue's and the balancing's groups: the same ids, without the sections.
    (listed,) = module_passage_groups()
    assert (listed.passage_ids, listed.event_ids, listed.term_ids) == (
        group.passage_ids,
        group.event_ids,
        group.term_ids,
    )


def test_the_end_of_lesson_quiz_takes_the_sections_in_turn(bierut_dies):
    module, passage, ochab = lesson(bierut_dies)

    def practice(text: str, answer: str, **kwargs) -> Question:
        return make_question(
            explanation_quote=sentence_in_share(text),
            options=[{"id": "a", "text": answer}, {"id": "b", "text": "Other"}],
            **kwargs,
        )

    # Many better questions on one section's passage, one on each other section's entry.
    for n in range(6):
        practice(f"Copies went east, sentence {n}.", f"Answer {n}", passage=passage)
    on_event = practice(BIERUT, "12 March 1956", passage=None, quality_score=0.8)
    on_event.events.add(bierut_dies)
    on_term = practice("Ochab's entry.", "Edward Ochab", passage=None, quality_score=0.8)
    on_term.terms.add(ochab)
    group = module_group(module)
    quiz = quiz_for_group(key="module:the-leak", title="Quiz", group=group, size=3)
    asked = list(quiz.questions.all())
    assert on_event in asked and on_term in asked and len(asked) == 3


def test_the_lesson_quiz_page_builds_from_the_lessons_whole_pool(client, bierut_dies):
    module, _passage, _ochab = lesson(bierut_dies)
    on_event = entry_question(events=[bierut_dies])
    response = client.post(reverse("modules:lesson_quiz", kwargs={"slug": module.slug}))
    quiz = Quiz.objects.get(key=f"module:{module.slug}")
    assert response.status_code == 302 and on_event in quiz.questions.all()


# --- Feedback: the entry a question rests on, after the answer only -------------------


@pytest.fixture
def student(django_user_model):
    return django_user_model.objects.create_user("sasha", password="pw-123456789")


@pytest.fixture
def pupil(client, student):
    client.force_login(student)
    return client


def date_question(event) -> Question:
    question = entry_question(
        events=[event],
        type=Question.Type.WHO_WHAT_WHEN,
        stem="On what date did Bolesław Bierut die in Moscow?",
        options=[
            {"id": "a", "text": "12 March 1956"},
            {"id": "b", "text": "17 March 1956"},
            {"id": "c", "text": "20 March 1956"},
        ],
        answer=["a"],
        explanation="Bolesław Bierut dies in Moscow: 12 March 1956.",
    )
    return question


def answer(client, attempt, **headers):
    return client.post(
        reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
        {"question": attempt.question_ids[0], "choice": "b"},
        **headers,
    )


def test_the_entry_shows_with_its_sources_only_after_the_answer(pupil, student, bierut_dies):
    dating = make_passage(text="Bierut died in Moscow on March 12, 1956.")
    bierut_dies.citations.add(dating)
    attempt = make_attempt(quiz=make_quiz(questions=[date_question(bierut_dies)]), user=student)
    before = pupil.get(
        reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert BIERUT not in before and "persak-2006" not in before
    after = answer(pupil, attempt, **HTMX).content.decode()
    assert '<span class="editorial-kind">Timeline</span>' in after
    assert "12 March 1956: Bolesław Bierut dies in Moscow" in after
    assert BIERUT in after
    assert 'href="/sources/#ref-persak-2006"' in after and "p. 1285" in after
    assert 'href="/timeline/#event-bierut-dies"' in after
    assert dating.get_absolute_url() in after  # the passage stating the date, too
    assert '<figure class="evidence">' not in after  # the entry, not a quotation of it
    again = pupil.get(reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk}) + "?q=1")
    assert BIERUT in again.content.decode()


def test_a_glossary_entry_shows_in_the_results_once_they_reveal_the_answers(pupil, student, persak):
    ochab = make_term(slug="ochab", name="Edward Ochab", description="Polish party leader, 1956.")
    ReferenceCitation.objects.create(term=ochab, work=persak, at="p. 1286")
    question = make_question(passage=None, explanation_quote="Polish party leader, 1956.")
    question.terms.add(ochab)
    quiz = make_quiz(
        questions=[question],
        mode=Quiz.Mode.TEST,
        reveal_answers=Quiz.Reveal.AFTER_DUE,
        due_at=timezone.now() + timezone.timedelta(days=2),
    )
    attempt = make_attempt(quiz=quiz, user=student)
    assert "Polish party leader" not in answer(pupil, attempt, **HTMX).content.decode()
    finish_attempt(attempt=attempt, now=timezone.now())
    results = pupil.get(
        reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert "Polish party leader" not in results  # the answers wait for the due date
    Quiz.objects.filter(pk=quiz.pk).update(reveal_answers=Quiz.Reveal.IMMEDIATELY)
    results = pupil.get(
        reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk})
    ).content.decode()
    assert '<span class="editorial-kind">Glossary</span>' in results
    assert "Polish party leader, 1956." in results and "p. 1286" in results


def _queries(client, attempt) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as answering:
        answer(client, attempt, **HTMX)
    answered = len(answering)
    for question_id in attempt.question_ids[1:]:
        client.post(
            reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk}),
            {"question": question_id, "choice": "a"},
        )
    finish_attempt(attempt=attempt, now=timezone.now())
    with CaptureQueriesContext(connection) as reviewing:
        client.get(reverse("quizzes:attempt_review", kwargs={"pk": attempt.pk}))
    return answered, len(reviewing)


@pytest.mark.parametrize("count", [1, 4])
def test_entries_cost_a_fixed_number_of_queries_however_many(pupil, student, persak, count):
    plain = make_attempt(quiz=make_quiz(count=3), user=student)
    answer_base, results_base = _queries(pupil, plain)
    events = []
    for n in range(count):
        event = make_event(slug=f"e-{n}", description=f"Event {n}.")
        ReferenceCitation.objects.create(event=event, work=persak, at=f"p. {n}")
        events.append(event)
    questions = [entry_question(events=events) for _ in range(3)]
    attempt = make_attempt(quiz=make_quiz(questions=questions), user=student)
    # Four for the entries (events, terms, their reference works, the events' passages); on
    # the results page the notes' query is not needed, as no question cites a passage.
    assert _queries(pupil, attempt) == (answer_base + 4, results_base + 4 - 1)


# --- Saving what a question rests on --------------------------------------------------


def _candidate(**kwargs) -> Candidate:
    fields = {
        "type": "who_what_when",
        "generator": "event_questions",
        "version": 1,
        "stem": "On what date did Bolesław Bierut die in Moscow?",
        "options": [
            {"id": "a", "text": "12 March 1956"},
            {"id": "b", "text": "17 March 1956"},
            {"id": "c", "text": "20 March 1956"},
        ],
        "answer": ["a"],
        "passage": None,
        "explanation": "Bolesław Bierut dies in Moscow: 12 March 1956.",
        "quote": BIERUT,
        "highlight": None,
        "identity": ("event", "bierut-dies"),
        "option_kind": "date",
    }
    return Candidate(**{**fields, **kwargs})


def _save(*candidates):
    return save_bank(
        result=BankResult(accepted=list(candidates)), seed=1, sources=None, started=0.0
    )


def test_a_saved_question_rests_on_its_entries_and_a_change_of_entries_updates_it(bierut_dies):
    _save(_candidate(events=[bierut_dies]))
    question = Question.objects.get()
    assert list(question.events.all()) == [bierut_dies] and question.passage is None
    assert question.status == Question.Status.PUBLISHED
    assert _save(_candidate(events=[bierut_dies])).unchanged == 1
    ochab = make_term(name="Edward Ochab")
    run = _save(_candidate(events=[bierut_dies], terms=[ochab]))
    assert (run.updated, run.unchanged) == (1, 0)
    assert list(question.terms.all()) == [ochab]


def test_curators_publish_an_entry_question_and_find_it_under_its_lesson(
    bierut_dies, django_user_model
):
    curator = django_user_model.objects.create_user("curator", is_staff=True)
    held = entry_question(events=[bierut_dies], status=Question.Status.NEEDS_REVIEW)
    baseless = make_question(passage=None, status=Question.Status.NEEDS_REVIEW)
    curation.set_status(question=held, user=curator, status=Question.Status.PUBLISHED)
    assert held in set(Question.objects.published())
    with pytest.raises(curation.CurationError):
        curation.set_status(question=baseless, user=curator, status=Question.Status.PUBLISHED)
    lesson = PassageGroup(key="module:leak", label="Leak", event_ids=frozenset({bierut_dies.pk}))
    found = curation.filter_queue(filters=curation.QueueFilters(group=lesson))
    assert list(found) == [held]


def test_a_chronology_belongs_to_the_lesson_listing_all_its_events(bierut_dies):
    hungary = make_event(slug="hungary", date=datetime.date(1956, 10, 23))
    gorbachev = make_event(slug="gorbachev", date=datetime.date(1987, 11, 1))
    order = entry_question(events=[bierut_dies, hungary, gorbachev], type="chronology")
    leak = PassageGroup(key="module:leak", label="Leak", event_ids=frozenset({bierut_dies.pk}))
    aftermath = PassageGroup(
        key="module:after",
        label="After",
        event_ids=frozenset({bierut_dies.pk, hungary.pk, gorbachev.pk}),
    )
    assert order not in set(leak.questions())  # one of its events is the leak's, not all
    assert order in set(aftermath.questions())
    assert aftermath.holds(event_ids={bierut_dies.pk, hungary.pk})
    assert not leak.holds(event_ids={bierut_dies.pk, hungary.pk})
