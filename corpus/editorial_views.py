"""The curators' pages for editorial notes and reference works: list, create, edit, delete.

Glue only: the forms check (corpus.forms), corpus.editing saves and audits. Mounted in the
curation pages (quizzes.curation_urls includes corpus.editorial_urls), so the names are
`curation:notes` and so on. Curators only: the model permissions the `curators` group
holds (lessons.accounts), checked before anything else; a refused POST changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from corpus import editing
from corpus.editorial import EditorialDataError
from corpus.forms import NoteForm, WorkForm
from corpus.models import EditorialNote, ReferenceWork

note_editor = permission_required("corpus.change_editorialnote", raise_exception=True)
work_editor = permission_required("corpus.change_referencework", raise_exception=True)


@note_editor
@require_GET
def note_list(request: HttpRequest) -> HttpResponse:
    notes = EditorialNote.objects.order_by("slug")
    return render(request, "curation/editorial_notes.html", {"notes": notes})


def _note_form(request: HttpRequest, *, note: EditorialNote | None) -> HttpResponse:
    form = NoteForm(request.POST or None, note=note)
    if request.method == "POST" and form.is_valid():
        try:
            saved = editing.save_note(entry=form.entry, user=request.user, note=note)
        except (editing.EditingError, EditorialDataError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Note “{saved.title}” saved.")
            return redirect("curation:editorial:notes")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "curation/editorial_note_form.html", {"form": form, "note": note}, status=status
    )


@note_editor
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest) -> HttpResponse:
    return _note_form(request, note=None)


@note_editor
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _note_form(request, note=get_object_or_404(EditorialNote, slug=slug))


@note_editor
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(EditorialNote, slug=slug)
    if request.method == "POST":
        editing.delete_note(note=note, user=request.user)
        messages.success(request, f"Note “{note.title}” deleted.")
        return redirect("curation:editorial:notes")
    return render(
        request,
        "curation/editorial_delete.html",
        {
            "what": "note",
            "label": note.title,
            "slug": note.slug,
            "back": "curation:editorial:notes",
        },
    )


@work_editor
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    works = ReferenceWork.objects.annotate(uses=Count("citations"))
    return render(
        request,
        "curation/editorial_works.html",
        {"works": sorted(works, key=lambda work: work.sort_key)},
    )


def _work_form(request: HttpRequest, *, work: ReferenceWork | None) -> HttpResponse:
    form = WorkForm(request.POST or None, work=work)
    if request.method == "POST" and form.is_valid():
        try:
            saved = editing.save_work(entry=form.entry, user=request.user, work=work)
        except editing.EditingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{saved.cite()} saved.")
            return redirect("curation:editorial:works")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "curation/editorial_work_form.html", {"form": form, "work": work}, status=status
    )


@work_editor
@require_http_methods(["GET", "POST"])
def work_add(request: HttpRequest) -> HttpResponse:
    return _work_form(request, work=None)


@work_editor
@require_http_methods(["GET", "POST"])
def work_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _work_form(request, work=get_object_or_404(ReferenceWork, slug=slug))


@work_editor
@require_http_methods(["GET", "POST"])
def work_delete(request: HttpRequest, slug: str) -> HttpResponse:
    work = get_object_or_404(ReferenceWork, slug=slug)
    context = {"what": "reference work", "label": work.cite(), "slug": work.slug}
    context["back"] = "curation:editorial:works"
    if request.method == "POST":
        try:
            editing.delete_work(work=work, user=request.user)
        except editing.EditingError as error:
            context["error"] = str(error)
            return render(request, "curation/editorial_delete.html", context, status=400)
        messages.success(request, f"{context['label']} deleted.")
        return redirect("curation:editorial:works")
    context["users"] = editing.work_users(work)
    return render(request, "curation/editorial_delete.html", context)
