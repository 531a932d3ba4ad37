"""How a page shows dates and text: the Jinja filters, plain functions without Jinja (the search index
dates its documents with ``format_date`` as each file is parsed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from newsgen.models import ArticleMeta
from newsgen.text.words import ENGLISH, Words


def format_date(value: datetime, with_time: bool = True, words: Words = ENGLISH) -> str:
    """A reader's date in the site's language, not the machine's locale: ``8 September 2016, 14:01 MSK``."""
    day = words.day(value)
    if not with_time or (value.hour, value.minute, value.second) == (0, 0, 0):
        return day
    return f"{day}, {value.hour:02d}:{value.minute:02d} {value.tzname() or ''}".rstrip()  # not strftime: slower


def format_published(article: ArticleMeta, with_time: bool = True, words: Words = ENGLISH) -> str:
    """When an article was published, as a reader reads it: ``August 2015`` when only the month is known."""
    when = article.published
    assert when is not None
    return words.month_title(when.year, when.month) if article.month_only else format_date(when, with_time, words)


def published_iso(article: ArticleMeta) -> str:
    """``published`` in ISO 8601, to the month (``2015-08``) when only the month is known."""
    assert article.published is not None
    return (
        f"{article.published.year:04d}-{article.published.month:02d}"
        if article.month_only
        else article.published.isoformat()
    )


def format_clock(article: ArticleMeta) -> str:
    """The time of day an article was published (``14:01 MSK``), or "" when only its day (or less) is known."""
    when = article.published
    if when is None or article.month_only or (when.hour, when.minute, when.second) == (0, 0, 0):
        return ""
    return f"{when.hour:02d}:{when.minute:02d} {when.tzname() or ''}".rstrip()


def by_day(articles: Iterable[ArticleMeta], words: Words = ENGLISH) -> list[tuple[str, str, list[ArticleMeta]]]:
    """Articles in runs of one day, as a list shows them under date headings: (heading, ISO date, articles).

    ("Thursday 8 September 2016", "2016-09-08", [...]); ("August 2015, day unknown", "2015-08", [...]) for
    articles known only to their month; ("Undated", "", [...]).
    """
    runs: list[tuple[str, str, list[ArticleMeta]]] = []
    for article in articles:
        when = article.published
        if when is None:
            key = ""
        else:
            key = f"{when.year:04d}-{when.month:02d}" + ("" if article.month_only else f"-{when.day:02d}")
        if not runs or runs[-1][1] != key:
            if when is None:
                heading = words.gettext("Undated")
            elif article.month_only:
                heading = words.gettext("%(month)s, day unknown") % {"month": words.month_title(when.year, when.month)}
            else:
                heading = words.day_heading(when.date())
            runs.append((heading, key, []))
        runs[-1][2].append(article)
    return runs


def truncate_words(text: str, count: int) -> str:
    """At most ``count`` words, with an ellipsis when something was cut."""
    words = text.split(maxsplit=count)  # the rest stays in one piece: a lead can be long
    return text if len(words) <= count else " ".join(words[:count]) + "…"


def shortened_crumbs(crumbs: Iterable[tuple[str, str]]) -> list[tuple[str, str | None, str]]:
    """A breadcrumb trail's (title, URL) as it shows them: (what it shows, what it leaves out, URL). A crumb that
    ends with the one before it ("September 2016" after "2016") shows what it adds; the rest (" 2016"), None
    for a crumb shown whole, stays for screen readers. In Python, not in the template: its loop was a tenth of
    rendering a page."""
    shown: list[tuple[str, str | None, str]] = []
    before: str | None = None
    for title, url in crumbs:
        if before is not None and title.endswith(before) and title != before.strip():
            shown.append((title[: len(title) - len(before)], before, url))
        else:
            shown.append((title, None, url))
        before = " " + title
    return shown
