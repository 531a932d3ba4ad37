"""An incremental build writes exactly the bytes of a build from scratch, and does only what changed.

One 200-article archive (20 sources of 10 articles, 50 tags: dense, so that a small archive has full
lists), 5 articles a page (so that every source and tag goes on past its first page, by month), and a
burst of 12 articles of one month (a month on three pages) goes through edits, additions at old and new
dates, deletions, a renamed file, a line its source now repeats everywhere, and a new duplicate;
after each change the build that reuses the cache is compared, file by file, with a build of the same content
into a fresh folder. Changes the whole site shows are in test_site_changes.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgen import pipeline
from newsgen.archive.collect import article_path
from newsgen.config import config_from_mapping
from newsgen.incremental import parsed as loading
from newsgen.incremental import searchpatch
from newsgen.incremental.keys import PageKeys
from newsgen.output.outputfolder import MARKER
from newsgen.output.pages import PageJob
from newsgen.pipeline import BuildReport, build_site

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_archive
from trees import tree

N = 200
SHAPE = {"sources": 20, "tags": 50}
SETTINGS: dict[str, object] = {"base_url": "https://archive.example.org/", "per_page": 5}  # search on: patched too
BURST = "2015/03/"  # the month of a burst of 12 articles: wire's on 3 pages (5, 5, 2), counted from its oldest
WIRE = f"sources/wire/{BURST}"


def burst_article(day: int, hour: int = 12) -> str:
    head = f"title: Gale warning number {day} {hour}\ndate: 2015-03-{day:02d} {hour:02d}:00\ntags: [storm]"
    return f"---\n{head}\n---\n\nStorm {day}.\n"


def age(folder: Path) -> None:
    """Date every file a minute back, as if written long before the next build."""
    past = time.time() - 60
    for file in folder.rglob("*"):
        os.utime(file, (past, past))


class Archive:
    """The content, the site built again and again in place, and fresh builds to compare it with."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.templates: Path | None = None
        self.settings = dict(SETTINGS)
        self.fresh = 0

    def build(self, output: str = "_site") -> BuildReport:
        config = config_from_mapping(self.settings)
        return build_site(config, self.content, self.root / output, self.templates, report=True)

    def check(self) -> BuildReport:
        """Build in place, then from scratch; the two sites and reports must be the same."""
        report = self.build()
        self.fresh += 1
        scratch = self.build(f"fresh{self.fresh}")
        assert not report.unchanged
        assert report.to_json() == scratch.to_json()
        incremental, full = tree(self.root / "_site"), tree(self.root / f"fresh{self.fresh}")
        assert incremental.keys() == full.keys()
        assert [p for p in full if incremental[p] != full[p]] == []
        shutil.rmtree(self.root / f"fresh{self.fresh}")
        age(self.content)
        return report

    def files(self, source: str) -> list[Path]:
        return sorted((self.content / source).glob("*.txt"))


def new_archive(root: Path, n: int = N) -> Archive:
    """``n`` articles of SHAPE and the burst, built once."""
    write_archive(root / "content", n, **SHAPE)
    for day in range(2, 26, 2):
        (root / "content" / "wire").mkdir(exist_ok=True)
        (root / "content" / "wire" / f"gale-{day:02d}.md").write_text(burst_article(day), encoding="utf-8")
    age(root / "content")
    site = Archive(root)
    first = site.build()
    assert len(first.articles) >= n - 10 and first.written == first.pages
    return site


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return new_archive(tmp_path_factory.mktemp("incremental"))


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from here on (builds run on one process here, so the count is seen)."""
    seen: list[str] = []
    real = pipeline.parse_article

    def counting(source: object, cleaned: object, config: object) -> object:
        seen.append(source.path)  # type: ignore[attr-defined]
        return real(source, cleaned, config)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "parse_article", counting)
    return seen


def edit(file: Path, change: Callable[[str], str]) -> None:
    file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")


def test_editing_one_body_reparses_that_file_and_rewrites_few_pages(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = parses(monkeypatch)
    target = archive.files("source-03")[2]
    edit(target, lambda text: text.replace("\n\n", "\n\nA sentence the editor added to this story.\n\n", 2))
    index = sorted((archive.root / "_site/search/data").rglob("*.json"))
    before = {p: p.stat().st_mtime_ns for p in index}
    monkeypatch.setattr(searchpatch, "stream_index_files", None)  # the search index must be patched, not made anew
    report = archive.build()
    assert parsed == [target.relative_to(archive.content).as_posix()]
    patched = [p for p in index if p.stat().st_mtime_ns != before[p]]
    assert 0 < len(patched) < len(index)
    pages = report.written - len(patched)
    assert 0 < pages < 40, pages  # the page, its neighbours, lists, feeds, the sitemap
    monkeypatch.undo()
    archive.fresh += 1
    assert tree(archive.root / "_site") == tree_of_fresh_build(archive)


def tree_of_fresh_build(archive: Archive) -> dict[str, bytes]:
    name = f"fresh{archive.fresh}"
    archive.build(name)
    out = tree(archive.root / name)
    shutil.rmtree(archive.root / name)
    return out


def test_an_edit_past_the_words_related_articles_read_keeps_them_without_scoring_again(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = archive.files("source-07")[1]
    last = target.read_text(encoding="utf-8").split("\n\n")[-2]  # the body's last paragraph, before the footer
    edit(target, lambda text: text.replace(last, f"{last} The editor added this sentence, far down the story."))
    scored: list[int] = []
    real = pipeline.related_choice
    monkeypatch.setattr(pipeline, "related_choice", lambda *a: scored.append(1) or real(*a))
    report = archive.check()
    assert scored == [1]  # the fresh build of the check scores the archive; the one in place did not
    shown = next(a for a in report.articles if a.source_path == target.relative_to(archive.content).as_posix())
    assert "far down the story" in (archive.root / "_site" / article_path(shown)).read_text(encoding="utf-8")


def keyed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages whose inputs are made and hashed from here on."""
    seen: list[str] = []
    real = PageKeys.__call__

    def counting(self: PageKeys, job: PageJob) -> str:
        seen.append(job.path)
        return real(self, job)

    monkeypatch.setattr(PageKeys, "__call__", counting)
    return seen


