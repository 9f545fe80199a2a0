"""Admin for the question bank: any change a curator saves here locks the question
against regeneration (see Question.curator_locked)."""

from django.contrib import admin
from django.utils import timezone

from quizzes.models import (
    Attempt,
    GenerationRun,
    Question,
    Quiz,
    QuizItem,
    QuizOverride,
    Response,
    ReviewCard,
)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["stem", "type", "status", "quality_score", "difficulty", "curator_locked"]
    list_filter = ["status", "type", "difficulty", "curator_locked", "generator"]
    search_fields = ["stem", "fingerprint"]
    raw_id_fields = ["passage", "extra_citations"]
    readonly_fields = [
        "fingerprint",
        "generator",
        "generator_version",
        "created_at",
        "updated_at",
        "edited_at",
    ]
    actions = ["publish", "retire"]

    def save_model(self, request, obj, form, change):
        # A curator's edit is never overwritten by regeneration.
        if change:
            obj.curator_locked = True
            obj.edited_at = timezone.now()
            obj.version += 1
        super().save_model(request, obj, form, change)

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


# --- Quizzes and what students did with them -----------------------------------------
# Attempts, responses and review cards are records of students' work: the admin
# shows them for support and inspection and edits nothing that would change a score.


class QuizItemInline(admin.TabularInline):
    model = QuizItem
    extra = 0
    raw_id_fields = ["question"]
    ordering = ["position"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "mode", "due_at", "reveal_answers", "owner"]
    list_filter = ["kind", "mode", "reveal_answers"]
    search_fields = ["title", "key"]
    raw_id_fields = ["owner", "source"]
    inlines = [QuizItemInline]


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
class AttemptAdmin(admin.ModelAdmin):
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
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "is_correct", "answered_at"]
    list_filter = ["is_correct"]
    list_select_related = ["attempt__user", "attempt__quiz", "question"]
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "due_at", "reviews", "lapses", "last_reviewed_at"]
    search_fields = ["user__username"]
    list_select_related = ["user", "question"]
    readonly_fields = [f.name for f in ReviewCard._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(QuizOverride)
class QuizOverrideAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "time_multiplier", "extra_minutes", "extra_attempts", "due_at"]
    list_select_related = ["quiz", "user"]
    search_fields = ["quiz__title", "user__username", "note"]
    raw_id_fields = ["quiz", "user"]
