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


def make_question(**kwargs):
    from quizzes.models import Question

    n = next(_counter)
    if "passage" not in kwargs:
        kwargs["passage"] = make_passage()
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
