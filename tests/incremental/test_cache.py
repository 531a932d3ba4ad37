"""The build stamp: an unchanged site is not built again, and any change to what a build reads is seen."""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.folders import CACHE_FOLDER
from newsgen.incremental import session
from newsgen.incremental.stamp import Fingerprint, Stamp, build_lock, load_stamp, save_stamp
from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
FERRY = (
    "The council approved the ferry budget on Tuesday after a long debate about the harbour, the pier and "
    "the price of fuel, which has doubled since the last timetable was agreed with the operator."
)
PIER = (
    "Engineers will close the northern pier from Monday to replace four fenders and the boarding ramp "
    "that a winter storm tore loose, and ferries will use the southern berth until the work is done."
)
HARBOUR = (
    "Fishing boats returned to the inner harbour on Saturday for the first time since the dredging began, "
    "and the harbour master said the channel is now deep enough at every tide for the larger trawlers."
)
FILES = {
    "gazette/ferry.txt": f"Council approves the ferry budget\n8 Sep, 2016 14:01\n\n{FERRY}\n",
    "gazette/pier.txt": f"Pier repairs start next week\n9 Sep, 2016 10:00\n\n{PIER}\n",
}


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file with its bytes and modification time: an untouched site keeps both."""
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()
    }


def age(folder: Path) -> None:
    """Date every file a minute back, as if written long before the next build."""
    past = time.time() - 60
    for file in folder.rglob("*"):
        os.utime(file, (past, past))


@pytest.fixture
def built(make_content: MakeContent, build: Build, tmp_path: Path) -> tuple[BuildReport, dict[str, tuple[bytes, int]]]:
    make_content(FILES)
    age(tmp_path / "content")
    first = build(report=True)
    assert not first.unchanged
    return first, snapshot(tmp_path / "_site")


def test_second_build_of_an_unchanged_site_writes_nothing(
    built: tuple[BuildReport, dict[str, tuple[bytes, int]]], build: Build, tmp_path: Path
) -> None:
    first, before = built
    again = build(report=True)
    assert again.unchanged
    assert snapshot(tmp_path / "_site") == before
    assert again.to_json() == first.to_json()
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert (tmp_path / CACHE_FOLDER / "_site.stamp").is_file()


def test_a_report_is_kept_for_a_no_op_build_only_when_one_was_asked_for(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(FILES)
    age(tmp_path / "content")
    first = build(report=False)
    assert build(report=False).unchanged  # no report wanted: the stamp's word is enough
    again = build(report=True)  # the stamp kept no report: build (nothing to write) to make one
    assert not again.unchanged and again.written == 0
    assert [a.source_path for a in again.articles] == [a.source_path for a in first.articles]
    assert [r["removed_lines"] for r in again.to_json()["articles"]] == [
        [{"line": n, "text": text, "rule": rule} for n, text, rule in lines]
        for lines in (
            [(1, "Council approves the ferry budget", "title"), (2, "8 Sep, 2016 14:01", "dateline")],
            [(1, "Pier repairs start next week", "title"), (2, "9 Sep, 2016 10:00", "dateline")],
        )
    ]
    assert build(report=True).to_json() == again.to_json()


@pytest.mark.parametrize(
    "change",
    ["edit", "same-size-edit", "new-file", "delete-file", "settings", "template", "output-page-deleted", "options"],
)
def test_any_change_builds_again(
    built: tuple[BuildReport, dict[str, tuple[bytes, int]]], build: Build, tmp_path: Path, change: str
) -> None:
    content, site = tmp_path / "content", tmp_path / "_site"
    settings: dict[str, object] = {}
    options: dict[str, object] = {}
    ferry = content / "gazette" / "ferry.txt"
    if change == "edit":
        ferry.write_text(FILES["gazette/ferry.txt"] + "\nA new last paragraph about the pier.\n")
    elif change == "same-size-edit":  # same size, saved at once: only the bytes tell
        ferry.write_text(FILES["gazette/ferry.txt"].replace("Tuesday", "Thursda"))  # keeps the size
    elif change == "new-file":
        (content / "gazette" / "harbour.txt").write_text(
            f"Harbour reopens to trawlers\n10 Sep, 2016 09:00\n\n{HARBOUR}\n"
        )
    elif change == "delete-file":
        (content / "gazette" / "pier.txt").unlink()
    elif change == "settings":
        settings = {"title": "Another title"}
    elif change == "template":
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "404.html").write_text('{% extends "!theme/404.html" %}')
        options = {"templates_dir": tmp_path / "templates"}
    elif change == "output-page-deleted":
        (site / "2016" / "09" / "08" / "council-approves-the-ferry-budget" / "index.html").unlink()
    elif change == "options":
        options = {"strict": True}
    report = build(settings, **options)
    assert not report.unchanged
    assert (site / "2016" / "09" / "08" / "council-approves-the-ferry-budget" / "index.html").is_file()
    if change == "same-size-edit":
        assert "Thursda" in (site / "2016/09/08/council-approves-the-ferry-budget/index.html").read_text()
    if change == "settings":
        assert "Another title" in (site / "index.html").read_text()


def test_a_broken_stamp_only_costs_a_build(
    built: tuple[BuildReport, dict[str, tuple[bytes, int]]], build: Build, tmp_path: Path
) -> None:
    (tmp_path / CACHE_FOLDER / "_site.stamp").write_bytes(b"not a stamp")
    assert not build().unchanged
    assert build().unchanged


def test_cli_says_the_site_is_up_to_date(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content(FILES)
    age(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    assert capsys.readouterr().out.startswith("Built 2 articles into _site/")
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Up to date: nothing changed since the last build of 2 articles into _site/ (checked in ")
    assert len(out.splitlines()) == 1 and err == ""


def test_a_stamp_taken_within_a_clock_tick_of_the_newest_input_is_not_trusted() -> None:
    taken = 1_700_000_000 * 10**9
    stamp = Stamp("abc", {}, None, taken)
    assert Fingerprint("abc", taken - 10**9).matches(stamp)
    assert not Fingerprint("abd", taken - 10**9).matches(stamp)
    assert not Fingerprint("abc", taken - 10**6).matches(stamp)  # saved 1 ms before: maybe again, same size
    assert not Fingerprint("abc", taken + 10**9).matches(stamp)


def test_a_stamp_written_by_another_newsgen_is_ignored(tmp_path: Path) -> None:
    class OlderStamp:  # pickles as a Stamp with the three fields an older newsgen's Stamp had
        def __reduce__(self) -> tuple[object, ...]:
            return object.__new__, (Stamp,), ["abc", "out", None]

    (tmp_path / CACHE_FOLDER).mkdir()
    (tmp_path / CACHE_FOLDER / "_site.stamp").write_bytes(pickle.dumps(OlderStamp()))
    assert load_stamp(tmp_path / "_site") is None
    save_stamp(tmp_path / "_site", Stamp("abc", "out", None, 1))  # the last version's: a hash of the output's files
    assert load_stamp(tmp_path / "_site") is None
    save_stamp(tmp_path / "_site", Stamp("abc", {"index.html": (10, 20)}, None, 1))
    assert load_stamp(tmp_path / "_site") == Stamp("abc", {"index.html": (10, 20)}, None, 1)


def test_a_cache_with_tables_of_another_version_is_started_afresh(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    import sqlite3

    make_content(FILES)
    cache = tmp_path / ".newsgen-cache"
    cache.mkdir()
    old = sqlite3.connect(cache / "_site.db")  # as an earlier newsgen left it: fewer columns, another version
    old.executescript("CREATE TABLE parsed (path TEXT PRIMARY KEY, key TEXT, blob BLOB); PRAGMA user_version = 1;")
    old.close()
    first = build()
    assert len(first.articles) == len(FILES) and not first.rejected
    (tmp_path / ".newsgen-cache" / "_site.stamp").unlink()
    assert build().written == 0  # and the new cache works


HOLD = """
import sys
from pathlib import Path
from newsgen.incremental.stamp import build_lock
with build_lock(Path(sys.argv[1]), print):
    print("holding", flush=True)
    sys.stdin.readline()
