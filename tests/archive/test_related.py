"""Related articles: shared distinctive words first, then the same source; deterministic; linear in size."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from test_pages import article

from newsgen.archive.collect import collect
from newsgen.archive.related import related_articles, related_indices

TEXTS = [
    "Ferry timetable changes after storm damage to the northern pier",
    "Storm damage closes the northern pier; ferry runs from the quay",
    "Council approves library budget for the winter",
    "Library opening hours extended by the council",
    "Rail line reopens with new signalling and platforms",
    "Kremlin comments on Syria ceasefire proposal",
]


def test_shared_distinctive_words_rank_first() -> None:
    found = related_indices(TEXTS, ["a"] * len(TEXTS), 2)
    assert found[0][0] == 1 and found[1][0] == 0
    assert found[2][0] == 3 and found[3][0] == 2
    assert all(i not in row for i, row in enumerate(found))
    assert all(len(row) == 2 for row in found)


def test_articles_without_shared_words_fall_back_to_the_same_source_nearest_in_time() -> None:
    texts = ["alpha bravo", "charlie delta", "echo foxtrot", "golf hotel", "india juliet"]
    found = related_indices(texts, ["x", "y", "x", "x", "y"], 5)
    assert found[0] == (2, 3) and found[2] == (0, 3) and found[1] == (4,)


def test_limit_zero_and_deterministic_output() -> None:
    items = [
        article(
            slug=f"s{i}",
            source_path=f"{i}.txt",
            title=t,
            paragraphs=(t,),
            published=datetime(2016, 1, i + 1, tzinfo=UTC),
        )
        for i, t in enumerate(TEXTS)
    ]
    archive = collect(items)
    assert related_articles(archive.articles, 0) == {}
    first = related_articles(archive.articles, 5)
    assert first == related_articles(archive.articles, 5)
    assert all(len(v) <= 5 for v in first.values())


def test_scales_linearly_not_quadratically() -> None:
    rng = random.Random(3)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(4, 8))) for _ in range(8000)]

    def texts(n: int) -> list[str]:
        return [" ".join(rng.choices(vocabulary, k=150)) for _ in range(n)]

    small, large = texts(1000), texts(4000)
    started = time.process_time()  # CPU time: the machine's load between the two runs does not tilt the ratio
    related_indices(small, ["s"] * len(small), 5)
    t_small = time.process_time() - started
    started = time.process_time()
    related_indices(large, ["s"] * len(large), 5)
    t_large = time.process_time() - started
    assert t_large < 8 * t_small + 0.5, (t_small, t_large)  # 4x the articles: ~4x the time, never 16x
