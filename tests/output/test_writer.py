"""Writer: nothing lands outside the output folder, and a failed build leaves the old site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsgen.errors import NewsgenError, UnsafePathError
from newsgen.output.outputfolder import MARKER, OutputListing, safe_relative
from newsgen.output.writer import SiteWriter


@pytest.mark.parametrize(
    "path",
    ["../escape.html", "a/../../b.html", "/etc/passwd", "", "a\\..\\b", "C:/x", "a/\x00/b", ".."],
)
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_relative(path)


def test_publish_swaps_the_new_site_in(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    (out / MARKER).write_text("# an earlier build wrote:\nstale.html\n")
    (out / "pagefind").mkdir()
    (out / "pagefind/index.js").write_text("added by hand")
    with SiteWriter(out) as writer:
        writer.write("index.html", "<p>new</p>")
        writer.write("2016/09/08/a/index.html", b"bytes")
        writer.publish()
    assert (out / "index.html").read_text() == "<p>new</p>"
    assert (out / "2016/09/08/a/index.html").read_bytes() == b"bytes"
    assert not (out / "stale.html").exists()  # the last build wrote it; this one did not
    assert (out / "pagefind/index.js").read_text() == "added by hand"  # no build wrote it
    assert (out / MARKER).read_text().splitlines()[1:] == ["2016/09/08/a/index.html", "index.html"]
    assert writer.unrecorded == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_without_a_record_of_what_newsgen_wrote_nothing_is_deleted_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / "thesis.txt").write_text("precious")
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.publish()
    assert (out / "thesis.txt").read_text() == "precious" and writer.unrecorded == ["thesis.txt"]
    assert writer.others["thesis.txt"][0] == len("precious")
    with SiteWriter(out, force=True) as writer:
        writer.write("index.html", "new")
        writer.publish()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]


def test_failure_before_publish_leaves_the_old_site_untouched(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("old")
    with pytest.raises(RuntimeError), SiteWriter(out) as writer:
        writer.write("index.html", "half")
        raise RuntimeError("template blew up")
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_two_writes_to_one_path_are_an_error_not_an_overwrite(tmp_path: Path) -> None:
    with SiteWriter(tmp_path / "_site") as writer:
        writer.write("a/index.html", "first")
        with pytest.raises(NewsgenError, match=r"same output file a/index\.html"):
            writer.write("a/index.html", "second")


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_site").write_text("not a folder")
    with SiteWriter(tmp_path / "_site") as writer, pytest.raises(NewsgenError, match="not a folder"):
        writer.publish()


def test_a_swap_cut_in_half_by_a_kill_gets_the_old_site_back(tmp_path: Path) -> None:
    old = tmp_path / "._site.old-x1y2"  # publish renamed the site aside, and was killed before the next rename
    old.mkdir()
    (old / "index.html").write_text("the last good site")
    (tmp_path / "._site.building-abc").mkdir()  # and an earlier build's staging folder
    with SiteWriter(tmp_path / "_site") as writer:
        assert (tmp_path / "_site/index.html").read_text() == "the last good site"
        assert sorted(p.name for p in tmp_path.iterdir() if p != writer.staging) == ["_site"]


def no_find(*args: object, **kwargs: object) -> object:
    raise FileNotFoundError("find")


POPEN = subprocess.Popen


def bsd_find(*args: object, **kwargs: object) -> object:  # a find that knows no -printf: it fails
    return POPEN([sys.executable, "-c", "raise SystemExit(1)"], **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "find", [None, no_find, bsd_find, "known"], ids=["gnu-find", "no-find", "other-find", "known-files"]
)
def test_in_place_writes_only_what_changed_and_removes_what_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, find: object
) -> None:
    if find == "known":  # the stamp's files: only those are looked at, and find is never run
        monkeypatch.setattr("newsgen.output.outputfolder.subprocess.Popen", no_find)
    elif find is not None:
        monkeypatch.setattr("newsgen.output.outputfolder.subprocess.Popen", find)
    out = tmp_path / "_site"
    with SiteWriter(out) as writer:
        writer.write("a/index.html", "a", key="ka")
        writer.write("b/index.html", "b", key="kb")
        writer.write("d/index.html", "d", key="kd")
        writer.write("e/index.html", "e", key="ke")
        writer.publish()
    first = dict(writer.rows)
    (out / "stray.html").write_text("left by hand")
    (out / "e/index.html").write_text("edited by hand")
    left = [*writer.others, *first][::2]  # told of some: the writer adds what its records name
    listing = OutputListing(out.resolve(), left) if find == "known" else None
    with SiteWriter(out, previous=first, listing=listing) as writer:
        assert writer.in_place
        assert writer.unchanged("ka", "a/index.html")
        assert not writer.unchanged("kb", "b/index.html", "a/index.html")  # all or none
        assert writer.keep(["d/index.html", "e/index.html", "gone/index.html"]) == ["e/index.html", "gone/index.html"]
        writer.write("c/index.html", "c", key="kc")
        writer.publish()
    assert writer.staged == ["c/index.html"] and sorted(writer.rows) == ["a/index.html", "c/index.html", "d/index.html"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        MARKER,
        "a",
        "a/index.html",
        "c",
        "c/index.html",
        "d",
        "d/index.html",
        "stray.html",  # put there by hand: no build wrote it, so none removes it
    ]


def test_a_copied_file_is_kept_while_its_key_is_the_one_it_was_copied_with(tmp_path: Path) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(b"\x89PNG" * 1000)
    out = tmp_path / "_site"
    with SiteWriter(out) as writer:
        writer.copy_file("photos/photo.png", str(source), "one")
        writer.publish()
    assert (out / "photos/photo.png").read_bytes() == source.read_bytes()
    with SiteWriter(out, previous=dict(writer.rows)) as again:
        again.copy_file("photos/photo.png", str(source), "one")
        assert again.staged == []
        again.publish()
    source.write_bytes(b"another photo")
    with SiteWriter(out, previous=dict(again.rows)) as changed:
        changed.copy_file("photos/photo.png", str(source), "two")
        assert changed.staged == ["photos/photo.png"]
        changed.publish()
    assert (out / "photos/photo.png").read_bytes() == b"another photo"


def test_a_copy_that_fails_leaves_no_half_file_to_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(b"\x89PNG" * 1000)

    def half(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"\x89PN")
        raise OSError("the disk went away")

    monkeypatch.setattr("newsgen.output.writer.shutil.copyfile", half)
    with SiteWriter(tmp_path / "_site") as writer:
        with pytest.raises(OSError, match="went away"):
            writer.copy_file("photo.png", str(source), "one")
        assert writer.staging.is_dir() and not (writer.staging / "photo.png").exists() and writer.rows == {}
