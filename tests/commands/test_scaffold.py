"""init and new: a working site from nothing, articles that build, and nothing overwritten."""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from newsgen.commands.scaffold import init_site, new_article, site_yaml
from newsgen.config import SiteConfig, SourceConfig, config_from_mapping, load_config
from newsgen.errors import NewsgenError
from newsgen.pipeline import build_site
from newsgen.sources.loader import parse_source
from newsgen.sources.newfiles import MAX_NAME_BYTES, create_file

ROOT = Path(__file__).resolve().parents[2]


def test_init_makes_a_site_that_builds(tmp_path: Path) -> None:
    site = tmp_path / "my-site"
    made = init_site(site)
    assert {p.relative_to(site).as_posix() for p in made} == {
        "site.yaml", "content/example/harbour-reopens.txt", "content/editors/welcome.md", "content/pages/about.md",
        "templates/README.txt", ".gitignore",
    }  # fmt: skip
    config = load_config(site / "site.yaml")
    assert config.title == "My Site"
    report = build_site(config, site / "content", site / "_site", site / "templates")
    assert not report.rejected and not report.warnings
    assert sorted(a.title for a in report.articles) == [
        "Harbour reopens after winter storm repairs",
        "Welcome to your archive",
    ]
    assert [(p.title, p.source_path) for p in report.standalone] == [("About this archive", "pages/about.md")]
    about = (site / "_site/about/index.html").read_text(encoding="utf-8")
    assert 'href="index.html" aria-current="page">About this archive</a>' in about
    scraped = next(a for a in report.articles if a.source == "example")
    assert scraped.source_name == "Example Gazette"
    removed = next(a["removed_lines"] for a in report.to_json()["articles"] if a["source"] == scraped.source_path)
    assert {r["rule"] for r in removed} >= {"navigation", "share-prompt", "title", "dateline"}
    assert "_site/" in (site / ".gitignore").read_text()


def test_readme_says_what_init_makes(tmp_path: Path) -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = readme[readme.index("`newsgen init DIR` creates") :].partition(" It refuses")[0]
    made = [p.relative_to(tmp_path).as_posix() for p in init_site(tmp_path)]
    for name in made:  # each file, or the folder it is in, is named
        top, slash, _ = name.partition("/")
        assert f"`{top}{slash}`" in said, name
    assert [p.name for p in (tmp_path / "templates").iterdir()] == ["README.txt"]
    assert "`templates/` holding only a `README.txt`" in said and "empty" not in said


def test_site_yaml_has_every_key_with_its_default_and_a_comment() -> None:
    text = site_yaml("T")
    data = yaml.safe_load(text)
    assert set(data) == {f.name for f in dataclasses.fields(SiteConfig)}
    for f in dataclasses.fields(SiteConfig):
        if f.name not in ("title", "sources", "menu"):
            default = dataclasses.asdict(f.default) if dataclasses.is_dataclass(f.default) else f.default  # type: ignore[arg-type]
            assert data[f.name] == (list(default.names) if f.name == "plugins" else default), f.name
        assert f"# {f.metadata['doc']}" in text
    assert data["menu"] == [{"page": "about"}]  # the scaffold's own About page
    assert set(data["sources"]["example"]) == {f.name for f in dataclasses.fields(SourceConfig)}
    assert config_from_mapping(data).title == "T"


@pytest.mark.parametrize("existing", ["file.txt", ".hidden"])
def test_init_refuses_a_non_empty_folder(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("mine")
    with pytest.raises(NewsgenError, match="is not empty"):
        init_site(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [existing]


def test_init_accepts_an_empty_existing_folder(tmp_path: Path) -> None:
    assert len(init_site(tmp_path)) == 6


def test_new_writes_dated_markdown_with_front_matter(tmp_path: Path) -> None:
    when = datetime(2024, 3, 12, 9, 5, tzinfo=timezone(timedelta(hours=3)))
    path = new_article(tmp_path, SiteConfig(), 'Storm: "closes" the harbour', "Harbour Gazette", when)
    assert path == tmp_path / "harbour-gazette" / "2024-03-12-storm-closes-the-harbour.md"
    source = parse_source(path.read_bytes(), "harbour-gazette/x.md")
    assert source.front_matter == {
        "title": 'Storm: "closes" the harbour', "date": when, "source": "Harbour Gazette", "tags": [],
    }  # fmt: skip


def test_new_never_overwrites(tmp_path: Path) -> None:
    when = datetime(2024, 3, 12, tzinfo=UTC)
    path = new_article(tmp_path, SiteConfig(), "Same title", None, when)
    path.write_text("my edits")
    with pytest.raises(NewsgenError, match="already exists"):
        new_article(tmp_path, SiteConfig(), "Same title", None, when)
    assert path.read_text() == "my edits"
    assert path.parent.name == "archive"


def test_new_refuses_an_empty_title(tmp_path: Path) -> None:
    with pytest.raises(NewsgenError, match="title is empty"):
        new_article(tmp_path, SiteConfig(), "  ", None, datetime(2024, 1, 1, tzinfo=UTC))


def test_new_with_a_title_in_invalid_bytes_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    def new(title: bytes) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable.encode(), b"-m", b"newsgen", b"new", title, b"--date", b"2024-03-12"]
        utf8 = {**os.environ, "PYTHONUTF8": "1"}  # bytes on the command line read as UTF-8, as in any UTF-8 locale
        return subprocess.run(command, cwd=tmp_path, capture_output=True, check=False, env=utf8)

    refused = new(b"\xff\xfe Storm")
    assert refused.returncode == 1
    assert refused.stderr.decode() == (
        "error: the title is not valid UTF-8 text (\\xff\\xfe); type it again in a terminal set to UTF-8\n"
    )
    assert not (tmp_path / "content").exists() or not any((tmp_path / "content").rglob("*"))
    retried = new("\u00fe Storm".encode())  # the same title, typed right: nothing in its way
    assert retried.returncode == 0, retried.stderr
    [made] = (tmp_path / "content").rglob("*.md")
    assert made.name == "2024-03-12-th-storm.md" and 'title: "\u00fe Storm"' in made.read_text(encoding="utf-8")


def test_new_refuses_a_year_the_build_cannot_date(tmp_path: Path) -> None:
    with pytest.raises(NewsgenError, match="the year 150 is outside 1000-9999"):
        new_article(tmp_path, SiteConfig(), "Old news", None, datetime(150, 1, 1, tzinfo=UTC))
    assert list(tmp_path.iterdir()) == []


def test_new_cuts_a_long_title_to_a_file_name_the_disk_takes(tmp_path: Path) -> None:
    path = new_article(tmp_path, SiteConfig(), "𐌰" * 100, None, datetime(2024, 1, 1, tzinfo=UTC))
    assert len(path.name.encode()) <= MAX_NAME_BYTES and path.name.endswith(".md")
    assert parse_source(path.read_bytes(), "archive/x.md").front_matter["title"] == "𐌰" * 100


def test_create_file_leaves_nothing_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class FullDisk(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda handle, mode: (os.close(handle), FullDisk())[1])
    with pytest.raises(OSError, match="No space left"):
        create_file(tmp_path / "a" / "x.txt", b"text")
    assert list((tmp_path / "a").iterdir()) == []  # neither the file nor its temporary


def test_create_file_never_overwrites_and_keeps_the_usual_mode(tmp_path: Path) -> None:
    create_file(tmp_path / "x.txt", b"first")
    with pytest.raises(FileExistsError):
        create_file(tmp_path / "x.txt", b"second")
    assert (tmp_path / "x.txt").read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == ["x.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "x.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
