"""Every lesson's pool on the real bank is big enough for a fair test (issue 14 part 4): at
least 60 published questions, balanced and spread as the bank's rules require, the ones
resting on timeline and glossary entries backed by reference works (slow: loads all five
sources and the four lessons)."""

from collections import Counter

import pytest

from quizzes.feedback_entries import entries_by_question
from quizzes.generation.answer_keys import ONE_ANSWER_TYPES, AnswerKeys, key_cap
from quizzes.generation.balancing import in_band
from quizzes.models import Question
from quizzes.passage_groups import passage_groups

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.bank]

POOL_FLOOR = 60  # the bar: a test can draw what practice has not shown


def test_every_lessons_pool_is_big_balanced_and_spread(real_bank):
    from corpus.models import GlossaryTerm

    keys = AnswerKeys(GlossaryTerm.objects.all())
    groups = passage_groups()
    assert len(groups) == 4
    for group in groups.values():
        pool = list(group.questions())
        assert len(pool) >= POOL_FLOOR, (group.label, len(pool))
        statements = [q for q in pool if q.type == Question.Type.TRUE_FALSE]
        true = sum(q.answer == ["true"] for q in statements)
        assert in_band(true, len(statements)), (group.label, true, len(statements))
        one_answer = [q for q in pool if q.type in ONE_ANSWER_TYPES]
        counts = Counter(keys.key(q.correct_texts()[0]) for q in one_answer)
        key, most = counts.most_common(1)[0]
        # 5 % of the lesson's items: of every question a test may draw from it
        assert most <= key_cap(len(pool)), (group.label, key, most)
        # Not one kind of question: a test draws several types from every lesson.
        assert len({q.type for q in pool}) >= 5, group.label


def test_questions_without_a_passage_rest_on_entries_citing_reference_works(real_bank):
    resting = list(Question.objects.published().filter(passage__isnull=True))
    assert len(resting) >= 60  # what happened, beside what the sources say
    entries = entries_by_question(questions=resting)
    for question in resting:
        shown = entries.get(question.pk, ())
        assert shown, question.stem
        # What happened is cited to reference works; an event's date may be a passage's.
        assert all(entry.references or entry.passages for entry in shown), question.stem
