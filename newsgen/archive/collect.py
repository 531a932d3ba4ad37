"""The collection stage: order articles, give each a unique URL, and group them."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Literal, TypeVar

from newsgen.models import ArticleMeta, Diagnostic
from newsgen.text.slugs import slugify
from newsgen.text.words import ENGLISH, Words

T = TypeVar("T")
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Archive:
    """All published articles, newest first, each with a path no other article has."""

    articles: tuple[ArticleMeta, ...]
    paths: tuple[str, ...]  # each article's ``article_path``, in order
    pages: tuple[ArticleMeta, ...] = ()  # the standalone pages (``standalone.place_pages``): in no list

    @property
    def dated(self) -> tuple[ArticleMeta, ...]:
        return tuple(a for a in self.articles if a.published is not None)

    @property
    def undated(self) -> tuple[ArticleMeta, ...]:
        return tuple(a for a in self.articles if a.published is None)


@dataclass(frozen=True, slots=True)
class Pagination(Generic[T]):
    """One page of a list, and the output paths of the pages before and after it, newest first.

    ``number`` counts from 1: a list's first page is 1; a month's pages count from its oldest article,
    so that articles added at its new end never move the older ones to another page.
    """

    items: tuple[T, ...]
    number: int
    split: bool  # its list or period takes more than one page here: the page says its number
    newer: str | None = None
    older: str | None = None


ListingKind = Literal["front", "year", "month", "day", "undated", "source", "tag", "author"]
PeriodKind = Literal["year", "month", "day"]
SectionKind = Literal["source", "tag", "author"]
SECTION_FOLDERS: dict[SectionKind, str] = {"source": "sources", "tag": "tags", "author": "authors"}


@dataclass(frozen=True, slots=True)
class Listing:
    """A list of articles with a folder of its own: the front page, a period, a section, the undated list.

    Its first page is ``folder/index.html``; ``list_pages`` says where the rest go.
    """

    kind: ListingKind
    key: str  # "2016", "2016-09", "2016-09-08", a source or tag slug, or "" for front and undated
    folder: str  # "" for the front page, else ends with "/": "2016/09/", "tags/syria/"
    title: str
    articles: tuple[ArticleMeta, ...]  # newest first, undated last

    @property
    def path(self) -> str:
        """The output path of its first page."""
        return self.folder + "index.html"

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
    count: int | None  # None on a month's numbered pages: they must not change with the month's size

    def page_path(self, number: int) -> str:
        """The output path of page ``number`` of a list paged by count (a day, the undated); 1: any list's first."""
        return self.folder + ("index.html" if number == 1 else f"page/{number}/index.html")


def article_path(article: ArticleMeta) -> str:
    """Where an article's page lives: ``YYYY/MM/DD/slug/index.html``, ``YYYY/MM/slug/`` when only the month
    is known, or under ``undated/``; a standalone page's is ``slug/index.html``."""
    if article.page:
        return f"{article.slug}/index.html"
    if article.published is None:
        return f"undated/{article.slug}/index.html"
    day = article.published  # not strftime, which is slower: called for every link to an article
    if article.month_only:
        return f"{day.year}/{day.month:02d}/{article.slug}/index.html"
    return f"{day.year}/{day.month:02d}/{day.day:02d}/{article.slug}/index.html"  # %Y does not pad


def absolute_url(base_url: str, path: str) -> str:
    """The public URL of an output file (``index.html`` dropped), or "" when there is no base_url."""
    if not base_url:
        return ""
    return base_url.rstrip("/") + "/" + path.removesuffix("index.html")


def collect(articles: Sequence[ArticleMeta], pages: tuple[ArticleMeta, ...] = ()) -> Archive:
    """Sort newest first (ties by file path) and resolve URL collisions deterministically; ``pages`` as placed."""
    placed: dict[str, ArticleMeta] = {}
    tried: dict[str, int] = {}  # by taken path: the last suffix given, so n articles of one path cost n tries
    for article in sorted(articles, key=lambda a: a.source_path):
        path = article_path(article)
        if path in placed:
            article = _move_aside(article, placed, tried)
            path = article_path(article)
        placed[path] = article
    ordered = sorted(placed.items(), key=lambda item: _newest_first(item[1]))
    return Archive(tuple(a for _, a in ordered), tuple(p for p, _ in ordered), pages)


