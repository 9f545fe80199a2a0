"""Geometry for the server-drawn SVG bar charts (the mastery chart on the dashboard).

The template draws the shapes; this module only computes where they go, so the
chart needs no JavaScript and is the same in every browser and in print. Each
row is a label above a horizontal bar with its percentage as text at the end,
so long lesson titles never collide with the bars; a title too long for a
phone is split over two lines. Horizontal positions are
percentages of the SVG's width and vertical ones pixels (no viewBox), so the
chart fills a phone or a desktop column while its text stays the page's size.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 56
LINE_HEIGHT = 18
LABEL_CHARS = 42  # SVG text does not wrap: longer labels are split into lines here
LABEL_BASELINE = 18
BAR_TOP = 28
BAR_HEIGHT = 16
TRACK_PERCENT = 84  # of the width; the rest is room for "100%" at the right


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int | None  # None: nothing to show yet (no questions answered)
    top: int
    width_percent: float
    label_lines: tuple[str, ...]

    @property
    def label_y(self) -> int:
        return self.top + LABEL_BASELINE

    @property
    def extra_height(self) -> int:
        return LINE_HEIGHT * (len(self.label_lines) - 1)

    @property
    def bar_y(self) -> int:
        return self.top + BAR_TOP + self.extra_height

    @property
    def text_y(self) -> int:
        # Baseline of the percentage, centred on the bar (13px text).
        return self.bar_y + BAR_HEIGHT - 3

    @property
    def text(self) -> str:
        return "Not started" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    track_percent: int
    bar_height: int

    @property
    def summary(self) -> str:
        """The chart in words, for the SVG's <desc> (screen readers read it)."""
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars) + "."


def horizontal_bar_chart(*, rows: Sequence[tuple[str, int | None]]) -> BarChart:
    """Lay out one bar per (label, percent 0-100 or None) row, top to bottom."""
    bars = []
    top = 0
    for label, percent in rows:
        bar = Bar(
            label=label,
            percent=percent,
            top=top,
            width_percent=round(TRACK_PERCENT * max(0, min(percent or 0, 100)) / 100, 2),
            label_lines=tuple(textwrap.wrap(label, LABEL_CHARS)) or ("",),
        )
        bars.append(bar)
        top += ROW_HEIGHT + bar.extra_height
    return BarChart(
        bars=bars,
        height=max(top, ROW_HEIGHT),
        track_percent=TRACK_PERCENT,
        bar_height=BAR_HEIGHT,
    )
