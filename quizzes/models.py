"""The question bank: questions generated from the corpus, and the runs that made them.

A question is rendered from `stem` and `options`; the key (`answer`) is kept in
its own field so a view can send a question to the browser without it.
`fingerprint` identifies what a question tests (type, passage key, answer,
blanked span), not how it is worded, so regeneration updates a question in
place instead of adding a copy, and never touches one a curator has locked.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from corpus.models import EditorialNote, GlossaryTerm, Passage, Source, TimelineEvent, Work
from quizzes.date_limits import within_five_years
from quizzes.prepared import PreparedQuery

# The share of the bank that practice never shows (docs/decisions.md, "Item pools"): the
# lesson and source quizzes, practice assignments and review leave these questions to
# tests. A third: the lesson quizzes keep ten questions, and a test of ten drawn from this
# share alone still differs between classmates (docs/reliability.md, "Keys").
TEST_ONLY_SHARE = 1 / 3
_NON_WORD = re.compile(r"\W+")


def words_key(text: str) -> str:
    """`text` as words only, lower case: how two quotes or answers are compared."""
    return _NON_WORD.sub(" ", text).strip().lower()


class QuestionQuerySet(models.QuerySet):
    def published(self) -> QuestionQuerySet:
        # A question whose passage was deleted (its source removed) is no
        # longer grounded in the corpus, so it is never asked, unless it rests on a
        # timeline event, glossary term or editorial note (`Question.rests_on_entry`).
        return self.filter(status=Question.Status.PUBLISHED).filter(
            Q(passage__isnull=False) | Question.rests_on_entry()
        )

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
        # Beyond recall (generation/disagreement.py, claim_source.py): where sources give
        # different accounts, and which document makes a claim or an argument.
        DISAGREEMENT = "disagreement", "Sources disagree"
        CLAIM_SOURCE = "claim_source", "Claim to source"

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
    # What HAPPENED rests on a timeline event or glossary term (and through it on reference
    # works), or on an editorial note, not only on a passage: a question may rest on such an
    # entry, with or without a passage, and its feedback shows the entry once answered.
    events = models.ManyToManyField(TimelineEvent, related_name="questions", blank=True)
    terms = models.ManyToManyField(GlossaryTerm, related_name="questions", blank=True)
    notes = models.ManyToManyField(EditorialNote, related_name="questions", blank=True)
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
    review_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why a curator should look again, e.g. passage changed.",
    )
    passage_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the cited passages' text was last accepted."
    )
    # The notes a question was last generated or checked against: a passage that gains or
    # loses a note (a correction may make its claim one the question must not state as
    # fact) sends it back to review (quizzes.generation.note_changes).
    checked_notes = models.JSONField(
        default=list,
        blank=True,
        help_text="Slugs of the editorial notes on its cited passages when it was last "
        "generated or checked.",
    )
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

    @staticmethod
    def rests_on_entry() -> Q:
        """The filter: questions resting on a timeline event, glossary term or note."""
        through = [Question.events.through, Question.terms.through, Question.notes.through]
        rests = Q()
        for model in through:
            rests |= Exists(model.objects.filter(question_id=OuterRef("pk")))
        return rests

    def correct_texts(self) -> list[str]:
        by_id = {option["id"]: option["text"] for option in self.options}
        return [by_id[option_id] for option_id in self.answer if option_id in by_id]

    @property
    def quote_key(self) -> str:
        """The sentence the question is built on, normalised: questions sharing it give
        each other away (its feedback shows the sentence). Empty without a quote."""
        return words_key(self.explanation_quote)[:160]

    @property
    def is_test_only(self) -> bool:
        """Whether the question is in the test-only share of the bank: practice never
        shows it. Decided by a hash of its sentence (or, without one, its fingerprint),
        so every question on one sentence falls on the same side and a re-ingest or a
        regeneration keeps the split; no row stores it."""
        group = f"quote:{self.quote_key}" if self.quote_key else f"question:{self.fingerprint}"
        digest = hashlib.sha256(f"pool-split:{group}".encode()).digest()
        return int.from_bytes(digest[:8], "big") < TEST_ONLY_SHARE * 2**64


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


# --- Quizzes, attempts, responses, review cards ------------------------------------
#
# A quiz carries its own rules (mode, dates, time limit, attempts, when answers are
# revealed), so `quizzes` never needs to know about classes: an assignment in
# `lessons` points at a quiz. A lesson's quiz has a key and kind that lessons names
# (lessons.models.module_quiz_key, Kind.MODULE); this app only stores them.


class QuizQuerySet(models.QuerySet):
    def available_to(self, user) -> QuizQuerySet:
        """Quizzes a user may see and start: a review or retake quiz belongs to its student
        alone; a quiz with an audience (a class's assignment) to its members and its owner.

        Membership is a subquery in the same statement, not a join: a join through the
        members would repeat a quiz once per member and cost no fewer queries."""
        personal = Q(kind__in=Quiz.PERSONAL_KINDS)
        public = ~personal & Q(audience__isnull=True)
        if not user.is_authenticated:
            return self.filter(public)
        audiences = Audience.members.through.objects.filter(user=user).values("audience_id")
        return self.filter(public | (~personal & Q(audience__in=audiences)) | Q(owner=user))


class Audience(models.Model):
    """The people a restricted quiz is for. `quizzes` knows nothing of classes: the app
    that restricts a quiz keeps its audience's members (lessons keeps one audience per
    class, its students and teachers, and updates it wherever membership changes)."""

    name = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField("auth.User", related_name="quiz_audiences", blank=True)

    def __str__(self) -> str:
        return self.name or f"Audience {self.pk}"


class Quiz(models.Model):
    class Kind(models.TextChoices):
        MODULE = "module", "End-of-lesson quiz"
        SOURCE = "source", "Whole-source quiz"
        REVIEW = "review", "Spaced review"
        CUSTOM = "custom", "Custom quiz"
        RETAKE = "retake", "Retake of missed questions"

    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice (feedback after each answer)"
        TEST = "test", "Test (feedback at the end)"

    class Reveal(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately after finishing"
        AFTER_DUE = "after_due", "After the due date"
        NEVER = "never", "Never"

    class DrawFrom(models.TextChoices):
        UNSEEN = "unseen", "Any question of the pool whose answer the student has not seen"
        TEST_ONLY = "test_only", "Only the test-only share, which practice never shows"

    key = models.SlugField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable handle for built-in quizzes, e.g. 'module:the-secret-speech'.",
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CUSTOM)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PRACTICE)
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes"
    )
    questions = models.ManyToManyField(Question, through="QuizItem", related_name="quizzes")
    opens_at = models.DateTimeField(null=True, blank=True, validators=[within_five_years])
    due_at = models.DateTimeField(null=True, blank=True, validators=[within_five_years])
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    attempts_allowed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty means unlimited."
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=False)
    reveal_answers = models.CharField(
        max_length=12, choices=Reveal.choices, default=Reveal.IMMEDIATELY
    )
    # A drawn quiz's items are its pool: each attempt draws `draw_count` of them for its
    # student (quizzes.drawing). Empty: every item is asked, in order.
    draw_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Questions each attempt draws from the quiz's questions; empty asks them all.",
    )
    draw_from = models.CharField(
        max_length=10,
        choices=DrawFrom.choices,
        default=DrawFrom.UNSEEN,
        help_text="For a drawn test: which of its questions a student may be given.",
    )
    owner = models.ForeignKey(
        "auth.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="owned_quizzes",
        help_text="The teacher who built it, or the student a review/retake quiz is for.",
    )
    # PROTECT: deleting an audience must never quietly open its quizzes to everyone.
    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        help_text="Empty: anyone may take it. Set: only its members (and the owner).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuizQuerySet.as_manager()

    PERSONAL_KINDS = (Kind.REVIEW, Kind.RETAKE)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz_detail", kwargs={"pk": self.pk})

    def is_available_to(self, user) -> bool:
        """The rule of `Quiz.objects.available_to(user)` for this one quiz, already loaded
        (the same answer: tests/quizzes/test_quiz_views.py). Starting a quiz loads it by
        its key and asks this: compiling that filter's subquery cost four times the
        rest of the query (about 0.8 ms against 0.2). A quiz with an audience costs one
        small query more, the membership lookup."""
        if user.is_authenticated and self.owner_id == user.pk:
            return True
        if self.kind in Quiz.PERSONAL_KINDS:
            return False
        if self.audience_id is None:
            return True
        members = Audience.members.through.objects
        return (
            user.is_authenticated
            and members.filter(audience_id=self.audience_id, user_id=user.pk).exists()
        )

    def rules_for(self, user) -> QuizRules:
        """The due date, time limit and attempts for `user`, after any accommodation."""
        return self.rules_for_user_id(user.pk if user.is_authenticated else None)

    def rules_for_user_id(self, user_id: int | None) -> QuizRules:
        """`rules_for` by the user's id, for callers that hold only the id (an attempt)."""
        # At most one override per (quiz, user): no ORDER BY. Read whenever a quiz starts
        # (and by an attempt with a deadline), so compiled once (quizzes/prepared.py).
        override = _OVERRIDE.one(quiz_id=self.pk, user_id=user_id) if user_id else None
        return self.rules_with(override)

    def rules_with(self, override: QuizOverride | None) -> QuizRules:
        """The rules after `override` (already read, e.g. in bulk for many attempts)."""
        if override is None:
            return QuizRules(self.due_at, self.time_limit_minutes, self.attempts_allowed)
        limit = self.time_limit_minutes
        if limit is not None:
            # Rounded up: an accommodation never takes a minute away.
            limit = math.ceil(limit * float(override.time_multiplier or 1)) + override.extra_minutes
        attempts = self.attempts_allowed
        if attempts is not None:
            attempts += override.extra_attempts
        due_at = self.due_at
        # A later due date extends the quiz's; it never adds one to a quiz without.
        if override.due_at is not None and due_at is not None and override.due_at > due_at:
            due_at = override.due_at
        return QuizRules(due_at, limit, attempts)

    def reveals_answers_at(self, moment, *, rules: QuizRules | None = None) -> bool:
        """Whether a finished test attempt may show its answers at `moment`, to the student
        whose `rules` are given: AFTER_DUE waits for that student's own due date (an
        accommodation's later one included). Without `rules`, the quiz's own due date.

        Practice attempts show each answer as it is given, whatever this says.
        AFTER_DUE without a due date never reveals: the same rule
        `Attempt.objects.revealing_answers_at` applies, so the two never disagree."""
        if self.reveal_answers == Quiz.Reveal.IMMEDIATELY:
            return True
        if self.reveal_answers == Quiz.Reveal.AFTER_DUE:
            due_at = rules.due_at if rules is not None else self.due_at
            return due_at is not None and moment >= due_at
        return False


