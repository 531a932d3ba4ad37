"""What the search index keeps of an article (a ``SearchDoc``): the terms it is found by, with their weights.

A term is a word (:func:`words`) that is not a stop word, stemmed by the Snowball stemmer of its page's
language (:func:`stemmer_for`; none for a language Snowball has no stemmer for), so ``investments`` and
``invested`` are both ``invest``. ``templates/assets/search.js`` makes terms by the same rules, with the
same Snowball release's stemmers in JavaScript (``templates/assets/stemmers/``); a browser test holds the
two equal. A document is made as its file is parsed, in worker processes: this module imports no Jinja.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

from newsgen.models import Article, by_fields
from newsgen.output.formats import format_date
from newsgen.text import snowball
from newsgen.text.tokens import ascii_table, blank_ascii
from newsgen.text.words import ENGLISH, Words

TITLE_WEIGHT = 3  # a title word counts as this many body words
K1, B, TYPICAL_LENGTH = 1.2, 0.75, 300  # BM25, against a fixed length: a weight depends on its document only
MAX_WEIGHT = 35  # a weight is one base-36 digit
MAX_TERM = 40  # characters kept of a longer word (a URL, a run of digits)
FACET = "\x01"  # starts a facet term; no word can
STOP_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in is it its of on or she that the "
    "their they this to was were which will with would".split()
)
# Language (its primary subtag) → the Snowball stemmer of templates/assets/stemmers/ that search stems it with.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "eo": "esperanto", "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
STEMS_KEPT = 1 << 18  # words whose stem is remembered, per stemmer and process: about 25 MB at most
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
TIME_DIGITS = 8  # hexadecimal digits of a document's minute: 16**8 minutes reach past the year 8000
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
# Taken out before splitting: apostrophes (l'état, don't stay one word), soft hyphens, joiners, variation selectors.
_INVISIBLE = re.compile("['\u2019\u02bc\u00ad\u200c\u200d\u2060\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_WORD_CATEGORIES = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Mn", "Mc"))

FacetKey: TypeAlias = tuple[str, str | int, str]  # (kind, value, label): ("source", slug, name), ("year", 2016, "")


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One article as the index sees it: what a result shows, and its terms with their weights."""

    __reduce__ = by_fields

    path: str  # the article page's output path, e.g. "2016/09/08/slug/index.html"
    title: str
    date: str  # as the site shows it ("8 September 2016"); "" when undated
    minute: int  # minutes since 0001-01-01 UTC, for newest first; 0 when undated
    year: int  # the year of its URL; 0 when undated
    source: str  # slug; "" for a standalone page
    source_name: str
    stemmer: str  # the Snowball stemmer of its language, "" for none
    terms: str  # its distinct terms, sorted, separated by spaces
    weights: str  # one base-36 digit per term: the term's BM25 weight in this article

    def facets(self) -> list[FacetKey]:
        found: list[FacetKey] = [("stemmer", self.stemmer, "")]
        if self.source:  # a standalone page has none: it is the site's
            found.insert(0, ("source", self.source, self.source_name))
        return [*found, ("year", self.year, "")] if self.year else found

    def postings(self) -> tuple[list[str], str]:
        """Its terms, facets included, and their weights."""
        facets = [facet_term(kind, value) for kind, value, _ in self.facets()]
        return self.terms.split() + facets, self.weights + "1" * len(facets)

    def record(self) -> list[str]:
        """Its entry in ``docs/K.json``."""
        return [self.path, self.title, self.date, self.source_name]


def facet_term(kind: str, value: str | int) -> str:
    return f"{FACET}{kind}:{value}"


@functools.cache
def _word_pattern(astral: bool) -> re.Pattern[str]:
    """Runs of letters, digits and combining marks; the astral planes only for text that has any (slower)."""
    ranges: list[tuple[int, int]] = []
    spans = [(0, 0x10000), (0x10000, 0x40000), (0xE0000, 0xE1000)] if astral else [(0, 0x10000)]
    for low, high in spans:
        start = None
        for code in range(low, high + 1):
            inside = code < high and unicodedata.category(chr(code)) in _WORD_CATEGORIES
            if inside and start is None:
                start = code
            elif not inside and start is not None:
                ranges.append((start, code - 1))
                start = None
    members = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return re.compile(f"[{members}]+")


@functools.cache
def _ascii_word() -> bytes:
    return ascii_table(_word_pattern(False))


