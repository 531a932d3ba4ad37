"""Full-text search: newsgen's own index, written from the articles it already has.

The index is a folder of small JSON files under ``search/data/`` that ``templates/assets/search.js``
reads with ``fetch``: no server code, any static host, any sub-path. It is a function of the set of
articles alone (same articles, same bytes, in any order), and editing one article changes only the few
hundred files that hold its words, so a build can patch the previous index instead of writing it anew.

Files, for ``N`` documents (every shard count is a power of two that steps with ``N``, see :func:`layout`):

- ``index.json``: the version, ``count`` (N), the shard counts, the stop words, and the facets with their
  document counts: ``sources`` as ``[slug, name, count]``, ``years`` as ``[year, count]`` and
  ``stemmers`` as ``[name, count]`` (the Snowball stemmers the documents' languages use, "" for none:
  the client stems a query with each of them).
- ``words/K.json``: ``{term: postings}`` for the terms whose CRC-32 falls in shard K. ``postings`` is one
  string: a base-36 digit per document, the term's BM25 weight there (1 to 35, title words counting
  thrice), then, after a space, the ascending document ids as hexadecimal gaps separated by spaces.
  Facets are terms too: ``\\x01source:<slug>``, ``\\x01year:<yyyy>`` and ``\\x01stemmer:<name>``.
- ``prefixes/K.json``: ``{term: b}`` for the terms whose first two characters hash to shard K, ``b``
  being the bit length of the term's document count: the word being typed is completed from these.
- ``docs/K.json``: ``{id: [path, title, date, source name]}`` for the ids ``≡ K`` (hexadecimal keys).
- ``dates/K.json``: a postings string for the ids ``≡ K`` whose values are eight hexadecimal digits per
  document: its minute since 0001-01-01 UTC (0 when undated), to order equal scores newest first.

A document's id is a hash of its path in a space about a thousand times the number of documents, moved
on to the next free number only when hashes collide; so ids are a function of the current set of paths,
adding an article moves no other (but in the rare collision), and the id gaps stay short.

A term is a word (:func:`words`) that is not a stop word, stemmed by the Snowball stemmer of its page's
language (:func:`stemmer_for`; none for a language Snowball has no stemmer for), so ``investments`` and
``invested`` are both ``invest``. ``search.js`` makes terms by the same rules, with the same Snowball
release's stemmers in JavaScript (``templates/assets/stemmers/``); a browser test holds the two equal.
The index holds no word positions: a quoted phrase, and the excerpt shown with a result, are found by
the client in the text of the result's own page, which it fetches.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate, chain, repeat
from operator import and_, or_, rshift, sub
from typing import Any, TypeAlias, cast

from newsgen.models import Article, by_fields
from newsgen.output.formats import format_date
from newsgen.parallel import chunked
from newsgen.text.tokens import ascii_table, blank_ascii

INDEX_FOLDER = "search/data"  # every index file lives under it
TOP_FILE = f"{INDEX_FOLDER}/index.json"
VERSION = 2
TITLE_WEIGHT = 3  # a title word counts as this many body words
K1, B, TYPICAL_LENGTH = 1.2, 0.75, 300  # BM25, against a fixed length: a weight depends on its document only
MAX_WEIGHT = 35  # a weight is one base-36 digit
MAX_TERM = 40  # characters kept of a longer word (a URL, a run of digits)
MAX_WORD_SHARDS = 8192
POSTINGS_PER_PASS = 32_000_000  # a full index gathers at most about this many (4 bytes each) at a time
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
STEMMER_ASSETS = "assets/stemmers/"
STEMS_KEPT = 1 << 18  # words whose stem is remembered, per stemmer; then it starts again
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TIME_DIGITS = 8  # 16**8 minutes reach past the year 8000
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
    source: str  # slug
    source_name: str
    stemmer: str  # the Snowball stemmer of its language, "" for none
    terms: str  # its distinct terms, sorted, separated by spaces
    weights: str  # one base-36 digit per term: the term's BM25 weight in this article

    def facets(self) -> list[FacetKey]:
        found: list[FacetKey] = [("source", self.source, self.source_name), ("stemmer", self.stemmer, "")]
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


@dataclass(frozen=True, slots=True)
class Layout:
    """Shard counts and the bits of the id space, for a number of documents."""

    id_bits: int
    words: int
    prefixes: int
    docs: int
    dates: int


def layout(count: int) -> Layout:
    """Steps only when the number of documents passes a power of two: one full rebuild per doubling."""
    scale = max(0, count - 1).bit_length()  # count <= 2**scale
    words = min(MAX_WORD_SHARDS, 1 << max(3, scale - 3))
    prefixes = max(8, min(512, words // 4))  # there are only so many first two letters
    return Layout(min(32, max(16, scale + 10)), words, prefixes, max(4, words // 4), max(1, words // 512))


# --- terms: the same rules as search.js ----------------------------------------------------------------


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
    """NFKC, lower case, one sigma, and no apostrophes or invisible joiners."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text).lower().replace("ς", "σ"))


