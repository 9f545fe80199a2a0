"""Question exchange: JSON (our schema), GIFT and Moodle XML, out and back in.

Pure functions over plain dicts, plus `import_questions()` which writes in one
transaction. Every format carries Thaw's own fields (type, fingerprint, cited
passage) so a file exported here imports back without loss of the key; see
docs/question-format.md for the schema and how chronology and cloze are
represented in Moodle. Uploaded files are untrusted: size-capped, UTF-8 only,
XML parsed with defusedxml (no DTDs, entities or external references), and no
HTML anywhere in a question.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from corpus.models import EditorialNote, GlossaryTerm, Passage, ReferenceCitation, TimelineEvent
from quizzes import revision, validation
from quizzes.editorial import notes_by_question
from quizzes.models import Question

FORMATS = ("json", "gift", "moodle-xml")
SCHEMA = "thaw-questions"
SCHEMA_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 5000
ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th"]


class ExchangeError(ValueError):
    """A file that cannot be imported; the message is one line for the user."""


@dataclass
class ImportPreview:
    added: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (question label, reason)


# ---- export -------------------------------------------------------------------------------


def question_to_dict(
    question: Question,
    *,
    also_cites: list[dict] | None = None,
    notes: list[str] | None = None,
    events: list[str] | None = None,
    terms: list[str] | None = None,
    evidence: str = "",
) -> dict:
    """`also_cites` (the other passages it cites, {source, key}), `notes` (the slugs of
    the editorial notes it rests on or whose correction it shows), `events` and `terms`
    (the timeline and glossary entries it rests on) round-trip in JSON: a question setting
    two sources side by side needs both passages, and one about an entry needs the entry.
    `evidence` is everything it cites as a reader sees it, for a reviewer; never read back."""
    passage = question.passage
    return {
        "id": question.fingerprint,
        "type": question.type,
        "stem": question.stem,
        "options": question.options,
        "answer": question.answer,
        "explanation": question.explanation,
        "explanation_quote": question.explanation_quote,
        "highlight": (
            [question.highlight_start, question.highlight_end]
            if question.highlight_start is not None
            else None
        ),
        "passage": (
            {
                "source": passage.source.slug,
                "key": passage.key,
                "text": passage.text,
                "url": passage.get_absolute_url(),
            }
            if passage
            else None
        ),
        "source": question.source.slug if question.source else None,
        "work": question.work.slug if question.work else None,
        "generator": question.generator,
        "generator_version": question.generator_version,
        "status": question.status,
        "quality_score": question.quality_score,
        "difficulty": question.difficulty,
        "version": question.version,
        "also_cites": also_cites or [],
        "notes": notes or [],
        "events": events or [],
        "terms": terms or [],
        "evidence": evidence,
    }


def export_json(*, items: list[dict]) -> str:
    return json.dumps(
        {"format": SCHEMA, "version": SCHEMA_VERSION, "questions": items},
        ensure_ascii=False,
        indent=2,
    )


def gift_escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _meta(item: dict) -> dict:
    passage = item.get("passage") or {}
    return {
        "id": item["id"],
        "type": item["type"],
        "passage": f"{passage['source']}:{passage['key']}" if passage else None,
        "status": item.get("status"),
        # ids in the order the file lists the options (a chronology lists them in the
        # correct order), and the order Thaw shows them in.
        "option_ids": item["answer"]
        if item["type"] == "chronology"
        else [o["id"] for o in item["options"]],
        "display_order": [o["id"] for o in item["options"]],
    }


def export_gift(*, items: list[dict]) -> str:
    blocks = []
    for item in items:
        by_id = {o["id"]: o["text"] for o in item["options"]}
        title = gift_escape(f"{item['type']} {item['id'][:12]}")
        head = f"// thaw: {json.dumps(_meta(item), ensure_ascii=True)}\n::{title}::{gift_escape(item['stem'])}"
        feedback = (
            f" ####{gift_escape(item.get('explanation', ''))}" if item.get("explanation") else ""
        )
        if item["type"] == "true_false":
            body = "{" + ("T" if item["answer"] == ["true"] else "F") + feedback + "}"
        elif item["type"] == "chronology":
            pairs = " ".join(
                f"={gift_escape(by_id[oid])} -> {ORDINALS[i]}"
                for i, oid in enumerate(item["answer"])
            )
            body = "{" + pairs + feedback + "}"
        else:
            choices = " ".join(
                ("=" if o["id"] in item["answer"] else "~") + gift_escape(o["text"])
                for o in item["options"]
            )
            body = "{" + choices + feedback + "}"
        blocks.append(f"{head} {body}")
    return "\n\n".join(blocks) + "\n"


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = value
    return element


def export_moodle_xml(*, items: list[dict]) -> str:
    quiz = ET.Element("quiz")
    for item in items:
        by_id = {o["id"]: o["text"] for o in item["options"]}
        qtype = {"true_false": "truefalse", "chronology": "matching"}.get(
            item["type"], "multichoice"
        )
        q = ET.SubElement(quiz, "question", {"type": qtype})
        _text(q, "name", f"{item['type']} {item['id'][:12]}")
        _text(q, "questiontext", _html(item["stem"]), format="html")
        _text(q, "generalfeedback", _html(item.get("explanation", "")), format="html")
        ET.SubElement(q, "defaultgrade").text = "1"
        ET.SubElement(q, "idnumber").text = item["id"]
        if qtype == "truefalse":
            for value in ("true", "false"):
                answer = _text(
                    q, "answer", value, fraction="100" if item["answer"] == [value] else "0"
                )
                _text(answer, "feedback", "")
        elif qtype == "matching":
            ET.SubElement(q, "shuffleanswers").text = "true"
            for i, oid in enumerate(item["answer"]):
                sub = _text(q, "subquestion", _html(by_id[oid]), format="html")
                _text(sub, "answer", ORDINALS[i])
        else:
            ET.SubElement(q, "single").text = "true"
            ET.SubElement(q, "shuffleanswers").text = "true"
            ET.SubElement(q, "answernumbering").text = "abc"
            for option in item["options"]:
                correct = option["id"] in item["answer"]
                answer = _text(
                    q,
                    "answer",
                    _html(option["text"]),
                    fraction="100" if correct else "0",
                    format="html",
                )
                _text(answer, "feedback", "")
        tags = ET.SubElement(q, "tags")
        _text(tags, "tag", "thaw-meta:" + json.dumps(_meta(item), ensure_ascii=True))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def export_questions(*, questions: Iterable[Question], fmt: str) -> str:
    questions = list(questions)
    ids = [q.pk for q in questions]
    also: dict[int, list[dict]] = {}
    cited = Question.extra_citations.through.objects.filter(question_id__in=ids)
    for question_id, source, key in cited.order_by("pk").values_list(
        "question_id", "passage__source__slug", "passage__key"
    ):
        also.setdefault(question_id, []).append({"source": source, "key": key})
    notes: dict[int, list[str]] = {}
    linked = Question.notes.through.objects.filter(question_id__in=ids)
    for question_id, slug in linked.order_by("pk").values_list(
        "question_id", "editorialnote__slug"
    ):
        notes.setdefault(question_id, []).append(slug)
    events, terms, evidence = _entries_and_evidence(questions)
    items = [
        question_to_dict(
            q,
            also_cites=also.get(q.pk),
            notes=notes.get(q.pk),
            events=[e.slug for e in events.get(q.pk, [])],
            terms=[t.slug for t in terms.get(q.pk, [])],
            evidence=evidence.get(q.pk, ""),
        )
        for q in questions
    ]
    if fmt == "json":
        return export_json(items=items)
    if fmt == "gift":
        return export_gift(items=items)
    if fmt == "moodle-xml":
        return export_moodle_xml(items=items)
    raise ExchangeError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def _entries_and_evidence(questions: list[Question]):
    """The timeline events and glossary terms each question rests on, and the text of
    everything it cites (passages with their source, entries with their reference works,
    notes), in a constant number of queries."""
    ids = [q.pk for q in questions]
    events: dict[int, list[TimelineEvent]] = {}
    rows = Question.events.through.objects.filter(question_id__in=ids).select_related(
        "timelineevent"
    )
    for row in rows.order_by("pk"):
        events.setdefault(row.question_id, []).append(row.timelineevent)
    terms: dict[int, list[GlossaryTerm]] = {}
    rows = Question.terms.through.objects.filter(question_id__in=ids).select_related("glossaryterm")
    for row in rows.order_by("pk"):
        terms.setdefault(row.question_id, []).append(row.glossaryterm)
    passages: dict[int, list[Passage]] = {}
    rows = Question.extra_citations.through.objects.filter(question_id__in=ids).select_related(
        "passage__source"
    )
    for row in rows.order_by("pk"):
        passages.setdefault(row.question_id, []).append(row.passage)
    # The notes a student sees in the feedback: those on every passage it cites and those it
    # rests on.
    noted: dict[int, list[EditorialNote]] = notes_by_question(questions=questions)
    rows = Question.notes.through.objects.filter(question_id__in=ids).select_related(
        "editorialnote"
    )
    for row in rows.order_by("pk"):
        if row.editorialnote not in noted.setdefault(row.question_id, []):
            noted[row.question_id].append(row.editorialnote)
    refs: dict[tuple[str, int], list[str]] = {}
    cited = ReferenceCitation.objects.filter(
        Q(event__in={e.pk for es in events.values() for e in es})
        | Q(term__in={t.pk for ts in terms.values() for t in ts})
    ).select_related("work")
    for citation in cited:
        owner = ("event", citation.event_id) if citation.event_id else ("term", citation.term_id)
        refs.setdefault(owner, []).append(citation.work.cite(citation.at))

    def evidence(question: Question) -> str:
        parts = []
        for passage in [question.passage, *passages.get(question.pk, [])]:
            if passage is not None:
                parts.append(f"[{passage.source.title}] {passage.text}")
        for event in events.get(question.pk, []):
            cites = "; ".join(refs.get(("event", event.pk), []))
            parts.append(
                f"[Timeline: {event.date_label}] {event.title}. {event.description}"
                + (f" (Sources: {cites})" if cites else "")
            )
        for term in terms.get(question.pk, []):
            cites = "; ".join(refs.get(("term", term.pk), []))
            parts.append(
                f"[Glossary: {term.name}] {term.description}"
                + (f" (Sources: {cites})" if cites else "")
            )
        for note in noted.get(question.pk, []):
            parts.append(f"[Editorial note: {note.title}] {note.body}")
        return "\n\n".join(" ".join(part.split()) for part in parts)

    return events, terms, {q.pk: evidence(q) for q in questions}


# ---- parse --------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"File is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,}).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(f"File is not UTF-8 text (byte {error.start}).") from None


def detect_format(text: str) -> str:
    head = text.lstrip()[:200]
    if head.startswith("{"):
        return "json"
    if head.startswith("<"):
        return "moodle-xml"
    return "gift"


def _load_json(text: str, *, what: str):
    """`json.loads`, with every way a hostile document makes it fail as an ExchangeError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"Malformed {what} at line {error.lineno}: {error.msg}.") from None
    except RecursionError:  # arrays or objects nested thousands deep
        raise ExchangeError(f"The {what} is nested too deeply.") from None
    except ValueError:  # an integer of more than 4,300 digits (Python refuses to read it)
        raise ExchangeError(f"The {what} holds a number too long to read.") from None