class QuizOverride(models.Model):
    """One student's accommodations on a quiz: more time, more attempts, a later due date.
    A teacher sets them; quiz-taking applies them through `Quiz.rules_for(user)`."""

    quiz = models.ForeignKey("Quiz", on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="quiz_overrides")
    time_multiplier = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="e.g. 1.50 for time and a half; empty for none.",
    )
    extra_minutes = models.PositiveIntegerField(default=0)
    extra_attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="A later due date.", validators=[within_five_years]
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="quiz_override_unique"),
            models.CheckConstraint(
                condition=Q(time_multiplier__isnull=True) | Q(time_multiplier__gte=1),
                name="quiz_override_multiplier_at_least_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz}"


_OVERRIDE = PreparedQuery(
    lambda quiz_id, user_id: QuizOverride.objects.filter(
        quiz_id=quiz_id, user_id=user_id
    ).order_by()[:1]
)


@dataclass(frozen=True)
class QuizRules:
    """A quiz's rules as they apply to one student, accommodations included."""

    due_at: datetime.datetime | None
    time_limit_minutes: int | None
    attempts_allowed: int | None


class QuizItem(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="quiz_items")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_item_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}"


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def revealing_answers_at(self, moment) -> AttemptQuerySet:
        """Finished attempts whose results page shows every answer at `moment` to their own
        student: practice, a test revealed at once, or one revealed after the due date
        once that student's due date has passed (`Attempt.reveals_answers_at`, in SQL)."""
        # An accommodation's due date counts only when later than the quiz's
        # (`Quiz.rules_with`): with the quiz's passed, a later one still to come holds it.
        later_due = QuizOverride.objects.filter(
            quiz_id=OuterRef("quiz_id"), user_id=OuterRef("user_id"), due_at__gt=moment
        )
        return self.filter(finished_at__isnull=False).filter(
            Q(mode=Quiz.Mode.PRACTICE)
            | Q(quiz__reveal_answers=Quiz.Reveal.IMMEDIATELY)
            | (
                Q(quiz__reveal_answers=Quiz.Reveal.AFTER_DUE, quiz__due_at__lte=moment)
                & ~Exists(later_due)
            )
        )


