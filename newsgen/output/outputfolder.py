"""The output folder as it is: whether a build may replace it, what the last build recorded writing there,
and its listing (``find``, in another process while the build reads its content)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO

from newsgen.errors import NewsgenError, UnsafePathError
from newsgen.folders import CACHE_FOLDER, scan_tree

_BAD_PART = re.compile(r"^\.\.?$|[\x00-\x1f\\]")
MARKER = ".newsgen-files"  # in the output: says newsgen built the folder, and lists the files it wrote
MARKER_HEAD = (
    "# Built by newsgen. A build replaces or removes the files listed here, and leaves any other file alone.\n"
)


def safe_relative(path: str) -> str:
    """``path`` as a normalised relative POSIX path that cannot leave the folder it is joined to."""
    parts = path.split("/")
    normal = all(parts) and "." not in parts
    if not normal:  # "a//b", "a/./b", "a/": normalised as pathlib does
        parts = list(PurePosixPath(path).parts)
    if not parts or path.startswith("/") or any(_BAD_PART.search(part) for part in parts) or ":" in parts[0]:
        raise UnsafePathError(f"refusing to write {path!r}: page paths must stay inside the output folder")
    return path if normal else "/".join(parts)  # the same string where it can: 100,000s are kept


def check_output(output: Path, keep: Iterable[Path] = ()) -> Path:
    """``output`` resolved, if a build may replace it: not the root, home, or a folder holding ``keep``."""
    resolved = output.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home():
        raise NewsgenError(f"refusing to use {resolved} as the output folder; choose a dedicated folder")
    for folder in (Path.cwd(), *keep):
        if folder.resolve().is_relative_to(resolved):
            raise NewsgenError(
                f"refusing to build into {output}: it holds {folder}, which a build must leave alone; "
                "choose another --output"
            )
    return resolved


def check_output_folder(
    output: Path, content: Path, templates: Path | None = None, config: Path | None = None, force: bool = False
) -> Path:
    """``output`` resolved, if a build may write there; else a NewsgenError saying why and what to do.

    The folder is newsgen's when a build made it (it holds the marker, or, from older versions, has a
    cache or stamp beside it), or when it is empty or missing: a build never mixes its pages with, or
    deletes, files it did not write unless ``force`` takes the folder over. It may neither hold nor lie
    inside the content or templates folder, hold the settings file, or be a link into a missing folder.
    """
    try:
        resolved = check_output(output, [f for f in (content, templates, config) if f is not None])
    except RuntimeError as exc:  # a loop of links
        raise NewsgenError(f"cannot use {output} as the output folder: {exc}") from None
    for folder in (content, templates):
        if folder is not None and resolved.is_relative_to(folder.resolve()):
            raise NewsgenError(
                f"refusing to build into {output}: it is inside {folder}, which the build reads; "
                "choose an --output outside it"
            )
    if output.is_symlink() and not resolved.parent.is_dir():
        raise NewsgenError(
            f"refusing to build into {output}: it is a link to {resolved}, and {resolved.parent} does not exist; "
            "create that folder or remove the link"
        )
    if resolved.exists() and not resolved.is_dir():
        raise NewsgenError(f"{output} exists and is not a folder; move it away or choose another --output")
    if not force and not _is_newsgen_output(resolved):
        entries = sorted(e.name + "/" * e.is_dir() for e in os.scandir(resolved))
        shown = ", ".join(entries[:4]) + (f" and {len(entries) - 4} more" if len(entries) > 4 else "")
        raise NewsgenError(
            f"refusing to build into {output}: it holds files newsgen did not write ({shown}); "
            "choose a new or empty folder, or pass --force to take this one over "
            "(files the build does not write are then deleted)"
        )
    return resolved


def _is_newsgen_output(folder: Path) -> bool:
    """Missing, empty, or built by newsgen: it holds the marker, or (built before there was one) has a cache."""
    if not folder.is_dir() or (folder / MARKER).is_file():
        return True
    cache = folder.parent / CACHE_FOLDER / folder.name
    if any(cache.with_name(cache.name + suffix).is_file() for suffix in (".db", ".stamp")):
        return True
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def recorded(output: Path) -> set[str] | None:
    """The files the marker in ``output`` says the last build wrote; None without a marker."""
    try:
        text = (output / MARKER).read_text("utf-8", "surrogateescape")
    except OSError:
        return None
    return {line for line in text.split("\n") if line and not line.startswith("#")}


class OutputListing:
    """Every file under a folder, with its size and modification time: listed by GNU ``find`` in another
    process while the build goes on (or while the stamp's fingerprint of the inputs is taken), or, when
    the last build said what it left there (``known``), those files looked at one by one.

    A rebuild in place checks that each page it keeps is as the last build left it, and removes what
    it did not write, so it must look at the whole output. Listing it means opening a folder per page,
    as many system calls again as the files' own: with ``known``, each file is looked at by its path
    and no folder is listed, at a third of ``find``'s CPU time. What is looked at then is what the last
    build wrote or kept; a file added by hand since is not seen, and needs not be: a build keeps it. Where
    ``find`` is missing or is not GNU's, the folder is walked and statted here instead.
    """

    def __init__(self, root: Path, known: Iterable[str] | None = None) -> None:
        self.root = root
        self._state: dict[str, tuple[int, int]] | None = None
        self._known = None if known is None else set(known)
        self._find: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None
        if known is not None:
            return
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 (closed once read); not a pipe: find would block when full
        with contextlib.suppress(OSError):
            self._find = subprocess.Popen(
                ["find", str(root), "!", "-type", "d", "-printf", "%P\\0%s\\0%T@\\0"],
                stdout=self._out,
                stderr=subprocess.DEVNULL,
            )

    def include(self, paths: Iterable[str]) -> None:
        """Look at ``paths`` too, when the listing looks only at the files it was told of."""
        if self._known is None:
            return
        extra = [path for path in paths if path not in self._known]
        self._known.update(extra)
        if self._state is not None:
            self._state.update(_looked_at(self.root, extra))

    def state(self) -> dict[str, tuple[int, int]]:
        """Every file (or link) under the folder by relative POSIX path: its size and modification time (ns)."""
        if self._state is None and self._known is not None:
            self._state = _looked_at(self.root, self._known)
        if self._state is None:
            self._state = self._listed() if self._find is not None and self._find.wait() == 0 else None
            if self._state is None:
                self.stop()
                self._state = scan_tree(self.root)
        return self._state

    def _listed(self) -> dict[str, tuple[int, int]] | None:
        assert self._out is not None  # find was started
        self._out.seek(0)
        fields = os.fsdecode(self._out.read()).split("\0")  # path, size, seconds.fraction; and "" at the end
        self._out.close()
        state: dict[str, tuple[int, int]] = {}
        try:
            for path, size, mtime in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
                seconds, _, fraction = mtime.partition(".")
                state[path] = (int(size), int(seconds) * 1_000_000_000 + int(fraction[:9].ljust(9, "0")))
        except ValueError:  # not what GNU find prints
            return None
        return state

    def stop(self) -> None:
        if self._find is not None and self._find.poll() is None:
            self._find.kill()
            self._find.wait()
        if self._out is not None:
            self._out.close()


def _looked_at(root: Path, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """The size and modification time of each of ``paths`` under ``root`` that is a file (or link), as
    ``find`` would list it: a link as itself."""
    state: dict[str, tuple[int, int]] = {}
    top = f"{root}/"
    for path in paths:
        try:
            info = os.lstat(top + path)
        except OSError:  # deleted, or a folder on the way is gone or no longer a folder
            continue
        if not stat.S_ISDIR(info.st_mode):
            state[path] = (info.st_size, info.st_mtime_ns)
    return state
