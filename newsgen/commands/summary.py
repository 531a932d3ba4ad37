"""What build and check print about the files: problems grouped by kind, a few of each, then the counts.

A scrape of a few hundred pages gives a warning for every undated one; a line each is a wall that hides
the one file that could not be read. So both commands print each kind of problem once, with its count
and its first few files (all of them with ``--verbose``), the same on a terminal and in a pipe: what a
script logs is what a person sees, and ``--report`` or ``--verbose`` has the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from newsgen.cleaning.duplicates import Duplicate
from newsgen.commands.terminal import paint
from newsgen.models import Diagnostic, Rejection
from newsgen.report import NonArticle

EXAMPLES = 3  # files shown of each kind, without --verbose

# Problems are grouped by kind, in this order; kinds not listed come last, alphabetically.
KINDS = {
    "internal-error": "internal error",
    "unreadable": "unreadable file",
    "too-big": "file too large",
    "not-read": "not read",
    "front-matter": "front matter",
    "no-text": "no article text",
    "no-title": "no title line",
    "bad-date": "year out of range",
    "undated": "undated (no date found)",
    "ambiguous-date": "ambiguous date",
    "future-date": "future date",
    "decoding": "decoding fallback",
    "slug-collision": "slug collision",
    "missing-file": "missing file",
    "not-copied": "file not copied",
    "page-collision": "page on a taken path",
    "menu": "menu entry without its page",
    "non-article": "not an article",
    "duplicate": "duplicate",
}
_COLOURS = {"rejected": "red", "warning": "yellow"}  # anything else ("left out") is dim: nothing to fix

Group = list[tuple[str, str]]  # (label, "path:line: message") of each file of a kind


def group_problems(
    rejected: Iterable[Rejection],
    warnings: Iterable[Diagnostic],
    non_articles: Iterable[NonArticle] = (),
    duplicates: Iterable[Duplicate] = (),
) -> dict[str, Group]:
    """Every file's problem under its kind, kinds in ``KINDS`` order and files by path.

    Non-articles and duplicates are listed only when left out, and never as errors: a scrape always
    holds some, and there is nothing to fix.
    """
    groups: dict[str, Group] = {}
    for rejection in rejected:
        groups.setdefault(rejection.error.kind, []).append(("rejected", str(rejection.error)))
    for warning in warnings:
        groups.setdefault(warning.kind, []).append(("warning", str(warning)))
    for flagged in non_articles:
        if not flagged.published:
            line = f"{flagged.path}: {flagged.reason} (build --keep-all publishes it)"
            groups.setdefault("non-article", []).append(("left out", line))
    for copy in duplicates:
        line = f"{copy.path}: same article as {copy.duplicate_of} ({copy.similarity:.0%} alike)"
        groups.setdefault("duplicate", []).append(("left out", line))
    order = list(KINDS)
    ranked = sorted(groups, key=lambda k: (order.index(k) if k in KINDS else len(order), k))
    return {kind: sorted(groups[kind], key=lambda item: item[1]) for kind in ranked}


def print_problems(groups: dict[str, Group], out: TextIO, verbose: bool, more: str) -> None:
    """Each kind with its count and its first ``EXAMPLES`` files (every file if ``verbose``).

    ``more``: what lists the rest, for the line that says how many were not shown.
    """
    for kind, items in groups.items():
        print(paint(f"{KINDS.get(kind, kind)} ({len(items)})", "bold", out), file=out)
        shown = items if verbose or len(items) <= EXAMPLES else items[:EXAMPLES]
        for label, line in shown:
            print(f"  {paint(label + ':', _COLOURS.get(label, 'dim'), out)} {line}", file=out)
        if len(shown) < len(items):
            print(f"  ... and {len(items) - len(shown)} more; {more} lists them all", file=out)
        print(file=out)


def plural(count: int, noun: str) -> str:
    """``3 warnings``, ``1 warning``."""
    return f"{count} {noun}{'s' * (count != 1)}"


def left_out(non_articles: Iterable[NonArticle], duplicates: int, drafts: int) -> str:
    """``; left out: 11 non-articles, 9 duplicates, 1 draft``: files that are expectedly not pages; "" for none."""
    parts = [
        plural(sum(not n.published for n in non_articles), "non-article"),
        plural(duplicates, "duplicate"),
        plural(drafts, "draft"),
    ]
    shown = [part for part in parts if not part.startswith("0 ")]
    return f"; left out: {', '.join(shown)}" if shown else ""
