"""The Django admin is the curators' editing tool for the corpus."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from corpus.models import (
    Curated,
    EditorialDeletion,
    EditorialNote,
    GlossaryTerm,
    NoteLessonTarget,
    NotePassage,
    Passage,
    Proposal,
    ReferenceCitation,
    ReferenceWork,
    Source,
    SourceErrata,
    SourceFile,
    TimelineEvent,
    Work,
)
from corpus.plumbing.admin_access import DateHierarchyGuard


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


class TermReferenceInline(admin.TabularInline):
    # Reference works come from glossary.toml (`references`), like the citations.
    model = ReferenceCitation
    fk_name = "term"
    fields = ["work", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventReferenceInline(TermReferenceInline):
    fk_name = "event"


class _CuratedLast(admin.ModelAdmin):
    """A curated row's bookkeeping (corpus.models.Curated) after what the row says, where
    the form has always shown it: an abstract base's fields come first in a model."""

    def get_fields(self, request, obj=None) -> list[str]:
        fields = super().get_fields(request, obj)
        last = {field.name for field in Curated._meta.local_fields}
        return [f for f in fields if f not in last] + [f for f in fields if f in last]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(_CuratedLast):
    list_display = ["name", "kind", "role"]
    list_filter = ["kind", "role"]
    search_fields = ["name", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["citations", "mentions"]
    inlines = [TermReferenceInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(DateHierarchyGuard, _CuratedLast):
    list_display = ["title", "date", "precision"]
    list_filter = ["precision"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    raw_id_fields = ["citations"]
    filter_horizontal = ["terms"]
    inlines = [EventReferenceInline]


# --- Editorial notes and reference works ------------------------------------------------
# Browsed here; edited on the curation pages (corpus.editorial_views), where a note is
# checked as its data file would be (quotations resolved, slugs known), marked as edited in
# the app so load_corpus keeps it, and audited. Editing rows here would skip all three.


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NotePassageInline(_ReadOnlyInline):
    model = NotePassage
    fields = ["role", "passage", "quote", "position"]


class NoteReferenceInline(_ReadOnlyInline):
    model = ReferenceCitation
    fields = ["work", "at", "position"]
    fk_name = "note"


class NoteLessonInline(_ReadOnlyInline):
    model = NoteLessonTarget
    fields = ["lesson", "quote"]


@admin.register(EditorialNote)
class EditorialNoteAdmin(_CuratedLast, _ReadOnly):
    list_display = ["title", "kind", "slug", "file", "curator_edited_at", "edit_link"]
    list_filter = ["kind", "file"]
    search_fields = ["slug", "title", "body", "claim", "correct"]
    inlines = [NotePassageInline, NoteReferenceInline, NoteLessonInline]

    @admin.display(description="edit")
    def edit_link(self, obj: EditorialNote) -> str:
        url = reverse("curation:editorial:note_edit", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">Edit on the curation page</a>', url)


@admin.register(ReferenceWork)
class ReferenceWorkAdmin(_CuratedLast, _ReadOnly):
    list_display = ["__str__", "kind", "year", "slug", "file", "curator_edited_at", "edit_link"]
    list_filter = ["kind", "file"]
    search_fields = ["slug", "title", "authors", "issuer", "container", "note"]

    @admin.display(description="edit")
    def edit_link(self, obj: ReferenceWork) -> str:
        url = reverse("curation:editorial:work_edit", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">Edit on the curation page</a>', url)


@admin.register(EditorialDeletion)
class EditorialDeletionAdmin(_ReadOnly):
    """Deleted in the app, still in a data file: `export_corpus --editorial` drops them."""

    list_display = ["what", "slug", "deleted_at"]
    list_filter = ["what"]
    search_fields = ["slug"]


# Proposals are decided on the curators' proposals page (corpus.proposals: approving one
# writes its entry and makes its questions, audited); here they are only browsed.
@admin.register(Proposal)
class ProposalAdmin(_ReadOnly):
    list_display = ["name", "kind", "status", "source"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["name", "quote"]


# A source's uploaded text and its errata are edited on the curation pages (corpus.editing:
# validated, re-ingested and audited as one step); here they are only browsed.
@admin.register(SourceFile)
class SourceFileAdmin(_ReadOnly):
    list_display = ["source", "name"]
    search_fields = ["source__slug", "name"]


@admin.register(SourceErrata)
class SourceErrataAdmin(_ReadOnly):
    list_display = ["source", "curator_edited_at", "updated_at"]
    search_fields = ["source__slug"]
