"""How fast newsgen builds an archive from saved web pages (``.html``), which trafilatura extracts.

Run: ``python benchmarks/html_pages.py --sizes 1000,10000`` (Linux: it reads /proc through run.py's
``measure``). For each N, in a fresh folder: ``benchmarks/synthetic.py`` writes N deterministic pages
(menu, headline, date, ten paragraphs, footer: ``article_html``), then ``newsgen build`` runs from
scratch, again with nothing changed, after one page is edited, and after 100 pages are added; each is
timed by wall clock with its peak memory, and the full build's pages per second are printed. The
JSON goes to ``--out`` (default ``benchmarks/results/DATE-html-SIZES.json``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.run import Figures, machine, measure, newsgen_prefix  # noqa: E402
from benchmarks.synthetic import article_html, write_archive  # noqa: E402

SEED = 0
ADDED = 100


def run_size(work: Path, n: int, prefix: list[str]) -> Figures:
    site = work / f"n{n}"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    write_archive(site / "content", n, SEED, html=True)
    result: Figures = {"n": n, "generate_seconds": round(time.perf_counter() - started, 3)}
    (site / "site.yaml").write_text("base_url: https://example.org/\n", "utf-8")
    cmd = [*prefix, "build", "--content", "content", "--output", "_site", "--config", "site.yaml", "--quiet"]
    result["full"] = measure(cmd, site)
    result["pages_per_second"] = round(n / result["full"]["seconds"], 1)
    result["noop"] = measure(cmd, site)
    path, page = article_html(n // 2, SEED)
    (site / "content" / path).write_text(page.replace("</article>", "<p>An edited line.</p></article>"), "utf-8")
    result["edit_one"] = measure(cmd, site)
    write_archive(site / "content", ADDED, SEED, start=n, html=True)
    result["add_100"] = measure(cmd, site)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated N (default 1000,10000)")
    parser.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/DATE-html-SIZES.json)")
    parser.add_argument("--newsgen", default="python -m newsgen", help="command that runs newsgen")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    out = (
        args.out or ROOT / "benchmarks" / "results" / f"{datetime.now():%Y-%m-%d}-html-{'-'.join(map(str, sizes))}.json"
    )
    work = Path(tempfile.mkdtemp(prefix="newsgen-html-"))
    report: Figures = {"machine": machine(work), "results": []}
    try:
        for n in sizes:
            r = run_size(work, n, newsgen_prefix(args.newsgen))
            report["results"].append(r)
            full, rate = r["full"], r["pages_per_second"]
            print(f"N = {n:,} saved pages: full {full['seconds']:.1f} s ({rate} pages/s), ", end="")
            print(f"peak RSS {full['peak_rss_mb']:.0f} MB")
            print(f"  no-op {r['noop']['seconds']:.2f} s, edit one {r['edit_one']['seconds']:.2f} s, ", end="")
            print(f"add {ADDED} {r['add_100']['seconds']:.1f} s")
            out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
