"""Read, clean and parse every content file, doing again only what changed since the last build.

A file is read again only when its size or modification time moved, and parsed again only when its
bytes did, or what its source repeats of its lines (its profile signature): a new article that makes
a source's promo line common re-cleans exactly the files holding that line. Sources are profiled and
parsed a batch at a time, with decoded files kept in the cache rather than in memory, and what comes
back is each article without its body (``Parsed.light``): the body stays in the cache until a page or
a feed that shows it is written. So memory holds the archive's metadata, never the archive.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.archive.collect import article_path
from newsgen.archive.related import related_terms
from newsgen.articles.article import dateline_line, parse_article, source_of
from newsgen.cleaning.cleaner import CleanResult, folded_signature, judge_lines, repetition_rules, strip_boilerplate
from newsgen.cleaning.duplicates import EMPTY, Sketch, article_text, text_sketch
from newsgen.cleaning.nonarticle import non_article_reason
from newsgen.cleaning.sitewide import Sketches, SourceProfile, folded_lines, profile_sketched, profile_source
from newsgen.config import SiteConfig
from newsgen.errors import ContentError
from newsgen.folders import Walked
from newsgen.incremental.stamp import TICK_NS
from newsgen.incremental.store import BuildCache, FileRow
from newsgen.models import Article, Diagnostic, Rejection, SourceFile, by_fields
from newsgen.output.search import SearchDoc, search_doc
from newsgen.parallel import chunked, map_ordered
from newsgen.progress import Report, counted
from newsgen.report import CpuClock
from newsgen.sources.loader import Found, discover, markup_of, read_source, scan_content

if TYPE_CHECKING:
    from newsgen.cleaning.linemodel import LineModel

BATCH_FILES = 2000  # sources are profiled and parsed this many files at a time: bounded memory
ALONE = ""  # the group of files cleaned without a profile (Markdown)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one file became, with what the corpus-level stages need of it: cached per file."""

    __reduce__ = by_fields

    result: Article | Rejection
    key: str = ""  # a hash of the article as parsed: pages that show it change when it does
    non_article: str | None = None  # why it reads as no article (index, error, bio page), if it does
    sketch: Sketch = EMPTY  # its near-duplicate sketch
    terms: str = ""  # the words related articles are found by (related.related_terms); in the cache only
    search: SearchDoc | None = None  # the article as the search index sees it (when the site has search)
    topic: str = ""  # a hash of ``terms``, which the light record keeps instead
    dateline: int | None = None  # the line the date was read from (the light record has no removed lines)

    @property
    def article(self) -> Article:
        """The article, for records past the rejections."""
        assert isinstance(self.result, Article), self.result
        return self.result

    def light(self) -> Parsed:
        """This record without what the cache keeps until a stage asks: body, removed lines, terms, search document.

        At 100,000 articles each kilobyte kept per article is 100 MB of the build's memory.
        """
        if not isinstance(self.result, Article):
            return self
        light = dataclasses.replace(self.result, paragraphs=(), body_html="", removed=())
        return dataclasses.replace(self, result=light, search=None, terms="")


