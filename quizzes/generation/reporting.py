"""Tables for the generate_questions and question_report commands (rich)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from rich.table import Table

from corpus.models import Passage
from quizzes.models import GenerationRun, Question


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
