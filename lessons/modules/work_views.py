"""A student's work on a lesson page, and their teacher's reading of it.

* `lesson_check`: answer one of a section's checks for understanding. With htmx the card
  is swapped for its feedback; a plain POST redirects back to the card's anchor, where
  the lesson page shows the feedback.
* `lesson_task`: the lesson's source-analysis task on a page of its own (GET), and saving
  or handing in the written answers (POST: htmx swaps the task; a plain POST redirects to
  the lesson, or shows this page again with what was typed when something was refused).
* `class_written_answers`: a class's handed-in answers, for that class's teachers only.

Logic lives in lessons.modules.checks and lessons.modules.source_analysis; these views parse, call, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from corpus.plumbing.params import whole_number
from lessons.classes.teacher_views import teacher_required
from lessons.models import Citation, Module, Section, SourceTask, TaskAnswer
from lessons.modules.checks import CheckCard, answer_check, lesson_checks
from lessons.modules.source_analysis import AnswerRefused, save_answers, task_for, task_sheet
from quizzes.grading import InvalidAnswer


@login_required
@require_POST
def lesson_check(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    citations = Citation.objects.only("section_id", "kind", "passage_id")
    sections = list(
        Section.objects.filter(module=module)
        .only("slug", "module_id")
        .prefetch_related(Prefetch("citations", queryset=citations))
    )
    if not any(s.slug == section for s in sections):
        raise Http404("No such section.")
    chosen = lesson_checks(module=module, sections=sections)
    question_id = whole_number(request.POST.get("question"))
    found = [(n, q) for n, q in enumerate(chosen[section], 1) if q.pk == question_id]
    if not found:
        messages.error(request, "That question is no longer one of this section's checks.")
        return _back_to(request, module, f"#{section}")
    number, question = found[0]
    card = CheckCard(module, section, question, number, focus=bool(request.htmx))
    try:
        card.response = answer_check(
            module=module,
            chosen=chosen,
            question=question,
            user=request.user,
            choice=request.POST.getlist("choice"),
            now=timezone.now(),
        )
    except InvalidAnswer as error:
        card.error = str(error)
        if not request.htmx:
            messages.error(request, str(error))
    if request.htmx:
        return render(request, "lessons/_check.html", {"check": card})
    return redirect(module.get_absolute_url() + f"#{card.anchor}")


def _back_to(request: HttpRequest, module: Module, anchor: str) -> HttpResponse:
    url = module.get_absolute_url() + anchor
    if request.htmx:
        # A stale card: reload the lesson so the page shows the section's current checks.
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_http_methods(["GET", "POST"])
def lesson_task(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    task = task_for(module=module)
    if task is None:
        raise Http404("This lesson has no source-analysis task yet.")
    if request.method == "GET":
        sheet = task_sheet(task=task, user=request.user)
        return render(request, "lessons/task_page.html", {"module": module, "sheet": sheet})
    if not request.user.is_authenticated:
        return redirect(f"{module.get_absolute_url()}#source-task")
    return _save_task(request, module, task)


def _save_task(request: HttpRequest, module: Module, task: SourceTask) -> HttpResponse:
    texts = {
        step.pk: request.POST[f"step-{step.pk}"]
        for step in task.steps.all()
        if f"step-{step.pk}" in request.POST
    }
    submit = request.POST.get("action") == "submit"
    try:
        result = save_answers(
            task=task, student=request.user, texts=texts, submit=submit, now=timezone.now()
        )
        refused = ""
    except AnswerRefused as error:
        result, refused = None, str(error)
    sheet = task_sheet(task=task, user=request.user)
    if result is not None and result.errors:
        # What was typed stays on the page, with the reason beside each refused step.
        for view in sheet.steps:
            view.text = texts.get(view.step.pk, view.text)
            view.error = result.errors.get(view.step.pk, "")
        sheet.error = "Some answers need your attention before they can be saved or handed in."
    elif result is not None:
        sheet.message = result.message
    else:
        sheet.error = refused
    if request.htmx:
        return render(request, "lessons/_source_task.html", {"module": module, "sheet": sheet})
    if sheet.error and result is not None:
        # As a Django form shown again with its errors: the page, what was typed, why.
        return render(request, "lessons/task_page.html", {"module": module, "sheet": sheet})
    if sheet.error:
        messages.error(request, sheet.error)
    else:
        messages.success(request, sheet.message)
    return redirect(f"{module.get_absolute_url()}#source-task")


@teacher_required
@require_GET
def class_written_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers a class's students handed in, one lesson's task at a time."""
    school_class = get_object_or_404(request.user.taught_classes, pk=pk)
    tasks = list(SourceTask.objects.select_related("module").order_by("module__ordinal", "pk"))
    wanted = request.GET.get("lesson", "")
    task = next((t for t in tasks if t.module.slug == wanted), tasks[0] if tasks else None)
    rows, waiting = [], []
    if task is not None:
        steps = list(task.steps.all())
        answers = (
            TaskAnswer.objects.filter(
                step__task=task,
                submitted_at__isnull=False,
                student__memberships__school_class=school_class,
            )
            .select_related("student")
            .order_by("student__first_name", "student__username", "student_id")
        )
        by_student: dict[int, dict] = {}
        for answer in answers:
            row = by_student.setdefault(
                answer.student_id,
                {"student": answer.student, "submitted_at": answer.submitted_at, "answers": {}},
            )
            row["answers"][answer.step_id] = answer.text
        rows = [
            {**row, "steps": [(step, row["answers"].get(step.pk, "")) for step in steps]}
            for row in by_student.values()
        ]
        members = school_class.memberships.select_related("student").order_by(
            "student__first_name", "student__username"
        )
        waiting = [m.student for m in members if m.student_id not in by_student]
    return render(
        request,
        "lessons/teacher/written_answers.html",
        {
            "school_class": school_class,
            "tasks": tasks,
            "task": task,
            "rows": rows,
            "waiting": waiting,
        },
    )
