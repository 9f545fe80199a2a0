"""The curators' pages for the corpus, under /curation/ beside the question bank's.

config/urls.py mounts this module and quizzes.curation_urls in one namespace, `curation`
(`curation:sources`, `curation:queue`): to a curator they are one set of pages.
"""

from django.urls import include, path

from corpus import curation_views as views

app_name = "curation"

urlpatterns = [
    path("sources/", views.source_list, name="sources"),
    path("sources/upload/", views.source_upload, name="source_upload"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("reference/<str:which>/", views.reference_edit, name="reference"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    # Editorial notes and reference works.
    path("editorial/", include("corpus.editorial_urls")),
]
