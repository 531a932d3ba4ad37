"""Identical and near-identical texts: shingles, a sampled inverted index for candidates, Jaccard to confirm.

Scrapes hold the same article twice (re-scraped, re-posted under another title). Comparing every
pair is quadratic. Instead each text is indexed under its ``_SKETCH`` smallest shingle hashes (a
bottom-k sketch: the smallest hash of the union lies in both texts with probability equal to their
Jaccard similarity), so only texts that share one of them are compared, and each candidate pair is
then confirmed with the exact Jaccard similarity of the shingles. Two texts at Jaccard 0.7 miss each
other only if all eight draws miss: about (1 - 0.7)^8, under one in ten thousand. Hashes are CRC-32s of the
words combined by tuple hashing of integers, never the salted ``hash()`` of strings: same input, same
groups, in any process.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from newsgen.models import Article
from newsgen.parallel import map_ordered
from newsgen.tokens import ascii_table, blank_ascii

_WORD = re.compile(r"\w+")
_ASCII_WORD = ascii_table(re.compile(r"\w"))
_SKETCH = 8  # index a text under its 8 smallest shingle hashes (a bottom-k sketch)
_CROWDED = 200  # a sampled shingle shared by more texts than this is a site's template, not evidence


def normalised_words(text: str) -> list[str]:
    """Lower-case words: case, punctuation and spacing do not make two texts differ."""
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """Hashes of the overlapping runs of ``size`` words (one run for a shorter text; none for no words)."""
    return frozenset(runs(text, size))


def runs(text: str, size: int = 5) -> list[int]:
    """``shingles`` as a list, repeats kept: a sketch needs no set, and making one costs as much as the hashes."""
    folded = text.casefold()
    blanked = blank_ascii(folded, _ASCII_WORD)  # split: normalised_words, encoded, for most text
    ids = list(map(zlib.crc32, blanked.split() if blanked is not None else map(str.encode, _WORD.findall(folded))))
    if not ids:
        return []
    if len(ids) <= size or size < 1:  # one run (or a size that makes no sense): the definition, spelt out
        return [hash(tuple(ids[i : i + size])) for i in range(max(1, len(ids) - size + 1))]
    return list(map(hash, zip(*(ids[k:] for k in range(size)), strict=False)))  # the same runs, built in C


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are not similar (there is nothing to compare)."""
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two texts (by index) whose shingle sets overlap at least the threshold."""

    first: int
    second: int
    similarity: float


def sketch(items: Collection[int]) -> tuple[int, ...]:
    """The ``_SKETCH`` smallest hashes (of ``runs``, repeats once): what a text is indexed under to find its candidates.

    Popped off a heap made in C: quicker than ``heapq.nsmallest``, and than making the runs a set.
    """
    heap = list(items)
    heapq.heapify(heap)
    out: list[int] = []
    while heap and len(out) < _SKETCH:
        if (least := heapq.heappop(heap)) not in out[-1:]:
            out.append(least)
    return tuple(out)


def text_sketch(text: str, size: int = 5) -> tuple[int, ...]:
    """``sketch`` of a text's shingles: computed once per article, where the article is parsed."""
    return sketch(runs(text, size))


def candidate_pairs(sketches: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Pairs of texts (by index) that share a sampled shingle, sorted: the only ones worth comparing."""
    postings: dict[int, list[int]] = defaultdict(list)
    for index, items in enumerate(sketches):
        for shingle in items:
            postings[shingle].append(index)
    shared: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= _CROWDED:
            shared.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return sorted(shared)


def similar_pairs(
    texts: Sequence[Collection[int]], threshold: float, sketches: Sequence[Sequence[int]] | None = None
) -> list[SimilarPair]:
    """Every pair of texts with Jaccard ≥ ``threshold`` (found through shared sampled shingles), sorted.

    A text is its shingles, or its ``runs``: only the candidates' are made sets. ``sketches``: each
    text's ``sketch``, when the caller has them (then only the candidates' texts are asked for).
    """
    sets: dict[int, frozenset[int]] = {}

    def of(i: int) -> frozenset[int]:
        if (found := sets.get(i)) is None:
            found = sets[i] = frozenset(texts[i])
        return found

    sampled = list(map(sketch, texts)) if sketches is None else sketches
    pairs = (SimilarPair(i, j, jaccard(of(i), of(j))) for i, j in candidate_pairs(sampled))
    return [p for p in pairs if p.similarity >= threshold]


def _shingles(size: int, text: str) -> frozenset[int]:
    return shingles(text, size)


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


def article_text(article: Article) -> str:
    """The text two articles are compared on: the body, without the title and the scraper's chrome."""
    return "\n".join(article.paragraphs)


def find_duplicates(
    articles: Sequence[Article],
    threshold: float,
    size: int = 5,
    jobs: int = 1,
    sketches: Sequence[Sequence[int]] | None = None,
    bodies: Callable[[Sequence[Article]], Sequence[Article]] | None = None,
    candidates: Sequence[tuple[int, int]] | None = None,
) -> list[Duplicate]:
    """The articles that repeat another (same words, or shingle similarity ≥ ``threshold``), by path.

    ``sketches`` (each article's ``text_sketch``) spare shingling every text: only the candidates are,
    with their bodies from ``bodies`` when the articles come without. ``candidates``: the
    ``candidate_pairs`` of the sketches, when the caller has them.
    Of each group the longest text is kept (ties: the dated one, then the first path): the copy that
    lost the fewest paragraphs to the scraper.
    """
    if sketches is None:
        sketches = list(map_ordered(_sketch, size, [article_text(a) for a in articles], jobs))
    if candidates is None:
        candidates = candidate_pairs(sketches)
    compared = sorted({i for pair in candidates for i in pair})
    full = bodies([articles[i] for i in compared]) if bodies else [articles[i] for i in compared]
    texts = dict(zip(compared, map(article_text, full), strict=True))
    sets = dict(zip(compared, map_ordered(_shingles, size, list(texts.values()), jobs), strict=True))
    pairs = [p for i, j in candidates if (p := SimilarPair(i, j, jaccard(sets[i], sets[j]))).similarity >= threshold]
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


def _sketch(size: int, text: str) -> tuple[int, ...]:
    return text_sketch(text, size)
