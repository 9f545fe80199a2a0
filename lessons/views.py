"""Pages for learners: the home page, lessons (issue: lessons)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from corpus.models import Work


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    works = Work.objects.prefetch_related("sources")
    return render(request, "lessons/home.html", {"works": works})
