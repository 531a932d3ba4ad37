"""One build's use of the cache folder: its turn (the lock), the cache opened or made again, the stamp saved."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from newsgen.errors import HostError
from newsgen.folders import CACHE_FOLDER
from newsgen.incremental.keys import code_digest, digest
from newsgen.incremental.stamp import Stamp, build_lock, forget_stamp, save_stamp, say_waiting
from newsgen.incremental.store import BuildCache, is_corrupt, open_cache, set_aside
from newsgen.incremental.uptodate import CODE, LastBuild
from newsgen.models import Diagnostic
from newsgen.report import BuildReport

# SQLite's codes for a cache the machine would not let the build write: full, I/O, read-only, busy...
_HOST_CODES = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN}
_HOST_CODES |= {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_PERM}

# a build, and the output's files as it left them (relative path: size, modification time)
Build = Callable[[BuildCache, LastBuild], tuple[BuildReport, dict[str, tuple[int, int]]]]


def cached_build(output_dir: Path, last: LastBuild, look: Callable[[], LastBuild], build: Build) -> BuildReport:
    """Run ``build`` with the cache of the last builds into ``output_dir``, one build at a time, and stamp it.

    ``last``: what ``look`` said of the inputs before the lock was taken; a build that waited for another
    looks again (the other changed the output and the cache). A damaged cache is set aside and the build
    run again in full; one the machine will not let the build write ends it with a ``HostError`` (the
    writer left the site as it was).
    """
    started = time.perf_counter()
    with build_lock(output_dir, functools.partial(say_waiting, output_dir)) as waited:
        if waited:
            last = _again(last, look)
            if last.report is not None:
                return last.report
        scope = digest(*last.settings, code_digest(CODE))
        where = str(output_dir.parent / CACHE_FOLDER / f"{output_dir.name}.db")
        cache, problem = _opened(output_dir, scope)
        notes = [] if problem is None else [Diagnostic(where, problem, kind="cache")]
        try:
            try:
                built, files = build(cache, last)
            except sqlite3.DatabaseError as exc:
                if cache.path is None or not is_corrupt(exc):
                    raise
                cache.close()  # damaged past what opening it reads: set it aside and build in full
                aside = set_aside(cache.path)
                notes.append(
                    Diagnostic(where, f"damaged ({exc}); moved it to {aside.name} and built in full", kind="cache")
                )
                last = _again(last, look)
                cache, _ = _opened(output_dir, scope)
                built, files = build(cache, last)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _HOST_CODES:
                raise
            raise HostError(f"cannot write the build cache {where}: {exc}; the previous site is intact") from exc
        finally:
            cache.close()
        built = dataclasses.replace(built, seconds=time.perf_counter() - started)
        save_stamp(output_dir, Stamp(last.fingerprint.digest, files, built.replayable(), last.taken_ns))
    # Said once, by this build: not kept in the stamp for a build that finds nothing changed to say again.
    return dataclasses.replace(built, site_warnings=(*built.site_warnings, *notes))


def before_writing(output_dir: Path) -> None:
    """The output is about to change: a build killed from now on must not look done."""
    forget_stamp(output_dir)


def _again(last: LastBuild, look: Callable[[], LastBuild]) -> LastBuild:
    if last.output is not None:
        last.output.stop()
    return look()


def _opened(output_dir: Path, scope: str) -> tuple[BuildCache, str | None]:
    """The cache, or a temporary one (deleted when closed) where the cache folder cannot be used."""
    cache, problem = open_cache(output_dir, scope)
    return (cache if cache is not None else BuildCache(None, scope)), problem
