"""The render stage: Jinja environment and one function per kind of page, each returning HTML text."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from newsgen.archive import Archive, Pagination, article_path, neighbours, paginate
from newsgen.config import SiteConfig
from newsgen.errors import ThemeError
from newsgen.models import Article

ASSETS_DIR = "assets"  # theme sub-folder copied verbatim to the output
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def default_theme_dir() -> Path:
    """The built-in theme: packaged inside the wheel, or the checkout's top-level templates/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "theme", here.parent / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise ThemeError(f"the default theme is missing (looked in {here / 'theme'} and {here.parent / 'templates'})")


def make_environment(site_templates: Path | None) -> jinja2.Environment:
    """Site templates first, then the theme; ``{% extends "!theme/base.html" %}`` reaches the theme itself."""
    theme = jinja2.FileSystemLoader(str(default_theme_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders += [jinja2.PrefixLoader({"!theme": theme}, delimiter="/"), theme]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["words"] = truncate_words
    return env


def asset_files(site_templates: Path | None) -> dict[str, Path]:
    """Theme assets by output path; a site's own ``templates/assets/`` file replaces the theme's."""
    found: dict[str, Path] = {}
    for root in (default_theme_dir(), site_templates):
        if root is None or not (root / ASSETS_DIR).is_dir():
            continue
        for file in sorted((root / ASSETS_DIR).rglob("*")):
            if file.is_file() and not file.name.startswith("."):
                found[file.relative_to(root).as_posix()] = file
    return dict(sorted(found.items()))


@dataclass(frozen=True, slots=True)
class Renderer:
    """Renders every page of an archive; holds nothing that changes during a build."""

    env: jinja2.Environment
    config: SiteConfig

    def pages(self, archive: Archive) -> Iterator[tuple[str, str]]:
        """(output path, HTML) for every page, in a fixed order."""
        links = neighbours(archive)
        for article in archive.articles:
            older, newer = links[article_path(article)]
            yield self.article_page(article, older, newer)
        for page in paginate(archive.articles, self.config.per_page):
            yield self.index_page(page)
        if archive.undated:
            yield self.render("undated.html", "undated/index.html", title="Undated", articles=archive.undated)
        yield self.render("404.html", "404.html", title="Page not found")

    def article_page(self, article: Article, older: Article | None, newer: Article | None) -> tuple[str, str]:
        path = article_path(article)
        return self.render(
            "article.html",
            path,
            title=article.title,
            article=article,
            older=older,
            newer=newer,
            jsonld=self._article_jsonld(article, path),
        )

    def index_page(self, page: Pagination[Article]) -> tuple[str, str]:
        path = "index.html" if page.number == 1 else f"page/{page.number}/index.html"
        title = self.config.title if page.number == 1 else f"{self.config.title}, page {page.number}"
        return self.render("index.html", path, title=title, pagination=page)

    def render(self, template: str, path: str, **context: Any) -> tuple[str, str]:
        """Render ``template`` as the page at ``path`` with the variables every template gets."""
        try:
            html = self.env.get_template(template).render(
                site=self.config,
                page_path=path,
                url=lambda target: self.url(path, target),
                article_url=lambda a: self.url(path, article_path(a)),
                canonical=self.absolute(path),
                page_url=lambda n: self.url(path, "index.html" if n == 1 else f"page/{n}/index.html"),
                **context,
            )
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise ThemeError(f"template {template} (rendering {path}): {exc}") from None
        return path, html

    def url(self, from_path: str, to_path: str) -> str:
        """A relative link between two output files; ``index.html`` dropped only with pretty_urls."""
        rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
        if self.config.pretty_urls and (rel == "index.html" or rel.endswith("/index.html")):
            rel = rel.removesuffix("index.html") or "./"
        return rel

    def absolute(self, path: str) -> str:
        """The canonical URL of an output file, or "" when the site has no base_url."""
        if not self.config.base_url:
            return ""
        return self.config.base_url.rstrip("/") + "/" + path.removesuffix("index.html")

    def _article_jsonld(self, article: Article, path: str) -> Markup:
        publisher = {"@type": "Organization", "name": article.source_name}
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "url": self.absolute(path) or "/" + path.removesuffix("index.html"),
        }
        if article.published is not None:
            data["datePublished"] = article.published.isoformat()
        if article.updated is not None:
            data["dateModified"] = article.updated.isoformat()
        data["author"] = [{"@type": "Person", "name": n} for n in article.authors] or [publisher]
        data["publisher"] = publisher
        if article.lead:
            data["description"] = truncate_words(article.lead, self.config.lead_words)
        if article.url:
            data["isBasedOn"] = article.url
        if article.tags:
            data["keywords"] = list(article.tags)
        data["wordCount"] = article.word_count
        return json_script(data)


def json_script(data: Mapping[str, Any]) -> Markup:
    """JSON safe to place inside ``<script>``: no ``</script>`` can be smuggled in by a title."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def format_date(value: datetime, with_time: bool = True) -> str:
    """A reader's date, independent of the machine's locale: ``8 September 2016, 14:01 MSK``."""
    day = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if not with_time or (value.hour, value.minute, value.second) == (0, 0, 0):
        return day
    return f"{day}, {value:%H:%M} {value.tzname() or ''}".rstrip()


def truncate_words(text: str, count: int) -> str:
    """At most ``count`` words, with an ellipsis when something was cut."""
    words = text.split()
    return text if len(words) <= count else " ".join(words[:count]) + "…"
