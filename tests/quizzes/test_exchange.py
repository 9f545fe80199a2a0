import contextlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.exchange import (
    ExchangeError,
    export_questions,
    gift_escape,
    import_questions,
    parse,
)
from quizzes.models import Question
from tests.factories import make_event, make_note, make_question, make_term

pytestmark = pytest.mark.django_db


def bank():
    make_question(
        stem="Which name completes: {the} ~tricky~ = #sentence: here?", explanation="See p. 3."
    )
    make_question(
        type="true_false",
        stem="True or false? According to the speech, Eikhe was shot on February 4.",
        options=[{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
        answer=["true"],
    )
    make_question(
        type="chronology",
        stem="Put these events in chronological order, from the earliest to the latest.",
        options=[
            {"id": "a", "text": "The speech"},
            {"id": "b", "text": "Kirov's murder"},
            {"id": "c", "text": "The resolution"},
        ],
        answer=["b", "a", "c"],
    )
    return list(Question.objects.order_by("pk"))


@pytest.mark.parametrize("fmt", ["json", "gift", "moodle-xml"])
def test_export_then_import_round_trips_unchanged(fmt):
    questions = bank()
    data = export_questions(questions=questions, fmt=fmt).encode()
    preview = import_questions(data=data, dry_run=True)
    assert len(preview.unchanged) == 3 and not preview.added and not preview.rejected


@pytest.mark.parametrize("fmt", ["json", "gift", "moodle-xml"])
def test_import_into_empty_bank_recreates_key_and_order(fmt):
    questions = bank()
    keys = {q.stem: (q.options, q.answer) for q in questions}
    data = export_questions(questions=questions, fmt=fmt).encode()
    Question.objects.all().delete()
    preview = import_questions(data=data)
    assert len(preview.added) == 3
    for q in Question.objects.all():
        assert (q.options, q.answer) == keys[q.stem]
        assert q.curator_locked


def test_gift_escapes_its_special_characters():
    assert gift_escape("a~b=c#d{e}f:g") == r"a\~b\=c\#d\{e\}f\:g"


HOSTILE = {
    "malformed json": b'{"format": "thaw-questions", "questions": [',
    "wrong encoding": "Frage über Stalin".encode("utf-16"),
    "entity bomb": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><quiz>&lol2;</quiz>',
    "xxe": b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><quiz><question type="multichoice"><questiontext><text>&xxe;</text></questiontext></question></quiz>',
    "malformed xml": b"<quiz><question type='multichoice'>",
    "unknown moodle type": b'<quiz><question type="essay"><questiontext><text>Why?</text></questiontext></question></quiz>',
    "huge": b"{" + b" " * (6 * 1024 * 1024) + b"}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_with_a_clear_error(name):
    bank()
    with pytest.raises(ExchangeError):
        import_questions(data=HOSTILE[name])
    assert Question.objects.count() == 3


def item(**changes):
    base = {
        "type": "cloze_name",
        "stem": "Which name completes this sentence from the speech?",
        "options": [
            {"id": "a", "text": "Yezhov"},
            {"id": "b", "text": "Yagoda"},
            {"id": "c", "text": "Beria"},
        ],
        "answer": ["a"],
    }
    return base | changes


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"type": "essay"}, "unknown type"),
        ({"answer": []}, "missing field"),
        ({"stem": "<script>alert(1)</script> Who?"}, "markup"),
        (
            {
                "options": [
                    {"id": "a", "text": "<img src=x onerror=alert(1)>"},
                    {"id": "b", "text": "B"},
                ]
            },
            "markup",
        ),
        ({"answer": ["z"]}, "answer must list option ids"),
    ],
)
def test_invalid_question_rejects_the_whole_file(changes, reason):
    data = json.dumps(
        {"format": "thaw-questions", "version": 1, "questions": [item(), item(**changes)]}
    )
    preview = import_questions(data=data.encode(), dry_run=True)
    assert len(preview.added) == 1 and reason in preview.rejected[0][1]
    with pytest.raises(ExchangeError, match="Nothing imported"):
        import_questions(data=data.encode())
    assert not Question.objects.exists()


def test_import_command_reports_errors_without_a_traceback(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(HOSTILE["xxe"])
    with pytest.raises(CommandError, match="refused"):
        call_command("import_questions", str(path))


def test_export_command_writes_a_file(tmp_path):
    bank()
    out = tmp_path / "bank.json"
    call_command("export_questions", "--format", "json", "--status", "published", "-o", str(out))
    assert len(json.loads(out.read_text())["questions"]) == 3


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_parsing_arbitrary_bytes_never_crashes(data):
    with contextlib.suppress(ExchangeError):
        parse(data=data)


def test_a_question_resting_on_entries_keeps_them_through_json_and_shows_its_evidence():
    event = make_event(slug="bierut-dies", title="Bierut dies in Moscow", description="He died.")
    term = make_term(slug="bierut", name="Bolesław Bierut", description="Polish party leader.")
    question = make_question(passage=None, stem="On what date did Bierut die in Moscow?")
    question.events.set([event])
    question.terms.set([term])
    exported = json.loads(export_questions(questions=[question], fmt="json"))["questions"][0]
    assert exported["events"] == ["bierut-dies"]
    assert exported["terms"] == ["bierut"]
    assert "Bierut dies in Moscow" in exported["evidence"]
    assert "Polish party leader." in exported["evidence"]

    question.events.clear()
    question.terms.clear()
    exported["stem"] = "On what date did Bolesław Bierut die in Moscow?"
    data = json.dumps({"format": "thaw-questions", "version": 1, "questions": [exported]})
    preview = import_questions(data=data.encode(), fmt="json")
    assert len(preview.updated) == 1
    question.refresh_from_db()
    assert list(question.events.values_list("slug", flat=True)) == ["bierut-dies"]
    assert list(question.terms.values_list("slug", flat=True)) == ["bierut"]


def test_the_evidence_shows_the_notes_a_student_sees_on_the_cited_passage():
    question = make_question(stem="Which year completes this sentence from the speech? _____")
    make_note(on=[question.passage], title="The speech misdates the biography")
    exported = json.loads(export_questions(questions=[question], fmt="json"))["questions"][0]
    assert question.passage.text[:30] in exported["evidence"]
    assert "[Editorial note: The speech misdates the biography]" in exported["evidence"]
