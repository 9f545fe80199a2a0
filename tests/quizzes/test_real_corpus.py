"""The bank generated from the real corpus meets the issue's bar (slow: loads all five sources)."""

import pytest
from django.core.management import call_command

from quizzes.generation import generate_bank, lesson_groups, load_snapshot
from quizzes.generation.answer_keys import key_cap
from quizzes.generation.balancing import in_band
from quizzes.generation.reporting import coverage, key_spread, true_false_balance
from quizzes.models import Question

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.bank]

# Every type has at least 8 published questions except compare renderings. Fewer than
# before issue 14 on purpose: a key may be the key of at most 5 % of a lesson's questions
# (most "which document" questions are now held for review), and the gates refuse stems
# with a dangling "this" or "he". Compare renderings asks only the one difference an
# editor notes (kindness / politeness in Lenin's letter), and only in the rendering the
# note does not call loose: which word the loose translation chose ("kindness") is no
# history (blind raters, round 1), so it is not asked.
MIN_PER_TYPE = 8
COMPARE_RENDERINGS_REACHED = 1
# The two types built from editorial notes ask what the notes set side by side: as many
# as the notes' disputes and corrections allow (tests/quizzes/test_real_corpus_notes.py).
FROM_NOTES_REACHED = {Question.Type.DISAGREEMENT: 4, Question.Type.CLAIM_SOURCE: 6}
# Most "which document" questions, which covered the passages nothing else asks about,
# now wait for review (their keys repeat): see docs/question-format.md.
MIN_COVERAGE = 0.4


def test_real_corpus_bank_meets_the_bar_and_is_deterministic(real_bank):
    # Its speed (< 10 s) is measured by `make bench`, not asserted here.
    published = Question.objects.published()
    assert published.count() >= 150
    for question_type in Question.Type:
        count = published.of_type(question_type).count()
        needed = (
            COMPARE_RENDERINGS_REACHED
            if question_type == Question.Type.COMPARE_RENDERINGS
            else FROM_NOTES_REACHED.get(question_type, MIN_PER_TYPE)
        )
        assert count >= needed, (question_type, count)
    cited, total = coverage()
    assert cited / total >= MIN_COVERAGE
    first = [
        c.fingerprint
        for c in generate_bank(corpus=load_snapshot(), seed=1956, groups=lesson_groups()).accepted
    ]
    second = [
        c.fingerprint
        for c in generate_bank(corpus=load_snapshot(), seed=1956, groups=lesson_groups()).accepted
    ]
    assert first == second
    assert set(first) == set(published.values_list("fingerprint", flat=True)) | set(
        Question.objects.filter(status=Question.Status.NEEDS_REVIEW).values_list(
            "fingerprint", flat=True
        )
    )


def test_every_lesson_has_balanced_true_false_and_spread_keys_and_the_report_says_so(
    real_bank, capsys
):
    balance = true_false_balance()
    assert balance[0].label == "Whole bank" and balance[0].total >= 15
    assert len(balance) >= 3, "lessons register their passage groups"
    for row in balance:
        assert in_band(row.true, row.total), (row.label, row.true, row.total)
    # always answering "false" no longer pays (21 of 27 statements were false)
    assert balance[0].true >= 0.4 * balance[0].total

    spread = key_spread(top=1)
    assert spread[0].items >= 100
    for row in spread:
        for key, count in row.top:
            # Lenin was the key of 24 questions; now of at most 5 % of any lesson
            assert count <= key_cap(row.items), (row.label, key, count, row.items)

    capsys.readouterr()
    call_command("question_report")
    out = capsys.readouterr().out
    assert "Substantive readable passages cited by a published question:" in out
    assert "True/false balance" in out and "Key spread" in out
    for row in balance:
        assert row.label[:20] in out
    tables = out.split("True/false balance")[1].split("Substantive readable")[0]
    assert " NO " not in tables  # every group balanced, every key within its share
