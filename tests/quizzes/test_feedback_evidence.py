"""The feedback card quotes what a question rests on: a chronology, every event's passage."""

import pytest
from django.template.loader import render_to_string

from quizzes.cards import Feedback
from quizzes.models import Question
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_chronology_feedback_quotes_each_events_dating_sentence_on_its_own_line():
    quote = (
        "“Comrade Rozenblum … was arrested in 1937 by the Leningrad NKVD.” "
        "(Khrushchev's Secret Speech)\n"
        "“By the afternoon of April 13 1956, the Shin Bet in Israel had received the "
        "photographs.” (the encyclopedia article on the speech)"
    )
    question = make_question(
        type=Question.Type.CHRONOLOGY,
        options=[{"id": "a", "text": "Rozenblum arrested"}, {"id": "b", "text": "Shin Bet"}],
        answer=["a", "b"],
        explanation="From the earliest: 1937, Rozenblum arrested; 13 April 1956, Shin Bet.",
        explanation_quote=quote,
    )
    html = render_to_string("quizzes/_evidence.html", {"feedback": Feedback(question, None)})
    assert "NKVD.” (Khrushchev&#x27;s Secret Speech)<br>“By the afternoon" in html
    # each line names its source, so no single source is cited for them all
    assert "<cite>" not in html


def test_one_passage_feedback_still_cites_its_source():
    question = make_question(explanation="Because.", explanation_quote="Eikhe was shot.")
    html = render_to_string("quizzes/_evidence.html", {"feedback": Feedback(question, None)})
    assert f"<cite>{question.passage.source.title}</cite>" in html
    assert "<br>" not in html
