"""The build cache: what each input file became, and what each output file was made from.

It is an SQLite database (``.newsgen-cache/<output>.db`` beside the output folder), so a build reads only
the rows it needs and writes only the rows that changed, and all of them in one transaction committed
after the output is in place. A build killed at any moment leaves the cache of the last complete build,
and the next build trusts no row without checking it against the files it describes: an input by its
size, modification time and (when those moved) its SHA-256, an output by its size and modification time.

Everything in it is derived: deleting it costs one full build, never a wrong page. A cache written by
another version of newsgen, or for other settings, is emptied rather than read (but for which files the
last build wrote). A damaged one is moved aside; one that cannot be written is not used (``open_cache``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from newsgen.folders import CACHE_FOLDER
from newsgen.models import PageRow

T = TypeVar("T")
_SCHEMA_VERSION = 11  # bump when a table changes: an older cache is then started afresh
# Each kind of blob has a table of its own: SQLite reaches a column through the columns before it, and
# read past a record of kilobytes, light records read from a cold disk many times slower than alone.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, digest TEXT NOT NULL,
    source_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decoded (path TEXT PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (path TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (path TEXT PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS terms (path TEXT PRIMARY KEY, blob TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search (path TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE IF NOT EXISTS groups (source TEXT PRIMARY KEY, key TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS folded (source TEXT PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sketches (path TEXT PRIMARY KEY, common TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS indexed (path TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indexed_docs (path TEXT PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS memo (name TEXT PRIMARY KEY, key TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS shown (path TEXT PRIMARY KEY, key TEXT NOT NULL, pages BLOB NOT NULL);
"""
_PER_FILE = ("files", "decoded", "sketches")  # tables of input files, by path
_PER_RECORD = ("parsed", "records", "terms", "search")  # tables of parse records, by path


class FileRow(NamedTuple):
    """An input file as the last build read it (a tuple: a cache holds one per file, made as it opens)."""

    size: int
    mtime_ns: int
    digest: str
    source_key: str  # the source it belongs to, under the cache's settings


