"""The question bank: questions generated from the corpus, and the runs that made them.

A question is rendered from `stem` and `options`; the key (`answer`) is kept in
its own field so a view can send a question to the browser without it.
`fingerprint` identifies what a question tests (type, passage key, answer,
blanked span), not how it is worded, so regeneration updates a question in
place instead of adding a copy, and never touches one a curator has locked.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from corpus.models import Passage, Source, Work


class QuestionQuerySet(models.QuerySet):
    def published(self) -> QuestionQuerySet:
        # A question whose passage was deleted (its source removed) is no
        # longer grounded in the corpus, so it is never asked.
        return self.filter(status=Question.Status.PUBLISHED, passage__isnull=False)

    def citing(self, passage: Passage) -> QuestionQuerySet:
        return self.filter(Q(passage=passage) | Q(extra_citations=passage)).distinct()

    def of_type(self, *types: str) -> QuestionQuerySet:
        return self.filter(type__in=types)

    def generated(self) -> QuestionQuerySet:
        """Questions regeneration may still change: not locked by a curator."""
        return self.filter(curator_locked=False)


class Question(models.Model):
    class Type(models.TextChoices):
        CLOZE_QUANTITY = "cloze_quantity", "Cloze: figure"
        CLOZE_DATE = "cloze_date", "Cloze: date"
        CLOZE_NAME = "cloze_name", "Cloze: name"
        WHO_WHAT_WHEN = "who_what_when", "Who / what / when"
        TRUE_FALSE = "true_false", "True or false"
        QUOTE_ATTRIBUTION = "quote_attribution", "Quote attribution"
        SOURCE_ATTRIBUTION = "source_attribution", "Source attribution"
        CHRONOLOGY = "chronology", "Chronology"
        COMPARE_RENDERINGS = "compare_renderings", "Compare renderings"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NEEDS_REVIEW = "needs_review", "Needs review"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    type = models.CharField(max_length=24, choices=Type.choices)
    stem = models.TextField()
    options = models.JSONField(
        default=list,
        help_text='Rendered choices: [{"id": "a", "text": "..."}]; for chronology the items to order.',
    )
    answer = models.JSONField(
        default=list,
        help_text="The key: correct option id(s); for chronology the ids in order. Never rendered.",
    )
    explanation = models.TextField(blank=True, help_text="Why the answer is right, in words.")
    explanation_quote = models.TextField(blank=True, help_text="Text quoted from the passage.")
    highlight_start = models.PositiveIntegerField(null=True, blank=True)
    highlight_end = models.PositiveIntegerField(null=True, blank=True)
    # SET_NULL, not PROTECT: a re-ingest retires passages (is_current=False)
    # rather than deleting them, so a delete only happens when a curator
    # removes a whole source; that must not be blocked by the bank, and the
    # question keeps its quoted text and is no longer published.
    passage = models.ForeignKey(
        Passage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    extra_citations = models.ManyToManyField(Passage, related_name="questions_citing", blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    work = models.ForeignKey(
        Work, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    generator = models.CharField(max_length=60, blank=True, help_text="Empty for hand-written.")
    generator_version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    quality_score = models.FloatField(default=0.0)
    difficulty = models.CharField(
        max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    fingerprint = models.CharField(max_length=64, unique=True)
    curator_locked = models.BooleanField(
        default=False,
        help_text="Set by any curator edit or decision; regeneration never changes this question.",
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["type", "id"]
        indexes = [
            models.Index(fields=["status", "type"], name="question_status_type"),
            models.Index(fields=["type"], name="question_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quality_score__gte=0) & Q(quality_score__lte=1),
                name="question_quality_score_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.stem[:60]}"

    @property
    def highlighted_quote(self) -> tuple[str, str, str]:
        """The quote split around the highlight, for a template to escape and mark up."""
        quote = self.explanation_quote
        if self.highlight_start is None or self.highlight_end is None:
            return quote, "", ""
        return (
            quote[: self.highlight_start],
            quote[self.highlight_start : self.highlight_end],
            quote[self.highlight_end :],
        )

    def correct_texts(self) -> list[str]:
        by_id = {option["id"]: option["text"] for option in self.options}
        return [by_id[option_id] for option_id in self.answer if option_id in by_id]


class GenerationRun(models.Model):
    """One run of generate_questions: what it considered, made and rejected (for the report)."""

    started_at = models.DateTimeField(auto_now_add=True)
    seed = models.IntegerField()
    sources = models.JSONField(default=list, blank=True, help_text="Slugs; empty means all.")
    candidates = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    locked_skipped = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    published = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=dict, blank=True, help_text="{reason: count}.")
    rejection_samples = models.JSONField(
        default=list, blank=True, help_text="A few rejected candidates per reason, for curators."
    )
    duration_seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} (seed {self.seed}) at {self.started_at:%Y-%m-%d %H:%M}"
