"""The gradebook: a class's students × its assignments, and its CSV export.

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

from django.db.models import Count, Max, Min, Q

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


@dataclass(frozen=True)
class Cell:
    assignment: Assignment
    status: str
    score: int | None = None
    max_score: int | None = None
    attempts: int = 0
    override: QuizOverride | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score)

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


def _status(*, finished: int, open_: int, first_done, due, now) -> str:
    if finished:
        return LATE if due is not None and first_done > due else DONE
    if due is not None and now > due:
        return LATE
    return IN_PROGRESS if open_ else NOT_STARTED


def gradebook(*, school_class: SchoolClass, now: datetime.datetime) -> Gradebook:
    """The class's grid and per-assignment summaries. Four queries."""
    memberships = list(
        school_class.memberships.select_related("student").order_by(
            "student__first_name", "student__username"
        )
    )
    assignments = list(school_class.assignments.select_related("quiz").order_by("created_at", "pk"))
    quiz_ids = [a.quiz_id for a in assignments]
    in_class = Q(user__memberships__school_class=school_class)
    stats = {
        (row["quiz_id"], row["user_id"]): row
        for row in Attempt.objects.filter(in_class, quiz_id__in=quiz_ids)
        .values("quiz_id", "user_id")
        .annotate(
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            open=Count("pk", filter=Q(finished_at__isnull=True)),
            best=Max("score", filter=Q(finished_at__isnull=False)),
            out_of=Max("max_score", filter=Q(finished_at__isnull=False)),
            first_done=Min("finished_at"),
        )
        .order_by()
    }
    overrides = {
        (o.quiz_id, o.user_id): o
        for o in QuizOverride.objects.filter(in_class, quiz_id__in=quiz_ids)
    }
    rows = []
    for membership in memberships:
        cells = []
        for assignment in assignments:
            key = (assignment.quiz_id, membership.student_id)
            row = stats.get(key, {})
            override = overrides.get(key)
            due = assignment.quiz.due_at
            if override and override.due_at and (due is None or override.due_at > due):
                due = override.due_at
            finished = row.get("finished", 0)
            cells.append(
                Cell(
                    assignment=assignment,
                    status=_status(
                        finished=finished,
                        open_=row.get("open", 0),
                        first_done=row.get("first_done"),
                        due=due,
                        now=now,
                    ),
                    score=row.get("best") if finished else None,
                    max_score=row.get("out_of") if finished else None,
                    attempts=finished + row.get("open", 0),
                    override=override,
                )
            )
        rows.append(Row(membership=membership, cells=cells))
    summaries = []
    for index, assignment in enumerate(assignments):
        percents = [r.cells[index].percent for r in rows if r.cells[index].percent is not None]
        summaries.append(
            Summary(
                assignment=assignment,
                completed=len(percents),
                students=len(rows),
                average=round(sum(percents) / len(percents)) if percents else None,
            )
        )
    return Gradebook(
        school_class=school_class, assignments=assignments, rows=rows, summaries=summaries
    )


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
        line = [row.student.get_full_name() or row.student.username, row.student.username]
        for cell in row.cells:
            line += [
                "" if cell.percent is None else cell.percent,
                cell.label,
                cell.accommodation,
            ]
        writer.writerow([spreadsheet_safe(cell) for cell in line])
    return out.getvalue()
