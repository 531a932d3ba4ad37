"""Index, tag, error and bio pages are told from articles by general signs, each with its reason."""

from __future__ import annotations

import dataclasses

import pytest

from newsgen.cleaning.nonarticle import non_article_reason
from newsgen.config import CleaningSettings
from newsgen.models import Article

PROSE = (
    "The council approved the ferry budget on Tuesday after a long debate about the harbour, and members said "
    "that the new timetable would start in March."
)
COOKIES = (
    "We and our partners use cookies and similar technologies to store and access personal data on your device, "
    "such as browsing data, for personalised ads and content, measurement and audience insights. You can accept "
    "all, or manage your preferences and object to processing based on legitimate interest at any time."
)
COOKIES_DE = (
    "Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren. Mit Klick auf „Akzeptieren“ "
    "erteilen Sie Ihre Einwilligung; Details finden Sie in unserer Datenschutzerklärung."
)
ROBOT = "Please verify you are a human. Enable JavaScript and cookies to continue to the site you asked for."
BASE = Article(
    source_path="a/x.txt", slug="x", title="Council approves ferry budget", published=None, updated=None,
    dateline=None, lead="", paragraphs=(PROSE,), body_html="", source="gazette-com", source_name="gazette.com",
    url="https://gazette.com/2018/01/council-approves-ferry-budget/", authors=(), tags=(), summary=None,
    draft=False, word_count=0, removed=(),
    content_hash="",
)  # fmt: skip


def reason(**changes: object) -> str | None:
    return non_article_reason(dataclasses.replace(BASE, **changes), CleaningSettings())  # type: ignore[arg-type]


def test_an_article_is_an_article() -> None:
    assert reason() is None
    assert reason(paragraphs=("Talks continue.",)) is None  # short, but a sentence
    assert reason(paragraphs=("Talks continue.",), markup="markdown", url="https://x.org/tag/x/") is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"paragraphs": ("How To Understand The Day Of The Lord In The End Times",)}, "no sentence"),
        ({"url": "https://gazette.com/tag/ferries/"}, "an index, tag or author page"),
        ({"url": "https://gazette.com/category/news/page/3/"}, "an index, tag or author page"),
        ({"title": "Ferry news archives"}, "an index, tag or author page"),
        ({"title": "Gazette"}, "an index, tag or author page"),  # the site's own name
        ({"title": "404 Page not found"}, "an error page"),
        ({"paragraphs": (PROSE[:90] + " [...]", PROSE[:80] + "... Read more", "x")}, "a list of excerpts"),
        ({"paragraphs": ("Home", "Ferries", "Weather", "Contact")}, "no sentence"),
        ({"title": "Search results for “ferry”"}, "search results"),
        ({"title": "Suchergebnisse für „Fähre“"}, "search results"),
        ({"url": "https://gazette.com/?s=ferry"}, "search results"),
        ({"url": "https://gazette.com/search?q=ferry+budget&page=2"}, "search results"),
        ({"paragraphs": (COOKIES, "Accept all", "Manage options")}, "cookie, consent or robot-check wall"),
        ({"paragraphs": (COOKIES_DE,)}, "cookie, consent or robot-check wall"),
        ({"paragraphs": (ROBOT,), "title": "Just a moment..."}, "cookie, consent or robot-check wall"),
        ({"paragraphs": ("Menu.", "Ferries.", "Weather.", "Contact us today.")}, "mostly short lines or links"),
    ],
)
def test_non_articles_are_named(changes: dict[str, object], expected: str) -> None:
    found = reason(**changes)
    assert found is not None and expected in found


def test_an_article_about_cookies_or_searching_is_an_article() -> None:
    story = (
        "Regulators fined the publisher on Tuesday because its cookie banner made it harder to reject tracking "
        "than to accept it, the authority said, and ordered it to change the design within a month."
    )
    assert reason(paragraphs=(story, PROSE, PROSE)) is None  # one term a paragraph: news about cookies
    assert reason(title="Search results: how the ferry timetable was chosen") is None
    assert reason(title="Results for the county council elections") is None
    assert reason(url="https://gazette.com/2018/01/ferry/?utm_source=feed") is None
    assert reason(url="https://forum.example/122760-ferry.html?s=22c09551c71c1a6b64e4364ca45cbf28") is None


def test_a_poem_of_short_lines_is_an_article() -> None:
    stanza = ("The Son of God goes forth to war,", "a kingly crown to gain;", "his blood red banner streams afar:")
    assert reason(paragraphs=stanza * 12) is None


AUTHOR_PAGE = (
    "Jane Doe is a reporter covering the harbour, the council and the courts for the Gazette since 2009.",
    "Storm closes the northern basin",
    "January 5, 2018",
    "Council approves the ferry budget – January 3, 2018",
    "Divers check the channel after the storm",
    "December 28, 2017",
    "Fishermen ask for help with mooring fees – Dec 21, 2017",
)


def test_an_authors_page_of_dated_headlines_is_not_an_article() -> None:
    found = reason(title="Jane Doe", paragraphs=AUTHOR_PAGE)
    assert found is not None and "dated headlines" in found


def test_an_article_with_a_few_dated_lines_in_much_prose_is_one() -> None:
    timeline = (PROSE, "January 5, 2018", PROSE, "January 3, 2018", PROSE, "December 28, 2017", PROSE)
    assert reason(paragraphs=timeline) is None


def test_chinese_and_japanese_articles_are_articles() -> None:
    """No spaces between their words: each character counts as one, and 。！？ end their sentences."""
    chinese = (
        "武汉市政府星期二宣布，长江大桥将于下月重新开放，工程人员已经完成了全部检修工作。",
        "市民表示，大桥关闭期间交通十分拥堵，希望今后的维修能够提前通知。",
    )
    japanese = ("政府は火曜日、港の北側を閉鎖したと発表した。嵐でクレーン二基が壊れたためだ。",)
    assert reason(title="长江大桥下月重新开放", paragraphs=chinese) is None
    assert reason(title="港の北側を閉鎖", paragraphs=japanese) is None
    assert reason(title="长江大桥", paragraphs=("首页", "新闻", "体育", "天气")) is not None  # a menu still is not
