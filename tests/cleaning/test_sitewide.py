"""Lines a source repeats are its boilerplate, but never a header's dateline, byline or a shared title."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest

from newsgen.archive.collect import article_path
from newsgen.cleaning import sitewide
from newsgen.cleaning.duplicates import Sketch
from newsgen.cleaning.sitewide import Sketches, folded_lines, profile_sketched
from newsgen.config import CleaningSettings
from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
VOCABULARY = (
    "council members voted on tuesday to approve the budget for the new school despite objections from "
    "residents who said the road through the valley would need repairs before any building could start"
).split()


def prose(seed: int) -> str:
    """Two paragraphs of running text that no other seed shares."""
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choice(VOCABULARY) for _ in range(50)).capitalize() + "." for _ in range(2))


def test_a_days_datelines_and_a_columns_byline_are_kept(make_content: MakeContent, build: Build) -> None:
    files = {
        f"courier/story-{i}.txt": (
            f"Share on Facebook\nStory number {i} about the valley\nBy Jane Doe\nTuesday, December 13, 2016\n\n"
            f"{prose(i)}\n\nThe Valley Courier: news from the valley since 1901\n"
        )
        for i in range(8)
    }
    make_content(files)
    report = build()
    assert not report.rejected
    assert len(report.articles) == 8
    removed = {a["source"]: a["removed_lines"] for a in report.to_json()["articles"]}
    for article in report.articles:
        assert article.published is not None and article.published.date() == date(2016, 12, 13)
        assert article.authors == ("Jane Doe",)
        rules = {r["text"]: r["rule"] for r in removed[article.source_path]}
        assert rules["Tuesday, December 13, 2016"] == "dateline"
        assert rules["By Jane Doe"] == "byline"
        assert rules["The Valley Courier: news from the valley since 1901"] == "repeated-in-source"


def test_two_articles_may_share_a_title(make_content: MakeContent, build: Build) -> None:
    make_content(
        {
            f"courier/briefing-{i}.txt": f"Morning briefing\n{10 + i} Dec, 2016 07:00\n\n{prose(100 + i)}\n"
            for i in range(2)
        }
    )
    report = build()
    assert [a.title for a in report.articles] == ["Morning briefing", "Morning briefing"]
    assert not [w for w in report.warnings if w.kind == "no-title"]


def test_title_kept_twice_by_the_scraper_before_the_byline(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content({"courier/twice.txt": f"The title of it\n\nThe title of it\n\nBy Jane Doe\n\n{prose(7)}\n"})
    report = build()
    (article,) = report.articles
    assert article.title == "The title of it"
    assert article.authors == ("Jane Doe",)
    html = (tmp_path / "_site" / article_path(article)).read_text(encoding="utf-8")
    assert f'<div class="article-body">\n<p>{prose(7)[:40]}' in html
    (document,) = report.to_json()["articles"]
    assert [r["rule"] for r in document["removed_lines"]] == ["title", "title-repeat", "byline"]


def source_lines(seed: int, count: int) -> list[list[str]]:
    """A source's files, folded: its promo lines, prose of their own, and a few near copies."""
    files = []
    for i in range(count):
        body = prose(seed * 1000 + (i if i % 7 else 0)).split("\n\n")  # every 7th file: the same story again
        files.append(folded_lines(["Subscribe to our newsletter", f"Story {i}", *body, "Share this article"]))
    return files


def test_a_profile_reusing_the_last_ones_sketches_is_the_one_made_afresh() -> None:
    settings = CleaningSettings()
    files = source_lines(1, 40)
    _, first = profile_sketched(files, settings)
    edited = [*files[:5], folded_lines(["Subscribe to our newsletter", "A new story", prose(99)]), *files[6:]]
    known = Sketches(first.common, tuple(None if i == 5 else s for i, s in enumerate(first.of)))
    assert profile_sketched(edited, settings, known) == profile_sketched(edited, settings)
    # New common lines (a promo now in every file) make the kept sketches stale: they are not used.
    promo = [[*lines, "Listen to our podcast"] for lines in edited]
    fresh = profile_sketched(promo, settings)
    assert fresh[1].common != first.common
    assert profile_sketched(promo, settings, Sketches(first.common, first.of)) == fresh


def test_new_common_lines_make_only_the_sketches_of_the_files_holding_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = CleaningSettings()
    files = source_lines(2, 40)
    _, first = profile_sketched(files, settings)
    made: list[int] = []  # a 1 for each file sketched
    real = sitewide.line_sketches

    def counted(files: list[list[str]], size: int, folded: bool = False) -> list[Sketch]:
        made.extend(1 for _ in files)
        return real(files, size, folded)

    monkeypatch.setattr(sitewide, "line_sketches", counted)
    # A short line pasted into three files becomes common: those three are sketched again, no other.
    pasted = [[*lines, "Listen to our podcast"] if i in (3, 11, 20) else lines for i, lines in enumerate(files)]
    reused = profile_sketched(pasted, settings, first)
    assert (len(made), reused[1].common != first.common) == (3, True)
    # A common line left in two files only is common no more: the two that still hold it are sketched again.
    made.clear()
    kept = [lines if i in (5, 6) else [x for x in lines if "newsletter" not in x] for i, lines in enumerate(files)]
    again = profile_sketched(kept, settings, first)
    assert len(made) == 2
    monkeypatch.undo()
    assert reused == profile_sketched(pasted, settings)
    assert again == profile_sketched(kept, settings)


def test_250_copies_of_an_article_under_other_titles_are_one_article_whose_lines_are_its_own() -> None:
    """However many copies (a sample shared by 200+ once passed for a template): re-posting makes no boilerplate."""
    body = prose(7).split("\n\n")
    titles = [" ".join(random.Random(i).sample(VOCABULARY, 6)) for i in range(250)]
    assert len(set(titles)) == 250  # the files differ: only their bodies make them one article
    copies = [folded_lines([title, *body]) for title in titles]
    others = [folded_lines([f"Another story {i}", *prose(100 + i).split("\n\n")]) for i in range(3)]
    profile, _ = profile_sketched([*copies, *others], CleaningSettings())
    assert profile.articles == 4
    assert [profile.articles_with(line) for line in body] == [1, 1]
