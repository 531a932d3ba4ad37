"""Read, clean and parse every content file, doing again only what changed since the last build.

A file is read again only when its size or modification time moved, and parsed again only when its
bytes did, or what its source repeats of its lines (its profile signature): a new article that makes
a source's promo line common re-cleans exactly the files holding that line. Sources are profiled and
parsed a batch at a time, with decoded files kept in the cache rather than in memory, and what comes
back is each article without its body (``Parsed.light``): the body stays in the cache until a page or
a feed that shows it is written. So memory holds the archive's metadata, never the archive.

The stages themselves come from the pipeline (``Steps``): this module decides what to run again,
never what a stage does.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.archive.collect import article_path
from newsgen.cleaning.cleaner import folded_signature
from newsgen.cleaning.duplicates import Sketch
from newsgen.cleaning.sitewide import Sketches, SourceProfile, folded_lines, profile_sketched, zeroed_lines
from newsgen.config import SiteConfig
from newsgen.folders import Walked
from newsgen.incremental.keys import digest
from newsgen.incremental.stamp import TICK_NS
from newsgen.incremental.store import BuildCache, FileRow
from newsgen.models import Article, ArticleMeta, Rejection, RemovedLine, SourceFile
from newsgen.output.searchdocs import SearchDoc
from newsgen.parallel import chunked, map_ordered
from newsgen.progress import Report, counted
from newsgen.records import Parsed
from newsgen.report import CpuClock
from newsgen.sources.loader import Found, Scanned, markup_of, scan_content, source_of

BATCH_FILES = 2000  # sources are profiled and parsed this many files at a time: bounded memory
ALONE = ""  # the group of files cleaned without a profile (Markdown)
_COMMON = "common lines "  # a source's memo: the common lines its files' sketches leave out


@dataclass(frozen=True, slots=True)
class Steps:
    """The per-file stages, as the pipeline defines them: run in worker processes, so module-level functions."""

    read: Callable[[Path, Path, SiteConfig], SourceFile | Rejection]  # (content folder, file, config)
    # (file, its source's profile, config, a function to call when cleaning is done, its profile signature)
    # -> its record
    parse: Callable[
        [SourceFile, Mapping[str, SourceProfile], SiteConfig, Callable[[], None] | None, str | None], Parsed
    ]


def load_articles(
    content_dir: Path,
    config: SiteConfig,
    steps: Steps,
    cache: BuildCache,
    jobs: int = 1,
    progress: Report | None = None,
    walked: Walked | None = None,
    clock: CpuClock | None = None,
    scanned: Scanned | None = None,
) -> tuple[list[Parsed], list[Rejection]]:
    """Every file as a light parse record (in discovery order) or a rejection.

    ``walked``: the content folder as the build looked at it already (``folders.walk_tree``).
    ``clock``: told the CPU time parsing took, apart from reading and cleaning.
    ``scanned``: the articles' ``scan_content``, when the caller scanned the folder already.
    """
    files, refused = scanned if scanned is not None else scan_content(content_dir, walked)
    rejected = [Rejection(d.path, d) for d in refused]
    state = _Files(cache)
    to_read = state.unchanged_or_to_read(files)
    paths = [Path(f.path) for f in to_read]
    reads = map_ordered(_read_packed, (steps, content_dir, config), paths, jobs)
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
    known = cache.parsed_keys
    stale = [
        key
        for key, paths in sorted(groups.items())
        if cache.groups.get(key) != group_keys[key] or any(p not in known for p in paths)
    ]
    records: dict[str, Parsed] = {}
    done = 0
    for batch in _batches(stale, groups):
        for path, record in _parse_batch(batch, groups, state, config, steps, jobs, clock):
            records[path] = record
            done += 1
            if progress:
                progress("cleaning", done, sum(len(groups[k]) for k in stale))
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
    """The readable files of this build: their rows, and which of them the cache did not hold as they are."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.rows: dict[str, FileRow] = {}  # in discovery order
        self.changed: set[str] = set()  # files whose bytes are new to the cache

    def unchanged_or_to_read(self, files: list[Found]) -> list[Found]:
        """Take the cache's row of every file that cannot have changed; return the others, to read."""
        cache, to_read = self.cache, []
        for file in files:
            path, info = file.shown, file.info
            row = cache.files.get(path)
            same = row and info and (row.size, row.mtime_ns) == (info.st_size, info.st_mtime_ns)
            if same and row and row.mtime_ns < cache.committed_ns - TICK_NS:  # not saved within a tick
                self.rows[path] = row
                continue
            self.rows[path] = FileRow(0, 0, "", "")  # keeps discovery order until read
            to_read.append(file)
        return to_read

    def read(self, path: str, info: os.stat_result | None, read: _Read) -> None:
        size, mtime = (info.st_size, info.st_mtime_ns) if info else (-1, -1)
        row = FileRow(size, mtime, read.digest, read.source_key)
        self.rows[path] = row
        old = self.cache.files.get(path)
        if old and old.digest == row.digest:
            self.cache.touch_file(path, row)
        else:
            self.changed.add(path)
            self.cache.put_file(path, row, read.source)


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
    steps: Steps,
    jobs: int,
    clock: CpuClock | None = None,
) -> Iterator[tuple[str, Parsed]]:
    """Profile these sources, then parse every file whose bytes or profile signature changed."""
    cache, rows = state.cache, state.rows
    folded = _folded(batch, groups, rows, cache)
    # Pickled: workers unpickle their own. Only the files whose folded lines the cache does not hold are read.
    unfolded = [p for key in batch for p, lines in zip(groups[key], folded[key], strict=True) if lines is None]
    files = cache.source_files(unfolded)
    sketched = cache.sketches([p for key in batch for p in groups[key] if p not in state.changed])
    items = [(k, [files.get(p) for p in groups[k]], folded[k], _known(k, groups[k], sketched, cache)) for k in batch]
    profiled = map_ordered(_profile_group, config, items, jobs, 2)
    profiles: dict[str, SourceProfile] = {}
    keys: dict[str, str] = {}
    signed: dict[str, str | None] = {}  # each file's profile signature (None: no profile, Markdown)
    for key, (profile, signatures, sketches, lines) in zip(batch, profiled, strict=True):
        if profile is not None:
            profiles[key] = profile
        if sketches is not None:
            cache.put_sketches(groups[key], sketches)
            cache.put_memo(_COMMON + key, sketches.common, sorted(sketches.lines or ()))
        if lines is not None:
            cache.put_folded(key, {p: (rows[p].digest, f) for p, f in zip(groups[key], lines, strict=True)})
        for path, signature in zip(groups[key], signatures, strict=True):
            keys[path] = digest(rows[path].digest, signature)
            signed[path] = signature if profile is not None else None
    known = cache.parsed_keys
    kept = cache.light_groups(batch)  # the last records of these sources, for the files that stay
    todo = [p for p in keys if known.get(p) != keys[p] or p in state.changed or p not in kept]
    files.update(cache.source_files([p for p in todo if p not in files]))
    parsed = map_ordered(_parse_timed, (steps, profiles, config), [(files[p], signed[p]) for p in todo], jobs)
    for path, (record, seconds) in zip(todo, parsed, strict=True):
        if clock:
            clock.part("parse", seconds)
        whole = dataclasses.replace(record, terms="", search=None)  # those two have tables of their own
        cache.put_parsed(path, keys[path], whole, record.terms, record.search)
        yield path, record.light()
    again = set(todo)
    yield from ((p, kept[p]) for p in keys if p not in again)


