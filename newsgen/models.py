"""The records that flow through the pipeline: frozen, and complete when built."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple


def by_keywords(record: Any) -> tuple[Any, tuple[Any, ...]]:
    """Pickle a record with keyword-only fields (``Article``) as a call: positional fields, then the others."""
    kind: Any = type(record)
    return _from_fields, (kind, tuple(map(record.__getattribute__, kind.__match_args__ + _keyword_names(kind))))


@functools.cache
def _keyword_names(kind: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.kw_only)


def _from_fields(kind: Any, values: tuple[Any, ...]) -> Any:
    count = len(kind.__match_args__)
    return kind(*values[:count], **dict(zip(_keyword_names(kind), values[count:], strict=True)))


def by_fields(record: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle a frozen record as a call of its constructor.

    Loading then skips dataclasses' pure-Python slot state, which made loading the cache's 10,000s of
    records several times slower (records must have positional fields only, as all of these do).
    """
    return type(record), tuple(map(record.__getattribute__, record.__match_args__))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem with one input, located as precisely as we can: ``path:line: message``."""

    __reduce__ = by_fields

    path: str
    message: str
    line: int | None = None
    kind: str = "other"  # what sort of problem, for grouping: "undated", "decoding", "slug-collision", ...

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an input file with its 1-based line number in that file."""

    __reduce__ = by_fields

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner or header parser took out, and which rule did it."""

    __reduce__ = by_fields

    number: int
    text: str
    rule: str
    score: float | None = None  # the line model's chance that it was article text, when the model removed it


class LocalLink(NamedTuple):
    """A relative image source or link in a Markdown article's body: the file beside it that it names."""

    url: str  # as written (the attribute's value)
    path: str | None  # the content file it names (relative to content/); None: it climbs out of the folder
    line: int | None  # the line of the article's file it is written on, when found
    image: bool  # an ``<img src>``, else an ``<a href>``


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A decoded input file: front matter split off, body lines numbered as in the file."""

    __reduce__ = by_fields

    path: str  # POSIX path relative to the content folder, as shown to the user
    lines: tuple[Line, ...]
    front_matter: Mapping[str, Any]
    encoding: str
    markup: Literal["text", "markdown", "html"]
    digest: str  # sha256 of the file's bytes: identity for caches and reports
    warnings: tuple[Diagnostic, ...] = ()
    front_matter_lines: Mapping[str, int] = field(default_factory=dict)  # each top-level key's line
    date_from: str | None = None  # a saved page's: where its front matter's date was found (htmlpage._date_from)


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """An article without its body: what lists, feeds, sections and dates are made of, and what a build keeps
    in memory for each article (the body stays in the build cache until a page shows it)."""

    __reduce__ = by_fields

    source_path: str
    slug: str
    title: str
    published: datetime | None  # aware; None means undated
    updated: datetime | None
    dateline: str | None  # the raw dateline text the date was read from
    lead: str  # plain text: summary, else the first paragraph
    source: str  # slug of the publication: its URL part and settings key
    source_name: str  # the publication's display name
    url: str | None  # the original URL
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str | None
    draft: bool
    word_count: int
    content_hash: str
    markup: Literal["text", "markdown", "html"] = "text"
    warnings: tuple[Diagnostic, ...] = field(default=())
    date_from: str | None = None  # where ``published`` was read: "front matter", "dateline", "file name", "url",
    # or for a saved page "html metadata" or "html text" (SourceFile.date_from)
    month_only: bool = False  # only the month is known (a url's /2015/08/): ``published`` is its first day
    language: str = "en"  # its front matter's ``language``, else the site's: search stems its words by it
    links: tuple[LocalLink, ...] = ()  # its body's relative links (Markdown); once built, those to copied files
    page: bool = False  # a standalone page (content/pages/, or ``layout: page``): undated, at /<slug>/, in no list


@dataclass(frozen=True, slots=True, kw_only=True)
class Article(ArticleMeta):
    """One article, whole: its metadata and its body, as parsed."""

    __reduce__ = by_keywords

    paragraphs: tuple[str, ...]  # plain text, one entry per body block
    body_html: str  # sanitised HTML of the body (escaped paragraphs for text)
    removed: tuple[RemovedLine, ...]  # the lines the cleaner took from its file

    def meta(self) -> ArticleMeta:
        """This article without its body."""
        return ArticleMeta(*map(self.__getattribute__, ArticleMeta.__match_args__))


def whole(article: ArticleMeta) -> Article:
    """An article a caller gave whole (the stages that read bodies say so, rather than assume it)."""
    assert isinstance(article, Article), f"{article.source_path}: the article's body is needed here"
    return article


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input file that did not become a page, and why."""

    __reduce__ = by_fields

    path: str
    error: Diagnostic


class PageRow(NamedTuple):
    """An output file as a build wrote it, and the key of what it was made from: the writer compares this
    build's files with the last build's, the build cache keeps them (a tuple, as the cache's FileRow)."""

    key: str
    size: int
    mtime_ns: int