class BuildCache:
    """The rows of the last complete build, and the changes of this one (kept until ``commit``)."""

    def __init__(self, output: Path | None, scope: str) -> None:
        """Open the cache of builds into ``output``; ``scope`` names newsgen's code and the site's settings.

        Without an output (``newsgen check``, or a cache folder that cannot be written) the cache is a
        temporary database that SQLite deletes when it is closed: the build runs the same way, from scratch.
        """
        self.path: Path | None = None
        self.templates: Path | None = None  # compiled templates (Jinja keeps them)
        if output is None:
            self.db = _connect("")
        else:
            output = output.resolve()
            self.path = cache_path(output)
            self.templates = output.parent / CACHE_FOLDER / f"{output.name}.templates"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = _connect(self.path)
        try:
            self._load(scope)
        except BaseException:
            self.close()
            raise

    def _load(self, scope: str) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE name = 'scope'").fetchone()
        if row is None or row[0] != scope:  # another newsgen or other settings: nothing here can be trusted
            for (table,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                if table != "pages":
                    self.db.execute(f'DELETE FROM "{table}"')
            # but which files the last build wrote, for the writer to replace and remove: with no key to match
            self.db.execute("UPDATE pages SET key = ''")
            self.db.execute("INSERT INTO meta VALUES ('scope', ?)", (scope,))
        # Written now, not at the end: a cache that cannot be written is found before the build relies on it.
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('opened', ?)", (str(os.getpid()),))
        self.files = {
            row[0]: FileRow._make(row[1:])
            for row in self.db.execute("SELECT path, size, mtime_ns, digest, source_key FROM files")
        }
        self.groups = dict(self.db.execute("SELECT source, key FROM groups"))
        self.pages = {
            r[0]: PageRow._make(r[1:]) for r in self.db.execute("SELECT path, key, size, mtime_ns FROM pages")
        }
        self.parsed_keys = dict(self.db.execute("SELECT path, key FROM parsed"))
        self.indexed = dict(self.db.execute("SELECT path, key FROM indexed"))  # the search index's documents
        self.committed_ns = int(self._meta("committed_ns") or 0)

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def source_files(self, paths: list[str]) -> dict[str, bytes]:
        """The decoded files kept for ``paths``, pickled (SourceFiles)."""
        return dict(self._select("decoded", "blob", paths))

    def put_file(self, path: str, row: FileRow, source: Any) -> None:
        """Keep the decoded file (a SourceFile, or one pickled already)."""
        self.files[path] = row
        blob = source if isinstance(source, bytes) else pickle.dumps(source, pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", (path, *row))
        self.db.execute("INSERT OR REPLACE INTO decoded VALUES (?, ?)", (path, blob))

    def touch_file(self, path: str, row: FileRow) -> None:
        """Same bytes, new modification time: keep the decoded file, note the time."""
        self.files[path] = row
        self.db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", (row.size, row.mtime_ns, path))

    def parsed(self, paths: list[str]) -> dict[str, Any]:
        """The whole parse records kept for ``paths`` (their light ones are kept a source at a time)."""
        return self._blobs("records", paths)

    def parsed_blobs(self, paths: list[str]) -> dict[str, bytes]:
        """The whole parse records kept for ``paths``, still pickled (a worker process unpickles its own)."""
        return dict(self._select("records", "blob", paths))

    def _blobs(self, table: str, paths: list[str]) -> dict[str, Any]:
        # our own cache, beside the output the user builds: unpickling it is reading what we wrote
        return {path: pickle.loads(blob) for path, blob in self._select(table, "blob", paths)}

    def _select(self, table: str, column: str, paths: list[str]) -> Iterator[Any]:
        """(path, value) of ``column`` for ``paths``, asked 500 at a time (SQLite limits parameters)."""
        return self._select_where(table, "path", column, paths)

    def _select_where(self, table: str, name: str, column: str, names: list[str]) -> Iterator[Any]:
        """(name, value) of ``column`` for rows whose ``name`` is one of ``names``."""
        for chunk in range(0, len(names), 500):
            part = names[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            yield from self.db.execute(f"SELECT {name}, {column} FROM {table} WHERE {name} IN ({marks})", part)

    def indexed_docs(self, paths: list[str]) -> list[Any]:
        """The search documents the last build indexed at ``paths``."""
        found = self._blobs("indexed_docs", paths)
        return [found[p] for p in paths]

    def set_indexed(self, keys: dict[str, str], docs: Iterable[Any]) -> None:
        """The documents the search index now holds: their keys, and the new or changed ones themselves."""
        gone = [p for p in self.indexed if p not in keys]
        for table in ("indexed", "indexed_docs"):
            self.db.executemany(f"DELETE FROM {table} WHERE path = ?", [(p,) for p in gone])
        self.db.executemany(
            "INSERT OR REPLACE INTO indexed VALUES (?, ?)",
            [(p, k) for p, k in keys.items() if self.indexed.get(p) != k],
        )
        self.db.executemany(  # one document pickled at a time: all of them at once would not fit a big archive
            "INSERT OR REPLACE INTO indexed_docs VALUES (?, ?)",
            ((d.path, pickle.dumps(d, pickle.HIGHEST_PROTOCOL)) for d in docs),
        )
        self.indexed = dict(keys)

    def put_parsed(self, path: str, key: str, record: Any, terms: str, search: Any) -> None:
        """Keep a whole parse record, and its related terms and search document (its light record: ``put_group``)."""
        self.parsed_keys[path] = key
        values = (
            key,
            pickle.dumps(record, pickle.HIGHEST_PROTOCOL),
            terms,
            pickle.dumps(search, pickle.HIGHEST_PROTOCOL),
        )
        for table, value in zip(_PER_RECORD, values, strict=True):
            self.db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (path, value))

    def search_docs(self, paths: list[str]) -> dict[str, Any]:
        """The search documents kept for ``paths`` (None where the site had no search)."""
        return self._blobs("search", paths)

    def terms(self, paths: list[str]) -> dict[str, str]:
        """The related terms kept for ``paths``."""
        return dict(self._select("terms", "blob", paths))

    def memo(self, name: str, key: str) -> Any:
        """What the last build kept as ``name``, if it was made from ``key``; else None."""
        row = self.db.execute("SELECT blob FROM memo WHERE name = ? AND key = ?", (name, key)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def remembered(
        self,
        name: str,
        key: str,
        make: Callable[[], T],
        encode: Callable[[T], Any] = lambda value: value,
        decode: Callable[[Any], T] = lambda value: value,
    ) -> T:
        """What the last build kept as ``name``, if it was made from ``key``; else ``make()``, kept for the next.

        ``encode`` and ``decode``: what is kept of the value (indices rather than articles, say).
        """
        kept = self.memo(name, key)
        if kept is not None:
            return decode(kept)
        value = make()
        self.put_memo(name, key, encode(value))
        return value

    def put_memo(self, name: str, key: str, value: Any) -> None:
        """Keep a whole-archive result (related articles...) that many builds find unchanged."""
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", (name, key, blob))

    def showing(self, shape: str, keys: Mapping[str, str]) -> tuple[list[str], set[str]] | None:
        """The last build's pages and those that show an article whose key is not in ``keys`` now.

        None when the last build's site had another shape (see ``newsgen.incremental.dependencies``): then every
        page is looked at. The articles' keys are brought up to date.
        """
        pages = self.memo("pages", shape)
        if pages is None:
            return None
        changed = [
            (keys[path], path) for path, key in self.db.execute("SELECT path, key FROM shown") if keys[path] != key
        ]
        shown: set[str] = set()
        for _, numbers in self._select("shown", "pages", [path for _, path in changed]):
            shown.update(pages[n] for n in array("I", numbers))
        self.db.executemany("UPDATE shown SET key = ? WHERE path = ?", changed)
        return pages, shown

    def put_shown(self, shape: str, pages: list[str], shown: Mapping[str, array[int]], keys: Mapping[str, str]) -> None:
        """This build's pages, in order, and by article its key and the numbers of the pages that show it."""
        self.put_memo("pages", shape, pages)
        self.db.execute("DELETE FROM shown")
        self.db.executemany("INSERT INTO shown VALUES (?, ?, ?)", ((a, keys[a], n.tobytes()) for a, n in shown.items()))

    def sketches(self, paths: list[str]) -> dict[str, tuple[str, Any]]:
        """The near-duplicate sketches the last profiles took of ``paths``, with their common lines' hash."""
        return {
            path: (common, pickle.loads(blob)) for path, common, blob in self._select("sketches", "common, blob", paths)
        }

    def put_sketches(self, paths: list[str], sketches: Any) -> None:
        """Keep a profile's sketches (a ``sitewide.Sketches`` for ``paths``)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO sketches VALUES (?, ?, ?)",
            [
                (p, sketches.common, pickle.dumps(s, pickle.HIGHEST_PROTOCOL))
                for p, s in zip(paths, sketches.of, strict=True)
            ],
        )

    def light_groups(self, sources: list[str]) -> dict[str, Any]:
        """The light parse records (``Parsed.light``) the last build kept of these sources' files, by path.

        They are kept a source to a pickle: one a file loaded several times slower, each naming its classes again.
        """
        found: dict[str, Any] = {}
        for _, blob in self._select_where("groups", "source", "blob", sources):
            found.update(pickle.loads(blob))
        return found

    def put_group(self, source: str, key: str, records: list[tuple[str, Any]]) -> None:
        """A source's group key (what its profile is made from), and its files' light records, (path, record)."""
        self.groups[source] = key
        blob = pickle.dumps(records, pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", (source, key, blob))

    def folded(self, sources: list[str]) -> dict[str, dict[str, tuple[str, list[str]]]]:
        """By source, the folded lines of its files as its last profile took them: path -> (file digest, lines)."""
        return {source: pickle.loads(blob) for source, blob in self._select_where("folded", "source", "blob", sources)}

    def put_folded(self, source: str, lines: dict[str, tuple[str, list[str]]]) -> None:
        """A source's files' folded lines (``folded``): a profile of the source reads them instead of its files."""
        blob = pickle.dumps(lines, pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO folded VALUES (?, ?)", (source, blob))

    def keep_only(self, files: set[str], groups: set[str]) -> None:
        """Forget inputs and sources that are gone."""
        for tables, column, names, live in (
            (_PER_FILE, "path", self.files, files),
            (_PER_RECORD, "path", self.parsed_keys, files),
            (("groups", "folded"), "source", self.groups, groups),
        ):
            gone = [name for name in names if name not in live]
            for name in gone:
                del names[name]
            for table in tables:
                self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(g,) for g in gone])

    def set_pages(self, pages: dict[str, PageRow]) -> None:
        """The output as this build left it (replaces the last build's)."""
        old, self.pages = self.pages, pages
        self.db.executemany("DELETE FROM pages WHERE path = ?", [(p,) for p in old if p not in pages])
        self.db.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)",
            [(p, r.key, r.size, r.mtime_ns) for p, r in pages.items() if old.get(p) != r],
        )

    def commit(self, taken_ns: int) -> None:
        """Make this build's rows the cache; ``taken_ns``: when its inputs were looked at."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('committed_ns', ?)", (str(taken_ns),))
        self.db.commit()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.rollback()
            self.db.close()


def open_cache(output: Path, scope: str) -> tuple[BuildCache | None, str | None]:
    """The build cache of ``output``, and what went wrong with it, when it was not usable as it was.

    A damaged cache is moved aside (``.corrupt-<time>``) and started afresh; one that cannot be written
    (a read-only disk, another user's) is not used: None, and the build is a full one. A cache another
    program holds locked is neither: it is left alone.
    """
    try:
        return BuildCache(output, scope), None
    except (OSError, sqlite3.Error) as exc:
        if not is_corrupt(exc):
            return None, f"cannot be used ({_reason(exc)}); built in full without it"
        aside = set_aside(cache_path(output))
        problem = f"damaged ({exc}); moved it to {aside.name} and built in full"
    try:
        return BuildCache(output, scope), problem
    except (OSError, sqlite3.Error) as exc:
        return None, f"damaged, and cannot be made again ({_reason(exc)}); built in full without it"


def cache_path(output: Path) -> Path:
    output = output.resolve()
    return output.parent / CACHE_FOLDER / f"{output.name}.db"


def is_corrupt(exc: BaseException) -> bool:
    """Whether SQLite found the file damaged or not a database: never a lock held, a full disk or a permission."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its journal, which must not be played into a new one) out of the way."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
    for suffix in ("-journal", "-wal", "-shm", ""):
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return aside


def _reason(exc: BaseException) -> str:
    return (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)


def _connect(path: Path | str) -> sqlite3.Connection:
    db = _open(path)
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _open(path: Path | str) -> sqlite3.Connection:
    """The database, with this version's tables: one written with other tables is emptied of them."""
    db = sqlite3.connect(path, isolation_level="DEFERRED")
    if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            db.execute(f'DROP TABLE "{name}"')
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    db.executescript(_SCHEMA)
    db.commit()
    return db