def load_articles(
    content_dir: Path,
    config: SiteConfig,
    debug: bool = False,
    jobs: int = 1,
    progress: Report | None = None,
    cache: BuildCache | None = None,
    walked: Walked | None = None,
    clock: CpuClock | None = None,
) -> tuple[list[Parsed], list[Rejection]]:
    """Every file as a parse record (in discovery order) or a rejection.

    Without a ``cache`` everything is read and kept in memory, bodies included (``newsgen check``).
    ``walked``: the content folder as the build looked at it already (``cache.walk_tree``).
    ``clock``: told the CPU time parsing took, apart from reading and cleaning.
    """
    files, refused = scan_content(content_dir, walked)
    rejected = [Rejection(d.path, d) for d in refused]
    state = _Files(cache)
    to_read = state.unchanged_or_to_read(files)
    reads = map_ordered(_read_packed, (content_dir, config, cache is not None), [Path(f.path) for f in to_read], jobs)
    for found, result in zip(to_read, counted(reads, "reading", len(to_read), progress), strict=True):
        if isinstance(result, Rejection):
            del state.rows[found.shown]
            rejected.append(result)
        else:
            state.read(found.shown, found.info, result)
    groups: dict[str, list[str]] = {}
    for path, row in state.rows.items():
        groups.setdefault(row.source_key if markup_of(path) != "markdown" else ALONE, []).append(path)
    group_keys = {key: _group_key(key, paths, state.rows, config) for key, paths in groups.items()}
    known = cache.parsed_keys if cache else {}
    stale = [
        key
        for key, paths in sorted(groups.items())
        if not cache or cache.groups.get(key) != group_keys[key] or any(p not in known for p in paths)
    ]
    records: dict[str, Parsed] = {}
    done = 0
    for batch in _batches(stale, groups):
        for path, record in _parse_batch(batch, groups, state, config, debug, jobs, clock):
            records[path] = record
            done += 1
            if progress:
                progress("cleaning", done, sum(len(groups[k]) for k in stale))
    if cache:
        again = set(stale)
        records.update(cache.light_groups([key for key in groups if key not in again]))
        cache.keep_only(set(state.rows), set(groups))
        for key in stale:
            cache.put_group(key, group_keys[key], [(p, records[p]) for p in groups[key]])
    out: list[Parsed] = []
    for path in state.rows:
        record = records[path]
        if isinstance(record.result, Rejection):
            rejected.append(record.result)
        else:
            out.append(record)
    return out, rejected


class _Files:
    """The readable files of this build: their rows, and the decoded ones (in memory, or in the cache)."""

    def __init__(self, cache: BuildCache | None) -> None:
        self.cache = cache
        self.rows: dict[str, FileRow] = {}  # in discovery order
        self.changed: set[str] = set()  # files whose bytes are new to the cache
        self.decoded: dict[str, SourceFile] = {}  # without a cache only

    def unchanged_or_to_read(self, files: list[Found]) -> list[Found]:
        """Take the cache's row of every file that cannot have changed; return the others, to read."""
        cache, to_read = self.cache, []
        for file in files:
            path, info = file.shown, file.info
            row = cache.files.get(path) if cache else None
            same = cache and row and info and (row.size, row.mtime_ns) == (info.st_size, info.st_mtime_ns)
            if same and row and cache and row.mtime_ns < cache.committed_ns - TICK_NS:  # not saved within a tick
                self.rows[path] = row
                continue
            self.rows[path] = FileRow(0, 0, "", "")  # keeps discovery order until read
            to_read.append(file)
        return to_read

    def read(self, path: str, info: os.stat_result | None, read: _Read) -> None:
        size, mtime = (info.st_size, info.st_mtime_ns) if info else (-1, -1)
        row = FileRow(size, mtime, read.digest, read.source_key)
        self.rows[path] = row
        if self.cache is None:
            assert isinstance(read.source, SourceFile)
            self.decoded[path] = read.source
            self.changed.add(path)
            return
        old = self.cache.files.get(path)
        if old and old.digest == row.digest:
            self.cache.touch_file(path, row)
        else:
            self.changed.add(path)
            self.cache.put_file(path, row, read.source)

    def sources(self, paths: list[str]) -> Mapping[str, SourceFile | bytes]:
        """The decoded files: in memory, or pickled in the cache (unpickled by the worker that needs one)."""
        if self.cache is None:
            return {p: self.decoded[p] for p in paths}
        return self.cache.source_files(paths)


