"""``newsgen export``: the archive as data for other tools, as JSON Lines or an SQLite database with full-text search.

The same stages as a build decide what is exported (drafts, copies and non-articles are left out), so an
export holds exactly the articles a built site shows, in the archive's order. Bodies are fetched from the
stages' cache a batch at a time, as the build renders pages: an archive of 100,000 articles never has all
its texts in memory at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from newsgen.archive.collect import absolute_url
from newsgen.config import SiteConfig
from newsgen.errors import NewsgenError
from newsgen.models import Article
from newsgen.pipeline import CheckedContent, check_content

BATCH = 500  # articles whose bodies are in memory at once
STDOUT = Path("-")
SUFFIXES = {".jsonl": "jsonl", ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"}

# The columns of the ``articles`` table, in the order of each JSON record's fields.
COLUMNS = {
    "source_path": "TEXT NOT NULL UNIQUE",
    "url": "TEXT NOT NULL",
    "original_url": "TEXT",
    "title": "TEXT NOT NULL",
    "date": "TEXT",
    "date_from": "TEXT",
    "month_only": "INTEGER NOT NULL",
    "updated": "TEXT",
    "source": "TEXT NOT NULL",
    "source_name": "TEXT NOT NULL",
    "authors": "TEXT NOT NULL",  # a JSON array
    "tags": "TEXT NOT NULL",  # a JSON array
    "language": "TEXT NOT NULL",
    "summary": "TEXT",
    "lead": "TEXT NOT NULL",
    "word_count": "INTEGER NOT NULL",
    "text": "TEXT NOT NULL",
}
# External content: the index keeps no second copy of the texts, yet snippet() and highlight() can show them
# (a contentless index could only give row ids). Its triggers are not needed: the database is written once.
# unicode61 with diacritics removed, not porter: the archive holds many languages, and porter stems English.
FTS_TABLE = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)


@dataclass(frozen=True, slots=True)
class Export:
    """What ``export_archive`` did: the content as the stages saw it, and what was written."""

    checked: CheckedContent
    format: str  # "jsonl" or "sqlite"
    bytes: int
    seconds: float


def export_format(output: Path, given: str | None) -> str:
    """The format asked for, else the one the output's name says."""
    if output == STDOUT and given == "sqlite":
        raise NewsgenError("an SQLite database cannot go to the standard output; name a file, e.g. -o archive.db")
    if given is not None:
        return given
    if output == STDOUT:
        return "jsonl"
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        known = ", ".join(SUFFIXES)
        raise NewsgenError(f"cannot tell the format from the name {output} (not {known}); pass --format jsonl|sqlite")
    return found


def export_archive(
    config: SiteConfig,
    content: Path,
    output: Path,
    given: str | None,
    stdout: BinaryIO,
    jobs: int = 1,
    debug: bool = False,
) -> Export:
    """Export the articles a build of ``content`` would publish to ``output`` (``-``: JSON Lines to ``stdout``).

    A file is written under a temporary name beside ``output`` and renamed over it once complete, so an
    existing export is replaced whole or not at all. Unusable outputs are refused before the content is read.
    """
    started = time.perf_counter()
    kind = export_format(output, given)
    if kind == "sqlite":
        _require_fts5()
    if output == STDOUT:
        checked = check_content(config, content, debug=debug, jobs=jobs)
        written = write_jsonl(records(checked, config.base_url), stdout)
        return Export(checked, kind, written, time.perf_counter() - started)
    if output.is_dir():
        raise NewsgenError(f"cannot export to {output}: it is a folder; name a file, e.g. {output / 'archive.db'}")
    if not output.parent.is_dir():
        raise NewsgenError(f"cannot export to {output}: folder {output.parent} does not exist")
    with _replacing(output) as temporary:
        checked = check_content(config, content, debug=debug, jobs=jobs)
        if kind == "sqlite":
            write_sqlite(records(checked, config.base_url), temporary)
        else:
            with temporary.open("wb") as out:
                write_jsonl(records(checked, config.base_url), out)
        written = temporary.stat().st_size
    return Export(checked, kind, written, time.perf_counter() - started)


def records(checked: CheckedContent, base_url: str) -> Iterator[dict[str, Any]]:
    """Each published article as a record, in the archive's order, its body fetched ``BATCH`` articles at a time."""
    archive = checked.archive
    for start in range(0, len(archive.articles), BATCH):
        whole = checked.bodies(archive.articles[start : start + BATCH])
        paths = archive.paths[start : start + BATCH]
        yield from (article_record(article, path, base_url) for article, path in zip(whole, paths, strict=True))


def article_record(article: Article, path: str, base_url: str) -> dict[str, Any]:
    """One article's record: ``url`` is its page on the site (absolute with a base URL), ``original_url`` where
    it was scraped from; dates are ISO 8601 with their offset, null when unknown."""
    page = path.removesuffix("index.html")
    return {
        "source_path": article.source_path,
        "url": absolute_url(base_url, path) if base_url else "/" + page,
        "original_url": article.url,
        "title": article.title,
        "date": article.published.isoformat() if article.published else None,
        "date_from": article.date_from,
        "month_only": article.month_only,
        "updated": article.updated.isoformat() if article.updated else None,
        "source": article.source,
        "source_name": article.source_name,
        "authors": list(article.authors),
        "tags": list(article.tags),
        "language": article.language,
        "summary": article.summary,
        "lead": article.lead,
        "word_count": article.word_count,
        "text": "\n\n".join(article.paragraphs),
    }


def write_jsonl(rows: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    """One JSON object a line, in UTF-8; returns the bytes written."""
    written = 0
    for row in rows:
        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        out.write(line)
        written += len(line)
    out.flush()
    return written


def write_sqlite(rows: Iterable[dict[str, Any]], path: Path) -> None:
    """The ``articles`` table (lists as JSON text; ``id`` is the archive's order) and its full-text index."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # The file is a temporary one until it is complete: no journal, no syncs until then.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        columns = ",\n  ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        db.execute(f"CREATE TABLE articles (\n  id INTEGER PRIMARY KEY,\n  {columns}\n)")
        insert = f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
        lists = ("authors", "tags")
        db.executemany(insert, ({**r, **{k: json.dumps(r[k], ensure_ascii=False) for k in lists}} for r in rows))
        db.execute(FTS_TABLE)
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")  # one segment: it is only read
        db.execute("COMMIT")
    finally:
        db.close()


def _require_fts5() -> None:
    """Refuse, before any work, an SQLite built without FTS5 (some older or minimal Pythons)."""
    try:
        sqlite3.connect(":memory:").execute(FTS_TABLE.replace("content='articles', ", ""))
    except sqlite3.OperationalError as exc:
        raise NewsgenError(
            f"this Python's SQLite {sqlite3.sqlite_version} has no full-text search (FTS5: {exc}); export "
            "--format jsonl instead, or run newsgen with a Python whose SQLite has FTS5 (python.org's and most "
            "Linux distributions' builds do)"
        ) from None


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A new hidden file beside ``path`` that replaces it when the block ends well, and is removed otherwise."""
    temporary = path.parent / f".{path.name}.newsgen-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        # os.open, not mkstemp: the file gets the mode the umask gives any new file, not 0600
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:  # named as the user named it, not by its temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        yield temporary
        with temporary.open("rb") as done:
            os.fsync(done.fileno())  # on disk before the rename: a crash leaves the old file or the new one
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
