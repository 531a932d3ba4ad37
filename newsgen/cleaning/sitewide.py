"""Corpus-level statistics of one source: in how many distinct articles each line occurs.

A site's own junk (its promo line, its poll widget, a contributor's sign-off) is written once and
pasted into many pages, while the article's prose occurs once. No fixed rule list knows every site's
junk, but counting does: the cleaner's ``repeated-in-source`` rule asks this profile. Articles that
are the same text scraped twice must not make their own sentences look repeated, so lines are counted
per group of (near-)identical articles, not per file.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from newsgen.cleaning.duplicates import Sketch, jaccard, line_sketches, near_groups, runs
from newsgen.cleaning.prose import LONG_LINE_WORDS
from newsgen.config import CleaningSettings, SiteConfig
from newsgen.models import SourceFile, by_fields
from newsgen.parallel import map_ordered
from newsgen.sources.loader import source_of

_QUOTES = re.compile(r"[\"'`´‘’‚‛“”„‟«»‹›]")
_DIGITS = re.compile(r"\d+")
_ASCII_DIGITS = string.digits.encode()
_TO_ZERO = bytes.maketrans(_ASCII_DIGITS, b"0" * 10)
_ASCII = bytes(range(128))
# _fold for ASCII, in bytes: casefolded, the spaces that str.split knows and bytes.split does not made spaces.
_ASCII_FOLD = bytes.maketrans(
    string.ascii_uppercase.encode() + b"\x1c\x1d\x1e\x1f", string.ascii_lowercase.encode() + b"    "
)


def normalise_line(text: str, digits: bool = False) -> str:
    """The form lines are compared in: case, digits, quotes and spacing do not make two lines differ.

    With ``digits`` the numbers still count: "8 Sep 2016" and "9 Sep 2016" are then two lines.
    """
    folded = _fold(text)
    return folded if digits else _zero_digits(folded)


def _fold(text: str) -> str:
    if text.isascii():  # the same in bytes, several times faster
        return b" ".join(text.encode().translate(_ASCII_FOLD, b"\"'`").split()).decode()
    return " ".join(_QUOTES.sub("", text.casefold()).split())


def _zero_digits(folded: str) -> str:
    """Each run of digits made one 0, in bytes (several times quicker) unless a digit past ASCII is there.

    Most lines have no digits; news prose has many numbers ("15 months", "2008"), and names past ASCII.
    """
    data = folded.encode()
    if data.isascii():
        if len(data.translate(None, _ASCII_DIGITS)) == len(data):
            return folded
    elif _DIGITS.search(data.translate(None, _ASCII).decode()):
        return _DIGITS.sub("0", folded)  # "٣": a run may mix it with ASCII digits
    zeroed = data.translate(_TO_ZERO)  # UTF-8 past ASCII holds no ASCII byte: the other characters stay whole
    while b"00" in zeroed:
        zeroed = zeroed.replace(b"00", b"0")
    return zeroed.decode()


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """How often each normalised line occurs in a source's distinct articles, with that source's settings."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    articles: int  # distinct articles (groups of near-identical files count once)
    counts: Mapping[str, int] = field(default_factory=dict)  # only lines seen in two or more
    settings: CleaningSettings = field(default_factory=CleaningSettings)
    exact: Mapping[str, int] = field(default_factory=dict)  # the same, with numbers told apart

    def articles_with(self, text: str, digits: bool = False) -> int:
        """In how many distinct articles of the source this line occurs (1 if only its own)."""
        return self.folded_count(_fold(text), digits)

    def folded_count(self, folded: str, digits: bool = False) -> int:
        """``articles_with`` of a line folded already (one of ``folded_lines``)."""
        return self.exact.get(folded, 1) if digits else self.zeroed_count(_zero_digits(folded))

    def zeroed_count(self, zeroed: str) -> int:
        """``folded_count`` of a line whose numbers are made 0 already (one of ``zeroed_lines``)."""
        return self.counts.get(zeroed, 1)


def profile_source(texts: Sequence[Sequence[str]], settings: CleaningSettings) -> SourceProfile:
    """Profile a source from its files, each given as its non-blank lines (order does not matter)."""
    return profile_folded([folded_lines(lines) for lines in texts], settings)


def folded_lines(lines: Iterable[str]) -> list[str]:
    """Each non-blank line as ``normalise_line(line, digits=True)`` gives it: what a profile is made of."""
    return [_fold(t) for t in lines if t.strip()]


def zeroed_lines(folded: Iterable[str]) -> list[str]:
    """Each of ``folded_lines`` as ``normalise_line(line)`` gives it (numbers made 0): what a profile counts.

    Made once a file, for its source's profile and its profile signature (``cleaner.folded_signature``).
    """
    return [_zero_digits(e) for e in folded]


@dataclass(frozen=True, slots=True)
class Sketches:
    """Each file's near-duplicate sketch as a profile took it, and a hash of the common lines it left out.

    Taking the sketches is most of a profile; a source that gains or changes a few files keeps the
    others' while its common lines stay the same, and, when they change, the sketches of the files that
    hold none of the lines that became common or stopped being so (with ``lines``, the common lines).
    """

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    common: str
    of: tuple[Sketch | None, ...]  # by file, in the profile's order (None: not known)
    lines: frozenset[str] | None = None  # the common lines themselves (None: not known)


def profile_folded(per_file_exact: Sequence[Sequence[str]], settings: CleaningSettings) -> SourceProfile:
    """``profile_source`` of files whose lines are folded already (``folded_lines``): each line is folded once."""
    return profile_sketched(per_file_exact, settings)[0]


