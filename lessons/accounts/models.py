"""Accounts: what Thaw keeps about a user beyond Django's own (label `lessons`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PasswordChangeRequired(models.Model):
    """The user must choose their own password before anything else.

    Set for an account a roster import created (its password was printed for the
    teacher), deleted when the user changes it (lessons.accounts.middleware). Checked once, at
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
