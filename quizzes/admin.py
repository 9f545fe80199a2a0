"""Admin for the question bank: any change a curator saves here locks the question
against regeneration (see Question.curator_locked)."""

from django.contrib import admin
from django.utils import timezone

from quizzes.models import GenerationRun, Question


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