def _batches(stale: Sequence[str], groups: Mapping[str, list[str]]) -> Iterator[list[str]]:
    """Groups of sources of about BATCH_FILES files (a bigger source is a batch of its own)."""
    batch: list[str] = []
    size = 0
    for key in stale:
        batch.append(key)
        size += len(groups[key])
        if size >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _parse_batch(
    batch: list[str],
    groups: Mapping[str, list[str]],
    state: _Files,
    config: SiteConfig,
    debug: bool,
    jobs: int,
    clock: CpuClock | None = None,
) -> Iterator[tuple[str, Parsed]]:
    """Profile these sources, then parse every file whose bytes or profile signature changed."""
    cache = state.cache
    files = state.sources([p for key in batch for p in groups[key]])  # pickled: workers unpickle their own
    sketched = cache.sketches([p for key in batch for p in groups[key] if p not in state.changed]) if cache else {}
    items = [(k, [files[p] for p in groups[k]], _known(groups[k], sketched)) for k in batch]
    profiled = map_ordered(_profile_group, config, items, jobs, 2)
    profiles: dict[str, SourceProfile] = {}
    keys: dict[str, str] = {}
    for key, (profile, signatures, sketches) in zip(batch, profiled, strict=True):
        if profile is not None:
            profiles[key] = profile
        if cache and sketches is not None:
            cache.put_sketches(groups[key], sketches)
        for path, signature in zip(groups[key], signatures, strict=True):
            keys[path] = digest(state.rows[path].digest, signature)
    known = cache.parsed_keys if cache else {}
    kept = cache.light_groups(batch) if cache else {}  # the last records of these sources, for the files that stay
    todo = [p for p in keys if known.get(p) != keys[p] or p in state.changed or p not in kept]
    parsed = map_ordered(_parse_one, (profiles, config, debug), [files[p] for p in todo], jobs)
    for path, (record, seconds) in zip(todo, parsed, strict=True):
        if clock:
            clock.part("parse", seconds)
        if cache:
            whole = dataclasses.replace(record, terms="", search=None)  # those two have tables of their own
            cache.put_parsed(path, keys[path], whole, record.terms, record.search)
            record = record.light()
        yield path, record
    again = set(todo)
    yield from ((p, kept[p]) for p in keys if p not in again)


class Bodies:
    """Puts back what light records left in the cache (bodies, search documents) for the stages that need it.

    Without a cache the records are whole, and ``records`` holds them.
    """

    def __init__(self, cache: BuildCache | None, records: Mapping[str, Parsed] | None = None) -> None:
        self.cache = cache
        self.records = records or {}

    def _stored(self, articles: Sequence[Article]) -> Mapping[str, Parsed]:
        return self.cache.parsed([a.source_path for a in articles]) if self.cache else self.records

    def search_docs(self, articles: Sequence[Article]) -> list[SearchDoc]:
        """Each article's search document, at the article's final path (a URL collision may have moved it)."""
        paths = [a.source_path for a in articles]
        stored = self.cache.search_docs(paths) if self.cache else {p: self.records[p].search for p in paths}
        out = []
        for article in articles:
            doc = stored[article.source_path]
            assert doc is not None, "search documents are made as articles are parsed, when the site has search"
            path = article_path(article)
            out.append(doc if doc.path == path else dataclasses.replace(doc, path=path))
        return out

    def __call__(self, articles: Sequence[Article]) -> list[Article]:
        """``articles`` with their paragraphs and body (their other fields, set since parsing, stay)."""
        if self.cache is None:
            return list(articles)
        return [with_body(a, stored) for a, stored in zip(articles, self.stored(articles), strict=True)]

    def stored(self, articles: Sequence[Article]) -> list[object]:
        """What ``with_body`` puts back into each article: the cache's bytes, unpickled by whoever renders it."""
        paths = [a.source_path for a in articles]
        if self.cache is None:
            return [self.records[p] for p in paths]
        found = self.cache.parsed_blobs(paths)
        return [found[p] for p in paths]

    def removed(self, articles: Sequence[Article]) -> list[Article]:
        """``articles`` with the lines the cleaner removed from them (for the ``--report`` document)."""
        if self.cache is None:
            return list(articles)
        out: list[Article] = []
        for batch in chunked(articles, BATCH_FILES):
            stored = self._stored(batch)
            out += [dataclasses.replace(a, removed=stored[a.source_path].article.removed) for a in batch]
        return out

    def terms(self, articles: Sequence[Article]) -> Sequence[str]:
        """Each article's related terms, read from the cache a batch at a time each time they are gone through."""
        paths = [a.source_path for a in articles]
        if self.cache is None:
            return [self.records[p].terms for p in paths]
        return _CachedTerms(self.cache, paths)


