"""Errata: curator-readable corrections of a source's digitisation slips.

One TOML file per source, ``corpus/data/errata/<source-slug>.toml``::

    [[correction]]
    wrong = "lie is capricious"
    right = "he is capricious"
    note = "OCR read 'he' as 'lie'."

`wrong` is matched as written (case-sensitive) and never inside a longer word,
so "eves" does not touch "sleeves"; give enough context ("before their eves")
that only the slip matches.  Corrections apply to passages after cleaning, and
each applied one is recorded on the passage so the reader can show it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.plumbing.plain_text import control_character_problem


class ErrataError(ValueError):
    """An errata file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Correction:
    wrong: str
    right: str
    note: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        # Word boundaries only where the text itself starts/ends with a word
        # character: "part)" must still match before a comma.
        start = r"(?<!\w)" if re.match(r"\w", self.wrong) else ""
        end = r"(?!\w)" if re.search(r"\w$", self.wrong) else ""
        return re.compile(start + re.escape(self.wrong) + end)


def load_toml(data: str, *, name: str) -> dict:
    """`tomllib.loads` with every way a hostile document makes it fail as an ErrataError:
    invalid TOML, arrays or tables nested so deep that the parser runs out of stack, and
    integers too long for Python to read."""
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as error:
        raise ErrataError(f"{name}: not valid TOML ({error})") from error
    except RecursionError:
        raise ErrataError(f"{name}: not valid TOML (nested too deeply)") from None
    except ValueError:  # an integer of more than 4,300 digits (Python refuses to read it)
        raise ErrataError(f"{name}: not valid TOML (a number too long to read)") from None


def parse_errata(data: str, *, name: str) -> list[Correction]:
    document = load_toml(data, name=name)
    entries = document.get("correction", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ErrataError(f"{name}: 'correction' must be an array of tables ([[correction]])")
    corrections = []
    for number, entry in enumerate(entries, start=1):
        wrong, right, note = entry.get("wrong"), entry.get("right"), entry.get("note", "")
        if not isinstance(wrong, str) or not wrong or not isinstance(right, str):
            raise ErrataError(f"{name}: correction {number} needs text 'wrong' and 'right'")
        if not isinstance(note, str):
            raise ErrataError(f"{name}: correction {number}'s 'note' must be text")
        if wrong == right:
            raise ErrataError(f"{name}: correction {number} changes nothing ({wrong!r})")
        problem = control_character_problem([wrong, right, note])
        if problem:
            raise ErrataError(f"{name}: correction {number} {problem}")
        corrections.append(Correction(wrong=wrong, right=right, note=note))
    return corrections


def read_errata(path: Path) -> tuple[list[Correction], bytes]:
    """The corrections in `path` and its bytes (part of the ingest fingerprint);
    no file means no corrections."""
    if not path.exists():
        return [], b""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ErrataError(f"{path.name}: not UTF-8 text") from error
    return parse_errata(text, name=path.name), data


def changed_words(wrong: str, right: str) -> tuple[str, str]:
    """The words a correction actually changes, without the context that anchors it:
    ("were onlv incipient", "were only incipient") -> ("onlv", "only")."""
    a, b = wrong.split(" "), right.split(" ")
    while len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return " ".join(a), " ".join(b)


def apply_corrections(
    text: str, corrections: Sequence[Correction]
) -> tuple[str, list[dict[str, str]]]:
    """`text` with every matching correction applied, and the applied ones as
    ``[{"wrong": ..., "right": ...}]`` (the shape of Passage.corrections), narrowed to
    the words changed so the reader can mark exactly those."""
    applied = []
    for correction in corrections:
        text, count = correction.pattern.subn(lambda _match, c=correction: c.right, text)
        if count:
            wrong, right = changed_words(correction.wrong, correction.right)
            applied.append({"wrong": wrong, "right": right})
    return text, applied
