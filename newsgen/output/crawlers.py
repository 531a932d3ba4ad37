"""Files for crawlers: ``robots.txt`` and ``sitemap.xml`` (a sitemap index over files of at most 50,000 URLs).

The sitemap protocol requires absolute URLs, so sitemaps are written only when ``base_url`` is set.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from newsgen.archive.collect import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS_PER_SITEMAP = 50_000  # the protocol's limit per file
NOT_IN_SITEMAP = ("404.html", "search/index.html")


def robots_txt(base_url: str) -> str:
    """Allow everything; name the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines += ["", f"Sitemap: {absolute_url(base_url, 'sitemap.xml')}"]
    return "\n".join(lines) + "\n"


def sitemap_files(
    pages: Sequence[str],
    lastmod: Mapping[str, datetime],
    base_url: str,
    max_urls: int = MAX_URLS_PER_SITEMAP,
) -> Iterator[tuple[str, str]]:
    """``sitemaps/N.xml``, one at a time, then ``sitemap.xml``, the index over them; ``pages`` are output
    paths of HTML pages.

    Written as text, a file at a time: a 100,000-article archive has 230,000 pages, and a tree of elements
    for all of them was the largest thing the build ever held (the peak of its memory).
    """
    if not base_url:
        return
    urls = [p for p in sorted(pages) if p not in NOT_IN_SITEMAP]
    chunks = [urls[i : i + max_urls] for i in range(0, len(urls), max_urls)] or [[]]
    width = len(str(math.ceil(len(urls) / max_urls)))
    index: list[tuple[str, datetime | None]] = []
    for number, chunk in enumerate(chunks, start=1):
        path = f"sitemaps/{number:0{width}d}.xml"
        yield path, _xml_list("urlset", "url", [(absolute_url(base_url, p), lastmod.get(p)) for p in chunk])
        index.append((absolute_url(base_url, path), max((lastmod[p] for p in chunk if p in lastmod), default=None)))
    yield "sitemap.xml", _xml_list("sitemapindex", "sitemap", index)


def _xml_list(root: str, tag: str, entries: Sequence[tuple[str, datetime | None]]) -> str:
    """A sitemap file: under ``root``, one ``tag`` for each address with its date, as ``xml_document``
    indents a tree (an empty root closes itself)."""
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<{root} xmlns="{SITEMAP_NS}"'
    if not entries:
        return head + " />\n"
    parts = [head, ">\n"]
    for loc, date in entries:
        parts += (f"  <{tag}>\n    <loc>", escape(loc), "</loc>\n")
        if date is not None:
            parts += ("    <lastmod>", date.isoformat(), "</lastmod>\n")
        parts.append(f"  </{tag}>\n")
    parts.append(f"</{root}>\n")
    return "".join(parts)
