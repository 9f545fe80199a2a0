"""What the LTI package sets up when the lessons app starts (called from LessonsConfig.ready)."""

from __future__ import annotations


def ready() -> None:
    from django.contrib import admin
    from lti_tool.models import LtiRegistration

    from lessons.lti.grades import queue_score
    from quizzes import finishing

    finishing.register(queue_score)
    # Platforms are registered on /lti/platforms/ (audited, with the URLs to paste), not in
    # django-lti's admin, which would also show a registration's private key field.
    if admin.site.is_registered(LtiRegistration):
        admin.site.unregister(LtiRegistration)
