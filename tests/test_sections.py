"""Calendar and section pages: grouping, pagination inside periods, what a new article changes, the timeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from test_pages import article
from test_pipeline import assert_links_resolve, parse_html, tree

from newsgen.archive.collect import collect, period_listings, section_listings
from newsgen.archive.timeline import CELL, NARROWEST_CHART, YEAR_LABEL, Timeline, month_timeline, period_calendar
from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]


def dated(slug: str, when: datetime, **over: object) -> object:
    return article(slug=slug, title=slug, source_path=f"{slug}.txt", published=when, **over)


def test_periods_follow_each_articles_own_local_date() -> None:
    msk = timezone(timedelta(hours=3))
    items = [
        dated("late", datetime(2016, 12, 31, 23, 30, tzinfo=msk)),  # 20:30 UTC, still 31 December in Moscow
        dated("new-year", datetime(2017, 1, 1, 0, 30, tzinfo=msk)),  # 31 December 21:30 UTC
        dated("spring", datetime(2017, 3, 5, tzinfo=UTC)),
    ]
    periods = period_listings(collect(items))  # type: ignore[arg-type]
    assert [p.folder for p in periods["year"]] == ["2017/", "2016/"]
    assert [p.folder for p in periods["month"]] == ["2017/03/", "2017/01/", "2016/12/"]
    assert [p.key for p in periods["day"]] == ["2017-03-05", "2017-01-01", "2016-12-31"]
    assert [a.slug for a in periods["year"][0].articles] == ["spring", "new-year"]
    assert [p.title for p in periods["month"]] == ["March 2017", "January 2017", "December 2016"]
    assert periods["day"][0].title == "5 March 2017" and periods["year"][0].title == "2017"


def test_sections_merge_spellings_and_count_undated_articles_too() -> None:
    items = [
        dated("a", datetime(2016, 1, 1, tzinfo=UTC), tags=("Climate", "EU"), authors=("Jane Doe",)),
        dated("b", datetime(2016, 1, 2, tzinfo=UTC), tags=("climate",), authors=("jane doe", "Ann Lee")),
        article(slug="u", source_path="u.txt", published=None, tags=("eu",), source="other", source_name="Other"),
    ]
    archive = collect(items)  # type: ignore[arg-type]
    tags = {s.key: (s.title, [a.slug for a in s.articles]) for s in section_listings(archive, "tag")}
    assert tags == {"climate": ("Climate", ["b", "a"]), "eu": ("EU", ["a", "u"])}
    authors = {s.key: len(s.articles) for s in section_listings(archive, "author")}
    assert authors == {"ann-lee": 1, "jane-doe": 2}
    sources = [(s.folder, s.title) for s in section_listings(archive, "source")]
    assert sources == [("sources/other/", "Other"), ("sources/rt/", "RT")]


def test_timeline_has_a_bar_for_each_month_with_articles_only() -> None:
    items = [dated(f"s{i}", datetime(2016, m, 1, tzinfo=UTC)) for i, m in enumerate((1, 1, 1, 4))]
    chart = month_timeline(collect(items).articles)  # type: ignore[arg-type]
    assert chart is not None
    assert [(b.month, b.count, b.label) for b in chart.bars] == [
        ("2016-01", 3, "January 2016: 3 articles"),
        ("2016-04", 1, "April 2016: 1 article"),
    ]
    assert chart.bars[0].height == chart.height and chart.bars[1].height == round(chart.height / 3, 1)
    assert chart.caption == "Articles per month, January 2016 to April 2016; the most in January 2016 (3)"
    assert "".join(i for _, i in chart.initials) == "JFMAMJJASOND" and chart.years == ((0, 2016),)
    assert month_timeline([article(published=None)]) is None  # type: ignore[list-item]


def timeline_of(*months: tuple[int, int]) -> Timeline:
    chart = month_timeline(collect([dated(f"s{y}{m}", datetime(y, m, 1, tzinfo=UTC)) for y, m in months]).articles)  # type: ignore[arg-type]
    assert chart is not None
    return chart


def test_a_one_month_chart_is_one_bar_among_the_twelve_months_of_its_year() -> None:
    chart = timeline_of((2016, 9))  # it was a 10 px sliver, its year cut to "20"; then a bar as wide as the page
    (bar,) = chart.bars
    assert bar.x == pytest.approx(100 * 8.125 / 12, abs=1e-3) and bar.width == pytest.approx(100 * 0.75 / 12, abs=1e-3)
    assert chart.years == ((0, 2016),) and chart.caption == "Articles per month, September 2016"


@pytest.mark.parametrize("first, last", [(2016, 2016), (2016, 2017), (2012, 2018), (2000, 2019), (1900, 2020)])
def test_year_labels_are_never_cut_off_nor_drawn_over_each_other(first: int, last: int) -> None:
    """Placed in % of the width and spaced for the narrowest chart: on a wider one they only stand further apart."""
    chart = timeline_of((first, 3), (last, 11))
    starts = [x / 100 * NARROWEST_CHART for x, _ in chart.years]
    assert starts[0] == 0 and starts[-1] + YEAR_LABEL <= NARROWEST_CHART, chart.years
    assert all(b - a >= YEAR_LABEL - 0.01 for a, b in pairwise(starts)), chart.years  # the %s are rounded
    assert len(chart.years) >= min(last - first + 1, NARROWEST_CHART // YEAR_LABEL - 1)
    assert all(b.x >= 0 and b.x + b.width <= 100 for b in chart.bars)
    assert bool(chart.initials) == (last - first < 2)


def test_a_calendar_shades_each_day_by_its_articles() -> None:
    items = [
        *(dated(f"a{n}", datetime(2016, 9, 8, 10 + n, tzinfo=UTC)) for n in range(4)),
        *(dated(f"b{n}", datetime(2016, 9, 9, 10 + n, tzinfo=UTC)) for n in range(2)),
        dated("c", datetime(2016, 2, 29, tzinfo=UTC)),
        dated("m", datetime(2016, 8, 1, tzinfo=UTC), month_only=True),  # its month's; no day's
    ]
    calendar = period_calendar("2016", collect(items).articles)  # type: ignore[arg-type]
    assert [m.title for m in calendar.months][::11] == ["January", "December"]
    assert [(m.key, m.count) for m in calendar.months if m.count] == [("2016-02", 1), ("2016-08", 1), ("2016-09", 6)]
    shaded = {d.key: (d.count, d.level, d.label) for m in calendar.months for d in m.days if d.count}
    assert shaded == {
        "2016-02-29": (1, 1, "Monday 29 February 2016: 1 article"),
        "2016-09-08": (4, 4, "Thursday 8 September 2016: 4 articles"),
        "2016-09-09": (2, 2, "Friday 9 September 2016: 2 articles"),
    }
    september = calendar.months[8]
    first, eighth = september.days[0], september.days[7]  # 1 September 2016 was a Thursday
    assert (first.x, first.y, eighth.x, eighth.y) == (3 * CELL, 0, 3 * CELL, CELL)
    assert len(september.days) == 30 and september.height == 5 * CELL
    assert calendar.caption == "Articles per day, 2016: 7 articles on 3 days; 1 article dated only to its month"
    (august,) = period_calendar("2016-08", collect(items).articles).months  # type: ignore[arg-type]
    assert august.count == 1 and not any(d.count for d in august.days)


def story(title: str, day: str, tags: str = "weather") -> str:
    return f"---\ntitle: {title}\ndate: {day}\ntags: [{tags}]\n---\n\nThe body of {title.lower()}.\n"


MONTHS = {
    f"gazette/{month}-{n}.md": story(f"Story {n} of month {month}", f"2016-{month:02d}-{n + 1:02d} 10:00")
    for month in (3, 4, 5)
    for n in range(5)
}


def test_period_pagination_and_prev_next_periods(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    make_content(MONTHS)
    build({"per_page": 2, "base_url": "https://ex.org/"})
    site = tmp_path / "_site"
    for month in ("03", "04", "05"):  # 5 articles, 2 a page, counted from the oldest: page 1, page 2, then the newest
        assert (site / f"2016/{month}/page/2/index.html").is_file()
        assert not (site / f"2016/{month}/page/3").exists()
    april, _ = parse_html((site / "2016/04/page/2/index.html").read_bytes())
    pages = next(e for e in april.iter("nav") if e.get("class") == "pagination")
    nav = {a.get("rel"): a.get("href") for a in pages.iter("a")}
    assert nav == {"prev": "../../index.html", "next": "../1/index.html"}
    assert "<span>Page 2</span>" in (site / "2016/04/page/2/index.html").read_text(encoding="utf-8")
    assert '<h1 class="page-title">April 2016, page 3</h1>' in (site / "2016/04/index.html").read_text(encoding="utf-8")
    period_nav = (site / "2016/04/index.html").read_text(encoding="utf-8").split('class="period-nav"')[1]
    assert 'href="../03/index.html"' in period_nav and 'href="../05/index.html"' in period_nav
    assert (site / "2016/04/02/index.html").is_file() and (site / "2016/index.html").is_file()
    assert assert_links_resolve(site, "https://ex.org/") > 200


def test_a_new_article_changes_only_its_own_periods_pages(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(MONTHS)
    settings = {"per_page": 2, "related_articles": 0}
    build(settings)
    before = tree(tmp_path / "_site")
    make_content({"gazette/new.md": story("A later April story", "2016-04-03 18:00")})
    build(settings)
    after = tree(tmp_path / "_site")
    changed = {p for p in after if before.get(p) != after[p]}
    # neither the pages of other months nor their articles: pagination never shifts beyond the period
    assert {p for p in changed if p.startswith(("2016/03/", "2016/05/"))} == set()
    assert {"2016/04/index.html", "2016/04/page/2/index.html", "2016/index.html"} <= changed
    oldest = (tmp_path / "_site/2016/04/page/1/index.html").read_text(encoding="utf-8")  # still April's oldest two
    assert [s for s in ("Story 0 of", "Story 1 of", "Story 2 of", "later April") if s in oldest] == [
        "Story 0 of",
        "Story 1 of",
    ]
    assert "2016/04/03/a-later-april-story/index.html" in changed


def test_section_pages_are_paginated_and_indexed_with_counts(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(MONTHS | {"other/x.md": story("Other story", "2016-06-01", tags="budget, weather")})
    build({"per_page": 4})
    site = tmp_path / "_site"
    # 16 articles, 4 a page: the newest 4, then 2016 (too many for a page: its newest 4), then each of its
    # months (May's 5 on two pages, from its oldest)
    assert {p for p in tree(site / "tags/weather") if p.endswith(".html")} == {
        "index.html",
        "2016/index.html",
        "2016/06/index.html",
        "2016/05/index.html",
        "2016/05/page/1/index.html",
        "2016/04/index.html",
        "2016/04/page/1/index.html",
        "2016/03/index.html",
        "2016/03/page/1/index.html",
    }
    first, _ = parse_html((site / "tags/weather/index.html").read_bytes())
    months = next(e for e in first.iter("nav") if e.get("class") == "list-months")
    assert [(a.text, a.get("href")) for a in months.iter("a")] == [
        ("2016", "2016/index.html"),
        ("Jun", "2016/06/index.html"),
        ("May", "2016/05/index.html"),
        ("Apr", "2016/04/index.html"),
        ("Mar", "2016/03/index.html"),
    ]
    pages = next(e for e in first.iter("nav") if e.get("class") == "pagination")  # on to the 5th newest: May's 4th
    assert [(a.get("rel"), a.get("href")) for a in pages.iter("a")] == [("next", "2016/05/page/1/index.html")]
    may, _ = parse_html((site / "tags/weather/2016/05/index.html").read_bytes())
    periods = next(e for e in may.iter("nav") if e.get("class") == "period-nav")
    assert [a.get("href") for a in periods.iter("a")] == ["../04/index.html", "../06/index.html"]
    assert assert_links_resolve(site) > 100
    index = (site / "tags/index.html").read_text(encoding="utf-8")
    assert 'href="budget/index.html">budget</a> <span class="count">(1)</span>' in index
    assert 'href="weather/index.html">weather</a> <span class="count">(16)</span>' in index
    source_page = (site / "sources/gazette/index.html").read_text(encoding="utf-8")
    assert 'href="2016/04/index.html" aria-label="April 2016: 5 articles"' in source_page  # its own April
    archive_page = (site / "archive/index.html").read_text(encoding="utf-8")
    assert 'href="../2016/06/index.html" aria-label="June 2016: 1 article"' in archive_page
    assert 'href="../2016/04/index.html" aria-label="April 2016: 5 articles"' in archive_page


def test_a_sparse_list_goes_on_in_a_page_a_year(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    # a tag on 3 articles a year over 4 years, 4 a page: each year fits on a page, so it has no month pages
    make_content(
        {
            f"gazette/{year}-{n}.md": story(f"Story {n} of {year}", f"{year}-0{n + 1}-15")
            for year in range(2013, 2017)
            for n in range(3)
        }
    )
    build({"per_page": 4})
    site = tmp_path / "_site"
    assert {p for p in tree(site / "tags/weather") if p.endswith(".html")} == {
        "index.html",
        *(f"{year}/index.html" for year in range(2013, 2017)),
    }
    first, _ = parse_html((site / "tags/weather/index.html").read_bytes())
    pages = next(e for e in first.iter("nav") if e.get("class") == "pagination")  # the 5th newest: 2015's newest
    assert [(a.get("rel"), a.get("href")) for a in pages.iter("a")] == [("next", "2015/index.html")]
    year, _ = parse_html((site / "tags/weather/2015/index.html").read_bytes())
    periods = next(e for e in year.iter("nav") if e.get("class") == "period-nav")
    assert [a.get("href") for a in periods.iter("a")] == ["../2014/index.html", "../2016/index.html"]
    text = (site / "tags/weather/2015/index.html").read_text(encoding="utf-8")
    assert [f"Story {n} of 2015" in text for n in range(3)] == [True] * 3 and "of 2014" not in text
    source_page = (site / "sources/gazette/index.html").read_text(encoding="utf-8")
    assert 'href="2015/index.html" aria-label="March 2015: 1 article"' in source_page  # the chart: the year's page
    assert assert_links_resolve(site) > 50


def test_404_page_works_at_any_depth(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    make_content({"a.md": story("A story", "2016-04-01")})
    build({"base_url": "https://ex.org/news/"})
    page = (tmp_path / "_site" / "404.html").read_text(encoding="utf-8")
    assert 'href="https://ex.org/news/assets/style.css"' in page
    assert 'action="https://ex.org/news/search/index.html"' in page
    build({"pretty_urls": True})
    page = (tmp_path / "_site" / "404.html").read_text(encoding="utf-8")
    assert 'href="/assets/style.css"' in page and 'href="/archive/"' in page


SVG = "{http://www.w3.org/2000/svg}"


def test_year_month_and_archive_pages_link_their_months_and_days_and_lists_have_date_headings(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(MONTHS | {"gazette/nodate.md": "---\ntitle: A story with no date\n---\n\nIts body.\n"})
    build()
    site = tmp_path / "_site"

    def page(path: str) -> Any:
        return parse_html((site / path).read_bytes())[0]

    def calendar_links(tree: Any) -> tuple[list[str], list[str]]:
        """The months named in the calendar's headings, and the labels of its days' links."""
        figure = next(e for e in tree.iter("figure") if "calendar" in e.get("class", ""))
        months = [a.text for h in figure.iter("h2") for a in h.iter("a")]
        return months, [a.find(f"{SVG}title").text for a in figure.iter(f"{SVG}a")]

    def headings(tree: Any) -> list[str]:
        return [" ".join("".join(h.itertext()).split()) for h in tree.iter("h2") if h.get("class") == "date-heading"]

    months, days = calendar_links(page("2016/index.html"))
    assert months == ["March", "April", "May"] and len(days) == 15
    assert days[:2] == ["Tuesday 1 March 2016: 1 article", "Wednesday 2 March 2016: 1 article"]
    months, days = calendar_links(page("2016/04/index.html"))
    assert months == ["April"] and days[0] == "Friday 1 April 2016: 1 article" and len(days) == 5
    archive = page("archive/index.html")
    cells = next(e for e in archive.iter("ol") if e.get("class") == "archive-months")
    assert len(cells) == 12 and [a.get("aria-label") for a in cells.iter("a")] == [
        f"{m} 2016: 5 articles" for m in ("March", "April", "May")
    ]
    weekdays = ["Tuesday", "Monday", "Sunday", "Saturday", "Friday"]
    assert headings(page("2016/04/index.html")) == [f"{w} {5 - n} April 2016" for n, w in enumerate(weekdays)]
    assert headings(page("2016/04/02/index.html")) == []  # a day's page is all one day

    def metas(path: str) -> list[str]:
        return [" ".join("".join(p.itertext()).split()) for p in page(path).iter("p") if p.get("class") == "meta"]

    assert metas("undated/index.html") == []  # "Undated" once, in its title, not on every item
    assert headings(page("index.html"))[-1] == "Undated"  # elsewhere the undated articles have a heading
