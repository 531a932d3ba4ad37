"""Identical and near-identical texts: shingles, MinHash with banding for candidates, Jaccard to confirm.

Scrapes hold the same article twice (re-scraped, re-posted under another title). Comparing every
pair is quadratic; MinHash signatures split into bands put only likely pairs in the same bucket, and
each candidate pair is then confirmed with the exact Jaccard similarity of the word shingles, so the
result does not depend on luck. Hashes come from blake2b, never ``hash()``: same input, same groups.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from newsgen.models import Article

_WORD = re.compile(r"\w+")
_PRIME = (1 << 61) - 1
_PERMUTATIONS = 64
_BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.5 meet in a bucket ~65% of the time, at 0.8 ~100%
_ROWS = _PERMUTATIONS // _BANDS


def _seeded(i: int, salt: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(f"{i}".encode(), digest_size=8, key=salt).digest(), "big") % _PRIME


_A = tuple(_seeded(i, b"minhash-a") | 1 for i in range(_PERMUTATIONS))
_B = tuple(_seeded(i, b"minhash-b") for i in range(_PERMUTATIONS))


def normalised_words(text: str) -> list[str]:
    """Lower-case words: case, punctuation and spacing do not make two texts differ."""
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """Hashes of the overlapping runs of ``size`` words (one run for a shorter text; none for no words)."""
    found = normalised_words(text)
    runs = [found[i : i + size] for i in range(max(1, len(found) - size + 1))] if found else []
    return frozenset(
        int.from_bytes(hashlib.blake2b(" ".join(run).encode(), digest_size=8).digest(), "big") for run in runs
    )


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are not similar (there is nothing to compare)."""
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two texts (by index) whose shingle sets overlap at least the threshold."""

    first: int
    second: int
    similarity: float


def similar_pairs(sets: Sequence[frozenset[int]], threshold: float) -> list[SimilarPair]:
    """Every pair of sets with Jaccard ≥ ``threshold``, first < second, sorted."""
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for index, items in enumerate(sets):
        # A fixed 1-in-4 sample of the shingles keeps signatures cheap on long texts; Jaccard confirms below.
        sample = [x for x in items if x % 4 == 0] if len(items) >= 64 else list(items)
        if not sample:
            continue
        signature = [min((a * x + b) % _PRIME for x in sample) for a, b in zip(_A, _B, strict=True)]
        for band in range(_BANDS):
            buckets[(band, tuple(signature[band * _ROWS : (band + 1) * _ROWS]))].append(index)
    candidates = {pair for members in buckets.values() for pair in combinations(sorted(set(members)), 2)}
    pairs = [SimilarPair(i, j, jaccard(sets[i], sets[j])) for i, j in sorted(candidates)]
    return [p for p in pairs if p.similarity >= threshold]


def clusters(count: int, pairs: Sequence[SimilarPair]) -> list[int]:
    """For each of ``count`` items, the smallest index of its group (union-find over the pairs)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pair in pairs:
        a, b = root(pair.first), root(pair.second)
        parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(count)]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A file left out because another one holds the same article."""

    path: str
    duplicate_of: str
    similarity: float  # 1.0 for identical text


def find_duplicates(articles: Sequence[Article], threshold: float, size: int = 5) -> list[Duplicate]:
    """The articles that repeat another (same words, or shingle similarity ≥ ``threshold``), by path.

    Of each group the longest text is kept (ties: the dated one, then the first path): the copy that
    lost the fewest paragraphs to the scraper.
    """
    texts = ["\n".join(a.paragraphs) for a in articles]
    sets = [shingles(t, size) for t in texts]
    pairs = similar_pairs(sets, threshold)
    group_of = clusters(len(articles), pairs)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(group_of):
        groups[group].append(index)
    out: list[Duplicate] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        best = min(
            members, key=lambda i: (-articles[i].word_count, articles[i].published is None, articles[i].source_path)
        )
        for i in members:
            if i != best:
                same = normalised_words(texts[i]) == normalised_words(texts[best])
                similarity = 1.0 if same else round(jaccard(sets[i], sets[best]), 3)
                out.append(Duplicate(articles[i].source_path, articles[best].source_path, similarity))
    return sorted(out, key=lambda d: d.path)
