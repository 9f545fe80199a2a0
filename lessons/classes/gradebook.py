"""The gradebook: a class's students × its assignments, its rows as HTML, its CSV export.

The grid is computed from four queries whatever the size of the class
(memberships, assignments, one aggregate over attempts grouped by quiz and
student, the accommodations), never one per cell. A cell's score is the
student's best finished attempt; its status is:

* not started — no attempt;
* in progress — an attempt open, none finished;
* done — finished on or before the due date (the student's own, after an accommodation);
* late — finished after the due date, or nothing finished and the due date passed.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from corpus.templatetags.people import display_name
from lessons.models import Assignment, Membership, SchoolClass
from quizzes.models import Attempt, QuizOverride

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
LATE = "late"
STATUS_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    LATE: "Late",
}


class Cell(NamedTuple):
    """One student × assignment. A named tuple, not a dataclass: a class of 300 builds
    9,000 of them per page, and a frozen dataclass costs three times as much to make."""

    assignment: Assignment
    status: str
    score: int | None = None
    max_score: int | None = None
    attempts: int = 0
    override: QuizOverride | None = None
    percent: int | None = None  # of the best score, computed once with it

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def accommodation(self) -> str:
        """The accommodation in words, for the marker's tooltip and the CSV."""
        o = self.override
        if o is None:
            return ""
        parts = []
        if o.time_multiplier:
            parts.append(f"time ×{o.time_multiplier.normalize()}")
        if o.extra_minutes:
            parts.append(f"+{o.extra_minutes} min")
        if o.extra_attempts:
            parts.append(f"+{o.extra_attempts} attempt{'s' if o.extra_attempts != 1 else ''}")
        if o.due_at:
            parts.append(f"due {o.due_at:%-d %b %H:%M}")
        return ", ".join(parts)


def _percent(score: int | None, max_score: int | None) -> int | None:
    if score is None or not max_score:
        return None
    return round(100 * score / max_score)


@dataclass(frozen=True)
class Row:
    membership: Membership
    cells: list[Cell]

    @property
    def student(self):
        return self.membership.student


@dataclass(frozen=True)
class Summary:
    assignment: Assignment
    completed: int
    students: int
    average: int | None  # mean percent over students who finished

    @property
    def completion_percent(self) -> int:
        return round(100 * self.completed / self.students) if self.students else 0


@dataclass(frozen=True)
class Gradebook:
    school_class: SchoolClass
    assignments: list[Assignment]
    rows: list[Row]
    summaries: list[Summary]


def _extends_due(quiz_due: datetime.datetime | None, override: QuizOverride | None) -> bool:
    """Whether the accommodation moves the student's due date: Quiz.rules_for's rule
    (a later date extends the quiz's, never adds one), without a query per cell."""
    return (
        override is not None
        and override.due_at is not None
        and quiz_due is not None
        and override.due_at > quiz_due
    )


def gradebook(*, school_class: SchoolClass, now: datetime.datetime) -> Gradebook:
    """The class's grid and per-assignment summaries. Four queries."""
    memberships = list(
        school_class.memberships.select_related("student")
        .only("school_class", "student__username", "student__first_name", "student__last_name")
        .order_by("student__first_name", "student__username")
    )
    assignments = list(school_class.assignments.select_related("quiz").order_by("created_at", "pk"))
    quiz_ids = [a.quiz_id for a in assignments]
    # A subquery, not a join through the user: SQLite then reads the attempts in the
    # order of their (quiz, user) index and groups them without sorting.
    in_class = Q(user_id__in=school_class.memberships.values("student_id"))
    finished = Q(finished_at__isnull=False)
    # (quiz, student) -> (finished, open, best score, out of, finished by the quiz's due
    # date): the database groups a large class's 9,000 attempts and compares their
    # dates; reading 9,000 dates into Python cost more than the rest of the query.
    stats = {
        (row[0], row[1]): row[2:]
        for row in Attempt.objects.filter(in_class, quiz_id__in=quiz_ids)
        .values("quiz_id", "user_id")
        .annotate(
            finished=Count("pk", filter=finished),
            open=Count("pk", filter=Q(finished_at__isnull=True)),
            best=Max("score", filter=finished),
            out_of=Max("max_score", filter=finished),
            on_time=Count("pk", filter=Q(finished_at__lte=F("quiz__due_at"))),
        )
        .values_list("quiz_id", "user_id", "finished", "open", "best", "out_of", "on_time")
        .order_by()
    }
    # An accommodation can move the due date later: its own first finish time decides.
    first_finish = (
        Attempt.objects.filter(quiz_id=OuterRef("quiz_id"), user_id=OuterRef("user_id"))
        .filter(finished)
        .order_by("finished_at")
        .values("finished_at")[:1]
    )
    overrides = {
        (o.quiz_id, o.user_id): o
        for o in QuizOverride.objects.filter(in_class, quiz_id__in=quiz_ids).annotate(
            first_finished_at=Subquery(first_finish)
        )
    }
    columns = [(a, a.quiz_id, a.quiz.due_at) for a in assignments]
    percents: list[list[int]] = [[] for _ in assignments]  # per column, for the summaries
    no_attempt = (0, 0, None, None, 0)
    rows = []
    for membership in memberships:
        student_id = membership.student_id
        cells = []
        for index, (assignment, quiz_id, quiz_due) in enumerate(columns):
            key = (quiz_id, student_id)
            done, open_, best, out_of, on_time = stats.get(key, no_attempt)
            override = overrides.get(key) if overrides else None
            extended = override is not None and _extends_due(quiz_due, override)
            due = override.due_at if extended else quiz_due
            if done:
                if due is None:
                    status = DONE
                elif extended:
                    status = DONE if override.first_finished_at <= due else LATE
                else:
                    status = DONE if on_time else LATE
                percent = _percent(best, out_of)
                if percent is not None:
                    percents[index].append(percent)
            else:
                best = out_of = percent = None
                if due is not None and now > due:
                    status = LATE
                else:
                    status = IN_PROGRESS if open_ else NOT_STARTED
            cells.append(Cell(assignment, status, best, out_of, done + open_, override, percent))
        rows.append(Row(membership=membership, cells=cells))
    summaries = [
        Summary(
            assignment=assignment,
            completed=len(scores),
            students=len(rows),
            average=round(sum(scores) / len(scores)) if scores else None,
        )
        for assignment, scores in zip(assignments, percents, strict=True)
    ]
    return Gradebook(
        school_class=school_class, assignments=assignments, rows=rows, summaries=summaries
    )


