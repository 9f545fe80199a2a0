"""Distractors for a name a new document gives: like for like, never a giveaway.

`like_terms` (glossary_choice) picks terms of the key's role. What it cannot see, and
a strict reader does, is decided here:

* **The same sort of place.** A Soviet republic among Soviet republics (never the USSR
  that holds it: "Ust-Kamenogorsk in the USSR" is true too), a region among regions
  ("the far north of Kiev" is absurd), a city among cities; a country among countries
  but never one whose people the passage names ("Hungarians fled to Hungary") or that
  holds, or is held by, the key ("Stalino in the Soviet Union").
* **People of the same sex** where a name tells it (Slavic forms: "Dora Lazurkina",
  "Furtseva"): "Lenin had appeared to her" among three men gives the key away.
* **People of the same document** for a name the glossary lacks: the men and women the
  article names, then the glossary's people it names; never a name another document
  happens to give (Engels beside Solzhenitsyn).
"""

from __future__ import annotations

import random
import re

from corpus import discovery
from corpus.models import GlossaryTerm
from quizzes.generation import clues
from quizzes.generation.corpus_snapshot import DISCOVERED, CorpusSnapshot, is_discovered
from quizzes.generation.glossary_choice import (
    ROLE_FALLBACK_PENALTY,
    all_spellings,
    display,
    like_terms,
)
from quizzes.generation.name_kinds import (
    REPUBLIC_ROLE,
    SOVIET_REPUBLICS,
    UNION_NAMES,
    republic_of,
)
from quizzes.generation.sentences import contains_phrase

# Regions a distractor for a region may be (when the document names too few of its own).
REGION_NAMES = ("Siberia", "the Urals", "the Caucasus", "Central Asia", "the Far East", "Kolyma")
# Adjectives and peoples that do not start like their country's name.
_IRREGULAR = {
    "poland": ("Polish", "Pole"),
    "france": ("French",),
    "netherlands": ("Dutch",),
    "united kingdom": ("British", "Briton", "English"),
    "uk": ("British", "Briton", "English"),
    "spain": ("Spanish", "Spaniard"),
    "finland": ("Finnish", "Finn"),
    "sweden": ("Swedish", "Swede"),
    "denmark": ("Danish", "Dane"),
    "turkey": ("Turkish", "Turk"),
    "greece": ("Greek",),
    "switzerland": ("Swiss",),
    "china": ("Chinese",),
    "ussr": ("Soviet",),
    "soviet union": ("Soviet",),
    "united states": ("American",),
    "usa": ("American",),
}


def _republic_term(name: str) -> GlossaryTerm:
    term = GlossaryTerm(
        slug=f"republic-{name.lower()}",
        name=name,
        kind=GlossaryTerm.Kind.PLACE,
        role=REPUBLIC_ROLE,
        aliases=list(SOVIET_REPUBLICS[name]),
    )
    term.discovered = True
    return term


def _region_term(name: str) -> GlossaryTerm:
    term = GlossaryTerm(slug=f"region-{name.lower()}", name=name, kind=GlossaryTerm.Kind.PLACE)
    term.discovered = True
    return term


def peoples_named(country: GlossaryTerm, text: str) -> bool:
    """Whether `text` names the country's people or uses its adjective: "Hungarians",
    "Soviet troops", "Polish party"."""
    name = country.name
    folded = discovery.fold(name)
    words = set(re.findall(r"\b[A-Z][\w'-]+", text))
    forms = _IRREGULAR.get(folded, ())
    if any(w.startswith(form) for w in words for form in forms):
        return True
    first = name.split()[0]
    stem = first[: max(4, min(5, len(first) - 3))]
    return any(w.startswith(stem) and w != first for w in words)


def _union_or_within(key: GlossaryTerm, other: GlossaryTerm) -> bool:
    """Whether one of the two holds the other or is another name of it (USSR / Soviet
    Union; the USSR and a republic inside it)."""
    a, b = discovery.fold(key.name), discovery.fold(other.name)
    if a in UNION_NAMES and (b in UNION_NAMES or republic_of(other.name)):
        return True
    return b in UNION_NAMES and bool(republic_of(key.name))


