"""The admin is where curators edit lesson text.

A section's body is rendered (citations resolved, Markdown sanitised) in the
form's validation, so a citation that does not resolve is a form error, not a
500; the rendering is stored by `save_model` / `save_formset`, never by a
`save()` override or a signal.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count

from corpus.plumbing.admin_access import SuperuserOnlyAdmin
from lessons.accounts.forms import ThrottledAdminAuthenticationForm
from lessons.models import (
    Assignment,
    Citation,
    Membership,
    Module,
    PasswordChangeRequired,
    Retake,
    SchoolClass,
    Section,
    SourceTask,
    TaskAnswer,
    TaskDocument,
    TaskStep,
)
from lessons.modules.rendering import LessonContentError, render_section_body

# The admin's log-in is throttled like the site's (lessons.accounts.login_throttle).
admin.site.login_form = ThrottledAdminAuthenticationForm


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "slug", "ordinal", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 100})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            self.rendered = render_section_body(body=body)
        except LessonContentError as error:
            raise forms.ValidationError(str(error)) from None
        return body


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    show_change_link = True


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ["kind", "index", "source_slug", "quote", "passage"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # citations come from the body, nowhere else


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "ordinal", "section_count", "source_file", "updated_at"]
    list_editable = ["ordinal"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["timeline_events"]
    readonly_fields = ["source_file", "updated_at"]
    inlines = [SectionInline]
    actions = ["render_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_section_counts()

    @admin.display(ordering="section_count", description="sections")
    def section_count(self, obj: Module) -> int:
        return obj.section_count

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for section_form in formset.forms:
            rendered = getattr(section_form, "rendered", None)
            if rendered is not None and section_form.instance.pk:
                section_form.instance.store_rendering(rendered)

    @admin.action(description="Render again against the current corpus")
    def render_again(self, request, queryset) -> None:
        for module in queryset:
            try:
                module.render_sections()
            except LessonContentError as error:
                self.message_user(request, f"{module}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{module}: rendered again.", messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ["title", "module", "ordinal", "citation_count", "updated_at"]
    list_filter = ["module"]
    list_select_related = ["module"]
    search_fields = ["title", "slug", "body"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_fields(self, request, obj=None):
        return ["module", *SectionForm.Meta.fields]

    @admin.display(ordering="citation_count", description="citations")
    def citation_count(self, obj: Section) -> int:
        return obj.citation_count

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        obj.store_rendering(form.rendered)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["student"]
    extra = 0


@admin.register(SchoolClass)
class SchoolClassAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "join_code", "join_enabled", "student_count", "created_at"]
    list_filter = ["join_enabled"]
    search_fields = ["name", "join_code", "teachers__username"]
    filter_horizontal = ["teachers"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(student_count=Count("memberships"))

    @admin.display(ordering="student_count", description="students")
    def student_count(self, obj: SchoolClass) -> int:
        return obj.student_count

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Students and teachers changed here must gain or lose the class's quizzes too.
        form.instance.sync_audience()


@admin.register(Assignment)
class AssignmentAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "school_class", "module", "created_by", "created_at"]
    list_filter = ["school_class"]
    search_fields = ["title", "school_class__name"]
    raw_id_fields = ["quiz", "created_by"]
    list_select_related = ["school_class", "module", "created_by"]


@admin.register(Retake)
class RetakeAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["assignment", "student", "allowed_by", "created_at"]
    raw_id_fields = ["assignment", "student", "quiz", "allowed_by"]
    list_select_related = ["assignment", "student", "allowed_by"]


@admin.register(PasswordChangeRequired)
class PasswordChangeRequiredAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Accounts that must choose their own password at next log-in (roster imports). Add one
    to make a user change a password a teacher has seen; delete one to lift the requirement."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


# Source-analysis tasks are data files (lessons/content/tasks/*.toml) that load_lessons
# loads, validated as a whole: browsed here, never edited, so a file and its task agree.
class _ReadOnlyTaskInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TaskDocumentInline(_ReadOnlyTaskInline):
    model = TaskDocument
    fields = ["ordinal", "heading", "note", "passage"]


class TaskStepInline(_ReadOnlyTaskInline):
    model = TaskStep
    fields = ["ordinal", "kind", "question", "hints"]


@admin.register(SourceTask)
class SourceTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "source_file"]
    search_fields = ["title", "intro"]
    inlines = [TaskDocumentInline, TaskStepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# A student's written answers: their teachers read them on the class page.
@admin.register(TaskAnswer)
class TaskAnswerAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["student", "step", "submitted_at"]
    search_fields = ["student__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