def normalize(text: str) -> str:
    """NFKC, lower case, one sigma, and no apostrophes or invisible joiners. ASCII has only the apostrophe of
    them, so ASCII text skips the regular expression, which took a quarter of :func:`words`' time.
    """
    normal = unicodedata.normalize("NFKC", text).lower().replace("ς", "σ").replace("'", "")
    return normal if normal.isascii() else _INVISIBLE.sub("", normal)


def words(text: str) -> list[str]:
    """The words of ``text``, normalised, each cut to MAX_TERM characters; stop words included."""
    normal = normalize(text)
    pattern = _word_pattern(not normal.isascii() and _astral(normal))
    found = blank_ascii(normal, _ascii_word(), pattern).decode().split()
    return [w[:MAX_TERM] for w in found] if max(map(len, found), default=0) > MAX_TERM else found


def _astral(text: str) -> bool:
    """Whether ``text`` has a character past U+FFFF, as ``max(text)`` would tell: one that UTF-16 needs two
    units for, found by its length in C (``max`` makes a string of each character: 70 us a 4 KB article)."""
    return len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)


def stemmer_for(language: str) -> str:
    """The Snowball stemmer for a language tag (``de``, ``pt-BR``); "" when Snowball has none."""
    return STEMMERS.get(language.replace("_", "-").split("-")[0].lower(), "")


@functools.cache
def _stems(stemmer: str) -> tuple[Callable[[str], str], dict[str, str]]:
    """The stemmer, and the terms of the words it has seen: stop words and words stemmed to nothing map to ""."""
    return snowball.stemmer(stemmer), dict.fromkeys(STOP_WORDS, "")


def term_counts(text: str, stemmer: str) -> Counter[str]:
    """How often each term occurs in ``text``: its words (:func:`words`) stemmed, less the stop words and
    any word stemmed to nothing (search.js drops those too).

    Each distinct word is stemmed once per process, as news vocabulary is Zipfian: most words of an article
    have been stemmed before. The words are mapped to their terms in C (a dictionary's lookup, no Python call
    per word); the stems of STEMS_KEPT words are remembered, then forgotten all at once.
    """
    found = words(text)
    if not stemmer:
        counts = Counter(found)
        for word in STOP_WORDS.intersection(counts):
            del counts[word]
        return counts
    stem, terms = _stems(stemmer)
    if len(terms) >= STEMS_KEPT:
        terms.clear()
        terms.update(dict.fromkeys(STOP_WORDS, ""))
    if new := set(found).difference(terms):
        terms.update({word: stem(word) for word in new})  # Nepali stems "छ" to nothing: ""
    counts = Counter(map(terms.__getitem__, found))
    del counts[""]
    return counts


def search_doc(article: Article, path: str, dates: Words = ENGLISH) -> SearchDoc:
    """What the index keeps of ``article``, published at ``path``; ``dates``: the language of its date."""
    stemmer = stemmer_for(article.language)
    title = term_counts(article.title, stemmer)
    body = term_counts(
        "\n".join([article.summary or "", *article.paragraphs, *article.authors, *article.tags, article.source_name]),
        stemmer,
    )
    length = title.total() + body.total()
    frequency = dict(body)
    for t, n in title.items():
        frequency[t] = frequency.get(t, 0) + TITLE_WEIGHT * n
    scale = K1 * (1 - B + B * length / TYPICAL_LENGTH)
    digits = {
        f: _DIGITS[min(MAX_WEIGHT, max(1, round(_bm25(f, scale) * MAX_WEIGHT / (K1 + 1))))]
        for f in set(frequency.values())
    }
    terms = sorted(frequency)
    when = article.published
    minute = min(16**TIME_DIGITS - 1, max(0, (when - _EPOCH) // timedelta(minutes=1))) if when else 0
    return SearchDoc(
        path=path,
        title=article.title,
        date=format_date(when, with_time=False, words=dates) if when else "",
        minute=minute,
        year=when.year if when else 0,
        source="" if article.page else article.source,
        source_name="" if article.page else article.source_name,
        stemmer=stemmer,
        terms=" ".join(terms),
        weights="".join(map(digits.__getitem__, map(frequency.__getitem__, terms))),
    )


def _bm25(frequency: int, scale: float) -> float:
    """BM25's term part, from 0 to K1 + 1; ``scale`` holds the document's length."""
    return frequency * (K1 + 1) / (frequency + scale)
