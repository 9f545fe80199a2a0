"""Spaced review with FSRS: every answered question becomes a card that comes back.

A wrong answer is rated Again, a right one Good, so wrong answers return
sooner. The scheduler has no learning steps: a review here is a whole quiz, not
a flashcard flipped minutes later, so the shortest interval is a day (a wrong
answer today is due tomorrow; a right one in two days, then longer). Fuzzing is
off so a schedule is the same on every run and easy to explain to a student.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from fsrs import Card, Rating, Scheduler

from quizzes.models import Question, Quiz, QuizItem, ReviewCard
from quizzes.prepared import PreparedQuery

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)

# The card of one answered question: read on every answer of a practice quiz, so compiled
# once (quizzes/prepared.py). No ORDER BY: the cards' default ordering (by due date) is
# one more thing to compile and sort for nothing here.
_ONE_CARD = PreparedQuery(
    lambda user_id, question_id: ReviewCard.objects.filter(
        user_id=user_id, question_id=question_id
    ).order_by()
)


def review_quiz_key(user) -> str:
    return f"review:{user.pk}"


def schedule_answers(
    *,
    user_id: int,
    results: Mapping[int, bool],
    now: datetime.datetime,
    not_before: datetime.datetime | None = None,
) -> None:
    """Create or update the user's card for each {question id: answered correctly}.

    `not_before` holds a card back (a test whose answers are revealed after its
    due date must not come back for review, with its answers, before that).
    Two queries whatever the number of questions: one read, one upsert.
    """
    if not results:
        return
    if len(results) == 1:  # one answer of a practice quiz
        (question_id,) = results
        rows = _ONE_CARD.all(user_id=user_id, question_id=question_id)
    else:  # a finished test: an IN list, whose length is part of the SQL
        rows = ReviewCard.objects.filter(user_id=user_id, question_id__in=list(results)).order_by()
    existing = {card.question_id: card for card in rows}
    cards = []
    for question_id, correct in results.items():
        row = existing.get(question_id) or ReviewCard(user_id=user_id, question_id=question_id)
        # A card_id of our own: without one, fsrs's Card() sleeps a millisecond (to keep
        # its ids apart), which holds a sync worker on every new card. Ours are told
        # apart by (user, question), so the id is only the creation time it stands for.
        fsrs_card = (
            Card.from_dict(row.fsrs_card)
            if row.fsrs_card
            else Card(card_id=int(now.timestamp() * 1000))
        )
        fsrs_card, _log = SCHEDULER.review_card(
            fsrs_card, Rating.Good if correct else Rating.Again, now
        )
        row.fsrs_card = fsrs_card.to_dict()
        row.due_at = max(fsrs_card.due, not_before) if not_before else fsrs_card.due
        row.last_reviewed_at = now
        row.reviews = (row.reviews or 0) + 1
        row.lapses = (row.lapses or 0) + (0 if correct else 1)
        cards.append(row)
    # An upsert, so two answers racing on the same question both land instead of
    # one failing on the (user, question) constraint.
    ReviewCard.objects.bulk_create(
        cards,
        update_conflicts=True,
        unique_fields=["user", "question"],
        update_fields=["fsrs_card", "due_at", "last_reviewed_at", "reviews", "lapses"],
    )


def due_cards(*, user, now: datetime.datetime):
    # A retired question is never asked again, even for review.
    return ReviewCard.objects.filter(user=user, question__in=Question.objects.published()).due(now)


def due_count(*, user, now: datetime.datetime) -> int:
    if not user.is_authenticated:
        return 0
    return due_cards(user=user, now=now).count()


def next_due(*, user) -> datetime.datetime | None:
    """When the user's next card falls due (for "next review on ..."), or None."""
    card = (
        ReviewCard.objects.filter(user=user, question__in=Question.objects.published())
        .order_by("due_at")
        .only("due_at")
        .first()
    )
    return card.due_at if card else None


@transaction.atomic
def build_review_quiz(*, user, now: datetime.datetime, size: int = 20) -> Quiz | None:
    """The user's review quiz, refilled with the cards due now (most overdue first);
    None when nothing is due. Attempts already started keep their own questions."""
    question_ids = list(
        due_cards(user=user, now=now)
        .order_by("due_at", "pk")
        .values_list("question_id", flat=True)[:size]
    )
    if not question_ids:
        return None
    quiz, _created = Quiz.objects.update_or_create(
        key=review_quiz_key(user),
        defaults={
            "title": "Spaced review",
            "kind": Quiz.Kind.REVIEW,
            "mode": Quiz.Mode.PRACTICE,
            "owner": user,
            "shuffle_options": True,
        },
    )
    quiz.items.all().delete()
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, question_id=question_id, position=n)
        for n, question_id in enumerate(question_ids, start=1)
    )
    return quiz
