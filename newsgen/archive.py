"""The collection stage: order articles, give each a unique URL, and group them."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from newsgen.models import Article, Diagnostic
from newsgen.slugs import slugify

T = TypeVar("T")
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Archive:
    """All published articles, newest first, each with a path no other article has."""

    articles: tuple[Article, ...]
    # What is made of these articles once for all who ask (listings, paths), by name.
    made: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def paths(self) -> tuple[str, ...]:
        """Each article's ``article_path``, in order."""
        if "paths" not in self.made:
            self.made["paths"] = tuple(map(article_path, self.articles))
        return self.made["paths"]  # type: ignore[no-any-return]

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


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

ListingKind = Literal["front", "year", "month", "day", "undated", "source", "tag", "author"]
PeriodKind = Literal["year", "month", "day"]
SectionKind = Literal["source", "tag", "author"]
SECTION_FOLDERS: dict[SectionKind, str] = {"source": "sources", "tag": "tags", "author": "authors"}


@dataclass(frozen=True, slots=True)
class Listing:
    """A list of articles with a folder of its own: the front page, a period, a section, the undated list.

    Every listing is paginated the same way: ``folder/index.html``, then ``folder/page/N/index.html``.
    """

    kind: ListingKind
    key: str  # "2016", "2016-09", "2016-09-08", a source or tag slug, or "" for front and undated
    folder: str  # "" for the front page, else ends with "/": "2016/09/", "tags/syria/"
    title: str
    articles: tuple[Article, ...]  # newest first, undated last

    def page_path(self, number: int) -> str:
        """The output path of page ``number`` (from 1) of this listing."""
        return self.folder + ("index.html" if number == 1 else f"page/{number}/index.html")

    @property
    def header(self) -> ListingHeader:
        return ListingHeader(self.kind, self.key, self.folder, self.title, len(self.articles))


@dataclass(frozen=True, slots=True)
class ListingHeader:
    """A listing as templates see it: no articles, only how many.

    A page that links to a listing (its months, the next period, the list of sources) shows its title
    and size; it must not change, and be rebuilt, whenever any article of that listing does.
    """

    kind: ListingKind
    key: str
    folder: str
    title: str
    count: int

    def page_path(self, number: int) -> str:
        """The output path of page ``number`` (from 1) of this listing."""
        return self.folder + ("index.html" if number == 1 else f"page/{number}/index.html")


def article_path(article: Article) -> str:
    """Where an article's page lives: ``YYYY/MM/DD/slug/index.html``, ``YYYY/MM/slug/`` when only the month
    is known, or under ``undated/``."""
    if article.published is None:
        return f"undated/{article.slug}/index.html"
    day = article.published  # not strftime: called for every link to an article, and 2-3x faster
    if article.month_only:
        return f"{day.year}/{day.month:02d}/{article.slug}/index.html"
    return f"{day.year}/{day.month:02d}/{day.day:02d}/{article.slug}/index.html"  # %Y does not pad


def absolute_url(base_url: str, path: str) -> str:
    """The public URL of an output file (``index.html`` dropped), or "" when there is no base_url."""
    if not base_url:
        return ""
    return base_url.rstrip("/") + "/" + path.removesuffix("index.html")


def collect(articles: Sequence[Article]) -> Archive:
    """Sort newest first (ties by file path) and resolve URL collisions deterministically."""
    placed: dict[str, Article] = {}
    tried: dict[str, int] = {}  # by taken path: the last suffix given, so n articles of one path cost n tries
    for article in sorted(articles, key=lambda a: a.source_path):
        path = article_path(article)
        if path in placed:
            article = _move_aside(article, placed, tried)
            path = article_path(article)
        placed[path] = article
    ordered = sorted(placed.items(), key=lambda item: _newest_first(item[1]))
    return Archive(tuple(a for _, a in ordered), {"paths": tuple(p for p, _ in ordered)})


def page_count(items: int, per_page: int) -> int:
    """How many pages ``paginate`` makes of ``items`` items: an empty list still has one (empty) page."""
    return max(1, math.ceil(items / per_page))


def paginate(items: Sequence[T], per_page: int) -> list[Pagination[T]]:
    """Split ``items`` into pages; an empty list still has one (empty) page."""
    total = page_count(len(items), per_page)
    return [Pagination(tuple(items[i * per_page : (i + 1) * per_page]), i + 1, total, len(items)) for i in range(total)]


