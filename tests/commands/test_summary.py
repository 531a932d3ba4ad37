"""What build and check print: problems by kind, a few files of each, the rest on asking."""

from __future__ import annotations

import io

from newsgen.cleaning.duplicates import Duplicate
from newsgen.commands.summary import EXAMPLES, group_problems, left_out, print_problems
from newsgen.models import Diagnostic, Rejection
from newsgen.report import NonArticle


def undated(n: int) -> list[Diagnostic]:
    return [Diagnostic(f"site/{i:02d}.txt", "no date", kind="undated") for i in range(n)]


def test_things_to_fix_come_first_and_expected_outcomes_are_left_out_not_errors() -> None:
    empty = Rejection("site/empty.txt", Diagnostic("site/empty.txt", "file is empty", kind="unreadable"))
    groups = group_problems(
        [empty],
        undated(1),
        [NonArticle("site/tag.txt", "not an article: a tag page", published=False)],
        [Duplicate("site/copy.txt", "site/00.txt", 1.0)],
    )
    assert groups == {
        "unreadable": [("rejected", "site/empty.txt: file is empty")],
        "undated": [("warning", "site/00.txt: no date")],
        "non-article": [("left out", "site/tag.txt: not an article: a tag page (build --keep-all publishes it)")],
        "duplicate": [("left out", "site/copy.txt: same article as site/00.txt (100% alike)")],
    }


def test_a_published_non_article_is_not_listed() -> None:
    assert group_problems([], [], [NonArticle("site/tag.txt", "not an article: a tag page", published=True)]) == {}


def test_each_kind_shows_its_count_and_a_few_files_unless_verbose() -> None:
    groups = group_problems([], undated(EXAMPLES + 5))
    out = io.StringIO()
    print_problems(groups, out, verbose=False, more="--verbose")
    assert out.getvalue().splitlines() == [
        f"undated (no date found) ({EXAMPLES + 5})",
        *(f"  warning: site/{i:02d}.txt: no date" for i in range(EXAMPLES)),
        "  ... and 5 more; --verbose lists them all",
        "",
    ]
    out = io.StringIO()
    print_problems(groups, out, verbose=True, more="--verbose")
    assert len(out.getvalue().splitlines()) == 1 + EXAMPLES + 5 + 1 and "more" not in out.getvalue()


def test_a_kind_with_few_files_shows_them_all_without_a_hint() -> None:
    out = io.StringIO()
    print_problems(group_problems([], undated(EXAMPLES)), out, verbose=False, more="--verbose")
    assert len(out.getvalue().splitlines()) == 1 + EXAMPLES + 1 and "more" not in out.getvalue()


def test_left_out_counts_only_what_there_is() -> None:
    flagged = [NonArticle("a", "x", published=False), NonArticle("b", "x", published=True)]
    assert left_out(flagged, 2, 0) == "; left out: 1 non-article, 2 duplicates"
    assert left_out([], 0, 1) == "; left out: 1 draft"
    assert left_out([], 0, 0) == ""
