"""A build on several processes writes exactly the bytes of a build on one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newsgen import pipeline
from newsgen.config import config_from_mapping
from newsgen.incremental import parsed
from newsgen.parallel import map_ordered
from newsgen.pipeline import build_site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import write_archive
from trees import tree


def square(offset: int, item: int) -> int:
    return item * item + offset


def test_map_ordered_keeps_order_across_processes() -> None:
    items = list(range(1000))
    assert list(map_ordered(square, 1, items, jobs=2)) == [i * i + 1 for i in items]
    assert list(map_ordered(square, 1, items[:3], jobs=2)) == [1, 2, 5]


_loaded: list[int] = []  # what a function loads once in a process (a model, a pattern), here the loader's pid


def loader_pid(_: None, item: int) -> int:
    if not _loaded:
        _loaded.append(os.getpid())
    return _loaded[0]


def test_workers_share_what_the_first_item_loaded() -> None:
    _loaded.clear()
    pids = list(map_ordered(loader_pid, None, list(range(200)), jobs=2))
    assert pids == [os.getpid()] * 200  # loaded here once, before forking, not once in each worker


def test_parallel_build_equals_serial_build_in_several_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small batches, so that 200 articles (some 800 pages) are parsed and rendered in several, as big archives are.
    monkeypatch.setattr(parsed, "BATCH_FILES", 64)
    monkeypatch.setattr(pipeline, "RENDER_BATCH", 250)
    write_archive(tmp_path / "content", 200, sources=20, tags=50)
    config = config_from_mapping({"base_url": "https://example.org/", "search": False})
    serial = build_site(config, tmp_path / "content", tmp_path / "serial", jobs=1)
    parallel = build_site(config, tmp_path / "content", tmp_path / "parallel", jobs=2)
    assert len(serial.articles) == len(parallel.articles) >= 195
    assert [a.source_path for a in serial.articles] == [a.source_path for a in parallel.articles]
    one, two = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert len(one) > 2 * pipeline.RENDER_BATCH  # three render batches or more
    assert one == two
