"""The corpus: works, their renderings (sources), passages, glossary, timeline.

A *work* is the thing written or said (the Secret Speech, the CC resolution);
a *source* is one rendering or edition of it (the Congressional Record
translation, the anthology excerpt); a source is split into *passages*, the
unit that every lesson, question and explanation cites.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.urls import reverse

from corpus import bibliography


class Curated(models.Model):
    """What corpus.curated keeps beside a row that a curator may change in the app: whether
    one did (so load_corpus keeps the row over the file) and what the file said when it was
    last loaded (so a file changed since is a conflict). Sources and errata keep the same
    two columns with wording of their own."""

    curator_edited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by an edit in the app: load_corpus keeps this row over the file "
        "until export_corpus has written it back.",
    )
    file_digest = models.CharField(
        max_length=64,
        blank=True,
        db_default="",
        help_text="Digest of the file's entry as last loaded: a change since is a conflict.",
    )

    class Meta:
        abstract = True


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
    profile = models.CharField(
        max_length=40,
        default="generic",
        db_default="generic",
        help_text="Cleaning profile (corpus.cleaning.PROFILES).",
    )
    quotes_work = models.SlugField(
        max_length=80,
        blank=True,
        db_default="",
        help_text="Slug of the work its block quotations quote, if any.",
    )
    # A source a curator added in the app (an upload, import_source): its text is a
    # SourceFile row, and load_corpus keeps it over the files until export_corpus has
    # written it to corpus/data (corpus.curated).
    curator_edited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when a curator added or changed it in the app: load_corpus keeps "
        "this row over the files until export_corpus has written it back.",
    )
    file_digest = models.CharField(
        max_length=64,
        blank=True,
        db_default="",
        help_text="Digest of the files' entry as last loaded: a change since is a conflict.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["work__ordinal", "ordinal", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("corpus:source_detail", kwargs={"slug": self.slug})


class SourceFile(models.Model):
    """The text of a source a curator added in the app: the database holds it, not the code
    directory, until export_corpus writes it to corpus/data/sources/ and a release ships it.
    A shipped source has none; its text is read from its file."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="curated_file")
    name = models.CharField(max_length=200, help_text="File name under corpus/data/sources/.")
    text = models.TextField()

    def __str__(self) -> str:
        return self.name


