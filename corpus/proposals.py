"""Proposed glossary terms and timeline events: found in documents, decided by curators.

`propose` runs corpus.discovery over the readable text and records, for the sources
given, every person, place and organization the glossary lacks and every dated sentence
as a `Proposal` (idempotent: a name or event already proposed is updated while it waits,
and a decided one is left alone). `approve` adds the entry to the glossary or timeline in
the database as a curator's change (corpus.reference_editing: load_corpus keeps it,
export_corpus writes it to glossary.toml or timeline.toml), citing the sentence it was
found in; `reject` records that a name is not worth asking about.
Both are audited. Generating the questions that follow is the quizzes app's job
(registered by quizzes with corpus.curation).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from corpus import discovery, reference_editing
from corpus.citations import Citation
from corpus.editing import EditingError
from corpus.models import GlossaryTerm, Passage, Proposal, TimelineEvent
from corpus.plumbing import audit
from corpus.reference import EventEntry, TermEntry

MAX_TITLE_WORDS = 14
# Where a headline is cut: what follows says why or while, not what happened.
_CLAUSE_END = re.compile(
    r"\s+(?:while|as|after|before|because|when|although|until|so that)\s+|;\s+|,\s+(?:which|who|and|but|while|after)\s+|:\s+"
)
# "as Soviet troops moved ...": "as" opening a clause (a verb within a few words).
_AS_CLAUSE = re.compile(r"(?:\S+\s+){0,3}?(?:[a-z]+ed|was|were|had|became|began|went|came|fell)\b")
_PASSIVE = re.compile(r"\b(was|were)\s+(?=(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn|ght|lt|nt|de)\b)")
_PRONOUN = re.compile(r"^(?:he|she)\b", re.I)
_OTHER_PRONOUN = re.compile(r"^(?:it|they|this|these|those|there|its|their)\b", re.I)


class ProposalError(ValueError):
    """A proposal that cannot be approved as it stands; the message is for the curator."""


@dataclass
class ProposeReport:
    created: int = 0
    updated: int = 0
    removed: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} glossary and timeline proposals added, {self.updated} updated, "
            f"{self.removed} no longer found"
        )


def _readable() -> list[Passage]:
    return list(
        Passage.objects.readable()
        .primary()
        .select_related("source")
        .order_by("source__work__ordinal", "source__ordinal", "source__slug", "ordinal")
    )


def _sentence_with(text: str, start: int) -> str:
    """The sentence of `text` holding offset `start`, with the sentence before it when it
    says "he" or "it" before naming anyone ("Zhukov's triumph was brief. On 26 October
    1957 ... he was dismissed"): the quote is the entry's first description."""
    spans = discovery.sentence_spans(text)
    for i, (a, b) in enumerate(spans):
        if a <= start < b:
            if i and _POINTS_BACK.search(text[a:b]):
                a = spans[i - 1][0]
            return text[a:b].strip()
    return text.strip()


# "he", "she", "it", "they" (not "it was clear that"): whom or what, the sentence before says.
_POINTS_BACK = re.compile(
    r"\b(?:he|she|him|his|her|it|its|they|them|their)\b(?!\s+(?:is|was)\s+(?:clear|known|true))",
    re.I,
)


@transaction.atomic
def propose(*, sources: Iterable[str] | None = None) -> ProposeReport:
    """Record what the documents name and date that the glossary and timeline lack."""
    wanted = set(sources) if sources is not None else None
    passages = _readable()
    terms = list(GlossaryTerm.objects.all())
    known = {s: t.kind for t in terms for s in t.spellings if s}
    entities = discovery.discover_entities(passages=[p.text for p in passages], known=known)
    taken_terms = {t.slug for t in terms}
    existing = {(p.kind, p.slug): p for p in Proposal.objects.all()}
    report = ProposeReport()
    persons = [s for t in terms if t.kind == GlossaryTerm.Kind.PERSON for s in t.spellings]
    for entity in entities:
        persons += entity.spellings if entity.kind == discovery.PERSON else []
        found_in = [passages[i] for i in entity.passages]
        mine = [p for p in found_in if wanted is None or p.source.slug in wanted]
        if not mine or entity.slug in taken_terms:
            continue
        first = mine[0]
        spelling = next(s for s in entity.spellings if s in first.text)
        quote = _sentence_with(first.text, first.text.index(spelling))
        _store(
            existing,
            report,
            kind=entity.kind,
            slug=entity.slug,
            values={
                "name": entity.name,
                "aliases": [s for s in entity.spellings if s != entity.name],
                "quote": quote,
                "source": first.source,
                "evidence": entity.evidence + ([f"title: {entity.title}"] if entity.title else []),
            },
            passages=mine,
        )
    produced: set[tuple[str, str]] = {
        (e.kind, e.slug)
        for e in entities
        if e.slug not in taken_terms
        and any(wanted is None or passages[i].source.slug in wanted for i in e.passages)
    }
    taken_events = set(TimelineEvent.objects.values_list("slug", flat=True))
    for passage in passages:
        if wanted is not None and passage.source.slug not in wanted:
            continue
        for event in dated_events(passage.text, persons=persons):
            slug = f"{slugify(discovery.fold(event.title))[:60].rstrip('-')}-{event.date.year}"
            if slug in taken_events:
                continue
            produced.add((Proposal.Kind.EVENT, slug))
            _store(
                existing,
                report,
                kind=Proposal.Kind.EVENT,
                slug=slug,
                values={
                    "name": event.title,
                    "date": event.date,
                    "precision": event.precision,
                    "quote": event.sentence,
                    "source": passage.source,
                    "evidence": [f"dated “{event.date_text}”"],
                },
                passages=[passage],
            )
    # A proposal nobody decided that the text no longer yields (the text or the rules
    # changed) goes; a decided one stays, as the record of the decision.
    stale = Proposal.objects.proposed()
    if wanted is not None:
        stale = stale.filter(source__slug__in=wanted)
    stale_ids = [p.pk for p in stale if (p.kind, p.slug) not in produced]
    Proposal.objects.filter(pk__in=stale_ids).delete()
    report.removed = len(stale_ids)
    return report


def _store(existing, report: ProposeReport, *, kind: str, slug: str, values: dict, passages):
    proposal = existing.get((kind, slug))
    if proposal is None:
        proposal = Proposal.objects.create(kind=kind, slug=slug, **values)
        existing[(kind, slug)] = proposal
        report.created += 1
    elif proposal.status == Proposal.Status.PROPOSED:
        changed = [k for k, v in values.items() if getattr(proposal, k) != v]
        if not changed:
            return
        for key in changed:
            setattr(proposal, key, values[key])
        proposal.save(update_fields=changed)
        report.updated += 1
    else:
        return  # a curator decided: never touched again
    proposal.passages.set(passages)


# --- timeline events from dated sentences ------------------------------------------------------


@dataclass(frozen=True)
class DatedEvent:
    title: str
    date: datetime.date
    precision: str
    date_text: str
    sentence: str


def dated_events(text: str, *, persons: Iterable[str] = ()) -> list[DatedEvent]:
    """One event per sentence that dates something to the day or month: its headline is the
    clause holding the date, without the date ("Nagy tried in secret and executed")."""
    events = []
    people = sorted({p for p in persons if p}, key=len, reverse=True)
    dates = discovery.find_dates(text)
    for a, b in discovery.sentence_spans(text):
        sentence = text[a:b].strip()
        inside = [d for d in dates if a <= d.start < b and d.precision != "year"]
        if len(inside) != 1:
            continue  # two dates in one sentence: which event has which is not clear
        found = inside[0]
        before = text[:a] + " " + sentence[: sentence.find(found.text)]
        subject = _subject_before(before.rstrip(), people)
        title = headline(sentence, found.text, subject=subject)
        if title:
            start = text.find(sentence, a)
            quote = _sentence_with(text, start) if start >= 0 else sentence
            events.append(DatedEvent(title, found.date, found.precision, found.text, quote))
    return events


def _subject_before(text: str, people: list[str]) -> str:
    """Who "he" is: the first person named in the nearest sentence (or part of one) before
    it that names anyone: the subject, not the last name in a list."""
    spans = discovery.sentence_spans(text) or [(0, len(text))]
    for a, b in reversed(spans):
        named = [
            (m.start(), name)
            for name in people
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text[a:b])
        ]
        if named:
            return min(named)[1].split()[-1]
    return ""


