"""Pagefind runs on the staged site; without it the site is still built and the build says why."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
STORY = "---\ntitle: Ferry returns\ndate: 2018-01-25\n---\n\nThe island ferry returns to its timetable.\n"


def test_sample_site_has_a_search_index_with_source_and_year_filters(sample_site: tuple[Path, BuildReport]) -> None:
    site, report = sample_site
    assert not [w for w in report.warnings if w.path == "search"]
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(report.articles)  # articles only, not lists
    assert (site / "pagefind/pagefind-ui.js").is_file()
    assert list((site / "pagefind/filter").glob("*.pf_filter"))
    page = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in page
    seed = next(site.glob("2016/09/08/russia-*/index.html")).read_text(encoding="utf-8")
    assert 'data-pagefind-filter="source">RT</a>' in seed and 'data-pagefind-filter="year:2016"' in seed


@pytest.mark.parametrize("binary", ["/nonexistent/pagefind", "/bin/false"])
def test_without_a_working_pagefind_the_site_is_built_and_the_build_says_so(
    make_content: MakeContent, build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, binary: str
) -> None:
    monkeypatch.setenv("NEWSGEN_PAGEFIND", binary)
    make_content({"a.md": STORY})
    report = build()
    site = tmp_path / "_site"
    assert (site / "2018/01/25/ferry-returns/index.html").is_file()
    assert (site / "search/index.html").is_file() and not (site / "pagefind").exists()
    (warning,) = report.warnings
    assert warning.path == "search" and "the site was built without search" in warning.message
    assert not report.rejected


def test_search_false_builds_neither_index_nor_page(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    make_content({"a.md": STORY})
    report = build({"search": False})
    site = tmp_path / "_site"
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert 'role="search"' not in (site / "index.html").read_text(encoding="utf-8")
    assert report.warnings == ()