def place_fits(answer: GlossaryTerm, other: GlossaryTerm, text: str) -> bool:
    """Whether `other` may be offered for the place `answer` in `text`: not holding it or
    held by it, not a country whose people or adjective `text` uses, and never the Soviet
    Union for a foreign country: the country whose leaders act in these documents is no
    place they visit or condemn ("he condemned the leaders of _____", "after a visit to
    Yugoslavia and _____")."""
    if _union_or_within(answer, other) or peoples_named(other, text):
        return False
    return not (
        discovery.fold(other.name) in UNION_NAMES and discovery.fold(answer.name) not in UNION_NAMES
    )


# Newspapers that report, print or announce the same news: "_____ reported the change the
# next day" has several defensible answers unless the sentence tells the paper apart.
_REPORTS = re.compile(
    r"^(?:\s+\w+){0,2}?\s+(?:reported|printed|published|announced|carried|headlined|reports|"
    r"prints|publishes|announces|carries)\b"
)
_PAPER_BEFORE = re.compile(r"\b(?:paper|newspaper|magazine|daily|weekly|organ)\s+$")


def reported_by_many(term: GlossaryTerm, before: str, after: str) -> bool:
    """Whether a newspaper named between `before` and `after` is the subject of a verb of
    reporting that other papers could be the subject of too."""
    press = term.role == "press" or term.role.endswith(".press")
    return press and bool(_REPORTS.match(after)) and not _PAPER_BEFORE.search(before)


# --- sex ----------------------------------------------------------------------------------

_FEMALE_SURNAME = re.compile(r"(?:ova|eva|yova|ina|yna|aya|skaya|tskaya|ska|cka)$")
_MALE_SURNAME = re.compile(r"(?:ov|ev|yov|in|yn|sky|skiy|skii|ski|ich|enko|dze|shvili|yan|ian)$")
_MALE_FIRST = {"ilya", "nikita", "kuzma", "foma", "savva", "lavrentiya"}


def sex_of(name: str) -> str:
    """ "f" or "m" when a Slavic name's form tells it ("Dora Lazurkina", "Furtseva",
    "Molotov"), else "" (Mao Zedong, Tito, Enver Hoxha)."""
    words = [w for w in name.split() if w[:1].isupper()]
    if not words:
        return ""
    surname = discovery.fold(words[-1])
    first = discovery.fold(words[0]) if len(words) > 1 else ""
    if first and first.endswith(("a", "ya")) and first not in _MALE_FIRST:
        return "f"
    if _FEMALE_SURNAME.search(surname):
        return "f"
    if _MALE_SURNAME.search(surname):
        return "m"
    return "m" if first and re.search(r"(?:i|ei|ii|y|iy|an|on|ir|el|or)$", first) else ""


# A description that says "she" and never "he", or someone's wife or widow: a woman.
_SHE = re.compile(r"\b(?:she|her|hers)\b", re.I)
_HE = re.compile(r"\b(?:he|his|him)\b", re.I)
_SOMEONES = re.compile(r"\w['’]s (?:wife|widow|daughter|mother|sister)\b", re.I)


def is_female(term: GlossaryTerm) -> bool:
    """Whether the name's form or the entry says the person is a woman."""
    if sex_of(term.name) == "f":
        return True
    text = term.description or ""
    return bool(_SOMEONES.search(text) or (_SHE.search(text) and not _HE.search(text)))


def same_sex(answer: GlossaryTerm, other: GlossaryTerm) -> bool:
    """Options of the key's sex: for a woman only women the name or entry tells (nearly
    everyone else these documents name is a man: Hoxha beside Lazurkina gives her away);
    for anyone else, never a woman, and never a name of the other form."""
    if is_female(answer):
        return is_female(other)
    if is_female(other):
        return False
    a, b = sex_of(answer.name), sex_of(other.name)
    return not (a and b and a != b)


