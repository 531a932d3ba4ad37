"""Identical and near-identical texts: shingles, MinHash signatures in bands for candidates, Jaccard to confirm.

Scrapes hold the same article twice (re-scraped, re-posted under another title). Comparing every pair
is quadratic, and so is comparing every pair that shares a sentence: wire copy and reposts share
sentences, so an archive of them holds millions of such pairs, nearly all far from being one article.
Three steps keep the work near-linear whatever the archive holds:

1. Texts with the same shingles are one group by a hash of them, without a comparison.
2. A text's sketch holds ``_BINS`` minima: each shingle's hash falls in one bin, a bin keeps the low
   byte of its least hash, and an empty bin copies the first filled one in an order of its own
   (one-permutation hashing with Shrivastava's optimal densification: a hash per shingle, not one per
   bin). Two texts agree in a bin with probability J, their Jaccard similarity (plus 1/256 for bytes
   that agree by chance). The bins are cut into b bands of r rows, and texts that agree in every row
   of some band are candidates: probability 1 - (1 - J^r)^b. r is the most rows (the steepest curve)
   that still misses a pair at the threshold at most 1 time in 40; for the default 0.7, r = 8, b = 64:

       J              0.1     0.15    0.2     0.3     0.5    0.7    0.75    0.8         0.9
       a candidate    8.4e-7  2.0e-5  1.9e-4  4.5e-3  0.23   0.979  0.9989  1 - 7e-6    1 - 2e-16

   The curve's middle, (1/b)^(1/r) = 0.59, sits below the threshold on purpose: at the threshold
   (b = 16, r = 8 of 128 minima, middle 0.71) a pair at 0.7 would be missed 38 times in 100, one at
   0.8 five. Integrated, the false negatives above 0.7 are 0.0004 (that one: 0.021) and the false
   positives below 0.14 (0.059), nearly all between 0.45 and 0.7, where news has few pairs, and where:
3. The share of bins two candidates agree in estimates J; only a pair whose estimate is within
   ``_ERRORS`` standard errors under the threshold is compared exactly (Jaccard of the shingle sets),
   and a pair already in one group is not compared again, so a thousand near-copies cost a thousand
   comparisons, not half a million.

Hashes are CRC-32s of the words combined by tuple hashing of integers and a fixed integer mixer, never
the salted ``hash()`` of strings: same input, same groups, in any process.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from newsgen.models import Article, ArticleMeta, by_fields, whole
from newsgen.parallel import map_ordered
from newsgen.text.tokens import ascii_table, blank_ascii

if TYPE_CHECKING:  # numpy is imported where sketches are made: a build with nothing to parse does without it
    import numpy as np
    import numpy.typing as npt

_WORD = re.compile(r"\w+")
_ASCII_WORD = ascii_table(re.compile(r"\w"))
_BITS = 9
_BINS = 1 << _BITS  # minima per sketch: 512 bytes an article
_MISSED = 1 / 40  # at most this share of the pairs at the threshold are no candidates
_CHANCE = 1 / 256  # two bins of unrelated shingles keep the same byte this often
_ERRORS = 5.0  # estimates this many standard errors under the threshold are not compared
_NEAR_PROBES = 16  # an empty bin looks this far first (a text of 350+ shingles misses 1 time in 10^7)


def normalised_words(text: str) -> list[str]:
    """Lower-case words: case, punctuation and spacing do not make two texts differ."""
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """Hashes of the overlapping runs of ``size`` words (one run for a shorter text; none for no words)."""
    return frozenset(runs(text, size))


def runs(text: str, size: int = 5) -> list[int]:
    """``shingles`` as a list, repeats kept: a sketch needs no set, and making one costs as much as the hashes."""
    ids = list(map(zlib.crc32, blank_ascii(text.casefold(), _ASCII_WORD, _WORD).split()))  # normalised_words, encoded
    if not ids:
        return []
    if len(ids) <= size or size < 1:  # one run (or a size that makes no sense): the definition, spelt out
        return [hash(tuple(ids[i : i + size])) for i in range(max(1, len(ids) - size + 1))]
    return list(map(hash, zip(*(ids[k:] for k in range(size)), strict=False)))  # the same runs, built in C


def run_hashes(text: str, size: int = 5) -> Collection[int]:
    """``runs`` as an array (a text's sketch takes it so), the runs hashed in numpy a word position at a time
    rather than as a tuple each: a third of ``runs``' time. Where this Python hashes tuples otherwise,
    and for one run, ``runs`` itself."""
    words = blank_ascii(text.casefold(), _ASCII_WORD, _WORD).split()  # normalised_words, encoded
    if len(words) <= size or size < 1 or not _tuple_hashes_agree():
        return runs(text, size)
    import numpy as np

    ids = np.fromiter(map(zlib.crc32, words), np.uint64, len(words))
    hashes: Collection[int] = _tuple_hashes(ids, None, size).view(np.int64)
    return hashes


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are not similar (there is nothing to compare)."""
    return len(a & b) / len(a | b) if a and b else 0.0


class Sketch(NamedTuple):
    """What a text is found by: a hash of its shingle set, and a byte of each bin's least shingle hash."""

    exact: bytes  # equal for texts with the same shingles
    filled: int  # bins its own shingles fell in (the others copy one): how many samples ``minima`` holds
    minima: bytes  # _BINS bytes; none for a text without words


EMPTY = Sketch(b"", 0, b"")


def sketch(items: Collection[int]) -> Sketch:
    """The sketch of a text's shingles (its ``runs``, or their set: repeats change nothing)."""
    import numpy as np

    if len(items) == 0:  # an array has no truth value
        return EMPTY
    values = items if isinstance(items, np.ndarray) else np.fromiter(items, np.int64, len(items))
    hashes = np.sort(_mix(values.view(np.uint64)))  # not np.unique: sorting once is quicker
    # Sorted, a bin's hashes are a run, its first the least: where each bin's run starts, the end for the last
    # (a bin that starts where the next one does is empty). Few array operations: each costs more than its work.
    starts = (hashes >> np.uint64(64 - _BITS)).searchsorted(_bin_numbers())
    filled = starts[:-1] != starts[1:]
    minima = hashes.take(starts[:-1], mode="clip").astype(np.uint8)  # the low byte (the bin is the top bits)
    empty = (~filled).nonzero()[0]
    if len(empty):
        minima[empty] = minima.take(_donors(empty, filled))
    distinct = hashes[_starts(hashes)]
    exact = hashlib.blake2b(distinct.astype("<u8").tobytes(), digest_size=12).digest()
    return Sketch(exact, _BINS - len(empty), minima.tobytes())


def text_sketch(text: str, size: int = 5) -> Sketch:
    """``sketch`` of a text's shingles: computed once per article, where the article is parsed."""
    return sketch(run_hashes(text, size))


def line_sketches(files: Sequence[Sequence[str]], size: int = 5, folded: bool = False) -> list[Sketch]:
    """Each file's ``sketch`` of its lines' ``runs`` (shingles never span two lines), all files at once.

    A source's profile sketches every file of the source: a dozen array operations a file, and the
    runs' hashes a line, were most of it; here they are a few operations for hundreds of files. The
    runs' hashes are tuple hashes of the words' CRC-32s, computed over arrays as CPython computes them
    (checked once a process, else the files are sketched one by one). ``folded``: the lines are casefolded
    already (``sitewide.folded_lines``), and casefolding is idempotent: not done again (past ASCII, the most
    of the time a line takes).
    """
    if size < 1 or not _tuple_hashes_agree():
        return [sketch(list(itertools.chain.from_iterable(runs(x, size) for x in lines))) for lines in files]
    out: list[Sketch] = []
    for start in range(0, len(files), _SKETCH_BATCH):
        out += _line_sketches(files[start : start + _SKETCH_BATCH], size, folded)
    return out


_SKETCH_BATCH = 256  # files sketched together: a few MB of arrays at most
# Lines joined by newlines are blanked as they would be one by one (no word holds a newline), newlines kept.
_ASCII_WORD_LINES = _ASCII_WORD[:10] + b"\n" + _ASCII_WORD[11:]


def _line_sketches(files: Sequence[Sequence[str]], size: int, folded: bool) -> list[Sketch]:
    import numpy as np

    # A file at a time: its few characters past ASCII are looked for in its text only.
    texts = ["\n".join(lines) for lines in files]
    blanked = [blank_ascii(t if folded else t.casefold(), _ASCII_WORD_LINES, _WORD) for t in texts]
    rows = [row for lines, text in zip(files, blanked, strict=True) if lines for row in text.split(b"\n")]
    flat = [x for lines in files for x in lines]
    if len(rows) != len(flat):  # a line holds a newline: not lines as a file gives them
        return [sketch(list(itertools.chain.from_iterable(runs(x, size) for x in lines))) for lines in files]
    words = [row.split() for row in rows]
    counts = np.fromiter(map(len, words), np.intp, len(words))
    total = int(counts.sum())
    ids = np.fromiter(map(zlib.crc32, itertools.chain.from_iterable(words)), np.uint64, total)
    line_of = np.repeat(np.arange(len(flat)), counts)  # each word's line
    firsts = np.cumsum(counts) - counts  # each line's first word
    starts = [np.flatnonzero(line_of[: total - size + 1] == line_of[size - 1 :])] if total >= size else []
    lengths = [size] if starts else []  # runs of ``size`` words within a line, then each shorter line whole
    for length in range(1, size):
        short = np.flatnonzero(counts == length)
        if len(short):
            starts.append(firsts[short])
            lengths.append(length)
    if not starts:
        return [EMPTY] * len(files)
    hashes = np.concatenate([_tuple_hashes(ids, at, n) for at, n in zip(starts, lengths, strict=True)])
    file_of_line = np.repeat(np.arange(len(files)), [len(lines) for lines in files])
    owner = file_of_line[line_of[np.concatenate(starts)]]
    return _sketches(hashes, owner, len(files))


def _tuple_hashes(
    ids: npt.NDArray[np.uint64], starts: npt.NDArray[np.intp] | None, length: int
) -> npt.NDArray[np.uint64]:
    """``hash(tuple(ids[s : s + length]))`` for each start ``s`` (None: every run of ``ids``, taken by slices, a
    third quicker than by index), as CPython's tuple hash (Objects/tupleobject.c, since 3.8: xxHash's rounds
    over the items' hashes) makes it of integers below 2**61 - 1, which hash to themselves (a CRC-32 does):
    64-bit arithmetic that wraps, as C's does."""
    import numpy as np

    count = len(ids) - length + 1 if starts is None else len(starts)
    lanes = ids * np.uint64(_XXPRIME_2)
    acc = np.full(count, _XXPRIME_5, np.uint64)
    rotated = np.empty_like(acc)
    for k in range(length):
        acc += lanes[k : k + count] if starts is None else lanes[starts + k]
        np.left_shift(acc, np.uint64(31), out=rotated)  # acc rotated left by 31 bits
        acc >>= np.uint64(33)
        acc |= rotated
        acc *= np.uint64(_XXPRIME_1)
    acc += np.uint64(length ^ (_XXPRIME_5 ^ 3527539))
    acc[acc == np.uint64(2**64 - 1)] = 1546275796  # -1 is no hash in C
    return acc


_XXPRIME_1, _XXPRIME_2, _XXPRIME_5 = 11400714785074694791, 14029467366897019727, 2870177450012600261


@functools.cache
def _tuple_hashes_agree() -> bool:
    """Whether this Python hashes tuples of CRC-32s as ``_tuple_hashes`` does (CPython 3.8 on, 64 bits)."""
    import numpy as np

    for length in range(1, 7):
        tuples = [tuple(zlib.crc32(bytes([a, b, k])) for k in range(length)) for a in range(8) for b in range(8)]
        ids = np.array([x for t in tuples for x in t], np.uint64)
        found = _tuple_hashes(ids, np.arange(0, len(ids), length), length).view(np.int64).tolist()
        if found != [hash(t) for t in tuples]:
            return False
    return True


def _sketches(hashes: npt.NDArray[np.uint64], owner: npt.NDArray[np.intp], count: int) -> list[Sketch]:
    """``sketch`` of each of ``count`` files' hashes (``owner``: the file of each), in one pass over them all."""
    import numpy as np

    order = np.argsort(owner, kind="stable")  # a few runs of ascending files: merged, not sorted
    mixed, owner = _mix(hashes[order]), owner[order]
    bounds = np.searchsorted(owner, np.arange(count + 1)).tolist()
    for a, b in itertools.pairwise(bounds):
        mixed[a:b].sort()  # each file's hashes: a sort of all of them by (file, hash) takes several times longer
    new = _starts(mixed)
    new[1:] |= owner[1:] != owner[:-1]
    distinct, owner = mixed[new], owner[new]  # by file, each file's distinct hashes in order
    bins = (distinct >> np.uint64(64 - _BITS)).astype(np.intp)
    first = _starts(bins)
    first[1:] |= owner[1:] != owner[:-1]  # a bin's first hash in its file: its least
    # Bins of all files in one flat array (file * _BINS + bin): indexing it is cheaper than indexing rows and columns.
    used = owner[first] * _BINS + bins[first]
    minima = np.zeros(count * _BINS, np.uint8)
    minima[used] = distinct[first].astype(np.uint8)
    filled = np.zeros(count * _BINS, bool)
    filled[used] = True
    held = np.zeros(count, bool)
    held[owner] = True
    empty = np.flatnonzero(~filled & np.repeat(held, _BINS))
    if len(empty):
        row = (empty - empty % _BINS)[:, None]  # the file's first bin
        probes = _probes()
        near = probes[empty % _BINS, :_NEAR_PROBES]
        hits = filled[row + near]
        found = hits.any(axis=1)
        donors = near[np.arange(len(near)), hits.argmax(axis=1)]
        if not found.all():
            far = probes[empty[~found] % _BINS]
            donors[~found] = far[np.arange(len(far)), filled[row[~found] + far].argmax(axis=1)]
        minima[empty] = minima[row[:, 0] + donors]
    bounds = np.searchsorted(owner, np.arange(count + 1)).tolist()
    data = memoryview(distinct.astype("<u8").tobytes())
    filled_bins = filled.reshape(count, _BINS).sum(axis=1).tolist()
    minima_of = minima.reshape(count, _BINS)
    return [
        Sketch(hashlib.blake2b(data[8 * a : 8 * b], digest_size=12).digest(), filled_bins[i], minima_of[i].tobytes())
        if b > a
        else EMPTY
        for i, (a, b) in enumerate(itertools.pairwise(bounds))
    ]


def _starts(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Where each run of equal values of a sorted array starts (``np.r_[True, v[1:] != v[:-1]]``, without
    its index machinery, a sixth of a sketch's time)."""
    import numpy as np

    starts = np.empty(len(values), bool)
    starts[0] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return starts


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: a fixed bijection that spreads any integers over all 64 bits."""
    import numpy as np

    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


@functools.cache
def _bin_numbers() -> npt.NDArray[np.uint64]:
    """0 to _BINS: each bin's number, and the end of the last."""
    import numpy as np

    return np.arange(_BINS + 1, dtype=np.uint64)


@functools.cache
def _probes() -> npt.NDArray[np.uint16]:
    """For each bin, the order in which it looks for a filled bin to copy: a fixed random permutation."""
    import numpy as np

    order = _mix(np.arange(_BINS * _BINS, dtype=np.uint64) + np.uint64(0x5EED)).reshape(_BINS, _BINS)
    return np.argsort(order, axis=1).astype(np.uint16)


@functools.cache
def _near_probes() -> npt.NDArray[np.uint16]:
    """The first _NEAR_PROBES of each bin's probes, as an array of their own (rows taken from it are whole)."""
    return _probes()[:, :_NEAR_PROBES].copy()


def _donors(empty: npt.NDArray[np.intp], filled: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint16]:
    """The filled bin each empty one copies: the first of its probes (a few first, all where those miss).

    Rows and items are taken with ``take``, a row's first hit found by ``argmax`` (0 where it has none, which
    its donor then shows): indexing and ``any`` took three times as long."""
    import numpy as np

    near = _near_probes().take(empty, axis=0)
    first = filled.take(near).argmax(axis=1)
    donors: npt.NDArray[np.uint16] = near.take(first + _row_starts(len(empty)))
    missed = ~filled.take(donors)
    if missed.any():
        far = _probes().take(empty[missed], axis=0)
        donors[missed] = far[np.arange(len(far)), filled[far].argmax(axis=1)]
    return donors


def _row_starts(rows: int) -> npt.NDArray[np.intp]:
    """Where each of ``rows`` rows of _NEAR_PROBES starts in their flat array."""
    import numpy as np

    return np.arange(0, rows * _NEAR_PROBES, _NEAR_PROBES)


@functools.cache
def rows_per_band(threshold: float) -> int:
    """The most rows a band may have (the steepest S-curve) that finds a pair at ``threshold`` 39 times in 40."""
    fits = (r for r in range(1, _BINS + 1) if (1 - threshold**r) ** (_BINS // r) <= _MISSED)
    return max(fits, default=1)


def near_groups(sketches: Sequence[Sketch], threshold: float, similar: Callable[[int, int], bool]) -> list[int]:
    """For each text, the smallest index of its group: texts with the same shingles, and candidates
    (a band of their sketches in common, an estimate near ``threshold``) that ``similar`` confirms,
    joined transitively: the groups that comparing every candidate pair would give, at a fraction of it.
    """
    parent = list(range(len(sketches)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        a, b = root(a), root(b)
        parent[max(a, b)] = min(a, b)

    first_with: dict[bytes, int] = {}
    for i, text in enumerate(sketches):
        if text.minima and (first := first_with.setdefault(text.exact, i)) != i:
            join(first, i)
    tried: set[tuple[int, int]] = set()

    def worth(a: int, b: int) -> bool:
        """``similar``, asked once a pair, of pairs whose sketches agree enough to be worth it."""
        if (a, b) in tried:
            return False
        tried.add((a, b))
        return _estimate_near(sketches[a], sketches[b], threshold) and similar(a, b)

    for members in _buckets(sketches, sorted(first_with.values()), rows_per_band(threshold)):
        _join_bucket(members, root, join, worth)
    return [root(i) for i in range(len(sketches))]


def _join_bucket(
    members: list[int], root: Callable[[int], int], join: Callable[[int, int], None], worth: Callable[[int, int], bool]
) -> None:
    """Join the candidates of one bucket, comparing each with each earlier group until one member matches.

    A member already in a group is not compared with the rest of it: near-copies cost a comparison each.
    """
    groups: list[list[int]] = []  # earlier members, by group (a group's members share a root)
    for x in members:
        for group in groups:
            if root(group[0]) != root(x):
                for y in group:
                    if worth(y, x):
                        join(y, x)
                        break
        home: list[int] | None = None
        for group in sorted((g for g in groups if root(g[0]) == root(x)), key=len, reverse=True):
            if home is None:
                home = group
            else:
                home.extend(group)
                group.clear()
        if home is None:
            groups.append([x])
        else:
            home.append(x)
            groups = [g for g in groups if g]


def _buckets(sketches: Sequence[Sketch], indices: list[int], rows: int) -> Iterable[list[int]]:
    """Texts (sorted indices) that agree in all rows of a band, band by band: the buckets of two or more."""
    import numpy as np

    if len(indices) < 2:
        return
    minima = np.frombuffer(b"".join(sketches[i].minima for i in indices), np.uint8).reshape(len(indices), _BINS)
    weights = _mix(np.arange(rows, dtype=np.uint64)) | np.uint64(1)
    chosen = np.array(indices)
    for band in range(_BINS // rows):
        rows_of = minima[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = (rows_of * weights).sum(axis=1, dtype=np.uint64)  # equal rows, equal keys (the rest are checked)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], len(ordered)]
        for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist(), strict=True):
            yield chosen[order[start:end]].tolist()


def _estimate_near(a: Sketch, b: Sketch, threshold: float) -> bool:
    """Whether the share of bins two sketches agree in puts their similarity near enough ``threshold``.

    A sketch of n filled bins samples its text n times (the other bins copy those): the estimate's
    variance is at most J(1 - J)/n (measured: 0.6 to 0.9 of it for texts of 300 to 3,000 shingles, less
    for shorter ones, whose bins hold most of their shingles).
    """
    agree = (int.from_bytes(a.minima) ^ int.from_bytes(b.minima)).to_bytes(_BINS).count(0) / _BINS
    estimate = (agree - _CHANCE) / (1 - _CHANCE)
    error = math.sqrt(threshold * (1 - threshold) / max(1, min(a.filled, b.filled)))
    return estimate >= threshold - _ERRORS * error


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A file left out because another one holds the same article."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    path: str
    duplicate_of: str
    similarity: float  # 1.0 for identical text


def article_text(article: Article) -> str:
    """The text two articles are compared on: the body, without the title and the scraper's chrome."""
    return "\n".join(article.paragraphs)


def find_duplicates(
    articles: Sequence[ArticleMeta],
    threshold: float,
    size: int = 5,
    jobs: int = 1,
    sketches: Sequence[Sketch] | None = None,
    bodies: Callable[[Sequence[ArticleMeta]], Sequence[Article]] | None = None,
) -> list[Duplicate]:
    """The articles that repeat another (same words, or shingle similarity ≥ ``threshold``), by path.

    ``sketches`` (each article's ``text_sketch``) spare shingling every text: only those compared are,
    with their bodies from ``bodies`` when the articles come without.
    Of each group the longest text is kept (ties: the dated one, then the first path): the copy that
    lost the fewest paragraphs to the scraper.
    """
    if sketches is None:
        sketches = list(map_ordered(_sketch, size, [article_text(whole(a)) for a in articles], jobs))
    texts: dict[int, str] = {}
    sets: dict[int, frozenset[int]] = {}

    def load(indices: Iterable[int]) -> None:
        todo = [i for i in indices if i not in texts]
        full = bodies([articles[i] for i in todo]) if bodies else [whole(articles[i]) for i in todo]
        texts.update(zip(todo, map(article_text, full), strict=True))

    def shingled(i: int) -> frozenset[int]:
        if (found := sets.get(i)) is None:
            load([i])
            found = sets[i] = shingles(texts[i], size)
        return found

    group_of = near_groups(sketches, threshold, lambda i, j: jaccard(shingled(i), shingled(j)) >= threshold)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(group_of):
        groups[group].append(index)
    copied = [members for members in groups.values() if len(members) > 1]
    load(i for members in copied for i in members)
    out: list[Duplicate] = []
    for members in copied:
        best = min(
            members, key=lambda i: (-articles[i].word_count, articles[i].published is None, articles[i].source_path)
        )
        for i in members:
            if i != best:
                same = normalised_words(texts[i]) == normalised_words(texts[best])
                similarity = 1.0 if same else round(jaccard(shingled(i), shingled(best)), 3)
                out.append(Duplicate(articles[i].source_path, articles[best].source_path, similarity))
    return sorted(out, key=lambda d: d.path)


def _sketch(size: int, text: str) -> Sketch:
    return text_sketch(text, size)
