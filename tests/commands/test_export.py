"""export: the archive a build publishes, as JSON Lines and as SQLite with full-text search, written atomically."""

from __future__ import annotations

import dataclasses
import errno
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from newsgen.cli import main
from newsgen.commands import export
from newsgen.config import SiteConfig
from newsgen.models import Article, ArticleMeta
from newsgen.pipeline import BuildReport, check_content

ROOT = Path(__file__).resolve().parents[2]
MakeContent = Callable[[Mapping[str, str | bytes]], Path]

FILES = {
    "gazette/harbour.txt": """
        Harbour reopens after the storm
        8 Sep, 2016 14:01

        The harbour reopened today after engineers replaced the fenders torn loose by the gale.

        Ferries will use the southern berth until the northern pier is inspected again next week.
        """,
    "gazette/café.md": """
        ---
        title: "Café Müller öffnet wieder — «déjà vu» 東京"
        date: 2016-09-09T10:00:00+02:00
        authors: [Zoë Ødegaard]
        tags: [café, culture]
        ---

        The café on the quay opened its doors again on Friday, with the same menu as before the floods.

        Its owner said the regulars had come back on the first morning, some with flowers.
        """,
    "gazette/note.md": """
        ---
        title: A note without a date
        ---

        This note about the lighthouse keeper has no date anywhere, so it is exported with none.

        It is still an article: it has sentences, and enough of them to be read as one.
        """,
    "gazette/draft.md": """
        ---
        title: Not yet
        date: 2016-09-10
        draft: true
        ---

        A draft about the lighthouse that no build publishes, and so no export holds either.
        """,
}


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["export", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def content(make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_content(FILES)


def test_jsonl_holds_what_a_build_of_the_sample_site_publishes(
    sample_site: tuple[Path, BuildReport], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, report = sample_site
    out = tmp_path / "archive.jsonl"
    args = ("--content", str(ROOT / "content"), "--config", str(ROOT / "site.yaml"), "-o", str(out))
    status, _, err = run(capsys, *args)
    assert status == 0
    assert f"Exported 9 articles to {out} (JSON Lines, " in err and "1 warning, 0 rejected." in err
    records = lines(out)
    assert len(records) == report.article_count == len(report.articles)
    assert [r["title"] for r in records] == [a.title for a in report.articles]  # the archive's order
    base = "https://archive.example.org/"
    for record in records:
        assert record["url"].startswith(base)
        page = site / record["url"].removeprefix(base) / "index.html"
        assert record["title"] in page.read_text("utf-8")
        assert record["text"] and record["word_count"] > 0
    assert list(records[0]) == list(export.COLUMNS)
    before = out.read_bytes()
    assert run(capsys, *args)[0] == 0
    assert out.read_bytes() == before  # byte-identical for the same input


def test_records_carry_dates_lists_and_text(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "-o", "out.jsonl")
    assert status == 0 and "Exported 3 articles" in err and "left out: 1 draft" in err
    records = {r["source_path"]: r for r in lines(tmp_path / "out.jsonl")}
    assert set(records) == {"gazette/harbour.txt", "gazette/café.md", "gazette/note.md"}
    cafe = records["gazette/café.md"]
    assert cafe["title"] == "Café Müller öffnet wieder — «déjà vu» 東京"
    assert "Café Müller" in (tmp_path / "out.jsonl").read_text("utf-8")  # not \u escapes
    assert cafe["date"] == "2016-09-09T10:00:00+02:00" and cafe["date_from"] == "front matter"
    assert cafe["authors"] == ["Zoë Ødegaard"] and cafe["tags"] == ["café", "culture"]
    assert cafe["url"].startswith("/2016/09/09/") and cafe["url"].endswith("/")
    note = records["gazette/note.md"]
    assert note["date"] is None and note["date_from"] is None and note["url"].startswith("/undated/")
    harbour = records["gazette/harbour.txt"]
    assert harbour["text"] == (
        "The harbour reopened today after engineers replaced the fenders torn loose by the gale.\n\n"
        "Ferries will use the southern berth until the northern pier is inspected again next week."
    )
    assert harbour["date"] == "2016-09-08T14:01:00+00:00" and harbour["month_only"] is False


def test_jsonl_to_the_standard_output_with_a_base_url(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "-o", "-", "--base-url", "https://staging.example.org/news/")
    assert status == 0 and "to the standard output (JSON Lines" in err
    urls = [json.loads(line)["url"] for line in out.splitlines()]
    assert len(urls) == 3 and all(u.startswith("https://staging.example.org/news/20") for u in urls[:2])
    assert urls[2].startswith("https://staging.example.org/news/undated/")


def test_sqlite_is_read_back_with_a_full_text_query(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "-o", "archive.db")[0] == 0
    db = sqlite3.connect(tmp_path / "archive.db")
    rows = db.execute("SELECT source_path, title, date, authors, month_only FROM articles ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [r["source_path"] for r in export_jsonl(capsys)]
    assert json.loads(rows[0][3]) == ["Zoë Ødegaard"] and rows[0][4] == 0
    found = db.execute(
        "SELECT a.source_path, snippet(articles_fts, 1, '[', ']', '...', 4) FROM articles_fts "
        "JOIN articles AS a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank",
        ("lighthouse",),
    ).fetchall()
    assert found == [("gazette/note.md", "...the [lighthouse] keeper has...")]  # not the draft
    titles = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    assert db.execute(titles, ("title:muller",)).fetchall() == [(1,)]  # diacritics folded
    assert db.execute(titles, ("fenders",)).fetchall() == [(2,)]
    db.close()
    if shutil.which("sqlite3"):  # the command-line shell reads it too, as researchers will
        shell = subprocess.run(
            ["sqlite3", "archive.db", "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert shell.stdout == "1\n"


def export_jsonl(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["export", "-o", "-"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_format_comes_from_the_name_or_the_option(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "-o", "a.sqlite")[0] == 0
    assert sqlite3.connect(tmp_path / "a.sqlite").execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert run(capsys, "-o", "a.data", "--format", "jsonl")[0] == 0
    assert len(lines(tmp_path / "a.data")) == 3
    status, _, err = run(capsys, "-o", "a.txt")
    assert status == 1 and "cannot tell the format from the name a.txt" in err and "--format" in err
    status, _, err = run(capsys, "-o", "-", "--format", "sqlite")
    assert status == 1 and "cannot go to the standard output" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.data", "a.sqlite", "content"]


def test_an_existing_export_is_replaced_only_when_the_new_one_is_complete(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "archive.db").write_bytes(b"the last export")
    status, _, err = run(capsys, "-o", "archive.db", "--content", "nowhere")
    assert status == 1 and "content folder nowhere not found" in err
    assert (tmp_path / "archive.db").read_bytes() == b"the last export"
    full = OSError(errno.ENOSPC, "No space left on device")

    def disk_full(*args: object) -> None:
        raise full

    with monkeypatch.context() as patch:
        patch.setattr(export, "article_record", disk_full)  # the disk fills while the rows are written
        status, _, err = run(capsys, "-o", "archive.db")
    assert status == 3 and "No space left on device" in err
    assert (tmp_path / "archive.db").read_bytes() == b"the last export"
    assert run(capsys, "-o", "archive.db")[0] == 0
    assert sqlite3.connect(tmp_path / "archive.db").execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db", "content"]  # no temporary file left


def test_outputs_it_cannot_use_are_clear_errors(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _, err = run(capsys, "-o", "missing/archive.db")
    assert (status, err) == (1, "error: cannot export to missing/archive.db: folder missing does not exist\n")
    (tmp_path / "folder.db").mkdir()
    status, _, err = run(capsys, "-o", "folder.db")
    assert status == 1 and "cannot export to folder.db: it is a folder" in err
    status, _, err = run(capsys, "--output", "archive.jsonl", "--config", "nowhere.yaml")
    assert status == 1 and "nowhere.yaml" in err
    create = export.os.open

    def denied(path: str, *args: Any) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return create(path, *args)

    monkeypatch.setattr(export.os, "open", denied)  # a folder we may not write in (root ignores chmod)
    status, _, err = run(capsys, "-o", "archive.db")
    assert (status, err) == (3, "error: cannot use archive.db: Permission denied\n")  # its name, not the temporary's


def test_rejected_files_are_reported_as_check_reports_them(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    make_content({**FILES, "gazette/empty.txt": b"", "gazette/binary.txt": b"\x00\x01\x02" * 40})
    status, out, err = run(capsys, "-o", "out.jsonl")
    assert status == 2 and out == ""
    assert "rejected: gazette/binary.txt" in err and "rejected: gazette/empty.txt" in err
    assert "Exported 3 articles" in err and "2 rejected" in err
    assert len(lines(tmp_path / "out.jsonl")) == 3  # the others are exported
    assert main(["check"]) == 2  # as check says


def test_without_fts5_the_error_names_the_fix(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "FTS_TABLE", export.FTS_TABLE.replace("fts5", "fts9"))  # an SQLite without it
    status, _, err = run(capsys, "-o", "archive.db")
    assert status == 1 and "has no full-text search" in err and "--format jsonl" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_bodies_are_fetched_a_batch_at_a_time(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check_content(SiteConfig(), content)
    fetched: list[int] = []

    def bodies(articles: Sequence[ArticleMeta]) -> list[Article]:
        fetched.append(len(articles))
        return checked.bodies(articles)

    monkeypatch.setattr(export, "BATCH", 2)
    counted = dataclasses.replace(checked, bodies=bodies)
    assert [r["source_path"] for r in export.records(counted, "")] == [a.source_path for a in checked.archive.articles]
    assert fetched == [2, 1]


def test_a_reader_that_stops_early_is_no_error(content: Path, tmp_path: Path) -> None:
    words = "tide quay ferry storm pier council boat crane gull net rope mast keel sail anchor buoy".split()
    for i in range(40):  # more than a pipe holds
        rng = random.Random(i)
        text = " ".join(f"{' '.join(rng.choices(words, k=12))}." for _ in range(400))
        (content / f"gazette/story-{i}.txt").write_text(f"Story number {i} of the harbour\n8 Sep, 2016\n\n{text}\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "export", "-o", "-"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    err = process.communicate(timeout=120)[1].decode()
    assert json.loads(first)["title"] and process.returncode == 0
    assert "error" not in err.lower() and "Exported" not in err  # stopped, quietly


def test_the_readmes_query_finds_what_the_readme_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text("utf-8").split("### `newsgen export`", 1)[1].split("\n### ", 1)[0]
    shown = re.search(r'^\$ sqlite3 archive\.db "(.+?)"\n(.+?)\n\$', readme, re.MULTILINE | re.DOTALL)
    assert shown, "the README shows a full-text query and its answer"
    out = tmp_path / "archive.db"
    assert (
        main(["export", "-o", str(out), "--content", str(ROOT / "content"), "--config", str(ROOT / "site.yaml")]) == 0
    )
    rows = sqlite3.connect(out).execute(shown[1]).fetchall()
    assert ["|".join(map(str, row)) for row in rows] == shown[2].splitlines()
