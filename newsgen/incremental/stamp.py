"""The build stamp: what the last good build was made from, so an unchanged site is not built again.

A build reads the content files, the templates, the settings and newsgen itself. The stamp keeps a
fingerprint of all of them (paths, sizes and modification times: reading 10,000 files' bytes would
cost what it saves), the size and modification time of each file of the output as that build left
it, and what the build reported (without the articles themselves). When the fingerprint and the
output's files still match, the output is exactly what a new build would write, and the report says
what it said then. Anything else builds in full.

The stamp lives in ``.newsgen-cache/`` beside the output folder; deleting it only costs one build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.folders import CACHE_FOLDER, Walked, scan_tree

try:
    import fcntl
except ImportError:  # Windows: builds are not locked
    fcntl = None  # type: ignore[assignment]

_FORMAT = 1  # bump when the stamp's layout changes
TICK_NS = 50_000_000  # wider than any file system's timestamp step that newsgen's users will meet


@dataclass(frozen=True, slots=True)
class Stamp:
    """A fingerprint of a build's inputs, the output's files as it left them, and what it reported."""

    inputs: str
    files: dict[str, tuple[int, int]]  # the output's files by relative path: size and modification time (ns)
    report: Any  # a BuildReport without its articles (BuildReport.replayable)
    taken_ns: int = 0  # when the inputs were fingerprinted


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A hash of a build's inputs, and the newest modification time among them."""

    digest: str
    newest_ns: int

    def matches(self, stamp: Stamp) -> bool:
        """Same inputs as the stamp's, none of them saved within a clock tick of its fingerprint.

        A file saved twice within one tick of the file system's clock, at the same size, looks unchanged
        by its metadata (git calls such entries "racily clean"): such a stamp is not trusted.
        """
        return self.digest == stamp.inputs and self.newest_ns < stamp.taken_ns - TICK_NS


def inputs_fingerprint(
    settings: Iterable[str], folders: Iterable[Path | None], walked: Mapping[Path, Walked] | None = None
) -> Fingerprint:
    """A hash of ``settings`` and of every file's path, size and modification time under ``folders``.

    ``walked``: ``walk_tree`` of some of the folders, when the caller has it.
    """
    digest = hashlib.sha256(f"format {_FORMAT}".encode())
    for part in settings:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    newest = 0
    for folder in folders:
        digest.update(b"folder\0" + str(folder).encode("utf-8", "surrogateescape") + b"\0")
        if folder is not None:
            newest = max(newest, _add_tree(digest, folder, (walked or {}).get(folder)))
    return Fingerprint(digest.hexdigest(), newest)


def load_stamp(output: Path) -> Stamp | None:
    """The stamp of the last good build into ``output``, or None (none yet, unreadable, another version)."""
    try:
        with _stamp_path(output).open("rb") as handle:
            stamp = pickle.load(handle)
    except Exception:  # a stamp from another version, or half-written by a killed build: just build
        return None
    if not isinstance(stamp, Stamp) or not all(hasattr(stamp, f.name) for f in dataclasses.fields(Stamp)):
        return None  # written by another newsgen, whose records had other fields
    return stamp if isinstance(stamp.files, dict) else None  # one that kept a hash of the output instead


def save_stamp(output: Path, stamp: Stamp) -> None:
    """Write the stamp atomically; a cache that cannot be written costs speed, never the build."""
    path = _stamp_path(output)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump(stamp, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)


_log = logging.getLogger(__name__)


def say_waiting(output: Path, pid: int | None) -> None:
    """What a build (or ``clean``) that waits for the lock prints: whose turn it waits for."""
    holder = "another build" if pid is None else f"another build (pid {pid})"
    _log.warning("waiting for %s of %s/ to finish...", holder, output)


def lock_file(output: Path) -> Path:
    """Where builds into ``output`` take their turns (``build_lock``)."""
    return _cache_file(output, ".lock")


@contextlib.contextmanager
def build_lock(output: Path, waiting: Callable[[int | None], None]) -> Iterator[bool]:
    """Hold the lock on builds into ``output``, one at a time; yields whether another build held it first.

    A second build calls ``waiting`` with the holder's pid (None if unknown) and waits for it. The lock
    is an ``flock`` on ``.newsgen-cache/<output>.lock``, which the system releases when its holder ends,
    however it ends: a killed build leaves no stale lock. Where the lock file cannot be made (a read-only
    cache, a system without ``flock``) the build goes on unlocked: it cannot write the cache either.
    """
    path = lock_file(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            fd = -1
    if fd < 0 or fcntl is None:
        yield False
        return
    try:
        waited = False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            waiting(int(holder) if holder.isdigit() else None)
            waited = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):  # who holds it, for the builds that wait
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield waited
    finally:
        os.close(fd)


def forget_stamp(output: Path) -> None:
    """Remove the stamp before the output changes, so a build killed half-way is never taken as done."""
    with contextlib.suppress(OSError):
        _stamp_path(output).unlink()


def _stamp_path(output: Path) -> Path:
    return _cache_file(output, ".stamp")


def _cache_file(output: Path, suffix: str) -> Path:
    output = output.resolve()
    return output.parent / CACHE_FOLDER / f"{output.name}{suffix}"


def _add_tree(digest: Any, root: Path, walked: Walked | None) -> int:
    """Add every file's path, size and mtime under ``root``; returns the newest mtime seen."""
    files = scan_tree(root, walked)
    _add_files(digest, files)
    return max((mtime for _, mtime in files.values()), default=0)


def _add_files(digest: Any, files: Mapping[str, tuple[int, int]]) -> None:
    for path in sorted(files):
        size, mtime = files[path]
        digest.update(f"{path}\0{size}\0{mtime}\0".encode("utf-8", "surrogateescape"))
