"""Which pages show which articles, so that a rebuild after an edit looks only at those pages.

A page is made from its inputs (``PageKeys`` hashes them). Every input of every page comes either
from the site's shape (which articles are published, in what order, at which paths, under which
dates, sources, tags and authors; the settings and templates) or from the articles the page shows
(an article's page shows its related articles too). So when a build finds the shape as the last
build left it (``shape_key``), each page is the one the last build made, except a page that shows an
article parsed differently since, or whose related articles changed (``shown_as``). An edit to an
article's text then costs the pages that show it, found here, instead of making and hashing the
inputs of every page of the archive.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import datetime

from newsgen.archive.collect import Archive
from newsgen.incremental.keys import digest, value_digest
from newsgen.models import ArticleMeta


def shape_key(base: str, archive: Archive) -> str:
    """A hash of everything pages are made from besides the articles they show.

    ``base`` stands for newsgen, the templates and the settings (``PageKeys.base``). An article's
    title is left out: only pages that show the article show it (its slug, which is in, decides its path).
    """
    placed = [
        (a.source_path, a.slug, _iso(a.published), _iso(a.updated), a.source, a.source_name, a.tags, a.authors, a.draft)
        for a in archive.articles
    ]
    pages = [(p.source_path, p.slug, p.draft) for p in archive.pages]  # its title: its page's, and the menu's (base)
    return value_digest((base, placed, pages))  # the feeds, sections and periods are made of these


def _iso(moment: datetime | None) -> str | None:
    """A date as text: pickling datetimes (their time zones) costs several times more."""
    return None if moment is None else moment.isoformat()


def shown_as(
    archive: Archive, keys: Mapping[str, str], related: Mapping[str, tuple[ArticleMeta, ...]]
) -> dict[str, str]:
    """What each article brings to the pages that show it: its parse key, and its related articles (hashed:
    the build keeps one for every article)."""
    return {
        a.source_path: digest(keys[a.source_path], *(r.source_path for r in related.get(a.source_path, ())))
        for a in (*archive.articles, *archive.pages)
    }


class Dependencies:
    """The pages of a build in the order they were made, and for each article the pages that show it."""

    def __init__(self) -> None:
        self.pages: list[str] = []
        self.shown: dict[str, array[int]] = {}  # article: the numbers of its pages in ``pages``

    def add(self, page: str, articles: Iterable[str]) -> None:
        """Note a page and the articles among its inputs."""
        number = len(self.pages)
        self.pages.append(page)
        for article in dict.fromkeys(articles):
            found = self.shown.get(article)
            if found is None:
                found = self.shown[article] = array("I")
            found.append(number)
