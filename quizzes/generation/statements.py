"""Can a sentence stand alone in a stem? Declarative, complete and self-contained.

A true/false statement or a cloze sentence is read without its passage, so a
strict reader must be able to tell what it asserts and about whom:

* `is_declarative`: a complete statement ending in a full stop, with a verb; not a
  question ("HOW, indeed, could it happen ...?"), not a heading or a bullet
  ("Exaggerations of the role of Stalin in the Great Patriotic War").
* `person_problem`: no "I"/"you" (whose?), no "we" except in the voice of the
  work itself (Khrushchev's "we" in the speech, the Central Committee's in the
  resolution, named by the stem), and no "he"/"they" before anyone it could
  refer to ("Not waiting for my reply he answered ...").
* `has_referent`: a figure or a swapped fact needs something it is about: a
  person, event, document or place, a date, or a numbered congress.
* `answers_unasked`: not the answer to a question the stem leaves out ("No; because
  Stalin believed in Beriya …" answers "Had Stalin examined the statement?", round 3, R008).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from corpus.models import GlossaryTerm, Passage, Work
from quizzes.generation.sentences import normalise

FIRST_OR_SECOND = {"me", "my", "mine", "myself", "you", "your", "yours", "yourself", "yourselves"}
FIRST_PLURAL = {"we", "us", "our", "ours", "ourselves"}
SINGULAR = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
# Works that speak in one collective voice a stem can name ("Khrushchev's Secret Speech").
VOICED_KINDS = {Work.Kind.SPEECH, Work.Kind.RESOLUTION}

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_QUOTED = re.compile(r"\"[^\"]*\"?|“[^”]*”?|(?<![\w])'[^']*'(?![\w])")
_PERSON_NOUN = re.compile(
    r"\b(?:man|woman|person|leader|delegate|secretary|member|journalist|prisoner|anyone|"
    r"everyone|someone|whoever|who|nobody|accused|father|son|comrade|individual|worker|doctor|"
    r"academician|chairman|commissar|minister|president|chief|representative|girlfriend|"
    r"official(?!\s+[a-z]+\s+to\b)|author|founder|theorist|genius|one)\b",
    re.I,
)
_COLLECTIVE = re.compile(
    r"\b(?:people|party|committee|congress|government|leadership|police|bureau|presidium|union|"
    r"state|country|press|nation|army|masses|class|collective|enemy|organs|cadres|bloc|circles)\b",
    re.I,
)
_NOT_PLURAL = {
    "this", "thus", "his", "hers", "its", "was", "has", "does", "is", "yes", "whereas", "perhaps",
    "always", "towards", "afterwards", "unless", "less", "as", "us", "plus", "analysis",
}  # fmt: skip
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|shall|should|can|"
    r"could|may|might|must|[a-z]{2,}ed|said|took|began|became|went|made|gave|knew|saw|told|wrote|"
    r"led|held|met|sent|spoke|thought|came|fell|left|grew|rose|won|lost|paid|shook|stood|brought|"
    r"fought|taught|found|kept|put|set|let|cut|shot|drew|threw|chose|ran|sat|heard|meant|felt|"
    r"got|read|built|understood|began|undertook|underwent|arose)\b"
    r"|\b(?:it|he|she|this|that|which|who|party|committee|congress|[A-Z][a-z]+)\s+(?:[a-z]+ly\s+)?"
    r"[a-z]{3,}s\b"
)
_CONGRESS = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|[XVI]+|first|second|third|\w+teenth|twentieth|\w+ieth)"
    r"\s+(?:party\s+)?congress\b",
    re.I,
)
_DATE_OR_YEAR = re.compile(r"\b1[89]\d\d\b|\b20[0-2]\d\b")
_GENERIC_ORG_ROLES = {"party-body", "communist-party"}
_LIST_ITEM = re.compile(
    r"^(?:\d+\.\s|[IVX]+\.\s|(?:first|firstly|second|secondly|third|thirdly|finally),\s"
    r"(?:in\s[^,]+,\s)?to\s|to\s[a-z]+\b)",
    re.I,
)
# "After this repression, ..." needs the sentence before it; "this country" (the USSR in
# the resolution's voice) and "those who ..." do not. "Such people", "the above", "at that
# time", "the same fate" point back too; "such ... as", "the same ... as" do not.
_OUTSIDE_REFERENCE = re.compile(
    r"\b(?:this|these|those)\s+(?!country\b|who\b|which\b|of\s+(?:us|you)\b)[a-z]+"
    r"|\bthe\s+(?:above|aforementioned|aforesaid|latter|former)\b"
    r"|(?:^|[.;:]\s+)[\"'“‘]?that\s+(?!is\b)[a-z]+"
    r"|\b(?:at|in|of|for|from|after|before|during|since|by|with|about|on|to|until)\s+that\s+"
    r"(?:time|period|moment|day|year|month|case|matter|plenum|congress|meeting|session|letter|"
    r"document|question|decision|way|man|person|affair)\b",
    re.I,
)
_SUCH = re.compile(r"\bsuch\b(?P<rest>(?:\s+\S+){0,8})", re.I)
# "The longest revolt came a year later", "Nagy became Prime Minister the next day": later
# than what? Only a date written before it in the text says.
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|a few|some)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:later|earlier|before|afterwards)|the\s+(?:next|following|previous)\s+"
    r"(?:day|morning|evening|night|week|month|year)|the\s+day\s+(?:before|after)|"
    r"(?:later|earlier)\s+that\s+(?:day|week|month|year)|that\s+same\s+(?:day|evening|night))\b",
    re.I,
)
_WRITTEN_DATE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b|\b1[5-9]\d\d\b"
)
_SAME = re.compile(r"\bthe\s+same\b(?P<rest>(?:\s+\S+){0,8})", re.I)
_COMPARED = re.compile(r"\b(?:as|that)\b", re.I)


def outside_reference(text: str, *, within: bool = False) -> str | None:
    """Why the text points at something outside itself ("such people", "this repression",
    "the same fate", "at that time"), or None. `within`: the text is a quotation of several
    clauses, whose "this defect" may point back inside it ("Stalin is excessively rude,
    and this defect ..."): only a reference before anything it could point to counts."""
    for pattern in (_OUTSIDE_REFERENCE, _SUCH, _SAME):
        for m in pattern.finditer(text):
            if pattern is not _OUTSIDE_REFERENCE and _COMPARED.search(m.group("rest")):
                continue
            if within and _said_before(text[: m.start()]):
                continue
            return OUTSIDE
    for m in _RELATIVE_TIME.finditer(text):
        if not _WRITTEN_DATE.search(text[: m.start()]):
            return OUTSIDE
    return None


def _said_before(before: str) -> bool:
    """Whether a whole clause with a verb comes before, closed by punctuation ("Stalin is
    excessively rude, and this defect"): something a reference can point back to."""
    closed = re.match(r"(.*[,;:.!?])", before, re.S)
    clause = closed.group(1) if closed else ""
    return len(_WORD.findall(clause)) >= 3 and bool(_VERB.search(clause))


OUTSIDE = "refers to something outside the sentence"
ANSWERS_UNASKED = "answers a question the stem does not ask"
# A reply opening a sentence: "No; because …", "Yes, …", "Of course not." (not "No one",
# "No doubt", "No less": there the word belongs to the sentence).
_REPLY = re.compile(
    r"^[\"'“‘(\s]*(?:No|Yes|Nay|Certainly not|Of course not|Not at all|By no means)"
    r"\s*(?:[;,:!.—–]|-\s)(?!\s*\d)",
    re.I,
)


def answers_unasked(text: str) -> bool:
    """Whether `text` opens with a reply ("No;", "Yes,") to a question not in it."""
    return bool(_REPLY.match(text))


ANAPHORA = "names a thing only the sentence before says"

# Nouns that point back when "the" comes before them and nothing after says which
# ("The decree was issued ...", "stormed it", "the strikers"): each group's words name
# one thing in other words, so "a draft amnesty ... The decree" is said before.
_ANAPHORIC_GROUPS = (
    ("decree", "amnesty", "resolution", "law", "order", "programme", "program", "draft",
     "document", "letter", "report", "proposal", "decision"),
    ("congress", "plenum", "meeting", "session", "conference", "delegates", "delegation"),
    ("strike", "strikers", "uprising", "revolt", "rebellion", "rising", "protest",
     "protests", "demonstration", "demonstrators", "rebels", "crowd", "crowds"),
    ("body", "coffin", "remains", "grave", "corpse"),
    ("camp", "guards"),
    # "The photographs reach Allen Dulles", "the Shin Bet had received the photographs":
    # photographs of what? (a copy "of the speech" says which)
    ("photographs", "photos", "photographed", "pictures", "microfilm"),
    ("vote", "count", "change", "challenge", "crisis", "trial", "campaign"),
)  # fmt: skip
_ANAPHORIC = {word: group for group in _ANAPHORIC_GROUPS for word in group}
# What a clause before it in the sentence can be: a decision taken, a change made.
_EVENT_GROUPS = (_ANAPHORIC_GROUPS[0], _ANAPHORIC_GROUPS[-1])
_THE_NOUN = re.compile(
    r"\b[Tt]he\s+(?:[a-z]+\s+){0,2}?(?P<noun>[a-z]+)\b(?=(?P<after>[^.;]{0,25}))"
)
# "the decree of 1 December 1934", "the congress that ...": the words after say which.
_QUALIFIED = re.compile(r"^\s+(?:of|that|which|who|at|in|on)\s+(?:the\s+)?(?:[A-Z\d\"“])")
_IT = re.compile(r"\b(?:it|its|itself)\b", re.I)
_THING = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Tt]his|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[A-Za-z-]+\s+){0,2}?([a-z]+)\b(?!\s+of\b)"
)
_TIME_NOUNS = {
    "end", "beginning", "start", "day", "night", "morning", "evening", "time", "year",
    "month", "week", "moment", "summer", "winter", "spring", "autumn",
}  # fmt: skip
_DUMMY_IT = re.compile(
    r"\bit\s+(?:is|was|has been|had been|would be|seemed|seems|became)\s+(?:\w+\s+)?"
    r"(?:that|to|clear|known|true|necessary|possible|impossible|evident|likely)\b",
    re.I,
)


