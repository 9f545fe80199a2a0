"""A teacher's changes to an assignment already set: its rules, a later due date for the
whole class, deleting it. The same access rules as lessons.classes.teacher_views (the class from
the teacher's own classes, so another teacher's assignment is a 404); the logic is in
lessons.classes.assignments."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lessons.classes import assignments as teaching
from lessons.classes.forms import AssignmentEditForm, ExtendForm

# The teachers' pages' own access checks: one home for who may open which assignment.
from lessons.classes.teacher_views import _assignment, teacher_required


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    form = AssignmentEditForm(
        request.POST or None, initial=AssignmentEditForm.initial_for(assignment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = teaching.update_assignment(
                assignment=assignment, title=form.cleaned_data["title"], rules=form.rules()
            )
        except teaching.AssignmentError as error:
            form.add_error(None, str(error))
        else:
            said = ", ".join(changed) if changed else "nothing (it was as you left it)"
            messages.success(request, f"“{assignment.title}” saved: changed {said}.")
            return redirect("classes:teacher_class", pk=pk)
    return render(
        request,
        "lessons/teacher/assignment_edit.html",
        {"school_class": assignment.school_class, "assignment": assignment, "form": form},
        status=400 if form.errors else 200,
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_extend(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    current = assignment.quiz.due_at
    # Offered: a day past the later of the current date and now.
    start = max(current, timezone.now()) if current else timezone.now()
    suggested = timezone.localtime(start + datetime.timedelta(days=1)).replace(second=0)
    form = ExtendForm(request.POST or None, current=current, initial={"due_at": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            reopened = teaching.extend_assignment(
                assignment=assignment, due_at=form.cleaned_data["due_at"]
            )
        except teaching.AssignmentError as error:
            form.add_error("due_at", str(error))
        else:
            when = f"{timezone.localtime(form.cleaned_data['due_at']):%-d %B at %H:%M}"
            back = (
                f" {reopened} student{'s' if reopened != 1 else ''} who had not handed it in "
                f"can start it again."
                if reopened
                else ""
            )
            messages.success(request, f"“{assignment.title}” is now due {when} for everyone.{back}")
            return redirect("classes:teacher_class", pk=pk)
    return render(
        request,
        "lessons/teacher/assignment_extend.html",
        {"school_class": assignment.school_class, "assignment": assignment, "form": form},
        status=400 if form.errors else 200,
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """GET says what deleting takes with it; POST deletes."""
    assignment = _assignment(request, pk, assignment_pk)
    if request.method == "POST":
        impact = teaching.delete_assignment(assignment=assignment)
        attempts = impact.finished + impact.open
        gone = f" with {attempts} attempt{'s' if attempts != 1 else ''}" if attempts else ""
        messages.success(request, f"“{assignment.title}” was deleted{gone}.")
        return redirect("classes:teacher_class", pk=pk)
    return render(
        request,
        "lessons/teacher/assignment_delete.html",
        {
            "school_class": assignment.school_class,
            "assignment": assignment,
            "impact": teaching.deletion_impact(assignment=assignment),
        },
    )
