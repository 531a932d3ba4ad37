"""The parse stage: header (kicker, title, byline, dateline), dates, body, record fields."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsgen.articles.article import parse_article, read_header, render_markdown
from newsgen.cleaning.cleaner import CleanResult, strip_boilerplate
from newsgen.config import SiteConfig, config_from_mapping
from newsgen.errors import ContentError
from newsgen.models import Article, Line
from newsgen.pipeline import BuildReport
from newsgen.sources.loader import parse_source

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]

SEED = Path(__file__).resolve().parents[2] / "content" / "rt" / "russia-us-deal-on-syrian-reconciliation.txt"
MSK = timezone(timedelta(hours=3))


def parse(text: str, path: str = "desk/a.txt", config: SiteConfig | None = None) -> Article:
    source = parse_source(textwrap.dedent(text).lstrip("\n").encode("utf-8"), path)
    cleaned = strip_boilerplate(source.lines) if source.markup == "text" else CleanResult(source.lines, ())
    return parse_article(source, cleaned, config or SiteConfig())


def lines(*texts: str) -> list[Line]:
    return [Line(i + 1, t) for i, t in enumerate(texts)]


def test_the_seed_becomes_a_clean_dated_article() -> None:
    config = config_from_mapping({"sources": {"rt": {"name": "RT", "timezone": "Europe/Moscow"}}})
    source = parse_source(SEED.read_bytes(), "rt/russia-us-deal-on-syrian-reconciliation.txt")
    article = parse_article(source, strip_boilerplate(source.lines), config)
    assert article.title == "Russia-US deal on Syrian reconciliation ‘not yet finalized,’ talks to continue – Kremlin"
    assert article.published == datetime(2016, 9, 8, 14, 1, tzinfo=MSK)
    assert article.published.isoformat() == "2016-09-08T14:01:00+03:00"
    assert article.dateline == "8 Sep, 2016 14:01"
    assert len(article.paragraphs) == 15
    assert article.paragraphs[0].startswith("Russia-US talks on Syrian reconciliation have not continued yet")
    assert article.paragraphs[-1].endswith("were not disclosed.")
    assert article.body_html.count("<p>") == 15
    assert article.source == "rt" and article.source_name == "RT"
    assert article.slug == "russia-us-deal-on-syrian-reconciliation-not-yet-finalized-talks-to-continue"
    rules = {r.number: r.rule for r in article.removed}
    assert rules == {
        1: "icon-run",
        2: "dateline",
        4: "title",
        36: "media-player",
        37: "media-player",
        38: "media-player",
        39: "media-player",
        40: "media-player",
    }
    body = " ".join(article.paragraphs)
    for junk in ("bookmarkicon", "Podcasts", "27:19", "0:00", "wticon"):
        assert junk not in body
    assert article.lead == article.paragraphs[0]
    assert article.word_count > 400
    assert not article.warnings


@pytest.mark.parametrize(
    ("top", "title", "dateline", "authors"),
    [
        (["8 Sep, 2016 14:01", "The title of the story"], "The title of the story", "8 Sep, 2016 14:01", ()),
        (["The title of the story", "8 Sep, 2016 14:01"], "The title of the story", "8 Sep, 2016 14:01", ()),
        (
            ["WORLD", "The title of the story", "By Jane Doe | January 25, 2018"],
            "The title of the story",
            "January 25, 2018",
            ("Jane Doe",),
        ),
        (
            ["The title of the story", "By Jane Doe and John Roe", "Posted on 25.01.2018 by admin"],
            "The title of the story",
            "25.01.2018",
            ("Jane Doe", "John Roe"),
        ),
        (
            ["The title of the story", "Body starts here with a long sentence, as bodies do, and it goes on."],
            "The title of the story",
            None,
            (),
        ),
    ],
)
def test_header_in_any_order(top: list[str], title: str, dateline: str | None, authors: tuple[str, ...]) -> None:
    header = read_header(lines(*top, "", "A body paragraph follows here."), tz=UTC, dayfirst=None)
    assert header.title == title
    assert (header.dateline.text if header.dateline else None) == dateline
    assert header.authors == authors


def test_date_deep_in_the_body_is_never_taken() -> None:
    article = parse("""
        A headline without a date

        The first paragraph talks about things.

        Second paragraph.

        Third paragraph.

        25 January 2018

        Final paragraph.
    """)
    assert article.published is None
    assert any("no date" in w.message for w in article.warnings)
    assert "25 January 2018" in article.paragraphs


def test_front_matter_overrides_what_is_inferred() -> None:
    article = parse(
        """
        ---
        title: The real title
        date: 2020-02-03 04:05
        slug: chosen
        source: The Daily Planet
        authors: Lois Lane, Clark Kent
        tags: [a, b]
        url: https://example.com/story
        updated: 2020-02-04
        ---
        The real title

        8 Sep, 2016 14:01

        Body text here.
    """,
        config=config_from_mapping({"timezone": "Europe/Moscow"}),
    )
    assert article.title == "The real title"
    assert article.published == datetime(2020, 2, 3, 4, 5, tzinfo=MSK)
    assert article.updated == datetime(2020, 2, 4, tzinfo=MSK)
    assert article.slug == "chosen"
    assert (article.source, article.source_name) == ("the-daily-planet", "The Daily Planet")
    assert article.authors == ("Lois Lane", "Clark Kent")
    assert article.tags == ("a", "b")
    assert article.url == "https://example.com/story"
    assert article.paragraphs == ("Body text here.",)


def test_a_source_nobody_named_is_named_from_its_domain() -> None:
    """An import writes the row's domain as the source; shown in capitals, "BEFOREITSNEWS.COM" read as a shout."""
    body = "Body text of the article, long enough to be one.\n"
    imported = parse(f"---\ntitle: T\nsource: beforeitsnews.com\n---\n\n{body}", path="beforeitsnews-com/a.txt")
    assert (imported.source, imported.source_name) == ("beforeitsnews-com", "Beforeitsnews")
    foldered = parse(f"---\ntitle: T\n---\n\n{body}", path="beforeitsnews-com/a.txt")
    assert (foldered.source, foldered.source_name) == ("beforeitsnews-com", "Beforeitsnews")
    named = config_from_mapping({"sources": {"beforeitsnews-com": {"name": "Before It's News"}}})
    assert parse(f"---\ntitle: T\n---\n\n{body}", path="beforeitsnews-com/a.txt", config=named).source_name == (
        "Before It's News"
    )


