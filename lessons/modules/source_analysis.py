"""Source-analysis tasks: loading them from TOML, showing one, and students' written answers.

Each lesson has one task (lessons/content/tasks/<lesson-slug>.toml), in the manner of the
Stanford History Education Group's "Reading Like a Historian": two or three documents set
side by side, then four steps, each a question with optional hints:

* sourcing: who made this document, when, why and for whom;
* contextualization: what was happening when it was made;
* corroboration: what the documents agree and disagree on, and which to trust;
* close reading: what the words themselves say, and what they leave out.

A document is a passage of a source, shown in full (`source` and a short `quote` that picks
the passage, as a lesson's excerpt does), or one short line quoted from a reference work
that the course cites but does not hold (`work`, `at` and `quote`), shown with its
citation. Loading resolves every document as a lesson's citations are resolved, so a
broken quote is a one-line error naming the file and nothing is written.

Students write an answer to each step; it stays a draft they can change until they hand
the task in. Their class's teachers read the handed-in answers (lessons.modules.work_views).
"""

from __future__ import annotations

import datetime
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from corpus.markup import MarkedText, mark_passage
from corpus.models import EditorialNote
from lessons.models import (
    TASK_ANSWER_MAX_LENGTH,
    Module,
    SourceTask,
    TaskAnswer,
    TaskDocument,
    TaskStep,
)
from lessons.modules.rendering import LessonContentError, Ref, resolve_refs

TASKS_DIR = Path(settings.BASE_DIR) / "lessons" / "content" / "tasks"
STEP_KINDS = tuple(TaskStep.Kind.values)  # the order every task follows
TASK_KEYS = {"lesson", "title", "intro", "documents", "steps"}
PASSAGE_KEYS = {"heading", "note", "source", "quote"}
WORK_KEYS = {"heading", "note", "work", "at", "quote"}
STEP_KEYS = {"kind", "question", "hints"}
# A reference work is quoted, not reproduced: at most a line of it.
WORK_QUOTE_MAX = 200

# What each step asks, in plain words, under its name.
STEP_GUIDES = {
    TaskStep.Kind.SOURCING: "Who made this document, when, why, and for whom?",
    TaskStep.Kind.CONTEXTUALIZATION: "What was happening when it was made?",
    TaskStep.Kind.CORROBORATION: "Put the documents side by side: where do they agree, "
    "where do they differ, and which do you trust more?",
    TaskStep.Kind.CLOSE_READING: "What do the words themselves say, and what do they leave out?",
}


class TaskContentError(LessonContentError):
    """A task file that cannot be loaded: the message is one readable line."""


# --- parsing and loading ------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedDocument:
    heading: str
    note: str
    source: str  # a source slug, or a work slug when `is_work`
    quote: str
    at: str = ""
    is_work: bool = False


@dataclass(frozen=True)
class ParsedStep:
    kind: str
    question: str
    hints: tuple[str, ...]


@dataclass(frozen=True)
class ParsedTask:
    lesson: str
    title: str
    intro: str
    documents: tuple[ParsedDocument, ...]
    steps: tuple[ParsedStep, ...]


