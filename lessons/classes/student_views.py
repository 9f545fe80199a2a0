"""A student's pages about their classes: the dashboard (classes, assignments, progress,
past attempts) and joining a class with its code.

Queries start from `request.user`, so a student only ever sees their own results.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lessons.accounts.abuse import CodeAttempts, throttled
from lessons.classes.assignments import student_assignments, student_retakes
from lessons.classes.dashboard import student_classes, student_dashboard
from lessons.classes.forms import JoinClassForm
from quizzes.progress import attempt_history

ATTEMPTS_PER_PAGE = 10


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    attempts = Paginator(attempt_history(user=request.user), ATTEMPTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if request.htmx:
        # Paging through the history swaps the table alone.
        return render(request, "lessons/dashboard.html#attempt-history", {"attempts": attempts})
    return _render_dashboard(
        request, attempts=attempts, join_form=JoinClassForm(student=request.user)
    )


@login_required
@require_POST
def class_join(request: HttpRequest) -> HttpResponse:
    form = JoinClassForm(request.POST, student=request.user, attempts=CodeAttempts.of(request))
    joined = None
    if form.is_valid():
        joined = form.cleaned_data["join_code"]
        joined.add_student(request.user)
        if not request.htmx:
            messages.success(request, f"You have joined {joined}.")
            return redirect("classes:dashboard")
        form = JoinClassForm(student=request.user)
    elif not request.htmx:
        attempts = Paginator(attempt_history(user=request.user), ATTEMPTS_PER_PAGE).get_page(1)
        response = _render_dashboard(request, attempts=attempts, join_form=form)
        if throttled(form):  # htmx swaps only a 2xx, so its fragment keeps 200
            response.status_code = 429
        return response
    return render(
        request,
        "lessons/dashboard.html#class-list",
        {
            "classes": student_classes(user=request.user),
            "assigned": student_assignments(user=request.user, now=timezone.now()),
            "retakes": student_retakes(user=request.user),
            "join_form": form,
            "joined": joined,
        },
    )


def _render_dashboard(request: HttpRequest, *, attempts, join_form: JoinClassForm) -> HttpResponse:
    board = student_dashboard(user=request.user, now=timezone.now())
    return render(
        request,
        "lessons/dashboard.html",
        {
            "board": board,
            "classes": board.classes,
            "assigned": board.assigned,
            "retakes": board.retakes,
            "attempts": attempts,
            "join_form": join_form,
        },
    )
