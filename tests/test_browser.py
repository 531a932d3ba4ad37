"""The sample site in a real browser: Debian's Chromium driven by Playwright, served from a local port.

Locally these tests skip when Chromium or Playwright is missing; with CI set they fail instead, so a CI
machine without a browser can never pass them by accident. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import random
import re
import shutil
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from newsgen.config import SiteConfig, config_from_mapping
from newsgen.output.searchdocs import STEMMERS, STOP_WORDS, term_counts
from newsgen.pipeline import BuildReport, build_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("NEWSGEN_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run"]  # fmt: skip
SEED = "2016/09/08/russia-us-deal-on-syrian-reconciliation-not-yet-finalized-talks-to-continue/index.html"
PAGES = {
    "front": "index.html",
    "article": SEED,
    "month": "2016/09/index.html",
    "tag": "tags/syria/index.html",
    "search": "search/index.html",
    "archive": "archive/index.html",
}
PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1280, "height": 900}


def browser_unavailable(chromium: Path = CHROMIUM) -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not chromium.is_file():
        return f"Chromium not found at {chromium} (apt-get install chromium)"
    return None


def require_browser(chromium: Path = CHROMIUM) -> None:
    """Skip when there is no browser, except in CI (the CI variable is set): there it is a failure."""
    problem = browser_unavailable(chromium)
    if problem and os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {problem}")
    if problem:
        pytest.skip(problem)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1 and a free port, as python -m http.server would."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(sample_site: tuple[Path, BuildReport]) -> Iterator[str]:
    """The built sample site over HTTP on 127.0.0.1 and a free port."""
    with serve(sample_site[0]) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened with every console error, page error and off-host request recorded."""

    def __init__(self, browser: Any, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._only_localhost)

    def _only_localhost(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(url: str, viewport: dict[str, int] = DESKTOP) -> Visit:
        v = Visit(browser, viewport)
        opened.append(v)
        v.page.goto(url, wait_until="load")
        return v

    yield open_page
    for v in opened:
        v.close()


def results(v: Visit) -> list[dict[str, Any]]:
    """The results shown: link, title, source name and excerpt of each, in order."""
    return v.page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#search-results .search-result",
        """items => items.map(li => ({
            href: li.querySelector('a.search-result-link').href,
            title: li.querySelector('a.search-result-link').textContent,
            source: li.querySelector('.source').textContent,
            marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
            excerpt: li.querySelector('.search-result-excerpt').textContent,
        }))""",
    )


def wait_for_status(v: Visit, before: str = "") -> str:
    v.page.wait_for_function("s => { const t = document.getElementById('search-status').textContent;"
                             " return t && t !== s; }", arg=before, timeout=10_000)  # fmt: skip
    return str(v.page.text_content("#search-status"))


def test_searching_a_word_of_the_seed_finds_the_seed(server: str, visit: Any) -> None:
    v = visit(server + "search/index.html")
    v.page.fill("#search-input", "Peskov")
    assert wait_for_status(v) == "1 result for “Peskov”"
    (found,) = results(v)
    assert found["href"] == server + SEED and found["source"] == "RT"
    assert v.page.evaluate("location.search") == "?q=Peskov"
    v.page.click(f'.search-result-link[href$="{SEED}"]')
    v.page.wait_for_url(server + SEED)
    assert v.errors == [] and v.outside == []


def test_header_search_box_carries_the_query_and_filters_exist(server: str, visit: Any) -> None:
    v = visit(server + "index.html")
    v.page.fill("#site-search", "ferry")
    v.page.press("#site-search", "Enter")
    status = wait_for_status(v)
    assert v.page.input_value("#search-input") == "ferry" and status.endswith("for “ferry”")
    found = results(v)
    assert found and any("ferry" in mark.lower() for r in found for mark in r["marks"])
    sources = v.page.eval_on_selector_all("#search-source option", "os => os.map(o => o.textContent)")
    years = v.page.eval_on_selector_all("#search-year option", "os => os.map(o => o.textContent)")
    assert {"RT", "The Harbour Gazette", "The Valley Courier"} <= set(sources[1:])
    assert set(years[1:]) == {"2016", "2017", "2018", "2019"}
    assert v.errors == [] and v.outside == []


