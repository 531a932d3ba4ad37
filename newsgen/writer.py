"""The only module that writes the site: into a fresh folder beside the output, swapped in at the end."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType

from newsgen.errors import NewsgenError, UnsafePathError

_BAD_PART = re.compile(r"^\.\.?$|[\x00-\x1f\\]")


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative POSIX path that cannot leave the folder it is joined to."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or any(_BAD_PART.search(part) for part in pure.parts) or ":" in pure.parts[0]:
        raise UnsafePathError(f"refusing to write {path!r}: page paths must stay inside the output folder")
    return pure


class SiteWriter:
    """Collects pages in a staging folder; ``publish`` swaps it in, leaving the old site whole until then.

    Used as a context manager: on any error the staging folder is removed and the output is untouched.
    """

    def __init__(self, output: Path, keep: Iterable[Path] = ()) -> None:
        """``keep``: input folders; publishing replaces the whole output, so it must hold none of them."""
        self.output = output.resolve()
        if self.output == Path(self.output.anchor) or self.output == Path.home():
            raise NewsgenError(f"refusing to use {self.output} as the output folder; choose a dedicated folder")
        for folder in (Path.cwd(), *keep):
            if folder.resolve().is_relative_to(self.output):
                raise NewsgenError(
                    f"refusing to build into {output}: publishing replaces that whole folder and it holds "
                    f"{folder}; choose another --output"
                )
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.building-", dir=self.output.parent))
        self.written: set[str] = set()
        self.bytes = 0

    def write(self, path: str, content: str | bytes) -> None:
        """Stage one file; two writes to one path are a bug upstream, never a silent overwrite."""
        relative = safe_relative(path)
        key = relative.as_posix()
        if key in self.written:
            raise NewsgenError(f"two pages want the same output file {key}; this is a bug in newsgen, please report it")
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.staging.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.add(key)
        self.bytes += len(data)

    def copy(self, path: str, source: Path) -> None:
        self.write(path, source.read_bytes())

    def publish(self) -> None:
        """Swap the staged site in; an existing output is kept until the new one is in place."""
        os.chmod(self.staging, 0o755)
        previous: Path | None = None
        if self.output.exists() or self.output.is_symlink():
            if not self.output.is_dir() or self.output.is_symlink():
                raise NewsgenError(f"{self.output} exists and is not a folder; move it away or choose another --output")
            previous = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-", dir=self.output.parent))
            os.rmdir(previous)
            os.rename(self.output, previous)
        os.rename(self.staging, self.output)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.staging.exists():
            self.discard()
