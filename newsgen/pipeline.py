"""The order of the stages, written once: the per-file stages, the corpus stages, and the build.

A file is read (``sources``), cleaned (``cleaning``), parsed (``articles``) and judged (non-article or
not) by ``process_file``; the articles of all files are sorted out (copies, non-articles) and collected
into an archive (``archive``), which is rendered and written (``output``). ``build_site`` asks
``incremental`` for what the last build made, at the few points where a result can be kept: the
stages themselves never know whether a result came from the cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import itertools
import sqlite3
import time
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.archive.collect import (
    Archive,
    absolute_url,
    article_path,
    collect,
    listings_of,
)
from newsgen.archive.related import related_articles, related_choice, related_terms
from newsgen.archive.standalone import place_pages, site_menu
from newsgen.articles.article import dateline_line, flag_future_dates, parse_article
from newsgen.articles.links import checked, relocated
from newsgen.cleaning.cleaner import CleanResult, clean_file
from newsgen.cleaning.duplicates import Duplicate, article_text, find_duplicates, text_sketch
from newsgen.cleaning.nonarticle import non_article_reason
from newsgen.cleaning.sitewide import SourceProfile, profile_sources
from newsgen.config import SiteConfig
from newsgen.errors import ContentError, NewsgenError, UnsafePathError
from newsgen.incremental.dependencies import Dependencies, shape_key, shown_as
from newsgen.incremental.keys import PageKeys, digest, value_digest
from newsgen.incremental.memo import listings_by_index
from newsgen.incremental.parsed import Bodies, Steps, load_articles, with_body
from newsgen.incremental.searchpatch import write_index
from newsgen.incremental.session import before_writing, cached_build
from newsgen.incremental.stamp import TICK_NS
from newsgen.incremental.store import BuildCache
from newsgen.incremental.templates import compiled_templates
from newsgen.incremental.uptodate import LastBuild, last_build
from newsgen.models import Article, ArticleMeta, Diagnostic, Rejection, RemovedLine, SourceFile
from newsgen.output.crawlers import robots_txt, sitemap_files
from newsgen.output.environment import make_environment, site_words
from newsgen.output.feeds import Feed, feed_files, site_feeds
from newsgen.output.outputfolder import MARKER, safe_relative
from newsgen.output.pages import PageJob, Renderer
from newsgen.output.searchdocs import search_doc, stemmer_for
from newsgen.output.searchindex import needed_asset
from newsgen.output.theme import asset_files, theme_digest
from newsgen.output.writer import SiteWriter
from newsgen.parallel import map_ordered
from newsgen.plugins import HOOKED, BuiltSite, PluginError, plugin_error
from newsgen.progress import Report
from newsgen.records import Parsed
from newsgen.report import BuildReport, CpuClock, NonArticle, report_document
from newsgen.sources.loader import Found, Scanned, read_source, read_sources, rejection, scan_both, source_of
from newsgen.text.words import dates_in

if TYPE_CHECKING:
    from newsgen.cleaning.linemodel import LineModel  # numpy: imported only when the line model is asked

RENDER_BATCH = 2000  # pages rendered between two fetches of article bodies: bounded memory


def clean_source(
    source: SourceFile,
    profiles: Mapping[str, SourceProfile],
    config: SiteConfig,
    model: LineModel | None = None,
    signature: str | None = None,
) -> CleanResult:
    """A file cleaned with its source's profile and settings (``model``: another line model than newsgen's;
    ``signature``: the file's profile signature, when the caller worked it out with that profile)."""
    key = source_of(source.front_matter, source.path, config)[0]
    return clean_file(source, profiles.get(key), config.cleaning_for(key), model, config.plugins.rules, signature)