def headline(sentence: str, date_text: str, *, subject: str = "") -> str:
    """A timeline title from a sentence, or "" when the sentence does not date its main
    event: the clause holding the date must open with it ("On 4 November 1956 Soviet forces
    attacked Budapest") or end with it ("Nagy was tried in secret and executed on 16 June
    1958"). The date is taken out, "was elected" becomes "elected", "he" is named."""
    text = sentence.rstrip(".").strip()
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c and not _CLAUSE_SPLIT.fullmatch(c)]
    clause = next((c for c in clauses if date_text in c), "")
    # ("By September 1958 more than 4 million had left": a total reached, not an event.)
    lead = re.match(
        rf"^(?:(?:[Ee]arly |[Ll]ate )?[Oo]n(?: the (?:night|morning|evening|eve) of)?|[Ii]n)"
        rf"\s+{re.escape(date_text)},?\s+",
        clause,
    )
    tail = re.search(rf",?\s+(?:on|in)\s+{re.escape(date_text)}$", clause)
    if lead:
        clause = clause[lead.end() :]
    elif tail:
        clause = clause[: tail.start()]
        # "the leaders who tried to remove him ... in June 1957": a date after a relative
        # clause still open dates that clause, not what the sentence's subject did.
        if _OPEN_RELATIVE.search(clause):
            return ""
    else:
        return ""
    # "The Anti-Party Group was the name Khrushchev gave to ...": a state, not an event.
    if _COPULA.match(clause):
        return ""
    # "after an official visit to Yugoslavia, he was dismissed": the opening phrase says
    # when or why, the headline what happened.
    clause = _OPENING_PHRASE.sub("", clause, count=1)
    # "the trust, which had run the camps, was dissolved": the relative clause goes.
    clause = _INNER_RELATIVE.sub(" ", clause)
    for cut in _CLAUSE_END.finditer(clause):
        if cut.group(0).strip() == "as" and not _AS_CLAUSE.match(clause, cut.end()):
            continue  # "replaced as party leader by Gerő": a role, not "as troops moved"
        clause = clause[: cut.start()]
        break
    # "Stalingrad, the city of the great battle, was renamed": the apposition goes, and
    # so does a participle's phrase (", arguing that ...").
    clause = _INNER_APPOSITION.sub(" ", clause)
    clause = re.sub(r",\s+[a-z]+ing\b.*$", "", clause)
    # "opened the congress with a report that renewed ...": the report's content goes,
    # what was said stays ("announced that Hungary would leave").
    for cut in _RELATIVE.finditer(clause):
        if _SAID_BEFORE.search(clause[: cut.start()]):
            break
        if len(clause[: cut.start()].split()) >= 4:
            clause = clause[: cut.start()]
            break
    if len(clause.split()) > MAX_TITLE_WORDS:
        comma = re.search(r"^(?:\S+\s+){4,}?\S+?(?=,\s)", clause)
        clause = comma.group(0) if comma else clause
    # The main verb comes within the first few words: "(Mátyás Rákosi) had been replaced",
    # not "cases in which confessions had been forced".
    # ("Nagy and his defence minister, Pál Maléter, were tried": a longer subject.)
    # "had already been abolished": the adverb says when against the text around it.
    clause = re.sub(
        r"\b(had|has|have)\s+(?:already|also|since|long|just)\s+been\b", r"\1 been", clause
    )
    head = " ".join(clause.split()[:9])
    passive = bool(_PASSIVE.search(head) or re.search(r"\bhad been\b", head))
    if re.search(r"\bhad been\b", head):
        clause = re.sub(r"\bhad been\s+(?=[a-z]+(?:ed|en|wn)\b)", "", clause, count=1)
    elif _PASSIVE.search(head):
        clause = _PASSIVE.sub("", clause, count=1)
    clause = clause.strip(" ,")
    # "At Rechlag a strike began": the place goes after what happened there.
    place = re.match(r"^(At|In|Near)\s+((?:[A-Z][\w'-]*\s+)+)(?=[a-z])", clause)
    if place and not _PRONOUN.match(clause[place.end() :]):
        where = f"{place.group(1).lower()} {place.group(2).strip()}"
        clause = f"{clause[place.end() :]} {where}"
    if _OTHER_PRONOUN.match(clause):
        return ""  # "It was approved unanimously": what "it" is needs the sentence before
    if _PRONOUN.match(clause):
        if not subject:
            return ""
        clause = _PRONOUN.sub(subject, clause, count=1)
    words = clause.split()
    if len(words) < 3 or len(words) > MAX_TITLE_WORDS or clause.endswith(":"):
        return ""
    if words[-1].lower() in _DANGLING or '"' in clause or "“" in clause:
        return ""
    if not _HAS_VERB.search(" ".join(words[1:])):
        return ""  # "The Special Board of the security police": a name, not an event
    if not passive:  # "Nagy tried in secret and executed" is a headline already
        clause = present_tense(clause)
    return clause[:1].upper() + clause[1:]


