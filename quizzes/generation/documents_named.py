"""Name the document a stem built from a timeline title speaks of.

A timeline entry is read beside its lesson, where "the speech" or "the text" can only be
Khrushchev's; a question stands alone, and blind raters asked "which speech?", "the text
of what?", "a copy of what?" (round 2: "the State Department released the text to the
press", "the CC resolution was made public"). The first bare mention is named in full;
a stem that already names the document is left alone.
"""

from __future__ import annotations

import re

SPEECH = "Khrushchev's Secret Speech"
# Without Khrushchev's name where he may be an option, without a date where one is asked.
SPEECH_UNNAMED = "the Secret Speech"
# Named by its title, not its date: "On what date was the CC resolution of 30 June 1956 made
# public?" would rule out every earlier day.
RESOLUTION = "the CC resolution on the cult of the individual"

_NAMED_SPEECH = re.compile(r"Secret Speech|Khrushchev['’]s (?:secret )?speech", re.I)
_NAMED_RESOLUTION = re.compile(r"CC resolution (?:of|on|\"|“)|resolution of 30 June", re.I)
# The bare mentions, with what each becomes; "the text" and "a copy" only where no "of"
# says of what.
_SPEECH_MENTIONS = (
    (re.compile(r"\bthe reported speech\b"), f"the reports of {SPEECH}"),
    (re.compile(r"\b[Tt]he speech\b(?!['’])"), SPEECH),
    (re.compile(r"\bthe text\b(?! of\b)"), f"the text of {SPEECH}"),
    (re.compile(r"\ba copy\b(?! of\b)"), f"a copy of {SPEECH}"),
)
_RESOLUTION_MENTION = re.compile(r"\b[Tt]he CC resolution\b(?! (?:of|on)\b)")


def name_documents(text: str, *, speech: str = SPEECH) -> str:
    """`text` with its first bare "the speech" / "the text" / "a copy" / "the CC
    resolution" naming the document in full; `speech` is how the speech is named (a
    question whose options are people names it without Khrushchev's name)."""
    if not _NAMED_SPEECH.search(text):
        for pattern, template in _SPEECH_MENTIONS:
            full = template.replace(SPEECH, speech)
            m = pattern.search(text)
            if m:
                text = text[: m.start()] + full + text[m.end() :]
                break
    if not _NAMED_RESOLUTION.search(text):
        m = _RESOLUTION_MENTION.search(text)
        if m:
            full = RESOLUTION[0].upper() + RESOLUTION[1:] if m.group()[0] == "T" else RESOLUTION
            text = text[: m.start()] + full + text[m.end() :]
    return text