def with_body(article: Article, stored: object) -> Article:
    """``article`` with the paragraphs and body of its record from ``Bodies.stored``."""
    record = pickle.loads(stored) if isinstance(stored, bytes) else stored
    assert isinstance(record, Parsed)
    return dataclasses.replace(article, paragraphs=record.article.paragraphs, body_html=record.article.body_html)


class _CachedTerms(Sequence[str]):
    """The terms of many articles, never all in memory at once (related articles go through them twice)."""

    def __init__(self, cache: BuildCache, paths: list[str]) -> None:
        self.cache, self.paths = cache, paths

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.cache.terms([self.paths[index]])[self.paths[index]]

    def __iter__(self) -> Iterator[str]:
        for batch in chunked(self.paths, BATCH_FILES):
            found = self.cache.terms(list(batch))
            yield from (found[p] for p in batch)


def read_sources(
    content_dir: Path, max_bytes: int | None = None, jobs: int = 1, progress: Report | None = None
) -> tuple[list[SourceFile], list[Rejection]]:
    """Every article file under ``content_dir``, decoded; unreadable files become rejections."""
    files, refused = discover(content_dir)
    rejected = [Rejection(d.path, d) for d in refused]
    sources: list[SourceFile] = []
    reads = map_ordered(_read_one, (content_dir, max_bytes), files, jobs)
    for result in counted(reads, "reading", len(files), progress):
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            sources.append(result)
    return sources, rejected


def profile_sources(sources: Sequence[SourceFile], config: SiteConfig, jobs: int = 1) -> dict[str, SourceProfile]:
    """The corpus-level stage: what each source repeats across its scraped files (Markdown is hand-written)."""
    by_source: dict[str, list[SourceFile]] = {}
    for source in sources:
        if source.markup != "markdown":
            by_source.setdefault(source_of(source.front_matter, source.path, config)[0], []).append(source)
    groups = sorted(by_source.items())
    profiles = map_ordered(_profile_one, config, groups, jobs, min_items=2)
    return {key: profile for (key, _), profile in zip(groups, profiles, strict=True)}


_REPETITION = repetition_rules()


def clean_source(
    source: SourceFile, profiles: Mapping[str, SourceProfile], config: SiteConfig, model: LineModel | None = None
) -> CleanResult:
    """Per-file rules, with the corpus statistics of the file's source when there are any, then the line model.

    ``model``: another line model than the one newsgen ships (benchmarks score models trained without a page's site).
    """
    if source.markup == "markdown":
        return CleanResult(source.lines, ())
    key = source_of(source.front_matter, source.path, config)[0]
    if source.markup == "html":  # trafilatura read the markup: what is left to find is what the site repeats
        return strip_boilerplate(source.lines, _REPETITION, profiles.get(key))
    cleaned = strip_boilerplate(source.lines, profile=profiles.get(key))
    return judge_lines(source.lines, cleaned, config.cleaning_for(key).line_model, model)


def rejection(exc: ContentError) -> Rejection:
    return Rejection(exc.path, Diagnostic(exc.path, exc.message, exc.line, kind=exc.kind))


@dataclass(frozen=True, slots=True)
class _Read:
    """A file as a worker read it: what the build needs at once, and the decoded file (pickled for the cache)."""

    digest: str
    source_key: str
    source: SourceFile | bytes


