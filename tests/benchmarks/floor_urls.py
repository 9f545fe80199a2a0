"""The framework floor: one view rendering a question-card-sized template, no database."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

OPTIONS = [
    {"id": f"o{n}", "text": f"Option {n}: a plausible answer of ordinary length", "position": n}
    for n in range(1, 5)
]


def floor(request: HttpRequest) -> HttpResponse:
    context = {
        "title": "Which congress heard the Secret Speech?",
        "stem": "On 25 February 1956 Khrushchev spoke to a closed session of which congress?",
        "options": OPTIONS,
        "position": 3,
        "total": 10,
        "answered": 2,
    }
    return render(request, "benchmarks/floor.html", context)


urlpatterns = [path("floor/", floor, name="floor")]