# --- life --------------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WHEN = rf"(?:(?:\d{{1,2}}\s+)?(?P<month>{_MONTHS})\s+(?:\d{{1,2}},?\s+)?)?(?P<year>1[89]\d\d)\b"
_DEATH = (
    re.compile(
        rf"(?i:\b(?:he|she|who))\s+(?:was\s+)?(?:died|shot|executed|hanged|killed|murdered)\b"
        rf"[^.]{{0,40}}?\b{_WHEN}"
    ),
    # "After the Soviet attack he was arrested, tried in secret and hanged on 16 June 1958"
    re.compile(
        rf"(?i:\b(?:he|she))\s+was\s+[^.]{{0,60}}?\b(?:shot|executed|hanged)\s+(?:on|in)\s+{_WHEN}"
    ),
    re.compile(rf"(?i:\b(?:his|her))\s+death\b[,]?\s+(?:in\s+|on\s+)?[^.]{{0,20}}?\b{_WHEN}"),
    re.compile(rf"\b{_WHEN}\s+and\s+(?:was\s+)?(?:shot|executed)\b"),
)
_DATE = re.compile(rf"\b{_WHEN}")
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?P<month>{_MONTHS})\b(?!,?\s+\d{{4}})")

Moment = tuple[int, int]  # (year, month); month 0 when only the year is known


def _moment(m: re.Match[str]) -> Moment:
    month = m.group("month")
    return int(m.group("year")), (_MONTHS.split("|").index(month) + 1 if month else 0)


def death_of(term: GlossaryTerm) -> Moment | None:
    """When the person died: the glossary's `died` date, else what its description says
    ("He died on 5 March 1953", "until his death in January 1924"), or None."""
    died = getattr(term, "died", "")
    if died:
        year, *rest = (int(part) for part in died.split("-"))
        return year, (rest[0] if rest else 0)
    description = " ".join((term.description or "").split())
    first = description.split(". ")[0]
    found = [_moment(m) for pattern in _DEATH for m in pattern.finditer(description)]
    if term.name.split()[-1] in first.split(",")[0] and (
        m := re.search(rf"\bshot\b[^.]*?\b{_WHEN}", first)
    ):
        found.append(_moment(m))  # "Sergei Kirov, ..., shot ... on 1 December 1934"
    return min(found) if found else None


def death_year(term: GlossaryTerm) -> int | None:
    died = death_of(term)
    return died[0] if died else None


def moment_of(sentence: str, passage: str) -> Moment | None:
    """The latest date the sentence gives (a day without its year takes the passage's
    latest year: "On 25 October" of 1956), else the latest its passage gives: when what
    it tells happened, so that no one dead by then is an option."""
    years = [_moment(m) for m in _DATE.finditer(passage)]
    for text in (sentence, passage):
        found = [_moment(m) for m in _DATE.finditer(text)]
        if text is sentence and years:
            latest = max(y for y, _ in years)
            found += [(latest, _moment_month(m)) for m in _DAY_MONTH.finditer(text)]
        if found:
            return max(found)
    return None


def _moment_month(m: re.Match[str]) -> int:
    return _MONTHS.split("|").index(m.group("month")) + 1


def dead_by(term: GlossaryTerm, when: Moment | None) -> bool:
    """Whether the person had died before `when` (at the precision both are known)."""
    died = death_of(term)
    if died is None or when is None:
        return False
    if died[0] != when[0]:
        return died[0] < when[0]
    return bool(died[1] and when[1]) and died[1] < when[1]


# A person the timeline names only in events more than this many years from a deed was
# about at another time (Zhdanov, whose events end in 1936, opens no congress of 1961).
ERA_YEARS = 5


