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

import secrets

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
        return reverse("lesson_detail", kwargs={"slug": self.slug})

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

        Raises lessons.rendering.LessonContentError (and writes nothing) when a
        citation, excerpt or glossary term does not resolve.
        """
        from lessons.rendering import render_section_body

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


# --- Classes: a teacher's group of students, joined with a code ----------------------
#
# A student is any user with a Membership; a class's teachers are users (in the
# `teachers` group) linked through `teachers`. Assignments (below) link a class to its
# own copy of a quiz; lessons/assignments.py and lessons/gradebook.py work on them.

# No 0/O or 1/I: a code is read off a projector and typed by a thirteen-year-old.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def generate_join_code() -> str:
    """A random join code: 8 characters from an alphabet without look-alikes (32**8 codes)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(text: str) -> str:
    """What a student typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")


class SchoolClassQuerySet(models.QuerySet):
    def joined_by(self, user) -> SchoolClassQuerySet:
        return self.filter(memberships__student=user)


class SchoolClass(models.Model):
    name = models.CharField(max_length=200)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_classes", blank=True
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="school_classes",
        blank=True,
    )
    join_code = models.CharField(
        max_length=16,
        unique=True,
        default=generate_join_code,
        help_text="Students type it to join; upper case, no spaces.",
    )
    join_enabled = models.BooleanField(
        default=True, help_text="Untick to stop new students joining with the code."
    )
    # Who may see and start the class's assignment quizzes (docs/decisions.md,
    # "Assignment quizzes have an audience"): its students and teachers, kept in
    # step by add_student, remove_student, add_co_teacher and sync_audience.
    audience = models.OneToOneField(
        "quizzes.Audience",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="school_class",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def add_student(self, student) -> Membership:
        """Make `student` a member; joining twice keeps the first membership.

        They join the class's quiz audience too, so they can take every assignment,
        the ones set before they joined included."""
        membership, _ = Membership.objects.get_or_create(school_class=self, student=student)
        self.quiz_audience().members.add(student)
        return membership

    def quiz_audience(self):
        """The audience of the class's assignment quizzes, made (with the class's
        students and teachers) the first time it is needed."""
        if self.audience_id is None:
            self.sync_audience()
        return self.audience

    @transaction.atomic
    def sync_audience(self):
        """Make the audience's members exactly the class's students and teachers.

        For a class made without one (the admin, a fixture) and after a change made
        outside the domain functions (the admin's membership inline)."""
        from quizzes.models import Audience

        if self.audience_id is None:
            audience = Audience.objects.create(name=f"Class {self.pk}")
            # Conditional: if another request gave the class an audience meanwhile, use it.
            if SchoolClass.objects.filter(pk=self.pk, audience__isnull=True).update(
                audience=audience
            ):
                self.audience = audience
            else:
                audience.delete()
                self.refresh_from_db(fields=["audience"])
        wanted = set(self.memberships.values_list("student_id", flat=True))
        wanted |= set(self.teachers.values_list("pk", flat=True))
        left = set(self.audience.members.values_list("pk", flat=True)) - wanted
        self.audience.members.set(wanted)
        if left:
            # As remove_student does: whoever left closes the attempts open at its quizzes.
            from django.utils import timezone

            from quizzes.taking import close_on_leaving

            close_on_leaving(
                audience_id=self.audience_id, user_ids=sorted(left), now=timezone.now()
            )
        return self.audience


class Membership(models.Model):
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="memberships"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school_class", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "student"], name="membership_unique_student"
            ),
        ]
        # Curators get this one (lessons.accounts.CURATOR_PERMISSIONS), and none about
        # classes; teachers get a named few, never this one.
        permissions = [
            ("delete_student_account", "Can delete a student's account and all their data"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.school_class}"


# --- Assignments: a class's quiz (or lesson plus its quiz), with its own rules ------------
#
# The rules (dates, mode, attempts, time limit, reveal) live on the Quiz, so
# each assignment gets its own Quiz row holding a copy of the chosen questions:
# two classes given the same lesson can have different due dates.


class AssignmentQuerySet(models.QuerySet):
    def for_student(self, user) -> AssignmentQuerySet:
        return self.filter(school_class__memberships__student=user)


class Assignment(models.Model):
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="assignments"
    )
    quiz = models.OneToOneField("quizzes.Quiz", on_delete=models.CASCADE, related_name="assignment")
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        help_text="Set when a lesson is assigned: read it, then take its quiz.",
    )
    title = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["school_class", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_class})"


class Retake(models.Model):
    """A teacher's permission for one student to retake the questions they missed.

    The quiz (kind "retake", owned by the student) is built when the teacher
    allows it, so what it asks is fixed from then on."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="retakes")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retakes"
    )
    quiz = models.OneToOneField("quizzes.Quiz", on_delete=models.CASCADE, related_name="retake")
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retakes_allowed",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "student", "created_at"]

    def __str__(self) -> str:
        return f"Retake: {self.student} · {self.assignment.title}"


class PasswordChangeRequired(models.Model):
    """The user must choose their own password before anything else.

    Set for an account a roster import created (its password was printed for the
    teacher), deleted when the user changes it (lessons.middleware). Checked once, at
    log-in, and carried in the session from there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_change_required",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Password change required: {self.user}"


# --- Source-analysis tasks: reading a lesson's sources like a historian ------------------
#
# One task per lesson, written as data (lessons/content/tasks/<lesson>.toml, loaded by
# load_lessons through lessons.source_analysis): documents set side by side, and four
# scaffolded steps in the manner of the Stanford History Education Group's "Reading Like
# a Historian". Students answer each step in writing; the class's teachers read the
# answers (lessons.task_views). Nothing here is graded.

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


# LTI (lessons/lti): what links LMS courses, links and scores to classes, assignments and
# attempts. At the end: those models refer to the ones above.
from lessons.lti.models import CourseLink, LmsScore, Placement, UsedNonce  # noqa: E402, F401
