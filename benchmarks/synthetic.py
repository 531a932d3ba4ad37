"""Deterministic synthetic archives of scraped-text articles, for the speed benchmark and scale tests.

Each article looks like a scraper's dump: a menu or icon line, a dateline in one of several real
formats, the title, ~600 words of body in paragraphs, and share/player junk at the end; tags come
from front matter, as an importer writes them. Same ``n`` and ``seed``, same bytes.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

SOURCES = 50
TAGS = 200
_WORDS = (
    "the a of to and in that is for on with as was at by from said he it his be are this have has an but "
    "not they were which their government minister city council police report week year people state court "
    "officials president company market prices election party vote law border health school water energy "
    "storm harbour ferry budget plan talks agreement deal trade bank rates workers union strike protest "
    "hospital doctors patients study research data climate emissions oil gas power grid rail road airport "
    "village farmers harvest river bridge museum festival team match season coach players fans league cup"
).split()
_DATELINES = (
    lambda d: f"{d.day} {d:%b}, {d.year} {d:%H:%M}",
    lambda d: f"{d:%A}, {d:%B} {d.day}, {d.year}",
    lambda d: f"Published: {d:%Y-%m-%dT%H:%M:%S}Z",
    lambda d: f"{d:%a} {d.day} {d:%b} {d.year} {d:%H.%M} GMT",
    lambda d: f"Posted on {d:%d.%m.%Y} by admin",
    lambda d: f"{d:%B} {d.day}, {d.year} at {d.hour % 12 or 12}:{d:%M} {'pm' if d.hour >= 12 else 'am'}",
)
_HEADERS = (
    "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon fbicon fm",
    "Home | World | Business | Sport | Culture",
    "Skip to content",
)
_FOOTERS = ("Share this article\nFollow us on Twitter", "Podcasts\n0:00\n27:19", "Read more: more news from us")
START = datetime(2010, 1, 1)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


class Parts(NamedTuple):
    """What article ``i`` is made of, for tools that need its fields rather than its scraped text."""

    path: str
    source: str
    when: datetime
    tags: list[str]
    title: str
    header: str
    dateline: str
    paragraphs: list[str]
    footer: str


def article_parts(i: int, seed: int = 0, sources: int = SOURCES, tags: int = TAGS) -> Parts:
    """The fields of article number ``i``; :func:`article_text` lays them out as a scraper would.

    ``sources`` and ``tags``: how many there are to share out (tests make small archives dense).
    """
    rng = random.Random(seed * 1_000_003 + i)
    source = f"source-{i % sources:02d}"
    when = START + timedelta(minutes=rng.randrange(15 * 365 * 24 * 60))
    chosen = sorted({f"tag-{rng.randrange(tags):03d}" for _ in range(rng.randint(1, 4))})
    title = f"{sentence(rng, rng.randint(5, 11))[:-1]} {i}"
    paragraphs = [" ".join(sentence(rng, rng.randint(12, 24)) for _ in range(3)) for _ in range(10)]
    header, dateline, footer = rng.choice(_HEADERS), rng.choice(_DATELINES)(when), rng.choice(_FOOTERS)
    return Parts(f"{source}/article-{i:06d}.txt", source, when, chosen, title, header, dateline, paragraphs, footer)


def article_text(i: int, seed: int = 0, sources: int = SOURCES, tags: int = TAGS) -> tuple[str, str]:
    """(relative path, file text) of article number ``i``."""
    a = article_parts(i, seed, sources, tags)
    text = (
        f"---\ntags: [{', '.join(a.tags)}]\n---\n"
        f"{a.header}\n{a.dateline}\n\n{a.title}\n\n" + "\n\n".join(a.paragraphs) + f"\n\n{a.footer}\n"
    )
    return a.path, text


def article_html(i: int, seed: int = 0, sources: int = SOURCES, tags: int = TAGS) -> tuple[str, str]:
    """(relative path, page) of article number ``i`` as a saved web page: menu, headline, date, text, footer."""
    a = article_parts(i, seed, sources, tags)
    menu = "".join(f'<li><a href="/{w}/">{w.title()}</a></li>' for w in ("news", "sport", "weather", "opinion"))
    body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{a.title} | {a.source}</title>'
        f'<meta name="keywords" content="{",".join(a.tags)}"></head><body><header><nav><ul>{menu}</ul></nav>'
        f'</header><main><article><h1>{a.title}</h1><time datetime="{a.when.isoformat()}">{a.dateline}</time>'
        f"{body}</article></main><footer><p>{a.footer}</p><ul>{menu}</ul></footer></body></html>\n"
    )
    return a.path.removesuffix(".txt") + ".html", page


def write_archive(
    content: Path, n: int, seed: int = 0, start: int = 0, sources: int = SOURCES, tags: int = TAGS, html: bool = False
) -> None:
    """Write articles ``start`` .. ``start + n - 1`` under ``content`` (as saved web pages with ``html``)."""
    for i in range(start, start + n):
        path, text = (article_html if html else article_text)(i, seed, sources, tags)
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
