"""``newsgen clean``: remove a built site and its build cache, and nothing that newsgen did not make.

A folder is taken as newsgen's output only when it holds the list of files its builds wrote
(``MARKER``) or the build cache beside it knows it (``.newsgen-cache/`` holds a stamp or a database
named after it), so a mistyped ``--output`` that names some other folder is refused, not emptied.
Where the list is there, only the files it names go: a file added to the output by hand stays, and
is named. The checks a build makes before replacing its output (not the root, not home,
not a folder that holds the current folder, the content, the settings or the templates) apply too.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsgen.errors import NewsgenError, UnsafePathError
from newsgen.folders import CACHE_FOLDER
from newsgen.output.outputfolder import MARKER, check_output, recorded, safe_relative

# What builds into ``<output>`` keep in the cache folder beside it: the stamp, the database (and
# SQLite's companions), the compiled templates. Exact names: ``_site.x.db`` belongs to ``_site.x``. The build
# lock stays (as Hugo's .hugo_build.lock does): a build waiting on it must find the same file when its turn comes.
_CACHE_SUFFIXES = (".stamp", ".db", ".db-wal", ".db-shm", ".db-journal", ".templates")


@dataclass(frozen=True, slots=True)
class Cleaning:
    """What ``newsgen clean`` removes: the output folder (if there), its cache files, leftover build folders."""

    output: Path | None  # None: there is no output folder
    files: int  # files in the output folder that newsgen wrote (all of them without a MARKER)
    cache: tuple[Path, ...]
    leftovers: tuple[Path, ...]  # staging folders of builds killed before they finished
    kept: tuple[str, ...] = ()  # files in the output folder that newsgen did not write: they stay
    written: tuple[str, ...] | None = None  # what MARKER lists (and MARKER): what goes; None: the whole folder

    @property
    def paths(self) -> tuple[Path, ...]:
        return (*((self.output,) if self.output else ()), *self.cache, *self.leftovers)


def plan_cleaning(output: Path, keep: Iterable[Path]) -> Cleaning:
    """What cleaning ``output`` would remove; refuses (``NewsgenError``) what is not newsgen's output.

    ``keep``: the site's inputs (content, settings, templates), which must not be inside ``output``.
    """
    resolved = output.resolve()
    for folder, name in ((Path.cwd(), "the current folder"), *((p, str(p)) for p in keep)):
        if folder.resolve().is_relative_to(resolved):
            raise NewsgenError(f"refusing to clean {output}: it holds {name}, which is not newsgen's to remove")
    check_output(output)  # the root, home
    cache_folder = resolved.parent / CACHE_FOLDER
    cache = tuple(p for s in _CACHE_SUFFIXES if (p := cache_folder / f"{resolved.name}{s}").exists())
    pattern = glob.escape(str(resolved.parent / f".{resolved.name}"))
    leftovers = tuple(sorted(Path(p) for kind in (".building-*", ".old-*") for p in glob.glob(pattern + kind)))
    there = resolved.is_dir() and not resolved.is_symlink()
    if resolved.exists() and not there:
        raise NewsgenError(f"refusing to clean {output}: it is not a folder; remove it by hand if it should go")
    written = _listed(resolved) if there else None
    known = written is not None or any(p.name.endswith((".stamp", ".db")) for p in cache)
    if there and not known:
        raise NewsgenError(
            f"refusing to clean {output}: it does not look like newsgen's output (no {MARKER} in it, and no build "
            f"of it is recorded in {cache_folder}); check --output, or remove it by hand if you are sure"
        )
    if not there:
        return Cleaning(None, 0, cache, leftovers)
    found = [Path(top, name).relative_to(resolved).as_posix() for top, _, names in os.walk(resolved) for name in names]
    if written is None:
        return Cleaning(resolved, len(found), cache, leftovers)
    kept = tuple(sorted(path for path in found if path not in written))
    return Cleaning(resolved, len(found) - len(kept), cache, leftovers, kept, tuple(sorted(written)))


def _listed(output: Path) -> set[str] | None:
    """The files ``MARKER`` in ``output`` names, and itself; None without one. Unsafe names were never written."""
    names = recorded(output)
    if names is None:
        return None
    listed = {MARKER}
    for line in names:
        with contextlib.suppress(UnsafePathError):
            listed.add(safe_relative(line))
    return listed


def remove(cleaning: Cleaning) -> None:
    """Remove what ``plan_cleaning`` found, and the cache folder too once it holds nothing else."""
    if cleaning.output is not None and cleaning.kept:  # the files newsgen wrote, then the folders they leave empty
        for name in cleaning.written or ():
            (cleaning.output / name).unlink(missing_ok=True)
        for top, _, _ in sorted(os.walk(cleaning.output), reverse=True):
            with contextlib.suppress(OSError):
                os.rmdir(top)
    for path in cleaning.paths:
        if cleaning.kept and path == cleaning.output:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    folders = {p.parent for p in cleaning.cache}
    for folder in folders:
        with contextlib.suppress(OSError):  # only when empty: the caches of other outputs stay
            folder.rmdir()
