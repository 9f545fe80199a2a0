"""Item statistics on response sets whose values are worked out by hand."""

import math

import pytest
from django.core.management import call_command

from quizzes.models import ItemStatistics
from quizzes.statistics import ResponseRow, compute_items, point_biserial
from tests.factories import make_finished_attempt, make_question, make_quiz, make_user

# Five attempts at three items (1 = correct). Attempt totals are 3, 2, 1, 1, 0.
GRID = {
    1: {101: 1, 102: 1, 103: 1},
    2: {101: 1, 102: 1, 103: 0},
    3: {101: 1, 102: 0, 103: 0},
    4: {101: 0, 102: 0, 103: 1},
    5: {101: 0, 102: 0, 103: 0},
}


def _rows():
    return [
        ResponseRow(attempt_id=a, question_id=q, is_correct=bool(c), answer=["a"] if c else ["b"])
        for a, items in GRID.items()
        for q, c in items.items()
    ]


def test_facility_is_the_share_answered_correctly():
    results = compute_items(rows=_rows())
    assert results[101].facility == pytest.approx(3 / 5)
    assert results[102].facility == pytest.approx(2 / 5)
    assert results[103].facility == pytest.approx(2 / 5)


def test_discrimination_is_point_biserial_with_the_rest_of_the_attempt():
    results = compute_items(rows=_rows())
    # Item 101: scores x = 1,1,1,0,0; rest of the attempt y = 2,1,0,1,0.
    # Deviations from the means (0.6, 0.8): Sxy = 0.6, Sxx = 1.2, Syy = 2.8.
    assert results[101].discrimination == pytest.approx(0.6 / math.sqrt(1.2 * 2.8))
    # Item 103: x = 1,0,0,1,0; y = 2,2,1,0,0: Sxy = 0, so no discrimination at all.
    assert results[103].discrimination == pytest.approx(0.0)


def test_an_item_everyone_gets_right_has_no_discrimination():
    assert point_biserial(item=[1, 1, 1], rest=[0, 1, 2]) is None


def test_choice_counts_show_how_often_each_distractor_is_chosen():
    rows = [
        ResponseRow(attempt_id=n, question_id=7, is_correct=choice == "a", answer=[choice])
        for n, choice in enumerate("aabcbb")
    ]
    assert compute_items(rows=rows)[7].choice_counts == {"a": 2, "b": 3, "c": 1}


def test_flags_wait_for_twenty_responses():
    few = [ResponseRow(attempt_id=n, question_id=1, is_correct=True) for n in range(19)]
    assert compute_items(rows=few)[1].flags == []
    enough = [ResponseRow(attempt_id=n, question_id=1, is_correct=True) for n in range(20)]
    assert compute_items(rows=enough)[1].flags == ["high_facility"]


@pytest.mark.django_db
def test_update_item_statistics_flags_easy_hard_and_negatively_discriminating_questions():
    easy, hard, good, anchor, bad = (make_question() for _ in range(5))
    quiz = make_quiz(questions=[easy, hard, good, anchor, bad])
    for n in range(20):
        strong = n < 10  # the first ten students do well on `good` and `anchor`
        make_finished_attempt(
            quiz=quiz,
            user=make_user(),
            results=[
                (easy, True),
                (hard, n < 3),  # 3 of 20 = 0.15
                (good, strong),
                (anchor, strong),
                (bad, not strong),  # right only for the weak students
            ],
        )
    call_command("update_item_statistics")
    stats = {s.question_id: s for s in ItemStatistics.objects.all()}
    assert stats[easy.pk].facility == 1.0 and stats[easy.pk].high_facility
    assert stats[hard.pk].facility == pytest.approx(0.15) and stats[hard.pk].low_facility
    # `bad`: x = 0 for students 0-9, 1 for 10-19; the rest of the attempt is
    # easy + hard + good + anchor = 4 (n < 3), 3 (n = 3..9), 1 (n >= 10).
    # Means 0.5 and 2.15; Sxy = -0.5 * (33 - 21.5) + 0.5 * (10 - 21.5) = -11.5;
    # Sxx = 5; Syy = 121 - 20 * 2.15**2 = 28.55.
    assert stats[bad.pk].discrimination == pytest.approx(-11.5 / math.sqrt(5 * 28.55))
    assert stats[bad.pk].negative_discrimination
    assert not (stats[good.pk].low_facility or stats[good.pk].negative_discrimination)
    assert stats[hard.pk].choice_counts == {"a": 3, "z": 17}
    # Recomputing is idempotent: one row per question, same values.
    call_command("update_item_statistics")
    assert ItemStatistics.objects.count() == 5
    assert ItemStatistics.objects.get(question=hard).facility == pytest.approx(0.15)
