"""The fast paths of the load stage give exactly what their plain definitions give, on any text."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.archive import related
from newsgen.articles import article
from newsgen.cleaning import cleaner, duplicates, prose, sitewide
from newsgen.cleaning.duplicates import shingles
from newsgen.cleaning.sitewide import normalise_line
from newsgen.config import CleaningSettings
from newsgen.models import Line
from newsgen.output import searchdocs
from newsgen.sources import loader
from newsgen.text import slugs
from newsgen.text.tokens import PUNCTUATION

# ASCII of every kind, the punctuation blanked in C, and a few characters that the patterns must judge.
# Past ASCII: letters (one astral), a decimal digit and one that is not, a mark, a separator, symbols (one astral).
others = ["é", "ø", "ß", "İ", "ς", "٣", "²", "\u0301", "\u2028", "€", "\U0001d400", "\U0001f600"]
text = st.text(st.sampled_from([*map(chr, range(128)), *PUNCTUATION, *others]))


@settings(max_examples=500)
@given(text)
def test_shingles_are_those_of_the_word_pattern(value: str) -> None:
    ids = [zlib.crc32(w.encode()) for w in re.findall(r"\w+", value.casefold())]
    expected = frozenset(hash(tuple(ids[i : i + 2])) for i in range(max(1, len(ids) - 1))) if ids else frozenset()
    assert shingles(value, 2) == expected


@settings(max_examples=500)
@given(st.lists(text, max_size=40).map(" ".join), st.integers(-1, 8))
def test_run_hashes_are_the_runs_tuple_hashes(value: str, size: int) -> None:
    assert duplicates._tuple_hashes_agree()  # the arrays' path is the one taken here
    assert list(duplicates.run_hashes(value, size)) == duplicates.runs(value, size)


@settings(max_examples=500)
@given(text)
def test_search_words_are_those_of_the_word_pattern(value: str) -> None:
    for astral in (value, value + "\ud800", value + "\udbff\udfff"):  # nor are surrogates, paired or not
        assert searchdocs._astral(astral) == (max(astral, default="") > "\uffff")
    normal = searchdocs.normalize(value)
    found = searchdocs._word_pattern(not normal.isascii() and max(normal) > "\uffff").findall(normal)
    assert searchdocs.words(value) == [w[: searchdocs.MAX_TERM] for w in found]


@settings(max_examples=500)
@given(text)
def test_related_terms_are_those_of_the_word_pattern(value: str) -> None:
    found = re.findall(r"[^\W\d_]{3,}", value[: related.TEXT_CHARS].casefold())
    assert related._terms(value) == " ".join(w for w in found if w not in related._STOPWORDS)


def test_blanked_punctuation_is_in_no_word() -> None:
    for char in PUNCTUATION:
        assert not re.match(r"\w", char) and not searchdocs._word_pattern(True).match(char)


@settings(max_examples=500)
@given(text, st.booleans())
def test_lines_normalise_as_in_unicode(value: str, digits: bool) -> None:
    folded = " ".join(re.sub(r"[\"'`´‘’‚‛“”„‟«»‹›]", "", value.casefold()).split())
    assert normalise_line(value, digits) == (folded if digits else re.sub(r"\d+", "0", folded))


@settings(max_examples=500)
@given(text)
def test_prose_words_and_word_counts_are_those_of_the_patterns(value: str) -> None:
    assert prose.words(value) == re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", value)
    assert article._word_count(value) == len(re.findall(r"\w+(?:['’-]\w+)*", value))
    assert article._joined_words(value) == " ".join(re.findall(r"\w+(?:['’-]\w+)*", value))


@settings(max_examples=500)
@given(text)
def test_slugs_transliterate_as_char_by_char(value: str) -> None:
    folded = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(slugs._TABLE.get(c, c) for c in folded if not unicodedata.combining(c))
    slug = slugs._SEPARATORS.sub("-", plain.replace("'", "").replace("’", ""))
    slug = re.sub(r"-{2,}", "-", slugs._DISALLOWED.sub("", slug).replace("_", "-")).strip("-")
    if len(slug) > slugs.MAX_LENGTH:
        cut = slug[: slugs.MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    assert slugs.slugify(value, fallback="") == slug


@settings(max_examples=500)
@given(
    st.text(
        st.sampled_from(
            [*map(chr, range(128)), *PUNCTUATION, *others, *(c for c in map(chr, range(0x3001)) if c.isspace())]
        )
    )
)
def test_squashed_text_is_its_words_with_single_spaces(value: str) -> None:
    assert article._squash(value) == " ".join(value.split())


def test_every_space_but_the_space_is_unprintable() -> None:
    """What ``_squash`` relies on, over all of Unicode as this Python knows it."""
    assert [c for c in map(chr, range(0x110000)) if c.isspace() and c.isprintable()] == [" "]


@given(st.lists(st.sampled_from(["", " ", "a", " b c ", "\t"]), max_size=12))
def test_blocks_are_runs_of_filled_lines_or_every_line(texts: list[str]) -> None:
    lines = [Line(n, t) for n, t in enumerate(texts, 1)]
    filled = [line for line in lines if line.text.strip()]
    first = next((i for i, line in enumerate(lines) if line.text.strip()), 0)
    last = max((i for i, line in enumerate(lines) if line.text.strip()), default=-1)
    if not any(not line.text.strip() for line in lines[first : last + 1]):
        expected = [(line.number, " ".join(line.text.split())) for line in filled]
    else:
        expected, current = [], []
        for line in [*lines, Line(-1, "")]:
            if line.text.strip():
                current.append(line)
            elif current:
                expected.append((current[0].number, " ".join(" ".join(x.text for x in current).split())))
                current = []
    assert article._blocks(lines) == expected


@functools.cache
def probe_rows() -> list[list[int]]:
    return [list(map(int, row)) for row in duplicates._probes()]


def plain_sketch(items: list[int]) -> duplicates.Sketch:
    """The definition: each hash mixed, its top 9 bits a bin, a bin's least kept (its low byte); an empty
    bin takes the value of the first filled bin in its row of probes."""
    mask = (1 << 64) - 1

    def mix(x: int) -> int:
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    least: dict[int, int] = {}
    for h in map(mix, {x & mask for x in items}):
        least[h >> 55] = min(least.get(h >> 55, mask), h)
    probes = probe_rows()
    donor = {b: b if b in least else next(p for p in probes[b] if p in least) for b in range(512)}
    minima = bytes(least[donor[b]] & 0xFF for b in range(512))
    distinct = sorted(map(mix, {x & mask for x in items}))
    exact = hashlib.blake2b(b"".join(h.to_bytes(8, "little") for h in distinct), digest_size=12).digest()
    return duplicates.Sketch(exact, len(least), minima)


@settings(max_examples=300)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=2000) | st.lists(st.integers(-5, 5)))
def test_sketches_are_those_of_their_definition(items: list[int]) -> None:
    expected = plain_sketch(items) if items else duplicates.EMPTY
    assert duplicates.sketch(items) == expected
    assert duplicates.sketch(frozenset(items)) == expected  # runs or their set: repeats change nothing


@settings(max_examples=500)
@given(text, st.integers(-1, 6))
def test_text_sketches_and_runs_are_those_of_shingle_sets(value: str, size: int) -> None:
    assert duplicates.shingles(value, size) == frozenset(duplicates.runs(value, size))
    assert duplicates.text_sketch(value, size) == duplicates.sketch(duplicates.shingles(value, size))


@settings(max_examples=300)
@given(st.lists(st.lists(text, max_size=8), max_size=10), st.integers(-1, 6))
def test_line_sketches_are_those_of_each_files_line_runs(files: list[list[str]], size: int) -> None:
    expected = [duplicates.sketch([h for line in lines for h in duplicates.runs(line, size)]) for lines in files]
    assert duplicates.line_sketches(files, size) == expected
    folded = [[line.casefold() for line in lines] for lines in files]  # casefolded already: not again
    assert duplicates.line_sketches(folded, size, folded=True) == duplicates.line_sketches(folded, size)


def test_line_sketches_hash_runs_in_arrays_on_this_python() -> None:
    """The arrays' tuple hashes are this Python's: the fast path is the one the tests above take."""
    assert duplicates._tuple_hashes_agree()


paths = st.lists(st.sampled_from(["/", ".", "..", "a", "b.", ".c", "d.e", " "]), max_size=10).map("".join)


@settings(max_examples=500)
@given(paths)
def test_folders_and_stems_are_those_of_pathlib(path: str) -> None:
    parts = PurePosixPath(path).parts
    assert loader._folder(path) == (parts[0] if len(parts) > 1 else None)
    assert article._stem(path) == PurePosixPath(path).stem


line = st.one_of(text, st.sampled_from(["Share this", " share  THIS 2", "Share ‘this’ 3", "x y", "", " ", "12 May"]))


@settings(max_examples=300)
@given(st.lists(st.lists(line, max_size=8), min_size=1, max_size=12), st.integers(0, 11))
def test_signatures_of_folded_lines_are_those_of_each_line(files: list[list[str]], which: int) -> None:
    profile = sitewide.profile_source(files, CleaningSettings(repeated_min_articles=2, repeated_always_articles=3))
    lines = [Line(n, t) for n, t in enumerate(files[which % len(files)], 1)]
    out = []
    for rank, value in enumerate(t for ln in lines if (t := ln.text.strip())):
        level = cleaner.repeat_level(profile, value)
        out.append(f"{level}{profile.articles_with(value, digits=True) == 1:d}" if level and rank < 3 else str(level))
    assert cleaner.folded_signature(sitewide.folded_lines(ln.text for ln in lines), profile) == "".join(out)


pieces = ["read more", "Continue READING", "[...]", "[more]", "[…]", "...", ".", "!", "»", " ", "\n", "x", "ı", "İ"]


@settings(max_examples=1000)
@given(st.lists(st.one_of(st.sampled_from(pieces), text), max_size=8).map("".join))
def test_excerpt_ends_are_those_of_the_pattern(value: str) -> None:
    assert cleaner._cut_off(value) == bool(cleaner._EXCERPT_END.search(value))
