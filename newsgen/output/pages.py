"""The pages of a site: which pages an archive makes, and the context each template is rendered with."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from newsgen.archive.collect import (
    SECTION_FOLDERS,
    Archive,
    Listing,
    ListingHeader,
    Listings,
    SectionKind,
    absolute_url,
    article_path,
    list_pages,
    listings_of,
    neighbours,
    section_periods,
)
from newsgen.archive.standalone import MenuLink
from newsgen.archive.timeline import month_timeline, period_calendar
from newsgen.config import SiteConfig
from newsgen.errors import ThemeError
from newsgen.models import ArticleMeta, by_fields
from newsgen.output.feeds import Feed
from newsgen.output.formats import truncate_words
from newsgen.output.jsonld import article_jsonld, collection_jsonld
from newsgen.text.slugs import slugify
from newsgen.text.words import ENGLISH, Words

ATOM_TYPE, RSS_TYPE = "application/atom+xml", "application/rss+xml"


def section_title(kind: SectionKind, words: Words) -> str:
    """ "Sources", "Tags", "Authors", in the site's language."""
    if kind == "source":
        return words.gettext("Sources")
    return words.gettext("Tags") if kind == "tag" else words.gettext("Authors")


@dataclass(frozen=True, slots=True)
class Crumb:
    """One step of a breadcrumb trail: a title and the output path it links to."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    title: str
    path: str


@dataclass(frozen=True, slots=True)
class PageJob:
    """A page to render: its template, where it goes, and what it is made from.

    ``inputs`` are few and cheap (the articles, the listing's header, the page of articles), so a
    build can hash them to tell whether the page changed; the context a template sees (JSON-LD,
    feed links, breadcrumbs, link functions) is derived from them only when the page is rendered.
    """

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    template: str
    path: str
    inputs: Mapping[str, Any]
    make: Callable[[Mapping[str, Any]], Mapping[str, Any]]  # the context, from the inputs

    @property
    def context(self) -> Mapping[str, Any]:
        """Everything the template sees."""
        return self.make(self.inputs)


@dataclass(frozen=True, slots=True)
class Renderer:
    """Renders every page of an archive; holds nothing that changes during a build."""

    env: jinja2.Environment
    config: SiteConfig
    feeds: Mapping[str, Feed] = field(default_factory=dict)  # the site's feeds by folder, for autodiscovery
    menu: tuple[MenuLink, ...] = ()  # the header's links (``standalone.site_menu``)
    words: Words = ENGLISH  # the language of the titles, captions and dates it makes (``make_environment``'s)

    def page_jobs(
        self,
        archive: Archive,
        related: Mapping[str, tuple[ArticleMeta, ...]] | None = None,
        only: Collection[str] | None = None,
        grouped: Listings | None = None,
    ) -> Iterator[PageJob]:
        """Every page, ready to render, in a fixed order; cheap, so the rendering can be shared out.

        ``only``: the paths of the pages wanted (a rebuild that knows which pages an edit touched);
        the others are not made at all. ``grouped``: ``listings_of(archive)``, when the caller has it.
        """
        grouped = grouped or listings_of(archive, self.words)
        words = self.words
        links = neighbours(archive)
        related = related or {}
        for article, path in zip(archive.articles, archive.paths, strict=True):
            if only is None or path in only:
                older, newer = links[article.source_path]
                yield self.article_page(article, older, newer, related.get(article.source_path, ()), path)
        for page in archive.pages:
            path = article_path(page)
            if only is None or path in only:
                yield self.standalone_page(page, path)
        front = Listing("front", "", "", words.gettext("Latest articles"), archive.articles)
        yield from self.listing_pages(front, "index.html", only=only)
        periods = grouped.periods
        for kind, listings in periods.items():
            for i, listing in enumerate(listings):
                if not self._wanted(listing, only):
                    continue
                yield from self.listing_pages(
                    listing,
                    "period.html",
                    only=only,
                    newer_period=_link(listings[i - 1]) if i > 0 else None,
                    older_period=_link(listings[i + 1]) if i + 1 < len(listings) else None,
                    calendar=period_calendar(listing.key, listing.articles, words) if kind != "day" else None,
                )
        if archive.undated:
            undated = Listing("undated", "", "undated/", words.gettext("Undated"), archive.undated)
            yield from self.listing_pages(undated, "undated.html", only=only)
        for section_kind, folder in SECTION_FOLDERS.items():
            if only is not None and not any(path.startswith(f"{folder}/") for path in only):
                continue  # not even its listings
            sections = grouped.sections[section_kind]
            for listing in sections:
                if only is not None and not any(path.startswith(listing.folder) for path in only):
                    continue  # not even its chart
                yield from self.section_pages(listing, only)
            if only is None or f"{folder}/index.html" in only:
                title = section_title(section_kind, words)
                yield self.render(
                    "sections.html",
                    f"{folder}/index.html",
                    title=title,
                    kind=section_kind,
                    sections=[s.header for s in sections],
                    breadcrumbs=self._trail(Crumb(title, f"{folder}/index.html")),
                )
        if only is None or "archive/index.html" in only:
            yield self.render(
                "archive.html",
                "archive/index.html",
                title=words.gettext("Archive"),
                years=[y.header for y in periods["year"]],
                months=[m.header for m in periods["month"]],
                year_months=_year_months(periods["month"]),
                undated=len(archive.undated),
                timeline=month_timeline(archive.dated, words=words),
                breadcrumbs=self._trail(Crumb(words.gettext("Archive"), "archive/index.html")),
            )
        if self.config.search and (only is None or "search/index.html" in only):
            title = words.gettext("Search")
            yield self.render(
                "search.html", "search/index.html", title=title, messages=search_messages(words), breadcrumbs=[]
            )
        if only is None or "404.html" in only:
            yield self.render("404.html", "404.html", title=words.gettext("Page not found"), breadcrumbs=[])

    def article_page(
        self,
        article: ArticleMeta,
        older: ArticleMeta | None,
        newer: ArticleMeta | None,
        related: tuple[ArticleMeta, ...] = (),
        path: str | None = None,  # its article_path, when the caller has it (one string, not two, kept a page)
    ) -> PageJob:
        path = path or article_path(article)
        if article.published is None:
            trail = [Crumb(self.words.gettext("Undated"), "undated/index.html")]
        else:
            day = None if article.month_only else article.published.day
            trail = list(_period_trail(article.published.year, article.published.month, day, self.words))
        return self.render(
            "article.html",
            path,
            title=article.title,
            article=article,
            older=older,
            newer=newer,
            related=related,
            source_path=f"sources/{slugify(article.source, 'source')}/index.html",
            tag_path=lambda tag: f"tags/{slugify(tag, 'tag')}/index.html",
            author_path=lambda name: f"authors/{slugify(name, 'author')}/index.html",
            breadcrumbs=self._trail(*trail, Crumb(article.title, path)),
            derived=lambda: {
                "jsonld": self._article_jsonld(article, path),
                "description": truncate_words(article.lead, 40),
            },
            og_type="article",
        )

    def standalone_page(self, page: ArticleMeta, path: str) -> PageJob:
        return self.render(
            "page.html",
            path,
            title=page.title,
            article=page,
            breadcrumbs=self._trail(Crumb(page.title, path)),
            derived=lambda: {
                "jsonld": self._collection_jsonld(page.title, path, self._trail(Crumb(page.title, path)), "WebPage"),
                "description": truncate_words(page.lead, 40),
            },
        )

    def section_pages(self, listing: Listing, only: Collection[str] | None = None) -> Iterator[PageJob]:
        """A source's, tag's or author's pages: its newest articles, with its years and months (and a source's
        chart); then, for a long list, a page (or a few) for each of its years, for each month of a year too
        long for one page, and for its undated articles (``section_periods``)."""
        periods = section_periods(listing, self.config.per_page, self.words)
        chart = None
        if listing.kind == "source" and (only is None or listing.path in only):
            chart = month_timeline(listing.articles, periods.pages_of_months() if periods.years else None, self.words)
        yield from self.listing_pages(
            listing,
            "section.html",
            only=only,
            timeline=chart,
            years=[(y.header, [m.header for m in periods.months_of(y.key)]) for y in periods.years],
            undated=periods.undated.header if periods.undated else None,
        )
        trail = [*self._listing_trail(listing)]
        section = Crumb(listing.title, listing.path)

        def part(
            listing_: Listing, crumbs: list[Crumb], newer: Listing | None, older: Listing | None
        ) -> Iterator[PageJob]:
            yield from self.listing_pages(
                listing_,
                "section_month.html",
                only=only,
                trail=[*trail, *crumbs],
                title=f"{listing.title}, {listing_.title}",
                section=section,
                newer_period=_link(newer) if newer else None,
                older_period=_link(older) if older else None,
            )

        # A year beside the years; a month (or a year of one page) beside the pages before and after it in time.
        years = periods.years
        shown = [m for y in years for m in periods.months_of(y.key) or (y,)]
        at = {page.path: i for i, page in enumerate(shown)}
        for i, year in enumerate(years):
            crumb = Crumb(year.title, year.path)
            j = at.get(year.path)
            if j is None:  # a year of months: its page beside the other years
                yield from part(year, [crumb], _at(years, i - 1), _at(years, i + 1))
            else:
                yield from part(year, [crumb], _at(shown, j - 1), _at(shown, j + 1))
            for month in periods.months_of(year.key):
                j = at[month.path]
                yield from part(month, [crumb, Crumb(month.title, month.path)], _at(shown, j - 1), _at(shown, j + 1))
        if periods.undated:
            yield from part(periods.undated, [Crumb(periods.undated.title, periods.undated.path)], None, None)

    def listing_pages(
        self,
        listing: Listing,
        template: str,
        only: Collection[str] | None = None,
        trail: list[Crumb] | None = None,
        title: str | None = None,
        **context: Any,
    ) -> Iterator[PageJob]:
        """Every page of a listing (those in ``only``), as ``list_pages`` lays them out.

        ``trail`` and ``title``: the listing's breadcrumbs and title, when not its own (a section's month).
        """
        if not self._wanted(listing, only):
            return  # most listings, when a rebuild wants a few pages: not even their trail is made
        trail = list(self._listing_trail(listing)) if trail is None else trail
        header = listing.header
        for path, page in list_pages(listing, self.config.per_page):
            if only is not None and path not in only:
                continue
            shown, extra = header, context
            if listing.kind == "month" and page.newer:  # not its newest: nothing a new article changes, as its size
                shown, extra = dataclasses.replace(header, count=None), {**context, "children": []}
            own = title or listing.title
            own = self.config.title if listing.kind == "front" else own
            if page.split:
                own = self.words.gettext("%(title)s, page %(number)d") % {"title": own, "number": page.number}
            breadcrumbs = self._trail(*trail) if trail else []  # the front page shows no trail of one
            yield self.render(
                template,
                path,
                title=own,
                listing=shown,
                pagination=page,
                breadcrumbs=breadcrumbs,
                derived=functools.partial(self._listing_jsonld, own, path, trail),
                **extra,
            )

    def _wanted(self, listing: Listing, only: Collection[str] | None) -> bool:
        """Whether ``only`` holds any of the pages ``listing_pages`` gives ``listing`` (None holds all)."""
        if only is None:
            return True
        folder = listing.folder
        return any(
            path.startswith(folder) and (path == folder + "index.html" or path.startswith(folder + "page/"))
            for path in only
        )

    def html(self, job: PageJob) -> str:
        """The page's HTML; template errors name the template and the page."""
        try:
            return self.env.get_template(job.template).render(job.context)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise ThemeError(f"template {job.template} (rendering {job.path}): {exc}") from None

    def render(
        self, template: str, path: str, derived: Callable[[], dict[str, Any]] | None = None, **inputs: Any
    ) -> PageJob:
        """The page at ``path``: ``template`` with ``inputs``, what ``derived`` adds, and what every page gets."""
        feeds = self._feeds_of(path)
        inputs["feeds"] = [(f.title, f.atom_path, f.rss_path) for f in feeds]

        def make(inputs: Mapping[str, Any]) -> dict[str, Any]:
            context = dict(inputs)
            context.update(derived() if derived else {})
            crumbs: list[Crumb] = context.pop("breadcrumbs", [])
            if "jsonld" not in context:  # not setdefault: the default would be made, and thrown away, every time
                context["jsonld"] = self._collection_jsonld(context["title"], path, crumbs) if crumbs else ""
            context.setdefault("og_type", "website")
            context.setdefault("description", self.config.description)
            link = self.links_from(path) if path != "404.html" else self._404_url  # a 404 is shown at any depth
            variables = dict(
                site=self.config,
                page_path=path,
                url=link,
                article_url=lambda a: link(article_path(a)),
                canonical=self.absolute(path),
                feeds=self._feed_links(feeds, link),
                breadcrumbs=[(c.title, link(c.path)) for c in crumbs],
                menu=[
                    {"title": m.title, "href": m.target if m.external else link(m.target), "current": m.target == path}
                    for m in self.menu
                ],
            )
            return {**context, **variables}

        return PageJob(template, path, inputs, make)

    def url(self, from_path: str, to_path: str) -> str:
        """A relative link between two output files; ``index.html`` dropped only with pretty_urls."""
        return self.links_from(from_path)(to_path)

    def links_from(self, from_path: str) -> Callable[[str], str]:
        """``url`` from one page: what it costs to work out is paid once, not per link."""
        relative = links_from(from_path)
        if not self.config.pretty_urls:
            return relative

        def pretty(to_path: str) -> str:
            rel = relative(to_path)
            return rel.removesuffix("index.html") or "./" if rel == "index.html" or rel.endswith("/index.html") else rel

        return pretty

    def absolute(self, path: str) -> str:
        """The canonical URL of an output file, or "" when the site has no base_url."""
        return absolute_url(self.config.base_url, path)

    def _404_url(self, to_path: str) -> str:
        """Absolute with base_url, else from the server's root: the 404 page is shown at any missing path."""
        if self.config.base_url:
            return (
                self.absolute(to_path) if self.config.pretty_urls else self.config.base_url.rstrip("/") + "/" + to_path
            )
        return "/" + (to_path.removesuffix("index.html") if self.config.pretty_urls else to_path)

    def _feeds_of(self, path: str) -> list[Feed]:
        """Autodiscovery: the site's feeds on every page, and a source's or tag's own feeds on its pages."""
        parts = path.split("/")
        own = "/".join(parts[:2]) + "/" if len(parts) > 2 and parts[0] in ("sources", "tags") else None
        return [f for f in (self.feeds.get(""), self.feeds.get(own) if own else None) if f is not None]

    def _feed_links(self, feeds: list[Feed], link: Callable[[str], str]) -> list[dict[str, str]]:
        out = []
        for feed in feeds:
            if feed is not None:
                out += [
                    {"title": f"{feed.title} (Atom)", "type": ATOM_TYPE, "href": link(feed.atom_path)},
                    {"title": f"{feed.title} (RSS)", "type": RSS_TYPE, "href": link(feed.rss_path)},
                ]
        return out

    def _trail(self, *crumbs: Crumb) -> list[Crumb]:
        return [Crumb(self.words.gettext("Home"), "index.html"), *crumbs]

    def _listing_trail(self, listing: Listing) -> Iterator[Crumb]:
        if listing.kind in ("year", "month", "day"):
            parts = listing.key.split("-")
            for n in range(1, len(parts) + 1):
                key = "-".join(parts[:n])
                yield Crumb(self.words.period_title(key), key.replace("-", "/") + "/index.html")
        elif listing.kind in SECTION_FOLDERS:
            folder = SECTION_FOLDERS[listing.kind]
            yield Crumb(section_title(listing.kind, self.words), f"{folder}/index.html")
            yield Crumb(listing.title, listing.path)
        elif listing.kind == "undated":
            yield Crumb(self.words.gettext("Undated"), "undated/index.html")

    def _listing_jsonld(self, title: str, path: str, trail: list[Crumb]) -> dict[str, Any]:
        return {"jsonld": self._collection_jsonld(title, path, self._trail(*trail))}

    def _collection_jsonld(self, title: str, path: str, crumbs: list[Crumb], kind: str = "CollectionPage") -> Markup:
        return collection_jsonld(title, self._public(path), [(c.title, self._public(c.path)) for c in crumbs], kind)

    def _public(self, path: str) -> str:
        """Absolute URL with base_url, else the path from the site root: JSON-LD must not use relative links."""
        return self.absolute(path) or "/" + path.removesuffix("index.html")

    def _article_jsonld(self, article: ArticleMeta, path: str) -> Markup:
        return article_jsonld(article, self._public(path), self.absolute(path), self.config.lead_words)


