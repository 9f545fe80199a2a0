"""Tables for the generate_questions and question_report commands (rich)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from rich.table import Table

from corpus.models import GlossaryTerm, Passage
from quizzes.generation.answer_keys import ONE_ANSWER_TYPES, AnswerKeys, key_cap
from quizzes.generation.balancing import in_band
from quizzes.models import GenerationRun, Question
from quizzes.passage_groups import entry_ids, passage_groups


def run_table(*, run: GenerationRun, result, threshold: float) -> Table:
    table = Table(title=f"Generation run (publish threshold {threshold})")
    table.add_column("Generator")
    table.add_column("Candidates", justify="right")
    table.add_column("Accepted", justify="right")
    accepted = Counter(c.generator for c in result.accepted)
    rejected = Counter(r.generator for r in result.rejections)
    for name in sorted(set(accepted) | set(rejected)):
        table.add_row(name, str(accepted[name] + rejected[name]), str(accepted[name]))
    table.add_section()
    table.add_row("[b]Rejections by reason[/b]", "", "")
    for reason, count in sorted(run.rejections.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(count), "")
    return table


def bank_table(*, title: str) -> Table:
    table = Table(title=title)
    table.add_column("Type")
    for status in Question.Status:
        table.add_column(status.label, justify="right")
    rows = (
        Question.objects.values("type")
        .annotate(**{s.value: Count("id", filter=Q(status=s.value)) for s in Question.Status})
        .order_by("type")
    )
    totals: Counter[str] = Counter()
    for row in rows:
        table.add_row(
            Question.Type(row["type"]).label, *(str(row[s.value]) for s in Question.Status)
        )
        totals.update({s.value: row[s.value] for s in Question.Status})
    table.add_section()
    table.add_row("Total", *(str(totals[s.value]) for s in Question.Status))
    return table


def uncited_passages() -> list[Passage]:
    """Substantive readable passages no published question cites."""
    cited = set(Question.objects.published().values_list("passage_id", flat=True)) | set(
        Question.objects.published().values_list("extra_citations", flat=True)
    )
    return [
        p
        for p in Passage.objects.readable().primary().select_related("source")
        if p.pk not in cited and len(p.text.split()) >= 12
    ]


def coverage() -> tuple[int, int]:
    """(cited, total) substantive readable passages."""
    total = [
        p.pk
        for p in Passage.objects.readable().primary().only("id", "text")
        if len(p.text.split()) >= 12
    ]
    missing = {p.pk for p in uncited_passages()}
    return len(total) - len(missing), len(total)


@dataclass(frozen=True)
class GroupBalance:
    label: str
    true: int
    total: int  # true/false questions

    @property
    def share(self) -> float:
        return self.true / self.total if self.total else 0.0

    @property
    def balanced(self) -> bool:
        return in_band(self.true, self.total)


@dataclass(frozen=True)
class GroupKeys:
    label: str
    items: int  # published questions: "a lesson's items", of every type
    top: list[tuple[str, int]]  # (key, questions keyed by it), most frequent first

    @property
    def cap(self) -> int:
        return key_cap(self.items)


def _published_by_group() -> list[tuple[str, list[Question]]]:
    """("Whole bank", every published question), then each lesson's pool (the questions
    citing its passages or resting on its events or terms, `PassageGroup.holds`, as its
    quizzes draw them). Four queries, and the lessons' groups."""
    questions = list(Question.objects.published().only("type", "options", "answer", "passage"))
    cited = entry_ids(questions)
    groups = [("Whole bank", questions)]
    for group in passage_groups().values():
        members = [
            q
            for q in questions
            if group.holds(
                passage_ids=cited[q.pk][0], event_ids=cited[q.pk][1], term_ids=cited[q.pk][2]
            )
        ]
        groups.append((group.label, members))
    return groups


def true_false_balance() -> list[GroupBalance]:
    """Published true/false questions keyed true, in the whole bank and per lesson."""
    rows = []
    for label, questions in _published_by_group():
        statements = [q for q in questions if q.type == Question.Type.TRUE_FALSE]
        true = sum(1 for q in statements if q.answer == ["true"])
        rows.append(GroupBalance(label=label, true=true, total=len(statements)))
    return rows


def key_spread(*, top: int = 3) -> list[GroupKeys]:
    """The most frequent keys of published one-answer questions, whole bank and per lesson,
    against every published question of it (spellings of one glossary term count as one
    key, `answer_keys`)."""
    keys = AnswerKeys(GlossaryTerm.objects.all())
    rows = []
    for label, questions in _published_by_group():
        counts: Counter[str] = Counter()
        items = [q for q in questions if q.type in ONE_ANSWER_TYPES]
        for q in items:
            texts = q.correct_texts()
            if texts:
                counts[keys.key(texts[0])] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        rows.append(GroupKeys(label=label, items=len(questions), top=ranked))
    return rows


def balance_table() -> Table:
    table = Table(title="True/false balance (published)")
    table.add_column("Group")
    table.add_column("True", justify="right")
    table.add_column("Of", justify="right")
    table.add_column("Share true", justify="right")
    table.add_column("40-60 %")
    for row in true_false_balance():
        share = f"{row.share:.0%}" if row.total else "n/a"
        table.add_row(
            row.label, str(row.true), str(row.total), share, "yes" if row.balanced else "NO"
        )
    return table


def key_spread_table(*, top: int = 3) -> Table:
    table = Table(title=f"Key spread: the {top} most frequent keys among the published questions")
    table.add_column("Group")
    table.add_column("Questions", justify="right")
    table.add_column("Top keys (share)")
    table.add_column("Within 5 %")
    for row in key_spread(top=top):
        keys = "; ".join(f"{key} {count} ({count / row.items:.1%})" for key, count in row.top)
        within = all(count <= row.cap for _, count in row.top)
        table.add_row(row.label, str(row.items), keys or "-", "yes" if within else "NO")
    return table
