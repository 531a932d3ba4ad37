"""The keys the cache keeps results under: hashes of what a result was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest(*parts: str) -> str:
    """A hash of strings, each one ended, so that no two lists of them hash alike."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()


def code_digest(folder: Path) -> str:
    """A hash of newsgen's own code and data (the line model): a cache written by other code is not read."""
    files = sorted([*folder.rglob("*.py"), *folder.rglob("*.json")])
    return digest(*(f"{f.relative_to(folder)}\0{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files))