def search_messages(words: Words) -> dict[str, Any]:
    """What the search page's script says, in the site's language: a form of "%(num)d results" for each of the
    language's plural categories, as the browser's ``Intl.PluralRules`` names them."""
    return {
        "lang": words.language,
        "undated": words.gettext("Undated"),
        "page": words.gettext("Page"),  # a standalone page's result, which has no date
        "noResults": words.gettext("No results"),
        "results": words.plural_templates("%(num)d result", "%(num)d results"),
        "query": words.gettext("for “%(query)s”"),
        "where": words.gettext("in %(where)s"),
        "unchecked": words.gettext("(of the %(num)d articles with the words that match best)"),
        "unreadable": words.gettext("The search index could not be read; try again later."),
        "needsHttp": words.gettext(
            "Search needs the site to be served over HTTP, for example with: python -m http.server"
        ),
    }


def _at(listings: Sequence[Listing], i: int) -> Listing | None:
    """``listings[i]``, or None past either end (not the last one for -1)."""
    return listings[i] if 0 <= i < len(listings) else None


def _link(listing: Listing) -> Crumb:
    """A link to a list from the one beside it: its title and first page, not its size (which would make
    the page beside it change with every article added to it)."""
    return Crumb(listing.title, listing.path)


@functools.lru_cache(maxsize=8192)
def _period_trail(year: int, month: int, day: int | None, words: Words) -> tuple[Crumb, ...]:
    """The year, month and day an article's breadcrumbs lead through (many articles share a day)."""
    keys = (f"{year:04d}", f"{year:04d}-{month:02d}", *(() if day is None else (f"{year:04d}-{month:02d}-{day:02d}",)))
    return tuple(Crumb(words.period_title(key), key.replace("-", "/") + "/index.html") for key in keys)


def links_from(from_path: str) -> Callable[[str], str]:
    """``os.path.relpath`` for the site's own normalised POSIX paths (none of its costly normalising), from
    one file, with its folders worked out once.

    Pages link dozens of times each, so this runs millions of times in a large build. A link climbs
    out of the page's folders up to the deepest one that holds the target.
    """
    here = from_path.split("/")[:-1]
    shared = [("/".join(here[:n]) + "/", "../" * (len(here) - n)) for n in range(len(here), 0, -1)]
    top = "../" * len(here)

    def link(to_path: str) -> str:
        for folder, up in shared:
            if to_path.startswith(folder):
                return up + to_path[len(folder) :]
        return top + to_path

    return link


def _year_months(months: Iterable[Listing]) -> dict[str, list[ListingHeader | None]]:
    """Each year's twelve months, January first, as the archive page draws them: None for a month with no articles."""
    headers = {m.key: m.header for m in months}
    years = sorted({key[:4] for key in headers}, reverse=True)
    return {y: [headers.get(f"{y}-{n:02d}") for n in range(1, 13)] for y in years}
