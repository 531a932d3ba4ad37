"""The shape of an archive over time: articles per month as a bar chart, and per day as a calendar heat map.

Geometry is computed here and drawn as inline SVG by ``_timeline.html`` and ``_calendar.html``.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from newsgen.models import ArticleMeta
from newsgen.text.words import ENGLISH, Words

CHART_HEIGHT = 80  # px, the tallest bar
# The month chart is as wide as its page, so it spaces its labels for the narrowest page it may be drawn on:
# wider, they only stand further apart. A year in 12 px text is about 31 px wide.
NARROWEST_CHART = 280  # px: a 320 px phone, less the page's margins
YEAR_LABEL = 40  # px a year's label needs, the gap to the next one included
INITIALS_UP_TO = 2  # years: a chart of one or two years names its months (J F M ...) under the bars
HEAT_LEVELS = 4  # shades of a calendar day with articles, from a few to the busiest day's count
CELL = 20  # SVG units a calendar day takes, its gap included


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: its key (``2016-09``), its page, label, article count, where it is drawn (in % of the chart's
    width)."""

    month: str
    path: str  # the page that lists the month's articles: "2016/09/index.html", or a source's own
    label: str  # "September 2016: 3 articles", for screen readers and tooltips
    count: int
    x: float
    width: float
    height: float  # px


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every month of every year from the first dated article's to the last's; empty months get no bar.

    Whole years, so that one month of articles is one bar among twelve, not a block as wide as the page.
    """

    bars: tuple[Bar, ...]
    years: tuple[tuple[float, int], ...]  # (x in %, year) at the January of each labelled year
    initials: tuple[tuple[float, str], ...]  # (x in %, "S") under each month's middle, on a chart of a year or two
    height: int  # px, of the tallest bar
    caption: str


def month_timeline(
    articles: Iterable[ArticleMeta], pages: Mapping[str, str] | None = None, words: Words = ENGLISH
) -> Timeline | None:
    """The chart for ``articles``, or None when none of them is dated; ``pages``: each month's page, when not
    the calendar's (``2016/09/``); ``words``: the language of its labels."""
    counts = Counter(f"{a.published.year:04d}-{a.published.month:02d}" for a in articles if a.published is not None)
    if not counts:
        return None
    first, last = min(counts), max(counts)
    years = range(int(first[:4]), int(last[:4]) + 1)
    slot = 100 / (12 * len(years))  # % of the width
    tallest = max(counts.values())
    bars = tuple(
        Bar(
            month,
            pages[month] if pages is not None else f"{month.replace('-', '/')}/index.html",
            _label(words, words.period_title(month), counts[month]),
            counts[month],
            _pc((12 * (int(month[:4]) - years[0]) + int(month[5:]) - 1 + 0.125) * slot),
            _pc(0.75 * slot),
            round(max(2.0, CHART_HEIGHT * counts[month] / tallest), 1),
        )
        for month in sorted(counts)
    )
    year_px = NARROWEST_CHART / len(years)
    every = math.ceil(YEAR_LABEL / year_px)  # label every n-th year, so that labels never meet
    labelled = [n for n in range(0, len(years), every) if (len(years) - n) * year_px >= YEAR_LABEL]
    initials = tuple(
        (_pc((12 * n + m + 0.5) * slot), words.month_initials[m]) for n in range(len(years)) for m in range(12)
    ) if len(years) <= INITIALS_UP_TO else ()  # fmt: skip
    span = words.period_title(first)
    if first != last:
        span = words.gettext("%(first)s to %(last)s") % {"first": span, "last": words.period_title(last)}
    busiest = max(sorted(counts), key=counts.__getitem__)
    caption = words.gettext("Articles per month, %(span)s") % {"span": span}
    if len(counts) > 1:
        most = words.gettext("the most in %(month)s (%(count)d)")
        caption += "; " + most % {"month": words.period_title(busiest), "count": counts[busiest]}
    labels = tuple((_pc(12 * n * slot), years[n]) for n in labelled)
    return Timeline(bars, labels, initials, CHART_HEIGHT, caption)


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day of a month's calendar: where it is drawn, and how many articles it has."""

    key: str  # "2016-09-08"
    day: int
    x: int  # SVG units from the month's left edge
    y: int  # SVG units from the top of the first week
    count: int
    level: int  # 0: none; 1 to HEAT_LEVELS, against the busiest day of the calendar
    label: str  # "Thursday 8 September 2016: 2 articles"


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    """A month of days laid out in weeks, Monday first."""

    key: str  # "2016-09"
    title: str  # "September"
    count: int  # its articles, those dated only to the month included
    days: tuple[CalendarDay, ...]
    height: int  # SVG units of its weeks


@dataclass(frozen=True, slots=True)
class Calendar:
    """The months of a year (or one month) with the articles of each day, for a heat map."""

    key: str  # "2016", or "2016-09"
    months: tuple[CalendarMonth, ...]
    busiest: int  # the most articles on one day
    caption: str
    cell: int = CELL


def period_calendar(key: str, articles: Iterable[ArticleMeta], words: Words = ENGLISH) -> Calendar:
    """The calendar of the year or month ``key`` ("2016", "2016-09"), from the articles published in it; ``words``:
    the language of its labels."""
    days: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for a in articles:
        if a.published is not None:
            month = f"{a.published.year:04d}-{a.published.month:02d}"
            months[month] += 1
            if not a.month_only:  # a day known only to its month is no day of the calendar
                days[f"{month}-{a.published.day:02d}"] += 1
    year = int(key[:4])
    numbers = [int(key[5:])] if len(key) > 4 else range(1, 13)
    busiest = max(days.values(), default=0)
    drawn = tuple(_month(year, n, days, months[f"{year:04d}-{n:02d}"], busiest, words) for n in numbers)
    on_days = words.gettext("none by day")
    if days:
        on_days = words.ngettext(
            "%(articles)s on %(num)d day",
            "%(articles)s on %(num)d days",
            len(days),
            articles=words.articles(sum(days.values())),
        )
    caption = words.gettext("Articles per day, %(period)s: %(days)s") % {
        "period": words.period_title(key),
        "days": on_days,
    }
    if dayless := sum(months.values()) - sum(days.values()):
        caption += "; " + words.ngettext(
            "%(num)d article dated only to its month", "%(num)d articles dated only to their month", dayless
        )
    return Calendar(key, drawn, busiest, caption)


def _month(year: int, number: int, days: Counter[str], count: int, busiest: int, words: Words) -> CalendarMonth:
    first_weekday, length = calendar.monthrange(year, number)
    cells = []
    for day in range(1, length + 1):
        key = f"{year:04d}-{number:02d}-{day:02d}"
        at = first_weekday + day - 1
        n = days[key]
        level = math.ceil(HEAT_LEVELS * n / busiest) if n else 0
        label = _label(words, words.day_heading(date(year, number, day)), n)
        cells.append(CalendarDay(key, day, (at % 7) * CELL, (at // 7) * CELL, n, level, label))
    weeks = (first_weekday + length + 6) // 7
    return CalendarMonth(f"{year:04d}-{number:02d}", words.months[number - 1], count, tuple(cells), weeks * CELL)


def _label(words: Words, when: str, count: int) -> str:
    """ "September 2016: 3 articles"."""
    return words.gettext("%(when)s: %(articles)s") % {"when": when, "articles": words.articles(count)}


def _pc(value: float) -> float:
    """A percentage as written into the SVG: three decimals are a hundredth of a pixel on any screen."""
    return round(value, 3)
