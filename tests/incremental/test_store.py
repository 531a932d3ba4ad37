"""The build cache under faults: damaged, read-only or locked, it costs a full build and a warning, not the build."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from trees import tree

from newsgen.cli import main
from newsgen.incremental.store import BuildCache, open_cache
from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
WORDS = "harbour ferry council budget pier storm fuel timetable crews dredging trawlers channel tide museum".split()
FILES = {
    f"gazette/story-{n}.txt": f"Story number {n} of the harbour\n{n} Sep, 2016 14:01\n\n"
    + " ".join(WORDS[(n * k) % len(WORDS)] + str(k * n) for k in range(60))
    + "\n"
    for n in range(1, 9)
}


def edit_and_build(tmp_path: Path, build: Build) -> BuildReport:
    """Edit one article and build: with a working cache, only the pages that show it are written."""
    story = tmp_path / "content/gazette/story-3.txt"
    story.write_text(story.read_text() + "An edit.\n")
    return build()


def cache_folder(tmp_path: Path) -> Path:
    return tmp_path / ".newsgen-cache"


@pytest.fixture
def built_by_cli(make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site built once by ``newsgen build``, in tmp_path as the working folder."""
    make_content(FILES)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--quiet"]) == 0


@pytest.mark.parametrize("damage", ["not-a-database", "damaged-pages"])
def test_a_damaged_cache_is_set_aside_once_and_made_again(
    make_content: MakeContent, build: Build, tmp_path: Path, damage: str
) -> None:
    make_content(FILES)
    full = build()
    db = cache_folder(tmp_path) / "_site.db"
    data = db.read_bytes()
    # Not a database at all; or its header whole and every page after the first overwritten (a bad disk).
    db.write_bytes(b"garbage " * 2000 if damage == "not-a-database" else data[:4096] + b"\xff" * (len(data) - 4096))
    (cache_folder(tmp_path) / "_site.stamp").unlink()
    rebuilt = build()
    [warning] = rebuilt.site_warnings
    assert str(warning).startswith(f"{tmp_path}/.newsgen-cache/_site.db: damaged (")
    assert str(warning).endswith(" and built in full")
    [aside] = cache_folder(tmp_path).glob("_site.db.corrupt-*")
    assert aside.name in str(warning)
    assert rebuilt.written == full.pages  # every page again
    edited = edit_and_build(tmp_path, build)  # and the new cache works: an edit writes a few pages, no warning
    assert not edited.site_warnings and 0 < edited.written < full.pages // 2


def read_only_connect(path: object, *args: Any, **kwargs: Any) -> sqlite3.Connection:
    """How SQLite opens a database the process may not write (another user's, on a read-only disk).

    The temporary database a build falls back on (path "") is private to the process: writable.
    """
    if path == "":
        return CONNECT(path, *args, **kwargs)
    return CONNECT(f"file:{path}?mode=ro", *args, uri=True, **kwargs)


CONNECT = sqlite3.connect


def test_a_read_only_cache_costs_a_full_build_and_one_warning(
    make_content: MakeContent, build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_content(FILES)
    full = build()
    before = (cache_folder(tmp_path) / "_site.db").read_bytes()
    monkeypatch.setattr("newsgen.incremental.store.sqlite3.connect", read_only_connect)
    report = edit_and_build(tmp_path, build)
    assert [str(w) for w in report.site_warnings] == [
        f"{tmp_path}/.newsgen-cache/_site.db: cannot be used (attempt to write a readonly database); "
        "built in full without it"
    ]
    assert report.written == full.pages and not report.rejected
    assert (cache_folder(tmp_path) / "_site.db").read_bytes() == before
    assert "An edit." in (tmp_path / "_site/2016/09/03/story-number-3-of-the-harbour/index.html").read_text()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions (root ignores them)")
def test_a_cache_folder_the_user_may_not_write_costs_a_full_build(
    built_by_cli: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cache_folder(tmp_path) / "_site.stamp").unlink()
    for path in (*cache_folder(tmp_path).iterdir(), cache_folder(tmp_path)):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        assert main(["build"]) == 0
    finally:
        for path in (cache_folder(tmp_path), *cache_folder(tmp_path).iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert capsys.readouterr().err.count("warning:") == 1


def test_a_locked_cache_is_left_alone_not_taken_for_a_damaged_one(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(FILES)
    build()
    db = cache_folder(tmp_path) / "_site.db"
    other = sqlite3.connect(db, isolation_level=None)  # another program (an older newsgen) writing to it
    other.execute("BEGIN EXCLUSIVE")
    try:
        cache, problem = open_cache(tmp_path / "_site", "scope")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert cache is None and problem == "cannot be used (database is locked); built in full without it"
    assert sorted(p.name for p in cache_folder(tmp_path).iterdir()) == [
        "_site.db",
        "_site.lock",
        "_site.stamp",
        "_site.templates",
    ]


def test_the_cli_prints_the_cache_warning_once(
    built_by_cli: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cache_folder(tmp_path) / "_site.db").write_bytes(b"garbage " * 2000)
    (tmp_path / "content/gazette/story-3.txt").write_text(FILES["gazette/story-3.txt"] + "An edit.\n")
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "_site.db: damaged (file is not a database)" in err
    site = tree(tmp_path / "_site")
    assert main(["build"]) == 0  # up to date: the warning was this build's, not said again
    assert capsys.readouterr().err == "" and tree(tmp_path / "_site") == site


def test_a_cache_found_damaged_during_the_build_is_set_aside_and_the_build_done_again(
    make_content: MakeContent, build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_content(FILES)
    full = build()
    light_groups = BuildCache.light_groups
    damaged: list[bool] = []

    def read(cache: BuildCache, sources: list[str]) -> dict[str, Any]:
        if not damaged:  # a page of blobs the opening did not read is damaged
            damaged.append(True)
            error = sqlite3.DatabaseError("database disk image is malformed")
            error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # type: ignore[attr-defined]
            raise error
        return light_groups(cache, sources)

    monkeypatch.setattr(BuildCache, "light_groups", read)
    report = edit_and_build(tmp_path, build)
    [warning] = report.site_warnings
    assert "_site.db: damaged (database disk image is malformed); moved it to _site.db.corrupt-" in str(warning)
    assert damaged and report.written == full.pages and len(list(cache_folder(tmp_path).glob("*.corrupt-*"))) == 1
    assert "An edit." in (tmp_path / "_site/2016/09/03/story-number-3-of-the-harbour/index.html").read_text()