# A verb of the clause: a past or a participle, or a present (after the subject).
_HAS_VERB = re.compile(
    r"\b(?:[a-z]+ed|[a-z]+en|[a-z]+[^s]s|became|began|broke|brought|chose|came|fell|fled|"
    r"flew|gave|went|held|led|made|met|rose|sent|spoke|took|told|won|wrote|lost|left|sat|"
    r"stood|ran|drew|found|kept|paid|said|saw|shot|threw|fought|built|knew|grew|withdrew|"
    r"had|was|were)\b"
)


_OPENING_PHRASE = re.compile(
    r"^(?:after|before|during|following|despite|while|when|once|at the end of|"
    r"at the start of)\b[^,]{0,80},\s+",
    re.I,
)
_OPEN_RELATIVE = re.compile(r"\b(?:who|whom|whose|which|that)\b[^,;:]*$")
# The main verb is "was"/"is" before a noun or an adjective: what something was, no deed.
_COPULA = re.compile(
    r"^(?:[^\s,]+\s+){1,7}?(?:was|were|is|are)\s+(?:the|a|an|one|among|not|no|still|only)\b"
)
_INNER_RELATIVE = re.compile(r",\s+(?:which|who)\s+[^,;]{3,80},\s+(?=[a-z])")
_INNER_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+[^,]{3,60},\s+")
_SAYING = r"announced|said|declared|promised|warned|argued|told|claimed|insisted|reported|wrote"
_RELATIVE = re.compile(r"(?:\s+(?:in|of|to|by|for|with|from|on|at))?\s+(?:that|which|who|whose)\s+")
_SAID_BEFORE = re.compile(rf"\b(?:{_SAYING})$")
# Past forms that do not end in "-ed", and what a headline says instead.
_IRREGULAR_PRESENT = {
    "became": "become", "began": "begin", "broke": "break", "brought": "bring",
    "chose": "choose", "came": "come", "fell": "fall", "fled": "flee", "flew": "fly",
    "gave": "give", "went": "go", "held": "hold", "led": "lead", "made": "make",
    "met": "meet", "rose": "rise", "sent": "send", "spoke": "speak", "took": "take",
    "told": "tell", "won": "win", "wrote": "write", "lost": "lose", "left": "leave",
    "sat": "sit", "stood": "stand", "ran": "run", "drew": "draw", "found": "find",
    "kept": "keep", "paid": "pay", "said": "say", "saw": "see", "threw": "throw",
    "fought": "fight", "built": "build", "knew": "know", "grew": "grow", "withdrew":
    "withdraw", "overthrew": "overthrow", "undertook": "undertake", "struck": "strike",
    "swore": "swear", "sought": "seek", "bought": "buy", "sold": "sell",
}  # fmt: skip


