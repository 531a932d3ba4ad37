"""Feeds, sitemaps and robots.txt, read back the way feed readers and crawlers read them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from test_pages import article

from newsgen.archive.collect import collect
from newsgen.config import config_from_mapping
from newsgen.output.crawlers import SITEMAP_NS, robots_txt, sitemap_files
from newsgen.output.feeds import atom_feed, rss_feed, site_feeds, xml_document
from newsgen.pipeline import BuildReport

BASE = "https://archive.example.org/"
SEED_URL = BASE + "2016/09/08/russia-us-deal-on-syrian-reconciliation-not-yet-finalized-talks-to-continue/"


def parse_feed(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


@pytest.mark.parametrize(("name", "version"), [("feed.xml", "atom10"), ("rss.xml", "rss20")])
def test_site_feeds_parse_cleanly_with_absolute_links(
    sample_site: tuple[Path, BuildReport], name: str, version: str
) -> None:
    site, report = sample_site
    feed = parse_feed(site / name)
    assert feed.version == version
    dated = [a for a in report.articles if a.published is not None]
    assert len(feed.entries) == len(dated) == 8  # the About page is in no feed
    links = [e.link for e in feed.entries]
    assert all(link.startswith(BASE) for link in links) and f"{BASE}about/" not in links
    assert SEED_URL in links
    seed = next(e for e in feed.entries if e.link == SEED_URL)
    assert seed.title.startswith("Russia-US deal on Syrian reconciliation")
    assert "Kremlin spokesman Dmitry Peskov" in seed.content[0].value  # full content by default
    newest = max(a.updated or a.published for a in dated)  # type: ignore[type-var]
    assert datetime(*feed.feed.updated_parsed[:6], tzinfo=UTC) == newest.astimezone(UTC)


def test_every_source_and_tag_with_dated_articles_has_both_feeds(sample_site: tuple[Path, BuildReport]) -> None:
    site, _ = sample_site
    for folder in ("sources/rt", "sources/harbour-gazette", "sources/valley-courier", "tags/syria", "tags/rail"):
        atom, rss = parse_feed(site / folder / "feed.xml"), parse_feed(site / folder / "rss.xml")
        assert atom.entries and [e.link for e in atom.entries] == [e.link for e in rss.entries]
    rt = parse_feed(site / "sources/rt/feed.xml")
    assert {e.link for e in rt.entries} >= {SEED_URL}
    assert all("rt" not in e.link or e.link.startswith(BASE + "2016/") for e in rt.entries)


def test_every_page_links_to_the_site_feeds(sample_site: tuple[Path, BuildReport]) -> None:
    site, _ = sample_site
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert 'rel="alternate" type="application/atom+xml"' in html, page
        assert 'rel="alternate" type="application/rss+xml"' in html, page
    tag_page = (site / "tags/syria/index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in tag_page and 'href="../../feed.xml"' in tag_page


def test_summary_setting_and_entry_count() -> None:
    items = [
        article(slug=f"a{i}", title=f"Story {i}", published=datetime(2016, 9, i + 1, tzinfo=UTC)) for i in range(5)
    ]
    config = config_from_mapping({"base_url": BASE, "feed_content": "summary", "feed_entries": 3})
    (site_feed, *_rest) = site_feeds(collect(items), config)
    for text in (atom_feed(site_feed, config), rss_feed(site_feed, config)):
        parsed = feedparser.parse(text)
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == ["Story 4", "Story 3", "Story 2"]
        assert all("content" not in e for e in parsed.entries)
        assert parsed.entries[0].summary == "Lead."


def test_no_feeds_without_base_url_and_no_undated_entries() -> None:
    undated = article(slug="u", published=None, tags=("x",))
    assert site_feeds(collect([article(), undated]), config_from_mapping({})) == ()
    feeds = site_feeds(collect([article(), undated]), config_from_mapping({"base_url": BASE}))
    assert [f.folder for f in feeds] == ["", "sources/rt/"]  # tag x has only an undated article
    assert all(a.published is not None for f in feeds for a in f.entries)


def test_control_characters_cannot_break_the_xml() -> None:
    config = config_from_mapping({"base_url": BASE})
    (feed, *_rest) = site_feeds(collect([article(title="Bad\x0c title\x00", body_html="<p>x\x1b</p>")]), config)
    for text in (atom_feed(feed, config), rss_feed(feed, config)):
        ET.fromstring(text.encode("utf-8"))
        assert not feedparser.parse(text).bozo


def test_sitemap_index_splits_into_files_of_at_most_max_urls() -> None:
    pages = [f"2016/09/{d:02d}/index.html" for d in range(1, 6)] + ["index.html", "404.html", "search/index.html"]
    lastmod = {"2016/09/01/index.html": datetime(2016, 9, 1, 12, tzinfo=UTC)}
    files = dict(sitemap_files(pages, lastmod, BASE, max_urls=2))
    assert sorted(files) == ["sitemap.xml", "sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml"]
    ns = {"s": SITEMAP_NS}
    index = ET.fromstring(files["sitemap.xml"])
    assert [e.text for e in index.findall("s:sitemap/s:loc", ns)] == [f"{BASE}sitemaps/{n}.xml" for n in (1, 2, 3)]
    urls = [
        e.text
        for name in ("sitemaps/1.xml", "sitemaps/2.xml", "sitemaps/3.xml")
        for e in ET.fromstring(files[name]).findall("s:url/s:loc", ns)
    ]
    assert len(urls) == 6 and BASE + "2016/09/01/" in urls and BASE in urls
    assert not any("404" in u or "search" in u for u in urls)  # type: ignore[operator]
    assert list(sitemap_files(pages, lastmod, "")) == []


def _as_element_tree_writes_it(text: str) -> str:
    """The same sitemap file built as a tree of elements and written by ``xml_document`` (feeds' writer)."""
    parsed = ET.fromstring(text)
    root = ET.Element(parsed.tag.split("}")[1], {"xmlns": SITEMAP_NS})
    for entry in parsed:
        element = ET.SubElement(root, entry.tag.split("}")[1])
        for field in entry:
            ET.SubElement(element, field.tag.split("}")[1]).text = field.text
    return xml_document(root)


def test_sitemap_text_is_what_an_element_tree_of_it_indents_to() -> None:
    """The sitemaps are written as text, a file at a time (memory), escaped and indented as feeds are."""
    pages = ["a&b/index.html", "2016/09/01/x<y>/index.html", "index.html"]
    lastmod = {"a&b/index.html": datetime(2016, 9, 1, 12, 30, tzinfo=UTC)}
    files = dict(sitemap_files(pages, lastmod, BASE, max_urls=2))
    assert sorted(files) == ["sitemap.xml", "sitemaps/1.xml", "sitemaps/2.xml"]
    for name, text in files.items():
        assert text == _as_element_tree_writes_it(text), name
    assert f"<loc>{BASE}a&amp;b/</loc>" in "".join(files.values())
    empty = dict(sitemap_files([], {}, BASE))
    assert empty["sitemaps/1.xml"].endswith(f'<urlset xmlns="{SITEMAP_NS}" />\n')
    assert empty["sitemaps/1.xml"] == _as_element_tree_writes_it(empty["sitemaps/1.xml"])


def test_sample_sitemap_lists_every_page(sample_site: tuple[Path, BuildReport]) -> None:
    site, _ = sample_site
    ns = {"s": SITEMAP_NS}
    index = ET.parse(site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in index.findall("s:sitemap/s:loc", ns)]
    urls = {
        e.text for loc in locs for e in ET.parse(site / loc.removeprefix(BASE)).getroot().findall("s:url/s:loc", ns)
    }
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert urls == {BASE + p.removesuffix("index.html") for p in pages} - {BASE + "404.html", BASE + "search/"}
    assert (site / "robots.txt").read_text() == robots_txt(BASE)
    assert f"Sitemap: {BASE}sitemap.xml" in robots_txt(BASE) and "Sitemap" not in robots_txt("")