class Attempt(models.Model):
    """One student's go at a quiz. The question order (and option order, when the
    quiz shuffles) is fixed at the start, so a reload or another tab sees the same."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField(default=1, help_text="1 for the first attempt.")
    mode = models.CharField(max_length=10, choices=Quiz.Mode.choices)
    question_ids = models.JSONField(default=list, help_text="Question ids in the order asked.")
    option_orders = models.JSONField(
        default=dict, blank=True, help_text="{question id: [option ids]} when shuffled."
    )
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField(
        null=True, blank=True, help_text="Time limit or due date, whichever is first."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveIntegerField(default=0)
    max_score = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(
        default=0, help_text="Responses recorded; changed with F() as each is written."
    )
    last_answered_at = models.DateTimeField(null=True, blank=True)
    closed_by_deadline = models.BooleanField(
        default=False, help_text="Closed by the clock with what was answered, not by the student."
    )
    closed_by_removal = models.BooleanField(
        default=False,
        help_text="Closed with what was answered when its student left the quiz's class.",
    )
    pool_shortfall = models.PositiveIntegerField(
        default=0,
        help_text="Questions a drawn quiz wanted but could not ask this student: none was "
        "left whose answer they had not seen, or that would not give another away.",
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="attempt_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["user", "finished_at"], name="attempt_user_finished")]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · attempt {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt_question", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_practice(self) -> bool:
        return self.mode == Quiz.Mode.PRACTICE

    @property
    def question_count(self) -> int:
        return len(self.question_ids)

    _rules: QuizRules | None = None  # see rules()

    def rules(self) -> QuizRules:
        """The quiz's rules for this attempt's student, read once per loaded attempt: a
        request checks the deadline several times (the clock, the answer, the page), and
        each read of the override was a query. Every request loads its attempt afresh,
        so a teacher's extension is seen by the next request."""
        if self._rules is None:
            # By id: the attempt's user need not be loaded for this.
            self._rules = self.quiz.rules_for_user_id(self.user_id)
        return self._rules

    def know_override(self, override: QuizOverride | None) -> None:
        """Give the attempt its student's override, read in bulk by a caller that loads
        many attempts (a download of all of them), so `rules()` makes no query each."""
        self._rules = self.quiz.rules_with(override)

    def effective_deadline(self, rules: QuizRules | None = None):
        """The time limit fixed at the start, or the quiz's due date as it is now
        (a teacher may extend it mid-attempt), whichever comes first. `rules`: the
        student's rules when the caller has them already."""
        due_at = self.quiz.due_at
        if due_at is not None:
            # The student's own due date, which an accommodation may have extended.
            due_at = (rules or self.rules()).due_at
        moments = [m for m in (self.deadline_at, due_at) if m is not None]
        return min(moments) if moments else None

    def option_ids(self, question: Question) -> list[str]:
        """The question's option ids in the order this attempt shows them."""
        stored = [option["id"] for option in question.options]
        shown = self.option_orders.get(str(question.pk))
        # A curator may edit options after the attempt started: fall back to the
        # stored order rather than show ids that no longer exist.
        return shown if shown and sorted(shown) == sorted(stored) else stored

    def reveals_answers_at(self, moment) -> bool:
        """Whether the results page shows the answers at `moment`: to this student, after
        their own due date when the quiz waits for it."""
        if not self.is_finished:
            return False
        if self.is_practice:
            return True
        quiz = self.quiz
        # The student's rules (one read of their override) only when they can matter.
        waits = quiz.reveal_answers == Quiz.Reveal.AFTER_DUE and quiz.due_at is not None
        return quiz.reveals_answers_at(moment, rules=self.rules() if waits else None)

    def answers_shown_from(self):
        """When this student's results start showing the answers (their own due date),
        for a quiz that waits for it; None otherwise."""
        quiz = self.quiz
        if quiz.reveal_answers != Quiz.Reveal.AFTER_DUE or quiz.due_at is None:
            return None
        return self.rules().due_at