def test_filters_narrow_the_results_and_stay_in_the_address(server: str, visit: Any) -> None:
    v = visit(server + "search/index.html?q=timetable")
    status = wait_for_status(v)
    everywhere = results(v)
    assert {r["source"] for r in everywhere} >= {"The Harbour Gazette", "The Valley Courier"}, status
    v.page.select_option("#search-source", label="The Valley Courier")
    status = wait_for_status(v, status)
    narrowed = results(v)
    assert 0 < len(narrowed) < len(everywhere) and {r["source"] for r in narrowed} == {"The Valley Courier"}
    assert status.endswith("in The Valley Courier") and "source=valley-courier" in v.page.evaluate("location.search")
    v.page.select_option("#search-source", value="")
    v.page.fill("#search-input", "")
    v.page.select_option("#search-year", "2016")
    v.page.wait_for_function("document.getElementById('search-status').textContent === '2 results in 2016'")
    assert {r["source"] for r in results(v)} == {"RT"}  # a filter alone lists its articles, newest first
    v.page.reload()
    v.page.wait_for_selector(".search-result-link")
    assert v.page.input_value("#search-year") == "2016"
    assert v.errors == [] and v.outside == []


def stemmer_words(name: str, count: int = 300) -> list[str]:
    """Words that put a stemmer's rules to work: its own suffixes (its Among tables) after stems of its letters."""
    stemmer = getattr(importlib.import_module(f"snowballstemmer.{name}_stemmer"), f"{name.title()}Stemmer")
    pieces = sorted({a.s for v in vars(stemmer).values() if isinstance(v, list) for a in v if a.s.isalpha()})
    letters = sorted({c for piece in pieces for c in piece if not c.isupper()})
    rng = random.Random(name)
    stems = ("".join(rng.choices(letters, k=rng.randint(2, 7))) for _ in range(count))
    return [stem + "".join(rng.choices(pieces, k=rng.randint(0, 2))) for stem in stems]


def test_search_terms_are_the_same_in_javascript_and_python(visit: Any, tmp_path: Path) -> None:
    """Every vendored stemmer, on words made of its own rules' suffixes, and the words of awkward text."""
    shutil.copytree(ROOT / "templates" / "assets", tmp_path / "assets")
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>t</title><script src="assets/search.js"></script>'
    )
    samples = [
        "The island ferries' timetable", "L'État d’urgence, O'Brien's rock’n’roll", "COVID-19 well-known 3.5%",
        "Café naïve ÉTUDE e\u0301tude Ǆemal ǅ", "Москва́ ЁЖИК Ёлка ΟΔΟΣ σοφός ΣΟΦΟΣ", "İstanbul STRASSE straße",
        "ﬁnance ＦＵＬＬＷＩＤＴＨ １２３ x² ½ Ⅻ", "soft\u00adhyphen zero\u200bwidth non\u200cjoiner",
        "emoji 🙂 👍🏽 🇷🇺 1️⃣ 👨‍👩‍👧 keycap", "हिन्दी समाचार العربيَّة עִבְרִית ไทย", "2016年 東京 𠀋𡈽 𝐁𝐨𝐥𝐝",
        "bus crisis talks news series species ties", "a" * 50 + " " + "é" * 45, "tab\tnew\nline\r\nend",
        "investment investments invested internationally", "Die Häuser des Hauses, Investitionen",
    ]  # fmt: skip
    names = sorted(set(STEMMERS.values()))
    texts = {name: [*samples, " ".join(stemmer_words(name) if name else "")] for name in ["", *names]}
    with serve(tmp_path) as address:
        v = visit(address + "index.html")
        got = v.page.evaluate(
            """([texts, stop]) => newsgenSearch.stemmers(Object.keys(texts)).then(stems => Object.keys(texts).map(
                (name, i) => texts[name].map(t => newsgenSearch.indexTerms(t, new Set(stop), stems[i]))))""",
            [texts, sorted(STOP_WORDS)],
        )
        for name, terms in zip(texts, got, strict=True):
            assert [Counter(found) for found in terms] == [term_counts(t, name) for t in texts[name]], name
        keys = [*term_counts(" ".join(samples), ""), "\x01source:rt", "\x01year:2016"]
        assert v.page.evaluate("keys => keys.map(newsgenSearch.crc32)", keys) == [zlib.crc32(k.encode()) for k in keys]
        assert v.errors == [] and v.outside == []