def event_years(corpus: CorpusSnapshot) -> dict[str, list[int]]:
    """The years of the timeline events naming each term (computed once per snapshot)."""
    years = corpus.__dict__.get("_event_years")
    if years is None:
        years = {}
        for event in corpus.events:
            for slug in corpus.event_terms.get(event.slug, []):
                years.setdefault(slug, []).append(event.date.year)
        corpus.__dict__["_event_years"] = years
    return years


# Years an entry names: when its person was about, for someone no timeline event names;
# an entry names a few years of a life, so the era around them is wider.
ENTRY_ERA_YEARS = 15
_ENTRY_YEAR = re.compile(r"\b(1[89]\d\d|20[0-2]\d)\b")


def of_the_time(corpus: CorpusSnapshot, term: GlossaryTerm, when: Moment | None) -> bool:
    """Whether a person could have done what a sentence dated `when` says: not dead by then
    (`dead_by`) and named within `ERA_YEARS` of it by a timeline event or, when none names
    them, by their entry: Brezhnev, whose entry starts in 1964, was no Politburo member
    addressed in 1936 (round 5, R013)."""
    if when is None:
        return True
    if dead_by(term, when):
        return False
    years, era = event_years(corpus).get(term.slug), ERA_YEARS
    if not years:  # an entry names fewer years than the timeline: a wider era
        years, era = [int(y) for y in _ENTRY_YEAR.findall(term.description or "")], ENTRY_ERA_YEARS
    return not years or min(abs(y - when[0]) for y in years) <= era


# --- picking --------------------------------------------------------------------------------


def named_in_work(corpus: CorpusSnapshot, term: GlossaryTerm, work_slug: str) -> bool:
    """Whether a readable passage of the work names the term (computed once per snapshot)."""
    works = corpus.__dict__.get("_term_works")
    if works is None:
        work_of = {f"{p.source.slug}:{p.key}": corpus.work_of(p).slug for p in corpus.passages}
        works = {
            slug: {work_of[ref] for ref in refs if ref in work_of}
            for slug, refs in corpus.term_mentions.items()
        }
        corpus.__dict__["_term_works"] = works
    return work_slug in works.get(term.slug, ())


