"""The bank generated from the real corpus meets the issue's bar (slow: loads all five sources)."""

import pytest
from django.core.management import call_command

from quizzes.generation import generate_bank, load_snapshot
from quizzes.generation.reporting import coverage
from quizzes.models import Question

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Every type has at least 15 published questions except compare renderings: the renderings
# differ by a clean one-word substitution in only a handful of places (kindness/politeness,
# lately/recently, case/instance, position/post); docs/question-format.md lists them.
MIN_PER_TYPE = 15
COMPARE_RENDERINGS_REACHED = 6


def test_real_corpus_bank_meets_the_bar_and_is_deterministic(capsys):
    call_command("load_corpus")
    # Its speed (< 10 s) is measured by `make bench`, not asserted here.
    call_command("generate_questions")
    published = Question.objects.published()
    assert published.count() >= 300
    for question_type in Question.Type:
        count = published.of_type(question_type).count()
        needed = (
            COMPARE_RENDERINGS_REACHED
            if question_type == Question.Type.COMPARE_RENDERINGS
            else MIN_PER_TYPE
        )
        assert count >= needed, (question_type, count)
    cited, total = coverage()
    assert cited / total >= 0.8
    corpus = load_snapshot()
    first = [c.fingerprint for c in generate_bank(corpus=corpus, seed=1956).accepted]
    second = [c.fingerprint for c in generate_bank(corpus=load_snapshot(), seed=1956).accepted]
    assert first == second
    assert set(first) == set(published.values_list("fingerprint", flat=True)) | set(
        Question.objects.filter(status=Question.Status.NEEDS_REVIEW).values_list(
            "fingerprint", flat=True
        )
    )


def test_question_report_prints_the_coverage_of_substantive_passages(capsys):
    call_command("load_corpus")
    call_command("generate_questions")
    capsys.readouterr()
    call_command("question_report")
    out = capsys.readouterr().out
    assert "Substantive readable passages cited by a published question:" in out
