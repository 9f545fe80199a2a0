"""The curators' pages for the question bank, under /curation/.

config/urls.py mounts this module and corpus.curation_urls (sources, glossary and timeline,
proposals, notes) in one namespace, `curation`: to a curator they are one set of pages.
"""

from django.urls import path

from quizzes import curation_views as views

app_name = "curation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("questions/<int:pk>/status/", views.set_status, name="status"),
    path("questions/<int:pk>/edit/", views.edit, name="edit"),
    path("questions/<int:pk>/passage-checked/", views.accept_passage, name="accept_passage"),
    path("questions/<int:pk>/report/", views.report_problem, name="report"),
    path("bulk/", views.bulk, name="bulk"),
    path("recompute/", views.recompute, name="recompute"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/resolve/", views.resolve_report, name="resolve"),
    path("export/", views.export, name="export"),
    path("import/", views.import_preview, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("audit/", views.audit_log, name="audit"),
    # A source's questions generated again (the button on the corpus's source page).
    path("sources/<slug:slug>/regenerate/", views.source_regenerate, name="source_regenerate"),
]
