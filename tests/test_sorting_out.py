"""The build's last content stages: non-articles and duplicates are reported, and kept when asked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from newsgen.pipeline import BuildReport

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
STORY = (
    "Island ferry returns to winter timetable\n\nThe island ferry will return to its normal winter timetable on "
    "Monday, after repairs to the pier were finished ahead of schedule.\n\nCrews worked through the weekend.\n"
)
FILES = {
    "gazette/ferry.txt": STORY,
    "gazette/ferry-again.txt": STORY.replace("Island ferry returns", "Ferry is back on winter timetable"),
    "gazette/tag.txt": "---\ntitle: Ferries\nurl: https://gazette.example/tag/ferries/\n---\n\nThe ferry will run…\n",
}


def test_duplicates_and_non_articles_are_reported_not_published(make_content: MakeContent, build: Build) -> None:
    make_content(FILES)
    report = build(report=True)
    assert [a.source_path for a in report.articles] == ["gazette/ferry-again.txt"]  # same length: first path
    assert [(d.path, d.duplicate_of, d.similarity) for d in report.duplicates] == [
        ("gazette/ferry.txt", "gazette/ferry-again.txt", 1.0)
    ]
    assert report.rejected == ()  # a scrape always holds some: left out, not an error
    assert [n.path for n in report.non_articles] == ["gazette/tag.txt"]
    assert report.non_articles[0].reason.startswith("not an article: an index, tag or author page")
    document = report.to_json()
    assert document["rejected"] == []
    assert document["duplicates"] == [
        {"source": "gazette/ferry.txt", "duplicate_of": "gazette/ferry-again.txt", "similarity": 1.0}
    ]
    assert document["non_articles"][0]["published"] is False
    assert document["removals"]["by_source"]["gazette"] == {"title": 1}


def test_keep_all_and_duplicates_keep_publish_everything(make_content: MakeContent, build: Build) -> None:
    make_content(FILES)
    everything = build(keep_all=True)
    assert len(everything.articles) == 3 and not everything.rejected and not everything.duplicates
    assert [n.published for n in everything.non_articles] == [True]
    copies = build({"duplicates": "keep"})
    assert len(copies.articles) == 2 and not copies.duplicates
