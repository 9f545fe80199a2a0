"""The Django admin is the curators' editing tool for the corpus."""

from django.contrib import admin
from django.db import models

from corpus.models import GlossaryTerm, Passage, Source, TimelineEvent, Work


class SourceInline(admin.TabularInline):
    model = Source
    fields = ["slug", "title", "kind", "date"]
    show_change_link = True
    extra = 0


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "ordinal"]
    list_filter = ["kind"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SourceInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "work", "kind", "date", "language", "passage_count"]
    list_filter = ["work", "kind", "language"]
    search_fields = ["title", "slug", "author", "citation"]
    readonly_fields = ["content_hash", "updated_at"]
    # Django 6's default, chosen now: a bare "example.org" means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("work").with_passage_counts()

    @admin.display(ordering="passage_count", description="passages")
    def passage_count(self, obj: Source) -> int:
        return obj.passage_count


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "kind", "quality", "section", "page_label", "is_current"]
    list_filter = ["source", "kind", "quality", "is_current"]
    search_fields = ["text", "key", "section"]
    list_select_related = ["source"]
    readonly_fields = ["key", "corrections", "text_changed_at"]
    list_per_page = 50


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role"]
    list_filter = ["kind", "role"]
    search_fields = ["name", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["citations", "mentions"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "precision"]
    list_filter = ["precision"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    raw_id_fields = ["citations"]
    filter_horizontal = ["terms"]
