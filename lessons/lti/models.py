"""What links LMS courses, links and scores to Thaw's classes, assignments and attempts.

Imported by `lessons.models`, so these are models of the lessons app. The LMS's own
rows (registrations, deployments, users, contexts, resource links, Thaw's keys) are
django-lti's (`lti_tool`); these hold only what Thaw adds to them.
"""

from __future__ import annotations

from django.db import models

from lessons.classes.models import Assignment, SchoolClass


class CourseLink(models.Model):
    """An LMS course (an LTI context) and the Thaw class that stands for it."""

    context = models.OneToOneField(
        "lti_tool.LtiContext", on_delete=models.CASCADE, related_name="thaw_course"
    )
    school_class = models.OneToOneField(
        SchoolClass, on_delete=models.CASCADE, related_name="lti_course"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the roster (NRPS) was last synchronised or tried (a launch claims the next try
    # by setting it), and what went wrong with the last try (empty when it worked).
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_problem = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["school_class"]
        permissions = [
            (
                "manage_lti_platforms",
                "Can register LMS platforms (LTI) and rotate Thaw's LTI keys",
            ),
        ]

    def __str__(self) -> str:
        return f"LMS course {self.context_id} → {self.school_class}"


class Placement(models.Model):
    """An assignment a teacher placed in the LMS course by deep linking: the LMS's link
    to it and the line item its scores go to (known once the link is first opened, or
    looked up by its resource id)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="lti_placement"
    )
    course = models.ForeignKey(CourseLink, on_delete=models.CASCADE, related_name="placements")
    resource_link_id = models.CharField(max_length=255, blank=True)
    lineitem_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "created_at"]

    def __str__(self) -> str:
        return f"{self.assignment} in the LMS"

    @property
    def resource_id(self) -> str:
        """The line item's resourceId: how Thaw finds its line item among the course's."""
        return f"thaw-assignment-{self.assignment_id}"


class LmsScoreQuerySet(models.QuerySet):
    def due(self, *, now) -> LmsScoreQuerySet:
        """Waiting to be sent, and not waiting out a backoff or held by another sender."""
        return self.filter(
            status=LmsScore.Status.PENDING,
            next_try_at__lte=now,
        ).filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))


class LmsScore(models.Model):
    """The outbox row of a finished attempt's score on its way to the LMS.

    One per attempt (the OneToOne is the unique constraint): finishing twice, two
    senders or a retry never make a second row. Written in the transaction that
    finishes the attempt, sent after it commits or by `lti_send_grades`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    attempt = models.OneToOneField(
        "quizzes.Attempt", on_delete=models.CASCADE, related_name="lms_score"
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="scores")
    lti_user = models.ForeignKey("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="+")
    score_given = models.PositiveIntegerField()
    score_maximum = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField()
    # A sender holds the row until then, so a second sender leaves it alone.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LmsScoreQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="lmsscore_due")]

    def __str__(self) -> str:
        return f"Score of attempt {self.attempt_id}: {self.get_status_display()}"


class UsedNonce(models.Model):
    """A launch's nonce, once used: the unique constraint refuses a replayed launch.

    pylti1p3 checks that a nonce is one Thaw issued, but keeps it for a day and
    accepts the same id_token again (it marks the state valid for it). Rows older
    than a launch can live (`exp`) are deleted by `lti_send_grades`."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_used_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.nonce}"
