"""How whole-archive results are kept in the cache: by the indices of the articles they hold, not the articles."""

from __future__ import annotations

from collections.abc import Callable

from newsgen.archive.collect import PERIOD_FORMATS, SECTION_FOLDERS, Archive, Listing, Listings

_Kept = list[list[tuple[str, str, str, list[int]]]]  # each kind's listings: key, folder, title, article indices


def listings_by_index(archive: Archive) -> tuple[Callable[[Listings], _Kept], Callable[[_Kept], Listings]]:
    """(encode, decode) of an archive's listings, for ``BuildCache.remembered``: pickling the articles
    of every period and section again would cost more than grouping them."""
    articles = archive.articles

    def encode(listings: Listings) -> _Kept:
        index = {a.source_path: n for n, a in enumerate(articles)}
        groups = [*listings.periods.values(), *listings.sections.values()]
        return [
            [(g.key, g.folder, g.title, [index[a.source_path] for a in g.articles]) for g in kind] for kind in groups
        ]

    def decode(kept: _Kept) -> Listings:
        periods, sections = kept[: len(PERIOD_FORMATS)], kept[len(PERIOD_FORMATS) :]
        return Listings(
            {kind: _listings(kind, group) for kind, group in zip(PERIOD_FORMATS, periods, strict=True)},
            {kind: _listings(kind, group) for kind, group in zip(SECTION_FOLDERS, sections, strict=True)},
        )

    def _listings(kind: str, group: list[tuple[str, str, str, list[int]]]) -> tuple[Listing, ...]:
        return tuple(
            Listing(kind, key, folder, title, tuple(articles[i] for i in members))  # type: ignore[arg-type]
            for key, folder, title, members in group
        )

    return encode, decode
