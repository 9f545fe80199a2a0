"""The curators' pages for the question bank: the review queue, reports, statistics,
exchange, the audit log, and a source's questions generated again.

Views are glue: parse, call quizzes.curation / reports / statistics, render.
Every page and action needs `quizzes.change_question` (curators), except the
"Report a problem" form, which any logged-in student may post for a question
they were shown. An htmx request gets a fragment; a plain POST redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpus.models import AuditEntry, Source
from corpus.plumbing import audit, params
from quizzes import curation, exchange, passage_groups, reports, statistics
from quizzes.forms import (
    BulkActionForm,
    ImportUploadForm,
    QuestionEditForm,
    QueueFilterForm,
    ReportForm,
    ResolveReportForm,
)
from quizzes.models import ProblemReport, Question

curator_required = permission_required("quizzes.change_question", raise_exception=True)
_IMPORT_KEY = "curation_import"
_EXT = {"json": "json", "gift": "gift.txt", "moodle-xml": "xml"}
_TYPES = {"json": "application/json", "gift": "text/plain", "moodle-xml": "application/xml"}


def _queue_query(request: HttpRequest) -> QueryDict:
    """The queue's filters: a curator opening the queue comes to review, so with no filter
    chosen it shows what needs review ("Any status" is one choice away). Pagination and bulk
    actions carry the filters explicitly, so they act on exactly the rows shown."""
    return request.GET if request.GET else QueryDict(f"status={Question.Status.NEEDS_REVIEW}")


def _filters(request: HttpRequest) -> tuple[QueueFilterForm, curation.QueueFilters]:
    sources = list(Source.objects.values_list("slug", "title"))
    form = QueueFilterForm(
        _queue_query(request),
        sources=sources,
        flags=curation.FLAGS,
        groups=passage_groups.passage_groups(),
    )
    if form.is_valid():
        return form, curation.QueueFilters(**form.filters())
    return form, curation.QueueFilters()


def _query(request: HttpRequest) -> str:
    query = _queue_query(request).copy()
    query.pop("page", None)
    return query.urlencode()


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() would take a bare word such as "x" for a view name (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("curation:queue")


def _row(request: HttpRequest, question: Question, **extra) -> HttpResponse:
    question = curation.filter_queue(
        filters=curation.QueueFilters(), queryset=Question.objects.filter(pk=question.pk)
    ).select_related("passage", "source", "statistics")[0]
    context = {"q": question, "next": _back(request), "min_responses": statistics.MIN_RESPONSES}
    return render(request, "curation/_row.html", {**context, **extra})


@curator_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = params.requested_page(request.GET)
    rows, total = curation.queue_page(filters=filters, page=page)
    page, pages = params.page_span(page, total=total, size=curation.PAGE_SIZE)
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "query": _query(request),
        "next": request.get_full_path(),
        "min_responses": statistics.MIN_RESPONSES,  # flags wait for this many answers
    }
    return render(request, "curation/queue.html", context)


@curator_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    try:
        curation.set_status(
            question=question, user=request.user, status=request.POST.get("status", "")
        )
    except curation.CurationError as error:
        if request.htmx:
            return _row(request, question, error=str(error))
        messages.error(request, str(error))
        return redirect(_back(request))
    if request.htmx:
        return _row(request, question)
    messages.success(request, f"Question {pk} is now {question.get_status_display().lower()}.")
    return redirect(_back(request))


@curator_required
@require_POST
def accept_passage(request: HttpRequest, pk: int) -> HttpResponse:
    question = curation.accept_passage(
        question=get_object_or_404(Question, pk=pk), user=request.user
    )
    if request.htmx:
        return _row(request, question)
    return redirect(_back(request))


@curator_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("passage", "source"), pk=pk)
    form = QuestionEditForm(request.POST or None, question=question)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            curation.edit_question(question=question, user=request.user, **form.edited())
        except curation.CurationError as exc:
            error = str(exc)
        else:
            if request.htmx:
                return _row(request, question)
            messages.success(request, f"Question {pk} saved as version {question.version}.")
            return redirect(_back(request))
    template = "curation/_row_edit.html" if request.htmx else "curation/edit.html"
    context = {"q": question, "form": form, "error": error, "next": _back(request)}
    return render(request, template, context, status=200 if request.htmx or not error else 400)


@curator_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    action = BulkActionForm(request.POST)
    if not action.is_valid():
        messages.error(request, "Choose publish or retire.")
        return redirect(f"{reverse('curation:queue')}?{_query(request)}")
    selection = curation.filter_queue(filters=filters)
    status = action.cleaned_data["action"]
    if not action.cleaned_data["confirm"]:
        context = {
            "count": selection.exclude(status=status).count(),
            "action": status,
            "query": _query(request),
        }
        return render(request, "curation/bulk_confirm.html", context)
    count = curation.bulk_set_status(queryset=selection, user=request.user, status=status)
    messages.success(request, f"{count} question{'s' if count != 1 else ''} {status}.")
    return redirect(f"{reverse('curation:queue')}?{_query(request)}")


@curator_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    count = statistics.update_item_statistics()
    messages.success(request, f"Statistics recomputed for {count} question(s).")
    return redirect(_back(request))


# --- student reports --------------------------------------------------------------------------


@login_required
@require_POST
def report_problem(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = ReportForm(request.POST)
    message, ok = "Choose what is wrong with the question.", False
    if form.is_valid():
        try:
            reports.submit_report(user=request.user, question=question, **form.cleaned_data)
            message, ok = "Thank you: a curator will look at this question.", True
        except reports.ReportError as error:
            message = str(error)
    if request.htmx:
        context = {"question": question, "report_message": message, "report_ok": ok, "form": form}
        return render(request, "quizzes/_report_problem.html", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect(_back(request))


@curator_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    qs = ProblemReport.objects.select_related("question", "user", "resolved_by")
    if show != "all":
        qs = qs.open()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "resolve_form": ResolveReportForm()}
    return render(request, "curation/reports.html", context)


@curator_required
@require_POST
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProblemReport, pk=pk)
    form = ResolveReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the report was resolved.")
        return redirect(_back(request))
    try:
        reports.resolve_report(report=report, user=request.user, **form.cleaned_data)
        messages.success(request, f"Report on question {report.question_id} resolved.")
    except reports.ReportError as error:
        messages.error(request, str(error))
    return redirect(_back(request))


# --- exchange ---------------------------------------------------------------------------------


@curator_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "moodle-xml")
    if fmt not in exchange.FORMATS:
        messages.error(request, f"Unknown format {fmt!r}.")
        return redirect("curation:queue")
    if request.GET.get("scope") == "filtered":
        _form, filters = _filters(request)
        questions = curation.filter_queue(filters=filters).select_related(
            "passage__source", "source", "work"
        )
    else:
        questions = Question.objects.published().select_related("passage__source", "source", "work")
    body = exchange.export_questions(questions=questions, fmt=fmt)
    response = HttpResponse(body, content_type=f"{_TYPES[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thaw-questions.{_EXT[fmt]}"'
    return response


@curator_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > exchange.MAX_BYTES:
            context["error"] = (
                f"File is too large ({upload.size:,} bytes; the limit is {exchange.MAX_BYTES:,})."
            )
        else:
            data = upload.read()
            try:
                context["preview"] = exchange.import_questions(data=data, dry_run=True)
            except exchange.ExchangeError as error:
                context["error"] = str(error)
            else:
                context["name"] = upload.name
                # A file with a rejected question cannot be imported (all or nothing):
                # it is not kept for the confirmation.
                if not context["preview"].rejected:
                    request.session[_IMPORT_KEY] = {
                        "name": upload.name,
                        "data": curation.encode_upload(data),
                    }
    refused = context.get("error") or (context.get("preview") and context["preview"].rejected)
    status = 400 if refused else 200
    return render(request, "curation/import.html", context, status=status)


@curator_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(_IMPORT_KEY, None)
    if not pending:
        messages.error(request, "Upload the file again: there is no import waiting.")
        return redirect("curation:import")
    try:
        preview = curation.import_bank(
            data=curation.decode_upload(pending["data"]), user=request.user
        )
    except exchange.ExchangeError as error:
        messages.error(request, str(error))
        return redirect("curation:import")
    messages.success(
        request,
        f"Imported {pending['name']}: {len(preview.added)} added, {len(preview.updated)} updated.",
    )
    return redirect(f"{reverse('curation:queue')}?status=needs_review")


# --- audit ------------------------------------------------------------------------------------


@curator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(AuditEntry.objects.all(), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.lines = audit.change_lines(entry.changes)  # field, before → after
    return render(request, "curation/audit.html", {"page": page})


# --- a source's questions ---------------------------------------------------------------------


@curator_required
@require_POST
def source_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    run = curation.regenerate_source(source=source, user=request.user)
    messages.success(
        request,
        f"Regenerated: {run.created} new, {run.updated} updated, {run.locked_skipped} locked left alone.",
    )
    return redirect(f"{reverse('curation:queue')}?source={slug}")