def neighbours(archive: Archive) -> dict[str, tuple[Article | None, Article | None]]:
    """For each article's source path: (older, newer) among dated articles, for previous/next links."""
    dated = archive.dated
    out: dict[str, tuple[Article | None, Article | None]] = {}
    for i, article in enumerate(dated):
        newer = dated[i - 1] if i > 0 else None
        older = dated[i + 1] if i + 1 < len(dated) else None
        out[article.source_path] = (older, newer)
    for article in archive.undated:
        out[article.source_path] = (None, None)
    return out


PERIOD_FORMATS: dict[PeriodKind, str] = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


def period_listings(archive: Archive) -> dict[PeriodKind, tuple[Listing, ...]]:
    """Every year, month and day that has articles, newest first; dates are the articles' own local dates."""
    out: dict[PeriodKind, tuple[Listing, ...]] = {}
    for kind in PERIOD_FORMATS:
        if kind not in archive.made:
            groups: dict[str, list[Article]] = defaultdict(list)
            for article in archive.dated:
                if kind != "day" or not article.month_only:  # a day page lists only what is known to be its
                    groups[_period_key(article.published, kind)].append(article)  # type: ignore[arg-type]
            archive.made[kind] = tuple(
                Listing(kind, key, key.replace("-", "/") + "/", period_title(key), tuple(items))
                for key, items in sorted(groups.items(), reverse=True)
            )
        out[kind] = archive.made[kind]
    return out


def _period_key(day: datetime, kind: PeriodKind) -> str:
    """``format(day, PERIOD_FORMATS[kind])``, several times quicker (as in ``article_path``)."""
    if kind == "year":
        return str(day.year)
    return f"{day.year}-{day.month:02d}" if kind == "month" else f"{day.year}-{day.month:02d}-{day.day:02d}"


def period_title(key: str) -> str:
    """``2016`` → "2016", ``2016-09`` → "September 2016", ``2016-09-08`` → "8 September 2016"."""
    parts = [int(p) for p in key.split("-")]
    if len(parts) == 1:
        return key
    month = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return month if len(parts) == 2 else f"{parts[2]} {month}"


def section_listings(archive: Archive, kind: SectionKind) -> tuple[Listing, ...]:
    """One listing per source, tag or author, sorted by name; spellings that slugify alike share a page."""
    if kind not in archive.made:
        archive.made[kind] = _sections(archive, kind)
    return archive.made[kind]  # type: ignore[no-any-return]


def _sections(archive: Archive, kind: SectionKind) -> tuple[Listing, ...]:
    groups: dict[str, list[Article]] = {}  # by slug, each in the archive's order
    names: dict[str, set[str]] = {}  # the spellings of each slug
    slugs: dict[str, str] = {}  # slugify's answers: a few hundred values for 100,000s of mentions
    for article in archive.articles:
        if kind == "source":
            pairs: Iterable[tuple[str, str]] = ((article.source, article.source_name),)
        else:
            pairs = ((v, v) for v in (article.tags if kind == "tag" else article.authors) if v.strip())
        joined: set[str] = set()
        for value, name in pairs:
            slug = slugs.get(value)
            if slug is None:
                slug = slugs[value] = slugify(value, kind)
            names.setdefault(slug, set()).add(name)
            if slug not in joined:  # two spellings of one slug list the article once
                joined.add(slug)
                groups.setdefault(slug, []).append(article)
    listings = [
        Listing(kind, slug, f"{SECTION_FOLDERS[kind]}/{slug}/", min(names[slug]), tuple(items))
        for slug, items in groups.items()
    ]
    return tuple(sorted(listings, key=lambda s: (s.title.casefold(), s.key)))


def _move_aside(article: Article, placed: dict[str, Article], tried: dict[str, int]) -> Article:
    """The article with the first free suffix ``-2``, ``-3``, ... on its slug, and a warning saying so.

    Every suffix below the last one given for this path is taken (paths are only ever added), so the
    search starts past it: the same suffixes as counting from 2 each time, without its n² tries.
    """
    path = article_path(article)
    folder = path.removesuffix(f"{article.slug}/index.html")
    n = tried.get(path, 1) + 1
    while f"{folder}{article.slug}-{n}/index.html" in placed:
        n += 1
    tried[path] = n
    moved = f"{folder}{article.slug}-{n}/"
    message = (
        f"same URL as {placed[path].source_path} (/{path.removesuffix('index.html')}); "
        f"published at /{moved} instead. Give one of them its own 'slug:' in front matter to choose"
    )
    warning = Diagnostic(article.source_path, message, kind="slug-collision")
    return dataclasses.replace(article, slug=f"{article.slug}-{n}", warnings=(*article.warnings, warning))


def _newest_first(article: Article) -> tuple[int, float, str]:
    if article.published is None:
        return (1, 0.0, article.source_path)
    return (0, -(article.published - _EPOCH).total_seconds(), article.source_path)
