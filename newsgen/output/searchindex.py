"""The search index's files, written from the articles' ``SearchDoc``.

The index is a folder of small JSON files under ``search/data/`` that ``templates/assets/search.js``
reads with ``fetch``: no server code, any static host, any sub-path. It is a function of the set of
documents alone (same documents, same bytes, in any order), and editing one article changes only the
files that hold its terms, its record and its date, so a build can patch the previous index
(``incremental.searchpatch``) instead of writing it anew.

Files, for ``N`` documents (every shard count is a power of two that steps with ``N``, see :func:`layout`):

- ``index.json``: ``version``; ``count`` (N); ``shards``, the number of files of each kind below; ``stop``,
  the stop words; and the facets with their document counts: ``sources`` as ``[slug, name, count]``,
  ``years`` as ``[year, count]`` and ``stemmers`` as ``[name, count]`` (the Snowball stemmers the
  documents' languages use, "" for none: the client stems a query with each of them).
- ``words/K.json``: ``{term: postings}`` for the terms whose CRC-32 (of their UTF-8) is K modulo the
  number of words/ files. ``postings`` is one string: a base-36 digit per document, the term's BM25
  weight there (1 to 35, see ``searchdocs``), then, after a space, the document ids in ascending order as
  hexadecimal gaps (the first from 0) separated by spaces. Facets are terms too, of weight 1:
  ``\\x01source:<slug>``, ``\\x01year:<yyyy>`` and ``\\x01stemmer:<name>``.
- ``prefixes/K.json``: ``{term: b}`` for the terms (not facets) whose first two characters' CRC-32 is K
  modulo the number of prefixes/ files, ``b`` being the bit length of the term's document count: the
  word being typed is completed from these.
- ``docs/K.json``: ``{id: [path, title, date, source name]}``, the id in hexadecimal, for the ids that
  are K modulo the number of docs/ files; ``date`` as the site shows it ("8 September 2016"), "" when
  undated.
- ``dates/K.json``: a postings string for the ids that are K modulo the number of dates/ files, whose
  values are eight hexadecimal digits a document: its minute since 0001-01-01 UTC (0 when undated), to
  order equal scores newest first.

A document's id is the CRC-32 of its path cut to ``id_bits`` bits (:func:`layout`): at least 1,024
numbers a document, up to four million documents. Where hashes collide, the colliding paths take the
next free numbers in order of hash, then path; so ids are a function of the current set of paths, and
adding an article moves no other (but in the rare collision).
"""

from __future__ import annotations

import functools
import json
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import and_, or_, rshift, sub
from typing import Any, TypeAlias

from newsgen.output.searchdocs import FACET, STOP_WORDS, TIME_DIGITS, FacetKey, SearchDoc
from newsgen.parallel import chunked

INDEX_FOLDER = "search/data"  # every index file lives under it
TOP_FILE = f"{INDEX_FOLDER}/index.json"
VERSION = 2
MAX_WORD_SHARDS = 8192
POSTINGS_PER_PASS = 32_000_000  # a full index gathers at most about this many (4 bytes each) at a time
STEMMER_ASSETS = "assets/stemmers/"


@dataclass(frozen=True, slots=True)
class Layout:
    """Shard counts and the bits of the id space, for a number of documents."""

    id_bits: int
    words: int
    prefixes: int
    docs: int
    dates: int