def anaphora(text: str, *, known: str = "") -> str | None:
    """Why the text needs the sentence before it: "it" (not "it was clear that"), or "the"
    before a thing nothing earlier in the text names ("The decree was issued on ...",
    "the strikers"), unless `known` (the work's title the stem names) names it. None if
    the text says what it is about."""
    bare = _QUOTED.sub(" ", text)
    for m in _IT.finditer(bare):
        if _DUMMY_IT.match(bare, m.start()):
            continue
        before = bare[: m.start()]
        # "The copy of the speech reached Israel, and the Shin Bet passed it on": a thing
        # named before it in the sentence; "proposed that it be taken out" points back.
        things = [t for t in _THING.findall(before) if t.lower() not in _TIME_NOUNS]
        if not things or re.search(r"\bthat\s+$", before):
            return ANAPHORA
    known_words = set(re.findall(r"[a-z]+", known.lower()))
    for m in _THE_NOUN.finditer(bare):
        group = _ANAPHORIC.get(m.group("noun"))
        if not group or _QUALIFIED.match(m.group("after")):
            continue
        clause = re.split(r"[.!?]\s+", bare[: m.start()])[-1]  # the sentence so far
        if group in _EVENT_GROUPS and re.search(r",\s+(?:and|but)\s+", clause):
            continue  # "... was renamed Volgograd, and Pravda reported the change"
        before = set(re.findall(r"[a-z]+", bare[: m.start()].lower()))
        if not (before | known_words) & set(group):
            return ANAPHORA
    return None


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_FUNCTION_CAPS = {
    "The", "A", "An", "In", "On", "At", "It", "This", "That", "These", "Those", "There",
    "He", "She", "They", "We", "I", "But", "And", "Or", "So", "Yet", "When", "After",
    "Before", "During", "Of", "For", "From", "With", "By", "As", "If", "Thus", "Then",
    "His", "Her", "Their", "Our", "Its", "Such", "Only", "Comrades", "Comrade",
}  # fmt: skip


