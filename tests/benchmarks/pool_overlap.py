"""How much two students' drawn tests share, and what practice gives away, on the real bank.

`python -m tests.benchmarks.pool_overlap [--write] [--runs N]` with the environment of a
database holding the bank (`make setup`'s var/thaw.sqlite3, or DATABASE_URL). It only
reads: every draw is made in memory with the draw's own function (quizzes.drawing.choose),
so nothing is written to the database. For each lesson's test of ten questions it prints:

- the pool and its split, and how many questions a test can ask (no two giving each other
  away);
- practice → test: a student who took the lesson's public quiz (its ten questions seen),
  then the test: questions of the test whose answer (or sentence) practice showed;
- two students: the expected number of questions their tests share, drawn independently
  (k²/N for a plain random draw of k from N, for comparison) and one after the other
  (the draw prefers the least asked);
- a class of 25 starting one after the other: the mean over all pairs;
- keys passed on: a student who never practised but holds the public quiz's ten keys.

Both ways a teacher can draw (the whole pool minus what the student has seen; the
test-only share) are measured, with the test before issue 15 (the public quiz's own ten
questions) for comparison. With --write, the table replaces the block between
`<!-- figures:pool-overlap -->` markers in docs/reliability.md; a plain run (and a
plain pytest) never writes a tracked file.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
import statistics
from collections import Counter
from pathlib import Path

import django

TEST_SIZE = 10
CLASS_SIZE = 25
DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START, END = "<!-- figures:pool-overlap -->", "<!-- /figures:pool-overlap -->"


def measure(*, runs: int) -> tuple[list[str], int]:
    from lessons.models import Module, module_quiz_key
    from lessons.modules.passage_groups import module_group
    from quizzes.building import (
        group_quiz_questions,
        question_pool,
        select_questions,
        test_only_share,
    )
    from quizzes.drawing import choose

    rows = []
    bank = 0
    for module in Module.objects.order_by("ordinal"):
        # The pool a lesson's test draws from, and its public quiz, as the app makes them.
        group = module_group(module)
        pool = list(question_pool(group=group))
        bank += len(pool)
        public = group_quiz_questions(key=module_quiz_key(module.slug), group=group, size=TEST_SIZE)
        # Before issue 15 a lesson's test asked its public quiz's ten, chosen from the whole pool.
        before = len(
            select_questions(key=module_quiz_key(module.slug), questions=pool, size=TEST_SIZE)
        )
        public_ids = {q.pk for q in public}
        public_sentences = {q.quote_key for q in public if q.quote_key}
        for mode, candidates in (
            ("whole pool, unseen", pool),
            ("test-only share", test_only_share(pool)),
        ):

            def draw(rng, *, seen=frozenset(), sentences=frozenset(), uses=None, c=candidates):
                return choose(
                    pool=c,
                    count=TEST_SIZE,
                    seen_ids=seen,
                    seen_sentences=sentences,
                    uses=uses or {},
                    rng=rng,
                    strict=True,
                )

            rng = random.Random(1956)  # a measurement: the same figures on every run
            fresh = [draw(rng) for _ in range(runs)]
            practised = [
                draw(rng, seen=public_ids, sentences=public_sentences) for _ in range(runs)
            ]
            size = statistics.mean(len(t) for t in practised)
            leaked = max(
                sum(q.pk in public_ids or q.quote_key in public_sentences for q in t)
                for t in practised
            )
            pairs = statistics.mean(
                len({q.pk for q in a} & {q.pk for q in b})
                for a, b in zip(practised[::2], practised[1::2], strict=False)
            )
            eligible = len(
                [
                    q
                    for q in candidates
                    if q.pk not in public_ids and q.quote_key not in public_sentences
                ]
            )
            one_after = []
            class_means = []
            for _ in range(max(runs // 50, 4)):
                uses: Counter[int] = Counter()
                tests = []
                for _student in range(CLASS_SIZE):
                    test = draw(rng, seen=public_ids, sentences=public_sentences, uses=uses)
                    uses.update(q.pk for q in test)
                    tests.append({q.pk for q in test})
                one_after.append(len(tests[0] & tests[1]))
                class_means.append(
                    statistics.mean(len(a & b) for a, b in itertools.combinations(tests, 2))
                )
            keys_held = statistics.mean(sum(q.pk in public_ids for q in t) for t in fresh)
            rows.append(
                f"| {module.title} | {len(pool)} ({len(test_only_share(pool))}) | {mode} "
                f"| {size:.1f} | {leaked} | {pairs:.1f} ({size * size / max(eligible, 1):.1f}) "
                f"| {statistics.mean(one_after):.1f} | {statistics.mean(class_means):.1f} "
                f"| {keys_held:.1f} |"
            )
        rows.append(
            f"| {module.title} | {len(pool)} | before issue 15: the public quiz's own | "
            f"{before} | {before} | {before} | {before} | {before} | {before} |"
        )
    return rows, bank


def table(rows: list[str], *, bank: int, runs: int) -> list[str]:
    return [
        f"_Measured by `python -m tests.benchmarks.pool_overlap --write` on "
        f"{datetime.date.today().isoformat()} on the bank of `make setup` ({bank} questions "
        f"over the lessons' pools; one cited by two lessons counts in each), {runs} draws "
        "per figure._",
        "",
        "| Lesson | Pool (test-only) | A test draws from | Questions asked | "
        "Revealed in practice, most in any draw | Two students share (k²/N) | "
        "Two students one after the other | Mean of a class of 25 | "
        "Public quiz's keys useful to a friend |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
    ]


def write(lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{DOC} has no {START} block: add the markers where the figures go")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(before + START + "\n" + "\n".join(lines) + "\n" + END + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/reliability.md")
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    django.setup()
    rows, bank = measure(runs=args.runs)
    lines = table(rows, bank=bank, runs=args.runs)
    print("\n".join(lines))
    if args.write:
        write(lines)


if __name__ == "__main__":
    main()
