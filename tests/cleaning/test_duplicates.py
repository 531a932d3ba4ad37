"""Identical and near-identical articles: found deterministically, one kept, the rest reported.

Candidates come from sketches, so the tests that say "found" or "not compared" run on many generated
texts (fixed seeds), not on one that happens to work.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from newsgen.cleaning.duplicates import (
    _join_bucket,
    find_duplicates,
    jaccard,
    near_groups,
    rows_per_band,
    shingles,
    text_sketch,
)
from newsgen.models import Article

BASE = Article(
    source_path="a/one.txt", slug="one", title="One", published=None, updated=None, dateline=None, lead="",
    paragraphs=(), body_html="", source="a", source_name="a", url=None, authors=(), tags=(), summary=None,
    draft=False, word_count=0, removed=(), content_hash="",
)  # fmt: skip
STORY = [
    "The council approved the ferry budget on Tuesday after a long debate about the harbour.",
    "Members argued over taxes, the timetable for the winter, and the cost of repairing the pier.",
    "The mayor said the new ferry would run from March and that fares would not rise this year.",
]


def article(path: str, paragraphs: list[str]) -> Article:
    words = sum(len(p.split()) for p in paragraphs)
    return dataclasses.replace(BASE, source_path=path, paragraphs=tuple(paragraphs), word_count=words)


def counting(texts: list[str]) -> tuple[Callable[[int, int], bool], list[tuple[int, int]]]:
    """A ``similar`` for ``near_groups`` (Jaccard ≥ 0.7) that notes every pair it is asked about."""
    sets = [shingles(t) for t in texts]
    asked: list[tuple[int, int]] = []

    def similar(a: int, b: int) -> bool:
        asked.append((a, b))
        return jaccard(sets[a], sets[b]) >= 0.7

    return similar, asked


def sentence(rng: random.Random, words: int = 15) -> str:
    return " ".join(f"w{rng.randrange(20_000)}" for _ in range(words)) + "."


def test_identical_and_near_identical_articles_are_reported_against_the_kept_one() -> None:
    articles = [
        article("a/copy.txt", STORY),
        article("a/longer.txt", [*STORY, "Ferry tickets go on sale next week at the harbour office."]),
        article("b/other.txt", ["A storm closed the northern pier, and the road to the lighthouse was flooded."]),
    ]
    found = find_duplicates(articles, threshold=0.7)
    assert [(d.path, d.duplicate_of) for d in found] == [("a/copy.txt", "a/longer.txt")]
    assert 0.7 <= found[0].similarity < 1.0
    assert find_duplicates(list(reversed(articles)), threshold=0.7) == found  # order does not decide


def test_exact_copies_have_similarity_one_and_the_first_path_wins() -> None:
    found = find_duplicates([article("b/x.txt", STORY), article("a/x.txt", STORY)], threshold=0.7)
    assert [(d.path, d.duplicate_of, d.similarity) for d in found] == [("b/x.txt", "a/x.txt", 1.0)]


def test_short_different_texts_are_not_duplicates() -> None:
    texts = [f"Body {i}." for i in range(5)]
    assert find_duplicates([article(f"a/{i}.txt", [t]) for i, t in enumerate(texts)], threshold=0.5) == []
    assert jaccard(frozenset(), frozenset()) == 0.0
    assert near_groups([text_sketch("")] * 3, 0.7, lambda a, b: True) == [0, 1, 2]  # no words: nothing to match


def test_1000_identical_copies_are_one_article_without_a_comparison() -> None:
    """Any number of copies: a sample shared by 200 texts once passed for a site's template and was ignored."""
    texts = ["\n".join(STORY)] * 1000 + ["A storm closed the northern pier for the winter."]
    similar, asked = counting(texts)
    assert near_groups([text_sketch(t) for t in texts], 0.7, similar) == [0] * 1000 + [1000]
    assert asked == []
    found = find_duplicates([article(f"a/{i:04}.txt", STORY) for i in range(1000)], threshold=0.7)
    assert [(d.path, d.duplicate_of, d.similarity) for d in found] == [
        (f"a/{i:04}.txt", "a/0000.txt", 1.0) for i in range(1, 1000)
    ]


