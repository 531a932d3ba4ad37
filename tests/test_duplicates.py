"""Identical and near-identical articles: found deterministically, one kept, the rest reported."""

from __future__ import annotations

import dataclasses

from newsgen.duplicates import clusters, find_duplicates, jaccard, shingles, similar_pairs
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
    assert similar_pairs([shingles(t) for t in texts], 0.5) == []
    assert jaccard(frozenset(), frozenset()) == 0.0
    assert clusters(3, []) == [0, 1, 2]
