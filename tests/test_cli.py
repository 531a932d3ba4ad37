"""The command line, in process through ``main`` and once for real as a subprocess."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from trees import tree

from newsgen import __version__
from newsgen.cli import main
from newsgen.output.writer import SiteWriter

ROOT = Path(__file__).resolve().parent.parent
MakeContent = Callable[[Mapping[str, str | bytes]], Path]

GOOD = {
    "rt/kremlin.txt": "Kremlin says the Syria deal is not yet final\n8 Sep, 2016 14:01\n\nTalks continue.\n",
    "gazette/ferry.txt": "Island ferry returns to winter timetable\n25 Jan, 2018 16:17\n\nCrews repaired the pier.\n",
}
PAGES = (
    "index.html",
    "2016/09/08/kremlin-says-the-syria-deal-is-not-yet-final/index.html",
    "2018/01/25/island-ferry-returns-to-winter-timetable/index.html",
)


def problems(stderr: str) -> list[str]:
    """The problems a build printed, without the progress lines a slow (loaded) machine adds before them."""
    return [line for line in stderr.splitlines() if line and not re.fullmatch(r"[a-z]+: [\d,]+ in [\d.]+ s", line)]


@pytest.fixture
def site(make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working folder, holding good content; returns the output folder."""
    make_content(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "_site"


def test_build_good_content(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Built 2 articles into _site/ (")
    assert out.rstrip().endswith("0 warnings, 0 rejected.")
    assert problems(err) == []
    assert all((site / p).is_file() for p in PAGES)


def test_timings_print_the_cpu_seconds_of_each_stage(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def stages(*args: str) -> tuple[dict[str, float], float]:
        assert main(["build", "--quiet", "--timings", *args]) == 0
        line = capsys.readouterr().out.strip()
        found = re.fullmatch(r"CPU seconds: (.*); ([\d.]+) in all", line)
        assert found, line
        named = [part.rsplit(" ", 1) for part in found[1].split(", ")] if found[1] != "nothing built" else []
        return {name: float(seconds) for name, seconds in named}, float(found[2])

    for file in Path("content").rglob("*"):  # written long before: the next build may trust what it saw
        os.utime(file, (file.stat().st_mtime - 60, file.stat().st_mtime - 60))
    first, total = stages()
    assert list(first) == ["load/clean", "parse", "sort out", "collect", "render", "write", "search"]
    assert sum(first.values()) <= total + 0.05
    assert stages()[0] == {}  # nothing changed: nothing built
    Path("templates").mkdir()
    Path("templates/_footer.html").write_text("<footer>Ours</footer>\n", encoding="utf-8")
    again, _ = stages()  # every page again, no file parsed again
    assert again["parse"] == 0


def test_rejected_files_exit_2_and_are_listed(
    site: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content({"rt/empty.txt": b"", "notes/bad.md": "---\ntitle: x\nsummary: a: b\n---\n\nText.\n"})
    assert main(["build"]) == 2
    out, err = capsys.readouterr()
    assert problems(err) == [
        "unreadable file (1)",
        "  rejected: rt/empty.txt: file is empty; add an article or delete the file",
        "front matter (1)",
        "  rejected: notes/bad.md:3: invalid front matter: mapping values are not allowed here",
    ]
    assert "Built 2 articles" in out and "2 rejected" in out
    assert "Rejected files are listed above" in out
    assert all((site / p).is_file() for p in PAGES)


def test_bad_config_exits_1_without_traceback_and_keeps_the_old_site(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    before = tree(site)
    (tmp_path / "site.yaml").write_text("titel: My archive\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: site.yaml: unknown key 'titel'; did you mean 'title'?\n"
    assert "Traceback" not in err
    assert tree(site) == before


def test_debug_shows_the_traceback_of_a_bad_config(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "site.yaml").write_text("titel: My archive\n", encoding="utf-8")
    assert main(["build", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ConfigError" in err
    assert err.endswith("error: site.yaml: unknown key 'titel'; did you mean 'title'?\n")


def test_missing_content_folder_says_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: content folder content not found; create it or pass --content DIR\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_that_holds_the_content_is_refused(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(tmp_path)
    for output in ("content", ".", "rt-archive/.."):
        assert main(["build", "--output", output]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: refusing to build into {output}: it holds ")
        assert tree(tmp_path) == before


def test_report_file_is_json_about_every_input(
    site: Path, make_content: MakeContent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content(
        {
            "rt/empty.txt": b"",
            "notes/later.md": "---\ntitle: Later\ndraft: true\n---\n\nNot yet.\n",
            "notes/undated.txt": "Council approves the ferry budget\n\nIt was approved.\n",
        }
    )
    assert main(["build", "--report", "report.json", "--quiet"]) == 2
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {"articles", "rejected", "drafts"} <= report.keys()
    assert report["drafts"] == ["notes/later.md"]
    assert report["rejected"] == [
        {"source": "rt/empty.txt", "error": "rt/empty.txt: file is empty; add an article or delete the file"}
    ]
    assert [a["source"] for a in report["articles"]] == ["gazette/ferry.txt", "notes/undated.txt", "rt/kremlin.txt"]
    for entry in report["articles"]:
        assert set(entry) == {"source", "url", "title", "date", "date_from", "warnings", "removed_lines"}
        assert (site / entry["url"].lstrip("/") / "index.html").is_file()
    kremlin = report["articles"][2]
    assert kremlin["date"] == "2016-09-08T14:01:00+00:00"
    assert [a["date_from"] for a in report["articles"]] == ["dateline", None, "dateline"]
    assert kremlin["removed_lines"] == [
        {"line": 1, "text": "Kremlin says the Syria deal is not yet final", "rule": "title"},
        {"line": 2, "text": "8 Sep, 2016 14:01", "rule": "dateline"},
    ]
    undated = report["articles"][1]
    assert (undated["url"], undated["date"]) == ("/undated/council-approves-the-ferry-budget/", None)
    assert undated["warnings"][0].startswith("notes/undated.txt: no date")


def test_report_into_a_missing_folder_fails_before_building(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--report", "nowhere/report.json"]) == 1
    assert capsys.readouterr() == (
        "",
        "error: cannot write the report to nowhere/report.json: folder nowhere does not exist\n",
    )
    assert not site.exists()


def test_quiet_prints_nothing_for_a_clean_build(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (site / "index.html").is_file()


def test_quiet_still_prints_rejections(
    site: Path, tmp_path: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cache import age

    make_content({"rt/empty.txt": b"", "undated.txt": "Council approves the ferry budget\n\nIt was approved.\n"})
    age(tmp_path / "content")
    for _ in ("build", "a build that changes nothing"):
        assert main(["build", "--quiet"]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert problems(err) == [
            "unreadable file (1)",
            "  rejected: rt/empty.txt: file is empty; add an article or delete the file",
        ]
    assert main(["build"]) == 2
    assert capsys.readouterr().out.rstrip().endswith("1 rejected; --verbose lists them again.")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    # The tests run the checkout's modules: Python, not a wheel's compiled ones (tests/test_wheel.py has those).
    assert capsys.readouterr().out == f"newsgen {__version__} (pure Python)\n"


def test_build_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "newsgen build --report report.json" in out
    assert "exit status:" in out


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["biuld"], "newsgen: error: unknown command 'biuld'; did you mean 'build'?"),
        (["chek", "--strict"], "newsgen: error: unknown command 'chek'; did you mean 'check'?"),
        (
            ["xyzzy"],
            "newsgen: error: unknown command 'xyzzy'; "
            "commands: build, check, serve, init, new, import, explain, clean, export",
        ),
        (["build", "--ouput", "x"], "newsgen build: error: unknown option '--ouput'; did you mean '--output'?"),
        (["build", "--ouput=x"], "newsgen build: error: unknown option '--ouput'; did you mean '--output'?"),
        (["import", "--mapp", "a=b", "f.csv"], "newsgen import: error: unknown option '--mapp'; did you mean '--map'?"),
        (["check", "--zzz"], "newsgen check: error: unknown option '--zzz'; see newsgen check --help"),
        (["build", "stray"], "newsgen build: error: unrecognized arguments: stray"),
    ],
)
def test_a_mistyped_command_or_option_gets_the_closest_and_exit_2(
    argv: list[str], error: str, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"usage: {error.partition(': error')[0]} ")
    assert err.endswith(f"\n{error}\n")
    assert not site.exists()


def test_bare_newsgen_lists_the_commands_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: newsgen ")
    for command in ("build", "check", "serve", "init", "new", "import", "explain"):
        assert f"\n    {command} " in err


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_python_m_newsgen_build(make_content: MakeContent, tmp_path: Path) -> None:
    make_content(GOOD | {"rt/empty.txt": b""})
    result = run(tmp_path, "-m", "newsgen", "build", "--output", "public")
    assert result.returncode == 2, result.stderr
    assert problems(result.stderr) == [
        "unreadable file (1)",
        "  rejected: rt/empty.txt: file is empty; add an article or delete the file",
    ]
    assert result.stdout.startswith("Built 2 articles into public/")
    assert all((tmp_path / "public" / p).is_file() for p in PAGES)


def test_build_py_in_a_copy_of_the_sample(tmp_path: Path, sample_site: tuple[Path, object]) -> None:
    sample = tmp_path / "sample"
    shutil.copytree(ROOT / "content", sample / "content")
    for name in ("site.yaml", "build.py"):
        shutil.copy2(ROOT / name, sample / name)
    result = run(tmp_path, str(sample / "build.py"))  # run from elsewhere: build.py finds its own folder
    assert result.returncode == 0, result.stderr
    # the sample holds one undated note on purpose; its warning is the only message
    listed = problems(result.stderr)
    assert listed[0] == "undated (no date found) (1)"
    assert [line.split(":")[1] for line in listed[1:]] == [" editors/how-the-sample-was-written.md"]
    assert result.stdout.startswith("Built 9 articles into _site/")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample"]
    assert tree(sample / "_site") == tree(sample_site[0])


# --- the output folder: newsgen's only when newsgen made it -------------------------------------


def test_a_folder_of_other_files_is_refused_and_kept(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mydocs").mkdir()
    (tmp_path / "mydocs/thesis.txt").write_text("precious\n")
    assert main(["build", "--output", "mydocs"]) == 1
    assert capsys.readouterr().err == (
        "error: refusing to build into mydocs: it holds files newsgen did not write (thesis.txt); choose a new or "
        "empty folder, or pass --force to take this one over (files the build does not write are then deleted)\n"
    )
    assert tree(tmp_path / "mydocs") == {"thesis.txt": b"precious\n"}
    assert main(["build", "--output", "mydocs", "--force", "--quiet"]) == 0  # taken over: now it is the site
    assert not (tmp_path / "mydocs/thesis.txt").exists() and (tmp_path / "mydocs/index.html").is_file()
    assert main(["build", "--output", "mydocs", "--quiet"]) == 0  # and newsgen's from now on


def test_the_refusal_names_a_few_of_many_entries(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"):
        (tmp_path / "docs" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "docs" / name).write_text(name)
    (tmp_path / "docs/notes").mkdir()
    assert main(["build", "--output", "docs"]) == 1
    assert "(a.txt, b.txt, c.txt, d.txt and 3 more)" in capsys.readouterr().err


def test_the_settings_folder_is_refused(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/site.yaml").write_text("title: Mine\n")
    assert main(["build", "--config", "conf/site.yaml", "--output", "conf", "--force"]) == 1
    assert capsys.readouterr().err.startswith("error: refusing to build into conf: it holds conf/site.yaml")
    assert tree(tmp_path / "conf") == {"site.yaml": b"title: Mine\n"}


@pytest.mark.parametrize("output", ["content/_site", "content/rt/out", "templates", "templates/out"])
def test_outputs_inside_or_at_an_input_folder_are_refused(
    site: Path, tmp_path: Path, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "templates").mkdir()
    before = tree(tmp_path)
    assert main(["build", "--output", output, "--force"]) == 1
    assert capsys.readouterr().err.startswith(f"error: refusing to build into {output}: it ")
    assert tree(tmp_path) == before and not any((tmp_path / "templates").iterdir())
    assert output == "templates" or not (tmp_path / output).exists()


def test_a_dangling_link_as_output_creates_nothing(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent/path"
    (tmp_path / "_site").symlink_to(missing)
    assert main(["build"]) == 1
    assert capsys.readouterr().err == (
        f"error: refusing to build into _site: it is a link to {missing}, and {missing.parent} does not exist; "
        "create that folder or remove the link\n"
    )
    assert not missing.parent.exists()


def test_a_link_to_a_folder_of_other_files_is_checked_as_that_folder(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mydocs").mkdir()
    (tmp_path / "mydocs/thesis.txt").write_text("precious\n")
    (tmp_path / "_site").symlink_to(tmp_path / "mydocs")
    assert main(["build"]) == 1
    assert "it holds files newsgen did not write (thesis.txt)" in capsys.readouterr().err
    (tmp_path / "public").mkdir()
    (tmp_path / "_site").unlink()
    (tmp_path / "_site").symlink_to(tmp_path / "public")  # a link to an empty folder: the site goes there
    assert main(["build", "--quiet"]) == 0
    assert (tmp_path / "public/index.html").is_file() and (tmp_path / "_site").is_symlink()


def test_files_added_to_a_built_site_are_kept_by_every_kind_of_build(site: Path, tmp_path: Path) -> None:
    assert main(["build", "--quiet"]) == 0
    (site / "pagefind").mkdir()
    (site / "pagefind/pagefind.js").write_text("an index made by another tool")
    (tmp_path / "content/rt/kremlin.txt").unlink()  # its page goes, the added file stays
    assert main(["build", "--quiet"]) == 0  # in place
    assert (site / "pagefind/pagefind.js").is_file() and not (site / PAGES[1]).exists()
    assert main(["build"]) == 0  # and a build that finds nothing changed says so
    shutil.rmtree(tmp_path / ".newsgen-cache")  # a full build, swapped in: it keeps the file too
    assert main(["build", "--quiet"]) == 0
    assert (site / "pagefind/pagefind.js").read_text() == "an index made by another tool"
    assert "pagefind/pagefind.js" not in (site / ".newsgen-files").read_text()


def test_an_up_to_date_build_is_still_up_to_date_with_an_added_file(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--quiet"]) == 0
    (site / "extra.txt").write_text("mine")
    assert main(["build", "--quiet"]) == 0
    assert main(["build"]) == 0
    assert capsys.readouterr().out.startswith("Up to date")


def test_a_site_built_before_the_marker_is_taken_as_newsgen_s(site: Path, tmp_path: Path) -> None:
    assert main(["build", "--quiet"]) == 0
    (site / ".newsgen-files").unlink()  # as older versions left it: the cache beside it says whose it is
    (site / "pagefind.js").write_text("added")
    assert main(["build", "--quiet"]) == 0
    assert "index.html" in (site / ".newsgen-files").read_text().splitlines()
    assert (site / "pagefind.js").is_file()


def test_a_report_that_names_a_folder_is_refused_before_building(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reports").mkdir()
    assert main(["build", "--report", "reports"]) == 1
    assert capsys.readouterr() == (
        "",
        "error: cannot write the report to reports: it is a folder; name a file, e.g. report.json\n",
    )
    assert not site.exists()


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.ENOSPC, "cannot write {}: No space left on device"), (errno.EACCES, "cannot use {}: Permission denied")],
)
def test_a_full_disk_or_a_denied_permission_exits_3_and_leaves_the_site(
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    says: str,
) -> None:
    assert main(["build", "--quiet"]) == 0
    before = tree(site)
    (tmp_path / "content/rt/kremlin.txt").write_text(GOOD["rt/kremlin.txt"] + "An edit.\n")
    write = SiteWriter.write

    def refused(writer: SiteWriter, path: str, *args: object, **kwargs: object) -> None:
        if path == "robots.txt":
            raise OSError(code, os.strerror(code), str(writer.staging / path))
        write(writer, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteWriter, "write", refused)
    assert main(["build", "--quiet"]) == 3
    staged = re.escape(str(tmp_path)) + r"/\._site\.building-\w+/robots\.txt"
    assert re.fullmatch(f"error: {says.format(staged)}; the previous site is intact\n", capsys.readouterr().err)
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".newsgen-cache", "_site", "content"]


def test_force_on_a_built_site_removes_what_the_build_does_not_write(site: Path, tmp_path: Path) -> None:
    assert main(["build", "--quiet"]) == 0
    (site / "extra.txt").write_text("mine")
    assert main(["build", "--quiet", "--force"]) == 0  # in place, nothing else changed
    assert not (site / "extra.txt").exists() and (site / ".newsgen-files").is_file()


UNDATED = {
    f"desk/note-{i}.txt": f"Council note number {i} on the ferry\n\nThe council met about the ferry, item {i}.\n"
    for i in range(6)
}
TAG_PAGE = "---\ntitle: Ferries\nurl: https://gazette.example/tag/ferries/\n---\n\nThe ferry will run…\n"


def test_a_build_groups_its_warnings_and_a_rebuild_that_changes_nothing_prints_one_line(
    site: Path, tmp_path: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cache import age

    make_content(UNDATED)
    age(tmp_path / "content")
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    listed = problems(err)
    assert listed[0] == "undated (no date found) (6)"
    assert [line.split(":")[1] for line in listed[1:4]] == [f" desk/note-{i}.txt" for i in range(3)]
    assert listed[4:] == ["  ... and 3 more; --verbose or --report lists them all"]
    assert re.fullmatch(
        r"Built 8 articles into _site/ \(\d+ files, \d+ KiB\) in [\d.]+ s; 6 warnings, 0 rejected\.\n", out
    )
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(
        r"Up to date: nothing changed since the last build of 8 articles into _site/ \(checked in [\d.]+ s\); "
        r"6 warnings, 0 rejected\.\n",
        out,
    )
    assert err == ""
    assert main(["build", "--verbose"]) == 0  # the problems again, every one of them
    out, err = capsys.readouterr()
    assert len(problems(err)) == 7 and out.startswith("Up to date:")


def test_non_articles_and_duplicates_are_counted_not_rejected(
    site: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content({"gazette/tag.txt": TAG_PAGE, "gazette/copy.txt": GOOD["gazette/ferry.txt"]})
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith("0 warnings, 0 rejected; left out: 1 non-article, 1 duplicate.")
    assert "Rejected files" not in out and "rejected:" not in err and "error" not in err
    assert "  left out: gazette/tag.txt: not an article: an index, tag or author page" in err
    assert main(["check"]) == 0
    assert "Fix the files" not in capsys.readouterr().out


@pytest.mark.parametrize("strict", [False, True])
def test_check_exits_as_build_does(
    site: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str], strict: bool
) -> None:
    options = ["--strict"] if strict else []
    make_content({"gazette/tag.txt": TAG_PAGE, "desk/note.txt": UNDATED["desk/note-0.txt"]})
    assert main(["check", *options]) == main(["build", *options]) == (2 if strict else 0)
    make_content({"rt/empty.txt": b""})
    assert main(["check", *options]) == main(["build", *options]) == 2
    out = capsys.readouterr().out
    assert (
        out.count("Rejected files are listed above") == 1 + strict and out.count("Fix the files listed") == 1 + strict
    )


def test_a_build_after_a_drafts_preview_is_not_up_to_date_and_drops_the_drafts(
    site: Path, tmp_path: Path, make_content: MakeContent, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cache import age

    make_content({"desk/plan.md": "---\ntitle: Not yet\ndate: 2016-09-08\ndraft: true\n---\n\nSECRET plan.\n"})
    age(tmp_path / "content")
    draft = site / "2016/09/08/not-yet/index.html"
    assert main(["build", "--drafts"]) == 0
    assert "Built 3 articles into _site/" in capsys.readouterr().out and draft.is_file()
    assert main(["build", "--drafts"]) == 0
    assert capsys.readouterr().out.startswith("Up to date:")
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Built 2 articles into _site/") and out.rstrip().endswith("left out: 1 draft.")
    assert not draft.exists()
