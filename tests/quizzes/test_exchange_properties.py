"""Property tests of the question-file parsers (JSON, GIFT, Moodle XML; quizzes/exchange.py).

Random and hostile documents, whole or mutated from a good export, go through
`import_questions` as the import page and `import_questions` command call it. Each ends in
an ExchangeError (with the bank exactly as it was: all or nothing) or in an import whose
questions are the file's, field by field. Any other exception fails the test. Good files
made of random questions import back exactly (the round trip), in every format.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quizzes import exchange, validation
from quizzes.models import Question
from tests.factories import make_passages, make_source

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Rollback(Exception):
    """Raised inside the savepoint to undo one example's writes."""


@contextlib.contextmanager
def savepoint():
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


def bank_state() -> list[tuple]:
    return list(Question.objects.order_by("pk").values_list())


# --- strategies -----------------------------------------------------------------------------

# Words without markup or GIFT/XML specials, so a good question survives every format.
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzЁёЖжАБ0123456789'’-", min_size=1, max_size=8)
PHRASE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
OPTION_IDS = ["a", "b", "c", "d"]


@st.composite
def good_items(draw) -> dict:
    kind = draw(st.sampled_from(["cloze_name", "cloze_date", "true_false", "chronology"]))
    if kind == "true_false":
        options = [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]
        answer = [draw(st.sampled_from(["true", "false"]))]
    else:
        count = draw(st.integers(2, 4))
        # Distinct as a student reads them (quizzes.validation refuses "Ж" beside "ж").
        texts = draw(
            st.lists(PHRASE, min_size=count, max_size=count, unique_by=validation._normalised)
        )
        options = [{"id": OPTION_IDS[i], "text": t} for i, t in enumerate(texts)]
        ids = [o["id"] for o in options]
        answer = (
            draw(st.permutations(ids)) if kind == "chronology" else [draw(st.sampled_from(ids))]
        )
    return {
        "id": draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
        "type": kind,
        "stem": draw(PHRASE) + "?",
        "options": options,
        "answer": list(answer),
        "explanation": draw(st.one_of(st.just(""), PHRASE)),
        "status": draw(st.sampled_from(["needs_review", "published", "draft"])),
    }


def _export(items: list[dict], fmt: str) -> str:
    if fmt == "json":
        return exchange.export_json(items=items)
    if fmt == "gift":
        return exchange.export_gift(items=items)
    return exchange.export_moodle_xml(items=items)


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**200, max_value=10**210),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["\x00", "a\x00b", "<script>x</script>", "javascript:x", "x" * 5000]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "id",
    "type",
    "stem",
    "options",
    "answer",
    "explanation",
    "explanation_quote",
    "highlight",
    "status",
    "passage",
    "passage_ref",
]


@st.composite
def hostile_items(draw) -> object:
    """A good item with fields replaced by junk or dropped, or junk altogether."""
    if draw(st.integers(0, 4)) == 0:
        return draw(JSON_VALUES)
    item = draw(good_items())
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            item[name] = draw(JSON_VALUES)
        else:
            item.pop(name, None)
    return item


@st.composite
def hostile_json(draw) -> bytes:
    items = draw(st.lists(hostile_items(), max_size=4))
    if draw(st.booleans()) and items:
        items.append(items[0])  # the same question twice
    document = {
        "format": draw(st.sampled_from([exchange.SCHEMA] * 4 + ["other"])),
        "questions": items,
    }
    if draw(st.integers(0, 5)) == 0:
        document = draw(JSON_VALUES)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


@st.composite
def hostile_gift(draw) -> bytes:
    blocks = []
    for _ in range(draw(st.integers(0, 4))):
        lines = []
        if draw(st.booleans()):
            meta = draw(
                st.one_of(
                    JSON_VALUES,
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "id": JSON_VALUES,
                            "type": JSON_VALUES,
                            "passage": JSON_VALUES,
                            "status": JSON_VALUES,
                            "option_ids": JSON_VALUES,
                            "display_order": JSON_VALUES,
                        },
                    ),
                )
            )
            lines.append("// thaw: " + json.dumps(meta))
        pieces = st.sampled_from(
            ["::", "{", "}", "=", "~", "->", "####", "\\", "T", "FALSE", " ", "1st", "9th", "\x00"]
        )
        body = draw(st.lists(st.one_of(pieces, PHRASE, st.text(max_size=6)), max_size=12))
        lines.append("".join(body))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks).encode("utf-8", "surrogatepass")


MOODLE_TYPES = ["multichoice", "truefalse", "matching", "category", "essay", "", "x\x01"]


@st.composite
def hostile_moodle(draw) -> bytes:
    import xml.etree.ElementTree as ET

    quiz = ET.Element(draw(st.sampled_from(["quiz"] * 5 + ["other"])))
    for _ in range(draw(st.integers(0, 3))):
        q = ET.SubElement(quiz, "question", {"type": draw(st.sampled_from(MOODLE_TYPES))})
        ET.SubElement(ET.SubElement(q, "questiontext"), "text").text = draw(PHRASE)
        for _ in range(draw(st.integers(0, 4))):
            fraction = draw(
                st.one_of(
                    st.sampled_from(["100", "0", "50", "-1", "abc", "", "1e999", "nan"]),
                    st.text(alphabet="0123456789.-e", max_size=6),
                )
            )
            tag = draw(st.sampled_from(["answer", "subquestion"]))
            answer = ET.SubElement(q, tag, {"fraction": fraction})
            ET.SubElement(answer, "text").text = draw(
                st.one_of(PHRASE, st.text(alphabet="abc<>&;", max_size=8))
            )
            if tag == "subquestion":
                ET.SubElement(ET.SubElement(answer, "answer"), "text").text = draw(
                    st.sampled_from(["1st", "2nd", "3rd", "first", ""])
                )
        if draw(st.booleans()):
            tags = ET.SubElement(q, "tags")
            text = ET.SubElement(ET.SubElement(tags, "tag"), "text")
            text.text = "thaw-meta:" + json.dumps(draw(JSON_VALUES))
    return ET.tostring(quiz, encoding="utf-8")


