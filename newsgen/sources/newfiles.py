"""New content files (from ``newsgen new``, ``init`` and the imports): made whole or not at all, never
overwriting a file that is there."""

from __future__ import annotations

import errno
import os
import re
import secrets
from pathlib import Path

MAX_NAME_BYTES = 240
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}  # FAT, some network shares
SURROGATES = re.compile(r"[\ud800-\udfff]")


def cut_utf8(text: str, max_bytes: int) -> str:
    """At most ``max_bytes`` of UTF-8, cut at a character boundary: file systems count a name's bytes."""
    return text.encode("utf-8")[: max(max_bytes, 0)].decode("utf-8", "ignore")


def create_file(path: Path, data: bytes) -> None:
    """Make ``path`` holding ``data``, whole or not at all; FileExistsError if it exists (never overwritten).

    The data goes to a hidden temporary file first (builds and ``serve`` skip hidden files), then is linked
    into place: a failed write leaves no empty or partial file behind to block the next try.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".newsgen-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    # os.open, not mkstemp: the file gets the mode the umask gives any new file, not 0600
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            os.link(temporary, path)  # fails if the name is taken, unlike a rename
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
