"""Words split and lines folded in C give exactly what the regular expressions give, on any text."""

from __future__ import annotations

import re
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import related, search
from newsgen.duplicates import shingles
from newsgen.sitewide import normalise_line
from newsgen.tokens import PUNCTUATION

# ASCII of every kind, the punctuation blanked in C, and a few characters that must go to the patterns.
text = st.text(st.sampled_from([*map(chr, range(128)), *PUNCTUATION, "é", "ß", "İ", "ς", "²", "\u0301", "\u2028"]))


@settings(max_examples=500)
@given(text)
def test_shingles_are_those_of_the_word_pattern(value: str) -> None:
    ids = [zlib.crc32(w.encode()) for w in re.findall(r"\w+", value.casefold())]
    expected = frozenset(hash(tuple(ids[i : i + 2])) for i in range(max(1, len(ids) - 1))) if ids else frozenset()
    assert shingles(value, 2) == expected


@settings(max_examples=500)
@given(text)
def test_search_words_are_those_of_the_word_pattern(value: str) -> None:
    normal = search.normalize(value)
    found = search._word_pattern(not normal.isascii() and max(normal) > "\uffff").findall(normal)
    assert search.words(value) == [w[: search.MAX_TERM] for w in found]


@settings(max_examples=500)
@given(text)
def test_related_terms_are_those_of_the_word_pattern(value: str) -> None:
    found = re.findall(r"[^\W\d_]{3,}", value[: related.TEXT_CHARS].casefold())
    assert related._terms(value) == " ".join(w for w in found if w not in related._STOPWORDS)


def test_blanked_punctuation_is_in_no_word() -> None:
    for char in PUNCTUATION:
        assert not re.match(r"\w", char) and not search._word_pattern(True).match(char)


@settings(max_examples=500)
@given(text, st.booleans())
def test_lines_normalise_as_in_unicode(value: str, digits: bool) -> None:
    folded = " ".join(re.sub(r"[\"'`´‘’‚‛“”„‟«»‹›]", "", value.casefold()).split())
    assert normalise_line(value, digits) == (folded if digits else re.sub(r"\d+", "0", folded))
