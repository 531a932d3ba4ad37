"""Standalone pages (About, Contact): each at ``/<slug>/``, on no list; and the header's menu, which links to them.

A page's path is its own choice, not the archive's: two pages on one path, or a page on a path the site
makes itself (``/tags/``, ``/2016/``), is an error naming the file, never an output written twice or moved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.archive.collect import SECTION_FOLDERS, article_path
from newsgen.config import MenuEntry
from newsgen.models import ArticleMeta, Diagnostic

# The site's own top-level folders (besides the years): a page's slug may name none of them.
GENERATED_FOLDERS = frozenset({*SECTION_FOLDERS.values(), "archive", "search", "undated", "assets", "sitemaps"})
_YEAR = re.compile(r"\d{4}")


def place_pages(pages: Sequence[ArticleMeta]) -> tuple[tuple[ArticleMeta, ...], list[Diagnostic]]:
    """The pages that have a path of their own, in path order, and an error for each of the others."""
    placed: dict[str, ArticleMeta] = {}
    errors: list[Diagnostic] = []
    for page in sorted(pages, key=lambda p: p.source_path):
        path = article_path(page)
        shown = "/" + path.removesuffix("index.html")
        fix = "give it another 'slug:' in its front matter, or rename the file"
        if page.slug in GENERATED_FOLDERS or _YEAR.fullmatch(page.slug):
            message = f"page at {shown}, a path the site makes for its own pages; {fix}"
        elif path in placed:
            message = f"page at {shown}, the path of the page {placed[path].source_path}; {fix}"
        else:
            placed[path] = page
            continue
        errors.append(Diagnostic(page.source_path, message, kind="page-collision"))
    return tuple(sorted(placed.values(), key=article_path)), errors


@dataclass(frozen=True, slots=True)
class MenuLink:
    """A link of the header's menu, as every page shows it."""

    title: str
    target: str  # an output path ("about/index.html"), or an address of another site

    @property
    def external(self) -> bool:
        return "://" in self.target


def site_menu(entries: Sequence[MenuEntry], pages: Sequence[ArticleMeta]) -> tuple[tuple[MenuLink, ...], list[str]]:
    """The menu's links, and a warning for each entry naming a page the site does not have (left out).

    A page is named by its slug (``about``) or its file (``pages/about.md``); its title is the link's
    unless the entry gives one.
    """
    named = {**{p.slug: p for p in pages}, **{p.source_path: p for p in pages}}
    links: list[MenuLink] = []
    warnings: list[str] = []
    for n, entry in enumerate(entries):
        if "://" in entry.url:
            links.append(MenuLink(entry.title, entry.url))
        elif not entry.page:  # a path from the site's root: its folder's index.html, as every link of the site
            path = entry.url.lstrip("/")
            links.append(MenuLink(entry.title, path + "index.html" if path == "" or path.endswith("/") else path))
        elif (page := named.get(entry.page.strip("/"))) is not None:
            links.append(MenuLink(entry.title or page.title, article_path(page)))
        else:
            warnings.append(
                f"menu.{n}.page: no page '{entry.page}' (a file under content/pages/); left out of the menu"
            )
    return tuple(links), warnings
