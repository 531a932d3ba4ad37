"""Standalone pages and the menu: at /<slug>/, on no list, in the header of every page; a clash is an error."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from newsgen.archive.standalone import MenuLink, place_pages, site_menu
from newsgen.config import MenuEntry
from newsgen.models import ArticleMeta
from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]

BASE = ArticleMeta(
    "pages/about.md", "about", "About", None, None, None, "", "pages", "Pages", None, (), (), None, False, 1, "h",
    page=True,
)  # fmt: skip


def page(path: str, slug: str, title: str = "About") -> ArticleMeta:
    return dataclasses.replace(BASE, source_path=path, slug=slug, title=title)


def test_a_page_on_a_path_the_site_makes_or_another_page_has_is_an_error_naming_both() -> None:
    pages = [page("pages/about.md", "about"), page("pages/team/about.md", "about"), page("pages/tags.md", "tags")]
    pages += [page("pages/2016.md", "2016"), page("pages/search.md", "search"), page("pages/contact.md", "contact")]
    placed, errors = place_pages(pages)
    assert [p.source_path for p in placed] == ["pages/about.md", "pages/contact.md"]
    assert [str(e) for e in errors] == [
        "pages/2016.md: page at /2016/, a path the site makes for its own pages; "
        "give it another 'slug:' in its front matter, or rename the file",
        "pages/search.md: page at /search/, a path the site makes for its own pages; "
        "give it another 'slug:' in its front matter, or rename the file",
        "pages/tags.md: page at /tags/, a path the site makes for its own pages; "
        "give it another 'slug:' in its front matter, or rename the file",
        "pages/team/about.md: page at /about/, the path of the page pages/about.md; "
        "give it another 'slug:' in its front matter, or rename the file",
    ]
    assert {e.kind for e in errors} == {"page-collision"}


def test_the_menu_links_pages_by_slug_or_file_and_any_address() -> None:
    pages = [page("pages/about.md", "about", "About this archive"), page("editors/colophon.md", "colophon", "Type")]
    entries = [
        MenuEntry(page="about"),
        MenuEntry(title="Colophon", page="editors/colophon.md"),
        MenuEntry(title="Home", url="/"),
        MenuEntry(title="2016", url="/2016/"),
        MenuEntry(title="Feed", url="/feed.xml"),
        MenuEntry(title="Mother site", url="https://example.org/"),
        MenuEntry(page="contact"),
    ]
    links, warnings = site_menu(entries, pages)
    assert links == (
        MenuLink("About this archive", "about/index.html"),
        MenuLink("Colophon", "colophon/index.html"),
        MenuLink("Home", "index.html"),
        MenuLink("2016", "2016/index.html"),
        MenuLink("Feed", "feed.xml"),
        MenuLink("Mother site", "https://example.org/"),
    )
    assert warnings == ["menu.6.page: no page 'contact' (a file under content/pages/); left out of the menu"]


HARBOUR = "The harbour ferry returns to its winter timetable after storm repairs to the northern pier.\n"
SITE = {
    "base_url": "https://archive.example.org/",
    "menu": [{"page": "about"}, {"title": "Colophon", "page": "editors/colophon.md"}, {"title": "Home", "url": "/"}],
}


def main_of(html: str) -> str:
    """The page without its header: what lists, calendars and related articles show."""
    return html.partition('<main id="main"')[2]


def test_pages_stay_out_of_lists_feeds_calendars_sections_and_related_articles(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(
        {
            "harbour/ferry.txt": f"Harbour ferry back on winter timetable\n8 Sep, 2016 14:01\n\n{HARBOUR}",
            "harbour/pier.txt": "Harbour pier repairs finished\n9 Sep, 2016 10:00\n\nThe northern pier of the harbour "
            "reopened to the ferry after the storm repairs, a week before the winter timetable.\n",
            "pages/about.md": f"---\ntitle: About the harbour archive\n---\n\n{HARBOUR}",
            "editors/colophon.md": (
                "---\ntitle: Colophon\nlayout: page\ndate: 2016-09-08\ntags: [meta]\nauthors: [The editors]\n---\n\n"
                f"Set in a serif. {HARBOUR}"
            ),
        }
    )
    report = build(SITE)
    site = tmp_path / "_site"
    assert not report.rejected and not report.warnings
    assert [a.source_path for a in report.articles] == ["harbour/pier.txt", "harbour/ferry.txt"]
    assert [(p.source_path, p.slug, p.published) for p in report.standalone] == [
        ("pages/about.md", "about", None),
        ("editors/colophon.md", "colophon", None),
    ]
    assert [(p["source"], p["url"]) for p in report.to_json()["standalone_pages"]] == [
        ("pages/about.md", "/about/"),
        ("editors/colophon.md", "/colophon/"),
    ]
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert "<h1>About the harbour archive</h1>" in about and "winter timetable" in main_of(about)
    assert (site / "colophon/index.html").is_file()
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    for name, html in pages.items():
        menu = re.search(r'<nav class="site-menu" aria-label="Site">(.*?)</nav>', html, re.S)
        assert menu is not None, name
        assert re.findall(r">([^<]+)</a>", menu[1]) == ["About the harbour archive", "Colophon", "Home"], name
        if name not in ("about/index.html", "colophon/index.html"):
            assert "About the harbour archive" not in main_of(html) and "Colophon" not in main_of(html), name
    assert 'href="index.html" aria-current="page">About the harbour archive' in about
    for feed in ("feed.xml", "rss.xml"):
        text = (site / feed).read_text(encoding="utf-8")
        assert "harbour/pier" not in text and "Harbour pier" in text and "about" not in text and "Colophon" not in text
    assert not (site / "sources/editors").exists() and not (site / "tags/meta").exists()
    assert not (site / "authors/the-editors").exists() and not (site / "undated").exists()
    sitemap = (site / "sitemaps/1.xml").read_text(encoding="utf-8")
    assert "https://archive.example.org/about/" in sitemap and "https://archive.example.org/colophon/" in sitemap
    docs = "".join(p.read_text(encoding="utf-8") for p in (site / "search/data").rglob("docs/*.json"))
    assert '"about/index.html","About the harbour archive","",""' in docs.replace(", ", ",")
    top = json.loads((site / "search/data/index.json").read_text(encoding="utf-8"))
    assert [s[0] for s in top["sources"]] == ["harbour"]  # a page is the site's, of no source


def test_without_a_menu_the_header_is_as_it_was(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    make_content({"pages/about.md": "---\ntitle: About\n---\n\nWho we are.\n", "a.md": "---\ntitle: A\n---\n\nText.\n"})
    build()
    site = tmp_path / "_site"
    assert (site / "about/index.html").is_file()
    assert not [p for p in site.rglob("*.html") if "site-menu" in p.read_text(encoding="utf-8")]


def test_a_page_that_clashes_is_rejected_and_the_site_keeps_its_own(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(
        {
            "harbour/ferry.txt": f"Harbour ferry back on winter timetable\n8 Sep, 2016 14:01\n\n{HARBOUR}",
            "pages/tags.md": "---\ntitle: Our tags\n---\n\nNot the site's list of tags.\n",
            "pages/about.md": "---\ntitle: About\n---\n\nWho we are.\n",
            "team/about.md": "---\ntitle: About the team\nlayout: page\n---\n\nWho else.\n",
            "odd.md": "---\ntitle: Odd\nlayout: pamphlet\n---\n\nText.\n",
        }
    )
    report = build({"menu": [{"page": "about"}, {"page": "team/about.md"}]})
    assert {r.path: (r.error.kind, r.error.line) for r in report.rejected} == {
        "pages/tags.md": ("page-collision", None),
        "team/about.md": ("page-collision", None),
        "odd.md": ("front-matter", 3),
    }
    assert "the path of the page pages/about.md" in str(next(r for r in report.rejected if r.path == "team/about.md"))
    assert [str(w) for w in report.warnings] == [
        "site.yaml: menu.1.page: no page 'team/about.md' (a file under content/pages/); left out of the menu"
    ]
    tags = (tmp_path / "_site/tags/index.html").read_text(encoding="utf-8")
    assert "Our tags" not in tags and "Who else" not in (tmp_path / "_site/about/index.html").read_text("utf-8")
