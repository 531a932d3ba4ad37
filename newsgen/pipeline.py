"""build_site: the one place where the order of the stages lives."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgen import __version__
from newsgen.archive import Archive, article_path, collect
from newsgen.article import flag_future_dates, parse_article, source_of
from newsgen.cache import Stamp, forget_stamp, inputs_fingerprint, load_stamp, output_fingerprint, save_stamp
from newsgen.cleaner import CleanResult, strip_boilerplate
from newsgen.config import SiteConfig
from newsgen.crawlers import robots_txt, sitemap_files
from newsgen.duplicates import Duplicate, find_duplicates
from newsgen.errors import ContentError, NewsgenError
from newsgen.feeds import feed_files, site_feeds
from newsgen.loader import discover, read_source
from newsgen.models import Article, Diagnostic, Rejection, RemovedLine, SourceFile
from newsgen.nonarticle import non_article_reason
from newsgen.parallel import map_ordered
from newsgen.progress import Report, counted
from newsgen.related import related_articles
from newsgen.render import PageJob, Renderer, asset_files, default_theme_dir, make_environment
from newsgen.search import index_files, search_doc
from newsgen.sitewide import SourceProfile, profile_source
from newsgen.writer import SiteWriter


@dataclass(frozen=True, slots=True)
class NonArticle:
    """A file that reads as an index, error or bio page; rejected unless the build keeps all."""

    path: str
    reason: str
    published: bool


@dataclass(frozen=True, slots=True)
class Replay:
    """What an earlier build reported, kept by the build stamp instead of its articles (quick to load)."""

    article_count: int
    warnings: tuple[Diagnostic, ...]  # the articles' warnings
    report_json: str  # ``to_json()`` of that build, serialised


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did with every input file."""

    articles: tuple[Article, ...]  # published, in site order
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]  # paths of files marked draft: true
    pages: int
    bytes: int
    seconds: float
    duplicates: tuple[Duplicate, ...] = ()  # left out: another file holds the same article
    non_articles: tuple[NonArticle, ...] = ()  # flagged; in `rejected` too unless published
    site_warnings: tuple[Diagnostic, ...] = ()  # about the site as a whole, e.g. search not built
    unchanged: bool = False  # nothing was built: the inputs and the output are as the last build left them
    replay: Replay | None = None  # set on a report kept by the build stamp, whose articles are not kept

    @property
    def article_count(self) -> int:
        return self.replay.article_count if self.replay else len(self.articles)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        own = self.replay.warnings if self.replay else tuple(w for a in self.articles for w in a.warnings)
        return own + self.site_warnings

    def replayable(self) -> BuildReport:
        """This report without its articles, for the build stamp: what a no-op build says again."""
        own = tuple(w for a in self.articles for w in a.warnings)
        replay = Replay(len(self.articles), own, json.dumps(self.to_json(), ensure_ascii=False))
        return dataclasses.replace(self, articles=(), replay=replay)

    def removals(self) -> dict[str, dict[str, int]]:
        """Lines removed from published articles, counted per rule and per source (then per rule)."""
        by_rule: Counter[str] = Counter()
        by_source: dict[str, Counter[str]] = {}
        for article in self.articles:
            for line in article.removed:
                by_rule[line.rule] += 1
                by_source.setdefault(article.source, Counter())[line.rule] += 1
        return {
            "by_rule": dict(sorted(by_rule.items())),
            **{f"source:{k}": dict(sorted(v.items())) for k, v in sorted(by_source.items())},
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` document: every input file appears exactly once (flags aside)."""
        if self.replay:
            return dict(json.loads(self.replay.report_json))
        removals = self.removals()
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
            "duplicates": [
                {"source": d.path, "duplicate_of": d.duplicate_of, "similarity": d.similarity} for d in self.duplicates
            ],
            "non_articles": [
                {"source": n.path, "reason": n.reason, "published": n.published} for n in self.non_articles
            ],
            "removals": {
                "by_rule": removals.pop("by_rule"),
                "by_source": {k.removeprefix("source:"): v for k, v in removals.items()},
            },
            "pages": self.pages,
        }


def read_sources(
    content_dir: Path, jobs: int = 1, progress: Report | None = None
) -> tuple[list[SourceFile], list[Rejection]]:
    """Every article file under ``content_dir``, decoded; unreadable files become rejections."""
    if not content_dir.is_dir():
        raise NewsgenError(f"content folder {content_dir} not found; create it or pass --content DIR")
    files, refused = discover(content_dir)
    rejected = [Rejection(d.path, d) for d in refused]
    sources: list[SourceFile] = []
    for result in counted(map_ordered(_read_one, content_dir, files, jobs), "reading", len(files), progress):
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            sources.append(result)
    return sources, rejected


def _read_one(content_dir: Path, file: Path) -> SourceFile | Rejection:
    try:
        return read_source(file, content_dir)
    except ContentError as exc:
        return _rejection(exc)


def profile_sources(sources: Sequence[SourceFile], config: SiteConfig, jobs: int = 1) -> dict[str, SourceProfile]:
    """The corpus-level stage: what each source repeats across its text files (Markdown is hand-written)."""
    by_source: dict[str, list[SourceFile]] = {}
    for source in sources:
        if source.markup == "text":
            by_source.setdefault(source_of(source.front_matter, source.path, config)[0], []).append(source)
    groups = sorted(by_source.items())
    profiles = map_ordered(_profile_one, config, groups, jobs, min_items=2)
    return {key: profile for (key, _), profile in zip(groups, profiles, strict=True)}


def _profile_one(config: SiteConfig, group: tuple[str, list[SourceFile]]) -> SourceProfile:
    key, files = group
    return profile_source([[ln.text for ln in f.lines] for f in files], config.cleaning_for(key))


def clean_source(source: SourceFile, profiles: Mapping[str, SourceProfile], config: SiteConfig) -> CleanResult:
    """Per-file rules, with the corpus statistics of the file's source when there are any."""
    if source.markup != "text":
        return CleanResult(source.lines, ())
    profile = profiles.get(source_of(source.front_matter, source.path, config)[0])
    return strip_boilerplate(source.lines, profile=profile)


def load_articles(
    content_dir: Path, config: SiteConfig, debug: bool = False, jobs: int = 1, progress: Report | None = None
) -> tuple[list[Article], list[Rejection]]:
    """Load, clean (per file, then per source) and parse every file; bad files become rejections."""
    sources, rejected = read_sources(content_dir, jobs, progress)
    profiles = profile_sources(sources, config, jobs)
    articles: list[Article] = []
    parsed = map_ordered(_parse_one, (profiles, config, debug), sources, jobs)
    for result in counted(parsed, "cleaning", len(sources), progress):
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            articles.append(result)
    return articles, rejected


def _parse_one(state: tuple[Mapping[str, SourceProfile], SiteConfig, bool], source: SourceFile) -> Article | Rejection:
    profiles, config, debug = state
    try:
        return parse_article(source, clean_source(source, profiles, config), config)
    except ContentError as exc:
        return _rejection(exc)
    except Exception as exc:  # a bug must cost one file, not the whole archive
        if debug:
            raise
        message = f"internal error ({type(exc).__name__}: {exc}); please report it, with --debug output"
        return Rejection(source.path, Diagnostic(source.path, message, kind="internal-error"))


@dataclass(frozen=True, slots=True)
class CheckedContent:
    """Everything known about the content before anything is rendered."""

    archive: Archive
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    non_articles: tuple[NonArticle, ...]


def check_content(
    config: SiteConfig,
    content_dir: Path,
    strict: bool = False,
    debug: bool = False,
    keep_all: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
    progress: Report | None = None,
) -> CheckedContent:
    """Load, clean, parse, sort out and collect every file: all a build knows before it writes."""
    articles, rejected = load_articles(content_dir, config, debug, jobs, progress)
    articles = flag_future_dates(articles, now or datetime.now(UTC))
    drafts = tuple(a.source_path for a in articles if a.draft)
    published, refused, non_articles, duplicates = sort_out(
        [a for a in articles if not a.draft], config, keep_all, jobs
    )
    rejected += refused
    archive = collect(published)
    if strict:
        archive, rejected = _reject_warned(archive, rejected)
    return CheckedContent(
        archive, tuple(sorted(rejected, key=lambda r: r.path)), drafts, tuple(duplicates), tuple(non_articles)
    )


@dataclass(frozen=True, slots=True)
class Explanation:
    """What the build's stages do to one file: its lines, the removed ones with their rules, the verdict."""

    source: SourceFile
    removed: tuple[RemovedLine, ...]
    article: Article | None
    verdict: str  # "published", or why not (a rejection or non-article reason)
    compared_with: int  # other files of its source whose lines were counted (0: judged alone)


def explain_file(file: Path, content_dir: Path | None, config: SiteConfig) -> Explanation:
    """Run one file through loading, both cleaning stages, parsing and the non-article test, as a build would.

    With ``content_dir`` (the file must be inside it) the file's source is profiled from its folder, so
    lines repeated across that source are judged as in a build.
    """
    root = content_dir if content_dir is not None else file.parent
    source = read_source(file, root)
    profiles: dict[str, SourceProfile] = {}
    compared = 0
    if content_dir is not None:
        key = source_of(source.front_matter, source.path, config)[0]
        same = [s for s in read_sources(content_dir)[0] if source_of(s.front_matter, s.path, config)[0] == key]
        profiles = profile_sources(same, config)
        compared = sum(1 for s in same if s.path != source.path and s.markup == "text")
    cleaned = clean_source(source, profiles, config)
    try:
        article = parse_article(source, cleaned, config)
    except ContentError as exc:
        return Explanation(source, cleaned.removed, None, f"rejected: {exc.message}", compared)
    reason = non_article_reason(article, config.cleaning_for(article.source))
    verdict = f"rejected: {reason} (--keep-all publishes it)" if reason else "published"
    return Explanation(source, article.removed, article, verdict, compared)


def sort_out(
    articles: Sequence[Article], config: SiteConfig, keep_all: bool = False, jobs: int = 1
) -> tuple[list[Article], list[Rejection], list[NonArticle], list[Duplicate]]:
    """Duplicates, then non-articles: what is published, rejected, flagged, and left out as a copy."""
    duplicates: list[Duplicate] = []
    if config.duplicates == "drop" and not keep_all:
        duplicates = find_duplicates(articles, config.cleaning.near_duplicate, config.cleaning.shingle_words, jobs)
    copies = {d.path for d in duplicates}
    kept: list[Article] = []
    rejected: list[Rejection] = []
    flagged: list[NonArticle] = []
    reasons = map_ordered(_non_article_reason, config, articles, jobs)
    for article, reason in zip(articles, reasons, strict=True):
        if article.source_path in copies:
            continue
        if reason is None or keep_all:
            kept.append(article)
        else:
            rejected.append(Rejection(article.source_path, Diagnostic(article.source_path, reason, kind="non-article")))
        if reason is not None:
            flagged.append(NonArticle(article.source_path, reason, published=keep_all))
    return kept, rejected, flagged, duplicates


def build_site(
    config: SiteConfig,
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path | None = None,
    strict: bool = False,
    debug: bool = False,
    keep_all: bool = False,
    jobs: int = 1,
    progress: Report | None = None,
) -> BuildReport:
    """Build the whole site into ``output_dir``; the previous site stays until the new one is complete.

    ``jobs`` processes share the loading and the rendering; the output is the same for any number.
    """
    started = time.perf_counter()
    if not content_dir.is_dir():
        raise NewsgenError(f"content folder {content_dir} not found; create it or pass --content DIR")
    taken = time.time_ns()
    fingerprint = inputs_fingerprint(
        (__version__, repr(config), f"strict={strict} keep_all={keep_all}"),
        (content_dir, default_theme_dir(), templates_dir, Path(__file__).parent),  # newsgen's own code too
    )
    last = load_stamp(output_dir)
    previous: BuildReport | None = last.report if last and isinstance(last.report, BuildReport) else None
    if previous and last and fingerprint.matches(last) and last.output == output_fingerprint(output_dir):
        return dataclasses.replace(previous, seconds=time.perf_counter() - started, unchanged=True)
    env = make_environment(templates_dir)
    checked = check_content(config, content_dir, strict, debug, keep_all, jobs=jobs, progress=progress)
    archive = checked.archive
    feeds = site_feeds(archive, config)
    related = related_articles(archive.articles, config.related_articles)
    renderer = Renderer(env, config, {feed.folder: feed for feed in feeds})
    inputs = [content_dir] if templates_dir is None else [content_dir, templates_dir]
    site_warnings: list[Diagnostic] = []
    with SiteWriter(output_dir, keep=inputs) as writer:
        todo = list(renderer.page_jobs(archive, related))
        rendered = counted(map_ordered(_render_one, renderer, todo, jobs), "rendering", len(todo), progress)
        for page, html in zip(todo, rendered, strict=True):
            writer.write(page.path, html)
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
        if config.search:
            if progress:
                progress("indexing", 0, 1)
            for path, data in index_files(search_doc(a, article_path(a)) for a in archive.articles):
                writer.write(path, data)
            if progress:
                progress("indexing", 1, 1)
        forget_stamp(output_dir)
        writer.publish()
    report = BuildReport(
        articles=checked.archive.articles,
        rejected=checked.rejected,
        drafts=checked.drafts,
        pages=len(writer.written),
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
        duplicates=checked.duplicates,
        non_articles=checked.non_articles,
        site_warnings=tuple(site_warnings),
    )
    save_stamp(output_dir, Stamp(fingerprint.digest, output_fingerprint(output_dir), report.replayable(), taken))
    return report


def _non_article_reason(config: SiteConfig, article: Article) -> str | None:
    return non_article_reason(article, config.cleaning_for(article.source))


def _render_one(renderer: Renderer, page: PageJob) -> str:
    return renderer.html(page)


def _rejection(exc: ContentError) -> Rejection:
    return Rejection(exc.path, Diagnostic(exc.path, exc.message, exc.line, kind=exc.kind))


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
