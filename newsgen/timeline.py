"""The articles-per-month bar chart: geometry computed here, drawn as inline SVG by ``_timeline.html``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from newsgen.archive import period_title
from newsgen.models import Article

MONTH_WIDTH = 10  # SVG units per month, gap included
SHORT_RANGE_WIDTH = 120  # a range of a few months gets wider months, up to WIDEST_MONTH: not a sliver
WIDEST_MONTH = 30
YEAR_LABEL_WIDTH = 30  # a year in 10 px text: never cut off by the chart's edge nor drawn over the next year
CHART_HEIGHT = 60  # height of the tallest bar


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: its key (``2016-09``), label, article count and where it is drawn."""

    month: str
    label: str  # "September 2016: 3 articles", for screen readers and tooltips
    count: int
    x: int
    width: int
    height: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every month from the first to the last dated article; months without articles get no bar."""

    bars: tuple[Bar, ...]
    years: tuple[tuple[int, int], ...]  # (x, year) where each January (or the first month) starts
    width: int
    height: int
    caption: str
    folder: str = ""  # where each month's page is: "" for the calendar's (``2016/09/``), or a source's folder


def month_timeline(articles: Iterable[Article], folder: str = "") -> Timeline | None:
    """The chart for ``articles``, or None when none of them is dated; ``folder``: see ``Timeline``."""
    counts = Counter(f"{a.published:%Y-%m}" for a in articles if a.published is not None)
    if not counts:
        return None
    first, last = min(counts), max(counts)
    months = _months_between(first, last)
    tallest = max(counts.values())
    step = min(WIDEST_MONTH, max(MONTH_WIDTH, SHORT_RANGE_WIDTH // len(months)))
    bars = tuple(
        Bar(
            month,
            f"{period_title(month)}: {counts[month]} article{'s' * (counts[month] != 1)}",
            counts[month],
            i * step,
            step - 2,
            round(max(2.0, CHART_HEIGHT * counts[month] / tallest), 1),
        )
        for i, month in enumerate(months)
        if counts[month]
    )
    starts = [(i * step, int(m[:4])) for i, m in enumerate(months) if i == 0 or m.endswith("-01")]
    # The first month's year gives way to a January too close after it (a range that starts in November).
    years = (*(s for s, after in pairwise(starts) if after[0] - s[0] >= YEAR_LABEL_WIDTH), starts[-1])
    width = max(len(months) * step, years[-1][0] + YEAR_LABEL_WIDTH)
    span = period_title(first) if first == last else f"{period_title(first)} to {period_title(last)}"
    return Timeline(bars, years, width, CHART_HEIGHT, f"Articles per month, {span}", folder)


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        out.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
