"""Answering and finishing are idempotent, whatever order the requests come in.

A hypothesis state machine plays a student with several tabs and a back button:
it opens question pages (keeping every form they rendered), submits any of
those forms, fresh or stale, with any choice, repeats a submission, goes back,
finishes (twice if it likes) and starts new attempts, in practice and test mode.
A few steps call quizzes.taking directly with an Attempt loaded earlier, the way
two requests racing each other see the row: one loaded before the other wrote.

After every step the database must agree with a model of the rules
(quizzes/taking.py): at most one Response per (attempt, question); the first
valid answer to a question is the one kept (a later or older page's submission
never replaces it, in either mode: answers cannot be changed); a finished attempt
takes no more answers and keeps its score; the score is the number of correct
recorded responses; answered_count counts the responses; at most one attempt is open.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from quizzes.grading import InvalidAnswer
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.taking import AttemptClosed, finish_attempt, record_answer
from tests.factories import make_question, make_quiz, make_user
from tests.reliability.figures import record

pytestmark = pytest.mark.django_db

QUESTIONS = 3
RIGHT = "a"
CHOICES = ["a", "b", "c", "zz", ""]  # "zz" and "" are not options: refused, nothing stored
HTMX = {"HTTP_HX_REQUEST": "true"}

_FORM = re.compile(r'<form method="post" action="/attempts/(\d+)/answer/"')
_QUESTION = re.compile(r'name="question" value="(\d+)"')
_CHOICE = re.compile(r'name="choice" value="([^"]+)"')

RUNS = {
    "runs": 0,
    "steps": 0,
    "form_submissions": 0,
    "stale_submissions": 0,
    "kept_first": 0,
    "after_finish": 0,
}


@dataclass(frozen=True)
class RenderedForm:
    """A question form as a page rendered it: which attempt, which question, which choices."""

    attempt_id: int
    question_id: int
    choices: tuple[str, ...]


@dataclass
class ModelAttempt:
    answers: dict[int, str] = field(default_factory=dict)  # question id: first valid choice
    finished: bool = False
    score: int | None = None


class AttemptMachine(RuleBasedStateMachine):
    forms = Bundle("forms")

    def __init__(self) -> None:
        super().__init__()
        RUNS["runs"] += 1
        self.client = Client()
        self.user = make_user()
        self.client.force_login(self.user)
        self.model: dict[int, ModelAttempt] = {}
        self.current: int | None = None
        self.last_post: tuple[str, dict, bool] | None = None
        self.pages: list[str] = []
        self.loaded: list[Attempt] = []

    # --- Setup ---------------------------------------------------------------------------

    @initialize(mode=st.sampled_from([Quiz.Mode.PRACTICE, Quiz.Mode.TEST]))
    def build_quiz(self, mode: str) -> None:
        questions = [make_question() for _ in range(QUESTIONS)]
        self.quiz = make_quiz(questions=questions, mode=mode, kind=Quiz.Kind.CUSTOM)
        self.start()

    # --- Rules ---------------------------------------------------------------------------

    @rule()
    def start(self) -> None:
        """Start (or resume) an attempt: a new one only when none is open."""
        RUNS["steps"] += 1
        response = self.client.post(reverse("quizzes:quiz_start", args=[self.quiz.pk]))
        assert response.status_code == 302
        attempt_id = int(re.search(r"/attempts/(\d+)/", response["Location"])[1])
        open_ids = [pk for pk, a in self.model.items() if not a.finished]
        if open_ids:
            assert attempt_id == open_ids[0], "resuming must return the open attempt"
        else:
            assert attempt_id not in self.model, "a finished attempt was handed out again"
            self.model[attempt_id] = ModelAttempt()
        self.current = attempt_id

    @rule(target=forms, position=st.integers(0, QUESTIONS + 1), htmx=st.booleans())
    def open_page(self, position: int, htmx: bool):
        """Open question `position` (or the next unanswered one) of the current attempt."""
        RUNS["steps"] += 1
        url = reverse("quizzes:attempt_question", args=[self.current])
        if position:
            url += f"?q={position}"
        return self._render(url, htmx)

    @rule(target=forms)
    def go_back(self):
        """The back button: the page before the last, rendered again."""
        RUNS["steps"] += 1
        if len(self.pages) < 2:
            return self._render(reverse("quizzes:attempt_question", args=[self.current]), False)
        return self._render(self.pages[-2], False)

    @rule(form=forms, choice=st.sampled_from(CHOICES), htmx=st.booleans())
    def submit(self, form: RenderedForm | None, choice: str, htmx: bool) -> None:
        """Submit any form ever rendered, fresh or stale, with any choice."""
        self._submit(form, choice, htmx)

    # The same action twice over, so hypothesis draws it about twice as often as the
    # others: submissions are where answers could be lost or doubled.
    @rule(form=forms, choice=st.sampled_from(CHOICES), htmx=st.booleans())
    def submit_another(self, form: RenderedForm | None, choice: str, htmx: bool) -> None:
        self._submit(form, choice, htmx)

    @rule()
    def repeat_last_submission(self) -> None:
        """The same POST again: a double click, a retry, a reload that resubmits."""
        RUNS["steps"] += 1
        if self.last_post is not None:
            attempt_id, data, htmx = self.last_post
            self._post_answer(attempt_id, data, htmx)

    @rule(choice=st.sampled_from(["a", "b", "c"]))
    def change_the_last_answer(self, choice: str) -> None:
        """The last submission again with another choice: the back button, a new mind."""
        RUNS["steps"] += 1
        if self.last_post is not None:
            attempt_id, data, htmx = self.last_post
            self._post_answer(attempt_id, {**data, "choice": choice}, htmx)

    @rule(which=st.integers(0, 10), twice=st.booleans(), hesitate=st.integers(0, 2))
    def finish(self, which: int, twice: bool, hesitate: int) -> None:
        """Finish the current attempt, or an older one, once or twice.

        Two times in three the student thinks better of it: rules are drawn evenly,
        and finishing every few steps would close most attempts before they fill up."""
        RUNS["steps"] += 1
        if hesitate:
            return
        attempt_id = self._pick(which)
        for _ in range(2 if twice else 1):
            response = self.client.post(reverse("quizzes:attempt_finish", args=[attempt_id]))
            assert response.status_code == 302
            self._model_finish(attempt_id)

    @rule(
        action=st.sampled_from(["load", "answer", "answer", "finish"]),
        index=st.integers(0, 10),
        position=st.integers(0, QUESTIONS - 1),
        choice=st.sampled_from(CHOICES),
    )
    def act_on_a_row_loaded_earlier(self, action: str, index: int, position: int, choice: str):
        """What a request does with the Attempt row it loaded, after other requests wrote:
        load the current attempt now, or answer or finish through one loaded before."""
        RUNS["steps"] += 1
        if action == "load" or not self.loaded:
            self.loaded.append(Attempt.objects.select_related("quiz").get(pk=self.current))
            return
        attempt = self.loaded[index % len(self.loaded)]
        if action == "finish":
            finish_attempt(attempt=attempt, now=timezone.now())
            self._model_finish(attempt.pk)
            return
        question = Question.objects.get(pk=attempt.question_ids[position])
        with contextlib.suppress(AttemptClosed, InvalidAnswer):  # the model knows which
            record_answer(attempt=attempt, question=question, answer=[choice], now=timezone.now())
        self._model_answer(attempt.pk, question.pk, choice)

    # --- Invariants ------------------------------------------------------------------------

    @invariant()
    def database_agrees_with_the_model(self) -> None:
        if not self.model:
            return
        attempts = {a.pk: a for a in Attempt.objects.filter(user=self.user)}
        assert set(attempts) == set(self.model)
        assert sum(1 for a in attempts.values() if a.finished_at is None) <= 1
        responses = list(Response.objects.filter(attempt__user=self.user))
        pairs = [(r.attempt_id, r.question_id) for r in responses]
        assert len(pairs) == len(set(pairs)), "two responses to one question"
        for pk, expected in self.model.items():
            attempt = attempts[pk]
            recorded = {r.question_id: r for r in responses if r.attempt_id == pk}
            # The first valid answer stands: nothing older or newer replaced it.
            assert {q: r.answer for q, r in recorded.items()} == {
                q: [c] for q, c in expected.answers.items()
            }
            assert all(r.is_correct == (r.answer == [RIGHT]) for r in recorded.values())
            assert attempt.answered_count == len(recorded)
            assert attempt.is_finished == expected.finished
            if expected.finished:
                correct = sum(r.is_correct for r in recorded.values())
                assert attempt.score == correct == expected.score
                assert attempt.max_score == QUESTIONS

    # --- Helpers ---------------------------------------------------------------------------

    def _render(self, url: str, htmx: bool) -> RenderedForm | None:
        response = self.client.get(url, **(HTMX if htmx else {}))
        assert response.status_code in (200, 302)
        self.pages.append(url)
        if response.status_code != 200:
            return None
        html = response.content.decode()
        form, question = _FORM.search(html), _QUESTION.search(html)
        if form is None or question is None:
            return None
        return RenderedForm(int(form[1]), int(question[1]), tuple(_CHOICE.findall(html)))

    def _submit(self, form: RenderedForm | None, choice: str, htmx: bool) -> None:
        RUNS["steps"] += 1
        if form is None:
            return
        RUNS["form_submissions"] += 1
        data = {"question": str(form.question_id)}
        if choice:
            data["choice"] = choice
        self._post_answer(form.attempt_id, data, htmx)

    def _post_answer(self, attempt_id: int, data: dict, htmx: bool) -> None:
        response = self.client.post(
            reverse("quizzes:attempt_answer", args=[attempt_id]), data, **(HTMX if htmx else {})
        )
        assert response.status_code in (200, 302, 400), response.status_code
        self.last_post = (attempt_id, data, htmx)
        self._model_answer(attempt_id, int(data["question"]), data.get("choice", ""))

    def _model_answer(self, attempt_id: int, question_id: int, choice: str) -> None:
        expected = self.model[attempt_id]
        if attempt_id != self.current:
            RUNS["stale_submissions"] += 1
        if expected.finished:
            RUNS["after_finish"] += 1
            return
        if choice not in ("a", "b", "c"):
            return
        if question_id in expected.answers:
            RUNS["kept_first"] += expected.answers[question_id] != choice
            return
        expected.answers[question_id] = choice

    def _model_finish(self, attempt_id: int) -> None:
        expected = self.model[attempt_id]
        if not expected.finished:
            expected.finished = True
            expected.score = sum(choice == RIGHT for choice in expected.answers.values())

    def _pick(self, which: int) -> int:
        ids = sorted(self.model)
        return self.current if which >= len(ids) else ids[which]


def test_interleaved_answers_and_finishes_never_double_count_or_overwrite():
    RUNS.update(dict.fromkeys(RUNS, 0))
    run_state_machine_as_test(
        AttemptMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    record(
        "state-machine",
        [
            f"- State-machine runs: {RUNS['runs']}, steps: {RUNS['steps']} (practice and test "
            "mode; open a question, go back, submit any form ever rendered, repeat or change "
            "the last submission, finish once or twice, start again, and answer or finish "
            "through an Attempt row loaded before other requests wrote).",
            f"- Forms submitted: {RUNS['form_submissions']}; to an attempt other than the "
            f"current one: {RUNS['stale_submissions']}; to a finished attempt: "
            f"{RUNS['after_finish']}; a different answer to an answered question: "
            f"{RUNS['kept_first']}. None changed a recorded answer or a score, and no "
            "question ever had two responses.",
        ],
        title="Interleavings",
    )
