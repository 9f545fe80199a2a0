"""What other apps do when an attempt finishes, registered when they start.

`quizzes` never imports `lessons`, yet lessons must act when an attempt at one of its
assignments finishes (an LMS placement sends the score to the LMS, lessons/lti/grades.py).
Lessons registers a callback in `LessonsConfig.ready`; `finish_attempt` calls every one
inside its transaction, once, when the attempt really closes (never for a second finish).
A callback writes rows, so they commit or roll back with the finish; anything slow (an
HTTP request) it puts off with `transaction.on_commit`. Explicit calls, not signals: the
finish is the one place that decides an attempt is over.
"""

from __future__ import annotations

from collections.abc import Callable

Callback = Callable[..., None]  # called as callback(attempt=attempt)
_callbacks: list[Callback] = []


def register(callback: Callback) -> None:
    """Call `callback(attempt=...)` for every attempt that finishes (once; again changes nothing)."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def attempt_finished(*, attempt) -> None:
    """Run the callbacks for `attempt`, just closed and scored."""
    for callback in _callbacks:
        callback(attempt=attempt)