def test_near_copies_cost_a_comparison_each_not_one_a_pair() -> None:
    rng = random.Random(7)
    body = [sentence(rng) for _ in range(30)]
    texts = [" ".join([*body[:i], sentence(rng), *body[i + 1 :]]) for i in range(300)]  # one sentence differs
    similar, asked = counting(texts)
    assert near_groups([text_sketch(t) for t in texts], 0.7, similar) == [0] * 300
    assert len(asked) < 2 * len(texts)  # every pair of the 300 is a candidate: 44,850 of them


def test_pairs_near_0_8_are_found_in_texts_of_every_length() -> None:
    """Two hundred pairs of 20 to 1,500 words, each a text and a copy edited word by word down to Jaccard ≈ 0.8."""
    rng = random.Random(2024)
    articles: list[Article] = []
    similarities = []
    for pair in range(200):
        text = sentence(rng, rng.choice([20, 40, 80, 200, 500, 1500])).split()
        copy = list(text)
        while True:  # a word replaced (5 shingles), or where that is too much, one added at the end (1)
            edited = list(copy)
            edited[rng.randrange(len(edited))] = f"x{rng.randrange(20_000)}"
            if jaccard(shingles(" ".join(text)), shingles(" ".join(edited))) < 0.8:
                edited = [*copy, f"x{rng.randrange(20_000)}"]
            if jaccard(shingles(" ".join(text)), shingles(" ".join(edited))) < 0.8:
                break
            copy = edited
        similarities.append(jaccard(shingles(" ".join(text)), shingles(" ".join(copy))))
        articles += [article(f"{pair:03}/a.txt", [" ".join(text)]), article(f"{pair:03}/b.txt", [" ".join(copy)])]
    assert min(similarities) >= 0.8 and max(similarities) < 0.84
    found = find_duplicates(articles, threshold=0.7)
    assert {d.path.split("/")[0] for d in found} == {f"{pair:03}" for pair in range(200)}
    assert all(d.path.split("/")[0] == d.duplicate_of.split("/")[0] for d in found)


def test_pairs_near_0_3_that_share_sentences_are_not_compared() -> None:
    """Texts drawn from one pool of sentences, as wire copy shares them: no pair is even worth a Jaccard.

    (A pair at 0.5 may be: its estimate is within 5 standard errors of the threshold.)
    """
    rng = random.Random(11)
    pool = [sentence(rng, 25) for _ in range(60)]
    texts = [" ".join(rng.sample(pool, 30)) for _ in range(120)]
    sets = [shingles(t) for t in texts]
    pairs = [jaccard(sets[a], sets[b]) for a in range(120) for b in range(a)]
    assert 0.25 <= sum(pairs) / len(pairs) <= 0.3 and max(pairs) < 0.45
    similar, asked = counting(texts)
    assert near_groups([text_sketch(t) for t in texts], 0.7, similar) == list(range(120))
    assert asked == []


def test_the_bands_find_a_pair_at_the_threshold_39_times_in_40_with_the_steepest_curve() -> None:
    assert rows_per_band(0.7) == 8  # 64 bands of 8, as the module's table says
    for threshold in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
        rows = rows_per_band(threshold)
        assert (1 - threshold**rows) ** (512 // rows) <= 1 / 40 < (1 - threshold ** (rows + 1)) ** (512 // (rows + 1))


@given(st.integers(2, 12), st.sets(st.tuples(st.integers(0, 11), st.integers(0, 11))))
def test_a_bucket_joins_what_all_its_pairs_would(size: int, edges: set[tuple[int, int]]) -> None:
    """Skipping members already joined changes which pairs are compared, never the groups."""
    similar = {(min(a, b), max(a, b)) for a, b in edges if a != b and max(a, b) < size}
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        a, b = root(a), root(b)
        parent[max(a, b)] = min(a, b)

    _join_bucket(list(range(size)), root, join, lambda a, b: (a, b) in similar)
    expected = list(range(size))  # connected components, by the smallest member, the slow way
    for _ in range(size):
        for a, b in similar:
            expected[a] = expected[b] = min(expected[a], expected[b])
    assert [root(i) for i in range(size)] == expected
