"""Who / what / when multiple choice from the glossary and the timeline.

"Who is described here?" is built from a glossary entry with the name
blanked; "On what date did Khrushchev deliver the Secret Speech, according to
the encyclopedia article?" from a timeline event, its title turned into a
question (`event_question`) and the source that gives the date named. A title
that cannot be phrased as a question is not asked. Both entries cite passages;
the first citation is the question's passage and the rest are extra citations.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterator

from corpus.discovery import zipf
from corpus.models import GlossaryTerm, TimelineEvent
from quizzes.generation import cloze_date, clues, name_choice
from quizzes.generation.candidates import (
    Candidate,
    Rejection,
    item_rng,
    shuffled_options,
)
from quizzes.generation.cloze import BLANK, known_title, trivial_penalty
from quizzes.generation.corpus_snapshot import CorpusSnapshot
from quizzes.generation.dating import date_evidence
from quizzes.generation.glossary_choice import ROLE_FALLBACK_PENALTY, all_spellings, like_terms
from quizzes.generation.sentences import (
    contains_phrase,
    split_sentences,
    straighten_quotes,
    word_count,
)
from quizzes.generation.statements import anaphora, dangling_pronoun, outside_reference
from quizzes.generation.time_bounds import named_floor
from quizzes.models import Question

NAME = "who_what_when"
VERSION = 3
TYPE = Question.Type.WHO_WHAT_WHEN
ERA_YEARS = 8

_ASK = {
    GlossaryTerm.Kind.PERSON: ("Who", "person"),
    GlossaryTerm.Kind.ORGANIZATION: ("Which organization", "organization"),
    GlossaryTerm.Kind.PLACE: ("Which place", "place"),
    GlossaryTerm.Kind.EVENT: ("Which event", "event-name"),
    GlossaryTerm.Kind.DOCUMENT: ("Which document", "document"),
    GlossaryTerm.Kind.CONCEPT: ("Which term", "concept"),
}
_WHEN = {
    TimelineEvent.Precision.DAY: "On what date",
    TimelineEvent.Precision.MONTH: "In which month",
    TimelineEvent.Precision.YEAR: "In which year",
}
_YEAR = re.compile(r"\b1[89]\d\d\b|\b20\d\d\b")
_STYLE = {
    TimelineEvent.Precision.DAY: "dmy",
    TimelineEvent.Precision.MONTH: "my",
    TimelineEvent.Precision.YEAR: "y",
}


def _redact(text: str, spellings: list[str]) -> str:
    for spelling in spellings:  # longest first
        # A title goes with the name: "Marshal _____" would give the key away.
        text = re.sub(rf"(?<![\w-])(?:{_TITLES}\s+)?{re.escape(spelling)}(?![\w-])", BLANK, text)
    return text


_TITLES = r"(?:Marshal|General|Cardinal|Admiral|Colonel|Premier|President|Comrade)"
# Names whose blank any option fills: a person, body or place (a concept's own word in its
# description fits nothing else).
_NAMED = (GlossaryTerm.Kind.PERSON, GlossaryTerm.Kind.ORGANIZATION, GlossaryTerm.Kind.PLACE)


def _describe(term: GlossaryTerm, *, sentences: int = 2) -> str:
    """The first sentence or two of the description, with every spelling of the term blanked."""
    description = " ".join(term.description.split())
    spans = split_sentences(description)
    text = ""
    for index, (start, end) in enumerate(spans[:sentences]):
        names_it = any(contains_phrase(description[start:end], s) for s in all_spellings(term))
        if (
            index == 0
            and not names_it
            and len(spans) > 1
            and dangling_pronoun(description[start:end])
        ):
            # A proposal's quote that opens mid-story ("… Shepilov … also sided with
            # them. Seven of the Presidium's 11 full members voted …; only … _____ stood
            # with him."): the sentence naming the term stands without it.
            continue
        candidate = (text + " " + description[start:end]).strip()
        # A first sentence that only sets the scene for the one naming the term (a
        # proposal's quote: "Khrushchev opened the congress ... He condemned Albania")
        # keeps it, up to a longer stem.
        limit = MAX_SCENE_WORDS if text and names_it and not _names(text, term) else 40
        if word_count(candidate) > limit:
            break
        text = candidate
    return straighten_quotes(_redact(text, all_spellings(term)))


MAX_SCENE_WORDS = 52


def _names(text: str, term: GlossaryTerm) -> bool:
    return any(contains_phrase(text, s) for s in all_spellings(term))


_SPELLING_TALK = re.compile(r"\bspell|\([^()]*_____[^()]*\)", re.I)
UNSUPPORTED = "description not supported by the cited passages"


def description_problem(
    description: str, term: GlossaryTerm, support: str, terms: list[GlossaryTerm]
) -> str | None:
    """Why a description cannot be the stem: it talks about the name's spellings or
    blanks it more than twice ("the encyclopedia spells him _____"), or it names a person,
    body or year that the cited passages do not (the key rests on what is cited)."""
    if description.count(BLANK) > 2 or _SPELLING_TALK.search(description):
        return "description plays on the name's spellings"
    if BLANK in description.removeprefix(BLANK) and term.kind not in _NAMED:
        # "calls the cult 'alien to _____'", "others posthumously _____" (an inflected
        # "rehabilitated" for "Rehabilitation"): only the key fits, or none of the options.
        return "only the key fits the blank"
    for other in terms:
        if other.slug == term.slug or other.kind == GlossaryTerm.Kind.CONCEPT:
            continue
        named = [s for s in all_spellings(other) if len(s) > 3 and contains_phrase(description, s)]
        if named and not any(contains_phrase(support, s) for s in all_spellings(other)):
            return UNSUPPORTED
    for year in _YEAR.findall(description):
        if year not in support:
            return UNSUPPORTED
    return None


def _from_glossary(corpus: CorpusSnapshot, base: float) -> Iterator[Candidate | Rejection]:
    readable = {id(p) for p in corpus.passages}
    for term in corpus.terms:
        # Only readable primary text can back a question (not an editor's introduction).
        citations = [p for p in corpus.term_citations.get(term.slug, []) if id(p) in readable]
        if not citations:
            yield Rejection(NAME, "glossary entry cites no passage", term.slug)
            continue
        support = " ".join(p.text for p in citations)
        found = [s for s in all_spellings(term) if contains_phrase(support, s)]
        if not found:
            yield Rejection(NAME, "answer not supported by a cited passage", term.slug)
            continue
        # The fuller description if the citations bear it out, else its first sentence.
        description = _describe(term)
        problem = description_problem(description, term, support, corpus.terms)
        if problem:
            description = _describe(term, sentences=1)
            problem = description_problem(description, term, support, corpus.terms)
        # A description taken from a document's sentence (an approved proposal) may lean on
        # the text around it: "The longest revolt came a year later at _____".
        problem = problem or outside_reference(description, within=True)
        problem = problem or dangling_pronoun(description)
        if problem:
            yield Rejection(NAME, problem, term.slug)
            continue
        blank_at = description.find(BLANK)
        if blank_at >= 0 and name_choice.reported_by_many(
            term, description[:blank_at], description[blank_at + len(BLANK) :]
        ):
            yield Rejection(NAME, "other newspapers could be the answer", term.slug)
            continue
        if BLANK in description and description.startswith(BLANK):
            description = description.replace(BLANK, "This " + _ASK[term.kind][1], 1)
        r = item_rng(base, "term", term.slug)
        others, penalty = _like_people(corpus, term, r)
        if len(others) < 3:
            yield Rejection(NAME, "too few distractors of the same kind and role", term.slug)
            continue
        ask, noun = _ASK[term.kind]
        stem = f"{ask} is described here? “{description}”"
        options, answer = shuffled_options(
            rng=r, answer=term.name, distractors=[t.name for t in others]
        )
        by_name = {t.name: t for t in others}
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=citations[0],
            extra_passages=citations[1:],
            explanation=f"The glossary entry for {term.name}: {term.description}",
            quote=citations[0].text,
            highlight=_highlight(citations[0].text, found),
            identity=("term", term.slug),
            option_kind=noun if noun != "person" else "person",
            support_text=support,
            support_phrases=found[:1],
            exclusive_text=term.description,
            answer_spellings=all_spellings(term),
            distractor_spellings={
                o["id"]: all_spellings(by_name[o["text"]]) for o in options if o["id"] not in answer
            },
            # "The rule of _____ whose violation the texts condemn.": too thin to publish unread
            penalties={"role widened": penalty, "trivial stem": trivial_penalty(description)},
            difficulty="medium",
            terms=[term],
        )


def _misdated(corpus: CorpusSnapshot, event: TimelineEvent) -> bool:
    """The timeline entry dates something else than its title ("On 5 March 1956 the Party
    Presidium orders the report read" under "The speech is read out in party meetings")."""
    from quizzes.generation.entries import misdated  # entries builds on this module

    return misdated(corpus, event)


def _like_people(corpus: CorpusSnapshot, term: GlossaryTerm, r: random.Random):
    """`like_terms` for a description, picked as a name in a sentence is (`name_choice`):
    for a person, of the key's sex (women for a woman, never a woman beside a man) and of
    the key's era (not Lenin beside an ally of Khrushchev's: `entries.same_era`); for a
    place, none holding it or held by it, none whose people the description names, never
    the Soviet Union for the foreign country its leaders visit."""
    if term.kind not in (GlossaryTerm.Kind.PERSON, GlossaryTerm.Kind.PLACE):
        chosen, penalty = like_terms(corpus=corpus, answer=term, avoid_text=term.description, rng=r)
        said = _describe(term)
        if not any(clues.ruled_out(corpus, term, t, said) for t in chosen):
            return chosen, penalty
        # Of the country and kind the description gives the key ("the ruling communist
        # party": not the American one, round 3, R053), drawn apart from `r`, which then
        # shuffles the options as for any other entry.
        wide, _ = like_terms(
            corpus=corpus,
            answer=term,
            avoid_text=term.description,
            rng=random.Random(f"wide:{term.slug}"),  # noqa: S311 - not cryptographic
            count=len(corpus.terms),
        )
        fit = [t for t in wide if not clues.ruled_out(corpus, term, t, said)][:3]
        return fit, (ROLE_FALLBACK_PENALTY if any(t.role != term.role for t in fit) else 0.0)
    from quizzes.generation.entries import is_woman, same_era  # entries builds on this module

    everyone, penalty = like_terms(
        corpus=corpus, answer=term, avoid_text=term.description, rng=r, count=len(corpus.terms)
    )
    if term.kind == GlossaryTerm.Kind.PLACE:
        fit = [t for t in everyone if name_choice.place_fits(term, t, term.description)]
        # Places the same documents name first: a confusion they invite (China beside
        # Albania in a quarrel of communists, not the United Kingdom).
        works = {corpus.work_of(p).slug for p in corpus.term_citations.get(term.slug, [])}
        fit.sort(key=lambda t: not any(name_choice.named_in_work(corpus, t, w) for w in works))
        fit = fit[:3]
    else:
        woman = is_woman(term) or name_choice.is_female(term)
        fit = [
            t
            for t in everyone
            if (is_woman(t) or name_choice.is_female(t)) == woman
            and same_era(corpus, term, t)
            and not clues.outranks(t, term)
        ][:3]
    return fit, (penalty if any(t.role != term.role for t in fit) else 0.0)


def _highlight(text: str, phrases: list[str]) -> tuple[int, int] | None:
    for phrase in phrases:
        index = text.find(phrase)
        if index >= 0:
            return index, index + len(phrase)
    return None


def _label(date: datetime.date, precision: str) -> str:
    return TimelineEvent(date=date, precision=precision).date_label


def _shifted(event: TimelineEvent) -> list[datetime.date]:
    d = event.date
    out = [d.replace(year=d.year + n) for n in (-2, -1, 1, 2, 3)]
    if event.precision != TimelineEvent.Precision.YEAR:
        out += [d.replace(month=(d.month + n - 1) % 12 + 1, day=min(d.day, 28)) for n in (3, 5)]
    return out


# How a title without a verb becomes a question: "Lenin's letter ..." is dated, a
# resolution adopted; anything else "takes place".
_HEAD_VERBS = {
    "letter": ("was", "written"),
    "telegram": ("was", "sent"),
    "declaration": ("was", "written"),
    "directive": ("was", "signed"),
    "resolution": ("was", "adopted"),
    "biography": ("was", "published"),
    "formula": ("was", "advanced"),
    "reports": ("did", "appear"),
}
# How a source may write the verb: "Lenin wrote a letter", "Eikhe sent his declaration".
_VERB_FORMS = {"written": r"writ\w*|wrote", "sent": r"sen[dt]\w*"}
# A verb whose particle changes its sense: "advanced to the foreground" is not "advanced"
# (put forward), "sent back" is not "sent".
_PHRASAL = r"\s+(?:to the fore\w*|forward|up|out|off|back|down)\b"


def _invented_verb(title: str, question: str, support: str) -> bool:
    """Whether the question gives the event a verb (`_HEAD_VERBS`: "In which year was
    Stalin's formula advanced") its title does not, and the cited passages do not use in
    that sense: "according to the CC resolution" would put the word in its mouth (the
    resolution says the formula "was advanced to the foreground in 1937")."""
    for _, verb in _HEAD_VERBS.values():
        if question.endswith(f" {verb}") and not re.search(rf"\b{verb}\b", title, re.I):
            forms = _VERB_FORMS.get(verb, re.escape(verb[:-2]) + r"\w*")  # "wrote" a letter
            said = re.search(rf"\b(?:{forms})\b(?!{_PHRASAL})", support, re.I)
            return said is None
    return False


_PARTICIPLES = {"shot", "set", "read", "sent", "held", "made", "built", "taken", "given", "born"}
_PREPOSITIONS = {"before", "in", "at", "on", "with", "after", "to", "from", "by"}


def _base_form(verb: str) -> str:
    if verb in ("dies", "lies", "ties"):
        return verb[:-1]
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def _lower_words(corpus: CorpusSnapshot) -> set[str]:
    """Words the corpus writes in lower case: "Death" opens a title but is a common noun,
    "Cuban" is not. Read once per snapshot: every title asks."""
    cached = corpus.__dict__.get("_lower_words")
    if cached is None:
        words = re.compile(r"\b[a-z]+\b")
        cached = {w for p in corpus.all_passages for w in words.findall(p.text)}
        corpus.__dict__["_lower_words"] = cached
    return cached


_ORDINALS = {"First", "Second", "Third", "Fourth", "Fifth", "Last"}


def _subject(words: list[str], lower: set[str]) -> str:
    """The title's opening words as the subject of a question: "the 20th Party Congress",
    "Khrushchev", "Lenin's letter", "fascism", "the death of Stalin"."""
    text = " ".join(words)
    first = words[0]
    if first in ("The", "A", "An"):
        return first.lower() + text[len(first) :]
    if first.endswith(("'s", "’s")):
        return text
    if first.isupper() and len(first) > 1:  # "CC resolution ..."
        return ("the " + text) if len(words) > 1 and words[1].islower() else text
    if first[:1].isdigit():  # "17th Party Congress"
        return "the " + text
    if first.lower() not in lower and first.lower() + "s" not in lower and first not in _ORDINALS:
        # a name ("Khrushchev"), or a name's adjective before a noun ("the Cuban missile crisis")
        return "the " + text if len(words) > 1 and words[-1].islower() else text
    lowered = first.lower() + text[len(first) :]
    return lowered if first.endswith("ism") else "the " + lowered


def _is_person(word: str, corpus: CorpusSnapshot) -> bool:
    return any(t.kind == GlossaryTerm.Kind.PERSON and word in t.spellings for t in corpus.terms)


COMMON_NOUN_ZIPF = 4.0  # "troops", "students": common nouns that open a headline


def _base_verb(word: str, lower: set[str]) -> bool:
    """Whether a lower-case word is a verb's base form the corpus also writes in the past
    ("attack", "attacked"; "fire", "fired"), not a noun ("crowd")."""
    if not word.isalpha() or not word.islower() or word.endswith("s"):
        return False
    return f"{word}ed" in lower or (word.endswith("e") and f"{word}d" in lower)


def event_question(title: str, when: str, corpus: CorpusSnapshot) -> str | None:
    """A timeline title as a question without its question mark, or None.

    "Eikhe arrested" -> "On what date was Eikhe arrested"; "Khrushchev delivers the
    Secret Speech" -> "On what date did Khrushchev deliver the Secret Speech"; "Death of
    Stalin" -> "In which year did the death of Stalin take place".
    """
    # A headline's "will" is the past's "would": "did Nagy announce that Hungary would leave".
    words = title.rstrip(".").replace(" will ", " would ").split()
    if not words or " and is " in title or " and are " in title:
        return None
    lower = _lower_words(corpus)
    for i, word in enumerate(words[1:8], start=1):
        rest = " ".join(words[i + 1 :])
        subject = _subject(words[:i], lower)
        previous = words[i - 1]
        plural = previous.endswith("s") and not previous.endswith(("'s", "ss"))
        if word in ("is", "are"):
            return f"{when} {'were' if word == 'are' else 'was'} {subject} {rest}".strip()
        if not (word.isalpha() and word.islower()):
            continue  # still the subject: "20th", "Party", "Shin Bet"
        if word in _PARTICIPLES or word.endswith("ed"):
            # "Nagy and his defence minister, Pál Maléter, tried": two people, "were"
            aux = "were" if plural or "and" in words[:i] else "was"
            return f"{when} {aux} {subject} {' '.join(words[i:])}".strip()
        if i == 1 and word in _PREPOSITIONS and _is_person(words[0], corpus):
            return f"{when} was {subject} {' '.join(words[i:])}".strip()
        if i == 1 and words[0] in ("The", "A", "An"):
            continue  # "The speech ...": the subject needs its noun
        # "Soviet forces attack Budapest", "Troops fire on the strikers": many do it, in
        # the verb's base form (the corpus has its past, "attacked").
        common = not previous[:1].isupper() or (
            i == 1 and (previous.lower() in lower or zipf(previous.lower()) >= COMMON_NOUN_ZIPF)
        )
        if plural and common and _base_verb(word, lower):
            if i == 1 and subject == previous:
                subject = f"the {previous.lower()}"  # "Troops fire": "did the troops fire"
            return f"{when} did {subject} {word} {rest}".strip()
        if word.endswith("s") and _base_verb(words[i + 1] if i + 1 < len(words) else "", lower):
            continue  # "forces" in "Soviet forces attack": still the subject
        followed_by_of = words[i + 1 : i + 2] == ["of"]
        # "Khrushchev's delegation flies": a possessive names the subject too; "The New
        # York Times prints": a capitalised "-s" word is a name, not a plural.
        named = (
            previous[:1].isupper()
            or words[0] in ("The", "A", "An")
            or words[0].endswith(("'s", "’s"))
        )
        plural_noun = plural and not previous[:1].isupper()
        if word.endswith("s") and named and not plural_noun and not followed_by_of and i <= 4:
            return f"{when} did {subject} {_base_form(word)} {rest}".strip()
        if plural and words[0] == "The" and i == 2:
            return f"{when} did {subject} {word} {rest}".strip()
    phrase = _subject(words, lower)
    for head in (w.strip('"“”,').lower() for w in words):
        if head in _HEAD_VERBS:
            aux, verb = _HEAD_VERBS[head]
            return f"{when} {aux} {phrase} {verb}"
    if "," in phrase and phrase.endswith(('"', "”")):
        phrase += ","  # an apposition: "the 17th Party Congress, the "Congress of Victors","
    return f"{when} did {phrase} take place"


def title_problem(corpus: CorpusSnapshot, event: TimelineEvent) -> str | None:
    """Why the event's title cannot stand in a question or an option on its own, or None:
    it points back ("Pravda announces the decision": which decision? "The congress votes
    to remove the body": whose?) to something neither its glossary terms nor the works
    citing it name ("Mikoyan criticises Stalin at the congress" links the 20th Congress)."""
    names = [
        s for slug in corpus.event_terms.get(event.slug, []) for s in _term_spellings(corpus, slug)
    ]
    cited = corpus.event_citations.get(event.slug, [])
    known = " ".join([*names, *(known_title(corpus, p) for p in cited)])
    return anaphora(event.title, known=known) or dangling_pronoun(event.title)


def _term_spellings(corpus: CorpusSnapshot, slug: str) -> list[str]:
    by_slug = corpus.__dict__.get("_terms_by_slug")
    if by_slug is None:
        by_slug = corpus.__dict__["_terms_by_slug"] = {t.slug: t for t in corpus.terms}
    term = by_slug.get(slug)
    return all_spellings(term) if term is not None else []


def _from_timeline(corpus: CorpusSnapshot, base: float) -> Iterator[Candidate | Rejection]:
    readable = {id(p) for p in corpus.passages}
    for event in corpus.events:
        if event.precision not in _WHEN:
            yield Rejection(NAME, "approximate date", event.slug)
            continue
        problem = title_problem(corpus, event)
        if problem:
            yield Rejection(NAME, f"timeline title {problem}", event.slug)
            continue
        citations = [p for p in corpus.event_citations.get(event.slug, []) if id(p) in readable]
        if not citations:
            yield Rejection(NAME, "timeline event cites no passage", event.slug)
            continue
        evidence = date_evidence(event, citations)
        if evidence is None:
            # the key must be what the cited passage says, not what only the timeline knows
            yield Rejection(NAME, "event's date is not stated in its cited passages", event.slug)
            continue
        if _YEAR.search(event.title):
            yield Rejection(NAME, "answer given away in the stem", event.slug)
            continue
        if _misdated(corpus, event):
            yield Rejection(NAME, "the entry dates something else than its title", event.slug)
            continue
        r = item_rng(base, "event", event.slug)
        answer_text = event.date_label
        pool = [
            e.date
            for e in corpus.events
            if e.precision == event.precision and abs(e.date.year - event.date.year) <= ERA_YEARS
        ]
        r.shuffle(pool)
        shifted = _shifted(event)
        r.shuffle(shifted)
        # "..., according to “Poland and Hungary in the autumn of 1956”?": a key inside the
        # period the title names is not the only option inside it (`cloze_date.period_rules`).
        dated = evidence.passages[0]
        style = _STYLE[event.precision]
        key = cloze_date.FoundDate(0, 0, event.date, style, answer_text)
        periods, given_away = cloze_date.period_rules(key, titles=corpus.source_label(dated))
        if given_away:
            yield Rejection(NAME, "the title names the date", event.slug)
            continue
        early: list[datetime.date] = []
        for period, _ in periods:
            known = [p for p in pool if p != event.date and cloze_date.inside(p, style, period)]
            early += (known + cloze_date.within(event.date, style, period, r))[:2]
        distractors: list[str] = []
        derived = 0
        # Nothing done to a document or event the title names came before its own date.
        floor = named_floor(corpus, event.title)
        if floor is not None and floor < event.date:
            early, pool, shifted = ([d for d in ds if d >= floor] for ds in (early, pool, shifted))
        for date in early + pool[:2] + shifted:
            label = _label(date, event.precision)
            if label != answer_text and label not in distractors and len(distractors) < 3:
                distractors.append(label)
                derived += date not in pool
        question = event_question(event.title, _WHEN[event.precision], corpus)
        if question is None:
            yield Rejection(NAME, "timeline title cannot be phrased as a question", event.slug)
            continue
        # The question cites what dates the event, and names whose words those are.
        _, *also = evidence.passages
        support = " ".join(p.text for p in evidence.passages)
        if _invented_verb(event.title, question, support):
            yield Rejection(NAME, "the question's verb is not the source's", event.slug)
            continue
        stem = f"{question}, according to {corpus.source_label(dated)}?"
        options, answer = shuffled_options(rng=r, answer=answer_text, distractors=distractors)
        yield Candidate(
            type=TYPE,
            generator=NAME,
            version=VERSION,
            stem=stem,
            options=options,
            answer=answer,
            passage=dated,
            extra_passages=also,
            explanation=f"{event.title}: {answer_text}. {event.description}".strip(),
            quote=dated.text,
            highlight=_highlight(dated.text, evidence.phrases),
            identity=("event", event.slug),
            option_kind="date",
            support_text=support,
            support_phrases=evidence.phrases,
            exclusive_text="",
            answer_spellings=[answer_text],
            penalties={"derived distractors": 0.04 * max(0, derived - 1)},
            difficulty="hard" if event.precision == TimelineEvent.Precision.DAY else "medium",
            events=[event],
        )


def generate(*, corpus: CorpusSnapshot, rng: random.Random) -> Iterator[Candidate | Rejection]:
    base = rng.random()
    yield from _from_glossary(corpus, base)
    yield from _from_timeline(corpus, base)