def profile_sketched(
    per_file_exact: Sequence[Sequence[str]],
    settings: CleaningSettings,
    known: Sketches | None = None,
    per_file_zeroed: Sequence[Sequence[str]] | None = None,
) -> tuple[SourceProfile, Sketches]:
    """``profile_folded``, reusing ``known`` sketches where they still hold, and the sketches it used.

    ``per_file_zeroed``: the files' ``zeroed_lines``, when the caller made them already.
    """
    if per_file_zeroed is None:
        per_file_zeroed = [zeroed_lines(exact) for exact in per_file_exact]
    per_file = [list(dict.fromkeys(n for n in zeroed if n)) for zeroed in per_file_zeroed]
    # Files with the same lines are one article, whatever else is true of them.
    first_with = {key: i for i, key in reversed(list(enumerate(tuple(lines) for lines in per_file)))}
    same = [first_with[tuple(lines)] for lines in per_file]
    distinct = sorted(set(same))
    # Lines already common across articles are left out of the similarity test, so two short articles
    # that share the site's promo and poll lines are not taken for one article.
    # Long lines of prose stay in: sharing a whole paragraph is what makes two files one article.
    counted = Counter(x for i in distinct for x in per_file[i])
    common = {line for line, n in counted.items() if n >= 3 and len(line.split()) < LONG_LINE_WORDS}
    # Shingles are taken line by line, so a different title line costs only that line's few shingles.
    common_key = hashlib.blake2b("\0".join(sorted(common)).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    bodies = _Bodies([per_file[i] for i in distinct], common, settings.shingle_words)
    reused = _reusable(known, common_key, common, per_file)
    todo = [k for k, i in enumerate(distinct) if reused[i] is None]
    made = iter(line_sketches([bodies.lines(k) for k in todo], settings.shingle_words, folded=True))
    sampled = [kept if (kept := reused[i]) is not None else next(made) for i in distinct]
    near = near_groups(sampled, settings.near_duplicate, bodies.similar(settings.near_duplicate))
    group_of_distinct = {i: distinct[near[k]] for k, i in enumerate(distinct)}
    group_of = [group_of_distinct[i] for i in same]
    counts = _group_counts(group_of, per_file)
    exact = {k: v for k, v in _group_counts(group_of, per_file_exact).items() if normalise_line(k) in counts}
    profile = SourceProfile(articles=len(set(group_of)), counts=counts, settings=settings, exact=exact)
    of_distinct = dict(zip(distinct, sampled, strict=True))
    return profile, Sketches(common_key, tuple(of_distinct[i] for i in same), frozenset(common))


def _reusable(
    known: Sketches | None, common_key: str, common: set[str], per_file: Sequence[list[str]]
) -> tuple[Sketch | None, ...]:
    """The ``known`` sketches that still hold: all of them under the same common lines, else those of the
    files that hold no line which became common or stopped being so (a file's sketch leaves common lines out)."""
    if known is None:
        return (None,) * len(per_file)
    if known.common == common_key:
        return known.of
    if known.lines is None:
        return (None,) * len(per_file)
    moved = common.symmetric_difference(known.lines)
    return tuple(
        s if s is not None and moved.isdisjoint(lines) else None for s, lines in zip(known.of, per_file, strict=True)
    )


class _Bodies(Sequence[list[int]]):
    """The shingle runs of each distinct file's lines but the common ones, made when first asked for."""

    def __init__(self, files: list[list[str]], common: set[str], size: int) -> None:
        self.files, self.common, self.size = files, common, size
        self.made: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: Any) -> Any:
        if (found := self.made.get(index)) is None:
            found = self.made[index] = list(chain.from_iterable(runs(x, self.size) for x in self.lines(index)))
        return found

    def lines(self, index: int) -> list[str]:
        """A distinct file's lines but the common ones: what its shingles are taken from."""
        return [x for x in self.files[index] if x not in self.common]

    def similar(self, threshold: float) -> Callable[[int, int], bool]:
        """Whether two files' shingle sets are at least ``threshold`` similar (each set made once)."""
        sets: dict[int, frozenset[int]] = {}

        def shingled(index: int) -> frozenset[int]:
            if (found := sets.get(index)) is None:
                found = sets[index] = frozenset(self[index])
            return found

        return lambda a, b: jaccard(shingled(a), shingled(b)) >= threshold


def _group_counts(group_of: Sequence[int], per_file: Iterable[Iterable[str]]) -> dict[str, int]:
    """Line to number of distinct groups holding it, for lines held by two or more."""
    by_group: dict[int, set[str]] = {}
    for group, lines in zip(group_of, per_file, strict=True):
        by_group.setdefault(group, set()).update(lines)
    held = Counter(line for lines in by_group.values() for line in lines)
    return dict(sorted((line, n) for line, n in held.items() if n >= 2))


def profile_sources(sources: Sequence[SourceFile], config: SiteConfig, jobs: int = 1) -> dict[str, SourceProfile]:
    """The corpus-level stage: what each source repeats across its scraped files (Markdown is hand-written)."""
    by_source: dict[str, list[SourceFile]] = {}
    for source in sources:
        if source.markup != "markdown":
            by_source.setdefault(source_of(source.front_matter, source.path, config)[0], []).append(source)
    groups = sorted(by_source.items())
    profiles = map_ordered(_profile_one, config, groups, jobs, min_items=2)
    return {key: profile for (key, _), profile in zip(groups, profiles, strict=True)}


def _profile_one(config: SiteConfig, group: tuple[str, list[SourceFile]]) -> SourceProfile:
    key, files = group
    return profile_source([[ln.text for ln in f.lines] for f in files], config.cleaning_for(key))
