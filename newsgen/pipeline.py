"""build_site: the one place where the order of the stages lives."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.archive import Archive, article_path, collect
from newsgen.article import parse_article
from newsgen.cleaner import CleanResult, strip_boilerplate
from newsgen.config import SiteConfig
from newsgen.crawlers import robots_txt, sitemap_files
from newsgen.errors import ContentError, NewsgenError
from newsgen.feeds import feed_files, site_feeds
from newsgen.loader import discover, read_source
from newsgen.models import Article, Diagnostic, Rejection
from newsgen.related import related_articles
from newsgen.render import Renderer, asset_files, make_environment
from newsgen.search import build_search_index
from newsgen.writer import SiteWriter


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did with every input file."""

    articles: tuple[Article, ...]  # published, in site order
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]  # paths of files marked draft: true
    pages: int
    bytes: int
    seconds: float
    site_warnings: tuple[Diagnostic, ...] = ()  # about the site as a whole, e.g. search not built

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(w for a in self.articles for w in a.warnings) + self.site_warnings

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` document: every input file appears exactly once."""
        return {
            "articles": [
                {
                    "source": a.source_path,
                    "url": "/" + article_path(a).removesuffix("index.html"),
                    "title": a.title,
                    "date": a.published.isoformat() if a.published else None,
                    "warnings": [str(w) for w in a.warnings],
                    "removed_lines": [{"line": r.number, "text": r.text, "rule": r.rule} for r in a.removed],
                }
                for a in sorted(self.articles, key=lambda a: a.source_path)
            ],
            "rejected": [{"source": r.path, "error": str(r.error)} for r in self.rejected],
            "drafts": list(self.drafts),
            "pages": self.pages,
        }


def load_articles(content_dir: Path, config: SiteConfig, debug: bool = False) -> tuple[list[Article], list[Rejection]]:
    """Load, clean and parse every file under ``content_dir``; bad files become rejections."""
    if not content_dir.is_dir():
        raise NewsgenError(f"content folder {content_dir} not found; create it or pass --content DIR")
    files, refused = discover(content_dir)
    rejected = [Rejection(d.path, d) for d in refused]
    articles: list[Article] = []
    for file in files:
        try:
            source = read_source(file, content_dir)
            cleaned = strip_boilerplate(source.lines) if source.markup == "text" else CleanResult(source.lines, ())
            articles.append(parse_article(source, cleaned, config))
        except ContentError as exc:
            rejected.append(Rejection(exc.path, Diagnostic(exc.path, exc.message, exc.line, kind="error")))
        except Exception as exc:  # a bug must cost one file, not the whole archive
            if debug:
                raise
            path = file.relative_to(content_dir).as_posix()
            message = f"internal error ({type(exc).__name__}: {exc}); please report it, with --debug output"
            rejected.append(Rejection(path, Diagnostic(path, message, kind="error")))
    return articles, rejected


def build_site(
    config: SiteConfig,
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path | None = None,
    strict: bool = False,
    debug: bool = False,
) -> BuildReport:
    """Build the whole site into ``output_dir``; the previous site stays until the new one is complete."""
    started = time.perf_counter()
    env = make_environment(templates_dir)
    articles, rejected = load_articles(content_dir, config, debug)
    drafts = tuple(a.source_path for a in articles if a.draft)
    archive = collect([a for a in articles if not a.draft])
    if strict:
        archive, rejected = _reject_warned(archive, rejected)
    feeds = site_feeds(archive, config)
    related = related_articles(archive.articles, config.related_articles)
    renderer = Renderer(env, config, {feed.folder: feed for feed in feeds})
    inputs = [content_dir] if templates_dir is None else [content_dir, templates_dir]
    site_warnings: list[Diagnostic] = []
    with SiteWriter(output_dir, keep=inputs) as writer:
        for path, html in renderer.pages(archive, related):
            writer.write(path, html)
        for path, file in asset_files(templates_dir).items():
            writer.copy(path, file)
        for feed in feeds:
            for path, xml in feed_files(feed, config):
                writer.write(path, xml)
        pages = sorted(p for p in writer.written if p.endswith(".html"))
        lastmod = {article_path(a): date for a in archive.dated if (date := a.updated or a.published)}
        for path, text in sitemap_files(pages, lastmod, config.base_url):
            writer.write(path, text)
        writer.write("robots.txt", robots_txt(config.base_url))
        if config.search:  # indexes the staged folder, so the published site never lacks its index
            problem = build_search_index(writer.staging, keep_index_url=not config.pretty_urls)
            if problem:
                site_warnings.append(Diagnostic("search", problem))
        writer.publish()
    return BuildReport(
        articles=archive.articles,
        rejected=tuple(sorted(rejected, key=lambda r: r.path)),
        drafts=drafts,
        pages=len(writer.written),
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
        site_warnings=tuple(site_warnings),
    )


def _reject_warned(archive: Archive, rejected: list[Rejection]) -> tuple[Archive, list[Rejection]]:
    """--strict: an article with any warning is not published; its first warning is the reason."""
    kept = [a for a in archive.articles if not a.warnings]
    for article in archive.articles:
        if article.warnings:
            first = article.warnings[0]
            more = f" (and {len(article.warnings) - 1} more)" if len(article.warnings) > 1 else ""
            error = dataclasses.replace(first, message=f"{first.message}{more} [--strict]", kind="error")
            rejected.append(Rejection(article.source_path, error))
    return collect(kept), rejected
