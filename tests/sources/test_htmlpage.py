"""Saved web pages as input: what trafilatura takes, what the build makes of it, and what it refuses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsgen.articles.article import render_markdown
from newsgen.config import SiteConfig
from newsgen.errors import ContentError
from newsgen.pipeline import build_site
from newsgen.sources import htmlpage
from newsgen.sources.htmlpage import html_page
from newsgen.sources.loader import parse_source

PARAGRAPHS = [
    "The harbour authority closed the northern basin on Tuesday after a storm damaged two of its cranes and "
    "left debris across the main channel, officials said in a statement released late in the evening.",
    "Ships that were due to dock this week have been told to wait outside the bay until divers have checked "
    "the channel, which the authority expects to take at least three days if the weather holds.",
    "Local fishermen said the closure would cost them a week of their season, and asked the council for help "
    "with the fees they still have to pay for their moorings while they cannot use them.",
]
MENU = "".join(f'<li><a href="/{w.lower()}/">{w}</a></li>' for w in ("Home", "Politics", "Sport", "Weather", "Contact"))
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Storm closes the harbour | The Gazette</title>
<meta property="og:title" content="Storm closes the harbour">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-12T09:30:00+00:00">
<link rel="canonical" href="https://gazette.example/2024/03/12/storm-closes-the-harbour/">
<script>document.cookie = "tracked=1";</script>
</head><body>
<header><nav><ul>{MENU}</ul></nav></header>
<main><article>
<h1>Storm closes the harbour</h1>
<p class="byline">By Jane Doe, 12 March 2024</p>
<p onclick="steal()">{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1]}</p>
<p><a href="javascript:alert(1)">Read the authority's statement</a></p>
<p>The notice to mariners is on <a href="https://port.example/notice">the port's site</a>, and the map
<a href="/maps/basin">on ours</a>; the forecast <a href="data:text/html,x">is here</a>.</p>
<ul><li>Northern basin: closed until Friday</li><li>Southern basin: open to ferries only</li></ul>
<blockquote><p>We will reopen the channel as soon as it is safe to do so.</p></blockquote>
<iframe src="https://ads.example/frame"></iframe>
<p>{PARAGRAPHS[2]}</p>
</article></main>
<footer><p>Copyright 2024 The Gazette. All rights reserved.</p><ul>{MENU}</ul></footer>
</body></html>
"""


def build(tmp_path: Path, files: dict[str, bytes]) -> Path:
    content = tmp_path / "content"
    for name, data in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    out = tmp_path / "_site"
    build_site(SiteConfig(), content, out)
    return out


def test_the_page_gives_its_title_date_authors_address_and_main_text() -> None:
    front, body, date_from = html_page(PAGE.encode(), "gazette/storm.html")
    assert date_from == "url"  # htmldate reads the address first
    assert front["title"] == "Storm closes the harbour"
    assert front["date"] == "2024-03-12"
    assert front["authors"] == ["Jane Doe"]
    assert front["url"] == "https://gazette.example/2024/03/12/storm-closes-the-harbour/"
    assert all(p in body for p in PARAGRAPHS)
    assert "Politics" not in body and "All rights reserved" not in body  # the menu and the footer are not text


def test_a_page_becomes_one_article_with_its_structure_and_nothing_hostile(tmp_path: Path) -> None:
    out = build(tmp_path, {"gazette/storm.html": PAGE.encode()})
    page = (out / "2024/03/12/storm-closes-the-harbour/index.html").read_text("utf-8")
    for paragraph in PARAGRAPHS:
        assert f"<p>{paragraph}" in page
    assert "<li>Northern basin: closed until Friday</li>" in page
    assert "<p>We will reopen the channel as soon as it is safe to do so.</p>" in page
    for hostile in ("steal()", "javascript:", "<iframe", "document.cookie", "ads.example", "data:"):
        assert hostile not in page
    assert '<a href="https://port.example/notice" rel="noopener noreferrer nofollow">the port\'s site</a>' in page
    assert 'href="https://gazette.example/maps/basin"' in page  # made absolute from the page's address


QUOTED = (
    "We will reopen the channel as soon as it is safe to do so, and not a day before the divers have finished.",
    "Until then the ferries will use the southern basin, whose berths were checked on Wednesday morning.",
)
QUOTE_PAGE = f"""<html><head><title>Harbour to stay shut</title>
<meta property="article:published_time" content="2024-03-13T08:00:00+00:00"></head><body><article>
<h1>Harbour to stay shut</h1>
<p>{PARAGRAPHS[0]}</p>
<blockquote onclick="steal()"><p onmouseover="steal()">{QUOTED[0]}
<script>document.cookie = "tracked=1";</script></p>
<iframe src="https://ads.example/frame"></iframe>
<p>{QUOTED[1]} <a href="javascript:alert(1)">Read more</a> &lt;script&gt;alert(2)&lt;/script&gt;</p></blockquote>
<h2>What the fishermen say</h2>
<p>The skipper said, <q>we cannot wait a week</q>, and {PARAGRAPHS[2][0].lower()}{PARAGRAPHS[2][1:]}</p>
<ol><li>Northern basin: closed until Friday</li><li>Southern basin: open to ferries only</li></ol>
</article></body></html>"""


