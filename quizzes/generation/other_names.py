"""Which option texts name the same thing: never a key and a distractor both.

Two texts name the same thing when they are spellings of one glossary term (its name,
aliases and family name: Beria / Beriya), or of two terms the glossary declares the same
under another name (`GlossaryTerm.same_as`: the Political Bureau was called the Presidium
of the Central Committee from 1952 to 1966). `same_as` works both ways and carries over
(a = b and b = c make a = c).
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus.models import GlossaryTerm
from quizzes.generation.glossary_choice import NAMED_KINDS as NAME_KINDS
from quizzes.generation.glossary_choice import all_spellings
from quizzes.generation.sentences import normalise


class OtherNames:
    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        terms = list(terms)
        parent = {t.slug: t.slug for t in terms}

        def root(slug: str) -> str:
            while parent[slug] != slug:
                parent[slug] = parent[parent[slug]]
                slug = parent[slug]
            return slug

        for term in terms:
            for other in getattr(term, "same_as", None) or []:
                if other in parent:
                    parent[root(other)] = root(term.slug)
        self._group_of = {t.slug: root(t.slug) for t in terms}
        self._spellings: dict[str, set[str]] = {}  # group -> normalised spellings
        self._shown: dict[str, list[str]] = {}  # group -> spellings as written
        self._groups: dict[str, set[str]] = {}  # normalised spelling -> groups
        self._term_spellings: dict[str, set[str]] = {}  # slug -> normalised spellings
        self._kinds = {t.slug: t.kind for t in terms}
        for term in terms:
            group = self._group_of[term.slug]
            for spelling in all_spellings(term):
                key = normalise(spelling)
                if not key:
                    continue
                if term.kind in NAME_KINDS:
                    self._term_spellings.setdefault(term.slug, set()).add(key)
                self._groups.setdefault(key, set()).add(group)
                self._spellings.setdefault(group, set()).add(key)
                self._shown.setdefault(group, []).append(spelling)

    def groups(self, text: str) -> set[str]:
        return self._groups.get(normalise(text), set())

    def same_thing(self, a: str, b: str) -> bool:
        """Whether the two texts name one glossary term, or terms that are the same."""
        return bool(self.groups(a) & self.groups(b))

    def same_as(self, a: GlossaryTerm, b: GlossaryTerm) -> bool:
        group_a, group_b = self._group_of.get(a.slug), self._group_of.get(b.slug)
        return group_a is not None and group_a == group_b

    def of(self, text: str) -> list[str]:
        """Every name of what `text` names, as written (itself included); [] if unknown."""
        names: list[str] = []
        for group in sorted(self.groups(text)):
            names += [s for s in self._shown[group] if s not in names]
        return names

    def terms_in(self, text: str) -> dict[str, str]:
        """The people, bodies and places (slug -> kind) one of whose spellings the text
        gives (whole words); not ideas or documents, which a claim names as its subject."""
        hay = f" {normalise(text)} "
        return {
            slug: self._kinds[slug]
            for slug, spellings in self._term_spellings.items()
            if any(f" {s} " in hay for s in spellings)
        }
