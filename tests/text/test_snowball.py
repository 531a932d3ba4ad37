"""The stemmers with tables looked up in dictionaries stem every word as snowballstemmer's own do."""

from __future__ import annotations

import importlib
import itertools
import random

import pytest
from snowballstemmer.among import Among

from newsgen.output.searchdocs import STEMMERS
from newsgen.text import snowball


def plain_stemmer(name: str) -> object:
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    return getattr(module, f"{name.title()}Stemmer")()


def words_for(stemmer: object, count: int) -> list[str]:
    """Words that reach every entry of the stemmer's tables: each entry alone, after and before other text,
    and runs of entries and letters (the stemmer's own), as affixes pile up in real words."""
    fields = vars(type(stemmer)).values()
    entries = sorted({e.s for v in fields if isinstance(v, list) and v and isinstance(v[0], Among) for e in v})
    letters = sorted({c for e in entries for c in e} | {c for v in fields if isinstance(v, set) for c in v})
    rng = random.Random(len(entries))
    found = set(entries)
    for e in entries:
        found |= {"".join(rng.choices(letters, k=rng.randint(1, 6))) + e, e + rng.choice(entries)}
    while len(found) < len(entries) * 2 + count:
        pieces = [rng.choice(entries) if rng.random() < 0.6 else rng.choice(letters) for _ in range(rng.randint(1, 6))]
        found.add("".join(pieces))
    return sorted(found)


@pytest.mark.parametrize("name", sorted(set(STEMMERS.values())))
def test_each_stemmer_stems_as_snowballstemmers_own(name: str) -> None:
    plain, fast = plain_stemmer(name), snowball.stemmer(name)
    words = words_for(plain, 1000)
    assert [fast(w) for w in words] == [plain.stemWord(w) for w in words]  # type: ignore[attr-defined]


def test_english_leaves_the_words_no_rule_can_end_as_snowballstemmers_own_does() -> None:
    """English returns a word whose end no rule matches without stemming it: every word of up to three
    characters, and longer ones, ending in each character, with and without a y or an apostrophe inside."""
    characters = "abcdefghijklmnopqrstuvwxyz'Yé1"
    words = ["".join(p) for n in (1, 2, 3) for p in itertools.product(characters, repeat=n)]
    rng = random.Random(3)
    words += ["".join(rng.choices(characters, k=rng.randint(4, 12))) + c for _ in range(100) for c in characters]
    plain, fast = plain_stemmer("english"), snowball.stemmer("english")
    assert [fast(w) for w in words] == [plain.stemWord(w) for w in words]  # type: ignore[attr-defined]


def test_the_stems_are_the_familiar_ones() -> None:
    english, german = snowball.stemmer("english"), snowball.stemmer("german")
    assert [english(w) for w in ("investments", "invested", "generously", "skies", "")] == [
        "invest", "invest", "generous", "sky", ""
    ]  # fmt: skip
    assert german("häusern") == german("häuser") == "haus"
