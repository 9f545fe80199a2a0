"""Small make_* functions for test data: explicit, keyword-only, few defaults."""

from __future__ import annotations

import itertools

from corpus.models import GlossaryTerm, Passage, Source, TimelineEvent, Work

_counter = itertools.count(1)


def make_work(**kwargs) -> Work:
    n = next(_counter)
    kwargs.setdefault("slug", f"work-{n}")
    kwargs.setdefault("title", f"Work {n}")
    kwargs.setdefault("kind", Work.Kind.SPEECH)
    return Work.objects.create(**kwargs)


def make_source(**kwargs) -> Source:
    n = next(_counter)
    if "work" not in kwargs:
        kwargs["work"] = make_work()
    kwargs.setdefault("slug", f"source-{n}")
    kwargs.setdefault("title", f"Source {n}")
    kwargs.setdefault("file_name", f"source-{n}.txt")
    return Source.objects.create(**kwargs)


def make_passage(**kwargs) -> Passage:
    n = next(_counter)
    if "source" not in kwargs:
        kwargs["source"] = make_source()
    kwargs.setdefault("key", f"k{n}")
    kwargs.setdefault("ordinal", n)
    kwargs.setdefault("text", f"Passage number {n} of the test corpus.")
    return Passage.objects.create(**kwargs)


def make_term(**kwargs) -> GlossaryTerm:
    n = next(_counter)
    kwargs.setdefault("slug", f"term-{n}")
    kwargs.setdefault("name", f"Term {n}")
    kwargs.setdefault("kind", GlossaryTerm.Kind.PERSON)
    kwargs.setdefault("description", f"Description of term {n}.")
    return GlossaryTerm.objects.create(**kwargs)


def make_event(**kwargs) -> TimelineEvent:
    import datetime

    n = next(_counter)
    kwargs.setdefault("slug", f"event-{n}")
    kwargs.setdefault("title", f"Event {n}")
    kwargs.setdefault("date", datetime.date(1956, 2, 25))
    return TimelineEvent.objects.create(**kwargs)


def make_passages(*, source: Source, count: int, text: str = "", **kwargs) -> list[Passage]:
    """`count` passages of `source`, in order; `text` may use {n} for the passage number."""
    start = Passage.objects.filter(source=source).count()
    return [
        make_passage(
            source=source,
            ordinal=start + n,
            text=(text or "Passage {n} of the reader test source.").format(n=start + n),
            **kwargs,
        )
        for n in range(1, count + 1)
    ]


def make_question(*, test_only: bool | None = None, **kwargs):
    """A published question. `test_only`: which share of the bank it must fall in
    (`Question.is_test_only`, a hash of its sentence or, without one, its fingerprint).
    Unsaid, the practice share where the fingerprint decides, as most tests expect of a
    lesson's quiz; a sentence the caller chose decides for itself."""
    from quizzes.models import Question

    n = next(_counter)
    if "passage" not in kwargs:
        kwargs["passage"] = make_passage()
    if "fingerprint" not in kwargs:
        kwargs["fingerprint"] = _fingerprint_in_share(n, test_only, kwargs)
    kwargs.setdefault("type", Question.Type.CLOZE_NAME)
    kwargs.setdefault("stem", f"Which name completes sentence number {n} of the test corpus?")
    kwargs.setdefault(
        "options",
        [
            {"id": "a", "text": "Yezhov"},
            {"id": "b", "text": "Yagoda"},
            {"id": "c", "text": "Beria"},
        ],
    )
    kwargs.setdefault("answer", ["a"])
    kwargs.setdefault("fingerprint", f"{n:064x}")
    kwargs.setdefault("status", Question.Status.PUBLISHED)
    kwargs.setdefault("quality_score", 1.0)
    kwargs.setdefault("source", kwargs["passage"].source if kwargs["passage"] else None)
    return Question.objects.create(**kwargs)