def dangling_pronoun(text: str) -> str | None:
    """A he/she/they whose antecedent is not in the text: no name (a capitalised word), no
    person noun or blank before "he", no plural or collective noun before "they", and no
    "who" after it ("Only he will win ... who believes" is general)."""
    for m in _WORD.finditer(text):
        low, at = m.group(0).lower(), m.start()
        if low not in SINGULAR and low not in PLURAL:
            continue
        before, after = text[:at], text[m.end() : m.end() + 80]
        if re.search(r"\bwho\b", after):
            continue
        if low in SINGULAR:
            names = [w for w in _CAPITALISED.findall(before) if w not in _FUNCTION_CAPS]
            if not names and "_____" not in before and not _PERSON_NOUN.search(before):
                return "pronoun without antecedent"
        elif not plural_antecedent(before, pronoun=low):
            return "pronoun without antecedent"
    return None


_PROPER = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)+")


def is_declarative(text: str) -> bool:
    bare = re.sub(r"\s*\[[^\]]*\]\s*", " ", text).strip()  # "[Indignation in the hall.]"
    bare = bare.rstrip("\"'”’) ").rstrip()
    if not bare or (bare[-1] != "." and not bare.endswith("…")):
        return False
    if "?" in _QUOTED.sub("", bare) or bare.rstrip(".… ").endswith((":", ";", ",")):
        return False
    if _LIST_ITEM.match(bare):
        return False  # "Thirdly, to restore ...": an item of a list, not a statement
    return bool(_VERB.search(bare))


