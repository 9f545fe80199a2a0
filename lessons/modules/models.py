"""Lesson modules: text written from the sources, every fact citing a passage.

A *module* is one lesson (the Secret Speech, the leak, the resolution, the
aftermath); it is split into *sections*. A section's `body` is Markdown with
three directives of our own (docs/lesson-format.md):

* `[^source-slug: "exact short quote"]` cites a passage (a numbered link);
* `{{ excerpt source="source-slug" quote="..." }}` embeds a passage's text;
* `[[Name]]` or `[[shown text|term-slug]]` marks a glossary term.

Citations and excerpts are resolved to passages when the body is rendered
(`Section.render_body`) and stored as `Citation` rows; the stored `html`
keeps a placeholder where each goes, so the page shows the passage's
*current* text and numbers citations across the whole module on view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from corpus.models import Passage, ReferenceWork, TimelineEvent


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def module_quiz_key(slug: str) -> str:
    """The key (`Quiz.key`) of a lesson's end-of-lesson quiz, and of its passage group in the
    curation queue. Lessons names it; quizzes only stores and looks it up."""
    return f"module:{slug}"


class ModuleQuerySet(models.QuerySet):
    def with_section_counts(self) -> ModuleQuerySet:
        # Meta.ordering is dropped from GROUP BY queries, so order explicitly.
        return self.annotate(section_count=models.Count("sections", distinct=True)).order_by(
            "ordinal", "title"
        )


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    ordinal = models.PositiveIntegerField(default=0, help_text="Order in the course.")
    summary = models.TextField(blank=True, help_text="One or two sentences for the module card.")
    objectives = models.TextField(
        blank=True, help_text="Learning objectives, one per line (plain text)."
    )
    prompts = models.TextField(
        blank=True, help_text="Discussion prompts, one per line (plain text)."
    )
    timeline_events = models.ManyToManyField(
        TimelineEvent,
        related_name="modules",
        blank=True,
        help_text="Events shown in the module's timeline strip.",
    )
    source_file = models.CharField(
        max_length=200, blank=True, help_text="File under lessons/content/ it was loaded from."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["ordinal", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("modules:lesson_detail", kwargs={"slug": self.slug})

    @property
    def objective_list(self) -> list[str]:
        return _lines(self.objectives)

    @property
    def prompt_list(self) -> list[str]:
        return _lines(self.prompts)

    @transaction.atomic
    def render_sections(self) -> None:
        """Re-render every section (after a curator's edit or a corpus change)."""
        for section in self.sections.all():
            section.render_body()


class Section(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(max_length=80, help_text="Anchor of the section on the page.")
    title = models.CharField(max_length=200)
    ordinal = models.PositiveIntegerField(default=0)
    body = models.TextField(help_text="Markdown with citations; see docs/lesson-format.md.")
    html = models.TextField(
        blank=True, editable=False, help_text="Sanitised HTML rendered from the body."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "slug"], name="section_slug_unique_in_module"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title}: {self.title}"

    @transaction.atomic
    def render_body(self) -> None:
        """Resolve the body's citations and store its HTML and Citation rows.

        Raises lessons.modules.rendering.LessonContentError (and writes nothing) when a
        citation, excerpt or glossary term does not resolve.
        """
        from lessons.modules.rendering import render_section_body

        rendered = render_section_body(body=self.body)
        self.store_rendering(rendered)

    @transaction.atomic
    def store_rendering(self, rendered) -> bool:
        """Save a RenderedBody; returns whether anything changed (no write if not)."""
        wanted = [
            (
                ref.kind,
                ref.index,
                ref.passage.pk if ref.passage else None,
                ref.work.pk if ref.work else None,
                ref.source,
                ref.quote,
            )
            for ref in rendered.refs
        ]
        changed = False
        if self.html != rendered.html or self._state.adding:
            self.html = rendered.html
            self.save()
            changed = True
        existing = [
            (c.kind, c.index, c.passage_id, c.work_id, c.source_slug, c.quote)
            for c in self.citations.order_by("kind", "index")
        ]
        if sorted(wanted, key=str) != sorted(existing, key=str):
            self.citations.all().delete()
            Citation.objects.bulk_create(
                Citation(
                    section=self,
                    kind=kind,
                    index=index,
                    passage_id=passage_id,
                    work_id=work_id,
                    source_slug=source,
                    quote=quote,
                )
                for kind, index, passage_id, work_id, source, quote in wanted
            )
            changed = True
        return changed


class Citation(models.Model):
    """A passage a section cites (a numbered note) or embeds (an excerpt), or a reference
    work it cites at a locator (`[^ref:work-slug: "p. 12"]`: `source_slug` is then the
    work's slug and `quote` the locator)."""

    class Kind(models.TextChoices):
        NOTE = "note", "Citation"
        EXCERPT = "excerpt", "Excerpt"
        REF = "ref", "Reference work"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="citations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    index = models.PositiveIntegerField(help_text="Position among the section's refs of its kind.")
    # PROTECT: a cited passage must not vanish under a lesson; the ingest retires
    # passages (is_current=False) instead of deleting them, so this only stops a
    # careless delete in the admin.
    passage = models.ForeignKey(
        Passage,
        on_delete=models.PROTECT,
        related_name="lesson_citations",
        null=True,
        blank=True,
    )
    # PROTECT too: a work a lesson cites cannot be deleted from under it.
    work = models.ForeignKey(
        ReferenceWork,
        on_delete=models.PROTECT,
        related_name="lesson_citations",
        null=True,
        blank=True,
    )
    source_slug = models.SlugField(max_length=80)
    quote = models.CharField(max_length=500)

    class Meta:
        ordering = ["section", "kind", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "kind", "index"], name="citation_unique_in_section"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="ref", work__isnull=False, passage__isnull=True)
                    | (~models.Q(kind="ref") & models.Q(passage__isnull=False, work__isnull=True))
                ),
                name="citation_cites_a_passage_or_a_work",
            ),
        ]

    def __str__(self) -> str:
        return f'{self.source_slug}: "{self.quote}"'