def test_file_name_date_and_slug_when_the_text_has_none() -> None:
    article = parse("A headline for the file\n\nBody.\n", path="2016-09-08-some-slug.txt")
    assert article.published == datetime(2016, 9, 8, tzinfo=UTC)
    assert article.slug == "some-slug"
    assert article.source == "archive"


def test_dateline_wins_over_file_name_date() -> None:
    article = parse("A headline for the file\n8 Sep, 2016 14:01\n\nBody.\n", path="2001-01-01-x.txt")
    assert article.published == datetime(2016, 9, 8, 14, 1, tzinfo=UTC)


def test_title_repeated_as_first_paragraph_is_dropped() -> None:
    article = parse("""
        Headline repeated below

        HEADLINE repeated below!

        The body.
    """)
    assert article.paragraphs == ("The body.",)
    assert [r.rule for r in article.removed] == ["title", "title-repeat"]


def test_hard_wrapped_paragraphs_are_joined_and_unwrapped_lines_split() -> None:
    wrapped = parse("A headline here\n\nfirst line of one\nparagraph continues\n\nsecond one\n")
    assert wrapped.paragraphs == ("first line of one paragraph continues", "second one")
    unwrapped = parse("A headline here\nOne paragraph per line here.\nAnother paragraph per line.\n")
    assert unwrapped.paragraphs == ("One paragraph per line here.", "Another paragraph per line.")