def test_a_block_quote_stays_a_quote_and_a_quote_in_a_line_stays_in_it(tmp_path: Path) -> None:
    out = build(tmp_path, {"gazette/shut.html": QUOTE_PAGE.encode()})
    page = (out / "2024/03/13/harbour-to-stay-shut/index.html").read_text("utf-8")
    page = page.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]  # the page's own JSON-LD aside
    quote = page.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    assert f"<p>{QUOTED[0]}</p>" in quote and f"<p>{QUOTED[1]} Read more" in quote  # one quote, two paragraphs
    assert PARAGRAPHS[0] in page and PARAGRAPHS[0] not in quote
    assert "<h2>What the fishermen say</h2>" in page
    assert "<li>Northern basin: closed until Friday</li>" in page and "<ol>" in page
    assert "<p>The skipper said, we cannot wait a week, and local fishermen said" in page  # one paragraph
    for hostile in ("steal()", "javascript:", "<iframe", "ads.example", "document.cookie", "<script"):
        assert hostile not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in quote  # the page's text about a script: text, escaped


RANKING_PAGE = f"""<html><head><title>The best singers | The Gazette</title></head><body><article>
<h1><a href="https://gazette.example/singers/">The best</a> singers [2024]</h1>
<p>{PARAGRAPHS[0]}</p>
<h2><a class="anchor" href="#how"></a>How we chose them</h2>
<p>{PARAGRAPHS[1]}</p>
<p>98. Joshua Todd<br>99. Kevin Dubrow<br>100. Ray Gillen</p>
<p>{PARAGRAPHS[2]} The\n{" " * 24}\n{" " * 40}<a href="https://port.example/list">full list</a> is online.</p>
</article></body></html>"""


def test_the_text_is_trafilaturas_own_choice_dressed_in_its_markup_where_that_keeps_every_word() -> None:
    front, body, _ = html_page(RANKING_PAGE.encode(), "gazette/singers.html")
    assert front["title"] == "The best singers [2024]"  # what the headline shows, not its Markdown
    assert "## How we chose them" in body  # marked up, its empty "#" anchor loses trafilatura the words after it
    assert "The [full list](https://port.example/list) is online." in body  # the rest keeps its links, and
    # the source's line breaks and indent in a paragraph are a space, as in a browser (in Markdown: code)
    html = render_markdown(body)
    assert "<p>100. Ray Gillen</p>" in html and "<ol" not in html  # a ranking's lines, not a list
    assert "<pre>" not in html


def test_a_page_and_its_text_dump_give_the_same_article() -> None:
    html_source = parse_source(PAGE.encode(), "gazette/storm.html")
    text = "\n\n".join(["Storm closes the harbour", "By Jane Doe, 12 March 2024", *PARAGRAPHS])
    text_source = parse_source(text.encode(), "gazette/storm.txt")
    from newsgen.articles.article import parse_article
    from newsgen.pipeline import clean_source

    config = SiteConfig()
    a, b = (parse_article(s, clean_source(s, {}, config), config) for s in (html_source, text_source))
    assert a.title == b.title == "Storm closes the harbour"
    assert a.published is not None and b.published is not None
    assert a.published.date() == b.published.date()
    prose = [p for p in a.paragraphs if p in PARAGRAPHS]  # the HTML keeps its list, link and quote besides
    assert prose == list(b.paragraphs) == PARAGRAPHS


@pytest.mark.parametrize(
    ("head", "text", "date_from"),
    [
        ('<meta property="article:published_time" content="2024-03-12T09:30:00+00:00">', "", "html metadata"),
        ("", '<p class="date">Published 12 March 2024</p>', "html text"),
    ],
)
def test_where_the_date_was_found_is_kept_for_the_report_and_explain(head: str, text: str, date_from: str) -> None:
    page = f"<html><head><title>Storm</title>{head}</head><body><article>{text}<p>{PARAGRAPHS[0]}</p></article></html>"
    source = parse_source(page.encode(), "gazette/storm.html")
    assert (source.front_matter["date"], source.date_from) == ("2024-03-12", date_from)
    given = parse_source(b"---\ndate: 2024-03-01\n---\n" + page.encode(), "gazette/storm.html")
    assert (given.front_matter["date"], given.date_from) == (date(2024, 3, 1), None)  # the file's own, as written
    from newsgen.articles.article import parse_article
    from newsgen.pipeline import clean_source

    config = SiteConfig()
    dated = [parse_article(s, clean_source(s, {}, config), config).date_from for s in (source, given)]
    assert dated == [date_from, "front matter"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary data"),
        (b"Just some words, no markup at all, in a file named .html", "no markup"),
        (b"<html><head><title>x</title></head><body></body></html>", "no main text"),
        (
            b'<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset></html>',
            "frameset",
        ),
    ],
)
def test_bad_pages_are_refused_with_their_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ContentError, match=reason) as caught:
        parse_source(data, "gazette/bad.html")
    assert caught.value.path == "gazette/bad.html"


