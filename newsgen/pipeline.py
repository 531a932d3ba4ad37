"""build_site: the one place where the order of the stages lives."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgen.archive import Archive, article_path, collect
from newsgen.article import flag_future_dates, parse_article
from newsgen.cleaner import CleanResult, strip_boilerplate
from newsgen.config import SiteConfig
from newsgen.errors import ContentError, NewsgenError
from newsgen.loader import discover, read_source
from newsgen.models import Article, Diagnostic, Rejection
from newsgen.render import Renderer, asset_files, make_environment
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

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(w for a in self.articles for w in a.warnings)

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
            rejected.append(Rejection(exc.path, Diagnostic(exc.path, exc.message, exc.line, kind=exc.kind)))
        except Exception as exc:  # a bug must cost one file, not the whole archive
            if debug:
                raise
            path = file.relative_to(content_dir).as_posix()
            message = f"internal error ({type(exc).__name__}: {exc}); please report it, with --debug output"
            rejected.append(Rejection(path, Diagnostic(path, message, kind="internal-error")))
    return articles, rejected


@dataclass(frozen=True, slots=True)
class CheckedContent:
    """Everything known about the content before anything is rendered."""

    archive: Archive
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]


def check_content(
    config: SiteConfig, content_dir: Path, strict: bool = False, debug: bool = False, now: datetime | None = None
) -> CheckedContent:
    """Load, clean, parse and collect every file: all a build knows before it writes (``newsgen check``)."""
    articles, rejected = load_articles(content_dir, config, debug)
    articles = flag_future_dates(articles, now or datetime.now(UTC))
    drafts = tuple(a.source_path for a in articles if a.draft)
    archive = collect([a for a in articles if not a.draft])
    if strict:
        archive, rejected = _reject_warned(archive, rejected)
    return CheckedContent(archive, tuple(sorted(rejected, key=lambda r: r.path)), drafts)


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
    checked = check_content(config, content_dir, strict, debug)
    renderer = Renderer(env, config)
    inputs = [content_dir] if templates_dir is None else [content_dir, templates_dir]
    with SiteWriter(output_dir, keep=inputs) as writer:
        for path, html in renderer.pages(checked.archive):
            writer.write(path, html)
        for path, file in asset_files(templates_dir).items():
            writer.copy(path, file)
        writer.publish()
    return BuildReport(
        articles=checked.archive.articles,
        rejected=checked.rejected,
        drafts=checked.drafts,
        pages=len(writer.written),
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
    )


def _reject_warned(archive: Archive, rejected: list[Rejection]) -> tuple[Archive, list[Rejection]]:
    """--strict: an article with any warning is not published; its first warning is the reason."""
    kept = [a for a in archive.articles if not a.warnings]
    for article in archive.articles:
        if article.warnings:
            first = article.warnings[0]
            more = f" (and {len(article.warnings) - 1} more)" if len(article.warnings) > 1 else ""
            error = dataclasses.replace(first, message=f"{first.message}{more} [--strict]")
            rejected.append(Rejection(article.source_path, error))
    return collect(kept), rejected
