"""Links from a Markdown article to the files beside it (``![](photo.png)``), which the build copies.

An article's page lives at ``/YYYY/MM/DD/slug/``, not beside its file, so a relative link written as the
author saw the folder would miss. Links are found when the article is parsed (from its bytes alone, so
the parse stays cacheable), checked against the content folder's files by every build (a photo added
later silences its warning), and pointed at the copy when a page or a feed shows the body: a page links
relatively, as every link of the site does, a feed absolutely.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Container, Iterable, Sequence
from typing import TypeVar
from urllib.parse import quote, unquote, urlsplit

import nh3

from newsgen.models import Article, ArticleMeta, Diagnostic, Line, LocalLink

LINK_REL = "noopener noreferrer nofollow"
_LINKS = {("img", "src"): True, ("a", "href"): False}  # the attributes that name a file: whether an image

A = TypeVar("A", bound=ArticleMeta)


def sanitised(html: str, links: Callable[[str, bool], str | None] | None = None) -> str:
    """``html`` with what a body may not hold removed; ``links(url, image)`` sees every image source and link,
    and may return another URL for it."""
    if links is None:
        return nh3.clean(html, link_rel=LINK_REL)

    def seen(element: str, attribute: str, value: str) -> str:
        image = _LINKS.get((element, attribute))
        return value if image is None else links(value, image) or value

    return nh3.clean(html, link_rel=LINK_REL, attribute_filter=seen)


def local_links(found: Iterable[tuple[str, bool]], source_path: str, lines: Sequence[Line]) -> tuple[LocalLink, ...]:
    """The relative links among ``found`` (URL, whether an image) of the article in ``source_path``, each once.

    Addresses with a scheme (``https:``, ``mailto:``), from the site's root (``/``), anchors and folders
    (``../2016/``, a page of the site) are not files beside the article, and are left as they are.
    """
    folder = posixpath.dirname(source_path)
    out = []
    for url, image in dict.fromkeys(found):
        target = _file_part(url)
        if target is None:
            continue
        joined = posixpath.normpath(posixpath.join(folder, target))
        path = None if joined == ".." or joined.startswith("../") else joined
        line = next((ln.number for ln in lines if url in ln.text), None)
        out.append(LocalLink(url, path, line, image))
    return tuple(out)


def _file_part(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/") or parts.path.endswith("/"):
        return None
    return unquote(parts.path)


def checked(article: A, files: Container[str], articles: Container[str]) -> A:
    """``article`` keeping only its links to ``files`` (the content files the build copies), with a warning for
    an image, or a link to a file (``report.pdf``), that names none of them. ``articles``: the article files."""
    if not article.links:
        return article
    kept, warnings = [], []
    for link in article.links:
        if link.path in files:
            kept.append(link)
        elif link.image or posixpath.splitext(_file_part(link.url) or "")[1]:
            warnings.append(Diagnostic(article.source_path, _missing(link, articles), link.line, "missing-file"))
    return dataclasses.replace(article, links=tuple(kept), warnings=(*article.warnings, *warnings))


def _missing(link: LocalLink, articles: Container[str]) -> str:
    what = f"{'image' if link.image else 'link'} '{link.url}'"
    if link.path is None:
        return f"{what} points outside the content folder; put the file beside the article"
    if link.path in articles:
        return f"{what} names the article file {link.path}, which is published as a page, not a file; link to its page"
    return f"{what} not found: no file {link.path} in the content folder"


def relocated(article: Article, to_url: Callable[[str], str]) -> Article:
    """``article`` with its links to copied files pointed at the copies; ``to_url``: a site path's URL where
    the body is shown."""
    if not article.links:
        return article
    urls = {link.url: _moved(link, to_url) for link in article.links}
    return dataclasses.replace(article, body_html=sanitised(article.body_html, lambda url, _: urls.get(url)))


def _moved(link: LocalLink, to_url: Callable[[str], str]) -> str:
    assert link.path is not None  # a link to a copied file
    parts = urlsplit(link.url)
    query, fragment = (f"?{parts.query}" if parts.query else ""), (f"#{parts.fragment}" if parts.fragment else "")
    return to_url(quote(link.path)) + query + fragment