def _inside_quotes(text: str, index: int) -> bool:
    return any(m.start() < index < m.end() for m in _QUOTED.finditer(text))


def person_problem(
    *, text: str, persons: Iterable[int], work_kind: str, in_quotation: bool = False
) -> str | None:
    """Why the sentence cannot be read on its own, or None.

    `persons` are offsets in `text` where a person is named (including a blanked
    name); `in_quotation` says the sentence is itself part of a quotation, where
    "we" is not the work's voice.
    """
    named = sorted(persons)
    for m in _WORD.finditer(text):
        word, low, at = m.group(0), m.group(0).lower(), m.start()
        if (word == "I" and text[m.end() : m.end() + 1] != ".") or low in FIRST_OR_SECOND:
            return "first or second person with no speaker named"
        if low in FIRST_PLURAL and word != "US":
            if in_quotation or work_kind not in VOICED_KINDS or _inside_quotes(text, at):
                return "first or second person with no speaker named"
        elif low in SINGULAR:
            before = text[:at]
            if not any(p < at for p in named) and not _PERSON_NOUN.search(before):
                return "pronoun without antecedent"
        elif low in PLURAL and not plural_antecedent(text[:at], pronoun=low):
            return "pronoun without antecedent"
    return None


# A collective noun before another noun modifies it ("a Central Committee secretary",
# "the party leadership" is a body, "party members" are people): only the last one counts.
_MODIFIED = re.compile(
    r"^\s+(?!(?:of|and|or|in|on|at|to|by|for|from|with|that|which|who|was|"
    r"were|is|are|had|has|have|met|[a-z]+ed)\b)[a-z]{3,}\b"
)
# Where the clause holding the pronoun begins: "them" is never the clause's own subject.
_CLAUSE_START = re.compile(
    r"[.;:!?]\s+|,\s+(?:and|but|while|when|after|before|so)\s+|"
    r"\b(?:who|which|that|because|although|whereas)\s+"
)
_NAME_LIST = re.compile(r"\b[A-Z][\w'’-]+(?:,\s+[A-Z][\w'’-]+)*,?\s+and\s+[A-Z][\w'’-]+")


def _plural_words(text: str) -> bool:
    """Whether `text` names several people or things: a plural noun, a collective noun that
    is not a modifier of the noun after it, or a list of names ("Molotov and Kaganovich")."""
    if _NAME_LIST.search(text):
        return True
    for m in _WORD.finditer(text):
        word = m.group(0)
        low = word.lower()
        if _COLLECTIVE.fullmatch(low) and not _MODIFIED.match(text[m.end() :]):
            return True
        if (
            low not in _NOT_PLURAL
            and len(word) > 3
            and low.endswith("s")
            and not low.endswith("ss")
            and "'" not in word  # "Lenin's" is a possessive, not a plural
        ):
            return True
    return False


