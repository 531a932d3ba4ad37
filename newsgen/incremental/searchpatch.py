"""The search index of a build: the last build's patched where an edit changed it, rewritten to be exactly
what a full index of the current documents would be (``searchindex``), or written anew when it cannot be."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any, Protocol

from newsgen.incremental.store import BuildCache
from newsgen.models import ArticleMeta, PageRow
from newsgen.output.searchdocs import FACET, FacetKey, SearchDoc
from newsgen.output.searchindex import (
    INDEX_FOLDER,
    TOP_FILE,
    Layout,
    collisions,
    encode_time,
    hex_id,
    index_file,
    index_top,
    json_bytes,
    layout,
    path_hashes,
    prefix_shard,
    stream_index_files,
    word_shard,
)
from newsgen.parallel import chunked
from newsgen.plugins import HOOKED

BATCH = 2000  # documents made, and read back, at a time: bounded memory


class Output(Protocol):
    """What the search index asks of the output's writer (the pipeline gives it; incremental does not import it)."""

    output: Path
    in_place: bool
    previous: Mapping[str, PageRow]

    def intact(self, path: str) -> bool: ...
    def write(self, path: str, content: str | bytes, key: str | None = None) -> None: ...
    def unchanged(self, key: str, *paths: str) -> bool: ...


def write_index(
    writer: Output,
    cache: BuildCache,
    public: Sequence[tuple[ArticleMeta, str]],
    parse_keys: Mapping[str, str],
    search_docs: Callable[[Sequence[ArticleMeta]], list[SearchDoc]],
) -> None:
    """Patch the last build's search index where articles changed, or write it anew.

    ``public``: the articles in the index (drafts are not), with their paths. A document counts as
    changed when its article's parse key or its path did (a document is made from the article as
    parsed, and from where its page is).
    """
    keys = {path: f"{parse_keys[a.source_path]}/{path}" for a, path in public}
    before = cache.indexed
    old_files = [p for p, row in writer.previous.items() if p.startswith(INDEX_FOLDER + "/") and not _hooked(row)]
    patch: dict[str, bytes | None] | None = None
    added: list[SearchDoc] = []
    if writer.in_place and before and all(writer.intact(p) for p in old_files):
        removed = cache.indexed_docs([p for p, key in before.items() if keys.get(p) != key])
        added = search_docs([a for a, path in public if before.get(path) != keys[path]])
        patch = update_index(removed, added, keys.keys(), lambda p: (writer.output / p).read_bytes())
    if patch is None:
        by_path = {path: a for a, path in public}
        made = (doc for part in chunked(list(by_path), BATCH) for doc in search_docs([by_path[p] for p in part]))
        cache.set_indexed(keys, made)  # every document into the cache once; the index's passes read them there
        for path, data in stream_index_files(list(by_path), cache.indexed_docs, BATCH):
            writer.write(path, data)
        return
    for path, changed in sorted(patch.items()):
        if changed is not None:
            writer.write(path, changed)
    for path in old_files:
        if path not in patch:
            writer.unchanged(writer.previous[path].key, path)
    cache.set_indexed(keys, added)


def _hooked(row: PageRow) -> bool:
    """A plugin's post-build hook wrote the file (a copy of an index file, say): not the index's."""
    return row.key.startswith(HOOKED)


class _Stale(Exception):
    """The previous index is not what the update expects: it must be written in full."""