def test_missing_title_falls_back_with_a_warning() -> None:
    long = "This article has no headline, only a long first paragraph that runs on " * 5
    article = parse(f"{long}\n\nSecond paragraph.\n", path="desk/000_d85b7e.txt")
    assert article.title.startswith("This article has no headline")
    assert any("no title line" in w.message for w in article.warnings)
    named = parse(f"{long}\n", path="desk/storm-hits-coast.txt")
    assert named.title == "Storm hits coast"


@pytest.mark.parametrize(
    ("text", "path", "line", "where"),
    [
        ("---\ntitle: Ancient\ndate: 0218-01-25\n---\nBody text.\n", "a.md", 3, "the front matter 'date'"),
        ("---\ntitle: Ancient\ndate: '0218-01-25 10:00'\n---\nBody text.\n", "a.md", 3, "the front matter 'date'"),
        ("---\ntitle: Ancient\nupdated: 0218-01-25\n---\nBody text.\n", "a.md", 3, "the front matter 'updated'"),
        ("Council approves the budget\n\nPosted 25 January 0218\n\nBody text.\n", "a.txt", 3, "the dateline"),
        ("Council approves the budget\n\nBody text.\n", "0218-01-25-x.txt", None, "the date in the file name"),
    ],
    ids=["front-matter-date", "front-matter-text", "updated", "dateline", "file-name"],
)
def test_a_year_of_other_than_four_digits_rejects_the_file_at_its_line(
    text: str, path: str, line: int | None, where: str
) -> None:
    # %Y does not pad: such a page landed at /218/01/25/ and the timeline crashed on it
    with pytest.raises(ContentError) as caught:
        parse(text, path)
    assert caught.value.line == line
    assert caught.value.message == f"{where} has the year 218; years run from 1000 to 9999 (a digit missing?)"


@pytest.mark.parametrize("others", [{}, {"b.md": "---\ntitle: Modern\ndate: 2018-01-25\n---\nBody text.\n"}])
def test_a_site_with_a_year_218_builds_without_it(
    make_content: MakeContent, build: Build, tmp_path: Path, others: dict[str, str]
) -> None:
    make_content({"a.md": "---\ntitle: Ancient\ndate: 0218-01-25\n---\nBody text.\n", **others})
    report = build()
    assert [str(r.error) for r in report.rejected] == [
        "a.md:3: the front matter 'date' has the year 218; years run from 1000 to 9999 (a digit missing?)"
    ]
    assert len(report.articles) == len(others)
    assert not (tmp_path / "_site" / "218").exists() and (tmp_path / "_site" / "index.html").is_file()


def test_a_dateline_year_not_used_rejects_nothing() -> None:
    article = parse("---\ntitle: Council approves the budget\ndate: 2018-01-25\n---\nPosted 25 January 0218\n\nBody.\n")
    assert article.published is not None and article.published.year == 2018


def test_ambiguous_dateline_warns_with_line() -> None:
    article = parse("A headline for the file\n01/02/2018\n\nBody.\n")
    assert article.published == datetime(2018, 2, 1, tzinfo=UTC)
    (warning,) = article.warnings
    assert warning.line == 2 and "dayfirst" in warning.message


def test_bad_front_matter_values_warn_and_are_ignored() -> None:
    article = parse("""
        ---
        date: not a date
        url: javascript:alert(1)
        tags: {a: 1}
        ---
        A headline for the file

        Body.
    """)
    assert article.published is None and article.url is None and article.tags == ()
    messages = " ".join(w.message for w in article.warnings)
    assert "'date: not a date' is not a date" in messages
    assert "must start with http" in messages
    assert "'tags' must be a list" in messages


def test_only_boilerplate_is_rejected() -> None:
    with pytest.raises(ContentError, match="only boilerplate"):
        parse("Share on Facebook\nFollow us on Twitter\nSubscribe to our newsletter\n")


