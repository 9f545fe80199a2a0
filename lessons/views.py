"""Pages for learners: the home page, the lesson modules, sign-up and the dashboard.

Anyone may read a lesson; the dashboard and joining a class need an account,
and their queries start from `request.user`, so a student only ever sees their
own results. Each view serves its page, or only its fragment to htmx
(`template#fragment`), and runs a fixed number of queries however many
sections, citations, attempts or responses there are.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpus.partials import page_or_partial
from lessons.abuse import CodeAttempts, signup_refusal
from lessons.accounts import sign_up_student, start_page_for
from lessons.assignments import module_quiz, student_assignments, student_retakes
from lessons.checks import attach_checks
from lessons.dashboard import module_mastery, student_classes, student_dashboard
from lessons.editorial import notes_for_module
from lessons.forms import JoinClassForm, SignupForm, ThrottledAuthenticationForm
from lessons.models import Citation, Module, Section, module_quiz_key
from lessons.rendering import assemble_module
from lessons.source_analysis import task_for, task_sheet
from quizzes.progress import attempt_history

ATTEMPTS_PER_PAGE = 10


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    modules = list(Module.objects.with_section_counts())
    if request.user.is_authenticated:
        mastery = module_mastery(user=request.user, modules=modules, now=timezone.now())
    else:
        mastery = [None] * len(modules)
    return render(
        request,
        "lessons/home.html",
        {"modules": modules, "cards": list(zip(modules, mastery, strict=True))},
    )


@require_GET
def lesson_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        page_or_partial(request, "lessons/lesson_list.html", "module-list"),
        {"modules": Module.objects.with_section_counts()},
    )


@require_GET
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    citations = Citation.objects.select_related("passage__source", "work").prefetch_related(
        "passage__glossary_terms"
    )
    sections = Section.objects.prefetch_related(Prefetch("citations", queryset=citations))
    module = get_object_or_404(
        Module.objects.prefetch_related(Prefetch("sections", queryset=sections), "timeline_events"),
        slug=slug,
    )
    course = list(Module.objects.only("slug", "title", "ordinal"))
    position = next(i for i, m in enumerate(course) if m.pk == module.pk)
    review_url = ""
    if request.user.is_staff:
        # Curators review "this lesson's questions": the queue's lesson filter, which
        # lessons offers it (lessons.curation), by the key that names this module there.
        review_url = (
            reverse("curation:queue") + "?" + urlencode({"group": module_quiz_key(module.slug)})
        )
    # A student's work on the page: each section's checks for understanding (set on the
    # sections) and the lesson's source-analysis task (lessons.checks, source_analysis).
    attach_checks(module=module, sections=module.sections.all(), user=request.user)
    task = task_for(module=module)
    return render(
        request,
        page_or_partial(request, "lessons/lesson_detail.html", "lesson-article"),
        {
            "module": module,
            "task_sheet": task_sheet(task=task, user=request.user) if task else None,
            "page": assemble_module(
                sections=module.sections.all(),
                editorial=notes_for_module(
                    module_slug=module.slug,
                    passage_ids={
                        c.passage_id
                        for section in module.sections.all()
                        for c in section.citations.all()
                        if c.kind == Citation.Kind.EXCERPT
                    },
                ),
                lesson=module.slug,
            ),
            "previous": course[position - 1] if position > 0 else None,
            "next": course[position + 1] if position + 1 < len(course) else None,
            "position": position + 1,
            "course_length": len(course),
            "review_url": review_url,
        },
    )


@require_POST
def lesson_quiz(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the module's end-of-lesson quiz, building it on first use.

    Built here rather than on the lesson page so reading a lesson costs no
    query for the quiz; `quiz_for_passages` finds the quiz by its key after
    the first time.
    """
    quiz = module_quiz(get_object_or_404(Module, slug=slug))
    return redirect("quiz_detail", pk=quiz.pk)


class LoginView(auth_views.LoginView):
    """Django's log-in page, landing each role on its own start page (student: dashboard,
    teacher: classes, curator: review queue). A ?next= still wins when Django finds it
    safe (same host), as in the stock view."""

    authentication_form = ThrottledAuthenticationForm  # lessons.login_throttle

    def get_default_redirect_url(self) -> str:
        return start_page_for(self.request.user)

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="throttled"):
            response.status_code = 429  # Too Many Requests: the page says how long to wait
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    # A teacher may hand out a link with the code in it: /accounts/signup/?code=...
    form = SignupForm(
        request.POST or None,
        initial={"join_code": request.GET.get("code", "")},
        attempts=CodeAttempts.of(request),
    )
    if request.method == "POST" and form.is_valid():
        school_class = form.cleaned_data["join_code"]
        refusal = signup_refusal(request=request, class_id=school_class.pk)
        if refusal:
            form.add_error(None, forms.ValidationError(refusal, code="throttled"))
        else:
            try:
                user = sign_up_student(
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                    school_class=school_class,
                )
            except IntegrityError:  # the same username signed up a moment ago
                form.add_error("username", "A user with that username already exists.")
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, f"Welcome, {user.first_name}! You have joined {school_class}."
                )
                return redirect("dashboard")
    status = 429 if throttled(form) else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


def throttled(form) -> bool:
    """Whether a form was refused by a rate limit (lessons.abuse): a 429, not a 200."""
    return form.is_bound and any(
        error.code == "throttled" for errors in form.errors.as_data().values() for error in errors
    )


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
            return redirect("dashboard")
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
