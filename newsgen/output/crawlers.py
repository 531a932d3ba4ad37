"""Files for crawlers: ``robots.txt`` and ``sitemap.xml`` (a sitemap index over files of at most 50,000 URLs).

The sitemap protocol requires absolute URLs, so sitemaps are written only when ``base_url`` is set.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import datetime

from newsgen.archive.collect import absolute_url
from newsgen.output.feeds import xml_document

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
) -> list[tuple[str, str]]:
    """``sitemap.xml`` as an index over ``sitemaps/N.xml``; ``pages`` are output paths of HTML pages."""
    if not base_url:
        return []
    urls = [p for p in sorted(pages) if p not in NOT_IN_SITEMAP]
    chunks = [urls[i : i + max_urls] for i in range(0, len(urls), max_urls)] or [[]]
    files: list[tuple[str, str]] = []
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    width = len(str(math.ceil(len(urls) / max_urls)))
    for number, chunk in enumerate(chunks, start=1):
        path = f"sitemaps/{number:0{width}d}.xml"
        urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
        for page in chunk:
            entry = ET.SubElement(urlset, "url")
            ET.SubElement(entry, "loc").text = absolute_url(base_url, page)
            if page in lastmod:
                ET.SubElement(entry, "lastmod").text = lastmod[page].isoformat()
        files.append((path, xml_document(urlset)))
        sitemap = ET.SubElement(index, "sitemap")
        ET.SubElement(sitemap, "loc").text = absolute_url(base_url, path)
        dates = [lastmod[p] for p in chunk if p in lastmod]
        if dates:
            ET.SubElement(sitemap, "lastmod").text = max(dates).isoformat()
    return [("sitemap.xml", xml_document(index)), *files]
