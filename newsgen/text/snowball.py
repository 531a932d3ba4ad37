"""snowballstemmer's pure-Python stemmers, with their tables of suffixes looked up in dictionaries.

A Snowball stemmer spends most of its time in ``find_among(_b)``, which binary-searches a table of
suffixes (or prefixes) one character at a time in Python. Looking up in a dictionary the text's slice of
each length that the table has for the text's last (first) character finds the same entries, longest
first, in half the time; English also skips its prelude for the words it leaves as they are, and all its
steps for a word that no suffix of its rules ends. The stemmers' own code is otherwise kept, so the stems
stay those of the Snowball release that the JavaScript stemmers of ``templates/assets/stemmers/`` were made
by (tests/text/test_snowball.py compares them with snowballstemmer's own).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, cast

from snowballstemmer.among import Among
from snowballstemmer.basestemmer import BaseStemmer

# A table's entries by their string; by their first character, the lengths of those that start with it,
# longest first; the same by their last character; and the lengths to try for any other character or at
# the end of the text: (0,) when the table holds "", else none.
Table = tuple[dict[str, Among], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], tuple[int, ...]]


def stemmer(name: str) -> Callable[[str], str]:
    """The ``stemWord`` of Snowball stemmer ``name`` ("english"): the pure-Python one, never PyStemmer's C one
    that snowballstemmer prefers when it is installed, whose Snowball release could differ from the JavaScript's.
    """
    return cast(Callable[[str], str], _fast(name)().stemWord)


@functools.cache
def _fast(name: str) -> type[BaseStemmer]:
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    plain: type[BaseStemmer] = getattr(module, f"{name.title().replace('_', '')}Stemmer")
    tables = {id(v): _table(v) for v in vars(plain).values() if isinstance(v, list) and v and isinstance(v[0], Among)}
    shortcuts = _english_shortcuts(plain) if name == "english" else {}
    return type(plain.__name__, (_DictionaryLookup, plain), {"tables": tables, **shortcuts})


def _english_shortcuts(plain: type[BaseStemmer]) -> dict[str, Callable[..., Any]]:
    """English's prelude only drops a leading apostrophe and marks a y that is first or after a vowel; to find
    them it raises an exception at each letter. Most words have neither, and it leaves them as they are.

    And a word with neither y nor apostrophe is its own stem when no Y ends it and no entry ends it of the
    tables that change a word by themselves: the exceptions (whole words) and the suffixes that English's
    steps look for at the word's end, as each step starts there. Every other change is of a y or Y that ends
    the word (Step 1c) or comes after a suffix came off (tables a_3, a_4, a_6); a_0 only marks regions, and
    Step 1b's "" changes nothing.
    """
    prelude = plain._EnglishStemmer__r_prelude
    stem_word = plain.stemWord
    at_end = (plain.a_1, plain.a_2, plain.a_5, plain.a_7, plain.a_8, plain.a_9, plain.a_10, plain.a_11)
    suffixes: dict[str, set[str]] = {"Y": {"Y"}}
    for e in (e for table in at_end for e in table if e.s):
        suffixes.setdefault(e.s[-1], set()).add(e.s)
    ends = {c: tuple(sorted(found, key=len)) for c, found in suffixes.items()}  # by last character, shortest first

    def shortcut(self: Any) -> bool:
        if "y" in self.current or "'" in self.current:
            return bool(prelude(self))
        self.B_Y_found = False
        return True

    def untouched(self: Any, word: str) -> str:
        if word and "y" not in word and "'" not in word and not word.endswith(ends.get(word[-1], ())):
            return word
        return cast(str, stem_word(self, word))

    return {"_EnglishStemmer__r_prelude": shortcut, "stemWord": untouched}


def _table(entries: list[Among]) -> Table:
    empty = (0,) if any(e.s == "" for e in entries) else ()

    def lengths(end: int) -> dict[str, tuple[int, ...]]:
        found: dict[str, set[int]] = {}
        for e in entries:
            if e.s:
                found.setdefault(e.s[end], set()).add(len(e.s))
        return {c: (*sorted(ns, reverse=True), *empty) for c, ns in found.items()}

    return {e.s: e for e in entries}, lengths(0), lengths(-1), empty


class _DictionaryLookup(BaseStemmer):  # type: ignore[misc]
    """``find_among(_b)`` as Snowball defines them: of the entries that the text at the cursor starts (ends)
    with, the longest whose condition (``method``) holds moves the cursor over it and gives its result; 0 if none.
    """

    tables: dict[int, Table]  # by the id() of the stemmer class's list, which lives as long as the class
    current: str
    cursor: int
    limit: int
    limit_backward: int

    def find_among(self, v: list[Among]) -> int:
        by_string, by_char, _, empty = self.tables[id(v)]
        c, text = self.cursor, self.current
        room = self.limit - c
        for n in by_char.get(text[c], empty) if room > 0 else empty:
            if n <= room and (entry := by_string.get(text[c : c + n])) is not None:
                self.cursor = c + n
                if entry.method is None or _holds(entry, self, c + n):
                    return cast(int, entry.result)
        return 0

    def find_among_b(self, v: list[Among]) -> int:
        by_string, _, by_char, empty = self.tables[id(v)]
        c, text = self.cursor, self.current
        room = c - self.limit_backward
        for n in by_char.get(text[c - 1], empty) if room > 0 else empty:
            if n <= room and (entry := by_string.get(text[c - n : c])) is not None:
                self.cursor = c - n
                if entry.method is None or _holds(entry, self, c - n):
                    return cast(int, entry.result)
        return 0


def _holds(entry: Among, stemmer: Any, cursor: int) -> bool:
    """An entry's condition; the cursor is put back where the entry left it, as the condition may move it."""
    holds = bool(entry.method(stemmer))
    stemmer.cursor = cursor
    return holds