def parse_json(text: str) -> list[dict]:
    document = _load_json(text, what="JSON")
    if not isinstance(document, dict) or document.get("format") != SCHEMA:
        raise ExchangeError(f'Not a Thaw question file (expected "format": "{SCHEMA}").')
    questions = document.get("questions")
    if not isinstance(questions, list):
        raise ExchangeError('Missing "questions" list.')
    return questions


# What Thaw writes into its metadata (`_meta`), and the shape each key must have.
_META_TEXTS = ("id", "type", "passage", "status")
_META_LISTS = ("option_ids", "display_order")


def _read_meta(raw: str, *, where: str) -> dict:
    """The thaw metadata of one GIFT or Moodle question, checked: an object whose known
    keys hold text (or lists of text), so the parsers may use them as such."""
    meta = _load_json(raw, what=f"thaw metadata of {where}")
    if not isinstance(meta, dict):
        raise ExchangeError(f"The thaw metadata of {where} is not a JSON object.")
    for key in _META_TEXTS:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise ExchangeError(f"The thaw metadata of {where}: {key!r} must be text.")
    for key in _META_LISTS:
        value = meta.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise ExchangeError(f"The thaw metadata of {where}: {key!r} must be a list of texts.")
    return meta


def _option_list(texts: list[str], ids: list[str] | None) -> list[dict]:
    ids = ids if ids and len(ids) == len(texts) else [chr(ord("a") + i) for i in range(len(texts))]
    return [{"id": i, "text": t} for i, t in zip(ids, texts, strict=True)]


