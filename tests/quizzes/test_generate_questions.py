import pytest
from django.core.management import call_command

from corpus.models import GlossaryTerm, Passage
from quizzes.models import GenerationRun, Question
from tests.factories import make_passage, make_question, make_source, make_term, make_work

pytestmark = pytest.mark.django_db

TEXTS = [
    "Comrade Eikhe was arrested on April 29, 1938, on the basis of slanderous materials, without "
    "the sanction of the prosecutor of the USSR, which was finally received 15 months after the arrest.",
    # the congress is named: a figure without what it counts is not asked (cloze_quantity)
    "Of 1,966 delegates to the 17th party congress, 1,108 persons were arrested on charges "
    "of anti-revolutionary crimes, i.e., decidedly more than a majority.",
    "On the evening of December 1, 1934, on Stalin's initiative the Secretary of the Presidium, "
    "Yenukidze, signed the following directive.",
]


@pytest.fixture
def corpus():
    speech = make_work(slug="secret-speech", kind="speech")
    make_work(slug="cc-resolution-1956", kind="resolution")
    make_work(slug="history-today-2006", kind="article")
    src = make_source(work=speech, slug="speech-congressional-record")
    passages = [make_passage(source=src, text=t) for t in TEXTS]
    for name, alias, role in [
        ("Joseph Stalin", "Stalin", "soviet-leader"),
        ("Vyacheslav Molotov", "Molotov", "soviet-leader"),
        ("Lazar Kaganovich", "Kaganovich", "soviet-leader"),
        ("Georgy Malenkov", "Malenkov", "soviet-leader"),
        ("Robert Eikhe", "Eikhe", "soviet-official"),
        ("Avel Yenukidze", "Yenukidze", "soviet-official"),
        ("Pavel Postyshev", "Postyshev", "soviet-official"),
        ("Stanislav Kosior", "Kosior", "soviet-official"),
        ("Vlas Chubar", "Chubar", "soviet-official"),
    ]:
        make_term(name=name, aliases=[alias], role=role, kind=GlossaryTerm.Kind.PERSON)
    return passages


def test_generation_saves_published_questions_citing_the_corpus(corpus):
    call_command("generate_questions", "--seed", "5")
    published = Question.objects.published()
    assert published.count() >= 6
    assert {"cloze_date", "cloze_quantity", "cloze_name"} <= set(
        published.values_list("type", flat=True)
    )
    assert all(q.passage_id in {p.pk for p in corpus} for q in published)
    run = GenerationRun.objects.get()
    assert run.created == Question.objects.count()


def test_second_run_adds_and_changes_nothing(corpus):
    call_command("generate_questions")
    before = list(
        Question.objects.order_by("pk").values("pk", "stem", "options", "answer", "status")
    )
    call_command("generate_questions")
    after = list(
        Question.objects.order_by("pk").values("pk", "stem", "options", "answer", "status")
    )
    assert before == after
    assert GenerationRun.objects.first().unchanged == len(after)


def test_curator_edit_survives_regeneration(corpus):
    call_command("generate_questions")
    question = Question.objects.first()
    Question.objects.filter(pk=question.pk).update(
        stem="A curator's better wording of this question, kept forever.",
        curator_locked=True,
        status=Question.Status.RETIRED,
    )
    Passage.objects.filter(pk=question.passage_id).update(text=question.passage.text + " More.")
    call_command("generate_questions")
    question.refresh_from_db()
    assert question.stem == "A curator's better wording of this question, kept forever."
    assert question.status == Question.Status.RETIRED


def test_questions_of_a_retired_passage_are_retired_not_deleted(corpus):
    call_command("generate_questions")
    gone = corpus[0]
    count = Question.objects.filter(passage=gone).count()
    assert count
    Passage.objects.filter(pk=gone.pk).update(is_current=False)
    call_command("generate_questions")
    assert Question.objects.filter(passage=gone).count() == count
    assert set(Question.objects.filter(passage=gone).values_list("status", flat=True)) == {
        "retired"
    }


def test_below_threshold_questions_wait_for_a_curator(corpus, settings):
    settings.QUESTION_PUBLISH_THRESHOLD = 1.01
    call_command("generate_questions")
    assert not Question.objects.published().exists()
    assert Question.objects.filter(status=Question.Status.NEEDS_REVIEW).exists()


def test_unknown_source_slug_is_a_clear_error(corpus):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown source slug"):
        call_command("generate_questions", "--source", "no-such-source")


def test_citing_finds_main_and_extra_citations():
    question = make_question()
    other = make_passage()
    question.extra_citations.add(other)
    assert list(Question.objects.citing(other)) == [question]
    assert list(Question.objects.citing(question.passage)) == [question]


def test_deleting_a_source_keeps_its_questions_but_unpublishes_them():
    question = make_question()
    question.passage.source.delete()
    question.refresh_from_db()
    assert question.passage is None
    assert not Question.objects.published().exists()


def test_question_report_lists_passages_without_questions(corpus, capsys):
    call_command("question_report")
    out = capsys.readouterr().out
    assert "Passages with no question" in out and "0/3" in out
