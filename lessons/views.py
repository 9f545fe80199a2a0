"""Pages for learners: the home page and the lesson modules.

Anyone may read a lesson; no view here needs an account. Each view serves its
page, or only its fragment to htmx (`template#fragment`), and runs a fixed
number of queries however many sections and citations a module has.
"""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lessons.models import Citation, Module, Section
from lessons.rendering import assemble_module


def _template(request: HttpRequest, name: str, fragment: str) -> str:
    return f"{name}#{fragment}" if request.htmx else name


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "lessons/home.html", {"modules": Module.objects.with_section_counts()})


@require_GET
def lesson_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        _template(request, "lessons/lesson_list.html", "module-list"),
        {"modules": Module.objects.with_section_counts()},
    )


@require_GET
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    citations = Citation.objects.select_related("passage__source").prefetch_related(
        "passage__glossary_terms"
    )
    sections = Section.objects.prefetch_related(Prefetch("citations", queryset=citations))
    module = get_object_or_404(
        Module.objects.prefetch_related(Prefetch("sections", queryset=sections), "timeline_events"),
        slug=slug,
    )
    course = list(Module.objects.only("slug", "title", "ordinal"))
    position = next(i for i, m in enumerate(course) if m.pk == module.pk)
    return render(
        request,
        _template(request, "lessons/lesson_detail.html", "lesson-article"),
        {
            "module": module,
            "page": assemble_module(sections=module.sections.all()),
            "previous": course[position - 1] if position > 0 else None,
            "next": course[position + 1] if position + 1 < len(course) else None,
            "position": position + 1,
            "course_length": len(course),
        },
    )