def _in_display_order(item: dict, meta: dict) -> dict:
    order = meta.get("display_order")
    ids = [o["id"] for o in item.get("options", [])]
    if isinstance(order, list) and sorted(map(str, order)) == sorted(ids):
        item["options"] = sorted(item["options"], key=lambda o: order.index(o["id"]))
    return item


def parse_gift(text: str) -> list[dict]:
    items = []
    for number, block in enumerate(re.split(r"\n\s*\n", text.strip()), start=1):
        meta: dict = {}
        lines = []
        for line in block.splitlines():
            if line.startswith("// thaw: "):
                meta = _read_meta(line[len("// thaw: ") :], where=f"GIFT question {number}")
            elif not line.startswith("//"):
                lines.append(line)
        body = " ".join(lines).strip()
        if not body:
            continue
        match = re.fullmatch(
            r"(?:::(?P<title>(?:\\.|[^:])*)::)?(?P<stem>(?:\\.|[^{])*)\{(?P<answers>(?:\\.|[^}])*)\}\s*",
            body,
            re.S,
        )
        if not match:
            raise ExchangeError(f"Unsupported or malformed GIFT question: {body[:60]!r}.")
        stem = _gift_unescape(match.group("stem")).strip()
        answers = match.group("answers").strip()
        feedback = ""
        if "####" in answers:
            answers, feedback = (part.strip() for part in answers.split("####", 1))
        qtype = meta.get("type")
        item = {
            "id": meta.get("id"),
            "stem": stem,
            "status": meta.get("status"),
            "passage_ref": meta.get("passage"),
        }
        if re.fullmatch(r"T|TRUE|F|FALSE", answers):
            item |= {
                "type": qtype or "true_false",
                "options": [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
                "answer": ["true" if answers.startswith("T") else "false"],
            }
        elif "->" in answers:
            pairs = re.findall(r"=((?:\\.|[^=])*?)\s*->\s*((?:\\.|[^=\s])+)", answers)
            texts = [_gift_unescape(p[0]).strip() for p in pairs]
            order = [p[1] for p in pairs]
            options = _option_list(texts, meta.get("option_ids"))
            try:
                ranked = sorted(range(len(order)), key=lambda i: ORDINALS.index(order[i]))
            except ValueError:
                raise ExchangeError("GIFT matching question is not a Thaw chronology.") from None
            item |= {
                "type": qtype or "chronology",
                "options": options,
                "answer": [options[i]["id"] for i in ranked],
            }
        else:
            parts = re.findall(r"([=~])((?:\\.|[^=~])*)", answers)
            texts = [_gift_unescape(p[1]).strip() for p in parts]
            options = _option_list(texts, meta.get("option_ids"))
            item |= {
                "type": qtype or "cloze_name",
                "options": options,
                "answer": [options[i]["id"] for i, p in enumerate(parts) if p[0] == "="],
            }
        item["explanation"] = _gift_unescape(feedback).strip()
        items.append(_in_display_order(item, meta))
    return items


def _xml_text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    inner = element.find("text")
    return html.unescape((inner.text if inner is not None else element.text) or "").strip()


def parse_moodle_xml(text: str) -> list[dict]:
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException:
        raise ExchangeError("XML with a DTD, entities or external references is refused.") from None
    except ET.ParseError as error:
        raise ExchangeError(f"Malformed XML: {error}.") from None
    if root.tag != "quiz":
        raise ExchangeError("Not a Moodle XML question file (no <quiz> root).")
    items = []
    for number, q in enumerate(root.findall("question"), start=1):
        qtype = q.get("type")
        if qtype == "category":
            continue
        meta: dict = {}
        for tag in q.findall("tags/tag"):
            value = _xml_text(tag)
            if value.startswith("thaw-meta:"):
                meta = _read_meta(value[len("thaw-meta:") :], where=f"Moodle question {number}")
        item = {
            "id": meta.get("id") or (q.findtext("idnumber") or None),
            "stem": _xml_text(q.find("questiontext")),
            "explanation": _xml_text(q.find("generalfeedback")),
            "status": meta.get("status"),
            "passage_ref": meta.get("passage"),
        }
        if qtype == "truefalse":
            right = [
                _xml_text(a).lower() for a in q.findall("answer") if a.get("fraction") == "100"
            ]
            item |= {
                "type": meta.get("type") or "true_false",
                "options": [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
                "answer": right[:1],
            }
        elif qtype == "matching":
            subs = q.findall("subquestion")
            texts = [_xml_text(s) for s in subs]
            order = [_xml_text(s.find("answer")) for s in subs]
            options = _option_list(texts, meta.get("option_ids"))
            try:
                ranked = sorted(range(len(order)), key=lambda i: ORDINALS.index(order[i]))
            except ValueError:
                raise ExchangeError("Moodle matching question is not a Thaw chronology.") from None
            item |= {
                "type": meta.get("type") or "chronology",
                "options": options,
                "answer": [options[i]["id"] for i in ranked],
            }
        elif qtype == "multichoice":
            answers = q.findall("answer")
            options = _option_list([_xml_text(a) for a in answers], meta.get("option_ids"))
            item |= {
                "type": meta.get("type") or "cloze_name",
                "options": options,
                "answer": [
                    options[i]["id"]
                    for i, a in enumerate(answers)
                    if _fraction(a, where=f"Moodle question {number}") > 0
                ],
            }
        else:
            raise ExchangeError(f"Unsupported Moodle question type {qtype!r}.")
        items.append(_in_display_order(item, meta))
    return items


def _fraction(answer: ET.Element, *, where: str) -> float:
    """An answer's grade in percent (Moodle writes "100", "0", "33.33333")."""
    value = answer.get("fraction", "0")
    try:
        return float(value)
    except ValueError:
        raise ExchangeError(
            f"{where}: the answer fraction {value[:40]!r} is not a number."
        ) from None


def parse(*, data: bytes, fmt: str | None = None) -> list[dict]:
    text = _decode(data)
    fmt = fmt or detect_format(text)
    parser = {"json": parse_json, "gift": parse_gift, "moodle-xml": parse_moodle_xml}.get(fmt)
    if parser is None:
        raise ExchangeError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    items = parser(text)
    if len(items) > MAX_QUESTIONS:
        raise ExchangeError(f"Too many questions ({len(items)}; the limit is {MAX_QUESTIONS}).")
    return items


# ---- validate and import ------------------------------------------------------------------


def _set_links(question: Question, item: dict) -> None:
    """The other passages and the notes a file names, those that exist here."""
    wanted = {(a["source"], a["key"]) for a in item.get("also_cites") or []}
    if wanted:
        passages = Passage.objects.filter(
            source__slug__in={s for s, _ in wanted}, key__in={k for _, k in wanted}
        ).select_related("source")
        question.extra_citations.set(
            [
                p
                for p in passages
                if (p.source.slug, p.key) in wanted and p.pk != question.passage_id
            ]
        )
    slugs = item.get("notes") or []
    if slugs:
        question.notes.set(EditorialNote.objects.filter(slug__in=slugs))
    if slugs := item.get("events") or []:
        question.events.set(TimelineEvent.objects.filter(slug__in=slugs))
    if slugs := item.get("terms") or []:
        question.terms.set(GlossaryTerm.objects.filter(slug__in=slugs))


def _passage_ref(item: dict) -> tuple[str, str] | None:
    """(source slug, passage key) the item cites, from "passage_ref" or a "passage" object."""
    passage = item.get("passage")
    ref = item.get("passage_ref") or (
        f"{passage['source']}:{passage['key']}"
        if isinstance(passage, dict) and passage.get("source") and passage.get("key")
        else None
    )
    if not ref or ":" not in ref:
        return None
    source, key = ref.split(":", 1)
    return source, key


def _passages_for(items: list[dict]) -> dict[tuple[str, str], Passage]:
    """The passages the items cite, by (source slug, key): one query for the whole file."""
    refs = {ref for item in items if (ref := _passage_ref(item))}
    if not refs:
        return {}
    found = Passage.objects.filter(
        source__slug__in={s for s, _ in refs}, key__in={k for _, k in refs}
    ).select_related("source__work")
    return {(p.source.slug, p.key): p for p in found if (p.source.slug, p.key) in refs}


def _fingerprint(item: dict) -> str:
    given = item.get("id")
    if isinstance(given, str) and re.fullmatch(r"[0-9a-f]{64}", given):
        return given
    raw = "|".join(["imported", item["type"], item["stem"], json.dumps(item["answer"])])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _differs(existing: Question, item: dict) -> bool:
    """Whether the file words the question otherwise than the bank does."""
    return any(getattr(existing, f) != (item.get(f) or "") for f in revision.WORDING)


def import_questions(
    *, data: bytes, fmt: str | None = None, dry_run: bool = False, user=None
) -> ImportPreview:
    """Import a file: all or nothing. Imported questions are curator-locked (regeneration
    leaves them alone) and wait for review unless the file says otherwise. A question
    the bank holds already is revised (quizzes.revision: its old wording kept, so past
    answers still show what their students saw), by `user` in the audit log."""
    items = parse(data=data, fmt=fmt)
    preview = ImportPreview()
    checked = []
    seen: dict[str, int] = {}  # fingerprint -> the question that had it first
    for n, item in enumerate(items, start=1):
        label = f"question {n}"
        reason = validation.problem(item)
        if reason:
            preview.rejected.append((label, reason))
            continue
        # Only the option fields Thaw stores and shows; anything else in them is dropped.
        item = {**item, "options": [{"id": o["id"], "text": o["text"]} for o in item["options"]]}
        fingerprint = _fingerprint(item)
        if fingerprint in seen:
            # Saving both would break the bank's unique fingerprint (a 500 at confirm).
            preview.rejected.append(
                (label, f"the same question as question {seen[fingerprint]} (same id or wording)")
            )
            continue
        seen[fingerprint] = n
        checked.append((item, fingerprint))
    # The questions the bank holds already, in one query (not one per question).
    bank = Question.objects.in_bulk([fp for _, fp in checked], field_name="fingerprint")
    rows = []
    for item, fingerprint in checked:
        existing = bank.get(fingerprint)
        summary = {"fingerprint": fingerprint, "type": item["type"], "stem": item["stem"][:120]}
        if existing is None:
            preview.added.append(summary)
        elif not _differs(existing, item):
            preview.unchanged.append(summary)
        else:
            preview.updated.append(summary)
        rows.append((item, fingerprint, existing))
    if dry_run:
        return preview
    if preview.rejected:
        label, reason = preview.rejected[0]
        raise ExchangeError(
            f"Nothing imported: {label}: {reason} ({len(preview.rejected)} rejected)."
        )
    _save(rows, user=user)
    return preview


def _quote_fields(item: dict) -> dict:
    """The explanation's quotation and its highlight, when the file gives a quotation."""
    if not isinstance(item.get("explanation_quote"), str):
        return {}
    quote, highlight = item["explanation_quote"], item.get("highlight")
    valid = (
        isinstance(highlight, list)
        and len(highlight) == 2
        and all(isinstance(i, int) for i in highlight)
        and 0 <= highlight[0] <= highlight[1] <= len(quote)
    )
    start, end = highlight if valid else (None, None)
    return {"explanation_quote": quote, "highlight_start": start, "highlight_end": end}


@transaction.atomic
def _save(rows: list[tuple[dict, str, Question | None]], *, user=None) -> None:
    passages = _passages_for([item for item, _, existing in rows])
    for item, fingerprint, existing in rows:
        if existing is not None and not _differs(existing, item):
            continue
        ref = _passage_ref(item)
        passage = passages.get(ref) if ref else None
        wording = {f: item.get(f) or "" for f in revision.WORDING}
        others = {
            **_quote_fields(item),
            "status": item.get("status") or Question.Status.NEEDS_REVIEW,
        }
        # A question already in the bank keeps its passage unless the file names one here.
        if passage is not None or existing is None:
            others["passage"] = passage
            others["source"] = passage.source if passage else None
            others["work"] = passage.source.work if passage else None
        if existing is None:
            question = Question.objects.create(
                fingerprint=fingerprint,
                curator_locked=True,
                edited_at=timezone.now(),
                **wording,
                **others,
            )
        else:
            # The one way a question's wording changes: the old wording is kept.
            revision.revise(
                question=existing,
                user=user,
                action="question.import",
                wording=wording,
                also=others,
            )
            question = existing
        _set_links(question, item)
