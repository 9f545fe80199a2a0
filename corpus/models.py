"""The corpus: works, their renderings (sources), passages, glossary, timeline.

A *work* is the thing written or said (the Secret Speech, the CC resolution);
a *source* is one rendering or edition of it (the Congressional Record
translation, the anthology excerpt); a source is split into *passages*, the
unit that every lesson, question and explanation cites.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Work(models.Model):
    class Kind(models.TextChoices):
        SPEECH = "speech", "Speech"
        RESOLUTION = "resolution", "Resolution"
        ARTICLE = "article", "Magazine article"
        ENCYCLOPEDIA = "encyclopedia", "Encyclopedia article"
        OTHER = "other", "Other document"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(null=True, blank=True, help_text="When the work was made.")
    summary = models.TextField(blank=True)
    ordinal = models.PositiveIntegerField(default=0, help_text="Display order.")

    class Meta:
        ordering = ["ordinal", "title"]

    def __str__(self) -> str:
        return self.title


class SourceQuerySet(models.QuerySet):
    def with_passage_counts(self) -> SourceQuerySet:
        return self.annotate(passage_count=models.Count("passages"))


class Source(models.Model):
    """One rendering, edition or copy of a work, as a text we hold."""

    class Kind(models.TextChoices):
        FULL = "full", "Full translation"
        EXCERPT = "excerpt", "Excerpt"
        QUOTATIONS = "quotations", "Quotations in a secondary work"
        BOOKLET = "booklet", "Printed booklet"
        ARTICLE = "article", "Article"
        OTHER = "other", "Other"

    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="sources")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    author = models.CharField(max_length=300, blank=True, help_text="Author or issuing body.")
    date = models.DateField(null=True, blank=True, help_text="Date of this rendering.")
    date_display = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=40, default="English")
    translator = models.CharField(max_length=300, blank=True, help_text="Translator or edition.")
    citation = models.TextField(blank=True, help_text="Full bibliographic citation.")
    url = models.URLField(max_length=500, blank=True, help_text="Original URL, where given.")
    provenance = models.TextField(blank=True, help_text="Licence and provenance note.")
    file_name = models.CharField(max_length=200, help_text="File under corpus/data/sources/.")
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of file, errata and cleaning version: unchanged means skip.",
    )
    ordinal = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["work__ordinal", "ordinal", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("source_detail", kwargs={"slug": self.slug})


class PassageQuerySet(models.QuerySet):
    def current(self) -> PassageQuerySet:
        """Passages in the source's present text (not retired by a re-ingest)."""
        return self.filter(is_current=True)

    def readable(self) -> PassageQuerySet:
        """Passages good enough to quote or to build questions from."""
        return self.filter(quality=Passage.Quality.GOOD, is_current=True)

    def primary(self) -> PassageQuerySet:
        """Text of the document itself, not an editor's note or a stage direction."""
        return self.filter(kind__in=[Passage.Kind.BODY, Passage.Kind.QUOTATION])


class Passage(models.Model):
    """A paragraph-sized piece of a source: the unit of citation.

    `key` is the stable identifier: it is minted once and carried over when the
    source is re-ingested and the passage is still recognisably the same
    (see corpus.ingest), so citations survive errata and re-cleaning.
    """

    class Kind(models.TextChoices):
        BODY = "body", "Text"
        QUOTATION = "quotation", "Block quotation"
        HEADING = "heading", "Heading"
        EDITORIAL = "editorial", "Editor's note"
        STAGE_DIRECTION = "stage", "Stage direction"

    class Quality(models.TextChoices):
        GOOD = "good", "Good"
        FRAGMENT = "fragment", "Fragment (incomplete text)"
        GARBLED = "garbled", "Garbled (unreadable OCR)"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    key = models.SlugField(max_length=40, help_text="Stable identifier, unique in its source.")
    ordinal = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BODY)
    section = models.CharField(max_length=300, blank=True, help_text="Nearest heading.")
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    quality = models.CharField(max_length=10, choices=Quality.choices, default=Quality.GOOD)
    quality_note = models.CharField(max_length=300, blank=True)
    corrections = models.JSONField(
        default=list,
        blank=True,
        help_text='Errata applied to this passage: [{"wrong": ..., "right": ...}].',
    )
    text_changed_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(
        default=True,
        help_text="False once a re-ingest no longer finds this passage; kept so citations resolve.",
    )
    quoted_work = models.ForeignKey(
        Work,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quoted_in",
        help_text="The work this passage quotes, when it reproduces another work's words "
        "(the encyclopedia article quoting the speech).",
    )

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["source", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="passage_key_unique_in_source"),
        ]
        indexes = [models.Index(fields=["source", "ordinal"], name="passage_source_ordinal")]

    def __str__(self) -> str:
        return f"{self.source.slug} ¶{self.ordinal}"

    def get_absolute_url(self) -> str:
        return reverse("source_detail", kwargs={"slug": self.source.slug}) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p-{self.key}"

    @property
    def page_label(self) -> str:
        if self.page_start is None:
            return ""
        if self.page_end and self.page_end != self.page_start:
            return f"pp. {self.page_start}–{self.page_end}"
        return f"p. {self.page_start}"


class GlossaryTerm(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        PLACE = "place", "Place"
        EVENT = "event", "Event"
        DOCUMENT = "document", "Document"
        CONCEPT = "concept", "Concept"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(
        max_length=60,
        blank=True,
        help_text="Finer category used to pick like-for-like distractors, "
        "e.g. 'soviet-official', 'intelligence-service', 'foreign-communist'.",
    )
    aliases = models.JSONField(
        default=list, blank=True, help_text="Spelling variants in the sources."
    )
    description = models.TextField(help_text="Short description written from the sources.")
    citations = models.ManyToManyField(
        Passage,
        related_name="glossary_citations",
        blank=True,
        help_text="Passages the description rests on.",
    )
    mentions = models.ManyToManyField(
        Passage,
        related_name="glossary_terms",
        blank=True,
        help_text="Every passage naming the term.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("glossary_detail", kwargs={"slug": self.slug})

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


class TimelineEvent(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"
        APPROXIMATE = "approx", "Approximate"

    slug = models.SlugField(max_length=80, unique=True)
    date = models.DateField(help_text="First day of the period for month/year precision.")
    precision = models.CharField(max_length=6, choices=Precision.choices, default=Precision.DAY)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    citations = models.ManyToManyField(Passage, related_name="timeline_events", blank=True)
    terms = models.ManyToManyField(GlossaryTerm, related_name="timeline_events", blank=True)

    class Meta:
        ordering = ["date", "slug"]
        indexes = [models.Index(fields=["date"], name="timeline_event_date")]

    def __str__(self) -> str:
        return f"{self.date_label}: {self.title}"

    @property
    def date_label(self) -> str:
        if self.precision == self.Precision.DAY:
            return f"{self.date.day} {self.date:%B %Y}"
        if self.precision == self.Precision.MONTH:
            return f"{self.date:%B %Y}"
        if self.precision == self.Precision.YEAR:
            return f"{self.date:%Y}"
        return f"c. {self.date:%Y}"


class AuditEntry(models.Model):
    """One change a curator made: who, when, what. Written by corpus.audit.record,
    which every app may call (corpus is the bottom app, so it imports no other)."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="Kept if the user is deleted."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text="{field: [old, new]} or details."
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.object_label}"