class Bodies:
    """Puts back what light records left in the cache (bodies, search documents) for the stages that need it."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def search_docs(self, articles: Sequence[ArticleMeta]) -> list[SearchDoc]:
        """Each article's search document, at the article's final path (a URL collision may have moved it)."""
        stored = self.cache.search_docs([a.source_path for a in articles])
        out = []
        for article in articles:
            doc = stored[article.source_path]
            assert doc is not None, "search documents are made as articles are parsed, when the site has search"
            path = article_path(article)
            out.append(doc if doc.path == path else dataclasses.replace(doc, path=path))
        return out

    def __call__(self, articles: Sequence[ArticleMeta]) -> list[Article]:
        """``articles`` with their paragraphs and body (their other fields, set since parsing, stay)."""
        return [with_body(a, stored) for a, stored in zip(articles, self.stored(articles), strict=True)]

    def stored(self, articles: Sequence[ArticleMeta]) -> list[bytes]:
        """What ``with_body`` puts back into each article: the cache's bytes, unpickled by whoever renders it."""
        paths = [a.source_path for a in articles]
        found = self.cache.parsed_blobs(paths)
        return [found[p] for p in paths]

    def removed(self, articles: Sequence[ArticleMeta]) -> list[tuple[RemovedLine, ...]]:
        """The lines the cleaner removed from each article (for the ``--report`` document)."""
        out: list[tuple[RemovedLine, ...]] = []
        for batch in chunked(articles, BATCH_FILES):
            stored = self.cache.parsed([a.source_path for a in batch])
            out += [stored[a.source_path].whole.removed for a in batch]
        return out

    def terms(self, articles: Sequence[ArticleMeta]) -> Sequence[str]:
        """Each article's related terms, read from the cache a batch at a time each time they are gone through."""
        return _CachedTerms(self.cache, [a.source_path for a in articles])


