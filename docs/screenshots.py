"""The README's screenshots, taken again: ``python docs/screenshots.py`` (needs the test extras and Chromium).

Builds three sites into a scratch folder and photographs their pages in Debian's Chromium at 1280 and 375 px:
the sample site (content/), the shared FakeNewsCorpus sample imported with ``newsgen import`` (real headlines
over seven years, sources named from their domains), and a synthetic archive from benchmarks/synthetic.py
(3,000 articles over 15 years: a year busy enough for its calendar to show a heat map). Writes
docs/screenshots/<page>-<desktop|phone>.png, the top of each page as a reader first sees it.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from synthetic import write_archive  # noqa: E402
from test_browser import CHROMIUM, DESKTOP, LAUNCH_ARGS, PHONE, SEED, serve  # noqa: E402  the tests' own harness

from newsgen.cli import main  # noqa: E402

SIZES = {"desktop": DESKTOP, "phone": PHONE}
# page name: (site, path)
SHOTS = {
    "front-page": ("sample", "index.html"),
    "article": ("sample", SEED),
    "day": ("sample", "2016/09/08/index.html"),
    "month": ("sample", "2016/09/index.html"),
    "year": ("synthetic", "2016/index.html"),
    "archive": ("corpus", "archive/index.html"),
    "source": ("corpus", "sources/beforeitsnews-com/index.html"),
    "search": ("corpus", "search/index.html?q=climate+change"),
}
SETTINGS = {  # the sample has its own site.yaml
    "corpus": "title: FakeNewsCorpus sample\ndescription: 184 articles of the shared corpus, imported\n",
    "synthetic": "title: Synthetic archive\ndescription: benchmarks/synthetic.py, 3,000 articles\n",
}


def build_sites(scratch: Path) -> dict[str, Path]:
    """The three sites, built with newsgen's own command line."""
    corpus = ROOT / "tests" / "fixtures" / "corpus" / "fakenews_sample_dev.csv"
    if not (scratch / "synthetic").is_dir():
        write_archive(scratch / "synthetic", 3000, sources=12, tags=40)
    with contextlib.redirect_stdout(None):
        assert main(["import", str(corpus), "--content", str(scratch / "corpus")]) == 0
    sites = {"sample": ROOT / "content", "corpus": scratch / "corpus", "synthetic": scratch / "synthetic"}
    for name, content in sites.items():
        config = ROOT / "site.yaml"
        if name in SETTINGS:
            config = scratch / f"{name}.yaml"
            config.write_text(SETTINGS[name], encoding="utf-8")
        out = scratch / f"{name}-site"
        command = ["build", "--content", str(content), "--output", str(out), "--config", str(config), "--quiet"]
        assert main([*command, "--templates", str(ROOT / "templates")]) == 0
    return {name: scratch / f"{name}-site" for name in sites}


def take(sites: dict[str, Path], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with contextlib.ExitStack() as stack:
        addresses = {name: stack.enter_context(serve(folder)) for name, folder in sites.items()}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, color_scheme="light")
            page = context.new_page()
            for name, (site, path) in SHOTS.items():
                page.goto(addresses[site] + path, wait_until="networkidle")
                if name == "search":
                    page.wait_for_selector(".search-result-link")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                written.append(target)
            context.close()
        browser.close()
    return written


def main_(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder to write into")
    parser.add_argument("--scratch", type=Path, help="build the sites here and keep them (a second run rebuilds less)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        scratch = args.scratch or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for target in take(build_sites(scratch), args.out):
            shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            print(f"{shown}  {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main_()
