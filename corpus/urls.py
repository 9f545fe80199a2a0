from django.urls import path

from corpus import views

urlpatterns = [
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("search/", views.corpus_search, name="corpus_search"),
    path("glossary/", views.glossary_list, name="glossary_list"),
    path("timeline/", views.timeline, name="timeline"),
]