def test_title_without_body_is_rejected() -> None:
    with pytest.raises(ContentError, match="no article text"):
        parse("Just a headline and nothing else\n")


def test_markdown_body_is_rendered_and_sanitised() -> None:
    article = parse(
        """
        ---
        title: Notes
        date: 2018-01-26
        ---
        # Notes

        Some *emphasis* and a [link](https://example.com) and [bad](javascript:alert(1)).

        <script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil"></iframe>
    """,
        path="desk/notes.md",
    )
    assert "<em>emphasis</em>" in article.body_html
    assert 'href="https://example.com"' in article.body_html
    for bad in ("<script", "onerror", "<iframe", "javascript:"):
        assert bad not in article.body_html
    assert "# Notes" not in article.body_html and "<h1>" not in article.body_html


def test_a_code_block_fenced_or_indented_is_a_paragraph_of_its_own_text() -> None:
    article = parse(
        """
        ---
        title: Results
        date: 2007-05-19
        ---
        The relay's results:

        ```
        Rangfolge Zeitläufe

        1. und Regionalmeister 2007

        # TS Göppingen I
        ```

        1. a list item's number is its list's

                1. und Regionalmeister 2007, indented: code too
        """,
        path="desk/results.md",
    )
    assert article.paragraphs[1] == "Rangfolge Zeitläufe 1. und Regionalmeister 2007 # TS Göppingen I"
    assert article.paragraphs[2] == "a list item's number is its list's"
    assert article.paragraphs[3] == "1. und Regionalmeister 2007, indented: code too"


def test_render_markdown_keeps_ordinary_structure() -> None:
    out = render_markdown("## Sub\n\n- one\n- two\n\n> quoted\n\n    code\n")
    for tag in ("<h2>", "<li>", "<blockquote>", "<code>"):
        assert tag in out


@pytest.mark.parametrize(
    "title", ["By the numbers: what the budget buys", "By 2030 the harbour will be full", "By land and by sea"]
)
def test_a_title_starting_with_by_is_not_a_byline(title: str) -> None:
    header = read_header(lines(title, "8 Sep, 2016 14:01", "", "Body text here."), tz=UTC, dayfirst=None)
    assert header.title == title
    assert header.authors == ()


def test_bylines_with_particles_and_several_names() -> None:
    header = read_header(
        lines("A headline for the file", "By Ludwig van Beethoven, Ana de Armas and Jo Ray"), tz=UTC, dayfirst=None
    )
    assert header.authors == ("Ludwig van Beethoven", "Ana de Armas", "Jo Ray")


BODY = (
    "The harbour authority closed the northern basin on Tuesday after a storm damaged two cranes.\n\n"
    "Ships due this week were told to wait outside the bay until divers had checked the channel.\n"
)


@pytest.mark.parametrize(
    "browser_title",
    [
        "Storm closes the harbour | The Harbour Gazette",
        "Storm closes the harbour - News - The Harbour Gazette",
        "The Harbour Gazette – Storm closes the harbour",
    ],
)
def test_the_headline_inside_a_browser_title_is_the_title(browser_title: str) -> None:
    article = parse(f"{browser_title}\n\nHome\n\nThe Harbour Gazette\n\nStorm closes the harbour\n\n{BODY}")
    assert article.title == "Storm closes the harbour"
    assert "Storm closes the harbour" not in article.paragraphs  # the page's headline is the title, not text
    assert [r.rule for r in article.removed if r.text == "Storm closes the harbour"] == ["title-repeat"]


