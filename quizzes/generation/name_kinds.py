"""Kinds of places a text of Soviet history names: the union and its fifteen republics.

A republic is asked among the other republics and never beside the union that held
it (`name_choice`), and the snapshot gives a discovered republic that role.
"""

from __future__ import annotations

from corpus import discovery

# The fifteen republics of the Soviet Union as texts of the period name them (canonical
# name first, then other names), a key's natural distractors.
SOVIET_REPUBLICS = {
    "Russia": ("RSFSR", "Russian Republic"),
    "Ukraine": ("Ukrainian SSR", "the Ukraine"),
    "Belorussia": ("Byelorussia", "Belarus"),
    "Uzbekistan": ("Uzbek Republic",),
    "Kazakhstan": ("Kazakh Republic", "Kazakh SSR"),
    "Georgia": ("Georgian SSR",),
    "Azerbaijan": ("Azerbaijani SSR",),
    "Lithuania": (),
    "Moldavia": ("Moldova",),
    "Latvia": (),
    "Kirghizia": ("Kyrgyzstan", "Kirgizia", "Kirghiz Republic"),
    "Tajikistan": ("Tajik Republic", "Tadzhikistan", "Tadzhik Republic"),
    "Armenia": (),
    "Turkmenistan": ("Turkmenia",),
    "Estonia": (),
}
# Names of the union itself: one of them is never a distractor for another, nor for a
# republic inside it.
UNION_NAMES = {"ussr", "soviet union", "the soviet union", "u.s.s.r.", "russia"}
REPUBLIC_ROLE = "soviet-republic"


def republic_of(name: str) -> str:
    """The canonical name of the Soviet republic `name` names, or ""."""
    folded = discovery.fold(name)
    for republic, others in SOVIET_REPUBLICS.items():
        if folded in {discovery.fold(n) for n in (republic, *others)}:
            return republic
    return ""