def list_pages(listing: Listing, per_page: int) -> list[tuple[str, Pagination[ArticleMeta]]]:
    """The pages in a listing's own folder, newest first: (output path, page).

    A day and the undated articles: ``per_page`` to a page from the newest, ``page/N/`` from the second.
    A month: one page when it fits; else its pages count from its oldest article (``page/1/`` holds
    the oldest, ``index.html`` the newest), so that an article added at its new end moves no other.
    Any other list (the front page, a year, a source, tag or author) shows its newest ``per_page`` and
    links on to the period page that holds the next one (a calendar month, or ``section_periods``).
    """
    items, folder = listing.articles, listing.folder
    if listing.kind not in ("day", "undated", "month"):
        return [(folder + "index.html", Pagination(items[:per_page], 1, False, None, _next_page(listing, per_page)))]
    count, total = len(items), max(1, math.ceil(len(items) / per_page))
    oldest_first = listing.kind == "month"
    numbers = [total - i if oldest_first else i + 1 for i in range(total)]  # of the pages, newest first
    paths = [folder + ("index.html" if i == 0 else f"page/{n}/index.html") for i, n in enumerate(numbers)]
    pages = []
    for i, n in enumerate(numbers):
        start = max(0, count - n * per_page) if oldest_first else (n - 1) * per_page
        end = count - (n - 1) * per_page if oldest_first else n * per_page
        newer, older = paths[i - 1] if i else None, paths[i + 1] if i + 1 < total else None
        pages.append((paths[i], Pagination(items[start:end], n, total > 1, newer, older)))
    return pages


@dataclass(frozen=True, slots=True)
class SectionPeriods:
    """Where a long source's, tag's or author's list goes on past its first page: a page for each year
    (``sources/rt/2016/``), and, for a year with more articles than a page holds, a page for each of its
    months (``sources/rt/2016/09/``); its undated articles on a page of their own (``sources/rt/undated/``).

    A month of a sparse list holds an article or two: its year, on one page, is what a reader browses, and
    its address stays as fixed as a month's (a year's page changes only when an article of that year does).
    """

    years: tuple[Listing, ...] = ()  # newest first
    months: tuple[Listing, ...] = ()  # of the years that do not fit on a page, newest first
    undated: Listing | None = None

    def months_of(self, year: str) -> tuple[Listing, ...]:
        """A year's months, newest first; none when the year is one page."""
        return tuple(m for m in self.months if m.key[:4] == year)

    def pages_of_months(self) -> dict[str, str]:
        """For each month with articles, the page that lists them: its own, or its year's."""
        out = {m.key: m.path for m in self.months}
        for year in self.years:
            for article in year.articles:
                if article.published is not None:  # all are: a year lists its dated articles
                    out.setdefault(_period_key(article.published, "month"), year.path)
        return out


def section_periods(listing: Listing, per_page: int, words: Words = ENGLISH) -> SectionPeriods:
    """The period pages of a source, tag or author (see ``SectionPeriods``); a list that fits on its first
    page has none."""
    if len(listing.articles) <= per_page:
        return SectionPeriods()
    years: dict[str, list[ArticleMeta]] = {}
    undated: list[ArticleMeta] = []
    for article in listing.articles:
        if article.published is None:
            undated.append(article)
        else:
            years.setdefault(_period_key(article.published, "year"), []).append(article)
    folder = listing.folder
    months: list[Listing] = []
    for items in (years[k] for k in sorted(years, reverse=True)):
        if len(items) > per_page:
            by_month: dict[str, list[ArticleMeta]] = {}
            for article in items:
                if article.published is not None:
                    by_month.setdefault(_period_key(article.published, "month"), []).append(article)
            months += (
                Listing("month", k, f"{folder}{k.replace('-', '/')}/", words.period_title(k), tuple(a))
                for k, a in by_month.items()  # newest first, as the list is
            )
    return SectionPeriods(
        tuple(
            Listing("year", key, f"{folder}{key}/", words.period_title(key), tuple(items))
            for key, items in sorted(years.items(), reverse=True)
        ),
        tuple(months),
        Listing("undated", "", f"{folder}undated/", words.gettext("Undated"), tuple(undated)) if undated else None,
    )


def _month_page(folder: str, number: int, total: int) -> str:
    """Page ``number`` (from the oldest) of a month on ``total`` pages: its newest is ``index.html``."""
    return folder + ("index.html" if number == total else f"page/{number}/index.html")


