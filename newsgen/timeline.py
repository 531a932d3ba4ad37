"""The articles-per-month bar chart: geometry computed here, drawn as inline SVG by ``_timeline.html``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsgen.archive import period_title
from newsgen.models import Article

BAR_WIDTH = 10  # SVG units per month, gap included
CHART_HEIGHT = 60  # height of the tallest bar


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: its key (``2016-09``), label, article count and where it is drawn."""

    month: str
    label: str  # "September 2016: 3 articles", for screen readers and tooltips
    count: int
    x: int
    height: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every month from the first to the last dated article; months without articles get no bar."""

    bars: tuple[Bar, ...]
    years: tuple[tuple[int, int], ...]  # (x, year) where each January (or the first month) starts
    width: int
    height: int
    caption: str


def month_timeline(articles: Iterable[Article]) -> Timeline | None:
    """The chart for ``articles``, or None when none of them is dated."""
    counts = Counter(f"{a.published:%Y-%m}" for a in articles if a.published is not None)
    if not counts:
        return None
    first, last = min(counts), max(counts)
    months = _months_between(first, last)
    tallest = max(counts.values())
    bars = tuple(
        Bar(
            month,
            f"{period_title(month)}: {counts[month]} article{'s' * (counts[month] != 1)}",
            counts[month],
            i * BAR_WIDTH,
            round(max(2.0, CHART_HEIGHT * counts[month] / tallest), 1),
        )
        for i, month in enumerate(months)
        if counts[month]
    )
    years = tuple((i * BAR_WIDTH, int(m[:4])) for i, m in enumerate(months) if i == 0 or m.endswith("-01"))
    span = period_title(first) if first == last else f"{period_title(first)} to {period_title(last)}"
    return Timeline(bars, years, len(months) * BAR_WIDTH, CHART_HEIGHT, f"Articles per month, {span}")


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        out.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