"""


@contextlib.contextmanager
def lock_held(output: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the build lock of ``output`` until it reads a line (or is killed)."""
    command = [sys.executable, "-c", HOLD, str(output)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield holder


def release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()


@pytest.mark.parametrize("ends", ["finishes", "is killed"])
def test_a_second_build_waits_for_the_first_and_a_killed_one_leaves_no_lock(tmp_path: Path, ends: str) -> None:
    told: list[int | None] = []
    with lock_held(tmp_path / "_site") as holder:

        def waiting(pid: int | None) -> None:
            told.append(pid)
            if ends == "finishes":
                release(holder)
            else:
                holder.kill()  # kill -9 while it holds the lock: the system lets it go

        with build_lock(tmp_path / "_site", waiting) as waited:
            assert waited and told == [holder.pid]
            assert holder.wait() == (0 if ends == "finishes" else -9)
            assert (tmp_path / CACHE_FOLDER / "_site.lock").read_text() == f"{os.getpid()}\n"
    with build_lock(tmp_path / "_site", waiting) as waited:  # the lock file left behind is no lock
        assert not waited and told == [holder.pid]


def test_a_build_that_waited_looks_at_the_content_again(
    make_content: MakeContent,
    build: Build,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_content(FILES)
    build()
    (tmp_path / "content/gazette/pier.txt").write_text(FILES["gazette/pier.txt"] + "An edit.\n")
    say = session.say_waiting
    with lock_held(tmp_path / "_site") as holder:

        def said(output: Path, pid: int | None) -> None:
            say(output, pid)
            make_content({"gazette/harbour.txt": f"Boats return to the harbour\n10 Sep, 2016 09:00\n\n{HARBOUR}\n"})
            release(holder)  # meanwhile an article came: the build must see it, though it looked before waiting

        monkeypatch.setattr(session, "say_waiting", said)
        report = build()
        assert holder.wait() == 0
    said_ = [
        r.getMessage() for r in caplog.records if r.name == "newsgen.incremental.stamp"
    ]  # logged; the CLI prints it
    assert said_ == [f"waiting for another build (pid {holder.pid}) of {tmp_path / '_site'}/ to finish..."]
    assert {a.source_path for a in report.articles} == {*FILES, "gazette/harbour.txt"}


def test_clean_waits_for_a_builds_turn_and_leaves_the_lock(
    make_content: MakeContent,
    build: Build,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_content(FILES)
    build()
    monkeypatch.chdir(tmp_path)
    with lock_held(tmp_path / "_site") as holder:
        seen: list[bool] = []

        def waited(output: Path, pid: int | None) -> None:
            seen.append((tmp_path / "_site" / "index.html").exists())  # nothing removed from under the build
            release(holder)

        monkeypatch.setattr("newsgen.incremental.stamp.say_waiting", waited)
        assert main(["clean"]) == 0
        assert holder.wait() == 0
    assert seen == [True]
    assert not (tmp_path / "_site").exists()
    assert [p.name for p in (tmp_path / CACHE_FOLDER).iterdir()] == ["_site.lock"]  # a waiting build's file
    assert "removing .newsgen-cache/_site.lock" not in capsys.readouterr().out