class SourceErrata(models.Model):
    """A source's errata (corpus.errata) as the TOML a curator reads, comments and all: the
    file's text as loaded, or a curator's edit, kept over the file until exported."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="errata")
    text = models.TextField(blank=True, help_text="errata/<source>.toml, as written.")
    curator_edited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by an edit in the app: load_corpus keeps this over the file "
        "until export_corpus has written it back.",
    )
    file_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Digest of the file's corrections as last loaded.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "source errata"

    def __str__(self) -> str:
        return f"errata of {self.source.slug}"


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
        return (
            reverse("corpus:source_detail", kwargs={"slug": self.source.slug}) + f"#{self.anchor}"
        )

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

    @property
    def paragraph_label(self) -> str:
        return f"paragraph {self.ordinal}"

    @property
    def place_label(self) -> str:
        """Where the passage is, in words a reader can follow to it: its printed page, or
        its paragraph number (the reader's margin shows it) when the source has no pages.
        Students never see `key`, the stable id links are made of."""
        return self.page_label or self.paragraph_label


class GlossaryTerm(Curated):
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
    # Another name of the same thing, not a spelling: the party's Presidium (1952-66) is its
    # Political Bureau under another name, so one is never a wrong answer for the other.
    same_as = models.JSONField(
        default=list,
        blank=True,
        help_text="Slugs of glossary terms that are the same body, person or place under "
        "another name (the Presidium and the Political Bureau).",
    )
    # When a person died, at the precision known ("1948-08-31", "1938-03", "1938"): a dead
    # man is no option for a later deed (quizzes.generation.name_choice.death_of).
    died = models.CharField(
        max_length=10,
        blank=True,
        help_text="A person's date of death: YYYY, YYYY-MM or YYYY-MM-DD; blank if unknown.",
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
    # The citations as written ({source, quote}): resolved to `citations` on every load,
    # and what export_corpus writes back.
    quotes = models.JSONField(
        default=list,
        blank=True,
        db_default=[],
        help_text='The citations as written: [{"source": ..., "quote": ...}].',
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("corpus:glossary_detail", kwargs={"slug": self.slug})

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


# The timeline's order: each event at the END of its period, so "June 1956" comes after
# every dated day of June 1956, and "1953" or "c. 1953" after all of 1953 (docs/corpus-format.md).
# Computed in SQL from `date` (the period's first day) and `precision`: no stored copy to drift.
_TIMELINE_ORDER = [
    ExtractYear("date"),
    Case(When(precision__in=["year", "approx"], then=Value(13)), default=ExtractMonth("date")),
    Case(When(precision="day", then=ExtractDay("date")), default=Value(32)),
    Case(When(precision="approx", then=Value(1)), default=Value(0)),  # "1953" before "c. 1953"
    "slug",
]


class TimelineEvent(Curated):
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
    quotes = models.JSONField(
        default=list,
        blank=True,
        db_default=[],
        help_text='The citations as written: [{"source": ..., "quote": ...}].',
    )

    class Meta:
        ordering = _TIMELINE_ORDER
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
    """One change a curator made: who, when, what. Written by corpus.plumbing.audit.record,
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


# --- The editorial apparatus: reference works and editorial notes --------------------
#
# Sources are primary documents and are wrong in places. Reference works (scholarship,
# official publications) are cited by page or section, never stored in full; editorial
# notes say where a source errs, what it leaves out, or where historians disagree.
# Both are loaded from corpus/data/references/*.toml and corpus/data/notes/*.toml by
# corpus.editorial (the formats: docs/editorial-notes.md) and can be edited in the app.


class ReferenceWork(Curated):
    """A book, article, official publication... cited by page or section."""

    class Kind(models.TextChoices):
        BOOK = "book", "Book"
        ARTICLE = "article", "Journal article"
        CHAPTER = "chapter", "Chapter in a book"
        OFFICIAL = "official", "Official publication"
        MEMOIR = "memoir", "Memoir"
        JOURNALISM = "journalism", "Newspaper or magazine"
        REFERENCE = "reference", "Reference work"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    authors = models.JSONField(default=list, blank=True, help_text="People, as written.")
    issuer = models.CharField(
        max_length=300, blank=True, help_text="An institution, when no person is the author."
    )
    editors = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=500)
    container = models.CharField(
        max_length=300, blank=True, help_text="Journal, newspaper or book holding it."
    )
    volume = models.CharField(max_length=60, blank=True)
    issue = models.CharField(max_length=60, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    place = models.CharField(max_length=120, blank=True)
    year = models.PositiveSmallIntegerField()
    date = models.DateField(null=True, blank=True, help_text="For a dated newspaper or document.")
    pages = models.CharField(
        max_length=60, blank=True, help_text="Page range in its container: 163–214."
    )
    url = models.URLField(max_length=500, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True, help_text="What Thaw uses it for.")
    file = models.CharField(
        max_length=80, blank=True, help_text="The references/<file>.toml it is exported to."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "slug"]

    def __str__(self) -> str:
        return self.cite()

    def get_absolute_url(self) -> str:
        return reverse("corpus:source_list") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"ref-{self.slug}"

    @property
    def citation(self) -> str:
        """The full bibliography entry (Chicago style), as plain text."""
        return bibliography.bibliography_entry(self).text

    @property
    def citation_html(self) -> str:
        """The bibliography entry with titles in <cite> (escaped, safe to show)."""
        return bibliography.bibliography_entry(self).html

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return bibliography.sort_key(self)

    def cite(self, at: str = "") -> str:
        """The short in-text form: "Taubman, Khrushchev, p. 283"."""
        return bibliography.short_citation(self, at=at)


class ReferenceCitation(models.Model):
    """A reference work cited at a locator by a note, a glossary term or a timeline event.

    One table for the three owners (exactly one is set), so each page reads its
    citations in one query. `position` is set only for the reference a dispute
    note gives for one of its positions (the index in `EditorialNote.positions`).
    """

    work = models.ForeignKey(ReferenceWork, on_delete=models.PROTECT, related_name="citations")
    at = models.CharField(max_length=200, blank=True, help_text="Page, document or section.")
    ordinal = models.PositiveSmallIntegerField(default=0)
    note = models.ForeignKey(
        "EditorialNote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_citations",
    )
    term = models.ForeignKey(
        GlossaryTerm,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_citations",
    )
    event = models.ForeignKey(
        TimelineEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_citations",
    )
    position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ordinal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(note__isnull=False, term__isnull=True, event__isnull=True)
                    | models.Q(note__isnull=True, term__isnull=False, event__isnull=True)
                    | models.Q(note__isnull=True, term__isnull=True, event__isnull=False)
                ),
                name="reference_citation_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.work.cite(self.at)

    @property
    def text(self) -> str:
        return self.work.cite(self.at)


