"""JSON-LD: what search engines read of a page (a NewsArticle, or a CollectionPage with its breadcrumbs)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any

from markupsafe import Markup

from newsgen.models import ArticleMeta
from newsgen.output.formats import published_iso, truncate_words


def article_jsonld(article: ArticleMeta, url: str, canonical: str, lead_words: int) -> Markup:
    """An article page's NewsArticle; ``canonical``: its absolute URL, "" when the site has no base_url."""
    publisher = {"@type": "Organization", "name": article.source_name}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
    }
    if canonical:
        data["mainEntityOfPage"] = canonical
    if article.published is not None:
        data["datePublished"] = published_iso(article)
    if article.updated is not None:
        data["dateModified"] = article.updated.isoformat()
    data["author"] = [{"@type": "Person", "name": n} for n in article.authors] or [publisher]
    data["publisher"] = publisher
    if article.lead:
        data["description"] = truncate_words(article.lead, lead_words)
    if article.url:
        data["isBasedOn"] = article.url
    if article.tags:
        data["keywords"] = list(article.tags)
    data["wordCount"] = article.word_count
    return json_script(data)


def collection_jsonld(title: str, url: str, crumbs: Iterable[tuple[str, str]], kind: str = "CollectionPage") -> Markup:
    """A list page's CollectionPage (a standalone page's WebPage); ``crumbs``: its breadcrumbs' (title, URL), from
    the front page on."""
    items = [
        {"@type": "ListItem", "position": n, "name": name, "item": item} for n, (name, item) in enumerate(crumbs, 1)
    ]
    return json_script(
        {
            "@context": "https://schema.org",
            "@type": kind,
            "name": title,
            "url": url,
            "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": items},
        }
    )


def json_script(data: Mapping[str, Any]) -> Markup:
    """JSON safe to place inside ``<script>``: no ``</script>`` can be smuggled in by a title."""
    text = "".join(_indented(data, []))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _indented(value: Any, out: list[str], newline: str = "\n") -> list[str]:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` in pieces, which is faster.

    With ``indent`` set, ``json`` falls back to its pure-Python encoder, and every page has JSON-LD.
    ``newline`` is a line break and the current indentation.
    """
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict or kind is list or kind is tuple:
        if not value:
            out.append("{}" if kind is dict else "[]")
            return out
        inner = newline + "  "
        out.append("{" if kind is dict else "[")
        for n, item in enumerate(value.items() if kind is dict else value):
            out.append("," + inner if n else inner)
            if kind is dict:
                key, item = item
                if type(key) is not str:
                    raise TypeError(f"JSON-LD keys are strings, not {type(key).__name__}")
                out.append(encode_basestring(key) + ": ")
            _indented(item, out, inner)
        out.append(newline + ("}" if kind is dict else "]"))
    elif kind is int:
        out.append(repr(value))
    elif value is None or kind is bool or kind is float:
        out.append(json.dumps(value))
    else:
        raise TypeError(f"JSON-LD cannot hold {kind.__name__}")
    return out
