"""The collection stage: order articles, give each a unique URL, and group them."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from newsgen.models import Article, Diagnostic

T = TypeVar("T")
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Archive:
    """All published articles, newest first, each with a path no other article has."""

    articles: tuple[Article, ...]

    @property
    def dated(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.published is not None)

    @property
    def undated(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.published is None)


@dataclass(frozen=True, slots=True)
class Pagination(Generic[T]):
    """One page of a paginated list; ``number`` counts from 1."""

    items: tuple[T, ...]
    number: int
    total_pages: int
    total_items: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.total_pages


def article_path(article: Article) -> str:
    """Where an article's page lives: ``YYYY/MM/DD/slug/index.html``, or under ``undated/``."""
    if article.published is None:
        return f"undated/{article.slug}/index.html"
    return f"{article.published:%Y/%m/%d}/{article.slug}/index.html"


def collect(articles: Sequence[Article]) -> Archive:
    """Sort newest first (ties by file path) and resolve URL collisions deterministically."""
    placed: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.source_path):
        wanted = article_path(article)
        if wanted in placed:
            article = _move_aside(article, placed)
        placed[article_path(article)] = article
    ordered = sorted(placed.values(), key=_newest_first)
    return Archive(articles=tuple(ordered))


def paginate(items: Sequence[T], per_page: int) -> list[Pagination[T]]:
    """Split ``items`` into pages; an empty list still has one (empty) page."""
    total = max(1, math.ceil(len(items) / per_page))
    return [Pagination(tuple(items[i * per_page : (i + 1) * per_page]), i + 1, total, len(items)) for i in range(total)]


def neighbours(archive: Archive) -> dict[str, tuple[Article | None, Article | None]]:
    """For each article's path: (older, newer) among dated articles, for previous/next links."""
    dated = archive.dated
    out: dict[str, tuple[Article | None, Article | None]] = {}
    for i, article in enumerate(dated):
        newer = dated[i - 1] if i > 0 else None
        older = dated[i + 1] if i + 1 < len(dated) else None
        out[article_path(article)] = (older, newer)
    for article in archive.undated:
        out[article_path(article)] = (None, None)
    return out


def _move_aside(article: Article, placed: dict[str, Article]) -> Article:
    taken_by = placed[article_path(article)]
    n = 2
    while True:
        candidate = dataclasses.replace(article, slug=f"{article.slug}-{n}")
        if article_path(candidate) not in placed:
            break
        n += 1
    message = (
        f"same URL as {taken_by.source_path} (/{article_path(article).removesuffix('index.html')}); "
        f"published at /{article_path(candidate).removesuffix('index.html')} instead. "
        "Give one of them its own 'slug:' in front matter to choose"
    )
    return dataclasses.replace(
        candidate, warnings=(*article.warnings, Diagnostic(article.source_path, message, kind="slug-collision"))
    )


def _newest_first(article: Article) -> tuple[int, float, str]:
    if article.published is None:
        return (1, 0.0, article.source_path)
    return (0, -(article.published - _EPOCH).total_seconds(), article.source_path)
