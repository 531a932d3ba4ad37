"""benchmarks/run.py on a 20-article archive: every figure is there and the counts are real.

Nothing here asserts a time: the harness is checked, not the speed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
N = 20
ARTICLE_PAGES = "[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"  # /YYYY/MM/DD/slug/index.html


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    """benchmarks/run.py is a script, not a package: load it by path; its builds run this checkout."""
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        yield module


@pytest.fixture(scope="module")
def measured(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    work = tmp_path_factory.mktemp("bench") / f"n{N}"
    prefix = bench.newsgen_prefix("python -m newsgen")
    return bench.run_size(work, N, prefix, search=False, jobs=None, others=[]), work


def test_every_figure_is_there_and_positive(measured: tuple[dict[str, Any], Path]) -> None:
    result, _ = measured
    assert result["n"] == N and result["generate_seconds"] > 0
    assert result["floor"]["files"] == N and result["floor"]["seconds"] > 0
    newsgen = result["newsgen"]
    for step in ("full", "noop", "edit_one", "add_100"):
        figures = newsgen[step]
        assert figures["seconds"] > 0 and figures["cpu_seconds"] > 0 and figures["exit"] in (0, 2), step
        assert 0 < figures["peak_rss_mb"] <= figures["tree_rss_mb"], step
        assert 0 <= figures["tree_pss_mb"] <= figures["tree_rss_mb"], step  # 0: ended before a sample
    for step in ("full", "edit_one", "add_100"):  # what --timings printed
        stages = newsgen[step]["cpu_stages"]
        assert list(stages)[:2] == ["load/clean", "parse"] and 0 < sum(stages.values()) <= newsgen[step]["cpu_seconds"]
    assert newsgen["output_files"] > N and newsgen["output_bytes"] > 0 and newsgen["articles_per_second"] > 0
    assert newsgen["noop"]["written_files"] == 0
    assert 0 < newsgen["edit_one"]["written_pages"] < newsgen["edit_one"]["written_files"] < newsgen["output_files"]
    added = newsgen["add_100"]
    assert added["written_pages"] > 100 and added["pages_per_added"] == round(added["written_pages"] / 100, 1)
    assert result["ratios"]["newsgen/floor"] > 0


def test_the_file_count_is_that_of_a_real_build(
    bench: ModuleType, measured: tuple[dict[str, Any], Path], tmp_path: Path
) -> None:
    bench.write_archive(tmp_path / "content", N)
    (tmp_path / "site.yaml").write_text("base_url: https://example.org/\nsearch: false\n")
    subprocess.run([sys.executable, "-m", "newsgen", "build", "--quiet"], cwd=tmp_path, check=False)
    real = [path for path in (tmp_path / "_site").rglob("*") if path.is_file()]
    assert measured[0]["newsgen"]["output_files"] == len(real)
    assert len(list((tmp_path / "_site").glob(ARTICLE_PAGES))) == N


def test_the_rebuilds_really_changed_the_site(bench: ModuleType, measured: tuple[dict[str, Any], Path]) -> None:
    site = measured[1] / "newsgen" / "_site"
    assert len(list(site.glob(ARTICLE_PAGES))) == N + bench.ADDED
    edited = [page for page in site.glob(ARTICLE_PAGES) if bench.EDIT in page.read_text(encoding="utf-8")]
    assert len(edited) == 1


def test_which_newsgen_is_measured(bench: ModuleType, tmp_path: Path) -> None:
    info = bench.newsgen_info(bench.newsgen_prefix("python -m newsgen"), tmp_path)
    assert Path(info["module"]) == ROOT / "newsgen"
    assert isinstance(info["jobs_option"], bool) and info["version"]


@pytest.mark.parametrize("tool", ["hugo", "pelican"])
def test_the_other_generators_get_one_page_per_article(bench: ModuleType, tool: str, tmp_path: Path) -> None:
    if not bench.tool_version(tool):
        missing = f"{tool} is not installed ({bench.INSTALL[tool]})"
        # .ci/run installs Hugo (Debian's), so in CI its absence is a failure. Pelican stays out of the test
        # extras: its pins (pygments<2.20, docutils>=0.22) would change the packages of the Python it goes into.
        if tool == "hugo" and os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    figures = bench.bench_other(tool, tmp_path / tool, N)
    out = tmp_path / tool / ("public" if tool == "hugo" else "output")
    assert len(list(out.glob(ARTICLE_PAGES))) == N
    assert figures["output_files"] > N and figures["seconds"] > 0 and figures["peak_rss_mb"] > 0


STUB_CORPUS = """import os, sys
out, n, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[4]
rows = []
for i in range(n):
    day = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
    if fmt == "plain":
        body = f"Story number {i} of the wire\\n\\nThe text of story {i}."
        path, text = f"wire/story-{i}.txt", f"Icons\\n{day} 10:00\\n\\n{body}\\n\\nPodcasts\\n0:00\\n"
    else:
        path, text = f"content/posts/story-{i}.md", f"---\\ntitle: Story {i}\\ndate: {day}\\n---\\n\\nThe text.\\n"
    os.makedirs(os.path.join(out, os.path.dirname(path)), exist_ok=True)
    open(os.path.join(out, path), "w").write(text)
    rows.append(f"{i + 1}\\t{path}\\n")
open(os.path.join(out, "_manifest.tsv"), "w").write("id\\tpath\\n" + "".join(rows))
"""


def test_the_anchors_corpus_is_measured_as_the_benchmarks_own(bench: ModuleType, tmp_path: Path) -> None:
    """Its first N articles, then the next 100, edited before its player junk (a stand-in for make_corpus.py)."""
    (tmp_path / "make_corpus.py").write_text(STUB_CORPUS)
    corpus = bench.SharedCorpus(tmp_path / "make_corpus.py", tmp_path / "corpus", 5)
    corpus.write(tmp_path / "content", 5)
    assert sorted(p.name for p in (tmp_path / "content/wire").iterdir()) == [f"story-{i}.txt" for i in range(5)]
    corpus.write(tmp_path / "content", bench.ADDED, start=5)
    assert len(list((tmp_path / "content/wire").iterdir())) == 5 + bench.ADDED
    corpus.edit(tmp_path / "content", 2)
    edited = (tmp_path / "content/wire/story-2.txt").read_text()
    assert edited.endswith(f"The text of story 2. {bench.EDIT}\n\nPodcasts\n0:00\n")
    corpus.other_site("hugo", tmp_path / "hugo", 3)
    assert (tmp_path / "hugo/hugo.toml").is_file() and len(list((tmp_path / "hugo/content/posts").iterdir())) == 3


def test_the_report(bench: ModuleType, measured: tuple[dict[str, Any], Path], tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bench, "run_size", lambda *args: measured[0])
        bench.main(["--sizes", str(N), "--no-search", "--out", str(tmp_path / "r.json")])
    report = json.loads((tmp_path / "r.json").read_text())
    assert {"platform", "cpu", "cores", "memory_gb", "python", "filesystem"} <= report["machine"].keys()
    assert report["settings"]["sizes"] == [N] and report["settings"]["search"] is False
    assert report["settings"]["newsgen"]["module"] and report["date"]
    assert report["results"] == [measured[0]]


def test_a_process_tree_holds_no_more_than_its_resident_pages(bench: ModuleType) -> None:
    rss, pss = bench.tree_memory(os.getpid())
    assert 0 < pss <= rss
