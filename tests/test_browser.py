"""The sample site in a real browser: Debian's Chromium driven by Playwright, served from a local port.

Locally these tests skip when Chromium or Playwright is missing; with CI set they fail instead, so a CI
machine without a browser can never pass them by accident. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsgen.pipeline import BuildReport

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


@pytest.fixture(scope="module")
def server(sample_site: tuple[Path, BuildReport]) -> Iterator[str]:
    """The built sample site over HTTP on 127.0.0.1 and a free port."""
    handler = functools.partial(QuietHandler, directory=str(sample_site[0]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


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


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_without_errors_or_outside_requests(server: str, visit: Any, name: str) -> None:
    v = visit(server + PAGES[name])
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("main h1").count() >= 1
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


def test_searching_a_word_of_the_seed_finds_the_seed(server: str, visit: Any) -> None:
    v = visit(server + "search/index.html")
    v.page.fill(".pagefind-ui__search-input", "Peskov")
    v.page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    links = v.page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    assert server + SEED in links
    v.page.click(f'.pagefind-ui__result-link[href$="{SEED}"]')
    v.page.wait_for_url(server + SEED)
    assert v.errors == [] and v.outside == []


def test_header_search_box_carries_the_query_and_filters_exist(server: str, visit: Any) -> None:
    v = visit(server + "index.html")
    v.page.fill("#site-search", "ferry")
    v.page.press("#site-search", "Enter")
    v.page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    assert "ferry" in v.page.input_value(".pagefind-ui__search-input")
    filters = v.page.evaluate(
        "async () => { const pf = await import(new URL('../pagefind/pagefind.js', location.href));"
        " return await pf.filters(); }"
    )
    assert {"RT", "The Harbour Gazette", "The Valley Courier"} <= set(filters["source"])
    assert {"2016", "2017", "2018", "2019"} <= set(filters["year"])
    assert v.errors == [] and v.outside == []


def test_article_at_phone_width_does_not_scroll_sideways(server: str, visit: Any) -> None:
    for path in (SEED, "index.html", "archive/index.html", "sources/rt/index.html"):
        v = visit(server + path, PHONE)
        overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)


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
    handler = functools.partial(QuietHandler, directory=str(corpus_build[0] / "_site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_imported_corpus_in_the_browser(
    corpus_build: tuple[Path, dict[str, object]], corpus_server: str, visit: Any
) -> None:
    articles = corpus_build[1]["articles"]
    assert isinstance(articles, list)
    article = next(a["url"] for a in articles if a["source"].startswith("beforeitsnews-com/"))
    for path in ("index.html", article.lstrip("/") + "index.html", "sources/index.html", "undated/index.html"):
        v = visit(corpus_server + path, PHONE)
        v.page.wait_for_load_state("networkidle")
        assert v.errors == [] and v.outside == [], (path, v.errors, v.outside)
        assert v.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    v = visit(corpus_server + "search/index.html")
    v.page.fill(".pagefind-ui__search-input", "Bitcoin")
    v.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    assert v.page.locator(".pagefind-ui__result").count() >= 1
    assert v.errors == [] and v.outside == []
