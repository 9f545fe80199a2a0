"""Usernames that cannot pass for someone else's.

A new username is normalised (Unicode NFKC: a full-width "ｓｔｕｄｅｎｔ" is "student") and
refused when it looks like an existing one: "ѕtudent" with a Cyrillic ѕ, or "stud℮nt",
reads as "student" on a teacher's screen and a printed roster. Two names
look alike when their skeletons are equal: each is normalised, case-folded and every
character that is not ASCII replaced by its ASCII look-alike from the Unicode confusables
table (confusable-homoglyphs ships it), before and after case-folding. Plain ASCII look-alikes (l and 1, O and 0) are left
alone: students' real names and numbers collide there too often to refuse them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from confusable_homoglyphs.confusables import confusables_data
from django.contrib.auth.models import User
from django.db.models.functions import Length


def normalise(username: str) -> str:
    return unicodedata.normalize("NFKC", username)


@cache
def _ascii_look_alike(character: str) -> str:
    for homoglyph in confusables_data.get(character, ()):
        look_alike = homoglyph["c"]
        if len(look_alike) == 1 and look_alike.isascii() and look_alike.isalnum():
            return look_alike.casefold()
    return character


def _look_alikes(text: str) -> str:
    return "".join(c if c.isascii() else _ascii_look_alike(c) for c in text)


def skeletons(username: str) -> set[str]:
    """What a username looks like: two names sharing a skeleton cannot be told apart.
    Look-alikes are replaced after case-folding ("ѕ" reads as "s"), and also before it
    ("Т", Cyrillic, reads as "T", though its "т" does not read as "t")."""
    name = normalise(username)
    return {
        _look_alikes(name.casefold()),
        _look_alikes(_look_alikes(name).casefold()),
    }


def skeleton(username: str) -> str:
    """The first of `skeletons`: the name case-folded, then its look-alikes replaced."""
    return _look_alikes(normalise(username).casefold())


def look_alike_in(username: str, others: Iterable[str]) -> str | None:
    """The first of `others` that looks like `username` (the same name included), or None."""
    wanted = skeletons(username)
    return next((other for other in others if skeletons(other) & wanted), None)


def _lengths(username: str) -> set[int]:
    # A look-alike has about as many characters: each is replaced by one, and case-folding
    # lengthens a few ("ß" is "ss"); a little slack covers those.
    sizes = [len(normalise(username)), *(len(s) for s in skeletons(username))]
    low, high = min(sizes), max(sizes)
    return set(range(max(low - 2, 1), high + 3))


def candidates(usernames: Iterable[str]) -> list[str]:
    """Existing usernames that could look like any of `usernames`: one query, reading only
    names of about their length."""
    lengths = set().union(*(_lengths(name) for name in usernames))
    if not lengths:
        return []
    return list(
        User.objects.annotate(name_length=Length("username"))
        .filter(name_length__in=sorted(lengths))
        .values_list("username", flat=True)
    )


def existing_look_alike(username: str) -> str | None:
    """An account whose username looks like `username` (or is it, in any case), or None."""
    return look_alike_in(username, candidates([username]))


def look_alike_message(username: str, existing: str) -> str:
    if existing.casefold() == normalise(username).casefold():
        return f"The username “{username}” is already taken."
    return (
        f"The username “{username}” looks too much like “{existing}”, which is already "
        "taken: choose one that cannot be mistaken for it."
    )
