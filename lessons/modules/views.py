"""Pages for learners: the home page and the lesson modules, with their end-of-lesson quiz.

Anyone may read a lesson. Each view serves its page, or only its fragment to htmx
(`template#fragment`), and runs a fixed number of queries however many sections or
citations there are. (Sign-up is lessons.accounts.views; the dashboard and joining a
class, lessons.classes.student_views.)
"""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from corpus.plumbing.partials import page_or_partial
from lessons.classes.assignments import module_quiz
from lessons.classes.dashboard import module_mastery
from lessons.models import Citation, Module, Section, module_quiz_key
from lessons.modules.checks import attach_checks
from lessons.modules.editorial import notes_for_module
from lessons.modules.rendering import assemble_module, glossary_for_links
from lessons.modules.source_analysis import task_for, task_sheet


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
        # lessons offers it (lessons.modules.passage_groups), by the key that names this module there.
        review_url = (
            reverse("curation:queue") + "?" + urlencode({"group": module_quiz_key(module.slug)})
        )
    # A student's work on the page: each section's checks for understanding (set on the
    # sections) and the lesson's source-analysis task (lessons.modules.checks, source_analysis).
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
                # Linked as the page is shown, so a curator's glossary edit shows at once.
                glossary=glossary_for_links(),
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
    return redirect("quizzes:quiz_detail", pk=quiz.pk)