def update_index(
    removed: Sequence[SearchDoc],
    added: Sequence[SearchDoc],
    current: Collection[str],
    read: Callable[[str], bytes | None],
) -> dict[str, bytes | None] | None:
    """Files to write (bytes) or delete (None) so that the previous build's index becomes exactly
    ``index_files`` of the current docs. `removed`: docs of the previous build no longer present or edited;
    `added`: new or edited docs (an edit = old doc removed + new doc added); `current`: the paths of all
    docs after the change; `read(path)` returns a file the previous build wrote (None if missing).
    Returns None when an update is not possible (a file missing/unreadable/not as expected, ids that
    must move, ...): the caller then writes the index in full.

    Exactly then: the number of documents passes a power of two (the layout steps); a hash collision
    would move a document that did not change; the arguments contradict each other (a path twice, an
    added path not current, a removed one still current but not added); or an index file is missing,
    unreadable, or does not hold what ``removed`` says the previous build put there.
    """
    try:
        return _Patch(read).apply(removed, added, current)
    except (_Stale, OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # ValueError includes bad JSON; the others, JSON of the wrong shape


class _Patch:
    """The index files an update reads, parsed, changed in place, written back where their bytes differ."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self.read = read
        self.loaded: dict[str, Any] = {}
        self.before: dict[str, bytes] = {}

    def load(self, path: str) -> Any:
        if path not in self.loaded:
            data = self.read(path)
            if data is None:
                raise _Stale(path)
            self.before[path] = data
            self.loaded[path] = json.loads(data)
        return self.loaded[path]

    def apply(
        self, removed: Sequence[SearchDoc], added: Sequence[SearchDoc], current: Collection[str]
    ) -> dict[str, bytes | None]:
        shape, old_ids, new_ids = _ids_before_and_after(removed, added, current)
        top = self.load(TOP_FILE)
        facets = _facets(top)
        if top != index_top(len(old_ids), shape, facets):
            raise _Stale(TOP_FILE)
        for doc in removed:
            for key in doc.facets():
                facets[key] -= 1
        for doc in added:
            for key in doc.facets():
                facets[key] = facets.get(key, 0) + 1
        if min(facets.values(), default=0) < 0:
            raise _Stale(TOP_FILE)
        self.loaded[TOP_FILE] = index_top(len(new_ids), shape, {key: n for key, n in facets.items() if n})
        for doc in removed:
            number = old_ids[doc.path]
            if self.load(index_file("docs", number & (shape.docs - 1))).pop(hex_id(number), None) != doc.record():
                raise _Stale(doc.path)
            self.splice(index_file("dates", number & (shape.dates - 1)), [(number, encode_time(doc.minute), False)])
        for doc in added:
            number = new_ids[doc.path]
            if (
                self.load(index_file("docs", number & (shape.docs - 1))).setdefault(hex_id(number), doc.record())
                != doc.record()
            ):
                raise _Stale(doc.path)
            self.splice(index_file("dates", number & (shape.dates - 1)), [(number, encode_time(doc.minute), True)])
        self.words(removed, added, old_ids, new_ids, shape)
        written = {path: json_bytes(value) for path, value in self.loaded.items()}
        return {path: data for path, data in written.items() if data != self.before[path]}

    def words(
        self,
        removed: Sequence[SearchDoc],
        added: Sequence[SearchDoc],
        old_ids: dict[str, int],
        new_ids: dict[str, int],
        shape: Layout,
    ) -> None:
        """words/, and prefixes/ for the terms whose document count changes its bit length.

        A posting that an edit leaves as it was (same id, same weight) is neither removed nor added.
        """
        out = _postings_by_term(removed, old_ids)
        into = _postings_by_term(added, new_ids)
        for t in out.keys() | into.keys():
            before, after = out.get(t, {}), into.get(t, {})
            changes = [(n, w, False) for n, w in before.items() if after.get(n) != w]
            changes += [(n, w, True) for n, w in after.items() if before.get(n) != w]
            if not changes:
                continue
            count, new_count = self.splice(
                index_file("words", word_shard(t, shape.words)), sorted(changes, key=_removals_first), t
            )
            if not t.startswith(FACET) and count.bit_length() != new_count.bit_length():
                entries = self.load(index_file("prefixes", prefix_shard(t, shape.prefixes)))
                if entries.pop(t, 0) != count.bit_length():
                    raise _Stale(t)
                if new_count:
                    entries[t] = new_count.bit_length()

    def splice(self, path: str, changes: Sequence[tuple[int, str, bool]], key: str | None = None) -> tuple[int, int]:
        """Removes and inserts (id, value) in a postings string: the file's, or its entry ``key``.

        Only the gaps next to a change are encoded again. Returns the number of ids before and after.
        """
        parent = self.load(path)
        text = parent.pop(key, "") if key is not None else parent
        values, *gaps = text.split(" ") if text else [""]
        width = len(changes[0][1])
        before = len(gaps)
        if len(values) != width * before:
            raise _Stale(path)
        change = _change_few if len(changes) <= FEW_CHANGES else _change_many
        values = change(gaps, values, width, changes)
        text = f"{values} {' '.join(gaps)}" if gaps else ""
        if key is None:
            self.loaded[path] = text
        elif text:
            parent[key] = text
        return before, len(gaps)


FEW_CHANGES = 3  # up to this many changes to one postings string, each finds its place without decoding all ids
_CHUNK = 256


def _change_few(gaps: list[str], values: str, width: int, changes: Sequence[tuple[int, str, bool]]) -> str:
    """Applies ``changes`` to the gaps (in place) and returns the new values; adds up only the gaps before each."""
    for number, value, adding in changes:
        i, previous, found = _locate(gaps, number)
        if adding == (found == number) or (not adding and values[i * width : (i + 1) * width] != value):
            raise _Stale(str(number))
        if adding:
            gaps.insert(i, hex_id(number - previous))
            if found is not None:
                gaps[i + 1] = hex_id(found - number)
            values = values[: i * width] + value + values[i * width :]
        else:
            if i + 1 < len(gaps):
                gaps[i + 1] = hex_id(int(gaps[i], 16) + int(gaps[i + 1], 16))
            del gaps[i]
            values = values[: i * width] + values[(i + 1) * width :]
    return values


def _locate(gaps: list[str], number: int) -> tuple[int, int, int | None]:
    """Where ``number`` is or goes: the index of the first id not below it, the id before (0 if none), that id."""
    total = 0
    for start in range(0, len(gaps), _CHUNK):
        chunk = gaps[start : start + _CHUNK]
        ids = list(accumulate(map(int, chunk, repeat(16)), initial=total))
        if ids[-1] >= number:
            j = bisect_left(ids, number, 1)
            return start + j - 1, ids[j - 1], ids[j]
        total = ids[-1]
    return len(gaps), total, None


def _change_many(gaps: list[str], values: str, width: int, changes: Sequence[tuple[int, str, bool]]) -> str:
    """As _change_few, decoding every id once."""
    ids = list(accumulate(map(int, gaps, repeat(16))))
    for number, value, adding in changes:
        i = bisect_left(ids, number)
        present = i < len(ids) and ids[i] == number
        if adding == present or (not adding and values[i * width : (i + 1) * width] != value):
            raise _Stale(str(number))
        if adding:
            ids.insert(i, number)
            gaps.insert(i, "")
            values = values[: i * width] + value + values[i * width :]
        else:
            del ids[i], gaps[i]
            values = values[: i * width] + values[(i + 1) * width :]
        for j in (i, i + 1) if adding else (i,):
            if j < len(ids):
                gaps[j] = hex_id(ids[j] - (ids[j - 1] if j else 0))
    return values


def _postings_by_term(docs: Sequence[SearchDoc], ids: dict[str, int]) -> dict[str, dict[int, str]]:
    """term → {id: weight} of ``docs``."""
    found: dict[str, dict[int, str]] = {}
    for doc in docs:
        number = ids[doc.path]
        for t, weight in zip(*doc.postings(), strict=True):
            found.setdefault(t, {})[number] = weight
    return found


def _removals_first(change: tuple[int, str, bool]) -> tuple[bool, int]:
    return change[2], change[0]


def _facets(top: dict[str, Any]) -> dict[FacetKey, int]:
    facets: dict[FacetKey, int] = {("source", slug, name): n for slug, name, n in top["sources"]}
    facets.update((("year", year, ""), n) for year, n in top["years"])
    facets.update((("stemmer", name, ""), n) for name, n in top["stemmers"])
    return facets


def _ids_before_and_after(
    removed: Sequence[SearchDoc], added: Sequence[SearchDoc], current: Collection[str]
) -> tuple[Layout, dict[str, int], dict[str, int]]:
    """The layout and the ids before and after; _Stale if the arguments disagree, the layout steps or an id moves."""
    gone = {doc.path for doc in removed}
    new = {doc.path for doc in added}
    present = set(current)
    if len(gone) != len(removed) or len(new) != len(added) or len(present) != len(current):
        raise _Stale("a path is given twice")
    if not new <= present or (gone - new) & present:
        raise _Stale("the removed and added paths disagree with the current ones")
    shape = layout(len(present))
    if layout(len(present) - len(new) + len(gone)) != shape:
        raise _Stale("the layout steps")
    after = path_hashes(present, shape)
    before = dict(after)
    for path in new - gone:
        del before[path]
    before.update(path_hashes(gone - new, shape))
    moved_before, moved_after = collisions(before), collisions(after)
    for path in (moved_before.keys() | moved_after.keys()) - gone - new:
        if moved_before.get(path) != moved_after.get(path):
            raise _Stale("a hash collision moves an id")
    return shape, {**before, **moved_before}, {**after, **moved_after}