def layout(count: int) -> Layout:
    """Steps only when the number of documents passes a power of two: one full rebuild per doubling."""
    scale = max(0, count - 1).bit_length()  # count <= 2**scale
    words = min(MAX_WORD_SHARDS, 1 << max(3, scale - 3))
    prefixes = max(8, min(512, words // 4))  # there are only so many first two letters
    return Layout(min(32, max(16, scale + 10)), words, prefixes, max(4, words // 4), max(1, words // 512))


def needed_asset(path: str, stemmers: Collection[str]) -> bool:
    """Whether a theme asset goes into the site: of the stemmers, only those its articles' languages use."""
    if not path.startswith(STEMMER_ASSETS):
        return True
    name = path.removeprefix(STEMMER_ASSETS)
    if name.endswith("-stemmer.js") and name != "base-stemmer.js":
        return name.removesuffix("-stemmer.js") in stemmers
    return any(stemmers)  # base-stemmer.js, which every stemmer needs, and the licence


# --- encoding --------------------------------------------------------------------------------------------


def hex_id(number: int) -> str:
    return f"{number:x}"


def _encode_ids(ids: Sequence[int]) -> str:
    """Ascending ids as hexadecimal gaps separated by spaces (in C loops: hex, not base 36, for that)."""
    return " ".join(map("%x".__mod__, map(sub, ids, chain((0,), ids))))


def _postings(ids: Sequence[int], values: str) -> str:
    """A postings string: the values, a space, the id gaps; "" for none."""
    return f"{values} {_encode_ids(ids)}" if ids else ""


def encode_time(minute: int) -> str:
    return f"{minute:0{TIME_DIGITS}x}"


def json_bytes(value: Any) -> bytes:
    """Compact sorted JSON with ``<``, ``>`` and ``&`` escaped: scraped markup in it stays inert text."""
    return _inert(_json(value))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _inert(text: str) -> bytes:
    """JSON text as a file: ``<``, ``>`` and ``&`` escaped, and a newline."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n").encode()


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def word_shard(t: str, shards: int) -> int:
    return _hash(t) & (shards - 1)


def _word_shards_of(terms: Iterable[str], shards: int) -> Iterator[int]:
    """word_shard() of many terms, in C loops."""
    return map(and_, map(zlib.crc32, map(str.encode, terms)), repeat(shards - 1))


def prefix_shard(t: str, shards: int) -> int:
    return _hash(t[:2]) & (shards - 1)


def assign_ids(hashes: dict[str, int]) -> dict[str, int]:
    """Ids for paths with their hashes: the hash, or the next number not taken (in order of hash, then path)."""
    moved = collisions(hashes)
    return {**hashes, **moved} if moved else hashes


def collisions(hashes: dict[str, int]) -> dict[str, int]:
    """The ids that are not their path's hash: those of the runs that start where two hashes collide."""
    counts = Counter(hashes.values())
    if len(counts) == len(hashes):
        return {}
    shared = {number for number, n in counts.items() if n > 1}
    alone = {number: path for path, number in hashes.items()}  # right for the hashes not shared
    together: dict[int, list[str]] = {}
    for path, number in hashes.items():
        if number in shared:
            together.setdefault(number, []).append(path)
    moved: dict[str, int] = {}
    covered = -1
    for start in sorted(shared):
        if start <= covered:  # part of the previous run
            continue
        waiting = deque(sorted(together[start]))  # in order of hash, then path: later hashes join at the end
        number = start
        while waiting:
            path = waiting.popleft()
            if hashes[path] != number:
                moved[path] = number
            number += 1
            waiting.extend(sorted(together[number]) if number in shared else [alone[number]] if number in alone else [])
        covered = number - 1
    return moved


def path_hashes(paths: Iterable[str], shape: Layout) -> dict[str, int]:
    mask = (1 << shape.id_bits) - 1
    return {path: _hash(path) & mask for path in paths}


def index_file(kind: str, number: int) -> str:
    return f"{INDEX_FOLDER}/{kind}/{number}.json"


# --- the whole index -------------------------------------------------------------------------------------


def index_files(docs: Iterable[SearchDoc]) -> Iterator[tuple[str, bytes]]:
    """Every file of the index (output path, bytes), in a fixed order; the same bytes for any order of docs."""
    by_path: dict[str, SearchDoc] = {}
    for doc in docs:
        if doc.path in by_path:
            raise ValueError("two search documents have the same path")
        by_path[doc.path] = doc
    yield from stream_index_files(list(by_path), lambda paths: [by_path[p] for p in paths])


Fetch: TypeAlias = Callable[[list[str]], Iterable[SearchDoc]]


def stream_index_files(paths: Sequence[str], fetch: Fetch, batch: int = 2000) -> Iterator[tuple[str, bytes]]:
    """``index_files`` of the documents at ``paths``, which ``fetch`` gives (in the order asked) a batch at a time.

    The index is gathered in a few passes over the documents, never all of them at once: for a large
    archive they would be most of a build's memory.
    """
    shape = layout(len(paths))
    ids = assign_ids(path_hashes(paths, shape))
    if len(ids) != len(paths):
        raise ValueError("two search documents have the same path")
    order = sorted(paths, key=ids.__getitem__)
    numbers = [ids[p] for p in order]

    def ordered() -> Iterator[SearchDoc]:
        for part in chunked(order, batch):
            yield from fetch(list(part))

    facets: Counter[FacetKey] = Counter()
    # Each document's entry as the JSON text it will be, and its minute as a number: held for every document
    # until written, four strings in a list and a tuple each were ~30 MB of a 100,000-article build's peak.
    records: list[list[str]] = [[] for _ in range(shape.docs)]
    times = [(array("Q"), array("Q")) for _ in range(shape.dates)]
    total = 0  # postings, to know how many passes gather the words
    for number, doc in zip(numbers, ordered(), strict=True):
        facets.update(doc.facets())
        records[number & (shape.docs - 1)].append(f'"{hex_id(number)}":{_json(doc.record())}')
        dated, minutes = times[number & (shape.dates - 1)]
        dated.append(number)
        minutes.append(doc.minute)
        total += len(doc.weights) + 2
    yield TOP_FILE, json_bytes(index_top(len(order), shape, facets))
    for k, entries in enumerate(records):
        entries.sort()  # as json_bytes sorts keys: '"' sorts before any hexadecimal digit, so "1" before "1a"
        yield index_file("docs", k), _inert("{" + ",".join(entries) + "}")
        records[k] = []
    for k, (dated, minutes) in enumerate(times):
        yield index_file("dates", k), json_bytes(_postings(dated, "".join(map(encode_time, minutes))))
    prefixes: list[dict[str, int]] = [{} for _ in range(shape.prefixes)]
    for k, postings in _word_shards(ordered, numbers, shape.words, total):
        for t, text in postings.items():
            if not t.startswith(FACET):
                prefixes[prefix_shard(t, shape.prefixes)][t] = text.index(" ").bit_length()
        yield index_file("words", k), json_bytes(postings)
    for k, completions in enumerate(prefixes):
        yield index_file("prefixes", k), json_bytes(completions)


def _word_shards(
    ordered: Callable[[], Iterable[SearchDoc]], numbers: list[int], shards: int, total: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each words/ shard in order, gathered a group of shards at a time so that memory stays bounded.

    ``ordered()`` goes through the documents once more each time it is called. A posting is gathered as
    one 32-bit code, its document's position << 7 | its weight digit's ASCII code, appended to its
    term's array in a C loop: a Python loop per posting would take most of the time.
    """
    groups = min(shards, 1 << (-(-total // POSTINGS_PER_PASS) - 1).bit_length())
    per_group = shards // groups
    by_shard: list[list[str]] = []
    if groups > 1:  # then the terms of each group must be known beforehand
        vocabulary: set[str] = set()
        for doc in ordered():
            vocabulary.update(doc.postings()[0])
        by_shard = _by_shard(vocabulary, shards, 0)
        del vocabulary
    sink: deque[None] = deque(maxlen=0)
    for group in range(groups):
        first = group * per_group
        gathered: dict[str, array[int]] = (
            {t: array("I") for names in by_shard[first : first + per_group] for t in names}
            if by_shard
            else defaultdict(functools.partial(array, "I"))
        )
        elsewhere = array("I")  # where the postings of other groups' terms go, to be dropped
        for position, doc in enumerate(ordered()):
            terms, weights = doc.postings()
            found = map(gathered.get, terms, repeat(elsewhere)) if by_shard else map(gathered.__getitem__, terms)
            sink.extend(map(array.append, found, map(or_, repeat(position << 7), weights.encode())))
            del elsewhere[:]
        names_by_shard = by_shard[first : first + per_group] if by_shard else _by_shard(gathered, shards, first)
        for k, names in enumerate(names_by_shard, start=first):
            yield k, {t: _encode_codes(gathered.pop(t), numbers) for t in names}  # popped: memory goes down


def _by_shard(terms: Collection[str], shards: int, first: int) -> list[list[str]]:
    """The terms of each shard from ``first`` on."""
    found: list[list[str]] = [[] for _ in range(shards - first)]
    for t, shard in zip(terms, _word_shards_of(terms, shards), strict=True):
        found[shard - first].append(t)
    return found


def _encode_codes(codes: array[int], numbers: list[int]) -> str:
    """The postings string of gathered codes (see _word_shards)."""
    if len(codes) == 1:  # a term of one document (many are): spare it the C loops' setting up
        return f"{chr(codes[0] & 127)} {numbers[codes[0] >> 7]:x}"
    number_of: Callable[[int], int] = numbers.__getitem__
    ids = list(map(number_of, map(rshift, codes, repeat(7))))
    return _postings(ids, bytes(map(and_, codes, repeat(127))).decode("ascii"))


def index_top(count: int, shape: Layout, facets: dict[FacetKey, int]) -> dict[str, Any]:
    keys = sorted(facets, key=lambda key: (key[0], str(key[1]), key[2]))
    return {
        "version": VERSION,
        "count": count,
        "shards": {"words": shape.words, "prefixes": shape.prefixes, "docs": shape.docs, "dates": shape.dates},
        "stop": sorted(STOP_WORDS),
        "sources": [[value, label, facets[kind, value, label]] for kind, value, label in keys if kind == "source"],
        "years": [[value, facets[kind, value, label]] for kind, value, label in keys if kind == "year"],
        "stemmers": [[value, facets[kind, value, label]] for kind, value, label in keys if kind == "stemmer"],
    }
