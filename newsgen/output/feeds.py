"""Atom and RSS 2.0 feeds for the whole site and for every source and tag.

Feed readers resolve nothing against the page they found a feed on, and RSS requires absolute links,
so feeds are written only when ``base_url`` is set. Only dated articles go into feeds (an entry needs a
date), and a feed's ``updated`` is its newest article's date: building twice gives the same bytes.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from newsgen.archive.collect import Archive, Listing, Listings, absolute_url, article_path, listings_of
from newsgen.config import SiteConfig
from newsgen.models import Article, ArticleMeta

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all; scraped text sometimes holds them (form feeds, stray NULs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed, written twice: ``folder/feed.xml`` (Atom) and ``folder/rss.xml`` (RSS 2.0)."""

    folder: str  # "" for the site, else the listing's folder, "sources/rt/"
    title: str
    entries: tuple[ArticleMeta, ...]  # dated, newest first, at most feed_entries

    @property
    def atom_path(self) -> str:
        return self.folder + "feed.xml"

    @property
    def rss_path(self) -> str:
        return self.folder + "rss.xml"


def site_feeds(archive: Archive, config: SiteConfig, grouped: Listings | None = None) -> tuple[Feed, ...]:
    """Every feed the site has: none without base_url; otherwise site, sources and tags with dated articles.

    Drafts (published only by ``build --drafts``, a preview) are never announced in a feed.
    ``grouped``: ``listings_of(archive)``, when the caller has it.
    """
    if not config.base_url:
        return ()
    sections = (grouped or listings_of(archive)).sections
    listings = (Listing("front", "", "", config.title, archive.articles), *sections["source"], *sections["tag"])
    feeds = []
    for listing in listings:
        entries = (a for a in listing.articles if a.published is not None and not a.draft)
        dated = tuple(itertools.islice(entries, config.feed_entries))
        if dated:
            title = config.title if listing.kind == "front" else f"{listing.title} · {config.title}"
            feeds.append(Feed(listing.folder, title, dated))
    return tuple(feeds)


def feed_files(feed: Feed, config: SiteConfig) -> list[tuple[str, str]]:
    """(output path, XML text) of the Atom and RSS versions of ``feed``."""
    return [(feed.atom_path, atom_feed(feed, config)), (feed.rss_path, rss_feed(feed, config))]


def atom_feed(feed: Feed, config: SiteConfig) -> str:
    """The feed as Atom 1.0 (RFC 4287)."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    _text(root, "title", feed.title)
    if config.description:
        _text(root, "subtitle", config.description)
    home = absolute_url(config.base_url, feed.folder)
    _text(root, "id", home)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": _url(config, feed.atom_path)})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": home})
    _text(root, "updated", max(_updated(a) for a in feed.entries).isoformat())
    _text(root, "generator", "newsgen")
    for article in feed.entries:
        entry = ET.SubElement(root, "entry")
        link = _url(config, article_path(article))
        _text(entry, "title", article.title)
        _text(entry, "id", link)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": link})
        _text(entry, "published", _published(article).isoformat())
        _text(entry, "updated", _updated(article).isoformat())
        for name in article.authors or (article.source_name,):
            _text(ET.SubElement(entry, "author"), "name", name)
        for tag in article.tags:
            ET.SubElement(entry, "category", {"term": tag})
        if article.lead:
            _text(entry, "summary", article.lead)
        if config.feed_content == "full" and isinstance(article, Article):  # the pipeline gives full feeds bodies
            _text(entry, "content", article.body_html, type="html")
    return xml_document(root)


def rss_feed(feed: Feed, config: SiteConfig) -> str:
    """The feed as RSS 2.0, with ``content:encoded`` for full text and ``dc:creator`` for authors."""
    root = ET.Element(
        "rss",
        {
            "version": "2.0",
            "xmlns:atom": ATOM_NS,
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        },
    )
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", absolute_url(config.base_url, feed.folder))
    _text(channel, "description", config.description or feed.title)
    _text(channel, "language", config.language)
    _text(channel, "lastBuildDate", format_datetime(max(_updated(a) for a in feed.entries)))
    _text(channel, "generator", "newsgen")
    ET.SubElement(
        channel, "atom:link", {"href": _url(config, feed.rss_path), "rel": "self", "type": "application/rss+xml"}
    )
    for article in feed.entries:
        item = ET.SubElement(channel, "item")
        link = _url(config, article_path(article))
        _text(item, "title", article.title)
        _text(item, "link", link)
        _text(item, "guid", link, isPermaLink="true")
        _text(item, "pubDate", format_datetime(_published(article)))
        for name in article.authors:
            _text(item, "dc:creator", name)
        for tag in article.tags:
            _text(item, "category", tag)
        _text(item, "description", article.lead or article.title)
        if config.feed_content == "full" and isinstance(article, Article):
            _text(item, "content:encoded", article.body_html)
    return xml_document(root)


def _url(config: SiteConfig, path: str) -> str:
    return absolute_url(config.base_url, path)


def _published(article: ArticleMeta) -> datetime:
    assert article.published is not None  # feeds hold dated articles only
    return article.published


def _updated(article: ArticleMeta) -> datetime:
    return max(article.updated or _published(article), _published(article))


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _NOT_XML.sub("", text)
    return element


def xml_document(root: ET.Element) -> str:
    """Indented XML text with a declaration: the form every feed and sitemap file takes."""
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