class EditorialNoteQuerySet(models.QuerySet):
    def for_display(self) -> EditorialNoteQuerySet:
        """With what the note partial shows (citations, linked passages): two queries
        more, run only when there are notes."""
        return self.prefetch_related(
            models.Prefetch(
                "reference_citations",
                queryset=ReferenceCitation.objects.select_related("work"),
            ),
            models.Prefetch(
                "passage_links",
                queryset=NotePassage.objects.select_related("passage__source"),
            ),
        )

    def on_passages(self, passage_ids) -> EditorialNoteQuerySet:
        """Notes whose target is one of these passages."""
        return self.filter(
            passage_links__role=NotePassage.Role.TARGET, passage_links__passage__in=passage_ids
        ).distinct()


class EditorialNote(Curated):
    """A curator's note on a passage, glossary term, timeline event or lesson sentence."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CONTEXT = "context", "Context"
        DISPUTE = "dispute", "Historians disagree"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; paragraphs separated by a blank line.")
    claim = models.TextField(
        blank=True, help_text="Correction: what the source says, in one sentence."
    )
    correct = models.TextField(blank=True, help_text="Correction: what is right, in one sentence.")
    positions = models.JSONField(
        default=list,
        blank=True,
        help_text='Dispute: [{"who": ..., "says": ...}]; each position\'s passage or '
        "reference is a link row with its index.",
    )
    passages = models.ManyToManyField(
        Passage, through="NotePassage", related_name="editorial_notes", blank=True
    )
    terms = models.ManyToManyField(GlossaryTerm, related_name="editorial_notes", blank=True)
    events = models.ManyToManyField(TimelineEvent, related_name="editorial_notes", blank=True)
    file = models.CharField(
        max_length=80, blank=True, help_text="The notes/<file>.toml it is exported to."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditorialNoteQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"note-{self.slug}"

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.split("\n\n") if p.strip()]

    # Read from the prefetched rows (EditorialNoteQuerySet.for_display): no query each.

    @property
    def references(self) -> list[ReferenceCitation]:
        return [c for c in self.reference_citations.all() if c.position is None]

    @property
    def target_links(self) -> list[NotePassage]:
        return [link for link in self.passage_links.all() if link.role == NotePassage.Role.TARGET]

    @property
    def cited_links(self) -> list[NotePassage]:
        return [link for link in self.passage_links.all() if link.role == NotePassage.Role.CITES]

    @property
    def position_rows(self) -> list[dict]:
        """Each position with its passage link or reference citation, for display."""
        links = {
            link.position: link
            for link in self.passage_links.all()
            if link.role == NotePassage.Role.POSITION
        }
        refs = {c.position: c for c in self.reference_citations.all() if c.position is not None}
        return [
            {
                "who": position.get("who", ""),
                "says": position.get("says", ""),
                "link": links.get(n),
                "reference": refs.get(n),
            }
            for n, position in enumerate(self.positions)
        ]


class NotePassage(models.Model):
    """A passage a note is attached to (target), quotes (cites) or gives for a position.

    The quotation that picked the passage is kept, so the note is written back to its
    file as it was written, and resolved again when the source is re-ingested.
    """

    class Role(models.TextChoices):
        TARGET = "target", "Attached to"
        CITES = "cites", "Also cites"
        POSITION = "position", "Position in a dispute"

    note = models.ForeignKey(EditorialNote, on_delete=models.CASCADE, related_name="passage_links")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="note_links")
    role = models.CharField(max_length=8, choices=Role.choices)
    quote = models.CharField(max_length=500)
    ordinal = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ordinal", "pk"]
        indexes = [models.Index(fields=["passage", "role"], name="note_passage_role")]

    def __str__(self) -> str:
        return f'{self.passage.source.slug}: "{self.quote}"'


class NoteLessonTarget(models.Model):
    """A lesson sentence a note is attached to. The lesson is named by its slug (corpus
    does not import lessons); lessons places the note when the page is shown."""

    note = models.ForeignKey(EditorialNote, on_delete=models.CASCADE, related_name="lesson_targets")
    lesson = models.SlugField(max_length=80, db_index=True)
    quote = models.CharField(max_length=1000)
    ordinal = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordinal", "pk"]

    def __str__(self) -> str:
        return f'{self.lesson}: "{self.quote}"'


class EditorialDeletion(models.Model):
    """A note, reference work, glossary term or timeline event a curator deleted in the app
    while a data file still lists it: load_corpus does not bring it back; export_corpus
    drops it from the file, and the next load then forgets this row."""

    class What(models.TextChoices):
        NOTE = "note", "Editorial note"
        WORK = "work", "Reference work"
        TERM = "term", "Glossary term"
        EVENT = "event", "Timeline event"

    what = models.CharField(max_length=6, choices=What.choices)
    slug = models.SlugField(max_length=80)
    file_digest = models.CharField(
        max_length=64,
        blank=True,
        db_default="",
        help_text="Digest of the file's entry when it was deleted: a change since is a conflict.",
    )
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["what", "slug"], name="editorial_deletion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.slug}"


class ProposalQuerySet(models.QuerySet):
    def proposed(self) -> ProposalQuerySet:
        return self.filter(status=Proposal.Status.PROPOSED)

    def rejected(self) -> ProposalQuerySet:
        return self.filter(status=Proposal.Status.REJECTED)

    def names(self) -> ProposalQuerySet:
        return self.filter(kind__in=Proposal.NAME_KINDS)


class Proposal(models.Model):
    """A glossary term or timeline event found in a document (corpus.discovery), waiting for
    a curator: approving it adds the entry to the glossary or timeline as a curator's change
    (kept by load_corpus, written to the files by export_corpus) and its questions are
    generated; rejecting it stops the questions asked about that name (corpus.proposals)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        PLACE = "place", "Place"
        EVENT = "event", "Timeline event"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    NAME_KINDS = (Kind.PERSON, Kind.ORGANIZATION, Kind.PLACE)

    slug = models.SlugField(max_length=80, help_text="The glossary or timeline slug it gets.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=300, help_text="Term name or event title.")
    aliases = models.JSONField(default=list, blank=True, help_text="Other forms seen.")
    date = models.DateField(null=True, blank=True)
    precision = models.CharField(max_length=6, choices=TimelineEvent.Precision.choices, blank=True)
    quote = models.TextField(help_text="The sentence it was found in: the entry's citation.")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="proposals")
    passages = models.ManyToManyField(Passage, related_name="proposals", blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text="Why this kind.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["status", "source", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="proposal_slug_unique_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