NEWS = {
    "politics/trump.md": ("Rally in Ohio", "Donald Trump spoke to supporters in Ohio on Tuesday evening."),
    "business/trumpf.md": ("Laser market grows", "Trumpf, the machine tool maker, sold more lasers this year."),
    "world/korea.md": ("Missile test", "North Korea launched a missile over the sea on Sunday morning."),
    "world/apart.md": ("Snow and talks", "Snow fell in the north while South Korea held talks with its allies."),
    "world/reversed.md": ("Old maps", "The old maps show Korea as one kingdom, north and south, with its islands."),
    "local/harbour.md": ("Harbour budget", "The council approved a new investment in the harbour and its quays."),
    "local/council.md": (
        "Council meeting",
        "The council met on Monday to discuss the budget for the coming year and its many items.\n\n"
        + "Members spoke at length about roads, schools and parks across the whole district.\n\n" * 6
        + "Near the end, the ferry timetable for the winter months was approved without a vote.\n\n"
        + "After a long debate on the roads, the schools, the parks and the libraries of the district, which went"
        " on well into the evening and tired everyone in the room, the members turned at last to the harbour dues.",
    ),
    "hafen/haeuser.md": ("Die Häuser am Hafen", "Die Häuser des Hafens wurden im Winter an eine Stiftung verkauft."),
}