def _base_of(past: str) -> str:
    """The base form of a regular past ("replaced" -> "replace", "stopped" -> "stop",
    "carried" -> "carry"): the most common English word among the possible ones."""
    stem = past[:-2]
    candidates = [stem, past[:-1], stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])
    if stem.endswith("i"):
        candidates.append(stem[:-1] + "y")
    return max(candidates, key=lambda w: (discovery.zipf(w), -len(w)))


def _third_person(base: str) -> str:
    if base in ("be", "have"):
        return {"be": "is", "have": "has"}[base]
    if re.search(r"(?:s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


def present_tense(clause: str) -> str:
    """A headline in the present, as the timeline writes them: "Bulganin lost the
    premiership to Khrushchev" -> "Bulganin loses the premiership to Khrushchev", "Soviet
    forces attacked Budapest" -> "Soviet forces attack Budapest". A passive headline
    ("Nagy tried in secret and executed") or one whose verb is not found stays as it is."""
    words = clause.split()
    for i, word in enumerate(words[1:6], start=1):
        low = word.lower()
        if not word.islower() or not low.isalpha():
            continue
        if low in _IRREGULAR_PRESENT:
            base = _IRREGULAR_PRESENT[low]
        elif low.endswith("ed") and len(low) > 4:
            base = _base_of(low)
        else:
            continue
        subject = words[:i]
        # "Soviet forces", "Molotov and Kaganovich": many do it; "Molotov alone": one.
        last = next((w for w in reversed(subject) if not w.endswith("ly") and w != "alone"), "")
        plural = " and " in f" {' '.join(subject)} " or (
            last.islower() and last.endswith("s") and not last.endswith("ss")
        )
        if i == 1 and words[0][:1].isupper() and words[0].endswith("s") and words[0].islower():
            plural = True
        verb = base if plural else _third_person(base)
        rest = " ".join(words[i + 1 :]).replace(" would ", " will ")
        return " ".join([*subject, verb, rest]).strip()
    return clause


# A sentence's clauses: "..., and on 21 October 1956 he was elected ..." holds two events.
_CLAUSE_SPLIT = re.compile(r"(,\s+and\s+|;\s+|,\s+but\s+|,\s+while\s+)")
_DANGLING = {
    "was", "were", "of", "the", "a", "an", "in", "and", "to", "that", "by", "with", "it", "them",
}  # fmt: skip


# --- decisions ---------------------------------------------------------------------------------


def _entry(
    proposal: Proposal, *, name: str, description: str, role: str, date, precision
) -> TermEntry | EventEntry:
    """The approved proposal as a glossary or timeline entry, citing the sentence it was
    found in."""
    citation = Citation(source=proposal.source.slug, quote=" ".join(proposal.quote.split()))
    if proposal.kind == Proposal.Kind.EVENT:
        return EventEntry(
            slug=proposal.slug,
            date=date,
            precision=precision,
            title=name,
            description=description,
            citations=(citation,),
            terms=(),
        )
    return TermEntry(
        slug=proposal.slug,
        name=name,
        kind=proposal.kind,
        role=role,
        aliases=tuple(" ".join(a.split()) for a in proposal.aliases if a != name),
        description=description,
        citations=(citation,),
    )


@transaction.atomic
def approve(
    *,
    proposal: Proposal,
    user,
    name: str,
    description: str,
    role: str = "",
    date: datetime.date | None = None,
    precision: str = "",
) -> Proposal:
    """Add the approved entry to the glossary or timeline as a curator's change (in the
    database: load_corpus keeps it, export_corpus writes it to the files); any error
    leaves the database and the proposal as they were."""
    if proposal.status != Proposal.Status.PROPOSED:
        raise ProposalError("This proposal has already been decided.")
    name, description = " ".join(name.split()), " ".join(description.split())
    if not name or not description:
        raise ProposalError("A name (or title) and a description are needed.")
    if proposal.kind == Proposal.Kind.EVENT:
        date, precision = date or proposal.date, precision or proposal.precision
        if date is None or precision not in TimelineEvent.Precision.values:
            raise ProposalError("An event needs a date and its precision.")
        if TimelineEvent.objects.filter(slug=proposal.slug).exists():
            raise ProposalError("The timeline already has an event with this slug.")
    elif GlossaryTerm.objects.filter(slug=proposal.slug).exists():
        raise ProposalError("The glossary already has a term with this slug.")
    entry = _entry(
        proposal, name=name, description=description, role=role, date=date, precision=precision
    )
    try:
        reference_editing.add_entry(entry=entry, user=user)
    except EditingError as error:
        raise ProposalError(str(error).splitlines()[0]) from None
    proposal.status = Proposal.Status.APPROVED
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        user=user,
        action="proposal.approve",
        obj=proposal,
        changes={
            "what": "timeline" if isinstance(entry, EventEntry) else "glossary",
            "slug": proposal.slug,
            "name": name,
        },
    )
    return proposal


@transaction.atomic
def reject(*, proposal: Proposal, user) -> Proposal:
    if proposal.status != Proposal.Status.PROPOSED:
        raise ProposalError("This proposal has already been decided.")
    proposal.status = Proposal.Status.REJECTED
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(user=user, action="proposal.reject", obj=proposal, changes={"slug": proposal.slug})
    return proposal