# --- Source-analysis tasks: reading a lesson's sources like a historian ------------------
#
# One task per lesson, written as data (lessons/content/tasks/<lesson>.toml, loaded by
# load_lessons through lessons.modules.source_analysis): documents set side by side, and four
# scaffolded steps in the manner of the Stanford History Education Group's "Reading Like
# a Historian". Students answer each step in writing; the class's teachers read the
# answers (lessons.modules.work_views). Nothing here is graded.

# About a page of handwriting: room for a reasoned paragraph, not for a pasted source.
TASK_ANSWER_MAX_LENGTH = 3000


class SourceTask(models.Model):
    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="source_task")
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="What the student will do (plain text).")
    source_file = models.CharField(
        max_length=200,
        blank=True,
        help_text="File under lessons/content/tasks/ it was loaded from.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module"]

    def __str__(self) -> str:
        return f"{self.module.title}: {self.title}"


class TaskDocument(models.Model):
    """A document of a task: a passage shown in full, or one short line quoted from a
    reference work (a memoir or a study the corpus does not hold), with its citation."""

    task = models.ForeignKey(SourceTask, on_delete=models.CASCADE, related_name="documents")
    ordinal = models.PositiveIntegerField()
    heading = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="Head note: what the document is (plain text).")
    # PROTECT, as for a lesson's citations: the ingest retires passages, never deletes them.
    passage = models.ForeignKey(
        Passage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_documents",
    )
    work = models.ForeignKey(
        ReferenceWork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_documents",
    )
    source_slug = models.SlugField(max_length=80, help_text="The source's or the work's slug.")
    quote = models.CharField(
        max_length=500, help_text="Picks the passage; for a work, the line shown."
    )
    at = models.CharField(max_length=200, blank=True, help_text="For a work: page or section.")

    class Meta:
        ordering = ["task", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "ordinal"], name="task_document_unique_ordinal"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(passage__isnull=False, work__isnull=True)
                    | models.Q(passage__isnull=True, work__isnull=False)
                ),
                name="task_document_is_a_passage_or_a_work",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def letter(self) -> str:
        """The letter (A, B, ...) the steps use for the document."""
        return chr(ord("A") + self.ordinal - 1)


class TaskStep(models.Model):
    class Kind(models.TextChoices):
        SOURCING = "sourcing", "Sourcing"
        CONTEXTUALIZATION = "contextualization", "Contextualization"
        CORROBORATION = "corroboration", "Corroboration"
        CLOSE_READING = "close_reading", "Close reading"

    task = models.ForeignKey(SourceTask, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ordinal = models.PositiveIntegerField()
    question = models.TextField()
    hints = models.TextField(blank=True, help_text="Hints, one per line (plain text).")

    class Meta:
        ordering = ["task", "ordinal"]
        constraints = [
            # Answers hang on a step: reloading a task updates its steps in place.
            models.UniqueConstraint(fields=["task", "kind"], name="task_step_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_kind_display()}"

    @property
    def hint_list(self) -> list[str]:
        return _lines(self.hints)


class TaskAnswer(models.Model):
    """A student's written answer to one step: a draft until they hand the task in, then
    fixed (`submitted_at`)."""

    step = models.ForeignKey(TaskStep, on_delete=models.CASCADE, related_name="answers")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_answers"
    )
    text = models.TextField(max_length=TASK_ANSWER_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step", "student"]
        constraints = [
            models.UniqueConstraint(fields=["step", "student"], name="task_answer_one_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.step}"