@pytest.mark.parametrize(
    "browser_title", ["Storm closes the harbour | The Harbour Gazette", "Gazette – Storm closes the harbour"]
)
def test_the_header_goes_on_under_the_headline_of_a_browser_title(browser_title: str) -> None:
    """A whole page saved as text: its <title>, then the headline, dateline and byline as the page prints them."""
    article = parse(f"{browser_title}\nStorm closes the harbour\n12 March 2024 14:01\nBy Ann Lee\n\n{BODY}")
    assert article.title == "Storm closes the harbour"
    assert article.published is not None and article.published.isoformat().startswith("2024-03-12T14:01")
    assert article.authors == ("Ann Lee",)
    assert article.paragraphs[0].startswith("The harbour authority")
    # the longest part is the headline: a site's name printed under its title is no headline
    assert parse(f"{browser_title}\nThe Harbour Gazette\n\n{BODY}").title != "The Harbour Gazette"


def test_a_title_with_a_dash_that_the_page_does_not_print_again_stays_whole() -> None:
    assert parse(f"Storm – and what it cost the harbour\n\n{BODY}").title == "Storm – and what it cost the harbour"
    assert parse(f"Storm closes the harbour | Gazette\n\n{BODY}").title == "Storm closes the harbour | Gazette"


@pytest.mark.parametrize("title", ["Harbour vote", "Kicker\n\nHarbour vote"])
def test_a_short_title_over_a_one_sentence_body_is_the_title_not_a_kicker(title: str) -> None:
    sentence = "The council met on Tuesday and voted on the new harbour walls after a long debate that ran late."
    article = parse(f"{title}\n\n{sentence}\n")  # was: the sentence taken for the title, and no text left
    assert article.title == "Harbour vote"
    assert article.paragraphs == (sentence,)


BODY_SENTENCE = (
    "The harbour authority closed the northern basin on Tuesday after a storm damaged two of its cranes, "
    "officials said in a statement released late in the evening."
)


@pytest.mark.parametrize(
    ("meta", "day"),
    [
        ("8. November 2021 | Aktuelles", "2021-11-08"),
        ("IT - 21. Januar 2022", "2022-01-21"),
        ("Ein Artikel von Pamela Sladky | 27.01.2022 - 12:45", "2022-01-27"),
        ("Sonntag, 02.11.2014 | Tags: Weihnachtsmarkt |", "2014-11-02"),
    ],
)
def test_a_line_of_labels_around_a_date_is_the_dateline_not_the_title(meta: str, day: str) -> None:
    text = f"{meta}\n\nStorm closes the harbour\n\n{BODY_SENTENCE}\n"
    source = parse_source(text.encode(), "gazette/storm.txt")
    article = parse_article(source, CleanResult(source.lines, ()), SiteConfig())
    assert article.title == "Storm closes the harbour"
    assert article.published is not None and article.published.date().isoformat() == day


def test_a_headline_with_a_date_in_it_stays_the_headline() -> None:
    text = f"Workshop 2: 26. November 2015, REACH - Zukunft der PFC\n\n{BODY_SENTENCE}\n"
    source = parse_source(text.encode(), "gazette/workshop.txt")
    article = parse_article(source, CleanResult(source.lines, ()), SiteConfig())
    assert article.title == "Workshop 2: 26. November 2015, REACH - Zukunft der PFC"


@pytest.mark.parametrize(
    ("top", "path", "title"),
    [
        (
            "Wie man eine runde Tischdecke herstellt | homify",
            "homify-de/x.txt",
            "Wie man eine runde Tischdecke herstellt",
        ),
        ("Maulwurfkuchen mit Erdbeeren - Rezept von Backen.de", "backen.de/x.txt", "Maulwurfkuchen mit Erdbeeren"),
        ("Storm closes the harbour | The Gazette", "gazette/x.txt", "Storm closes the harbour"),
        ("Storm closes the harbour | The Gazette", "rt/x.txt", "Storm closes the harbour | The Gazette"),
        ("Gazette | Storm", "gazette/x.txt", "Gazette | Storm"),  # two words would be left: kept whole
    ],
)
def test_a_browser_title_loses_its_site_name(top: str, path: str, title: str) -> None:
    source = parse_source(f"{top}\n\n{BODY_SENTENCE}\n".encode(), path)
    assert parse_article(source, CleanResult(source.lines, ()), SiteConfig()).title == title