# --- HTML ----------------------------------------------------------------------------

# The grid's rows are built here, not in the template: 9,000 cells through the
# template engine (a {% url %}, filters and a dozen lookups each) took 0.6 s of the
# 0.7 s page. The markup is the same; user text (names) goes through `escape`.


def _url_around_pk(viewname: str, *args: int) -> tuple[str, str]:
    """The URL of `viewname` for `args` and one last pk, as the text before and after
    that pk: a cell's link is then `before + str(pk) + after`, reversed once, not per cell."""
    marker = 987654321
    url = reverse(viewname, args=[*args, marker])
    before, _, after = url.rpartition(str(marker))
    return escape(before), escape(after)


def gradebook_rows_html(*, book: Gradebook) -> SafeString:
    """Every student's `<tr>` for templates/lessons/teacher/gradebook.html: their name
    (a link to their work), then per assignment the status, the score and the link to
    add or change an accommodation."""
    class_pk = book.school_class.pk
    student_before, student_after = _url_around_pk("classes:teacher_student", class_pk)
    accommodation_urls = [
        _url_around_pk("classes:teacher_accommodation", class_pk, a.pk) for a in book.assignments
    ]
    opening = {
        status: f'<td class="cell cell-{status}"><span class="cell-status">{escape(label)}</span> '
        for status, label in STATUS_LABELS.items()
    }
    out = []
    for row in book.rows:
        student = row.student
        name = escape(display_name(student))
        pk = str(student.pk)
        out.append(
            f'<tr>\n<th scope="row"><a href="{student_before}{pk}{student_after}">{name}</a></th>\n'
        )
        add = (
            '" class="cell-accommodation"><span class="visually-hidden">Add an accommodation for '
            f'{name}</span><span aria-hidden="true">+</span></a></td>\n'
        )
        for cell, (before, after) in zip(row.cells, accommodation_urls, strict=True):
            score = (
                "" if cell.percent is None else f'<span class="cell-score">{cell.percent}%</span> '
            )
            link = f'{opening[cell.status]}{score}<a href="{before}{pk}{after}'
            if cell.override is None:
                out.append(link + add)
            else:
                words = escape(cell.accommodation)
                out.append(
                    f'{link}" class="cell-accommodation has-accommodation" '
                    f'title="Accommodation: {words}"><span aria-hidden="true">◆</span>'
                    f'<span class="visually-hidden">Accommodation: {words}. Change</span></a></td>\n'
                )
        out.append("</tr>\n")
    # Safe: the markup is ours; names and accommodations went through `escape` above.
    return mark_safe("".join(out))  # noqa: S308  # nosec


# --- CSV -----------------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula: a student
# named "=HYPERLINK(...)" must arrive as text (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def gradebook_csv(*, book: Gradebook) -> str:
    """The grid as CSV text with a byte-order mark, so Excel reads it as UTF-8.

    One row per student: name, username, then per assignment its score (a
    percentage) and status, and the accommodation if there is one.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    header = ["Student", "Username"]
    for assignment in book.assignments:
        header += [
            f"{assignment.title} — score %",
            f"{assignment.title} — status",
            f"{assignment.title} — accommodation",
        ]
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in book.rows:
        student = row.student
        line = [spreadsheet_safe(display_name(student))]
        line.append(spreadsheet_safe(student.username))
        for cell in row.cells:
            # A percentage and a status label never start like a formula; an
            # accommodation can ("+5 min").
            line += [
                "" if cell.percent is None else cell.percent,
                STATUS_LABELS[cell.status],
                "" if cell.override is None else spreadsheet_safe(cell.accommodation),
            ]
        writer.writerow(line)
    return out.getvalue()