def process_file(
    source: SourceFile,
    profiles: Mapping[str, SourceProfile],
    config: SiteConfig,
    cleaned: Callable[[], None] | None = None,
    signature: str | None = None,
) -> Parsed:
    """The per-file stages, in order: clean, parse, judge; with what the corpus stages need of the article.

    ``cleaned``: called when cleaning is done (the build times parsing apart from it). ``signature``: the
    file's ``folded_signature`` under its source's profile in ``profiles``, if the caller has it.
    """
    result = clean_source(source, profiles, config, signature=signature)
    if cleaned:
        cleaned()
    try:
        article = parse_article(source, result, config)
    except ContentError as exc:
        return Parsed(rejection(exc), removed=result.removed)
    terms = related_terms(article)
    return Parsed(
        article,
        key=value_digest(article),
        non_article=non_article_reason(article, config.cleaning_for(article.source)),
        sketch=text_sketch(article_text(article), config.cleaning.shingle_words),
        terms=terms,
        search=search_doc(article, article_path(article), dates_in(config.language)) if config.search else None,
        topic=digest(terms),
        dateline=dateline_line(article),
    )


def _read(content_dir: Path, file: Path, config: SiteConfig) -> SourceFile | Rejection:
    try:
        return read_source(file, content_dir, config.max_article_bytes)
    except ContentError as exc:
        return rejection(exc)


def _guarded(
    debug: bool,
    source: SourceFile,
    profiles: Mapping[str, SourceProfile],
    config: SiteConfig,
    cleaned: Callable[[], None] | None = None,
    signature: str | None = None,
) -> Parsed:
    """``process_file``, where a bug costs one file, not the whole archive (unless ``--debug``)."""
    try:
        return process_file(source, profiles, config, cleaned, signature)
    except PluginError:
        raise  # the site's code, not newsgen's: the build stops, naming the plugin
    except Exception as exc:
        if debug:
            raise
        message = f"internal error ({type(exc).__name__}: {exc}); please report it, with --debug output"
        return Parsed(Rejection(source.path, Diagnostic(source.path, message, kind="internal-error")))


@dataclass(frozen=True, slots=True)
class CheckedContent:
    """Everything known about the content before anything is rendered."""

    archive: Archive
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    non_articles: tuple[NonArticle, ...]
    keys: Mapping[str, str]  # each article's Parsed.key, by path
    topics: Mapping[str, str]  # a hash of each article's related terms
    bodies: Bodies  # what the articles left in the cache
    files: tuple[Found, ...] = ()  # the content's other files (images, PDFs...), which the build copies
    file_warnings: tuple[Diagnostic, ...] = ()  # about those files: links leaving the folder, names unfit for a URL

    @property
    def warnings(self) -> list[Diagnostic]:
        """The articles' and pages' warnings, then the other files': what ``check`` and ``export`` print."""
        return [*(w for a in (*self.archive.articles, *self.archive.pages) for w in a.warnings), *self.file_warnings]