def test_a_page_in_utf16_or_with_stray_control_bytes_is_read() -> None:
    for data in (PAGE.encode("utf-16"), PAGE.encode("utf-16-le"), PAGE.replace("<main>", "<main>\x00\x01").encode()):
        front, body, _ = html_page(data, "gazette/storm.html")
        assert front["title"] == "Storm closes the harbour" and PARAGRAPHS[0] in body


def test_a_page_in_an_unknown_encoding_is_read_by_its_bytes() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="x-unheard-of"').encode("utf-8")
    front, body, _ = html_page(page, "gazette/storm.html")
    assert front["title"] == "Storm closes the harbour" and PARAGRAPHS[0] in body


def test_a_page_that_takes_too_long_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlpage, "TIME_LIMIT", 1e-6)
    with pytest.raises(ContentError, match="took over"):
        html_page(PAGE.encode(), "gazette/storm.html")


def test_a_bad_page_is_a_rejection_in_the_build_not_a_crash(tmp_path: Path) -> None:
    content = tmp_path / "content" / "gazette"
    content.mkdir(parents=True)
    (content / "storm.html").write_bytes(PAGE.encode())
    (content / "bad.html").write_bytes(b"\x00\x01\x02" * 100)
    result = build_site(SiteConfig(), tmp_path / "content", tmp_path / "_site")
    assert (tmp_path / "_site/2024/03/12/storm-closes-the-harbour/index.html").exists()
    assert [(r.path, "binary data" in r.error.message) for r in result.rejected] == [("gazette/bad.html", True)]


def test_what_a_site_repeats_in_its_pages_text_is_taken_out_as_in_scraped_text(tmp_path: Path) -> None:
    promo = "The Gazette is published by the Harbour Press cooperative and is funded entirely by its readers."
    places = ["Harbour", "Bridge", "Market", "School", "Library", "Station"]
    files = {}
    for n, place in enumerate(places):
        words = sorted(set(" ".join(PARAGRAPHS).lower().replace(",", "").replace(".", "").split()))
        picked = [words[(n * 7 + k * 13) % len(words)] for k in range(120)]  # a text of its own for each page
        body = "".join(f"<p>The {place.lower()} {' '.join(picked[k : k + 20])}.</p>" for k in range(0, 120, 20))
        files[f"gazette/{place.lower()}.html"] = (
            f"<html><head><title>{place} news</title></head><body><nav>{MENU}</nav><article>"
            f"<h1>{place} committee meets on day {n}</h1><time datetime='2024-03-1{n}'>1{n} March 2024</time>"
            f"{body}<p>{promo}</p></article></body></html>"
        ).encode()
    content = tmp_path / "content"
    for name, data in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    result = build_site(SiteConfig(), content, tmp_path / "_site")
    assert len(result.articles) == 6
    for article in result.to_json()["articles"]:
        page = (tmp_path / "_site" / article["url"].lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert promo not in page
        removed = article["removed_lines"]
        assert [r["rule"] for r in removed if r["text"] == promo] == ["repeated-in-source"]
        assert {r["rule"] for r in removed} <= {"repeated-in-source", "title-repeat"}  # no line rule on it


def test_explain_shows_what_was_taken_from_the_html_and_what_was_left_out(tmp_path: Path) -> None:
    from newsgen.commands.explain import format_explanation
    from newsgen.pipeline import explain_file

    page = tmp_path / "storm.html"
    page.write_bytes(PAGE.encode())
    out = format_explanation(explain_file(page, None, SiteConfig()))
    assert "taken from the page's HTML" in out
    assert "date          2024-03-12 (from the page's address)" in out and "authors       Jane Doe" in out
    left = out.split("left out of the page's HTML by trafilatura", 1)[1].split("\n\n", 1)[0]
    assert all(word in left for word in ("Politics", "All rights reserved"))  # the menu and the footer
    assert PARAGRAPHS[0] not in left and "Storm closes the harbour" not in left  # the text and the title were taken
    assert "document.cookie" not in out  # scripts are no text
