"""Pages that are not articles: index, tag and search pages, error pages, cookie walls, author bios, lone headlines.

Scrapers save whatever a link led to. Such a page has little running text: a list of excerpts cut off
with "…", a headline and nothing else, a few short lines and links. Its address or title often says
so too (``/tag/``, ``/category/…/page/3/``, "… Archives", the site's own name). We judge the cleaned
article from those general signs, never from one site's wording, and say which sign it was.
"""

from __future__ import annotations

import re
from datetime import UTC
from urllib.parse import unquote, urlsplit

from newsgen.cleaning.prose import ends_sentence, reads_as_prose, words
from newsgen.config import CleaningSettings
from newsgen.models import Article
from newsgen.text.dates import parse_dateline

_LISTING_SEGMENT = re.compile(
    r"(?i)tags?|categor(?:y|ies)|topics?|archives?|authors?|contributors?|search|labels?|sections?|page"
    r"|\w*list|bio|profile|about(?:-us)?|stories"
)
_LISTING_TITLE = re.compile(
    r"(?i)^(?:stories|posts|articles|news)\s+(?:in|from|about|tagged|by)\b|\barchives?$|^(?:category|tag|topic)\s*:"
    r"|^(?:all\s+)?(?:posts|articles|stories)\s+by\b|\bpage\s+\d+$|^about\s+(?:us|me|the\s+author)$"
)
_ERROR = re.compile(
    r"(?i)\b(?:404|page\s+not\s+found|not\s+found|access\s+denied|forbidden|server\s+error|error\s+\d{3}"
    r"|something\s+went\s+wrong|no\s+longer\s+available|has\s+been\s+removed)\b"
)
_SEARCH_TITLE = re.compile(  # "Results for …" alone is also a headline (election results), so it is not enough
    r"(?i)^(?:search\s+results?(?:\s+for\b|\s*$|\s+[|–—-])|you\s+searched\s+for|suchergebnisse"
    r"|résultats?\s+de\s+(?:la\s+)?recherche|resultados\s+de\s+(?:la\s+)?búsqueda|risultati\s+della\s+ricerca"
    r"|zoekresultaten)"
)
# A query that is words, not a session id (a forum's "?s=22c09551c71c1a6b64e4364ca45cbf28")
_SEARCH_QUERY = re.compile(r"(?:^|&)(?:s|q|query|search|keywords?|suche)=(?![0-9a-fA-F]{16,}(?:&|$))[^&]")
# What a consent wall, a robot check or a "turn on JavaScript" page talks about, in the languages the
# dateline parser reads; a page whose prose is mostly this has no article behind it in the scrape.
_GATE = re.compile(
    r"(?i)\b(?:cookies?|consent|gdpr|personal\s+data|privacy\s+(?:policy|settings|preferences)|third[- ]party"
    r"|accept\s+all|reject\s+all|manage\s+(?:options|preferences|settings)|legitimate\s+interest|our\s+partners"
    r"|enable\s+javascript|javascript\s+is\s+disabled|are\s+you\s+a\s+robot|not\s+a\s+robot|captcha"
    r"|verify\s+you\s+are\s+(?:a\s+)?human|ad\s*blocker|datenschutz\w*|einwilligung|zustimm\w*"
    r"|akzeptieren|consentement|données\s+personnelles|consentimiento|datos\s+personales|aceptar)\b"
)
# How listings cut an excerpt: "[…]", "... Read More". A bare "…" is also a writer's style, so it is not enough.
_TRUNCATED = re.compile(r"(?:\[(?:…|\.\.\.)\]|(?:…|\.\.\.?)\s*read\s+more\W*)$", re.I)
LISTING_MAX_WORDS = 300  # a listing address with this much prose is an article filed oddly