def check_content(
    config: SiteConfig,
    content_dir: Path,
    strict: bool = False,
    debug: bool = False,
    keep_all: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
    progress: Report | None = None,
    cache: BuildCache | None = None,
    last: LastBuild | None = None,
    drafts: bool = False,
    clock: CpuClock | None = None,
) -> CheckedContent:
    """Load, clean, parse, sort out and collect every file: all a build knows before it writes.

    ``cache``: the last build's (none: a temporary one). ``last``: the content as the build looked at it.
    ``drafts``: publish the articles marked ``draft: true`` too (a preview); otherwise they are left out.
    ``clock``: told the CPU time of each stage.
    """
    if not content_dir.is_dir():
        raise NewsgenError(f"content folder {content_dir} not found; create it or pass --content DIR")
    cache = cache or BuildCache(None, "check")
    steps = Steps(_read, functools.partial(_guarded, debug))
    walked = last.content if last else None
    articles, others = scan_both(content_dir, walked)
    files, file_warnings = _content_files(others)
    records, rejected = load_articles(content_dir, config, steps, cache, jobs, progress, walked, clock, articles)
    if walked is not None:
        walked.clear()  # read: the directory entries are memory that the rest of the build has no use for
    if clock:
        clock.lap("load/clean")
    flagged = flag_future_dates([r.article for r in records], now or datetime.now(UTC), [r.dateline for r in records])
    copied, sources = {f.shown for f in files}, {a.source_path for a in flagged}
    flagged = [checked(a, copied, sources) for a in flagged]
    records = [r if a is r.result else dataclasses.replace(r, result=a) for r, a in zip(records, flagged, strict=True)]
    bodies = Bodies(cache)
    kept = records if drafts else [r for r in records if not r.article.draft]
    pages, misplaced = place_pages([r.article for r in kept if r.article.page])  # never copies, nor non-articles
    rejected += [Rejection(d.path, d) for d in misplaced]
    published, non_articles, duplicates = sort_out([r for r in kept if not r.article.page], config, keep_all, bodies)
    archive = collect(published, pages)
    if strict:
        archive, rejected = _reject_warned(archive, rejected)
    if clock:
        clock.lap("sort out")
    return CheckedContent(
        archive,
        tuple(sorted(rejected, key=lambda r: r.path)),
        tuple(a.source_path for a in flagged if a.draft),
        tuple(duplicates),
        tuple(non_articles),
        {r.article.source_path: _key(r) for r in records},
        {r.article.source_path: r.topic for r in records},
        bodies,
        tuple(files),
        tuple(file_warnings),
    )


def _key(record: Parsed) -> str:
    """What pages that show the article are made from: as parsed, and which of its links name a copied file."""
    links = record.article.links
    return digest(record.key, "files", *(link.url for link in links)) if links else record.key


def _content_files(scanned: Scanned) -> tuple[list[Found], list[Diagnostic]]:
    """The content folder's files that are not articles (``scan_content`` of them), to copy to the same paths
    in the output; a file whose name cannot be a URL's, or that cannot be looked at, is a warning."""
    found, refused = scanned
    warnings = [dataclasses.replace(d, kind="not-copied") for d in refused]
    files: list[Found] = []
    for file in found:
        if file.info is None:
            warnings.append(Diagnostic(file.shown, "cannot be read; not copied", kind="not-copied"))
            continue
        try:
            safe_relative(file.shown)
        except UnsafePathError:
            warnings.append(Diagnostic(file.shown, _UNFIT_NAME, kind="not-copied"))
            continue
        files.append(file)
    return files, warnings


