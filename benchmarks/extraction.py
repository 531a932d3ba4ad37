"""How well newsgen cleans pages from sites it has never seen: trafilatura's segment metric.

Input: ``extraction-dev.jsonl.gz`` from the shared corpus (884 pages from about 830 sites, several
languages, each with hand-picked ``with`` segments of the main text and ``without`` segments of
boilerplate; see that folder's README). The file stays out of the repository: pass its path.

Each page is a scraped text file as a scraper saves it, in two common renderings (``text_html_text``,
``text_inscriptis``). Pages are filed one folder per site and cleaned the way ``newsgen build`` cleans a
content folder: loader → per-file rules + repetition within the site → header and body → the
non-article test. What newsgen would publish is the title and the body paragraphs (nothing, when the
page is rejected or judged not to be an article).

The metric is trafilatura's evaluation (``tests/comparison.py``): with whitespace collapsed on both
sides, every ``with`` segment found in the published text is a true positive and every one missing a
false negative; every ``without`` segment found is a false positive, every one missing a true negative.
Precision, recall and F over all segments of all pages.

Held-out figures only: nothing in today's cleaner is learned from these labels, so every page is
scored by a cleaner that never saw its site. A learned cleaner must be scored with grouped k-fold by
site (``site_folds``): each page by a model trained on the other folds' sites only.

Run: ``python benchmarks/extraction.py ../shared/corpus/extraction/extraction-dev.jsonl.gz``
(``--json FILE`` also writes the figures, ``--misses N`` prints N missed segments of each kind).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsgen.article import parse_article  # noqa: E402
from newsgen.config import SiteConfig  # noqa: E402
from newsgen.errors import ContentError  # noqa: E402
from newsgen.loader import parse_source  # noqa: E402
from newsgen.nonarticle import non_article_reason  # noqa: E402
from newsgen.parsing import clean_source, profile_sources  # noqa: E402

VARIANTS = ("text_html_text", "text_inscriptis")
_LEADING_HOST = re.compile(r"(?i)[a-z0-9.]+\.[a-z]{2,}")  # "site.com" of "site.com-headline.html"
_ARCHIVED = re.compile(r"^/web/\d+[a-z_]*/(.+)$")


@dataclass(frozen=True, slots=True)
class Page:
    """One labelled page: where it is from, its segments, and its text in each rendering."""

    host: str  # a content folder of its own, as one scraped site
    site: str  # the unit of grouped folds: pages of one site are never split between training and scoring
    name: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    texts: Mapping[str, str]


@dataclass(slots=True)
class Score:
    """Segment counts, as trafilatura's evaluation keeps them."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    pages: int = 0
    unpublished: int = 0  # pages that published nothing (rejected, or judged not an article)
    missed: list[str] = field(default_factory=list)  # ``with`` segments lost
    kept: list[str] = field(default_factory=list)  # ``without`` segments published

    def add(self, other: Score) -> None:
        for name in ("tp", "fn", "fp", "tn", "pages", "unpublished"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += other.missed
        self.kept += other.kept

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float | int]:
        counts = {k: v for k, v in asdict(self).items() if k not in ("missed", "kept")}
        return {**counts, "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f": round(self.f, 4)}


def host_of(url: str, file: str) -> str:
    """The host a page comes from (the archived page's, for the Wayback Machine)."""
    parts = urlsplit(url[url.find("http") :] if "://" in url else "")  # one address is "xhttps://…"
    host = parts.netloc.lower()
    if host == "web.archive.org":
        inner = _ARCHIVED.match(parts.path)
        if inner:
            host = urlsplit(unquote(inner.group(1)) if "//" in inner.group(1) else "http://" + inner.group(1)).netloc
    if not host:  # an address such as "hard::site.com-page.html": the file name starts with the site
        found = _LEADING_HOST.match(file)
        host = found.group(0) if found else file
    return host.lower().removeprefix("www.")