def test_editing_the_lead_looks_only_at_the_pages_that_show_the_article(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = archive.files("source-09")[3]
    lead = target.read_text(encoding="utf-8").split("\n\n")[2]
    edit(target, lambda text: text.replace(lead, f"An editor's new opening sentence. {lead}", 1))
    looked_at = keyed(monkeypatch)
    report = archive.build()
    monkeypatch.undo()
    shown = next(a for a in report.articles if a.source_path == target.relative_to(archive.content).as_posix())
    assert article_path(shown) in looked_at
    assert any(p.startswith("tags/") for p in looked_at) and any(p.startswith("sources/") for p in looked_at)
    assert len(looked_at) < 40, looked_at  # of some 800 pages: the article's, its neighbours', its lists
    archive.fresh += 1
    assert tree(archive.root / "_site") == tree_of_fresh_build(archive)
    age(archive.content)


def test_an_edit_profiles_its_source_alone_from_the_lines_the_cache_kept(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = archive.files("source-05")[4]
    edit(target, lambda text: text.replace("\n\n", "\n\nA line the editor added to this one story.\n\n", 1))
    folded: list[int] = []
    profiled: list[int] = []
    fold, profile = loading.folded_lines, loading.profile_sketched
    monkeypatch.setattr(loading, "folded_lines", lambda lines: folded.append(1) or fold(lines))
    monkeypatch.setattr(loading, "profile_sketched", lambda f, *a: profiled.append(len(f)) or profile(f, *a))
    archive.build()
    monkeypatch.undo()
    assert profiled == [len(archive.files("source-05"))]  # no other source is profiled again
    assert folded == [1]  # only the edited file is read and folded: its neighbours' lines come from the cache
    archive.fresh += 1
    assert tree(archive.root / "_site") == tree_of_fresh_build(archive)
    age(archive.content)


def test_a_page_deleted_by_hand_comes_back_with_the_next_edit(archive: Archive) -> None:
    site = archive.root / "_site"
    gone = [site / "tags/index.html", next(site.glob("sources/*/index.html")), next(site.glob("20*/index.html"))]
    for page in gone:
        page.unlink()
    edit(archive.files("source-02")[4], lambda text: text.replace("\n\n", "\n\nOne more sentence.\n\n", 1))
    archive.check()
    assert all(page.is_file() for page in gone)


def test_a_second_build_with_nothing_changed_writes_nothing(archive: Archive) -> None:
    archive.build()
    (archive.root / ".newsgen-cache" / "_site.stamp").unlink()  # past the stamp: the cache must tell
    report = archive.build()
    assert report.written == 0 and report.pages > 3 * N


def test_editing_a_title(archive: Archive) -> None:
    target = archive.files("source-05")[0]
    lines = target.read_text(encoding="utf-8").split("\n")
    title = next(i for i, line in enumerate(lines) if len(line.split()) > 4)
    lines[title] = "A wholly new headline for this archived story"
    target.write_text("\n".join(lines), encoding="utf-8")
    archive.check()


def test_adding_articles_older_and_newer(archive: Archive) -> None:
    write_archive(archive.content, 30, start=N, **SHAPE)
    archive.check()


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.html")}


def test_adding_articles_at_a_months_old_and_new_ends(archive: Archive) -> None:
    site = archive.root / "_site"
    assert (site / WIRE / "page/2/index.html").is_file() and not (site / WIRE / "page/3").exists()
    before = mtimes(site / WIRE)
    (archive.content / "wire" / "gale-27.md").write_text(burst_article(27), encoding="utf-8")  # the new end
    archive.check()
    assert not (site / WIRE / "page/3").exists()
    assert [p for p, t in mtimes(site / WIRE).items() if t != before[p]] == [site / WIRE / "index.html"]
    for day in (1, 28, 29):  # the old end, and the new: 16, a 4th page
        (archive.content / "wire" / f"gale-{day:02d}.md").write_text(burst_article(day), encoding="utf-8")
    archive.check()
    assert (site / WIRE / "page/3/index.html").is_file() and (site / "tags/storm" / BURST / "page/3").is_dir()


def test_a_page_of_a_month_nothing_was_added_to_is_not_rewritten(archive: Archive) -> None:
    site = archive.root / "_site"
    before = mtimes(site)
    write_archive(archive.content, 3, start=N + 30, **SHAPE)  # at random dates, none in the burst's month
    report = archive.check()
    rewritten = [p for p, t in mtimes(site).items() if t != before.get(p)]
    assert [p for p in rewritten if BURST in p.as_posix()] == []
    # Each article's page and its neighbours', its day, month and year, its source's and tags' first pages and
    # months, the days and months beside a new one (their links to it), the indexes, and the pages of the
    # articles it is now related to: 24 an article in this sparse archive, where under pagination by count
    # every page of the front page's list (40) and of its sections' after it shifted.
    assert len(rewritten) < 3 * 30, rewritten
    assert report.written < len(before) / 10


def test_deleting_articles(archive: Archive) -> None:
    for file in archive.files("source-07")[:3] + archive.files("source-11")[:2]:
        file.unlink()
    report = archive.check()
    assert not list((archive.root / "_site").rglob("*.tmp"))
    assert report.pages == len(tree(archive.root / "_site").keys() - {MARKER})  # the marker is no page


def test_renaming_a_file(archive: Archive) -> None:
    first = archive.files("source-13")[0]
    first.rename(first.with_name("renamed-" + first.name))
    archive.check()


def test_a_line_the_source_now_repeats_everywhere_is_cleaned_from_every_article(archive: Archive) -> None:
    files = archive.files("source-17")
    for file in files:
        edit(file, lambda text: text.rstrip("\n") + "\n\nSubscribe to our daily newsletter for more stories\n")
    report = archive.check()
    own = [a for a in report.articles if a.source_path.startswith("source-17/")]
    pages = [(archive.root / "_site" / article_path(a)).read_text(encoding="utf-8") for a in own]
    assert len(own) > 5 and not [page for page in pages if "newsletter" in page]


def test_an_article_becoming_a_copy_of_another(archive: Archive) -> None:
    one, two = archive.files("source-19")[:2]
    two.write_text(one.read_text(encoding="utf-8"), encoding="utf-8")
    report = archive.check()
    assert two.relative_to(archive.content).as_posix() in {d.path for d in report.duplicates} | {
        d.duplicate_of for d in report.duplicates
    }


def test_the_cli_says_how_many_files_a_rebuild_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgen.cli import main

    write_archive(tmp_path / "content", 30)
    age(tmp_path / "content")
    (tmp_path / "site.yaml").write_text("search: false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    assert " written" not in capsys.readouterr().out  # a first build writes every file
    edit(next((tmp_path / "content").rglob("*.txt")), lambda text: text + "\nOne more sentence here.\n")
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    written = int(out.split(" written")[0].rsplit(", ", 1)[1])
    assert 0 < written < 20, out


def test_a_rebuild_that_fails_half_way_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    from newsgen.errors import ThemeError

    write_archive(tmp_path / "content", 60)
    age(tmp_path / "content")
    config = config_from_mapping(SETTINGS)
    build_site(config, tmp_path / "content", tmp_path / "_site", tmp_path / "templates")
    before = tree(tmp_path / "_site")
    victim = sorted((tmp_path / "content").rglob("*.txt"))[40]
    edit(victim, lambda text: text + "\nBROKEN sentence that a template chokes on.\n")
    for file in sorted((tmp_path / "content").rglob("*.txt"))[:30]:  # pages rendered before the failing one
        edit(file, lambda text: text + "\nAnother sentence.\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block main %}'
        '{% if "BROKEN" in article.body_html %}{{ no_such_variable }}{% endif %}{{ super() }}{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(ThemeError, match="no_such_variable"):
        build_site(config, tmp_path / "content", tmp_path / "_site", tmp_path / "templates")
    assert tree(tmp_path / "_site") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("._site")] == []