def choose(
    *,
    corpus: CorpusSnapshot,
    answer: GlossaryTerm,
    passage,
    rng: random.Random,
    short: bool,
    count: int = 3,
    ignore_calling: bool = False,
    sentence: str = "",
    dead_only: bool = False,
) -> tuple[list[GlossaryTerm], float]:
    """`count` distractors for `answer` named in `passage` (see the module docstring), and
    the score penalty for a widened choice; fewer than `count` when there are not enough.
    `dead_only`: the sentence tells of the key's death, so every option had died by the
    time its document was written."""
    avoid = passage.text
    work = corpus.work_of(passage).slug
    role = answer.role
    if ignore_calling and ":" in role:
        # The title is blanked with the name: a marshal need not be among marshals.
        role = re.sub(r":[a-z]+(?=-)", "", role)
    if answer.kind == GlossaryTerm.Kind.PLACE and republic_of(answer.name):
        pool = [_republic_term(n) for n in SOVIET_REPUBLICS if n != republic_of(answer.name)]
        rng.shuffle(pool)
        # Republics the document names first: a confusion it invites.
        pool.sort(key=lambda t: not contains_phrase(_work_text(corpus, work), t.name))
        chosen = [t for t in pool if not any(contains_phrase(avoid, s) for s in all_spellings(t))]
        return chosen[:count], 0.0
    searched = GlossaryTerm(
        slug=answer.slug,
        name=answer.name,
        kind=answer.kind,
        role=role,
        aliases=answer.aliases,
        same_as=getattr(answer, "same_as", None) or [],
    )
    others, _ = like_terms(
        corpus=corpus,
        answer=searched,
        avoid_text=avoid,
        rng=rng,
        count=len(corpus.terms),
        short=short,
    )
    if answer.role.startswith(DISCOVERED) and answer.kind == GlossaryTerm.Kind.PERSON:
        # Only the people this document names: first those the glossary lacks, then the
        # glossary's (a name another article gives is no confusion this one invites).
        extra = [
            t
            for t in corpus.terms
            if t.kind == GlossaryTerm.Kind.PERSON
            and not is_discovered(t)
            and t.slug != answer.slug
            and named_in_work(corpus, t, work)
            and not any(contains_phrase(avoid, s) for s in all_spellings(t))
        ]
        rng.shuffle(extra)
        others = [t for t in others if t.role == role] + extra
    elif role.startswith(f"{DISCOVERED}.region"):  # found as a region, approved or not
        names = {t.name for t in others}
        others = others + [
            _region_term(n)
            for n in REGION_NAMES
            if n not in names and not contains_phrase(avoid, n.removeprefix("the "))
        ]
    if answer.kind == GlossaryTerm.Kind.PERSON:
        others = [t for t in others if same_sex(answer, t)]
        # Lenin does not open a congress of 1961, nor Bierut, dead in March 1956, replace
        # a Hungarian leader that October.
        when = moment_of(sentence, avoid)
        if dead_by(answer, when):
            # "Stalin's body lay beside _____'s": the sentence speaks of a dead man, and
            # only he of the men then living could be meant; the options are dead too.
            others = [t for t in others if dead_by(t, when)]
        else:
            others = [t for t in others if of_the_time(corpus, t, when)]
        if when is None:
            from quizzes.generation.time_bounds import later_people  # it reads dates from here

            # "to put into effect _____'s behests": not Brezhnev's, for Lenin's.
            later = later_people(corpus, key=answer)
            others = [t for t in others if t.slug not in later]
        if dead_only:
            written = corpus.work_of(passage).date
            by = (written.year, written.month) if written else None
            others = [t for t in others if death_of(t) and (by is None or dead_by(t, by))]
        if is_discovered(answer) and len(display(answer, short=short).split()) > 1:
            # Full names among full names (options formatted alike).
            others = [t for t in others if len(display(t, short=short).split()) > 1]
        if not is_discovered(answer):
            # The glossary's people this document names first: a congress of 1961 is
            # opened by one of the men it names, not by Lenin.
            others.sort(key=lambda t: not named_in_work(corpus, t, work))
    elif answer.kind == GlossaryTerm.Kind.PLACE:
        others = [t for t in others if place_fits(answer, t, avoid)]
        # The glossary's places (chosen by an editor for these texts), then the document's
        # own, then any other: Spain beside Albania in a quarrel of communists is absurd.
        others.sort(
            key=lambda t: 0 if not is_discovered(t) else 1 if named_in_work(corpus, t, work) else 2
        )
    else:
        from quizzes.generation.time_bounds import later_bodies  # it reads dates from here

        # Not a journal of 1989 as the paper the CIA leaked to in 1956.
        when = moment_of(sentence, avoid)
        later = later_bodies(corpus, when[0] if when else None, key=answer)
        others = [t for t in others if t.slug not in later]
        work_text = _work_text(corpus, work)
        # A body the document names first: a confusion it invites.
        others.sort(key=lambda t: not any(contains_phrase(work_text, s) for s in t.spellings))
    if sentence:  # of the country and kind the sentence gives the key (`clues`)
        others = [t for t in others if not clues.ruled_out(corpus, answer, t, sentence)]
        if answer.kind == GlossaryTerm.Kind.PERSON:  # not another man tortured alike
            others = [t for t in others if not clues.shares_act(t, sentence)]
    chosen = others[:count]
    widened = any(t.role != role for t in chosen)
    return chosen, ROLE_FALLBACK_PENALTY if widened else 0.0


def _work_text(corpus: CorpusSnapshot, work_slug: str) -> str:
    cache = corpus.__dict__.setdefault("_work_texts", {})
    if work_slug not in cache:
        cache[work_slug] = " ".join(
            p.text for p in corpus.passages if corpus.work_of(p).slug == work_slug
        )
    return cache[work_slug]