def _read_packed(state: tuple[Path, SiteConfig, bool], file: Path) -> _Read | Rejection:
    """Read and decode in the worker; sent back pickled already, the file costs the main process nothing."""
    content_dir, config, packed = state
    result = _read_one((content_dir, config.max_article_bytes), file)
    if isinstance(result, Rejection):
        return result
    key = source_of(result.front_matter, result.path, config)[0]
    return _Read(result.digest, key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL) if packed else result)


def _read_one(state: tuple[Path, int | None], file: Path) -> SourceFile | Rejection:
    try:
        return read_source(file, *state)
    except ContentError as exc:
        return rejection(exc)


def _decoded(source: SourceFile | bytes) -> SourceFile:
    return pickle.loads(source) if isinstance(source, bytes) else source


def _known(paths: list[str], known: Mapping[str, tuple[str, Sketch]]) -> Sketches | None:
    """The sketches the cache keeps for a source's files, if they were taken without the same common lines."""
    commons = {known[p][0] for p in paths if p in known}
    if len(commons) != 1:
        return None
    return Sketches(commons.pop(), tuple(known[p][1] if p in known else None for p in paths))


def _profile_group(
    config: SiteConfig, group: tuple[str, list[SourceFile | bytes], Sketches | None]
) -> tuple[SourceProfile | None, list[str], Sketches | None]:
    """A source's profile, each of its files' profile signature (what its cleaning depends on), and sketches."""
    key, files, known = group
    decoded = [_decoded(f) for f in files]
    if key == ALONE:
        return None, ["alone"] * len(decoded), None
    folded = [folded_lines(ln.text for ln in f.lines) for f in decoded]  # each line folded once, for both
    profile, sketches = profile_sketched(folded, config.cleaning_for(key), known)
    return profile, [folded_signature(lines, profile) for lines in folded], sketches


def _profile_one(config: SiteConfig, group: tuple[str, list[SourceFile]]) -> SourceProfile:
    key, files = group
    return profile_source([[ln.text for ln in f.lines] for f in files], config.cleaning_for(key))


def _parse_one(
    state: tuple[Mapping[str, SourceProfile], SiteConfig, bool], file: SourceFile | bytes
) -> tuple[Parsed, float]:
    """A file's parse record, and the CPU seconds it took past cleaning (the build reports them apart)."""
    profiles, config, debug = state
    source = _decoded(file)
    cleaned_at = 0.0
    try:
        cleaned = clean_source(source, profiles, config)
        cleaned_at = time.process_time()
        article = parse_article(source, cleaned, config)
    except ContentError as exc:
        return Parsed(rejection(exc)), 0.0
    except Exception as exc:  # a bug must cost one file, not the whole archive
        if debug:
            raise
        message = f"internal error ({type(exc).__name__}: {exc}); please report it, with --debug output"
        return Parsed(Rejection(source.path, Diagnostic(source.path, message, kind="internal-error"))), 0.0
    key = hashlib.sha256(pickle.dumps(article, pickle.HIGHEST_PROTOCOL)).hexdigest()
    reason = non_article_reason(article, config.cleaning_for(article.source))
    sketch = text_sketch(article_text(article), config.cleaning.shingle_words)
    found = search_doc(article, article_path(article)) if config.search else None
    terms = related_terms(article)
    topic = hashlib.blake2b(terms.encode(), digest_size=12).hexdigest()
    record = Parsed(article, key, reason, sketch, terms, found, topic, dateline_line(article))
    return record, time.process_time() - cleaned_at


def _group_key(source: str, paths: list[str], rows: Mapping[str, FileRow], config: SiteConfig) -> str:
    """What a source's profile is made from: its text files and its cleaning settings."""
    return digest(repr(config.cleaning_for(source)), *(f"{p}\0{rows[p].digest}" for p in paths))


def digest(*parts: str) -> str:
    """A hash of strings, each one ended, so that no two lists of them hash alike."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()
