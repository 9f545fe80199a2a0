from django.urls import include, path

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
    path("sources/", views.source_list, name="sources"),
    path("sources/upload/", views.source_upload, name="source_upload"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("sources/<slug:slug>/regenerate/", views.source_regenerate, name="source_regenerate"),
    path("reference/<str:which>/", views.reference_edit, name="reference"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    # Editorial notes and reference works: corpus's pages, in the curators' namespace.
    path("editorial/", include("corpus.editorial_urls")),
]
