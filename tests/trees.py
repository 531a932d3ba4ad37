"""A built site as {POSIX path: bytes}, to compare two builds byte for byte."""

from __future__ import annotations

from pathlib import Path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes; Pagefind's index is left out.

    Pagefind names its filter files after hashes of an unordered map, so that folder is not byte-stable.
    """
    files = sorted(p for p in root.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(root).parts[:1])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}