def site_of(host: str) -> str:
    """The registrable domain, so that a site's subdomains share a fold: "news.bbc.co.uk" is "bbc.co.uk"."""
    labels = host.split(".")
    keep = 3 if len(labels) > 2 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def load_pages(path: Path) -> list[Page]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [
        Page(
            host_of(row["url"], row["file"]),
            site_of(host_of(row["url"], row["file"])),
            row["file"],
            tuple(s for s in row["with"] if s),
            tuple(s for s in row["without"] if s),
            {v: row[v] for v in VARIANTS},
        )
        for row in rows
    ]


def site_folds(pages: Sequence[Page], k: int = 5) -> list[int]:
    """Each page's fold, all pages of a site in one (by a hash of the site: the same split every run)."""
    return [int(hashlib.sha256(p.site.encode()).hexdigest(), 16) % k for p in pages]


def squash(text: str) -> str:
    return " ".join(text.split())


def published_texts(pages: Sequence[Page], variant: str, config: SiteConfig) -> list[str | None]:
    """What newsgen publishes of each page (title and body), None when it publishes nothing.

    The pages of one host are one source, as a content folder of that site would be.
    """
    sources = []
    for n, page in enumerate(pages):
        path = f"{re.sub(r'[^a-z0-9.-]+', '-', page.host) or 'site'}/{n:04d}.txt"
        sources.append(parse_source(page.texts[variant].encode("utf-8"), path))
    profiles = profile_sources(sources, config)
    out: list[str | None] = []
    for source in sources:
        try:
            article = parse_article(source, clean_source(source, profiles, config), config)
        except ContentError:
            out.append(None)
            continue
        if non_article_reason(article, config.cleaning) is not None:
            out.append(None)
            continue
        out.append("\n".join((article.title, *article.paragraphs)))
    return out


def score_page(page: Page, published: str | None) -> Score:
    text = squash(published or "")
    score = Score(pages=1, unpublished=int(published is None))
    for segment in page.with_:
        if squash(segment) in text:
            score.tp += 1
        else:
            score.fn += 1
            score.missed.append(f"{page.name}: {squash(segment)[:100]}")
    for segment in page.without:
        if squash(segment) in text:
            score.fp += 1
            score.kept.append(f"{page.name}: {squash(segment)[:100]}")
        else:
            score.tn += 1
    return score


def total(scores: Iterable[Score]) -> Score:
    out = Score()
    for s in scores:
        out.add(s)
    return out


def evaluate(pages: Sequence[Page], variant: str, config: SiteConfig | None = None) -> Score:
    texts = published_texts(pages, variant, config or SiteConfig())
    return total(score_page(p, t) for p, t in zip(pages, texts, strict=True))


def keep_everything(pages: Sequence[Page], variant: str) -> Score:
    """The floor: the whole page published as it was scraped."""
    return total(score_page(p, p.texts[variant]) for p in pages)


def _row(name: str, s: Score) -> str:
    figures = f"P {s.precision:.3f}  R {s.recall:.3f}  F {s.f:.3f}"
    return f"  {name:<28} {figures}   ({s.pages} pages, {s.unpublished} unpublished)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="extraction-dev.jsonl.gz (from the shared corpus)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print N missed segments of each kind")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)
    sites, hosts = len({p.site for p in pages}), len({p.host for p in pages})
    print(f"{len(pages)} pages from {sites} sites ({hosts} hosts); segments as in trafilatura's evaluation")
    results: dict[str, dict[str, object]] = {}
    for variant in VARIANTS:
        started = time.perf_counter()
        cleaned = evaluate(pages, variant)
        seconds = time.perf_counter() - started
        floor = keep_everything(pages, variant)
        print(variant)
        print(_row("keep everything", floor))
        print(_row("newsgen", cleaned) + f"  {seconds / len(pages) * 1000:.1f} ms a page")
        for label, lines in (("with, lost", cleaned.missed), ("without, kept", cleaned.kept)):
            for line in lines[: args.misses]:
                print(f"    {label}: {line}")
        results[variant] = {"keep_everything": floor.figures(), "newsgen": cleaned.figures()}
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
