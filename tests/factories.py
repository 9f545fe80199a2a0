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
