"""Source-analysis tasks: the TOML format, loading, and students' written answers."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from lessons.models import TASK_ANSWER_MAX_LENGTH, Module, SourceTask, TaskAnswer, TaskStep
from lessons.modules.source_analysis import (
    AnswerRefused,
    TaskContentError,
    load_tasks,
    parse_task,
    save_answers,
    task_files,
)
from tests.factories import make_module, make_passage, make_reference_work, make_source, make_user

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))

STEPS = """
[[steps]]
kind = "sourcing"
question = "Who wrote Document A, and when?"
hints = ["Look at the heading."]

[[steps]]
kind = "contextualization"
question = "What was happening then?"

[[steps]]
kind = "corroboration"
question = "Where do A and B disagree?"

[[steps]]
kind = "close_reading"
question = "Which word matters most?"
"""

TASK = (
    """
lesson = "the-speech"
title = "Two wordings"
intro = "Read both."

[[documents]]
heading = "The speech"
note = "Spoken in February."
source = "speech-anthology"
quote = "greater kindness"

[[documents]]
heading = "A memoir"
work = "rettie-2006"
at = "p. 3"
quote = "a Russian contact phoned me that evening"
"""
    + STEPS
)


@pytest.fixture
def corpus(db):
    source = make_source(slug="speech-anthology")
    make_passage(source=source, key="k1", text="Lenin asked for greater kindness in a leader.")
    make_reference_work(slug="rettie-2006")
    return make_module(slug="the-speech", title="The speech")


def write(tmp_path: Path, text: str, name: str = "the-speech.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_task_file_parses_into_documents_and_four_steps_in_order():
    task = parse_task(text=TASK)
    assert task.lesson == "the-speech" and task.title == "Two wordings"
    assert [d.is_work for d in task.documents] == [False, True]
    assert [s.kind for s in task.steps] == list(TaskStep.Kind.values)
    assert task.steps[0].hints == ("Look at the heading.",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('kind = "corroboration"', 'kind = "summary"'), "in this order"),
        (lambda t: t.replace('intro = "Read both."', 'intro = "x"\ncolour = "red"'), "colour"),
        (lambda t: t.replace('at = "p. 3"\n', ""), "document 2: at is missing"),
        (lambda t: t.replace("phoned me that evening", "phoned " + "x" * 200), "at most 200"),
        (lambda t: t.split('[[documents]]\nheading = "A memoir"')[0] + STEPS, "two or three"),
        (
            lambda t: t.replace('source = "speech-anthology"', 'source = "s"\nwork = "w"'),
            "not both",
        ),
        (lambda t: t.replace("title =", "title ="[:-1]), "not valid TOML"),
    ],
)
def test_a_broken_task_file_is_a_one_line_error(change, message):
    with pytest.raises(TaskContentError, match=message) as caught:
        parse_task(text=change(TASK))
    assert "\n" not in str(caught.value)


def test_loading_twice_changes_nothing_and_keeps_students_answers(corpus, tmp_path):
    path = write(tmp_path, TASK)
    assert load_tasks(paths=[path]).created == ["the-speech"]
    task = SourceTask.objects.get(module=corpus)
    step = task.steps.get(kind="sourcing")
    TaskAnswer.objects.create(step=step, student=make_user(), text="Khrushchev.", updated_at=NOW)
    assert load_tasks(paths=[path]).unchanged == ["the-speech"]
    path.write_text(TASK.replace("Who wrote Document A, and when?", "Who spoke?"), "utf-8")
    assert load_tasks(paths=[path]).updated == ["the-speech"]
    step.refresh_from_db()
    assert step.question == "Who spoke?" and step.answers.get().text == "Khrushchev."
    documents = list(task.documents.order_by("ordinal"))
    assert documents[0].passage.key == "k1" and documents[1].work.slug == "rettie-2006"
    assert [d.letter for d in documents] == ["A", "B"]


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        (
            TASK.replace("greater kindness", "greater rudeness"),
            "the-speech.toml",
            "does not resolve",
        ),
        (TASK.replace('"rettie-2006"', '"no-such-work"'), "the-speech.toml", "no reference work"),
        (TASK, "another-name.toml", "named after its lesson"),
        (TASK.replace('"the-speech"', '"not-loaded"', 1), "not-loaded.toml", "no lesson"),
    ],
)
def test_a_task_that_does_not_resolve_names_its_file_and_writes_nothing(
    corpus, tmp_path, text, name, message
):
    with pytest.raises(TaskContentError, match=message) as caught:
        load_tasks(paths=[write(tmp_path, text, name)])
    assert str(caught.value).startswith(name)
    assert not SourceTask.objects.exists()


# --- written answers ---------------------------------------------------------------------


@pytest.fixture
def task(corpus, tmp_path):
    load_tasks(paths=[write(tmp_path, TASK)])
    return SourceTask.objects.get()


def texts(task, **by_kind):
    return {step.pk: by_kind[step.kind] for step in task.steps.all() if step.kind in by_kind}


def test_answers_are_drafts_the_student_can_change(task):
    student = make_user()
    save_answers(task=task, student=student, texts=texts(task, sourcing="A"), submit=False, now=NOW)
    result = save_answers(
        task=task, student=student, texts=texts(task, sourcing="B\r\nline"), submit=False, now=NOW
    )
    assert not result.errors and not result.submitted
    answer = TaskAnswer.objects.get(student=student)
    assert answer.text == "B\nline" and answer.submitted_at is None


def test_handing_in_needs_every_step_and_then_fixes_the_answers(task):
    student = make_user()
    half = texts(task, sourcing="Khrushchev", contextualization="1956")
    result = save_answers(task=task, student=student, texts=half, submit=True, now=NOW)
    assert not result.submitted and len(result.errors) == 2
    assert TaskAnswer.objects.filter(student=student, submitted_at__isnull=True).count() == 2
    every = texts(task, sourcing="A", contextualization="B", corroboration="C", close_reading="D")
    assert save_answers(task=task, student=student, texts=every, submit=True, now=NOW).submitted
    assert TaskAnswer.objects.filter(student=student, submitted_at=NOW).count() == 4
    with pytest.raises(AnswerRefused):
        save_answers(task=task, student=student, texts=every, submit=False, now=NOW)
    assert set(TaskAnswer.objects.values_list("text", flat=True)) == {"A", "B", "C", "D"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("before\x00after", "cannot be saved"),
        ("bell\x07", "cannot be saved"),
        ("x" * (TASK_ANSWER_MAX_LENGTH + 1), "under 3,000 characters"),
    ],
)
def test_a_refused_answer_keeps_the_stored_draft_and_says_why(task, text, message):
    student = make_user()
    save_answers(
        task=task, student=student, texts=texts(task, sourcing="Kept"), submit=False, now=NOW
    )
    result = save_answers(
        task=task,
        student=student,
        texts=texts(task, sourcing=text, contextualization="Saved"),
        submit=False,
        now=NOW,
    )
    step = task.steps.get(kind="sourcing")
    assert message in result.errors[step.pk]
    assert TaskAnswer.objects.get(step=step).text == "Kept"
    assert TaskAnswer.objects.get(step__kind="contextualization").text == "Saved"


def test_tabs_and_line_breaks_are_kept(task):
    student = make_user()
    save_answers(
        task=task, student=student, texts=texts(task, sourcing="a\tb\nc"), submit=False, now=NOW
    )
    assert TaskAnswer.objects.get().text == "a\tb\nc"


# --- the shipped tasks -------------------------------------------------------------------


def test_every_shipped_lesson_has_a_task_that_loads_against_the_real_sources(db, capsys):
    call_command("load_corpus")
    call_command("load_lessons")
    assert "4 source-analysis task(s): 4 created" in capsys.readouterr().out
    assert {p.stem for p in task_files()} == set(Module.objects.values_list("slug", flat=True))
    for task in SourceTask.objects.prefetch_related("documents", "steps"):
        assert [s.kind for s in task.steps.all()] == list(TaskStep.Kind.values)
        assert 2 <= len(task.documents.all()) <= 3
        for document in task.documents.all():
            assert document.passage or len(document.quote) <= 200
    call_command("load_lessons")
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out.splitlines()[-1]