@st.composite
def mutated_export(draw) -> bytes:
    """A good export with a slice cut, replaced or doubled, or a hostile piece inserted."""
    fmt = draw(st.sampled_from(["json", "gift", "moodle-xml"]))
    data = _export(draw(st.lists(good_items(), min_size=1, max_size=3)), fmt).encode()
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 40)))
    piece = draw(
        st.one_of(
            st.binary(max_size=8),
            st.sampled_from(
                [b"", b"\x00", b"[" * 5000, b"9" * 5000, b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\xff"]
            ),
            st.just(data[start:end] * 2),
        )
    )
    return data[:start] + piece + data[end:]


DOCUMENTS = st.one_of(
    hostile_json(), hostile_gift(), hostile_moodle(), mutated_export(), st.binary(max_size=200)
)


# --- the properties -------------------------------------------------------------------------


def _assert_imported_as_in_the_file(data: bytes) -> None:
    items = exchange.parse(data=data)
    for item in items:
        question = Question.objects.get(fingerprint=exchange._fingerprint(item))
        assert question.type == item["type"]
        assert question.stem == item["stem"]
        assert question.options == [{"id": o["id"], "text": o["text"]} for o in item["options"]]
        assert question.answer == item["answer"]
        assert question.status == (item.get("status") or Question.Status.NEEDS_REVIEW)
        assert question.curator_locked


@EXAMPLES
@given(data=DOCUMENTS)
def test_any_document_is_imported_whole_or_refused_with_nothing_written(data):
    with savepoint():
        before = bank_state()
        try:
            preview = exchange.import_questions(data=data)
        except exchange.ExchangeError as error:
            assert str(error)  # a message for the curator
            assert bank_state() == before
            event("refused")
        else:
            event(f"imported {len(preview.added)}")
            assert not preview.rejected
            assert Question.objects.count() == len(before) + len(preview.added)
            _assert_imported_as_in_the_file(data)


@EXAMPLES
@given(data=DOCUMENTS)
def test_the_preview_never_writes(data):
    with savepoint():
        before = bank_state()
        with contextlib.suppress(exchange.ExchangeError):
            exchange.import_questions(data=data, dry_run=True)
        assert bank_state() == before


@EXAMPLES
@given(
    items=st.lists(good_items(), min_size=1, max_size=4, unique_by=lambda i: i["id"]),
    fmt=st.sampled_from(["json", "gift", "moodle-xml"]),
    cite=st.booleans(),
)
def test_a_good_file_imports_back_exactly_in_every_format(items, fmt, cite):
    with savepoint():
        if cite:
            passage = make_passages(source=make_source(slug="cited-source"), count=1)[0]
            for item in items:
                item["passage"] = {"source": "cited-source", "key": passage.key}
        data = _export(items, fmt).encode()
        preview = exchange.import_questions(data=data)
        assert len(preview.added) == len(items) and not preview.rejected
        for item in items:
            question = Question.objects.get(fingerprint=item["id"])
            assert question.type == item["type"]
            assert question.stem == item["stem"]
            assert question.answer == item["answer"]
            assert question.explanation == item["explanation"]
            # Thaw shows the options in the file's order; a chronology's key is its order.
            assert question.options == item["options"]
            assert (question.passage is not None) == cite
        again = exchange.import_questions(data=data, dry_run=True)
        assert len(again.unchanged) == len(items)


# Any printable text (no markup, no control characters, single spaces: GIFT keeps no more).
AWKWARD = (
    st.text(
        st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"], blacklist_characters="<"),
        min_size=1,
        max_size=30,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(lambda t: t and "javascript:" not in t.lower())
)


@EXAMPLES
@given(
    stem=AWKWARD,
    texts=st.lists(AWKWARD, min_size=2, max_size=4, unique=True),
    explanation=AWKWARD,
    fmt=st.sampled_from(["json", "gift", "moodle-xml"]),
    kind=st.sampled_from(["cloze_name", "chronology"]),
)
def test_awkward_text_survives_every_format(stem, texts, explanation, fmt, kind):
    options = [{"id": OPTION_IDS[i], "text": t} for i, t in enumerate(texts)]
    answer = [o["id"] for o in options] if kind == "chronology" else ["a"]
    item = {
        "id": "e" * 64,
        "type": kind,
        "stem": stem,
        "options": options,
        "answer": answer,
        "explanation": explanation,
        "status": "draft",
    }
    with savepoint():
        exchange.import_questions(data=_export([item], fmt).encode())
        question = Question.objects.get(fingerprint=item["id"])
        assert (question.stem, question.options, question.answer, question.explanation) == (
            stem,
            options,
            answer,
            explanation,
        )