def non_article_reason(article: Article, settings: CleaningSettings) -> str | None:
    """Why ``article`` is not an article, or None when it is one; hand-written Markdown always is one."""
    if article.markup == "markdown":
        return None
    paragraphs = [p for p in article.paragraphs if p.strip()]
    found = [words(p) for p in paragraphs]
    prose = [reads_as_prose(p, w) for p, w in zip(paragraphs, found, strict=True)]  # once each: asked again below
    counts = [len(w) for w in found]
    prose_words = sum(n for n, is_prose in zip(counts, prose, strict=True) if is_prose)
    short = sum(len(p) for p in paragraphs) < 20 * settings.non_article_min_words
    shaped = article.markup == "text"  # a saved page's text is what its markup called the article: not shape
    if (
        shaped
        and short
        and paragraphs
        and not any(is_prose or ends_sentence(p) or ". " in p for p, is_prose in zip(paragraphs, prose, strict=True))
    ):
        return "not an article: no sentence in it, only a headline, labels or links"
    if _ERROR.search(article.title) and prose_words < LISTING_MAX_WORDS // 2:
        return "not an article: an error page"
    if prose_words < LISTING_MAX_WORDS and (_SEARCH_TITLE.search(article.title) or _search_address(article.url)):
        return "not an article: a page of search results"
    if prose_words < LISTING_MAX_WORDS and _gated(paragraphs, counts):
        return "not an article: a cookie, consent or robot-check wall (the scrape did not reach the article)"
    listing = _listing_address(article.url) or _LISTING_TITLE.search(article.title) or _is_site_name(article)
    if listing and prose_words < LISTING_MAX_WORDS:
        return "not an article: an index, tag or author page (its address or title says so, and it has little text)"
    if prose_words < LISTING_MAX_WORDS:
        excerpts = sum(1 for p, n in zip(paragraphs, counts, strict=True) if n >= 12 and _TRUNCATED.search(p))
    else:
        excerpts = 0  # so much prose is an article, however it ends its paragraphs
    if excerpts >= 2 and excerpts * 2 >= len(paragraphs):
        return "not an article: a list of excerpts cut off mid-text"
    if prose_words < LISTING_MAX_WORDS:
        dated = sum(1 for p, n in zip(paragraphs, counts, strict=True) if n <= 30 and _dated(p))
        if dated >= 3 and dated * 3 >= len(paragraphs) and prose.count(True) <= 2:  # a bio at most, and links
            return "not an article: a list of dated headlines (an author's, a section's or an archive's page)"
    labels = prose.count(False)
    little = prose_words < settings.non_article_min_words and sum(counts) < 150
    if shaped and len(paragraphs) >= 3 and labels >= 0.7 * len(paragraphs) and little:  # a poem: short lines, many
        return f"not an article: mostly short lines or links, under {settings.non_article_min_words} words of prose"
    return None


_DATE_AFTER = re.compile(r"\s+(?:[-–—|·•]|\bon\b)\s+")  # "Headline – January 5, 2018"


def _dated(paragraph: str) -> bool:
    """A date on its own, or a headline's date after a dash: what an author's page lists under each link."""
    tail = _DATE_AFTER.split(paragraph)[-1]
    return parse_dateline(paragraph, tz=UTC) is not None or (
        tail != paragraph and parse_dateline(tail, tz=UTC) is not None
    )


def _gated(paragraphs: list[str], counts: list[int]) -> bool:
    """Most of the text is about cookies, consent, robots or JavaScript: two such terms in a paragraph."""
    about = sum(n for p, n in zip(paragraphs, counts, strict=True) if len(_GATE.findall(p)) >= 2)
    return about > 0 and about * 2 >= sum(counts)


def _search_address(url: str | None) -> bool:
    """A URL that carries a search query (``?s=ferry``, ``/search?q=ferry``)."""
    return bool(url) and bool(_SEARCH_QUERY.search(urlsplit(url or "").query))


def _listing_address(url: str | None) -> bool:
    """A URL whose path names a listing (``/tag/x/``, ``/category/x/page/3/``, ``/author/x/``)."""
    if not url:
        return False
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    return any(_LISTING_SEGMENT.fullmatch(p.rsplit(".", 1)[0]) for p in parts)


def _is_site_name(article: Article) -> bool:
    """A title that is only the publication's name: the home or a section page, not a story."""
    squash = re.compile(r"[\W_]+")
    title = squash.sub("", article.title.casefold())
    names = {squash.sub("", n.casefold().removeprefix("www.")) for n in (article.source, article.source_name)}
    return bool(title) and any(n == title or (n.startswith(title) and len(title) >= 6) for n in names)
