"""Folders as the build looks at them: every file's relative path and directory entry, walked once.

Content, templates and the output are each walked by one function, so that a file the stamp
fingerprints is a file the loader reads, and the entries' stat results are asked once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

CACHE_FOLDER = (
    ".newsgen-cache"  # beside the output: the stamp, the build cache, the lock (only newsgen.incremental writes it)
)


Walked = list[tuple[str, os.DirEntry[str]]]  # (relative POSIX path, entry) of every file under a folder


def scan_tree(root: Path, walked: Walked | None = None) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` (relative POSIX path) with its size and modification time.

    A link counts as what it points to (content may link to files); what cannot be read is left out.
    ``walked``: ``walk_tree(root)``, when the caller has it.
    """
    found: dict[str, tuple[int, int]] = {}
    for path, entry in _walk(root) if walked is None else walked:
        try:
            info = entry.stat()
        except OSError:
            continue
        found[path] = (info.st_size, info.st_mtime_ns)
    return found


def walk_tree(root: Path) -> Walked:
    """Every file under ``root`` (relative POSIX path) with its directory entry, which keeps its stat once asked.

    Links to folders are listed, not walked into. A build walks its content folder once: for the
    stamp's fingerprint, then for the files to read (``loader.scan_content``).
    """
    return list(_walk(root))


def _walk(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
            else:
                yield prefix + entry.name, entry
