"""newsgen clean: the output and its build cache go, after being named; nothing that is not newsgen's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.commands.clean import MARKER
from newsgen.folders import CACHE_FOLDER

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
STORY = {"gazette/ferry.txt": "Island ferry returns to winter timetable\n25 Jan, 2018 16:17\n\nCrews repaired it.\n"}


@pytest.fixture
def built(make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working folder, with content built into _site/ and preview/; returns tmp_path."""
    make_content(STORY)
    (tmp_path / "site.yaml").write_text("title: Gazette\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == main(["build", "--output", "preview"]) == 0
    return tmp_path


def everything(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_clean_names_then_removes_the_output_and_its_cache_only(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = built / CACHE_FOLDER
    assert {p.name for p in cache.iterdir()} >= {"_site.db", "_site.stamp", "preview.db", "preview.stamp"}
    (built / "._site.building-x").mkdir()  # what a killed build leaves
    capsys.readouterr()
    assert main(["clean"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("removing _site/ (") and lines[-1] == "Removed; the next build is a full one."
    assert "removing .newsgen-cache/_site.db" in lines and "removing .newsgen-cache/_site.stamp" in lines
    assert "removing ._site.building-x/" in lines
    assert not (built / "_site").exists() and not (built / "._site.building-x").exists()
    assert [p.name for p in cache.iterdir() if p.name.startswith("_site.")] == ["_site.lock"]  # builds' turns
    assert (built / "preview/index.html").is_file() and (cache / "preview.stamp").is_file()
    assert (built / "content/gazette/ferry.txt").is_file() and (built / "site.yaml").is_file()
    assert main(["clean"]) == 0
    assert capsys.readouterr().out == "Nothing to remove: no _site/ and no build cache for it.\n"
    assert main(["clean", "--output", "preview"]) == 0
    assert not (built / "preview").exists()
    assert sorted(p.name for p in cache.iterdir()) == ["_site.lock", "preview.lock"]  # only the build locks stay


def test_dry_run_lists_and_removes_nothing(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = everything(built)
    capsys.readouterr()
    assert main(["clean", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would remove _site/ (") and out.endswith("Nothing removed (--dry-run).\n")
    assert everything(built) == before


@pytest.mark.parametrize(
    ("output", "why"),
    [
        ("content", "it holds content, which is not newsgen's to remove"),
        (".", "it holds the current folder, which is not newsgen's to remove"),
        (
            "documents",
            "it does not look like newsgen's output (no .newsgen-files in it, and no build of it is recorded",
        ),
    ],
)
def test_clean_refuses_what_is_not_newsgen_output(
    built: Path, capsys: pytest.CaptureFixture[str], output: str, why: str
) -> None:
    (built / "documents").mkdir()
    (built / "documents/thesis.txt").write_text("years of work\n", encoding="utf-8")
    before = everything(built)
    assert main(["clean", "--output", output]) == 1
    assert f"error: refusing to clean {output}: {why}" in capsys.readouterr().err
    assert everything(built) == before


def test_clean_refuses_an_output_that_holds_the_templates(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built / "_site/templates").mkdir()
    assert main(["clean", "--templates", "_site/templates"]) == 1
    assert "refusing to clean _site: it holds _site/templates" in capsys.readouterr().err
    assert (built / "_site/index.html").is_file()


def test_files_added_by_hand_stay_where_the_output_lists_what_newsgen_wrote(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = built / "_site"
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != MARKER)
    (site / MARKER).write_text("# Built by newsgen.\n" + "".join(f"{p}\n" for p in written) + "../escape\n")
    (site / "CNAME").write_text("archive.example.org\n", encoding="utf-8")
    (site / "assets/extra.js").write_text("// mine\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["clean"]) == 0
    out = capsys.readouterr().out
    assert f"removing the {len(written) + 1} files that newsgen wrote in _site/" in out
    assert "keeping 2 files that newsgen did not write: CNAME, assets/extra.js" in out
    assert everything(site) == {"CNAME", "assets", "assets/extra.js"}
    assert [p.name for p in (built / CACHE_FOLDER).iterdir() if p.name.startswith("_site.")] == ["_site.lock"]


def test_an_output_with_the_list_of_its_files_is_recognised_without_a_cache(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (built / "public").mkdir()
    (built / "public/index.html").write_text("<p>old build</p>\n", encoding="utf-8")
    (built / "public" / MARKER).write_text("index.html\n", encoding="utf-8")
    assert main(["clean", "--output", "public"]) == 0
    assert "removing public/ (2 files)" in capsys.readouterr().out
    assert not (built / "public").exists()