def _next_page(listing: Listing, per_page: int) -> str | None:
    """Where a list goes on past its first page: the page of a period (or of the undated) holding its next article.

    The whole archive and a year go on in the calendar's months (``2016/09/``); a source, tag or author in
    its year's page when the year fits on one, else in its months (``sources/rt/2016/09/``), as a year of
    theirs does.
    """
    items = listing.articles
    if len(items) <= per_page:
        return None
    section = listing.kind in SECTION_FOLDERS
    base = listing.folder if section else listing.folder.removesuffix(listing.key.replace("-", "/") + "/")
    published = items[per_page].published
    if published is None:
        return f"{base}undated/index.html"  # the first of the undated, which come last
    if section:
        year = _period_key(published, "year")
        if sum(1 for a in items if a.published is not None and _period_key(a.published, "year") == year) <= per_page:
            return f"{base}{year}/index.html"
    key = _period_key(published, "month")
    month = [a for a in items if a.published is not None and _period_key(a.published, "month") == key]
    newer = sum(1 for a in items[:per_page] if a.published is not None and _period_key(a.published, "month") == key)
    total = math.ceil(len(month) / per_page)
    return _month_page(f"{base}{key.replace('-', '/')}/", (len(month) - 1 - newer) // per_page + 1, total)


def neighbours(archive: Archive) -> dict[str, tuple[ArticleMeta | None, ArticleMeta | None]]:
    """For each article's source path: (older, newer) among dated articles, for previous/next links."""
    dated = archive.dated
    out: dict[str, tuple[ArticleMeta | None, ArticleMeta | None]] = {}
    for i, article in enumerate(dated):
        newer = dated[i - 1] if i > 0 else None
        older = dated[i + 1] if i + 1 < len(dated) else None
        out[article.source_path] = (older, newer)
    for article in archive.undated:
        out[article.source_path] = (None, None)
    return out


PERIOD_FORMATS: dict[PeriodKind, str] = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


def period_listings(archive: Archive, words: Words = ENGLISH) -> dict[PeriodKind, tuple[Listing, ...]]:
    """Every year, month and day that has articles, newest first; dates are the articles' own local dates.

    ``words``: the language of their titles (``Words.period_title``)."""
    out: dict[PeriodKind, tuple[Listing, ...]] = {}
    for kind in PERIOD_FORMATS:
        groups: dict[str, list[ArticleMeta]] = defaultdict(list)
        for article in archive.dated:
            if kind != "day" or not article.month_only:  # a day page lists only what is known to be its
                groups[_period_key(article.published, kind)].append(article)  # type: ignore[arg-type]
        out[kind] = tuple(
            Listing(kind, key, key.replace("-", "/") + "/", words.period_title(key), tuple(items))
            for key, items in sorted(groups.items(), reverse=True)
        )
    return out


def _period_key(day: datetime, kind: PeriodKind) -> str:
    """``format(day, PERIOD_FORMATS[kind])``, several times quicker (as in ``article_path``)."""
    if kind == "year":
        return str(day.year)
    return f"{day.year}-{day.month:02d}" if kind == "month" else f"{day.year}-{day.month:02d}-{day.day:02d}"


@dataclass(frozen=True, slots=True)
class Listings:
    """An archive's periods (years, months, days) and sections (sources, tags, authors): what lists pages."""

    periods: Mapping[PeriodKind, tuple[Listing, ...]]
    sections: Mapping[SectionKind, tuple[Listing, ...]]


def listings_of(archive: Archive, words: Words = ENGLISH) -> Listings:
    """Group the archive by period and by section."""
    return Listings(
        period_listings(archive, words), {kind: section_listings(archive, kind) for kind in SECTION_FOLDERS}
    )


def section_listings(archive: Archive, kind: SectionKind) -> tuple[Listing, ...]:
    """One listing per source, tag or author, sorted by name; spellings that slugify alike share a page."""
    groups: dict[str, list[ArticleMeta]] = {}  # by slug, each in the archive's order
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


def _move_aside(article: ArticleMeta, placed: dict[str, ArticleMeta], tried: dict[str, int]) -> ArticleMeta:
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


def _newest_first(article: ArticleMeta) -> tuple[int, float, str]:
    if article.published is None:
        return (1, 0.0, article.source_path)
    return (0, -(article.published - _EPOCH).total_seconds(), article.source_path)
