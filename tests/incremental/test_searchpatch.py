"""Patching the last build's search index: an update gives the files of a full index, or is refused."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_searchindex import make_doc

from newsgen.incremental import searchpatch
from newsgen.incremental.searchpatch import update_index
from newsgen.output import searchindex
from newsgen.output.searchdocs import SearchDoc
from newsgen.output.searchindex import Layout, index_files


def reference_ids(paths: set[str], bits: int) -> dict[str, int]:
    """Ids as the searchindex docstring defines them, computed the plain way."""
    ids: dict[str, int] = {}
    last = -1
    for number, path in sorted((zlib.crc32(p.encode()) & ((1 << bits) - 1), p) for p in paths):
        last = ids[path] = max(number, last + 1)
    return ids


def tiny_layout(count: int) -> Layout:
    """Steps every doubling from two documents on, with an id space so small that hashes collide often."""
    scale = max(0, count - 1).bit_length()
    return Layout(
        id_bits=2 + scale, words=1 << max(1, scale), prefixes=2 << (scale > 2), docs=2, dates=1 << (scale > 3)
    )


Batch = list[tuple[int, bool, int]]  # (path number, delete?, version)
batches = st.lists(st.lists(st.tuples(st.integers(0, 14), st.booleans(), st.integers(0, 3)), max_size=4), max_size=12)


def run_batches(batch_list: list[Batch], paths: Callable[[int], str]) -> Iterator[tuple[bool, bool]]:
    """Applies each batch by update_index to the files of the index before it; yields (updated?, expected?)."""
    docs: dict[str, SearchDoc] = {}
    files = dict(index_files([]))
    for batch in batch_list:
        removed, added, seen = [], [], set()
        for number, delete, version in batch:
            path = paths(number)
            if path in seen:
                continue
            seen.add(path)
            if path in docs:
                removed.append(docs.pop(path))
            if not delete:
                docs[path] = make_doc(path, version)
                added.append(docs[path])
        before = {d.path for d in removed} | (docs.keys() - {d.path for d in added})
        after = set(docs)
        untouched = before & after - {d.path for d in removed} - {d.path for d in added}
        old_shape, new_shape = searchindex.layout(len(before)), searchindex.layout(len(after))
        old_ids, new_ids = reference_ids(before, old_shape.id_bits), reference_ids(after, new_shape.id_bits)
        possible = old_shape == new_shape and all(old_ids[p] == new_ids[p] for p in untouched)
        expected = dict(index_files(docs.values()))
        changes = update_index(removed, added, list(docs), files.get)
        if changes is None:
            files = expected
        else:
            for path, data in changes.items():
                if data is None:
                    files.pop(path, None)
                else:
                    files[path] = data
            assert files.keys() == expected.keys()
            for path, data in expected.items():
                assert files[path] == data, path
        yield changes is not None, possible


@settings(deadline=None, max_examples=60)
@given(batches)
def test_an_update_gives_the_files_of_a_full_index(batch_list: list[Batch]) -> None:
    for updated, possible in run_batches(batch_list, lambda n: f"20{n:02d}/01/01/story/index.html"):
        assert updated == possible


@settings(deadline=None, max_examples=60)
@given(batches)
def test_an_update_is_refused_only_when_the_layout_steps_or_an_id_must_move(batch_list: list[Batch]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(searchindex, "layout", tiny_layout)  # for the full index
        patch.setattr(searchpatch, "layout", tiny_layout)  # for the update
        for updated, possible in run_batches(batch_list, lambda n: f"p{n}/index.html"):
            assert updated == possible


@pytest.mark.parametrize("few", [0, 1000])
def test_few_and_many_changes_to_one_list_give_the_same_files(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searchpatch, "FEW_CHANGES", few)  # every list changed one way, or the other
    monkeypatch.setattr(searchpatch, "_CHUNK", 2)
    rng = random.Random(few)
    batch_list = [[(rng.randrange(15), rng.random() < 0.3, rng.randrange(4)) for _ in range(4)] for _ in range(40)]
    outcomes = list(run_batches(batch_list, lambda n: f"20{n:02d}/01/01/story/index.html"))
    assert all(updated == possible for updated, possible in outcomes) and sum(u for u, _ in outcomes) > 30


def test_an_update_refuses_an_index_that_is_not_as_expected() -> None:
    docs = [make_doc(f"p{i}/index.html", 1) for i in range(10)]
    files = dict(index_files(docs))
    paths = [d.path for d in docs]
    new = make_doc("p10/index.html", 1)
    assert update_index([], [new], [*paths, new.path], files.get) is not None
    assert update_index([], [new], [*paths, new.path], lambda path: None) is None  # nothing to read
    assert update_index([], [new], [*paths, new.path], lambda path: b"{" if "docs/" in path else files[path]) is None
    changed = make_doc("p3/index.html", 2)
    assert update_index([changed], [], paths[:3] + paths[4:], files.get) is None  # not what the index holds
    assert update_index([docs[3]], [], paths, files.get) is None  # removed, yet still current
    assert update_index([], [new], paths, files.get) is None  # added, yet not current
    assert update_index([], [docs[3]], paths, files.get) is None  # already there
    edit = make_doc("p3/index.html", 2)
    changes = update_index([docs[3]], [edit], paths, files.get)
    assert changes is not None and None not in changes.values()
    assert {**files, **changes} == dict(index_files([*docs[:3], edit, *docs[4:]]))
    assert update_index([docs[3]], [docs[3]], paths, files.get) == {}  # nothing changed, nothing to write