def words(text: str) -> list[str]:
    """The words of ``text``, normalised, each cut to MAX_TERM characters; stop words included."""
    normal = normalize(text)
    if (blanked := blank_ascii(normal, _ascii_word())) is not None:
        found = blanked.decode().split()
    else:
        found = _word_pattern(not normal.isascii() and max(normal) > "\uffff").findall(normal)
    return [w[:MAX_TERM] for w in found] if max(map(len, found), default=0) > MAX_TERM else found


def stemmer_for(language: str) -> str:
    """The Snowball stemmer for a language tag (``de``, ``pt-BR``); "" when Snowball has none."""
    return STEMMERS.get(language.replace("_", "-").split("-")[0].lower(), "")


@functools.cache
def _stem_word(stemmer: str) -> Callable[[str], str]:
    """The pure-Python stemmer, never PyStemmer's C one that snowballstemmer prefers when it is installed:
    its Snowball release could differ from the JavaScript's, and the site from one machine to another.
    """
    module = importlib.import_module(f"snowballstemmer.{stemmer}_stemmer")
    return cast(Callable[[str], str], getattr(module, f"{stemmer.title()}Stemmer")().stemWord)


_stems: defaultdict[str, dict[str, str]] = defaultdict(dict)  # stemmer → word → stem: a word is stemmed once


def stem(word: str, stemmer: str) -> str:
    """``word`` stemmed by ``stemmer`` ("" leaves it as it is)."""
    if not stemmer:
        return word
    known = _stems[stemmer]
    found = known.get(word)
    if found is None:
        if len(known) >= STEMS_KEPT:
            known.clear()
        found = known[word] = _stem_word(stemmer)(word)
    return found


def needed_asset(path: str, stemmers: Collection[str]) -> bool:
    """Whether a theme asset goes into the site: of the stemmers, only those its articles' languages use."""
    if not path.startswith(STEMMER_ASSETS):
        return True
    name = path.removeprefix(STEMMER_ASSETS)
    if name.endswith("-stemmer.js") and name != "base-stemmer.js":
        return name.removesuffix("-stemmer.js") in stemmers
    return any(stemmers)  # base-stemmer.js, which every stemmer needs, and the licence


def term(word: str, stemmer: str) -> str:
    """The index term of a word from :func:`words`; "" for a stop word."""
    return "" if word in STOP_WORDS else stem(word, stemmer)


def index_terms(text: str, stemmer: str) -> list[str]:
    """The terms ``text`` is indexed and searched under, in order, repeats kept."""
    return list(filter(None, (term(w, stemmer) for w in words(text))))


def _term_counts(text: str, stemmer: str) -> Counter[str]:
    """How often each term occurs in ``text``; counted as words first, so that each word is stemmed once."""
    counts: Counter[str] = Counter()
    for word, n in Counter(words(text)).items():
        if word not in STOP_WORDS:
            counts[stem(word, stemmer)] += n
    return counts


