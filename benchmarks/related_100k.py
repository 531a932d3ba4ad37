"""Time related-article selection on synthetic news: ``python benchmarks/related_100k.py [N]`` prints seconds.

Each synthetic article draws most words from a shared Zipf vocabulary and some from one of many topics,
so that like the real thing, it has a few distinctive words among many common ones.
"""

from __future__ import annotations

import random
import sys
import time

from newsgen.archive.related import related_indices


def synthetic_texts(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` texts of about 300 words and their sources, reproducible from ``seed``."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = sorted({"".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(60_000)})
    common = vocabulary[:20_000]
    weights = [1 / (rank + 1) for rank in range(len(common))]
    topics = [rng.sample(vocabulary[20_000:], 40) for _ in range(max(1, n // 50))]
    texts, sources = [], []
    for _ in range(n):
        topic = rng.choice(topics)
        words = rng.choices(common, weights, k=260) + rng.choices(topic, k=40)
        rng.shuffle(words)
        texts.append(" ".join(words))
        sources.append(f"source-{rng.randrange(20)}")
    return texts, sources


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    texts, sources = synthetic_texts(n)
    started = time.perf_counter()
    related = related_indices(texts, sources, 5)
    seconds = time.perf_counter() - started
    print(f"related articles for {n} synthetic articles: {seconds:.1f} s ({len(related)} lists)")


if __name__ == "__main__":
    main()
