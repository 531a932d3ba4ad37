"""The site's shape moves with what places articles, not with what pages show of them; pages know what they show."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from test_pages import MSK, article

from newsgen.archive.collect import Archive, article_path, collect
from newsgen.config import config_from_mapping
from newsgen.incremental import keys as keys_module
from newsgen.incremental.dependencies import Dependencies, shape_key, shown_as
from newsgen.incremental.keys import PageKeys, value_digest
from newsgen.output.environment import make_environment
from newsgen.output.pages import Renderer


def archive_of(n: int = 30, **changed: object) -> Archive:
    """``n`` articles over a few days and two sources; ``changed`` applies to the third."""
    items = []
    for i in range(n):
        fields: dict[str, object] = dict(
            source_path=f"{'rt' if i % 2 else 'bbc'}/{i:02d}.txt",
            slug=f"story-{i}",
            title=f"Story {i}",
            published=datetime(2016, 9, 8, 14, 1, tzinfo=MSK) - timedelta(hours=7 * i),
            source="rt" if i % 2 else "bbc",
            source_name="RT" if i % 2 else "BBC",
            tags=("syria",) if i % 3 == 0 else ("economy", "trade"),
            authors=(f"Author {i % 4}",),
        )
        if i == 2:
            fields.update(changed)
        items.append(article(**fields))
    return collect(items)


SHAPE = shape_key("base", archive_of())


@pytest.mark.parametrize(
    "change",
    [
        {"title": "A new headline, same slug"},
        {"lead": "Another first paragraph."},
        {"paragraphs": ("Another first paragraph.", "More.")},
        {"word_count": 900},
        {"url": "https://example.org/elsewhere"},
    ],
)
def test_what_pages_show_of_an_article_leaves_the_shape(change: dict[str, object]) -> None:
    assert shape_key("base", archive_of(**change)) == SHAPE


@pytest.mark.parametrize(
    "change",
    [
        {"slug": "a-new-slug"},
        {"published": datetime(2015, 1, 1, tzinfo=MSK)},
        {"updated": datetime(2017, 1, 1, tzinfo=MSK)},
        {"source": "tass", "source_name": "TASS"},
        {"source_name": "Russia Today"},
        {"tags": ("syria", "economy")},
        {"authors": ()},
    ],
)
def test_what_places_an_article_moves_the_shape(change: dict[str, object]) -> None:
    assert shape_key("base", archive_of(**change)) != SHAPE


def test_articles_coming_or_going_and_settings_move_the_shape() -> None:
    assert shape_key("base", archive_of(29)) != SHAPE
    assert shape_key("other settings", archive_of()) != SHAPE


def test_an_article_is_shown_as_its_key_and_its_related_articles() -> None:
    site = archive_of()
    keys = {a.source_path: f"key-{a.source_path}" for a in site.articles}
    first, second = site.articles[:2]
    alone = shown_as(site, keys, {})
    related = shown_as(site, keys, {first.source_path: (second,)})
    assert alone[first.source_path] != related[first.source_path]
    assert {p: k for p, k in alone.items() if p != first.source_path} == {
        p: k for p, k in related.items() if p != first.source_path
    }


def test_each_page_knows_the_articles_it_shows_and_a_partial_run_makes_the_same_pages() -> None:
    site = archive_of()
    renderer = Renderer(make_environment(None), config_from_mapping({"per_page": 5}))
    keys = PageKeys("base", {a.source_path: f"key-{a.source_path}" for a in site.articles})
    shown = Dependencies()
    every: dict[str, str] = {}
    for job in renderer.page_jobs(site):
        every[job.path] = keys(job)
        shown.add(job.path, keys.articles)
    assert shown.pages == list(every)
    third = site.articles[2]
    showing = {shown.pages[n] for n in shown.shown[third.source_path]}
    assert article_path(third) in showing  # its own page
    assert {article_path(a) for a in site.articles[1:4]} <= showing  # and its neighbours'
    assert "index.html" in showing and any(p.startswith("tags/trade/") for p in showing)
    assert "sources/bbc/index.html" in showing and "2016/09/08/index.html" in showing
    assert not any(p.startswith("sources/rt/") for p in showing)
    partial = {job.path: keys(job) for job in renderer.page_jobs(site, only=showing)}
    assert partial == {p: every[p] for p in shown.pages if p in showing}


def test_page_keys_are_the_same_when_few_shared_objects_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's key does not depend on which shared objects (headers, calendars) were hashed before it."""
    site = archive_of()
    renderer = Renderer(make_environment(None), config_from_mapping({"per_page": 5}))
    article_keys = {a.source_path: f"key-{a.source_path}" for a in site.articles}
    jobs = list(renderer.page_jobs(site))
    every = [PageKeys("base", article_keys)(job) for job in jobs]  # each page alone: nothing kept
    kept = PageKeys("base", article_keys)
    assert [kept(job) for job in jobs] == every and len(kept._seen) > 2
    monkeypatch.setattr(keys_module, "SEEN_MOST", 2)
    few = PageKeys("base", article_keys)
    assert [few(job) for job in jobs] == every and len(few._seen) <= 2


def test_a_partial_run_makes_only_the_single_pages_asked_for() -> None:
    site = archive_of()
    renderer = Renderer(make_environment(None), config_from_mapping({}))
    wanted = {"archive/index.html", "tags/index.html", "404.html"}
    assert [job.path for job in renderer.page_jobs(site, only=wanted)] == [
        "tags/index.html",
        "archive/index.html",
        "404.html",
    ]
    assert list(renderer.page_jobs(dataclasses.replace(site), only=set())) == []


def test_a_value_digest_depends_on_values_not_on_which_are_one_object() -> None:
    shared = "source-" + str(30)
    alike = [(shared, shared, datetime(2016, 9, 8, tzinfo=MSK))]
    apart = [("source-30", "source-" + "3" + "0", datetime(2016, 9, 8, tzinfo=MSK))]
    assert value_digest(alike) == value_digest(apart)
    assert value_digest(alike) != value_digest([("source-30", "source-31", datetime(2016, 9, 8, tzinfo=MSK))])