def plural_antecedent(before: str, *, pronoun: str) -> bool:
    """Whether something plural comes before a "they"/"them" that it can be: not one person
    named before it, not a collective noun modifying another ("a Central Committee
    secretary ... sided with them"), and for "them" never the subject of its own clause
    ("Shepilov, a Central Committee secretary, also sided with them": with whom?)."""
    if pronoun != "them":
        return _plural_words(before)
    starts = [m.end() for m in _CLAUSE_START.finditer(before)]
    start = starts[-1] if starts else 0
    clause = before[start:]
    verb = _VERB.search(clause)
    if verb is None:  # "eminent doctors, most of them Jewish": no verb, no subject to avoid
        return _plural_words(before)
    # The clause's subject (up to its verb) cannot be what "them" points to.
    return _plural_words(before[:start]) or _plural_words(clause[verb.start() :])


def person_offsets(text: str, terms: Iterable[GlossaryTerm]) -> list[int]:
    spellings = tuple(
        sorted(
            {s for t in terms if t.kind == GlossaryTerm.Kind.PERSON for s in t.spellings if s},
            key=lambda s: (-len(s), s),
        )
    )
    if not spellings:
        return []
    # one pattern for every spelling, compiled once per glossary (was one search each)
    return [m.start() for m in _people_pattern(spellings).finditer(text)]


@functools.lru_cache(maxsize=8)
def _people_pattern(spellings: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(s) for s in spellings)
    return re.compile(rf"(?<![\w-])(?=(?:{names})(?![\w-]))")


def referents(text: str, terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """Glossary terms a figure or fact in `text` can be about (not generic party bodies)."""
    hay = f" {normalise(text)} "
    found = []
    for term in terms:
        if term.kind == GlossaryTerm.Kind.CONCEPT:
            continue
        if term.kind == GlossaryTerm.Kind.ORGANIZATION and term.role in _GENERIC_ORG_ROLES:
            continue
        if any(f" {normalise(s)} " in hay for s in term.spellings if s):
            found.append(term)
    return found


def in_cult_phrase(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is the one the phrase naming the cult names."""
    before = text[max(0, start - 40) : start]
    return bool(
        re.search(r"cult\s+of\s+(?:the\s+(?:person|individual)\s+of\s+)?$", before, re.I)
        or re.match(r"'s\s+(?:personality|cult)\b", text[end : end + 20], re.I)
    )


def inside_quotation(passage: Passage, start: int) -> bool:
    """Whether offset `start` of the passage is within quotation marks (or the passage is a
    block quotation): there "we" is the quoted person's, not the work's."""
    if passage.kind == Passage.Kind.QUOTATION:
        return True
    before = passage.text[:start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def standalone_problem(
    *,
    text: str,
    passage: Passage,
    start: int,
    terms: Iterable[GlossaryTerm],
    work_kind: str,
    persons: Iterable[int] = (),
    statement: bool = False,
    anaphoric: bool = False,
    known: str = "",
) -> str | None:
    """Why `text` (at offset `start` of `passage`) cannot stand alone in a stem, or None.
    `statement`: it must also be a declarative sentence (true/false). `anaphoric`: it
    must not point back with "it" or "the decree" (`anaphora`) unless `known`, the
    title the stem names, says what it is."""
    if answers_unasked(text):
        return ANSWERS_UNASKED
    if statement and not is_declarative(text):
        return "not a declarative sentence"
    if statement and outside_reference(text):
        return OUTSIDE
    if anaphoric:
        problem = anaphora(text, known=known)
        if problem:
            return problem
    return person_problem(
        text=text,
        persons=[*person_offsets(text, terms), *persons],
        work_kind=work_kind,
        in_quotation=inside_quotation(passage, start),
    )


def has_referent(text: str, terms: Iterable[GlossaryTerm]) -> bool:
    terms = list(terms)
    if _DATE_OR_YEAR.search(text) or _CONGRESS.search(text) or referents(text, terms):
        return True
    # A proper name the glossary lacks ("the United States Congress") pins a figure too,
    # but not a generic party body: "the Central Committee" of which congress?
    for term in terms:
        if term.kind == GlossaryTerm.Kind.ORGANIZATION and term.role in _GENERIC_ORG_ROLES:
            for spelling in term.spellings:
                text = re.sub(rf"\b{re.escape(spelling)}\b", " ", text, flags=re.I)
    return bool(_PROPER.search(text))
