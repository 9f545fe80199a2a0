"""Admin for the question bank: any change a curator saves here locks the question
against regeneration (see Question.curator_locked)."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from corpus.models import AuditEntry
from corpus.plumbing.admin_access import DateHierarchyGuard, SuperuserOnlyAdmin
from quizzes import revision
from quizzes.curation import bulk_set_status
from quizzes.models import (
    Attempt,
    Audience,
    GenerationRun,
    ItemStatistics,
    ProblemReport,
    Question,
    QuestionVersion,
    Quiz,
    QuizItem,
    QuizOverride,
    Response,
    ReviewCard,
)


class QuestionAdminForm(forms.ModelForm):
    """The question's fields, checked by the one validator before anything is saved
    (quizzes.validation, through revision.check): distinct options, a key among them, a
    stem, no markup."""

    class Meta:
        model = Question
        fields = "__all__"  # noqa: DJ007 (the admin's own choice of fields and read-only ones)

    def clean(self) -> dict:
        data = super().clean()
        wording = {name: data[name] for name in revision.WORDING if name in data}
        wording["explanation_quote"] = data.get("explanation_quote", "")
        reason = revision.check(
            question=self.instance if self.instance.pk else None, wording=wording
        )
        if reason:
            raise forms.ValidationError(f"This question cannot be saved: {reason}.")
        return data


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = [
        "stem",
        "type",
        "status",
        "quality_score",
        "difficulty",
        "curator_locked",
        "test_only",
    ]
    list_filter = ["status", "type", "difficulty", "curator_locked", "generator"]
    search_fields = ["stem", "fingerprint"]
    raw_id_fields = ["passage", "extra_citations"]
    readonly_fields = [
        "fingerprint",
        "generator",
        "generator_version",
        "version",  # raised by quizzes.revision alone, with the old wording kept
        "created_at",
        "updated_at",
        "edited_at",
    ]
    actions = ["publish", "retire"]

    @admin.display(boolean=True, description="Test only")
    def test_only(self, obj) -> bool:
        # The bank's split (Question.is_test_only): practice never shows these.
        return obj.is_test_only

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The one way a question changes (quizzes.revision): locked against regeneration,
        # the old wording kept for past answers, a new version only when the wording
        # changed, audited. Many-to-many fields follow in save_related, as usual.
        concrete = {f.name for f in Question._meta.concrete_fields}
        changed = [name for name in form.changed_data if name in concrete]
        revision.revise(
            question=obj,
            user=request.user,
            action="question.admin_edit",
            wording={k: form.cleaned_data[k] for k in changed if k in revision.WORDING},
            also={k: form.cleaned_data[k] for k in changed if k not in revision.WORDING},
        )

    @admin.action(description="Publish (and lock against regeneration)")
    def publish(self, request, queryset):
        queryset.update(
            status=Question.Status.PUBLISHED, curator_locked=True, edited_at=timezone.now()
        )

    @admin.action(description="Retire (and lock against regeneration)")
    def retire(self, request, queryset):
        queryset.update(
            status=Question.Status.RETIRED, curator_locked=True, edited_at=timezone.now()
        )


@admin.register(GenerationRun)
class GenerationRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "seed",
        "candidates",
        "created",
        "updated",
        "retired",
        "published",
    ]
    readonly_fields = [f.name for f in GenerationRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        # Runs are written by generate_questions; an empty one cannot be saved (no seed).
        return False


# --- Quizzes and what students did with them -----------------------------------------
# Attempts, responses and review cards are records of students' work: the admin
# shows them for support and inspection and edits nothing that would change a score.


class QuizItemInline(admin.TabularInline):
    model = QuizItem
    extra = 0
    raw_id_fields = ["question"]
    ordering = ["position"]


@admin.register(Quiz)
class QuizAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "mode", "due_at", "reveal_answers", "draw_count", "owner"]
    list_filter = ["kind", "mode", "reveal_answers"]
    search_fields = ["title", "key"]
    raw_id_fields = ["owner", "source", "audience"]
    inlines = [QuizItemInline]


@admin.register(Audience)
class AudienceAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Read-only: lessons keeps each class's audience in step with the class (edit the class)."""

    list_display = ["__str__", "name"]
    search_fields = ["name"]
    readonly_fields = ["name", "members"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    can_delete = False
    fields = ["question", "answer", "is_correct", "answered_at"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "user",
        "quiz",
        "number",
        "mode",
        "started_at",
        "finished_at",
        "score",
        "max_score",
    ]
    list_filter = ["mode", "closed_by_deadline"]
    search_fields = ["user__username", "quiz__title"]
    list_select_related = ["user", "quiz"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False


@admin.register(Response)
class ResponseAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["attempt", "question", "is_correct", "answered_at"]
    list_filter = ["is_correct"]
    list_select_related = ["attempt__user", "attempt__quiz", "question"]
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["user", "question", "due_at", "reviews", "lapses", "last_reviewed_at"]
    search_fields = ["user__username"]
    list_select_related = ["user", "question"]
    readonly_fields = [f.name for f in ReviewCard._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(QuizOverride)
class QuizOverrideAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["quiz", "user", "time_multiplier", "extra_minutes", "extra_attempts", "due_at"]
    list_select_related = ["quiz", "user"]
    search_fields = ["quiz__title", "user__username", "note"]
    raw_id_fields = ["quiz", "user"]


# --- Curation: versions, reports, statistics ---------------------------------------------------


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    list_display = ["question", "version", "created_at", "created_by"]
    search_fields = ["stem", "question__stem"]
    list_select_related = ["question", "created_by"]
    readonly_fields = [f.name for f in QuestionVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A question's history, like the audit log: not for curators to delete.
        return request.user.is_superuser


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["question", "reason", "user", "created_at", "resolved_at", "resolution"]
    list_filter = ["reason", "resolution", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["comment", "question__stem", "user__username"]
    list_select_related = ["question", "user"]
    raw_id_fields = ["question", "user", "resolved_by"]


@admin.register(ItemStatistics)
class ItemStatisticsAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "responses",
        "facility",
        "discrimination",
        "low_facility",
        "high_facility",
        "negative_discrimination",
    ]
    list_filter = ["low_facility", "high_facility", "negative_discrimination"]
    search_fields = ["question__stem"]
    list_select_related = ["question"]
    readonly_fields = [f.name for f in ItemStatistics._meta.fields]

    def has_add_permission(self, request):
        return False


# corpus/admin.py belongs to the corpus app's owner; the audit log is shown here
# (read-only) so every model is in the admin. Curators read it at /curation/audit/.
@admin.register(AuditEntry)
class AuditEntryAdmin(DateHierarchyGuard, admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "action", "object_label"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of what curators changed: not theirs to delete (superusers may).
        return request.user.is_superuser


class CuratedQuestionAdmin(QuestionAdmin):
    """The question admin, whose actions record decisions as the curation pages do."""

    @admin.action(description="Publish (and lock against regeneration)")
    def publish(self, request, queryset):
        bulk_set_status(queryset=queryset, user=request.user, status=Question.Status.PUBLISHED)

    @admin.action(description="Retire (and lock against regeneration)")
    def retire(self, request, queryset):
        bulk_set_status(queryset=queryset, user=request.user, status=Question.Status.RETIRED)


admin.site.unregister(Question)
admin.site.register(Question, CuratedQuestionAdmin)