def search_doc(article: Article, path: str) -> SearchDoc:
    """What the index keeps of ``article``, published at ``path``."""
    stemmer = stemmer_for(article.language)
    title = _term_counts(article.title, stemmer)
    body = _term_counts(
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
    minute = min(16**_TIME_DIGITS - 1, max(0, (when - _EPOCH) // timedelta(minutes=1))) if when else 0
    return SearchDoc(
        path=path,
        title=article.title,
        date=format_date(when, with_time=False) if when else "",
        minute=minute,
        year=when.year if when else 0,
        source=article.source,
        source_name=article.source_name,
        stemmer=stemmer,
        terms=" ".join(terms),
        weights="".join(map(digits.__getitem__, map(frequency.__getitem__, terms))),
    )


def _bm25(frequency: int, scale: float) -> float:
    """BM25's term part, from 0 to K1 + 1; ``scale`` holds the document's length."""
    return frequency * (K1 + 1) / (frequency + scale)


# --- encoding --------------------------------------------------------------------------------------------


def _hex(number: int) -> str:
    return f"{number:x}"


def _encode_ids(ids: Sequence[int]) -> str:
    """Ascending ids as hexadecimal gaps separated by spaces (in C loops: hex, not base 36, for that)."""
    return " ".join(map("%x".__mod__, map(sub, ids, chain((0,), ids))))


def _postings(ids: Sequence[int], values: str) -> str:
    """A postings string: the values, a space, the id gaps; "" for none."""
    return f"{values} {_encode_ids(ids)}" if ids else ""


def _encode_time(minute: int) -> str:
    return f"{minute:0{_TIME_DIGITS}x}"


def _json(value: Any) -> bytes:
    """Compact sorted JSON with ``<``, ``>`` and ``&`` escaped: scraped markup in it stays inert text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n").encode()


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def word_shard(t: str, shards: int) -> int:
    return _hash(t) & (shards - 1)


def _word_shards_of(terms: Iterable[str], shards: int) -> Iterator[int]:
    """word_shard() of many terms, in C loops."""
    return map(and_, map(zlib.crc32, map(str.encode, terms)), repeat(shards - 1))


def prefix_shard(t: str, shards: int) -> int:
    return _hash(t[:2]) & (shards - 1)


def assign_ids(hashes: dict[str, int]) -> dict[str, int]:
    """Ids for paths with their hashes: the hash, or the next number not taken (in order of hash, then path)."""
    moved = _collisions(hashes)
    return {**hashes, **moved} if moved else hashes


def _collisions(hashes: dict[str, int]) -> dict[str, int]:
    """The ids that are not their path's hash: those of the runs that start where two hashes collide."""
    counts = Counter(hashes.values())
    if len(counts) == len(hashes):
        return {}
    shared = {number for number, n in counts.items() if n > 1}
    alone = {number: path for path, number in hashes.items()}  # right for the hashes not shared
    together: dict[int, list[str]] = {}
    for path, number in hashes.items():
        if number in shared:
            together.setdefault(number, []).append(path)
    moved: dict[str, int] = {}
    covered = -1
    for start in sorted(shared):
        if start <= covered:  # part of the previous run
            continue
        waiting = deque(sorted(together[start]))  # in order of hash, then path: later hashes join at the end
        number = start
        while waiting:
            path = waiting.popleft()
            if hashes[path] != number:
                moved[path] = number
            number += 1
            waiting.extend(sorted(together[number]) if number in shared else [alone[number]] if number in alone else [])
        covered = number - 1
    return moved


def path_hashes(paths: Iterable[str], shape: Layout) -> dict[str, int]:
    mask = (1 << shape.id_bits) - 1
    return {path: _hash(path) & mask for path in paths}


def _file(kind: str, number: int) -> str:
    return f"{INDEX_FOLDER}/{kind}/{number}.json"


# --- the whole index -------------------------------------------------------------------------------------


def index_files(docs: Iterable[SearchDoc]) -> Iterator[tuple[str, bytes]]:
    """Every file of the index (output path, bytes), in a fixed order; the same bytes for any order of docs."""
    by_path: dict[str, SearchDoc] = {}
    for doc in docs:
        if doc.path in by_path:
            raise ValueError("two search documents have the same path")
        by_path[doc.path] = doc
    yield from stream_index_files(list(by_path), lambda paths: [by_path[p] for p in paths])


Fetch: TypeAlias = Callable[[list[str]], Iterable[SearchDoc]]


def stream_index_files(paths: Sequence[str], fetch: Fetch, batch: int = 2000) -> Iterator[tuple[str, bytes]]:
    """``index_files`` of the documents at ``paths``, which ``fetch`` gives (in the order asked) a batch at a time.

    The index is gathered in a few passes over the documents, never all of them at once: for 100,000
    articles they are half a gigabyte, which would be most of a build's memory.
    """
    shape = layout(len(paths))
    ids = assign_ids(path_hashes(paths, shape))
    if len(ids) != len(paths):
        raise ValueError("two search documents have the same path")
    order = sorted(paths, key=ids.__getitem__)
    numbers = [ids[p] for p in order]

    def ordered() -> Iterator[SearchDoc]:
        for part in chunked(order, batch):
            yield from fetch(list(part))

    facets: Counter[FacetKey] = Counter()
    records: list[dict[str, list[str]]] = [{} for _ in range(shape.docs)]
    times: list[list[tuple[int, str]]] = [[] for _ in range(shape.dates)]
    total = 0  # postings, to know how many passes gather the words
    for number, doc in zip(numbers, ordered(), strict=True):
        facets.update(doc.facets())
        records[number & (shape.docs - 1)][_hex(number)] = doc.record()
        times[number & (shape.dates - 1)].append((number, _encode_time(doc.minute)))
        total += len(doc.weights) + 2
    yield TOP_FILE, _json(_top(len(order), shape, facets))
    for k, entries in enumerate(records):
        yield _file("docs", k), _json(entries)
    del records
    for k, pairs in enumerate(times):
        yield _file("dates", k), _json(_postings([n for n, _ in pairs], "".join(t for _, t in pairs)))
    prefixes: list[dict[str, int]] = [{} for _ in range(shape.prefixes)]
    for k, postings in _word_shards(ordered, numbers, shape.words, total):
        for t, text in postings.items():
            if not t.startswith(FACET):
                prefixes[prefix_shard(t, shape.prefixes)][t] = text.index(" ").bit_length()
        yield _file("words", k), _json(postings)
    for k, completions in enumerate(prefixes):
        yield _file("prefixes", k), _json(completions)


def _word_shards(
    ordered: Callable[[], Iterable[SearchDoc]], numbers: list[int], shards: int, total: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each words/ shard in order, gathered a group of shards at a time so that memory stays bounded.

    ``ordered()`` goes through the documents once more each time it is called. A posting is gathered as
    one 32-bit code, its document's position << 7 | its weight digit's ASCII code, appended to its
    term's array in a C loop: a Python loop per posting would take most of the time.
    """
    groups = min(shards, 1 << (-(-total // POSTINGS_PER_PASS) - 1).bit_length())
    per_group = shards // groups
    by_shard: list[list[str]] = []
    if groups > 1:  # then the terms of each group must be known beforehand
        vocabulary: set[str] = set()
        for doc in ordered():
            vocabulary.update(doc.postings()[0])
        by_shard = _by_shard(vocabulary, shards, 0)
        del vocabulary
    sink: deque[None] = deque(maxlen=0)
    for group in range(groups):
        first = group * per_group
        gathered: dict[str, array[int]] = (
            {t: array("I") for names in by_shard[first : first + per_group] for t in names}
            if by_shard
            else defaultdict(functools.partial(array, "I"))
        )
        elsewhere = array("I")  # where the postings of other groups' terms go, to be dropped
        for position, doc in enumerate(ordered()):
            terms, weights = doc.postings()
            found = map(gathered.get, terms, repeat(elsewhere)) if by_shard else map(gathered.__getitem__, terms)
            sink.extend(map(array.append, found, map(or_, repeat(position << 7), weights.encode())))
            del elsewhere[:]
        names_by_shard = by_shard[first : first + per_group] if by_shard else _by_shard(gathered, shards, first)
        for k, names in enumerate(names_by_shard, start=first):
            yield k, {t: _encode_codes(gathered.pop(t), numbers) for t in names}  # popped: memory goes down


def _by_shard(terms: Collection[str], shards: int, first: int) -> list[list[str]]:
    """The terms of each shard from ``first`` on."""
    found: list[list[str]] = [[] for _ in range(shards - first)]
    for t, shard in zip(terms, _word_shards_of(terms, shards), strict=True):
        found[shard - first].append(t)
    return found


def _encode_codes(codes: array[int], numbers: list[int]) -> str:
    """The postings string of gathered codes (see _word_shards)."""
    if len(codes) == 1:  # a third of all terms: spare them the C loops' setting up
        return f"{chr(codes[0] & 127)} {numbers[codes[0] >> 7]:x}"
    number_of: Callable[[int], int] = numbers.__getitem__
    ids = list(map(number_of, map(rshift, codes, repeat(7))))
    return _postings(ids, bytes(map(and_, codes, repeat(127))).decode("ascii"))


def _top(count: int, shape: Layout, facets: dict[FacetKey, int]) -> dict[str, Any]:
    keys = sorted(facets, key=lambda key: (key[0], str(key[1]), key[2]))
    return {
        "version": VERSION,
        "count": count,
        "shards": {"words": shape.words, "prefixes": shape.prefixes, "docs": shape.docs, "dates": shape.dates},
        "stop": sorted(STOP_WORDS),
        "sources": [[value, label, facets[kind, value, label]] for kind, value, label in keys if kind == "source"],
        "years": [[value, facets[kind, value, label]] for kind, value, label in keys if kind == "year"],
        "stemmers": [[value, facets[kind, value, label]] for kind, value, label in keys if kind == "stemmer"],
    }


# --- patching the previous index ---------------------------------------------------------------------------


class _Stale(Exception):
    """The previous index is not what the update expects: it must be written in full."""


def update_index(
    removed: Sequence[SearchDoc],
    added: Sequence[SearchDoc],
    current: Collection[str],
    read: Callable[[str], bytes | None],
) -> dict[str, bytes | None] | None:
    """Files to write (bytes) or delete (None) so that the previous build's index becomes exactly
    index_files(<the current docs>). `removed`: docs of the previous build no longer present or edited;
    `added`: new or edited docs (an edit = old doc removed + new doc added); `current`: the paths of all
    docs after the change; `read(path)` returns a file the previous build wrote (None if missing).
    Returns None when an update is not possible (a file missing/unreadable/not as expected, ids that
    must move, ...): the caller then writes index_files() in full.

    Exactly then: the number of documents passes a power of two (the layout steps); a hash collision
    would move a document that did not change; the arguments contradict each other (a path twice, an
    added path not current, a removed one still current but not added); or an index file is missing,
    unreadable, or does not hold what ``removed`` says the previous build put there.
    """
    try:
        return _Patch(read).apply(removed, added, current)
    except (_Stale, OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # ValueError includes bad JSON; the others, JSON of the wrong shape


class _Patch:
    """The index files an update reads, parsed, changed in place, written back where their bytes differ."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self.read = read
        self.loaded: dict[str, Any] = {}
        self.before: dict[str, bytes] = {}

    def load(self, path: str) -> Any:
        if path not in self.loaded:
            data = self.read(path)
            if data is None:
                raise _Stale(path)
            self.before[path] = data
            self.loaded[path] = json.loads(data)
        return self.loaded[path]

    def apply(
        self, removed: Sequence[SearchDoc], added: Sequence[SearchDoc], current: Collection[str]
    ) -> dict[str, bytes | None]:
        shape, old_ids, new_ids = _ids_before_and_after(removed, added, current)
        top = self.load(TOP_FILE)
        facets = _facets(top)
        if top != _top(len(old_ids), shape, facets):
            raise _Stale(TOP_FILE)
        for doc in removed:
            for key in doc.facets():
                facets[key] -= 1
        for doc in added:
            for key in doc.facets():
                facets[key] = facets.get(key, 0) + 1
        if min(facets.values(), default=0) < 0:
            raise _Stale(TOP_FILE)
        self.loaded[TOP_FILE] = _top(len(new_ids), shape, {key: n for key, n in facets.items() if n})
        for doc in removed:
            number = old_ids[doc.path]
            if self.load(_file("docs", number & (shape.docs - 1))).pop(_hex(number), None) != doc.record():
                raise _Stale(doc.path)
            self.splice(_file("dates", number & (shape.dates - 1)), [(number, _encode_time(doc.minute), False)])
        for doc in added:
            number = new_ids[doc.path]
            if (
                self.load(_file("docs", number & (shape.docs - 1))).setdefault(_hex(number), doc.record())
                != doc.record()
            ):
                raise _Stale(doc.path)
            self.splice(_file("dates", number & (shape.dates - 1)), [(number, _encode_time(doc.minute), True)])
        self.words(removed, added, old_ids, new_ids, shape)
        written = {path: _json(value) for path, value in self.loaded.items()}
        return {path: data for path, data in written.items() if data != self.before[path]}

    def words(
        self,
        removed: Sequence[SearchDoc],
        added: Sequence[SearchDoc],
        old_ids: dict[str, int],
        new_ids: dict[str, int],
        shape: Layout,
    ) -> None:
        """words/, and prefixes/ for the terms whose document count changes its bit length.

        A posting that an edit leaves as it was (same id, same weight) is neither removed nor added.
        """
        out = _postings_by_term(removed, old_ids)
        into = _postings_by_term(added, new_ids)
        for t in out.keys() | into.keys():
            before, after = out.get(t, {}), into.get(t, {})
            changes = [(n, w, False) for n, w in before.items() if after.get(n) != w]
            changes += [(n, w, True) for n, w in after.items() if before.get(n) != w]
            if not changes:
                continue
            count, new_count = self.splice(
                _file("words", word_shard(t, shape.words)), sorted(changes, key=_removals_first), t
            )
            if not t.startswith(FACET) and count.bit_length() != new_count.bit_length():
                entries = self.load(_file("prefixes", prefix_shard(t, shape.prefixes)))
                if entries.pop(t, 0) != count.bit_length():
                    raise _Stale(t)
                if new_count:
                    entries[t] = new_count.bit_length()

    def splice(self, path: str, changes: Sequence[tuple[int, str, bool]], key: str | None = None) -> tuple[int, int]:
        """Removes and inserts (id, value) in a postings string: the file's, or its entry ``key``.

        Only the gaps next to a change are encoded again. Returns the number of ids before and after.
        """
        parent = self.load(path)
        text = parent.pop(key, "") if key is not None else parent
        values, *gaps = text.split(" ") if text else [""]
        width = len(changes[0][1])
        before = len(gaps)
        if len(values) != width * before:
            raise _Stale(path)
        change = _change_few if len(changes) <= FEW_CHANGES else _change_many
        values = change(gaps, values, width, changes)
        text = f"{values} {' '.join(gaps)}" if gaps else ""
        if key is None:
            self.loaded[path] = text
        elif text:
            parent[key] = text
        return before, len(gaps)


FEW_CHANGES = 3  # up to this many changes to one postings string, each finds its place without decoding all ids
_CHUNK = 256


def _change_few(gaps: list[str], values: str, width: int, changes: Sequence[tuple[int, str, bool]]) -> str:
    """Applies ``changes`` to the gaps (in place) and returns the new values; adds up only the gaps before each."""
    for number, value, adding in changes:
        i, previous, found = _locate(gaps, number)
        if adding == (found == number) or (not adding and values[i * width : (i + 1) * width] != value):
            raise _Stale(str(number))
        if adding:
            gaps.insert(i, _hex(number - previous))
            if found is not None:
                gaps[i + 1] = _hex(found - number)
            values = values[: i * width] + value + values[i * width :]
        else:
            if i + 1 < len(gaps):
                gaps[i + 1] = _hex(int(gaps[i], 16) + int(gaps[i + 1], 16))
            del gaps[i]
            values = values[: i * width] + values[(i + 1) * width :]
    return values


def _locate(gaps: list[str], number: int) -> tuple[int, int, int | None]:
    """Where ``number`` is or goes: the index of the first id not below it, the id before (0 if none), that id."""
    total = 0
    for start in range(0, len(gaps), _CHUNK):
        chunk = gaps[start : start + _CHUNK]
        ids = list(accumulate(map(int, chunk, repeat(16)), initial=total))
        if ids[-1] >= number:
            j = bisect_left(ids, number, 1)
            return start + j - 1, ids[j - 1], ids[j]
        total = ids[-1]
    return len(gaps), total, None


def _change_many(gaps: list[str], values: str, width: int, changes: Sequence[tuple[int, str, bool]]) -> str:
    """As _change_few, decoding every id once."""
    ids = list(accumulate(map(int, gaps, repeat(16))))
    for number, value, adding in changes:
        i = bisect_left(ids, number)
        present = i < len(ids) and ids[i] == number
        if adding == present or (not adding and values[i * width : (i + 1) * width] != value):
            raise _Stale(str(number))
        if adding:
            ids.insert(i, number)
            gaps.insert(i, "")
            values = values[: i * width] + value + values[i * width :]
        else:
            del ids[i], gaps[i]
            values = values[: i * width] + values[(i + 1) * width :]
        for j in (i, i + 1) if adding else (i,):
            if j < len(ids):
                gaps[j] = _hex(ids[j] - (ids[j - 1] if j else 0))
    return values


def _postings_by_term(docs: Sequence[SearchDoc], ids: dict[str, int]) -> dict[str, dict[int, str]]:
    """term → {id: weight} of ``docs``."""
    found: dict[str, dict[int, str]] = {}
    for doc in docs:
        number = ids[doc.path]
        for t, weight in zip(*doc.postings(), strict=True):
            found.setdefault(t, {})[number] = weight
    return found


def _removals_first(change: tuple[int, str, bool]) -> tuple[bool, int]:
    return change[2], change[0]


def _facets(top: dict[str, Any]) -> dict[FacetKey, int]:
    facets: dict[FacetKey, int] = {("source", slug, name): n for slug, name, n in top["sources"]}
    facets.update((("year", year, ""), n) for year, n in top["years"])
    facets.update((("stemmer", name, ""), n) for name, n in top["stemmers"])
    return facets


def _ids_before_and_after(
    removed: Sequence[SearchDoc], added: Sequence[SearchDoc], current: Collection[str]
) -> tuple[Layout, dict[str, int], dict[str, int]]:
    """The layout and the ids before and after; _Stale if the arguments disagree, the layout steps or an id moves."""
    gone = {doc.path for doc in removed}
    new = {doc.path for doc in added}
    present = set(current)
    if len(gone) != len(removed) or len(new) != len(added) or len(present) != len(current):
        raise _Stale("a path is given twice")
    if not new <= present or (gone - new) & present:
        raise _Stale("the removed and added paths disagree with the current ones")
    shape = layout(len(present))
    if layout(len(present) - len(new) + len(gone)) != shape:
        raise _Stale("the layout steps")
    after = path_hashes(present, shape)
    before = dict(after)
    for path in new - gone:
        del before[path]
    before.update(path_hashes(gone - new, shape))
    moved_before, moved_after = _collisions(before), _collisions(after)
    for path in (moved_before.keys() | moved_after.keys()) - gone - new:
        if moved_before.get(path) != moved_after.get(path):
            raise _Stale("a hash collision moves an id")
    return shape, {**before, **moved_before}, {**after, **moved_after}
