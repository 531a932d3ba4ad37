"""The only module that writes the site: staged and swapped in whole, or updated file by file in place."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from types import TracebackType

from newsgen.errors import HOST_ERRNOS, NewsgenError, host_error
from newsgen.folders import walk_tree
from newsgen.models import PageRow
from newsgen.output.outputfolder import (
    MARKER,
    MARKER_HEAD,
    OutputListing,
    check_output,
    recorded,
    safe_relative,
)
from newsgen.parallel import chunked


class SiteWriter:
    """Writes a site so that no moment of the build, or of its interruption, leaves a broken one.

    Files are written into a fresh staging folder beside the output. A first build (or one whose last
    output cannot be trusted) stages the whole site, and ``publish`` swaps it in. A build given
    ``previous`` (what the last build wrote: each file's key, size and modification time) stages only
    what changed: a file whose key and state on disk match is kept, and ``publish`` renames each staged
    file over its old version (atomically, file by file) and removes what the last build wrote and this
    one did not; staged in place, files are numbered at the staging folder's top rather than laid out in
    the site's folders (a few pages spread over the site would cost a folder or more each, made and
    removed again). Files no build wrote (a search index added by hand, say) are left where they are,
    unless ``force``: the marker file lists what newsgen wrote, for when the cache is gone.
    Killed while publishing, the output holds whole files of both builds, and the next build, checking
    every file against the cache, puts it right. Used as a context manager: on any error before
    ``publish`` the staging folder is removed and the output is untouched.
    """

    def __init__(
        self,
        output: Path,
        keep: Iterable[Path] = (),
        previous: Mapping[str, PageRow] | None = None,
        listing: OutputListing | None = None,
        force: bool = False,
    ) -> None:
        """``keep``: input folders; publishing replaces the whole output, so it must hold none of them.

        ``listing``: the output's, when the caller started one already (``uptodate.last_build`` does).
        ``force``: the output becomes exactly what this build writes; other files there are deleted.
        """
        self.output = check_output(output, keep)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.output)
        self.in_place = bool(previous) and self.output.is_dir() and not self.output.is_symlink()
        self.previous: Mapping[str, PageRow] = previous if previous and self.in_place else {}
        self._listing = (listing or OutputListing(self.output)) if self.in_place else None
        if listing is not None and not self.in_place:
            listing.stop()
        if self._listing is not None:
            self._listing.include(self.previous)  # what the cache says the last build wrote, in any case
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.building-", dir=self.output.parent))
        self.rows: dict[str, PageRow] = {}  # what this build's output holds: every file, written or kept
        self.staged: list[str] = []  # files this build wrote (in place: the others are kept)
        self._staged_at: dict[str, str] = {}  # in place: where each staged file is (numbered, not in folders)
        self._folders: set[str] = set()  # staging folders made so far
        self.bytes = 0
        self.force = force
        self.others: dict[str, tuple[int, int]] = {}  # once published: the output's files not in rows, with their state
        self.unrecorded: list[str] = []  # files kept though no record says whether newsgen wrote them
        self._publishing = False

    @property
    def written(self) -> set[str]:
        return set(self.rows)

    def intact(self, path: str) -> bool:
        """Whether ``path`` is on disk as the last build left it."""
        row = self.previous.get(path)
        if row is None:
            return False
        assert self._listing is not None  # there is a row: the build is in place
        return self._listing.state().get(path) == (row.size, row.mtime_ns)

    def unchanged(self, key: str, *paths: str) -> bool:
        """Keep ``paths`` as the last build left them, if they were made from ``key`` and are untouched since."""
        rows = [self.previous.get(path) for path in paths]
        for path, row in zip(paths, rows, strict=True):
            if row is None or row.key != key or not self.intact(path):
                return False
        for path, row in zip(paths, rows, strict=True):
            self._claim(path, row)
        return True

    def keep(self, paths: Iterable[str]) -> list[str]:
        """Keep ``paths`` as the last build left them, with their keys, where untouched since; returns the others.

        For pages whose inputs the caller knows did not change (see ``newsgen.incremental.dependencies``).
        """
        lost: list[str] = []
        for path in paths:
            if self.intact(path):
                self._claim(path, self.previous[path])
            else:
                lost.append(path)
        return lost

    def write(self, path: str, content: str | bytes, key: str | None = None) -> None:
        """Write one file (kept instead when unchanged); ``key``: what it is made from, else its bytes' hash."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        key = key or hashlib.blake2b(data, digest_size=16).hexdigest()
        if self.unchanged(key, path):
            return
        path = safe_relative(path)
        self._claim(path, None)
        with open(self._stage(path), "wb") as file:
            file.write(data)
        self.rows[path] = PageRow(key, len(data), 0)  # its time once published
        self.bytes += len(data)

    def reserve(self, path: str, key: str) -> str:
        """Where to write ``path`` in the staging folder, for a worker process to write it there (then ``wrote``).

        Pages are written by the processes that render them: sending each page's HTML back to this
        process, to write it from here, made this process the build's bottleneck.
        """
        path = safe_relative(path)
        self._claim(path, None)
        self.rows[path] = PageRow(key, 0, 0)
        return self._stage(path, made=False)

    @staticmethod
    def write_reserved(target: str, data: bytes) -> float:
        """Write a reserved file (in the worker that rendered it); returns the CPU seconds writing took."""
        started = time.process_time()
        os.makedirs(os.path.dirname(target), exist_ok=True)  # in place, the staging folder itself (``_stage``)
        with open(target, "wb") as file:
            file.write(data)
        return time.process_time() - started

    def wrote(self, path: str, size: int) -> None:
        """A reserved file is written: ``size`` bytes."""
        self.rows[path] = self.rows[path]._replace(size=size)
        self.bytes += size

    def staged_file(self, path: str) -> str:
        """Where a file this build wrote is until ``publish``."""
        return self._staged_at.get(path) or f"{self.staging}/{path}"

    def _stage(self, path: str, made: bool = True) -> str:
        """Where to write ``path`` before publishing: a numbered file in place, else its path in the staging
        folder (whose folders are made here when ``made``, else by whoever writes it)."""
        self.staged.append(path)
        if not self.in_place:
            if made:
                self._make_folder(path.rpartition("/")[0])
            return f"{self.staging}/{path}"
        self._staged_at[path] = f"{self.staging}/{len(self.staged)}"
        return self._staged_at[path]

    def _make_folder(self, folder: str) -> None:
        """Make a staging folder and its parents: those not made yet, which the fresh staging folder lacks.

        A site has nearly a folder per page; asking the disk whether each exists costs a system call each.
        """
        if folder and folder not in self._folders:
            self._make_folder(folder.rpartition("/")[0])
            with contextlib.suppress(FileExistsError):  # a worker may have made it for a page
                os.mkdir(f"{self.staging}/{folder}")
            self._folders.add(folder)

    def _claim(self, path: str, row: PageRow | None) -> None:
        """Two writes to one path are a bug upstream, never a silent overwrite."""
        if path in self.rows:
            raise NewsgenError(
                f"two pages want the same output file {path}; this is a bug in newsgen, please report it"
            )
        if row is not None:
            self.rows[path] = row
            self.bytes += row.size

    def copy(self, path: str, source: Path) -> None:
        self.write(path, source.read_bytes())

    def copy_file(self, path: str, source: str, key: str) -> None:
        """Copy a file (a photo, a PDF, a video) to ``path``: streamed, never whole in memory; kept as the last
        build left it while ``key`` (what says the source is unchanged: its size and time) is the same."""
        if self.unchanged(key, path):
            return
        path = safe_relative(path)
        self._claim(path, None)
        target = self._stage(path)
        try:
            shutil.copyfile(source, target)
        except BaseException:
            Path(target).unlink(missing_ok=True)  # a half copy is never published
            raise
        size = os.stat(target).st_size
        self.rows[path] = PageRow(key, size, 0)  # its time once published
        self.bytes += size

    def publish(self) -> None:
        """Make the output what this build wrote: swap the staged site in, or remove what is left over."""
        # In place, killed before the end, the marker must list the last build's files as well as this one's.
        # An edit's rebuild writes the files the last build did, which the marker lists already.
        same = self.in_place and self.rows.keys() == self.previous.keys() and (self.output / MARKER).is_file()
        if not same:
            self._write_marker({*self.rows, *self.previous})
        self._publishing = True
        if self.in_place:
            for path in self.staged:  # whole or not at all: a reader, or a killed build, never sees half a page
                staged, target = self._staged_at[path], f"{self.output}/{path}"
                try:  # its folder is there but for new pages: asking first would cost a system call a page
                    os.replace(staged, target)
                except FileNotFoundError:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    os.replace(staged, target)
            assert self._listing is not None
            listed = self._listing.state()
            for path in sorted(set(listed) - set(self.rows) - {MARKER}, reverse=True):
                if self.force or path in self.previous:  # what the last build wrote; never a file put here by hand
                    (self.output / path).unlink(missing_ok=True)
                    _remove_empty_parents(self.output, PurePosixPath(path).parent)
                else:
                    self.others[path] = listed[path]
            if not same:
                self._write_marker(set(self.rows))
            shutil.rmtree(self.staging, ignore_errors=True)
        else:
            self._swap()
        for path in self.staged:  # what the cache will check the next build's output against
            info = os.stat(f"{self.output}/{path}")
            self.rows[path] = self.rows[path]._replace(mtime_ns=info.st_mtime_ns)
        info = os.stat(self.output / MARKER)
        self.others[MARKER] = (info.st_size, info.st_mtime_ns)

    def _write_marker(self, paths: set[str]) -> None:
        """The marker, listing ``paths``, the files newsgen wrote: what the next build may replace or remove."""
        target = self.output / MARKER
        with open(f"{self.staging}/{MARKER}", "wb") as file:
            file.write(MARKER_HEAD.encode("utf-8"))
            for part in chunked(sorted(paths), 4096):  # a part at a time: whole, a large site's is tens of MB twice
                file.write("".join(f"{path}\n" for path in part).encode("utf-8", "surrogateescape"))
        if self.in_place:  # whole, as a page
            os.replace(f"{self.staging}/{MARKER}", target)

    def _swap(self) -> None:
        os.chmod(self.staging, 0o755)
        previous: Path | None = None
        if self.output.exists() or self.output.is_symlink():
            if not self.output.is_dir() or self.output.is_symlink():
                raise NewsgenError(f"{self.output} exists and is not a folder; move it away or choose another --output")
            if not self.force:
                self._carry_over()
            previous = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-", dir=self.output.parent))
            os.rmdir(previous)
            os.rename(self.output, previous)
        try:
            os.rename(self.staging, self.output)
        except OSError:
            if previous is not None:
                os.rename(previous, self.output)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)

    def _carry_over(self) -> None:
        """Link into the staged site the old output's files that no newsgen build wrote, so the swap keeps them.

        Linked, not moved: killed at any moment, the old output still has them (and ``_recover`` puts it back).
        """
        written = recorded(self.output)
        for path, entry in walk_tree(self.output):
            if path == MARKER or path in self.rows or (written is not None and path in written):
                continue
            target = f"{self.staging}/{path}"
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except OSError:  # a file system without hard links
                shutil.copy2(entry.path, target, follow_symlinks=False)
            info = os.lstat(target)
            self.others[path] = (info.st_size, info.st_mtime_ns)
            if written is None:
                self.unrecorded.append(path)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._listing is not None:
            self._listing.stop()

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.staging.exists():
            self.discard()
        if isinstance(exc, OSError) and exc.errno in HOST_ERRNOS:  # a full disk...: say what became of the site
            outcome = "the previous site is intact"
            if self._publishing and self.in_place:
                outcome = "the output holds whole pages of this build and the last; the next build puts it right"
            raise host_error(exc, outcome) from exc


def _recover(output: Path) -> None:
    """Clear up after a build killed before it finished: its staging folder, or a swap cut in half.

    ``publish`` renames the old site aside and the new one in; killed between the two, the output is
    missing and the old site is whole beside it, so it goes back.
    """
    leftovers = sorted(output.parent.glob(f".{glob.escape(output.name)}.building-*"))
    old = sorted(output.parent.glob(f".{glob.escape(output.name)}.old-*"), key=lambda p: p.stat().st_mtime_ns)
    if old and not output.exists() and not output.is_symlink():
        os.rename(old.pop(), output)
    for folder in leftovers + old:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_empty_parents(root: Path, folder: PurePosixPath) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder.parts:
        try:
            os.rmdir(root.joinpath(*folder.parts))
        except OSError:  # not empty (or gone): its parents are not empty either
            return
        folder = folder.parent
