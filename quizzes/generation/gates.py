"""Quality gates: every candidate passes all of them or is rejected with a reason.

Each gate is a function of one candidate returning a rejection reason or None;
`check()` runs them in order. The near-duplicate gate needs the questions
already accepted, so it is a small class. Reasons are for the report and
curators, never shown to students.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from corpus.models import Passage
from quizzes.generation.candidates import Candidate
from quizzes.generation.corrections import claim_problem
from quizzes.generation.sentences import contains_phrase, normalise, word_count
from quizzes.generation.statements import dangling_pronoun, outside_reference

MIN_STEM_WORDS = 8
MAX_STEM_WORDS = 60
NEAR_DUPLICATE_SCORE = 90
BLANK_TYPES = {"cloze_quantity", "cloze_date", "cloze_name", "compare_renderings"}

LEADING_PRONOUNS = {
    "he", "she", "it", "they", "them", "this", "these", "those", "his", "her", "its",
    "their", "him", "such", "that", "here", "then", "both", "there",
    "thus", "hence", "however", "also", "but", "and", "or", "yet", "so", "nevertheless",
    "moreover", "therefore",
}  # fmt: skip
# OCR slips the seed README names, mojibake, markup left by pandoc, mixed letters and digits.
_GARBAGE = re.compile(
    r"â€|Ã.|\ufffd|\{#|\]\{|<\?|\?>|\.EB0|\b(?:onlv|carne|eves|part\)|lie is|Timasbuk|Zakovskv)\b"
    r"|\s[b-hj-zB-HJ-Z]\s|\s'\s|^#|\s#|\b[a-z]+\d+[a-z]*\b|\b\d+[a-z]{3,}\b|[|\\^~•]|\s[,;:]\w|\w-\s|\s-\w"
)
# "It was determined that ...", "Those who ...", "There were ...": no antecedent needed.
_DUMMY_SUBJECT = re.compile(
    r"^[\W_]*(?:it (?:is|was|has been|had been|would be|must be) (?:now )?"
    r"(?:clear|known|determined|necessary|evident|established|possible|impossible|true|natural|"
    r"understandable|incorrect|certain|obvious|likely|no accident|incomprehensible|"
    r"definitely established)\b"
    r"|those who\b|there (?:is|was|are|were|had been|has been)\b)",
    re.I,
)
_CAPTION = re.compile(
    r"\((?:far |second |third |fourth )?(?:left|right|centre|center)\)|\bfrom (?:left|right)\)|\bpictured\b",
    re.I,
)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th|s)\b")
# A stage direction ("[Indignation in the hall.]", "[Tumultuous applause.]") or a stray
# bracket; an editor's word inside a quotation ("[our]", "[Stalin] would have") is text.
_STAGE = re.compile(
    r"\[[^\]]*(?:\.|\b(?:applause|hall|laughter|animation|movement|commotion|tumult|ovation|"
    r"rise)\b)[^\]]*\]|\[[^\]]*$|^[^\[]*\]|\[[^\]A-Za-z]*\]",
    re.I,
)
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|se|su|kr)|hour|honou?r|\d*8|11|18)", re.I)


def _a_or_an(word: str) -> str:
    return "an" if _VOWEL_SOUND.match(word.strip("\"'“‘")) else "a"


def passage_readable(c: Candidate) -> str | None:
    if c.passage is None and not (c.events or c.terms or c.notes):
        return "rests on no passage and no entry"
    for p in c.cited:
        if not p.is_current or p.quality != Passage.Quality.GOOD:
            return "passage flagged low quality or retired"
        # A question on who says what may quote an editor's note as the editor's words
        # ("The anthology's editor: 1,355 voting delegates"); no other may.
        editor = p.kind == Passage.Kind.EDITORIAL and c.type in ("disagreement", "claim_source")
        if p.kind not in (Passage.Kind.BODY, Passage.Kind.QUOTATION) and not editor:
            return "passage is not primary text"
    return None


def answer_supported(c: Candidate) -> str | None:
    if not c.support_text.strip():
        return "answer not supported by a cited passage"
    for phrase in c.support_phrases:
        if not contains_phrase(c.support_text, phrase):
            return "answer not supported by a cited passage"
    return None


def options_well_formed(c: Candidate) -> str | None:
    ids = [o.get("id") for o in c.options]
    texts = [o.get("text", "").strip() for o in c.options]
    if len(set(ids)) != len(ids) or not all(texts):
        return "options malformed"
    if not c.answer or any(a not in ids for a in c.answer):
        return "options malformed"
    if c.option_kind == "event":
        return (
            None if 3 <= len(ids) <= 5 and sorted(c.answer) == sorted(ids) else "options malformed"
        )
    if c.option_kind == "boolean":
        return None if len(ids) == 2 and len(c.answer) == 1 else "options malformed"
    if len(ids) < 3 or len(c.answer) != 1:
        return "too few options"
    if len({normalise(t) for t in texts}) != len(texts):
        return "options not distinct after normalisation"
    return None


def _variants(a: str, b: str, *, exact: bool = False) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if exact:  # "December 1, 1934" and "December 11, 1934" are different answers
        return na == nb
    if na == nb or fuzz.ratio(na, nb) >= 88:
        return True
    short, long_ = sorted((na, nb), key=len)
    # "Stalin" / "J. V. Stalin", but not "1,108" / "108" (figures are compared whole)
    return not short.replace(" ", "").isdigit() and f" {short} " in f" {long_} "


def no_alias_distractor(c: Candidate) -> str | None:
    if c.option_kind in ("boolean", "event"):
        return None
    spellings = c.answer_spellings or c.answer_texts
    # The key's other names (Presidium for Political Bureau) exactly: "Central Committee"
    # is inside "Presidium of the Central Committee" but is another body.
    others = {normalise(n) for n in c.other_names}
    for option in c.options:
        if option["id"] in c.answer:
            continue
        for spelling in [option["text"], *c.distractor_spellings.get(option["id"], [])]:
            exact = c.option_kind in ("figure", "date")
            if any(_variants(spelling, s, exact=exact) for s in spellings):
                return "distractor is a variant of the answer"
            if normalise(spelling) in others:
                return "distractor is another name of the answer"
    return None


def distractors_absent(c: Candidate) -> str | None:
    """A distractor that appears in the passage might be defensible: only the key may be."""
    if not c.exclusive_text or c.option_kind in ("boolean", "event"):
        return None
    for option in c.options:
        if option["id"] in c.answer:
            continue
        for spelling in [option["text"], *c.distractor_spellings.get(option["id"], [])]:
            if contains_phrase(c.exclusive_text, spelling):
                return "distractor appears in the passage"
    return None


def _shape(text: str, kind: str) -> str:
    if kind == "figure":
        return re.sub(r"\d+", "9", re.sub(r"\d{1,3}(?:,\d{3})+", "9,999", text))
    if kind == "date":
        return re.sub(r"\d+", "9", re.sub(r"[A-Z][a-z]+", "M", text))
    if kind in ("person", "organization", "place", "work", "speaker"):
        return "Cap" if text[:1].isupper() or text[:1] in '“"' else "low"
    if kind == "word":
        return f"{len(text.split())}w" + ("C" if text[:1].isupper() else "l")
    return kind


def uniform_format(c: Candidate) -> str | None:
    if c.option_kind in ("boolean", "event"):
        return None
    texts = [o["text"] for o in c.options]
    if len({_shape(t, c.option_kind) for t in texts}) != 1:
        return "options not formatted alike"
    answer = c.answer_texts[0]
    others = c.distractor_texts
    if len(answer) > 12 and len(answer) > 1.6 * max(len(t) for t in others):
        return "answer stands out by length"
    if len(answer) < 0.5 * min(len(t) for t in others) and min(len(t) for t in others) > 12:
        return "answer stands out by length"
    article = c.blank_prefix.split()[-1].lower() if c.blank_prefix.split() else ""
    if article in ("a", "an") and any(_a_or_an(t) != article for t in texts):
        return "article before the blank gives the answer away"
    if c.option_kind == "word":
        plurals = {t.endswith("s") and not t.endswith("ss") for t in texts}
        if len(plurals) != 1:
            return "options mix singular and plural"
    return None


def _digits(text: str) -> int:
    return len(re.sub(r"\D", "", text.split(".")[0]))


def magnitude_alike(c: Candidate) -> str | None:
    """A figure of thousands or more among options of its length: "724,000" alone among
    1,086,000, 1,448,000 and 1,810,000 is picked out by it (98 among 112 and 147 is not)."""
    if c.option_kind != "figure" or len(c.answer_texts) != 1:
        return None
    key = _digits(c.answer_texts[0])
    if key >= 4 and not any(_digits(t) == key for t in c.distractor_texts):
        return "answer stands out by its number of digits"
    return None


def answer_not_given_away(c: Candidate) -> str | None:
    for spelling in c.answer_spellings:
        if contains_phrase(c.stem, spelling):
            return "answer given away in the stem"
    return None


def stem_well_formed(c: Candidate) -> str | None:
    words = word_count(c.stem)
    if words < MIN_STEM_WORDS or words > MAX_STEM_WORDS:
        return "stem too short or too long"
    if not c.stem.rstrip().endswith(("?", ":", ".", "”", '"')):
        return "stem is not a complete question"
    texts = [c.stem, *(o["text"] for o in c.options)]
    if any(_GARBAGE.search(_ORDINAL.sub("", t)) for t in texts):
        return "OCR garbage or markup"
    if _CAPTION.search(c.stem):
        return "photo caption, not text"
    if any(_STAGE.search(t) for t in texts):
        return "stage direction or editorial bracket"
    if _CAPITALS_RUN.search(c.stem):
        # "THE TWENTIETH CONGRESS OF THE COMMUNIST PARTY of the Soviet Union assembled":
        # a magazine's opening set in capitals.
        return "words in capitals"
    if _SOURCE_NOTE.search(c.stem):
        return "a source named in brackets"
    quoted = _QUOTED_PART.search(c.stem)
    if quoted and (
        _unopened_single_quote(quoted.group(1)) or _unclosed_single_quote(quoted.group(1))
    ):
        return "unbalanced quotation marks"
    if c.excerpt:
        first = re.match(r"[\W_]*(\w+)", c.excerpt)
        if (
            first
            and first.group(1).lower() in LEADING_PRONOUNS
            and not _DUMMY_SUBJECT.match(c.excerpt)
        ):
            return "leading pronoun without antecedent"
        if c.excerpt.count('"') % 2 or c.excerpt.count("“") != c.excerpt.count("”"):
            return "unbalanced quotation marks"
        if c.excerpt[:1].islower():
            return "excerpt starts mid-sentence"
    return None


# Types whose stem quotes text of a passage ("... “<excerpt>”"); a description from the
# glossary names what it describes by the blank, and a chronology quotes nothing.
_QUOTING_TYPES = {
    "cloze_quantity", "cloze_date", "cloze_name", "true_false", "quote_attribution",
    "source_attribution", "compare_renderings",
}  # fmt: skip
_QUOTED_PART = re.compile(r"“(.*)”\s*$", re.S)
# Three words in capitals in a row (not an acronym: "C.P.S.U.", "USSR").
_CAPITALS_RUN = re.compile(r"\b[A-Z]{2,}(?:\s+[A-Z]{2,}){2,}\b")
# "(the encyclopedia)": an entry's note of its source, left in a stem.
_SOURCE_NOTE = re.compile(
    r"\((?:the |as )?(?:encyclopedia|speech|resolution|anthology|History Today)"
    r"(?:['’]s)?(?: article| says| account)?\)",
    re.I,
)
_CLOSING_SINGLE = re.compile(r"(?<=[.,;!?])['’](?=\s|$|…)")
_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(—–-]))['‘](?=\w)")


def _unopened_single_quote(text: str) -> bool:
    """A closing single quotation mark after punctuation ("etc.'") with none opened."""
    return len(_CLOSING_SINGLE.findall(text)) > len(_OPENING_SINGLE.findall(text))


# Any closing single mark, after a word too ("the 'hero' and"; a plural possessive,
# "workers' party", counts as one, which only errs towards keeping a question).
_ANY_CLOSING_SINGLE = re.compile(r"(?<=[\w.,;!?])['’](?=[\s,.;:!?”\"…)]|$)")


def _unclosed_single_quote(text: str) -> bool:
    """A single quotation opened and never closed: the sentence ended inside a quotation
    that goes on in the next one ("says in his article: 'The 20th Congress strengthened
    world peace.", round 7, R126)."""
    return len(_OPENING_SINGLE.findall(text)) > len(_ANY_CLOSING_SINGLE.findall(text))


def no_dangling_reference(c: Candidate) -> str | None:
    """The quoted text in the stem names what its "he", "they", "this", "such", "the
    above" refer to: a student reads it without the passage."""
    if c.type not in _QUOTING_TYPES:
        return None
    text = c.excerpt
    if not text:
        m = _QUOTED_PART.search(c.stem)
        text = m.group(1) if m else ""
    quotation = c.type == "quote_attribution"
    return outside_reference(text, within=quotation) or dangling_pronoun(text)


GATES = (
    passage_readable,
    answer_supported,
    options_well_formed,
    no_alias_distractor,
    distractors_absent,
    uniform_format,
    magnitude_alike,
    answer_not_given_away,
    stem_well_formed,
    no_dangling_reference,
    claim_problem,  # questions never teach a source's error (generation/corrections.py)
)


def check(candidate: Candidate) -> str | None:
    """The first gate the candidate fails, or None if it passes them all."""
    for gate in GATES:
        reason = gate(candidate)
        if reason:
            return reason
    return None


class NearDuplicates:
    """Rejects a candidate too close to one already accepted (same type; stem and answer)."""

    def __init__(self, score: int = NEAR_DUPLICATE_SCORE) -> None:
        self.score = score
        self._seen: dict[str, list[str]] = {}
        self._fingerprints: set[str] = set()
        self._statements: list[str] = []  # true/false: the sentence before any swap
        self._statement_refs: list[str] = []

    @staticmethod
    def _key(c: Candidate) -> str:
        return normalise(c.stem + " " + " ".join(c.answer_texts))

    def is_duplicate(self, c: Candidate) -> bool:
        if c.fingerprint in self._fingerprints:
            return True
        if c.type in BLANK_TYPES:
            # Two blanks in one sentence ("Of _____ delegates, 1,108 ..." and "Of 1,966
            # delegates, _____ ...") test different facts but sort to the same words, so
            # only the same answer in a similar stem is a duplicate.
            same_answer = self._seen.get(self._answer_key(c), [])
            return bool(same_answer) and (
                process.extractOne(
                    normalise(c.stem), same_answer, scorer=fuzz.ratio, score_cutoff=self.score
                )
                is not None
            )
        if c.type == "true_false":
            # A true and a false version of one sentence are the same question; in one
            # passage they are alternatives that balancing chooses between, so only
            # another passage's (a twin rendering's) version is a duplicate.
            ref = c.grounding
            sentences = self._statements
            return any(
                self._statement_refs[index] != ref
                for _, _, index in process.extract(
                    normalise(c.quote),
                    sentences,
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=self.score,
                    limit=None,
                )
            )
        seen = self._seen.get(c.type, [])
        key = self._key(c)
        return (
            bool(seen)
            and process.extractOne(key, seen, scorer=fuzz.token_sort_ratio, score_cutoff=self.score)
            is not None
        )

    @staticmethod
    def _answer_key(c: Candidate) -> str:
        return f"{c.type}:{normalise(' '.join(c.answer_texts))}"

    def add(self, c: Candidate) -> None:
        self._fingerprints.add(c.fingerprint)
        if c.type == "true_false":
            self._statements.append(normalise(c.quote))
            self._statement_refs.append(c.grounding)
        elif c.type in BLANK_TYPES:
            self._seen.setdefault(self._answer_key(c), []).append(normalise(c.stem))
        else:
            self._seen.setdefault(c.type, []).append(self._key(c))