def with_body(article: ArticleMeta, stored: bytes) -> Article:
    """``article`` (as it is now: its fields set since parsing stay) whole again, with the body of its record
    from ``Bodies.stored``."""
    record = pickle.loads(stored)  # our own cache, beside the output: unpickling it is reading what we wrote
    assert isinstance(record, Parsed)
    whole = record.whole
    return Article(
        *map(article.__getattribute__, ArticleMeta.__match_args__),
        paragraphs=whole.paragraphs,
        body_html=whole.body_html,
        removed=whole.removed,
    )


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


@dataclass(frozen=True, slots=True)
class _Read:
    """A file as a worker read it: what the build needs at once, and the decoded file pickled for the cache."""

    digest: str
    source_key: str
    source: bytes


def _read_packed(state: tuple[Steps, Path, SiteConfig], file: Path) -> _Read | Rejection:
    """Read and decode in the worker; sent back pickled already, the file costs the main process nothing."""
    steps, content_dir, config = state
    result = steps.read(content_dir, file, config)
    if isinstance(result, Rejection):
        return result
    key = source_of(result.front_matter, result.path, config)[0]
    return _Read(result.digest, key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))


def _known(
    source: str, paths: list[str], known: Mapping[str, tuple[str, Sketch]], cache: BuildCache
) -> Sketches | None:
    """The sketches the cache keeps for a source's files, if they were taken without the same common lines,
    with those lines."""
    commons = {known[p][0] for p in paths if p in known}
    if len(commons) != 1:
        return None
    common = commons.pop()
    lines = cache.memo(_COMMON + source, common)
    of = tuple(known[p][1] if p in known else None for p in paths)
    return Sketches(common, of, None if lines is None else frozenset(lines))


def _folded(
    batch: list[str], groups: Mapping[str, list[str]], rows: Mapping[str, FileRow], cache: BuildCache
) -> dict[str, list[list[str] | None]]:
    """By source, each file's folded lines as the cache keeps them from the source's last profile, where
    the file's bytes are the same (None: to fold from the file)."""
    kept = cache.folded([key for key in batch if key != ALONE])
    out: dict[str, list[list[str] | None]] = {}
    for key in batch:
        if key == ALONE:  # Markdown is not profiled: its files are read only to be parsed
            out[key] = [[] for _ in groups[key]]
            continue
        lines = kept.get(key, {})
        out[key] = [
            found[1] if (found := lines.get(p)) is not None and found[0] == rows[p].digest else None
            for p in groups[key]
        ]
    return out


def _profile_group(
    config: SiteConfig, group: tuple[str, list[bytes | None], list[list[str] | None], Sketches | None]
) -> tuple[SourceProfile | None, list[str], Sketches | None, list[list[str]] | None]:
    """A source's profile, each of its files' profile signature (what its cleaning depends on), its sketches,
    and its files' folded lines if some were folded here (from ``files``, where ``folded`` has none)."""
    key, files, kept, known = group
    if key == ALONE:
        return None, ["alone"] * len(files), None, None
    folded = [
        lines if lines is not None else folded_lines(ln.text for ln in _decoded(file).lines)
        for file, lines in zip(files, kept, strict=True)
    ]  # each line folded once, for the profile and the signatures
    zeroed = [zeroed_lines(lines) for lines in folded]  # and counted in one form, made once too
    profile, sketches = profile_sketched(folded, config.cleaning_for(key), known, zeroed)
    new = None if all(lines is not None for lines in kept) else folded
    signatures = [folded_signature(lines, profile, zero) for lines, zero in zip(folded, zeroed, strict=True)]
    return profile, signatures, sketches, new


def _decoded(file: bytes | None) -> SourceFile:
    assert file is not None, "a file the cache holds no folded lines of is profiled from its bytes"
    decoded = pickle.loads(file)
    assert isinstance(decoded, SourceFile)
    return decoded


def _parse_timed(
    state: tuple[Steps, Mapping[str, SourceProfile], SiteConfig], item: tuple[bytes, str | None]
) -> tuple[Parsed, float]:
    """A file's parse record, and the CPU seconds it took past cleaning (the build reports them apart).

    ``item``: the file, and its profile signature, which holds its lines' repeat levels: cleaning reads them
    there rather than folding each line again."""
    steps, profiles, config = state
    file, signature = item
    cleaned_at: list[float] = []
    record = steps.parse(
        pickle.loads(file), profiles, config, lambda: cleaned_at.append(time.process_time()), signature
    )
    return record, (time.process_time() - cleaned_at[0]) if cleaned_at else 0.0


def _group_key(source: str, paths: list[str], rows: Mapping[str, FileRow], config: SiteConfig) -> str:
    """What a source's profile is made from: its text files and its cleaning settings."""
    return digest(repr(config.cleaning_for(source)), *(f"{p}\0{rows[p].digest}" for p in paths))
