"""Collection: order, unique URLs, pagination, neighbours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsgen.archive import article_path, collect, neighbours, paginate
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


def test_paginate() -> None:
    pages = paginate(list(range(45)), 20)
    assert [p.items[0] for p in pages] == [0, 20, 40]
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert pages[0].has_next and not pages[0].has_previous and pages[2].has_previous and not pages[2].has_next
    assert paginate([], 20)[0].total_pages == 1


def test_neighbours_link_older_and_newer() -> None:
    t = datetime(2018, 1, 25, tzinfo=UTC)
    archive = collect([make("a", "a", t), make("b", "b", t + timedelta(days=1)), make("u", "u", None)])
    links = neighbours(archive)
    older, newer = links[archive.articles[0].source_path]
    assert older is not None and older.slug == "a" and newer is None
    assert links[archive.articles[-1].source_path] == (None, None)
