"""Choosing what the bank publishes among the questions that passed the gates.

Three rules, each about the bank as a student meets it, lesson by lesson (a lesson is a
group of passages, `quizzes.passage_groups`; the whole bank counts as one more group):

* `select_fillers`: true/false statements of up to `STATEMENTS_PER_PASSAGE` different
  sentences of a passage, each true or false as the passage's lessons are short of;
  source attribution fills a gap only where no statement is and other questions cite
  the passage fewer than `WELL_COVERED` times.
* `balance_true_false`: between 40 and 60 % of a lesson's true/false questions are true
  (or as near as an odd count allows), so answering "false" every time scores no better
  than chance. Surplus statements wait for a curator.
* `spread_keys`: no answer is the key of more than 5 % of a lesson's questions that have
  one answer text (`answer_keys`): "Lenin" keyed twenty times is guessable. The surplus,
  the weaker and the more repetitive first, waits for a curator.

Nothing here deletes a sound question: what does not fit waits as `needs_review`
(`Candidate.held`), except a passage's second filler, which is not kept at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from django.conf import settings

from quizzes.generation.answer_keys import ONE_ANSWER_TYPES, AnswerKeys, key_cap
from quizzes.generation.candidates import Candidate, passage_ref
from quizzes.passage_groups import PassageGroup

FILLER_TYPES = ("true_false", "source_attribution")
CAPPED = "capped: the passage already has questions"
FILLERS_PER_PASSAGE = 1
WELL_COVERED = 3
# True/false statements of different sentences a passage may have, however well other
# questions cover it: a paragraph of dated facts is worth more than one.
STATEMENTS_PER_PASSAGE = 2
TRUE_SHARE = (0.4, 0.6)
HELD_TRUE_FALSE = "held: keeps true and false statements balanced in its lesson"
HELD_KEY = "held: its answer is already the key of 5 % of its lesson's questions"
BANK = -1  # the group every question belongs to
DEFAULT_PUBLISH_THRESHOLD = 0.7

# A lesson (quizzes.passage_groups), or only its passage ids.
Groups = Sequence[PassageGroup | frozenset[int]]


def publish_threshold() -> float:
    return float(getattr(settings, "QUESTION_PUBLISH_THRESHOLD", DEFAULT_PUBLISH_THRESHOLD))


def publishable(candidate: Candidate, threshold: float) -> bool:
    """Whether the candidate will be published (students meet only these)."""
    return candidate.quality_score >= threshold and not candidate.held


def memberships(candidate: Candidate, groups: Groups) -> frozenset[int]:
    """The groups (by index) whose passages the candidate cites or whose events or terms it
    rests on (`PassageGroup.holds`), and the whole bank."""
    passages = {p.pk for p in candidate.cited if p.pk is not None}
    events = {e.pk for e in candidate.events if e.pk is not None}
    terms = {t.pk for t in candidate.terms if t.pk is not None}
    inside = []
    for i, group in enumerate(groups):
        if isinstance(group, PassageGroup):
            found = group.holds(passage_ids=passages, event_ids=events, term_ids=terms)
        else:
            found = bool(passages & group)
        if found:
            inside.append(i)
    return frozenset({BANK, *inside})


def _is_true(c: Candidate) -> bool:
    return c.answer == ["true"]


def select_fillers(
    accepted: list[Candidate],
    groups: Groups = (),
    *,
    threshold: float = DEFAULT_PUBLISH_THRESHOLD,
) -> tuple[list[Candidate], list[Candidate]]:
    """(kept, capped): per passage, statements of up to `STATEMENTS_PER_PASSAGE` sentences,
    one version of each, true or false as the passage's lessons need; else one source
    attribution where the passage is not well covered."""
    substantive: Counter[str] = Counter()
    for c in accepted:
        if not _is_filler(c) and publishable(c, threshold):
            substantive.update({passage_ref(p) for p in c.cited})
    by_passage: dict[str, list[Candidate]] = defaultdict(list)
    for c in accepted:
        if _is_filler(c):
            by_passage[passage_ref(c.passage)].append(c)
    lean: Counter[int] = Counter()  # per group: false statements kept minus true ones
    keep: set[str] = set()
    for ref in sorted(by_passage):
        options = sorted(
            by_passage[ref],
            key=lambda c: (not publishable(c, threshold), -c.quality_score, c.fingerprint),
        )
        statements = [c for c in options if c.type == "true_false"]
        chosen: list[Candidate] = []
        if statements:
            # A statement tests a fact of its own sentence, so a well-covered passage has
            # them too: one version of each of a few sentences, as the lessons need.
            wanted = min(STATEMENTS_PER_PASSAGE, _fact_sentences(statements))
            member = memberships(statements[0], groups)
            said: set[str] = set()
            while len(chosen) < wanted:
                want_true = sum(lean[g] for g in member) > 0
                left = [c for c in statements if c.identity[1] not in said]
                if not left:
                    break
                left.sort(key=lambda c: (not publishable(c, threshold), _is_true(c) != want_true))
                c = left[0]
                chosen.append(c)
                said.add(c.identity[1])
                for g in memberships(c, groups):
                    lean[g] += -1 if _is_true(c) else 1
        elif substantive[ref] < WELL_COVERED:
            chosen = options[:FILLERS_PER_PASSAGE]
        keep.update(c.fingerprint for c in chosen)
    kept = [c for c in accepted if not _is_filler(c) or c.fingerprint in keep]
    capped = [c for c in accepted if _is_filler(c) and c.fingerprint not in keep]
    return kept, capped


def _fact_sentences(statements: list[Candidate]) -> int:
    return len({c.identity[1] for c in statements})


def _is_filler(c: Candidate) -> bool:
    # A statement resting on a timeline event fills no passage's gap: it is the event's.
    return c.type in FILLER_TYPES and c.passage is not None


def in_band(true: int, total: int) -> bool:
    """Whether `true` of `total` statements is balanced: 40-60 %, or off by half an item
    at most (one of three cannot be 40 %)."""
    low, high = TRUE_SHARE
    return low * total <= true <= high * total or abs(true - total / 2) <= 0.5


def balance_true_false(
    kept: list[Candidate], groups: Groups = (), *, threshold: float = DEFAULT_PUBLISH_THRESHOLD
) -> None:
    """Hold back the surplus of true or of false statements in any group out of band,
    the weakest first, until every group is in band (counting what will be published)."""
    statements = [c for c in kept if c.type == "true_false" and publishable(c, threshold)]
    member = {c.fingerprint: memberships(c, groups) for c in statements}
    for _ in range(len(statements)):
        live = [c for c in statements if not c.held]
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for c in live:
            for g in member[c.fingerprint]:
                counts[g][_is_true(c)] += 1
        out = [g for g, (f, t) in counts.items() if not in_band(t, f + t)]
        if not out:
            return
        # the smallest group out of band first: holding there disturbs the fewest others
        g = min(out, key=lambda g: (sum(counts[g]), g))
        f, t = counts[g]
        surplus = t > f
        pool = [c for c in live if g in member[c.fingerprint] and _is_true(c) == surplus]
        pool.sort(key=lambda c: (c.quality_score, len(member[c.fingerprint]), c.fingerprint))
        pool[0].held = HELD_TRUE_FALSE


def spread_keys(
    kept: list[Candidate],
    keys: AnswerKeys,
    groups: Groups = (),
    *,
    threshold: float = DEFAULT_PUBLISH_THRESHOLD,
) -> None:
    """Hold back questions whose key is the key of more than `KEY_SHARE` of a group's
    published questions (the issue's "a lesson's items": every question a test may draw
    from the lesson; a true/false key is balanced apart, `balance_true_false`): keep the
    best, of as many types as possible."""
    live = [c for c in kept if publishable(c, threshold)]
    member = {c.fingerprint: memberships(c, groups) for c in live}
    items = [c for c in live if c.type in ONE_ANSWER_TYPES]
    key_of = {c.fingerprint: keys.key(c.answer_texts[0]) for c in items}
    changed = True
    while changed:
        changed = False
        sizes: Counter[int] = Counter(g for c in live if not c.held for g in member[c.fingerprint])
        by_group: dict[int, list[Candidate]] = defaultdict(list)
        for c in items:
            if not c.held:
                for g in member[c.fingerprint]:
                    by_group[g].append(c)
        for g in sorted(by_group):
            cap = key_cap(sizes[g])
            by_key: dict[str, list[Candidate]] = defaultdict(list)
            for c in by_group[g]:
                by_key[key_of[c.fingerprint]].append(c)
            for same in by_key.values():
                if len(same) <= cap:
                    continue
                for c in _keep_order(same)[cap:]:
                    c.held = HELD_KEY
                changed = True
            if changed:
                break  # counts changed: recount every group


def _keep_order(same: list[Candidate]) -> list[Candidate]:
    """Questions with one key, the ones to publish first: the best of each type in turn,
    so "Lenin" is asked by a cloze, a quotation and a description rather than three clozes."""
    ranked = sorted(same, key=lambda c: (-c.quality_score, c.fingerprint))
    seen: Counter[str] = Counter()
    order = []
    for c in ranked:
        order.append((seen[c.type], -c.quality_score, c.fingerprint, c))
        seen[c.type] += 1
    return [c for *_, c in sorted(order, key=lambda row: row[:3])]