class Response(models.Model):
    """The recorded answer to one question in one attempt: at most one (the
    constraint makes a double click or a retry harmless)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    question_version = models.PositiveIntegerField(default=1)
    answer = models.JSONField(help_text="Chosen option id(s), or ids in the order given.")
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="response_one_per_question"
            ),
        ]
        indexes = [models.Index(fields=["question", "is_correct"], name="response_question")]

    def __str__(self) -> str:
        return f"{self.attempt} · Q{self.question_id}"


class ReviewCardQuerySet(models.QuerySet):
    def due(self, moment) -> ReviewCardQuerySet:
        return self.filter(due_at__lte=moment)


class ReviewCard(models.Model):
    """A question a student has answered, scheduled for spaced review with FSRS."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    fsrs_card = models.JSONField(help_text="fsrs.Card.to_dict()")
    due_at = models.DateTimeField()
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="review_card_unique"),
        ]
        indexes = [models.Index(fields=["user", "due_at"], name="review_card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · Q{self.question_id} due {self.due_at:%Y-%m-%d}"


# --- Curation: versions, student reports, item statistics ------------------------


class QuestionVersion(models.Model):
    """The wording of a question as it was at one version, so a response can be shown
    with the question its student actually answered (Response.question_version)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    stem = models.TextField()
    options = models.JSONField(default=list)
    answer = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["question", "version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="question_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Q{self.question_id} v{self.version}"


class ProblemReportQuerySet(models.QuerySet):
    def open(self) -> ProblemReportQuerySet:
        return self.filter(resolved_at__isnull=True)


class ProblemReport(models.Model):
    """A student's "Report a problem" on a question they were shown."""

    class Reason(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", "The marked answer is wrong"
        TWO_ANSWERS = "two_answers", "More than one answer fits"
        UNCLEAR = "unclear", "The question is unclear"
        TYPO = "typo", "Typo"
        OTHER = "other", "Something else"

    class Resolution(models.TextChoices):
        FIXED = "fixed", "Fixed the question"
        RETIRED = "retired", "Retired the question"
        NO_CHANGE = "no_change", "No change needed"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    question_version = models.PositiveIntegerField(default=1)
    user = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="problem_reports"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.CharField(max_length=300, blank=True)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["question", "resolved_at"], name="report_question_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on Q{self.question_id}"


class ItemStatistics(models.Model):
    """Facility, discrimination and distractor counts of one question, computed from
    responses by `update_item_statistics` (see quizzes.statistics, docs/curation.md)."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="statistics")
    responses = models.PositiveIntegerField(default=0)
    facility = models.FloatField(null=True, blank=True, help_text="Share answered correctly.")
    discrimination = models.FloatField(
        null=True, blank=True, help_text="Point-biserial r with the rest of the attempt."
    )
    choice_counts = models.JSONField(
        default=dict, blank=True, help_text="{option id: times chosen}."
    )
    low_facility = models.BooleanField(default=False)
    high_facility = models.BooleanField(default=False)
    negative_discrimination = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "item statistics"

    def __str__(self) -> str:
        return f"Statistics of Q{self.question_id}"