def _text(table: dict, key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise TaskContentError(f"{where}: {key} must be text")
    value = value.strip()
    if required and not value:
        raise TaskContentError(f"{where}: {key} is missing")
    return value


def _unknown(table: dict, allowed: set[str], where: str) -> None:
    unknown = table.keys() - allowed
    if unknown:
        raise TaskContentError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def parse_task(*, text: str) -> ParsedTask:
    """A task file's text as a ParsedTask (no database); TaskContentError says what is wrong."""
    try:
        data = tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        raise TaskContentError(f"not valid TOML: {error}") from None
    _unknown(data, TASK_KEYS, "the task")
    documents = data.get("documents", [])
    if not isinstance(documents, list) or not 2 <= len(documents) <= 3:
        raise TaskContentError("a task sets two or three [[documents]] side by side")
    parsed_documents = []
    for n, table in enumerate(documents, 1):
        where = f"document {n}"
        if not isinstance(table, dict):
            raise TaskContentError(f"{where} must be a table")
        is_work = "work" in table
        if is_work and "source" in table:
            raise TaskContentError(f"{where}: give a source or a work, not both")
        _unknown(table, WORK_KEYS if is_work else PASSAGE_KEYS, where)
        quote = _text(table, "quote", where)
        if '"' in quote:
            raise TaskContentError(f"{where}: write inner quotes as single quotes")
        if is_work and len(quote) > WORK_QUOTE_MAX:
            raise TaskContentError(
                f"{where}: quote at most {WORK_QUOTE_MAX} characters of a reference work"
            )
        parsed_documents.append(
            ParsedDocument(
                heading=_text(table, "heading", where),
                note=_text(table, "note", where, required=False),
                source=_text(table, "work" if is_work else "source", where),
                quote=quote,
                at=_text(table, "at", where) if is_work else "",
                is_work=is_work,
            )
        )
    steps = data.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise TaskContentError("steps must be [[steps]] tables")
    kinds = [step.get("kind") for step in steps]
    if kinds != list(STEP_KINDS):
        raise TaskContentError(
            f"the steps must be, in this order: {', '.join(STEP_KINDS)} (found: "
            f"{', '.join(str(k) for k in kinds) or 'none'})"
        )
    parsed_steps = []
    for table in steps:
        where = f"step {table['kind']}"
        _unknown(table, STEP_KEYS, where)
        hints = table.get("hints", [])
        if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
            raise TaskContentError(f"{where}: hints must be a list of text")
        if any("\n" in hint.strip() for hint in hints):
            raise TaskContentError(f"{where}: each hint must be one line")
        parsed_steps.append(
            ParsedStep(
                kind=table["kind"],
                question=_text(table, "question", where),
                hints=tuple(h.strip() for h in hints),
            )
        )
    return ParsedTask(
        lesson=_text(data, "lesson", "the task"),
        title=_text(data, "title", "the task"),
        intro=_text(data, "intro", "the task", required=False),
        documents=tuple(parsed_documents),
        steps=tuple(parsed_steps),
    )


def task_files(*, directory: Path = TASKS_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


@dataclass
class TaskLoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def load_tasks(*, paths: list[Path], dry_run: bool = False) -> TaskLoadReport:
    """Create or update the task of each file's lesson; idempotent.

    Raises TaskContentError naming the file at the first problem (its lesson is not
    loaded, a document does not resolve); the transaction is rolled back, so nothing
    is written. Steps are updated in place, so students' answers are kept.
    """
    report = TaskLoadReport()
    seen: dict[str, str] = {}
    for path in paths:
        name = path.name
        try:
            parsed = parse_task(text=path.read_text(encoding="utf-8"))
            if path.stem != parsed.lesson:
                raise TaskContentError(
                    f"the file must be named after its lesson: {parsed.lesson}.toml"
                )
            if parsed.lesson in seen:
                raise TaskContentError(
                    f"lesson {parsed.lesson!r} already has {seen[parsed.lesson]}"
                )
            seen[parsed.lesson] = name
            module = Module.objects.filter(slug=parsed.lesson).first()
            if module is None:
                raise TaskContentError(f"no lesson {parsed.lesson!r} (run load_lessons first)")
            refs = resolve_refs(
                refs=[
                    Ref(
                        "ref" if d.is_work else "excerpt",
                        n,
                        d.source,
                        d.at if d.is_work else d.quote,
                    )
                    for n, d in enumerate(parsed.documents)
                ]
            )
        except (LessonContentError, UnicodeDecodeError) as error:
            raise TaskContentError(f"{name}: {error}") from None
        outcome = _store_task(module=module, parsed=parsed, refs=refs, source_file=name)
        getattr(report, outcome).append(parsed.lesson)
    if dry_run:
        transaction.set_rollback(True)
    return report


def _store_task(*, module: Module, parsed: ParsedTask, refs, source_file: str) -> str:
    values = {"title": parsed.title, "intro": parsed.intro, "source_file": source_file}
    task = SourceTask.objects.filter(module=module).first()
    created = task is None
    changed = False
    if created:
        task = SourceTask.objects.create(module=module, **values)
    elif any(getattr(task, k) != v for k, v in values.items()):
        SourceTask.objects.filter(pk=task.pk).update(**values)
        changed = True

    wanted = [
        (
            n,
            document.heading,
            document.note,
            ref.passage.pk if ref.passage else None,
            ref.work.pk if ref.work else None,
            document.source,
            document.quote,
            document.at,
        )
        for n, (document, ref) in enumerate(zip(parsed.documents, refs, strict=True), 1)
    ]
    existing = [
        (d.ordinal, d.heading, d.note, d.passage_id, d.work_id, d.source_slug, d.quote, d.at)
        for d in task.documents.order_by("ordinal")
    ]
    if wanted != existing:
        task.documents.all().delete()
        TaskDocument.objects.bulk_create(
            TaskDocument(
                task=task,
                ordinal=n,
                heading=heading,
                note=note,
                passage_id=passage_id,
                work_id=work_id,
                source_slug=slug,
                quote=quote,
                at=at,
            )
            for n, heading, note, passage_id, work_id, slug, quote, at in wanted
        )
        changed = True

    steps = {step.kind: step for step in task.steps.all()}
    for ordinal, parsed_step in enumerate(parsed.steps, 1):
        fields = {
            "ordinal": ordinal,
            "question": parsed_step.question,
            "hints": "\n".join(parsed_step.hints),
        }
        step = steps.get(parsed_step.kind)
        if step is None:
            TaskStep.objects.create(task=task, kind=parsed_step.kind, **fields)
            changed = True
        elif any(getattr(step, k) != v for k, v in fields.items()):
            TaskStep.objects.filter(pk=step.pk).update(**fields)
            changed = True
    if created:
        return "created"
    return "updated" if changed else "unchanged"


# --- what the lesson page shows -------------------------------------------------------------


@dataclass(frozen=True)
class DocumentView:
    document: TaskDocument
    marked: MarkedText | None  # the passage's whole text, for a passage
    notes: tuple[EditorialNote, ...] = ()


@dataclass
class StepView:
    step: TaskStep
    text: str = ""
    error: str = ""

    @property
    def guide(self) -> str:
        return STEP_GUIDES.get(self.step.kind, "")

    @property
    def field_name(self) -> str:
        return f"step-{self.step.pk}"


@dataclass
class TaskSheet:
    """A task as one student sees it: the documents, and each step with their answer."""

    task: SourceTask
    documents: list[DocumentView]
    steps: list[StepView]
    submitted_at: datetime.datetime | None = None
    saved_at: datetime.datetime | None = None
    message: str = ""
    error: str = ""
    max_length: int = TASK_ANSWER_MAX_LENGTH

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def task_for(*, module: Module) -> SourceTask | None:
    """The module's task with what its sheet shows: five queries (one when it has none)."""
    documents = TaskDocument.objects.select_related("passage__source", "work").prefetch_related(
        "passage__glossary_terms"
    )
    return (
        SourceTask.objects.filter(module=module)
        .prefetch_related(Prefetch("documents", queryset=documents), "steps")
        .first()
    )


def task_sheet(*, task: SourceTask, user) -> TaskSheet:
    """The sheet for `user` (anyone: a visitor sees the task without answers). One query for
    the editorial notes on the documents (three more when there are some), and one for the
    user's answers when logged in."""
    documents = list(task.documents.all())
    passage_ids = [d.passage_id for d in documents if d.passage_id]
    notes: dict[int, list[EditorialNote]] = {}
    if passage_ids:
        for note in EditorialNote.objects.on_passages(passage_ids).for_display():
            for link in note.target_links:
                notes.setdefault(link.passage_id, []).append(note)
    views = [
        DocumentView(
            document=d,
            marked=(
                mark_passage(
                    text=d.passage.text,
                    terms=d.passage.glossary_terms.all(),
                    corrections=d.passage.corrections,
                )
                if d.passage
                else None
            ),
            notes=tuple(notes.get(d.passage_id, ())),
        )
        for d in documents
    ]
    answers = (
        {a.step_id: a for a in TaskAnswer.objects.filter(step__task=task, student=user)}
        if user.is_authenticated
        else {}
    )
    steps = [
        StepView(step, answers[step.pk].text if step.pk in answers else "")
        for step in task.steps.all()
    ]
    submitted = [a.submitted_at for a in answers.values() if a.submitted_at]
    saved = [a.updated_at for a in answers.values()]
    return TaskSheet(
        task=task,
        documents=views,
        steps=steps,
        submitted_at=min(submitted) if submitted else None,
        saved_at=max(saved) if saved else None,
    )


# --- students' answers ------------------------------------------------------------------------

# Control characters other than tab and line breaks: a pasted NUL or escape code is a
# mistake (or an attack on whoever reads the answer), never part of an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class AnswerRefused(ValueError):
    """The answers cannot be saved at all; `str(error)` is a message for the student."""


def clean_answer_text(text: str) -> str:
    """`text` as stored (line breaks made \\n, ends trimmed); ValueError with a message
    for the student if it is too long or holds control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if _CONTROL.search(text):
        raise ValueError("This answer holds a character that cannot be saved. Please retype it.")
    if len(text) > TASK_ANSWER_MAX_LENGTH:
        raise ValueError(
            f"Keep this answer under {TASK_ANSWER_MAX_LENGTH:,} characters (it has {len(text):,})."
        )
    return text


@dataclass(frozen=True)
class SaveResult:
    errors: dict[int, str]  # step pk -> message
    submitted: bool
    message: str


def save_answers(
    *,
    task: SourceTask,
    student,
    texts: Mapping[int, str],
    submit: bool,
    now: datetime.datetime,
) -> SaveResult:
    """Store the student's answers (step pk -> text) as drafts, and hand the task in when
    `submit` and every step has an answer.

    An answer that cannot be saved keeps its step's stored draft and is reported; the
    others are saved. Raises AnswerRefused when the task was handed in already.
    """
    steps = {step.pk: step for step in task.steps.all()}
    errors: dict[int, str] = {}
    cleaned: dict[int, str] = {}
    for pk, text in texts.items():
        if pk not in steps:
            continue
        try:
            cleaned[pk] = clean_answer_text(text)
        except ValueError as error:
            errors[pk] = str(error)
    with transaction.atomic():
        answers = {
            a.step_id: a for a in TaskAnswer.objects.filter(step__task=task, student=student)
        }
        if any(a.submitted_at for a in answers.values()):
            raise AnswerRefused(
                "You have handed this task in, so your answers can no longer change."
            )
        for pk, text in cleaned.items():
            answer = answers.get(pk)
            if answer is None:
                if not text:
                    continue
                try:
                    with transaction.atomic():
                        answers[pk] = TaskAnswer.objects.create(
                            step_id=pk, student=student, text=text, updated_at=now
                        )
                except IntegrityError:  # the same answer saved from another tab meanwhile
                    answers[pk] = TaskAnswer.objects.get(step_id=pk, student=student)
                    answer = answers[pk]
            if answer is not None and answer.text != text:
                # Only while not handed in: a hand-in from another tab wins.
                TaskAnswer.objects.filter(pk=answer.pk, submitted_at__isnull=True).update(
                    text=text, updated_at=now
                )
                answer.text = text
        if not submit:
            message = "Your answers are saved. You can change them until you hand them in."
            return SaveResult(errors, False, message if not errors else "")
        missing = [pk for pk in steps if not (answers.get(pk) and answers[pk].text)]
        for pk in missing:
            errors.setdefault(pk, "Write an answer to this step before you hand the task in.")
        if errors:
            return SaveResult(errors, False, "")
        TaskAnswer.objects.filter(
            step__task=task, student=student, submitted_at__isnull=True
        ).update(submitted_at=now)
    return SaveResult({}, True, "Handed in. Your teacher can now read your answers.")
