"""The reader: sources, search, glossary, timeline."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from corpus.models import GlossaryTerm, Source, TimelineEvent, Work


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    works = Work.objects.prefetch_related("sources")
    return render(request, "corpus/source_list.html", {"works": works})


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("work"), slug=slug)
    return render(
        request,
        "corpus/source_detail.html",
        {"source": source, "passages": source.passages.all()},
    )


@require_GET
def corpus_search(request: HttpRequest) -> HttpResponse:
    return render(request, "corpus/search.html", {"query": request.GET.get("q", "")})


@require_GET
def glossary_list(request: HttpRequest) -> HttpResponse:
    return render(request, "corpus/glossary_list.html", {"terms": GlossaryTerm.objects.all()})


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "corpus/timeline.html", {"events": TimelineEvent.objects.all()})
