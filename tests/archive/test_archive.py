"""Collection: order, unique URLs, pagination, neighbours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsgen.archive.collect import (
    Listing,
    SectionPeriods,
    article_path,
    collect,
    list_pages,
    neighbours,
    section_periods,
)
from newsgen.models import Article


def make(path: str, slug: str, published: datetime | None) -> Article:
    return Article(
        source_path=path,
        slug=slug,
        title=slug.title(),
        published=published,
        updated=None,
        dateline=None,
        lead="",
        paragraphs=("p",),
        body_html="<p>p</p>",
        source="s",
        source_name="S",
        url=None,
        authors=(),
        tags=(),
        summary=None,
        draft=False,
        word_count=1,
        removed=(),
        content_hash=path,
    )


def test_article_paths_use_the_articles_own_local_date() -> None:
    late_in_moscow = datetime(2016, 9, 8, 23, 30, tzinfo=timezone(timedelta(hours=3)))
    assert article_path(make("a", "x", late_in_moscow)) == "2016/09/08/x/index.html"
    assert article_path(make("a", "x", None)) == "undated/x/index.html"


def test_newest_first_by_instant_ties_by_path_and_undated_last() -> None:
    t = datetime(2018, 1, 25, 12, tzinfo=UTC)
    archive = collect(
        [
            make("b.txt", "b", t),
            make("a.txt", "a", t),
            make("u.txt", "u", None),
            make("c.txt", "c", t + timedelta(hours=1)),
            make("d.txt", "d", t.astimezone(timezone(timedelta(hours=3))) + timedelta(minutes=30)),
        ]
    )
    assert [a.source_path for a in archive.articles] == ["c.txt", "d.txt", "a.txt", "b.txt", "u.txt"]
    assert [a.slug for a in archive.undated] == ["u"]


def test_collisions_get_suffixes_in_file_order_with_a_warning_naming_both() -> None:
    t = datetime(2018, 1, 25, tzinfo=UTC)
    archive = collect(
        [make("z.txt", "same", t), make("a.txt", "same", t), make("m.txt", "same", t), make("n.txt", "same-2", t)]
    )
    by_file = {a.source_path: a for a in archive.articles}
    assert by_file["a.txt"].slug == "same" and not by_file["a.txt"].warnings
    assert by_file["m.txt"].slug == "same-2"
    assert by_file["n.txt"].slug == "same-2-2"
    assert by_file["z.txt"].slug == "same-3"
    assert "same URL as a.txt" in by_file["z.txt"].warnings[0].message
    assert len({article_path(a) for a in archive.articles}) == 4


def test_a_suffix_an_article_has_of_its_own_is_skipped_and_input_order_does_not_matter() -> None:
    t = datetime(2018, 1, 25, tzinfo=UTC)
    slugs = {"a": "same", "b": "same-4", "c": "same", "d": "same", "e": "same", "f": "same", "g": "same"}
    slugs["h"] = "same-7"
    articles = [make(f"{name}.txt", slug, t) for name, slug in slugs.items()]
    got = [{a.source_path: a.slug for a in collect(order).articles} for order in (articles, articles[::-1])]
    expected = {"a.txt": "same", "b.txt": "same-4", "c.txt": "same-2", "d.txt": "same-3", "e.txt": "same-5"}
    expected |= {"f.txt": "same-6", "g.txt": "same-7", "h.txt": "same-7-2"}
    assert got == [expected, expected]


def test_same_slug_on_different_days_does_not_collide() -> None:
    archive = collect(
        [make("a", "x", datetime(2018, 1, 1, tzinfo=UTC)), make("b", "x", datetime(2018, 1, 2, tzinfo=UTC))]
    )
    assert {a.slug for a in archive.articles} == {"x"}


def in_september(count: int) -> list[Article]:
    """``count`` articles, one an hour from the start of September 2016."""
    return [make(f"{n}.txt", f"a{n}", datetime(2016, 9, 1, tzinfo=UTC) + timedelta(hours=n)) for n in range(count)]


def pages_of(listing: Listing, per_page: int = 20) -> dict[str, tuple[list[str], int, str | None, str | None]]:
    return {path: ([a.slug for a in p.items], p.number, p.newer, p.older) for path, p in list_pages(listing, per_page)}


def test_a_months_pages_count_from_its_oldest_so_additions_at_its_new_end_move_no_other() -> None:
    def month(count: int) -> dict[str, tuple[list[str], int, str | None, str | None]]:
        return pages_of(
            Listing("month", "2016-09", "2016/09/", "September 2016", collect(in_september(count)).articles)
        )

    assert list(month(20)) == ["2016/09/index.html"]  # one page: no number
    before = month(45)
    assert list(before) == ["2016/09/index.html", "2016/09/page/2/index.html", "2016/09/page/1/index.html"]
    assert before["2016/09/page/1/index.html"] == (
        [f"a{n}" for n in range(19, -1, -1)],  # the oldest 20, newest first
        1,
        "2016/09/page/2/index.html",
        None,
    )
    assert before["2016/09/index.html"] == (["a44", "a43", "a42", "a41", "a40"], 3, None, "2016/09/page/2/index.html")
    after = month(61)  # 16 more at the new end: a page more, and no article on another page
    assert after["2016/09/page/1/index.html"] == before["2016/09/page/1/index.html"]
    assert after["2016/09/page/2/index.html"][:2] == before["2016/09/page/2/index.html"][:2]
    assert after["2016/09/page/2/index.html"][2] == "2016/09/page/3/index.html"  # its newer page has a number now
    assert after["2016/09/page/3/index.html"][0] == [f"a{n}" for n in range(59, 39, -1)]
    assert after["2016/09/index.html"] == (["a60"], 4, None, "2016/09/page/3/index.html")


def test_a_day_is_paged_by_count_from_its_newest() -> None:
    day = pages_of(Listing("day", "2016-09-01", "2016/09/01/", "1 September 2016", collect(in_september(24)).articles))
    assert [(p, n, newer, older) for p, (_, n, newer, older) in day.items()] == [
        ("2016/09/01/index.html", 1, None, "2016/09/01/page/2/index.html"),
        ("2016/09/01/page/2/index.html", 2, "2016/09/01/index.html", None),
    ]
    assert day["2016/09/01/page/2/index.html"][0] == ["a3", "a2", "a1", "a0"]


def test_a_long_list_shows_its_newest_then_goes_on_in_its_months() -> None:
    october = [make(f"o{n}.txt", f"o{n}", datetime(2016, 10, 1 + n, tzinfo=UTC)) for n in range(5)]
    undated = [make("u.txt", "u", None)]
    archive = collect(in_september(45) + october + undated)
    front = pages_of(Listing("front", "", "", "Latest", archive.articles))
    # the 21st article is the 16th newest of September's 45: on its page 2 (articles 21 to 40 from its oldest)
    assert front == {"index.html": ([a.slug for a in archive.articles[:20]], 1, None, "2016/09/page/2/index.html")}
    source = Listing("source", "s", "sources/s/", "S", archive.articles)
    periods = section_periods(source, 20)
    # 2016 has 50 articles, more than a page: its months have pages of their own, its year page shows its newest
    assert [(y.folder, len(y.articles)) for y in periods.years] == [("sources/s/2016/", 50)]
    assert [(m.folder, len(m.articles)) for m in periods.months] == [
        ("sources/s/2016/10/", 5),
        ("sources/s/2016/09/", 45),
    ]
    assert periods.undated is not None and periods.undated.folder == "sources/s/undated/"
    assert periods.undated.articles == tuple(undated)
    assert pages_of(source)["sources/s/index.html"][3] == "sources/s/2016/09/page/2/index.html"
    assert pages_of(periods.years[0])["sources/s/2016/index.html"][3] == "sources/s/2016/09/page/2/index.html"
    assert pages_of(source, 50)["sources/s/index.html"][3] == "sources/s/undated/index.html"
    assert section_periods(source, 51) == SectionPeriods()  # it fits on its first page


def test_a_sparse_list_goes_on_in_years_of_one_page() -> None:
    def at(year: int, month: int, n: int) -> Article:
        return make(f"{year}-{month}-{n}.txt", f"a{year}{month}{n}", datetime(year, month, 1 + n, tzinfo=UTC))

    articles = [at(2016, m, n) for m in (3, 9) for n in range(3)] + [at(2015, m, 0) for m in range(1, 13)]
    source = Listing("source", "s", "sources/s/", "S", collect(articles).articles)
    periods = section_periods(source, 10)
    # 2016's six articles fit on a page: no month pages; 2015's twelve do not
    assert [(y.folder, len(y.articles)) for y in periods.years] == [("sources/s/2016/", 6), ("sources/s/2015/", 12)]
    assert [m.key for m in periods.months] == [f"2015-{m:02d}" for m in range(12, 0, -1)]
    assert periods.months_of("2016") == () and len(periods.months_of("2015")) == 12
    assert pages_of(periods.years[0]) == {
        "sources/s/2016/index.html": ([a.slug for a in periods.years[0].articles], 1, None, None)
    }
    # the first page holds the newest ten: six of 2016 and four of 2015 (Dec to Sep); the next is August's
    assert pages_of(source, 10)["sources/s/index.html"][3] == "sources/s/2015/08/index.html"
    assert pages_of(source, 12)["sources/s/index.html"][3] == "sources/s/2015/index.html"  # 2015 fits in 12
    months = periods.pages_of_months()
    assert months["2016-03"] == months["2016-09"] == "sources/s/2016/index.html"
    assert months["2015-01"] == "sources/s/2015/01/index.html"


def test_neighbours_link_older_and_newer() -> None:
    t = datetime(2018, 1, 25, tzinfo=UTC)
    archive = collect([make("a", "a", t), make("b", "b", t + timedelta(days=1)), make("u", "u", None)])
    links = neighbours(archive)
    older, newer = links[archive.articles[0].source_path]
    assert older is not None and older.slug == "a" and newer is None
    assert links[archive.articles[-1].source_path] == (None, None)
