from django.urls import path

from corpus import views

app_name = "corpus"

urlpatterns = [
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path(
        "sources/<slug:slug>/passages/<slug:key>/",
        views.passage_detail,
        name="passage_detail",
    ),
    path("search/", views.corpus_search, name="corpus_search"),
    path("glossary/", views.glossary_list, name="glossary_list"),
    path("glossary/<slug:slug>/", views.glossary_detail, name="glossary_detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("compare/", views.compare_renderings, name="compare_renderings"),
    path("compare/testament/", views.compare_testament, name="compare_testament"),
]