_UNFIT_NAME = (
    "file name holds bytes that are not UTF-8, a control character, a backslash, or a colon in its top folder; "
    "not copied: rename it"
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """What the build's stages do to one file: its lines, the removed ones with their rules, the verdict."""

    source: SourceFile
    removed: tuple[RemovedLine, ...]
    article: Article | None
    verdict: str  # "published", or why not (a rejection or non-article reason)
    compared_with: int | None  # other files of its source whose lines were counted; None: not in a content folder
    left_out: tuple[str, ...] = ()  # a saved page's text that its extractor did not take as the article's


def explain_file(file: Path, content_dir: Path | None, config: SiteConfig) -> Explanation:
    """Run one file through ``process_file``, as a build would.

    With ``content_dir`` (the file must be inside it) the file's source is profiled from its folder, so
    lines repeated across that source are judged as in a build.
    """
    root = content_dir if content_dir is not None else file.parent
    source = read_source(file, root, config.max_article_bytes)
    profiles: dict[str, SourceProfile] = {}
    compared = None
    if content_dir is not None:
        key = source_of(source.front_matter, source.path, config)[0]
        same = [
            s
            for s in read_sources(content_dir, config.max_article_bytes)[0]
            if source_of(s.front_matter, s.path, config)[0] == key
        ]
        profiles = profile_sources(same, config)
        compared = sum(1 for s in same if s.path != source.path and s.markup != "markdown")
    record = process_file(source, profiles, config)
    if isinstance(record.result, Rejection):
        return Explanation(source, record.removed, None, f"rejected: {record.result.error.message}", compared)
    article = record.whole
    verdict = f"left out: {record.non_article} (--keep-all publishes it)" if record.non_article else "published"
    dropped: tuple[str, ...] = ()
    if source.markup == "html":  # what trafilatura left out of the page: shown, as the cleaner's removals are
        from newsgen.sources.htmlpage import left_out

        text = "\n".join([article.title, *(line.text for line in source.lines)])
        dropped = tuple(left_out(file.read_bytes(), text))
    return Explanation(source, article.removed, article, verdict, compared, dropped)


def sort_out(
    records: Sequence[Parsed], config: SiteConfig, keep_all: bool = False, bodies: Bodies | None = None
) -> tuple[list[ArticleMeta], list[NonArticle], list[Duplicate]]:
    """Duplicates, then non-articles: what is published, what is flagged as no article, what is a copy.

    Neither a copy nor a non-article is an error: a scrape always holds some, and there is nothing to fix.
    """
    articles = [r.article for r in records]
    duplicates: list[Duplicate] = []
    if config.duplicates == "drop" and not keep_all:
        cleaning = config.cleaning
        sketches = [r.sketch for r in records]
        duplicates = find_duplicates(
            articles, cleaning.near_duplicate, cleaning.shingle_words, sketches=sketches, bodies=bodies
        )
    copies = {d.path for d in duplicates}
    kept: list[ArticleMeta] = []
    flagged: list[NonArticle] = []
    for article, record in zip(articles, records, strict=True):
        reason = record.non_article
        if article.source_path in copies:
            continue
        if reason is None or keep_all:
            kept.append(article)
        if reason is not None:
            flagged.append(NonArticle(article.source_path, reason, published=keep_all))
    return kept, flagged, duplicates


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What a build is asked to do (the arguments of ``build_site``)."""

    config: SiteConfig
    content_dir: Path
    output_dir: Path
    templates_dir: Path | None = None
    strict: bool = False
    debug: bool = False
    keep_all: bool = False
    jobs: int = 1
    progress: Report | None = None
    itemise: bool = True  # the report lists each article's removed lines (``--report``)
    drafts: bool = False
    force: bool = False


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
    report: bool = True,
    last: LastBuild | None = None,
    drafts: bool = False,
    config_file: Path | None = None,
    force: bool = False,
) -> BuildReport:
    """Build the site into ``output_dir``, doing again only what changed since the last build.

    ``jobs`` processes share the loading and the rendering; the output is the same for any number, and
    the same as a build from scratch. ``report``: the caller wants ``to_json()`` of the result, or the
    lines removed from each article (off, the build is quicker and leaner: what ``newsgen build`` does
    without ``--report``). ``last``: what ``last_build`` said of these arguments just now, if the caller asked.
    ``drafts``: publish the drafts too, for a preview: marked on their pages, and kept out of the feeds,
    sitemaps and search index (the stamp and the cache's scope tell such a build from a normal one).
    ``config_file``: where ``config`` came from (the output may not hold it). ``force``: take over an
    output folder newsgen did not make, and delete what this build does not write there.
    One build into an output at a time: a second one waits for the first.
    """
    look = functools.partial(
        last_build, config, content_dir, output_dir, templates_dir, strict, keep_all, report, drafts, config_file, force
    )
    last = last or look()
    if last.report is not None:
        return last.report
    options = BuildOptions(
        config, content_dir, output_dir, templates_dir, strict, debug, keep_all, jobs, progress, report, drafts, force
    )
    with _fewer_collections():
        return cached_build(output_dir, last, look, functools.partial(_build, options))


def _build(options: BuildOptions, cache: BuildCache, last: LastBuild) -> tuple[BuildReport, dict[str, tuple[int, int]]]:
    """The build itself, stage by stage, and the output's files as it left them (for the stamp)."""
    o, taken, clock = options, time.time_ns(), CpuClock()
    inputs = [o.content_dir] if o.templates_dir is None else [o.content_dir, o.templates_dir]
    # In place, the writer lists the last build's output in another process while the articles load.
    with SiteWriter(o.output_dir, keep=inputs, previous=cache.pages, listing=last.output, force=o.force) as writer:
        plugins = o.config.plugins
        compiled = compiled_templates(cache.templates, plugins.fingerprint) if cache.templates else None
        words, untranslated = site_words(o.config.language, o.templates_dir)
        env = make_environment(o.templates_dir, compiled, words, plugins)
        checked = check_content(
            o.config,
            o.content_dir,
            o.strict,
            o.debug,
            o.keep_all,
            None,
            o.jobs,
            o.progress,
            cache,
            last,
            o.drafts,
            clock,
        )
        archive = checked.archive
        menu, unlisted = site_menu(o.config.menu, archive.pages)  # on every page: a part of the settings
        keys = PageKeys(digest(theme_digest(o.templates_dir), repr(o.config), repr(menu)), checked.keys)
        shape = shape_key(keys.base.decode(), archive)
        listings = cache.remembered("listings", shape, lambda: listings_of(archive, words), *listings_by_index(archive))
        feeds = site_feeds(archive, o.config, listings)
        related = _related(archive.articles, o.config.related_articles, checked, cache)
        shown_keys = shown_as(archive, checked.keys, related)
        renderer = Renderer(env, o.config, {feed.folder: feed for feed in feeds}, menu, words)
        clock.lap("collect")
        before_writing(o.output_dir)
        with _loaded_frozen():
            redo = _pages_to_redo(writer, cache, shape, shown_keys)
            jobs = renderer.page_jobs(archive, related, redo, listings)
            shown = _render_pages(renderer, jobs, len(archive.articles), redo, writer, keys, checked, o, clock)
            clock.lap("render")
            _write_assets(writer, archive, o)
            _write_feeds(writer, feeds, keys, checked.bodies, o.config)
            _write_sitemap(writer, archive, o.config.base_url, shape, cache)
            writer.write("robots.txt", robots_txt(o.config.base_url))
            clock.lap("write")
            if o.config.search:
                if o.progress:
                    o.progress("indexing", 0, 1)
                placed = [
                    *zip(archive.articles, archive.paths, strict=True),
                    *((p, article_path(p)) for p in archive.pages),
                ]
                public = [(a, p) for a, p in placed if not a.draft]  # a reader searching "about" finds the page
                write_index(writer, cache, public, checked.keys, checked.bodies.search_docs)
                if o.progress:
                    o.progress("indexing", 1, 1)
                clock.lap("search")
            _copy_files(writer, checked.files, o, taken)
            clock.lap("write")
            _run_hooks(writer, checked, o, clock)
            writer.publish()
    warnings = [Diagnostic("site.yaml", untranslated, kind="config")] if untranslated else []
    warnings += [Diagnostic("site.yaml", message, kind="menu") for message in unlisted]
    warnings += [*checked.file_warnings, *_unrecorded(writer)]
    warnings += _save_cache(cache, writer, shape, shown, shown_keys, taken)
    clock.lap("write")
    on_disk = {path: (row.size, row.mtime_ns) for path, row in writer.rows.items()}
    return _report(checked, writer, warnings, o, clock), {**writer.others, **on_disk}


def _render_pages(
    renderer: Renderer,
    jobs: Iterator[PageJob],
    articles: int,
    redo: set[str] | None,
    writer: SiteWriter,
    keys: PageKeys,
    checked: CheckedContent,
    o: BuildOptions,
    clock: CpuClock,
) -> Dependencies | None:
    """Render the pages to ``redo`` (None: every page) that changed, in batches: jobs, bodies and HTML of a
    whole archive at once would be gigabytes. A build that looks at every page notes what each shows."""
    shown = Dependencies() if redo is None else None
    expected = len(redo) if redo is not None else max(len(writer.previous), 2 * articles)
    done = 0
    batch: list[tuple[PageJob, str]] = []
    for job in itertools.chain(jobs, [None]):
        if job is not None:
            key = keys(job)
            if shown is not None:
                shown.add(job.path, keys.articles)
            if not writer.unchanged(key, job.path):
                batch.append((job, key))
        if len(batch) == RENDER_BATCH or (job is None and batch):
            shown_bodies = [page.inputs["article"] for page, _ in batch if "article" in page.inputs]
            stored = iter(checked.bodies.stored(shown_bodies))
            items = [
                (page, writer.reserve(page.path, key), next(stored) if "article" in page.inputs else None)
                for page, key in batch
            ]
            for (page, _), (size, writing) in zip(batch, map_ordered(_render_to, renderer, items, o.jobs), strict=True):
                writer.wrote(page.path, size)
                clock.part("write", writing)
            done += len(batch)
            batch = []
            if o.progress:
                o.progress("rendering", done, max(expected, done + 1) if job is not None else done)
    return shown


def _render_to(renderer: Renderer, item: tuple[PageJob, str, bytes | None]) -> tuple[int, float]:
    """Render a page in a worker, which gets its article's body as the cache keeps it and unpacks it itself,
    and write it where the writer reserved. Returns the bytes written and the CPU seconds writing took."""
    page, target, stored = item
    if stored is not None:
        up = "../" * page.path.count("/")  # to the site's root, where the article's files are copied
        article = relocated(with_body(page.inputs["article"], stored), lambda path: up + path)
        page = dataclasses.replace(page, inputs={**page.inputs, "article": article})
    data = renderer.html(page).encode("utf-8")
    return len(data), SiteWriter.write_reserved(target, data)


def _write_assets(writer: SiteWriter, archive: Archive, o: BuildOptions) -> None:
    """The theme's files; of the search stemmers, those of the languages published."""
    published = (*archive.articles, *archive.pages)
    stemmers = {stemmer_for(a.language) for a in published if not a.draft} if o.config.search else set()
    for path, file in asset_files(o.templates_dir).items():
        if needed_asset(path, stemmers):
            writer.copy(path, file)


def _write_feeds(writer: SiteWriter, feeds: Sequence[Feed], keys: PageKeys, bodies: Bodies, config: SiteConfig) -> None:
    """Each feed, made from its articles like a page (with their bodies for full-content feeds)."""
    for feed in feeds:
        key = keys.of(feed)
        if not writer.unchanged(key, feed.atom_path, feed.rss_path):
            if config.feed_content == "full":  # a feed reader shows its entries away from the site: absolute links
                to_url = functools.partial(absolute_url, config.base_url)
                feed = dataclasses.replace(feed, entries=tuple(relocated(a, to_url) for a in bodies(feed.entries)))
            for path, xml in feed_files(feed, config):
                writer.write(path, xml, key)


def _run_hooks(writer: SiteWriter, checked: CheckedContent, o: BuildOptions, clock: CpuClock) -> None:
    """The plugins' post-build hooks, before the site is published: one that fails leaves the last site whole."""
    if not o.config.plugins.hooks:
        return
    changed = frozenset(writer.staged)

    def read(path: str) -> bytes:
        path = safe_relative(path)
        return Path(writer.staged_file(path) if path in changed else writer.output / path).read_bytes()

    def write(path: str, data: bytes) -> None:
        if safe_relative(path) in writer.rows or safe_relative(path) == MARKER:
            raise ValueError(f"{path} is a file of the site already; a hook adds files, it does not replace them")
        writer.write(path, data, HOOKED + hashlib.blake2b(data, digest_size=16).hexdigest())

    def keep(path: str) -> bool:
        return safe_relative(path) not in writer.rows and not writer.keep([safe_relative(path)])

    report = _report(checked, writer, [], dataclasses.replace(o, itemise=False), clock)
    site = BuiltSite(writer.output, report, tuple(sorted(writer.rows)), changed, read, write, keep)
    for plugin, hook in o.config.plugins.hooks:
        try:
            hook(site)
        except Exception as exc:
            raise plugin_error(plugin, "its post-build hook failed", exc) from exc
    clock.lap("plugins")


def _copy_files(writer: SiteWriter, files: Sequence[Found], o: BuildOptions, taken: int) -> None:
    """The content's other files, each at its own path (two articles of a folder share its photo); last, so
    that one that would take the place of a page, a feed or a theme file, or of their folders, is an error.

    A copy is kept while its file's size and modification time are the same, but for a file saved within a
    clock tick of the build that copied it (``taken``): saved again in that tick, it would look the same."""
    if not files:
        return
    folders: set[str] = set()
    for path in writer.rows:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    for file in files:
        clash = _clash(file.shown, writer.rows, folders)
        if clash is not None:
            raise NewsgenError(
                f"{o.content_dir / file.shown} would be copied to {o.output_dir / file.shown}, but {clash}; "
                "rename or move the file"
            )
        assert file.info is not None  # _content_files left out the files it could not look at
        size, mtime = file.info.st_size, file.info.st_mtime_ns
        writer.copy_file(file.shown, file.path, f"file {size} {mtime}" + f" racy {taken}" * (mtime >= taken - TICK_NS))


def _clash(path: str, written: Container[str], folders: Container[str]) -> str | None:
    """What the build itself writes at ``path`` or at a folder above it, if anything."""
    if path in written:
        return f"the build writes {path} itself (a page, a feed or a theme file)"
    if path in folders:
        return f"{path}/ is a folder of the site's own pages"
    for parent in itertools.accumulate(path.split("/")[:-1], lambda a, b: f"{a}/{b}"):
        if parent in written:
            return f"the build writes {parent} itself, a file where the copy needs a folder"
    return None


def _unrecorded(writer: SiteWriter) -> list[Diagnostic]:
    """A warning for files in the output that no record says newsgen wrote (kept, unless --force)."""
    if not writer.unrecorded:
        return []
    few = ", ".join(writer.unrecorded[:3]) + (", ..." if len(writer.unrecorded) > 3 else "")
    message = (
        f"kept {len(writer.unrecorded)} file{'s' * (len(writer.unrecorded) != 1)} that no record says newsgen "
        f"wrote ({few}); delete them, or build once with --force to remove every file the build does not write"
    )
    return [Diagnostic(str(writer.output), message, kind="output")]


def _save_cache(
    cache: BuildCache,
    writer: SiteWriter,
    shape: str,
    shown: Dependencies | None,
    shown_keys: Mapping[str, str],
    taken: int,
) -> list[Diagnostic]:
    """Last: until now the cache describes the last complete build. A cache that cannot be saved costs the
    next build time, not this one its site."""
    try:
        cache.set_pages(writer.rows)
        if shown is not None:
            cache.put_shown(shape, shown.pages, shown.shown, shown_keys)
        cache.commit(taken)
    except sqlite3.OperationalError as exc:
        where = str(cache.path or writer.output)
        return [Diagnostic(where, f"could not be saved ({exc}); the site is built", kind="cache")]
    return []


def _report(
    checked: CheckedContent,
    writer: SiteWriter,
    warnings: list[Diagnostic],
    o: BuildOptions,
    clock: CpuClock,
) -> BuildReport:
    articles = checked.archive.articles
    report = BuildReport(
        articles=articles,
        rejected=checked.rejected,
        drafts=checked.drafts,
        pages=len(writer.rows),
        bytes=writer.bytes,
        seconds=0.0,
        written=len(writer.staged),
        duplicates=checked.duplicates,
        non_articles=checked.non_articles,
        site_warnings=tuple(warnings),
        with_drafts=o.drafts,
        cpu=clock.stages(),
        article_count=len(articles),
        article_warnings=tuple(w for a in (*articles, *checked.archive.pages) for w in a.warnings),
        standalone=checked.archive.pages,
    )
    if not o.itemise:
        return report
    document = report_document(articles, checked.bodies.removed(articles), report)
    return dataclasses.replace(report, document=document)


def _write_sitemap(writer: SiteWriter, archive: Archive, base_url: str, shape: str, cache: BuildCache) -> None:
    """The sitemaps (without drafts), kept as they are while the site's shape (its pages, their dates) is."""
    key = digest("sitemaps", shape)
    kept = cache.memo("sitemaps", key)
    if kept is not None and writer.unchanged(key, *kept):
        return
    drafts = {article_path(a) for a in (*archive.articles, *archive.pages) if a.draft}
    pages = sorted(p for p in writer.written if p.endswith(".html") and p not in drafts)
    lastmod = {article_path(a): date for a in archive.dated if (date := a.updated or a.published)}
    written = []
    for path, text in sitemap_files(pages, lastmod, base_url):
        writer.write(path, text, key)
        written.append(path)
    cache.put_memo("sitemaps", key, written[-1:] + written[:-1])  # the index first, as it always was


def _pages_to_redo(writer: SiteWriter, cache: BuildCache, shape: str, keys: Mapping[str, str]) -> set[str] | None:
    """The pages to look at, when the last build's site had this shape; None: every page (see dependencies).

    Those are the pages that show an article parsed differently since (or, for its own page, with other
    related articles), and any page not on disk as that build left it. The others are kept, with their
    last keys, without being made or hashed.
    """
    if not writer.in_place:
        return None
    found = cache.showing(shape, keys)
    if found is None:
        return None
    pages, redo = found
    redo.update(writer.keep(p for p in pages if p not in redo))
    return redo


def _related(
    articles: Sequence[ArticleMeta], limit: int, checked: CheckedContent, cache: BuildCache
) -> dict[str, tuple[ArticleMeta, ...]]:
    """Related articles; the last build's choice when no article's words, source or place in the archive moved.

    Most edits leave every article's related terms as they were (they come from the title and the
    start of the body), and scoring the whole archive again is most of an edit's rebuild.
    """
    if limit <= 0:
        return {}
    topics = checked.topics
    key = digest(str(limit), *(f"{a.source_path}\0{a.source}\0{topics[a.source_path]}" for a in articles))
    chosen = cache.remembered(
        "related", key, lambda: related_choice(checked.bodies.terms(articles), [a.source for a in articles], limit)
    )
    return related_articles(articles, limit, chosen=chosen)


def _reject_warned(archive: Archive, rejected: list[Rejection]) -> tuple[Archive, list[Rejection]]:
    """--strict: an article or page with any warning is not published; its first warning is the reason."""
    kept = [a for a in archive.articles if not a.warnings]
    for article in (*archive.articles, *archive.pages):
        if article.warnings:
            first = article.warnings[0]
            more = f" (and {len(article.warnings) - 1} more)" if len(article.warnings) > 1 else ""
            error = dataclasses.replace(first, message=f"{first.message}{more} [--strict]")
            rejected.append(Rejection(article.source_path, error))
    return collect(kept, tuple(p for p in archive.pages if not p.warnings)), rejected


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector seldom while the build makes its many small objects.

    By default it runs every 700 new containers: loading many articles' records from the cache then
    spent most of its time in it. The build makes next to
    no reference cycles (rendering a page makes none), so its passes find nothing to free; one every
    million new containers stays as a safety net.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 1_000_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@contextlib.contextmanager
def _loaded_frozen() -> Iterator[None]:
    """Keep the cyclic garbage collector off what is loaded so far, for the rest of the build.

    The articles live all build; every collection of the oldest generation would walk them all again
    while pages are made. Forked workers share them untouched.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