def sentence_in_share(text: str, *, test_only: bool = False) -> str:
    """`text`, or `text` with a number added, so that questions quoting it fall in the share
    of the bank asked for (the split hashes the sentence: `Question.is_test_only`)."""
    from quizzes.models import Question

    for n in range(200):
        candidate = text if n == 0 else f"{text} ({n})"
        if Question(explanation_quote=candidate).is_test_only == test_only:
            return candidate
    raise ValueError("no variant of the sentence falls in that share")


def _fingerprint_in_share(n: int, test_only: bool | None, kwargs: dict) -> str:
    """A fingerprint that puts the question in the share asked for (practice, unsaid). A
    question with a sentence is split by the sentence: asked for, the share must fit it."""
    from quizzes.models import Question

    quote = kwargs.get("explanation_quote", "")
    for salt in range(200):
        fingerprint = f"{n:048x}{salt:016x}"
        share = Question(fingerprint=fingerprint, explanation_quote=quote).is_test_only
        if share == bool(test_only):
            return fingerprint
        if quote and test_only is None:
            return fingerprint  # the caller's sentence decides
    raise ValueError(f"the sentence {quote!r} is in the other share: choose another")


def make_module(**kwargs):
    from lessons.models import Module

    n = next(_counter)
    kwargs.setdefault("slug", f"module-{n}")
    kwargs.setdefault("title", f"Module {n}")
    kwargs.setdefault("ordinal", n)
    return Module.objects.create(**kwargs)


def make_section(**kwargs):
    """A section whose body is rendered (its citations resolved) as load_lessons would."""
    from lessons.models import Section

    n = next(_counter)
    if "module" not in kwargs:
        kwargs["module"] = make_module()
    kwargs.setdefault("slug", f"section-{n}")
    kwargs.setdefault("title", f"Section {n}")
    kwargs.setdefault("ordinal", n)
    kwargs.setdefault("body", f"Plain text of section {n}.")
    section = Section.objects.create(**kwargs)
    section.render_body()
    return section


def make_user(**kwargs):
    from django.contrib.auth.models import User

    n = next(_counter)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("first_name", f"Student {n}")
    password = kwargs.pop("password", "a-long-password-1956")
    return User.objects.create_user(password=password, **kwargs)


def make_school_class(**kwargs):
    from lessons.models import SchoolClass

    n = next(_counter)
    kwargs.setdefault("name", f"Class {n}")
    teachers = kwargs.pop("teachers", [])
    students = kwargs.pop("students", [])
    school_class = SchoolClass.objects.create(**kwargs)
    school_class.teachers.add(*teachers)
    for student in students:
        school_class.add_student(student)
    return school_class


def make_finished_attempt(*, quiz, user, results=(), finished_at=None, **kwargs):
    """A finished attempt answering each (question, correct) of `results`, a minute apart.

    `finished_at` defaults to now; pass `finished=False` for one still in progress.
    """
    import datetime

    from django.utils import timezone

    from quizzes.models import Attempt, Response

    finished = kwargs.pop("finished", True)
    start = kwargs.pop("started_at", None) or timezone.now() - datetime.timedelta(hours=1)
    results = list(results)
    kwargs.setdefault("number", quiz.attempts.filter(user=user).count() + 1)
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        mode=quiz.mode,
        question_ids=[q.pk for q, _ in results],
        started_at=start,
        finished_at=(finished_at or start + datetime.timedelta(minutes=30)) if finished else None,
        score=sum(1 for _, correct in results if correct),
        max_score=len(results),
        **kwargs,
    )
    Response.objects.bulk_create(
        Response(
            attempt=attempt,
            question=q,
            answer=q.answer if correct else ["z"],
            is_correct=correct,
            answered_at=start + datetime.timedelta(minutes=i),
        )
        for i, (q, correct) in enumerate(results, 1)
    )
    return attempt


