"""The curators' pages for notes and reference works, mounted by corpus.curation_urls
under /curation/editorial/, so in the `curation:editorial` namespace
(`curation:editorial:notes`...)."""

from django.urls import path

from corpus import editorial_views as views

app_name = "editorial"

urlpatterns = [
    path("notes/", views.note_list, name="notes"),
    path("notes/new/", views.note_add, name="note_add"),
    path("notes/<slug:slug>/", views.note_edit, name="note_edit"),
    path("notes/<slug:slug>/delete/", views.note_delete, name="note_delete"),
    path("works/", views.work_list, name="works"),
    path("works/new/", views.work_add, name="work_add"),
    path("works/<slug:slug>/", views.work_edit, name="work_edit"),
    path("works/<slug:slug>/delete/", views.work_delete, name="work_delete"),
]
