"""Classes and assignments: a teacher's group of students and the quizzes set for it.

The lessons app's models (label `lessons`), re-exported by `lessons.models`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, transaction

from lessons.modules.models import Module

# --- Classes: a teacher's group of students, joined with a code ----------------------
#
# A student is any user with a Membership; a class's teachers are users (in the
# `teachers` group) linked through `teachers`. Assignments (below) link a class to its
# own copy of a quiz; lessons/classes/assignments.py and lessons/classes/gradebook.py work on them.

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