def make_quiz(*, questions=None, count: int = 3, **kwargs):
    """A quiz over `questions` (or `count` new cloze questions), in that order."""
    from quizzes.models import Quiz, QuizItem

    n = next(_counter)
    kwargs.setdefault("title", f"Quiz {n}")
    quiz = Quiz.objects.create(**kwargs)
    if questions is None:
        questions = [make_question() for _ in range(count)]
    QuizItem.objects.bulk_create(
        QuizItem(quiz=quiz, question=question, position=position)
        for position, question in enumerate(questions, 1)
    )
    return quiz


def make_attempt(*, quiz, user, now=None):
    """An attempt started through the real lifecycle (quizzes.taking.start_attempt)."""
    from django.utils import timezone

    from quizzes.taking import start_attempt

    return start_attempt(quiz=quiz, user=user, now=now or timezone.now())


def make_teacher(**kwargs):
    """A user in the `teachers` group (with its permissions, as ensure_role_groups sets them)."""
    from lessons.accounts.roles import TEACHERS, ensure_role_groups

    user = make_user(**kwargs)
    user.groups.add(ensure_role_groups()[TEACHERS])
    return user


def make_assignment(*, school_class, quiz=None, teacher=None, **kwargs):
    """An assignment of `quiz` (or a new 3-question quiz) to `school_class`."""
    from lessons.models import Assignment

    if quiz is None:
        quiz = make_quiz(**kwargs.pop("quiz_kwargs", {}))
    kwargs.setdefault("title", quiz.title)
    return Assignment.objects.create(
        school_class=school_class, quiz=quiz, created_by=teacher, **kwargs
    )


def make_reference_work(**kwargs):
    from corpus.models import ReferenceWork

    n = next(_counter)
    kwargs.setdefault("slug", f"author-{n}")
    kwargs.setdefault("kind", ReferenceWork.Kind.BOOK)
    kwargs.setdefault("authors", [f"Ann Author{n}"])
    kwargs.setdefault("title", f"A History, Part {n}")
    kwargs.setdefault("publisher", "University Press")
    kwargs.setdefault("place", "Oxford")
    kwargs.setdefault("year", 2000)
    return ReferenceWork.objects.create(**kwargs)


def make_note(
    *,
    on=(),
    terms=(),
    events=(),
    lessons=(),
    references=(),
    cites=(),
    **kwargs,
):
    """An editorial note: `on` passages (targets, each a passage or (passage, quote)),
    `lessons` (slug, quote) pairs, `references` (work, locator) pairs, `cites` passages."""
    from corpus.models import EditorialNote, NoteLessonTarget, NotePassage, ReferenceCitation

    n = next(_counter)
    kwargs.setdefault("slug", f"note-{n}")
    kwargs.setdefault("kind", EditorialNote.Kind.CONTEXT)
    kwargs.setdefault("title", f"Note {n} heading")
    kwargs.setdefault("body", f"First paragraph of note {n}.\n\nSecond paragraph of note {n}.")
    note = EditorialNote.objects.create(**kwargs)
    for ordinal, target in enumerate(on):
        passage, quote = target if isinstance(target, tuple) else (target, target.text[:40])
        NotePassage.objects.create(
            note=note, passage=passage, role=NotePassage.Role.TARGET, quote=quote, ordinal=ordinal
        )
    for ordinal, passage in enumerate(cites, start=len(on)):
        NotePassage.objects.create(
            note=note,
            passage=passage,
            role=NotePassage.Role.CITES,
            quote=passage.text[:40],
            ordinal=ordinal,
        )
    for ordinal, (work, at) in enumerate(references):
        ReferenceCitation.objects.create(note=note, work=work, at=at, ordinal=ordinal)
    for ordinal, (lesson, quote) in enumerate(lessons):
        NoteLessonTarget.objects.create(note=note, lesson=lesson, quote=quote, ordinal=ordinal)
    note.terms.add(*terms)
    note.events.add(*events)
    return note