@pytest.fixture(scope="module")
def news_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site with words that a search can confuse: trump and Trumpf, north and Korea apart, a German page."""
    root = tmp_path_factory.mktemp("news")
    for number, (name, (title, body)) in enumerate(NEWS.items()):
        file = root / "content" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        language = "language: de\n" if name.startswith("hafen/") else ""
        file.write_text(f"---\ntitle: {title}\ndate: 2018-01-{number + 10}\n{language}---\n\n{body}\n")
    build_site(SiteConfig(), root / "content", root / "_site")
    with serve(root / "_site") as address:
        yield address + "search/index.html"


def search_for(visit: Any, page: str, query: str, typed: bool = False) -> list[dict[str, Any]]:
    """The results for ``query``: from the address (whole words), or typed into the box (the last word a prefix)."""
    v = visit(page if typed else f"{page}?q={quote(query)}")
    if typed:
        v.page.wait_for_function("document.querySelectorAll('#search-source option').length > 1")  # index loaded
        v.page.fill("#search-input", query)
    status = wait_for_status(v)
    assert v.errors == [] and v.outside == [], (v.errors, v.outside)
    found = results(v)
    count = 0 if status.startswith("No results") else int(status.split()[0])
    assert len(found) == min(count, 20), status  # the first page of them
    return found


def titles(found: list[dict[str, Any]]) -> list[str]:
    return sorted(r["title"] for r in found)


def test_a_query_from_the_address_matches_whole_words(news_server: str, visit: Any) -> None:
    assert titles(search_for(visit, news_server, "trump")) == ["Rally in Ohio"]  # not Trumpf
    assert titles(search_for(visit, news_server, "trump", typed=True)) == ["Laser market grows", "Rally in Ohio"]
    assert titles(search_for(visit, news_server, "trum")) == []
    assert titles(search_for(visit, news_server, "investm", typed=True)) == ["Harbour budget"]  # its stem, invest


def test_a_quoted_phrase_matches_only_the_words_side_by_side(news_server: str, visit: Any) -> None:
    assert titles(search_for(visit, news_server, "north korea")) == ["Missile test", "Old maps", "Snow and talks"]
    (found,) = search_for(visit, news_server, '"north korea"')
    assert found["title"] == "Missile test" and found["marks"] == ["North", "Korea"]
    assert titles(search_for(visit, news_server, "“North Korea” missile")) == ["Missile test"]
    assert titles(search_for(visit, news_server, '"korea north"')) == []
    assert titles(search_for(visit, news_server, '"north korea', typed=True)) == ["Missile test"]


def test_the_excerpt_is_where_the_query_matched(news_server: str, visit: Any) -> None:
    (found,) = search_for(visit, news_server, "timetable")
    assert found["marks"] == ["timetable"]  # in the last paragraph, not the lead
    assert found["excerpt"] == "Near the end, the ferry timetable for the winter months was approved without a vote."
    (found,) = search_for(visit, news_server, "dues")  # far into a long paragraph: the words around it
    assert found["excerpt"].startswith("… ") and found["excerpt"].endswith(
        "the members turned at last to the harbour dues."
    )
    (found,) = search_for(visit, news_server, "investments")  # the article says only "investment"
    assert found["title"] == "Harbour budget" and found["marks"] == ["investment"]


def test_a_german_page_is_stemmed_by_german_rules(news_server: str, visit: Any) -> None:
    (found,) = search_for(visit, news_server, "Häusern")  # Häusern, Häuser: haus by German rules, not by English ones
    assert found["title"] == "Die Häuser am Hafen" and found["marks"] == ["Häuser"]


def test_search_works_with_pretty_urls_under_a_sub_path(visit: Any, tmp_path: Path) -> None:
    site = tmp_path / "www" / "archive"  # served from /archive/, with links that leave out index.html
    build_site(config_from_mapping({"pretty_urls": True}), ROOT / "content", site, ROOT / "templates")
    with serve(tmp_path / "www") as address:
        v = visit(address + "archive/search/?q=peskov")
        wait_for_status(v)
        (found,) = results(v)
        assert found["href"] == address + "archive/" + SEED.removesuffix("index.html")
        assert v.errors == [] and v.outside == []


def test_hostile_titles_show_as_text(visit: Any, tmp_path: Path) -> None:
    title = 'Breaking <img src=x onerror="window.pwned=1"> <b>bold</b> news'
    content = tmp_path / "content"
    content.mkdir()
    body = "Breaking news <script>window.pwned=2</script> in the body of the article."
    (content / "a.txt").write_text(f"---\ntitle: {json.dumps(title)}\ndate: 2018-01-25\n---\n\n{body}\n")
    build_site(SiteConfig(), content, tmp_path / "_site")
    with serve(tmp_path / "_site") as address:
        v = visit(address + "search/index.html?q=breaking")
        wait_for_status(v)
        (found,) = results(v)
        assert found["title"] == title and found["marks"] == ["Breaking"]
        assert v.page.text_content(".search-result-excerpt") == body
        assert v.page.evaluate(
            "window.pwned === undefined && !document.querySelector('#search img, #search b, #search-results script')"
        )
        assert v.errors == [] and v.outside == []


# What a page must hold, by the kind of page: date headings on lists (not on a day's page: one day), a calendar of each
# month on a year's page, of its month on a month's (unless no article of the month is known to the day).
CALENDARS = {"year": 12, "month": 1}
LISTS = {"list", "year", "month", "month, days unknown"}
SAMPLE_PAGES = {
    "index.html": "list",
    SEED: "article",
    "2016/09/08/index.html": "day",
    "2016/09/index.html": "month",
    "2016/index.html": "year",
    "archive/index.html": "archive",
    "sources/index.html": "",
    "sources/harbour-gazette/index.html": "list",
    "tags/syria/index.html": "list",
    "authors/maria-lindqvist/index.html": "list",
    "undated/index.html": "",
    "search/index.html?q=ferry": "search",
    "about/index.html": "",
}
CORPUS_PAGES = {
    "index.html": "list",
    "2017/index.html": "year",
    "2017/12/index.html": "month, days unknown",
    "archive/index.html": "archive",
    "sources/beforeitsnews-com/index.html": "list",
    "sources/washingtonexaminer-com/index.html": "list",
    "search/index.html?q=trump": "search",
}
LAYOUT = """() => {
    // Text a reader cannot read whole: outside the box of the block that holds it (or of the page), or an SVG
    // label outside its SVG or on another. Text in a box that clips or scrolls (the menu, the breadcrumbs, a
    // lead cut to four lines) is that box's business: the box itself must fit.
    const out = [], slack = 1;
    const inside = (a, b) => a.left >= b.left - slack && a.right <= b.right + slack;
    const page = {left: 0, right: window.innerWidth};
    const clipper = el => { for (let e = el.parentElement; e && e !== document.body; e = e.parentElement)
        if (getComputedStyle(e).overflowX !== 'visible') return e; return null; };
    const block = el => { for (let e = el; e; e = e.parentElement)
        if (!getComputedStyle(e).display.startsWith('inline')) return e; return document.body; };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
        const el = node.parentElement;
        if (!node.textContent.trim() || el.closest('svg, script, noscript, .visually-hidden, .skip-link')) continue;
        const range = document.createRange(); range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (!box.width) continue;
        const clip = clipper(el);
        const fits = clip ? inside(clip.getBoundingClientRect(), page)
            : inside(box, block(el).getBoundingClientRect()) && inside(box, page);
        if (!fits)
            out.push(`text "${node.textContent.trim().slice(0, 40)}" outside its box`);
    }
    for (const svg of document.querySelectorAll('main svg')) {
        const frame = svg.getBoundingClientRect();
        if (!frame.width) continue;
        if (!inside(frame, page)) out.push('an SVG wider than the page');
        const texts = [...svg.querySelectorAll('text')].map(t => [t, t.getBoundingClientRect()]);
        for (const [t, b] of texts) {
            if (!inside(b, frame) || b.top < frame.top - slack || b.bottom > frame.bottom + slack)
                out.push(`SVG text "${t.textContent}" outside its SVG`);
        }
        texts.forEach(([t, a], i) => texts.slice(i + 1).forEach(([u, b]) => {
            const apart = a.right <= b.left + slack || b.right <= a.left + slack
                || a.bottom <= b.top + slack || b.bottom <= a.top + slack;
            if (!apart)
                out.push(`SVG text "${t.textContent}" on "${u.textContent}"`);
        }));
    }
    const tops = selector => [...document.querySelectorAll(selector)].map(e => e.getBoundingClientRect().top);
    const lines = selector => new Set(tops(selector)).size;
    return {
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        problems: out,
        dateHeadings: document.querySelectorAll('main h2.date-heading').length,
        calendarMonths: document.querySelectorAll('figure.calendar svg[role=group]').length,
        menuLines: lines('.site-nav li'),
        menuFits: [...document.querySelectorAll('.site-nav li, .site-menu li')].every(
            li => inside(li.getBoundingClientRect(), page)),
        siteMenuLines: lines('.site-menu li'),
        crumbLines: lines('.breadcrumbs li'),
    };
}"""


def check_layout(browser: Any, address: str, pages: dict[str, str], site_menu: int = 0) -> None:
    """Every page at both widths: nothing wider than the page, no text outside its box, the menus and the trail
    on one line each, what the kind of page must hold; no console error, no request leaving the machine.

    ``site_menu``: 1 if the site has a ``menu:`` (its line above the masthead), else 0."""
    for viewport in (DESKTOP, PHONE):
        v = Visit(browser, viewport)
        try:
            for path, kind in pages.items():
                v.page.goto(address + path, wait_until="load")
                if kind == "search":
                    v.page.wait_for_selector(".search-result-link")
                got = v.page.evaluate(LAYOUT)
                where = (path, viewport["width"])
                assert got["overflow"] <= 0 and got["problems"] == [], (where, got)
                assert got["menuLines"] == 1 and got["menuFits"] and got["crumbLines"] <= 1, (where, got)
                assert got["siteMenuLines"] == site_menu, (where, got)  # one line, or none without a menu
                assert (got["dateHeadings"] > 0) == (kind in LISTS), (where, got)
                assert got["calendarMonths"] == CALENDARS.get(kind, 0), (where, got)
                assert v.errors == [] and v.outside == [], (where, v.errors, v.outside)
        finally:
            v.close()


def test_sample_pages_fit_phones_and_desktops(server: str, browser: Any) -> None:
    check_layout(browser, server, SAMPLE_PAGES, site_menu=1)


def test_imported_corpus_pages_fit_phones_and_desktops(
    corpus_build: tuple[Path, dict[str, object]], corpus_server: str, browser: Any
) -> None:
    articles = corpus_build[1]["articles"]
    assert isinstance(articles, list)
    article = next(a["url"] for a in articles if a["source"].startswith("beforeitsnews-com/"))
    check_layout(browser, corpus_server, {**CORPUS_PAGES, article.lstrip("/") + "index.html": "article"})


def test_screenshots_at_phone_and_desktop_widths(server: str, visit: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("front", "article"):
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            v = visit(server + PAGES[name], viewport)
            target = SCREENSHOTS / f"{name}-{size}.png"
            v.page.screenshot(path=str(target))
            assert target.stat().st_size > 5_000
            written.append(target)
    print("screenshots:", *written, sep="\n  ")


def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: Chromium not found"):
        require_browser(missing)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        require_browser(missing)


@pytest.fixture(scope="module")
def corpus_server(corpus_build: tuple[Path, dict[str, object]]) -> Iterator[str]:
    """The imported shared corpus, built, over HTTP on 127.0.0.1."""
    with serve(corpus_build[0] / "_site") as address:
        yield address


def test_imported_corpus_in_the_browser(corpus_server: str, visit: Any) -> None:
    v = visit(corpus_server + "search/index.html")
    v.page.fill("#search-input", "Bitcoin")
    wait_for_status(v)
    assert len(results(v)) >= 1
    v.page.fill("#search-input", "said ")
    total = int(wait_for_status(v, v.page.text_content("#search-status") or "").split()[0])
    assert total > 20 and len(results(v)) == 20 and v.page.is_visible("#search-more")
    v.page.click("#search-more")
    v.page.wait_for_function("document.querySelectorAll('#search-results li').length > 20")
    assert len(results(v)) == min(40, total) and v.page.is_visible("#search-more") == (total > 40)
    assert v.errors == [] and v.outside == []
    page = corpus_server + "search/index.html"
    phrase = search_for(visit, page, '"north korea"')
    assert phrase and all(re.search(r"north\W+korea", r["excerpt"], re.I) for r in phrase)
    assert len(phrase) < len(search_for(visit, page, "north korea"))
    for query in ("trump", "investment", "police", "election", "clinton emails", "said", "climate change"):
        found = search_for(visit, page, query)  # each excerpt holds a word of the query, or a word of its stem
        assert found and all(r["marks"] for r in found), (query, [r["excerpt"] for r in found if not r["marks"]])


def test_a_russian_sites_search_page_speaks_russian(visit: Any, tmp_path: Path) -> None:
    """The script's words come from the page: its plural forms by the browser's Intl.PluralRules ("one", "few")."""
    content = tmp_path / "content" / "vesti"
    content.mkdir(parents=True)
    for day, title, text in (
        (8, "Паром возвращается", "Паром вернулся к зимнему расписанию после ремонта причала порта."),
        (9, "Паром снова ходит", "Он ходит между островом и городом каждый час, сообщили в порту."),
        (10, "Мост открыт", "Новый мост через реку открыт для машин и пешеходов рядом с портом."),
    ):
        body = f"---\ntitle: {title}\ndate: 2016-09-{day:02d}\n---\n\n{text}\n"
        (content / f"{day}.md").write_text(body, encoding="utf-8")
    build_site(config_from_mapping({"language": "ru"}), tmp_path / "content", tmp_path / "_site")
    with serve(tmp_path / "_site") as address:
        v = visit(address + "search/index.html?q=" + quote("паром"))
        assert wait_for_status(v) == "2 результата по запросу «паром»"
        dates = v.page.eval_on_selector_all(".search-result-date", "nodes => nodes.map(n => n.textContent)")
        assert sorted(dates) == ["8 сентября 2016", "9 сентября 2016"]
        v = visit(address + "search/index.html?q=" + quote("порт"))
        assert wait_for_status(v) == "3 результата по запросу «порт»"
        v = visit(address + "search/index.html?q=" + quote("открыт"))
        assert wait_for_status(v) == "1 результат по запросу «открыт»"
        assert v.errors == [] and v.outside == []
