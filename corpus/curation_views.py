"""The curators' pages for the corpus: sources (upload, errata), the glossary and timeline as
text, and the proposed terms and events found in documents.

Glue only: the forms check (corpus.forms), corpus.curation saves, audits and lets the
question bank follow. Mounted in the curation pages (`curation:sources`...), beside the
question bank's (quizzes.curation_views). Curators only: the corpus's model permissions the
`curators` group holds (lessons.accounts), checked before anything else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpus import curation
from corpus.forms import CuratedTextForm, ProposalDecisionForm, SourceUploadForm
from corpus.models import Proposal, Source
from corpus.plumbing import params
from corpus.proposals import ProposalError

source_editor = permission_required("corpus.change_source", raise_exception=True)
source_adder = permission_required(
    ["corpus.add_source", "corpus.change_source"], raise_exception=True
)
reference_editor = permission_required(
    ["corpus.change_glossaryterm", "corpus.change_timelineevent"], raise_exception=True
)
proposal_editor = permission_required("corpus.change_proposal", raise_exception=True)


# --- sources ----------------------------------------------------------------------------------


@source_editor
@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.select_related("work").with_passage_counts()
    return render(
        request, "curation/sources.html", {"sources": sources, "form": SourceUploadForm()}
    )


@source_adder
@require_POST
def source_upload(request: HttpRequest) -> HttpResponse:
    form = SourceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            source = curation.upload_source(
                user=request.user, name=upload.name, data=upload.read(), **data
            )
        except curation.CurationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Imported {source.title}; its questions are in the queue.")
            return redirect(f"{reverse('curation:queue')}?source={source.slug}")
    sources = Source.objects.select_related("work").with_passage_counts()
    return render(request, "curation/sources.html", {"sources": sources, "form": form}, status=400)


@source_editor
@require_http_methods(["GET", "POST"])
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("work"), slug=slug)
    current, base = curation.errata_page(source=source)
    form = CuratedTextForm(request.POST or None, initial={"text": current, "base": base})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            curation.save_errata(
                source=source,
                text=form.cleaned_data["text"],
                base=form.cleaned_data["base"],
                user=request.user,
            )
        except curation.CurationError as error:
            form.add_error("text", str(error))
            status = 400
        else:
            messages.success(request, f"Errata saved and {source.title} re-ingested.")
            return redirect("curation:source", slug=slug)
    passages = source.passages.current().order_by("ordinal")
    context = {"source": source, "passages": passages, "form": form}
    return render(request, "curation/source_detail.html", context, status=status)


# --- glossary and timeline --------------------------------------------------------------------


@reference_editor
@require_http_methods(["GET", "POST"])
def reference_edit(request: HttpRequest, which: str) -> HttpResponse:
    try:
        shown = curation.reference_page(which=which)
    except curation.CurationError:
        return render(request, "404.html", status=404)
    form = CuratedTextForm(request.POST or None, initial={"text": shown.text, "base": shown.base})
    form.fields["text"].label = f"The {which} (TOML)"
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = curation.save_reference_text(
                which=which,
                text=form.cleaned_data["text"],
                base=form.cleaned_data["base"],
                user=request.user,
            )
        except curation.CurationError as error:
            form.add_error("text", str(error))
            status = 400
        else:
            done = (
                f"{len(saved)} entr{'y' if len(saved) == 1 else 'ies'} saved"
                if saved
                else "No change"
            )
            messages.success(request, f"The {which}: {done}.")
            return redirect("curation:reference", which=which)
    return render(request, "curation/reference.html", {"form": form, "which": which}, status=status)


# --- proposed glossary terms and timeline events ----------------------------------------------


@proposal_editor
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Proposal.Status.PROPOSED)
    if status not in ("", *Proposal.Status.values):
        status = Proposal.Status.PROPOSED
    page = params.requested_page(request.GET)
    rows, total = curation.proposal_page(status=status, page=page)
    page, pages = params.page_span(page, total=total, size=curation.PROPOSALS_PAGE_SIZE)
    context = {
        "rows": rows,
        "total": total,
        "status": status,
        "statuses": Proposal.Status.choices,
        "page": page,
        "pages": pages,
        "next": request.get_full_path(),
    }
    return render(request, "curation/proposals.html", context)


@proposal_editor
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("source"), pk=pk)
    form = ProposalDecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        data = form.cleaned_data
        try:
            if data["action"] == "approve":
                created = curation.approve_proposal(
                    proposal=proposal,
                    user=request.user,
                    name=data["name"],
                    description=data["description"],
                    role=data["role"],
                    date=data["date"],
                    precision=data["precision"],
                )
                done = f"Approved {proposal.name}: {created} new question(s)."
            else:
                curation.reject_proposal(proposal=proposal, user=request.user)
                done = f"Rejected {proposal.name}."
        except ProposalError as exc:
            error = str(exc)
    if request.htmx:
        context = {"p": proposal, "error": error, "next": _back_to_proposals(request)}
        return render(request, "curation/_proposal_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_back_to_proposals(request))


def _back_to_proposals(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    # Only a path: redirect() would take a bare word such as "x" for a view name (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("curation:proposals")
