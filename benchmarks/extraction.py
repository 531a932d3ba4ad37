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

The line model that newsgen ships was trained on these very pages, so its figure here flatters it. The
figure to trust is held out: with ``--folds K`` (and ``--html``, for the weak labels the training uses)
the pages are split into K folds by site (``site_folds``) and each page is cleaned by a line model
trained, as ``train_cleaner.py`` trains, on the other folds' sites only.

Run: ``python benchmarks/extraction.py ../shared/corpus/extraction/extraction-dev.jsonl.gz --folds 5
--html ../shared/corpus/extraction/extraction-dev-html.tar.gz`` (``--json FILE`` also writes the
figures, ``--misses N`` prints N missed segments of each kind).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import hashlib
import json
import re
import sys
import tarfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsgen.articles.article import parse_article  # noqa: E402
from newsgen.cleaning import cleaner  # noqa: E402
from newsgen.cleaning.linemodel import MODEL_FILE, LineModel  # noqa: E402
from newsgen.cleaning.nonarticle import non_article_reason  # noqa: E402
from newsgen.cleaning.sitewide import profile_sources  # noqa: E402
from newsgen.config import SiteConfig  # noqa: E402
from newsgen.errors import ContentError  # noqa: E402
from newsgen.models import SourceFile  # noqa: E402
from newsgen.pipeline import clean_source  # noqa: E402
from newsgen.sources.loader import parse_source  # noqa: E402

VARIANTS = ("text_html_text", "text_inscriptis")
HTML = "html"  # the HTML path: the saved page read as an .html file
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


def published_texts(
    pages: Sequence[Page],
    variant: str,
    config: SiteConfig,
    models: Sequence[LineModel | None] = (),
    html_pages: Mapping[str, bytes] | None = None,
    repetition: bool = True,
) -> list[str | None]:
    """What newsgen publishes of each page (title and body), None when it publishes nothing.

    The pages of one host are one source, as a content folder of that site would be. ``models``: the
    line model to clean each page with (default: the one newsgen ships). ``variant`` ``HTML``: the saved
    pages themselves (``html_pages``, by page file name) as ``.html`` files; ``repetition``: the
    repetition pass over each host's pages (off: each page cleaned alone).
    """
    sources: list[SourceFile | None] = []
    for n, page in enumerate(pages):
        folder = re.sub(r"[^a-z0-9.-]+", "-", page.host) or "site"
        try:
            if variant == HTML:  # the saved page itself, through trafilatura
                sources.append(parse_source(html_pages[page.name], f"{folder}/{n:04d}.html"))
            else:
                sources.append(parse_source(page.texts[variant].encode("utf-8"), f"{folder}/{n:04d}.txt"))
        except ContentError:
            sources.append(None)
    found = [s for s in sources if s is not None]
    profiles = profile_sources(found, config) if repetition else {}
    out: list[str | None] = []
    for n, source in enumerate(sources):
        model = models[n] if models else None
        if source is None:  # refused when read
            out.append(None)
            continue
        try:
            article = parse_article(source, clean_source(source, profiles, config, model), config)
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


def evaluate(
    pages: Sequence[Page], variant: str, models: Sequence[LineModel | None] = (), config: SiteConfig | None = None
) -> Score:
    texts = published_texts(pages, variant, config or SiteConfig(), models)
    return total(score_page(p, t) for p, t in zip(pages, texts, strict=True))


def keep_everything(pages: Sequence[Page], variant: str) -> Score:
    """The floor: the whole page published as it was scraped."""
    return total(score_page(p, p.texts[variant]) for p in pages)


def _row(name: str, s: Score) -> str:
    figures = f"P {s.precision:.3f}  R {s.recall:.3f}  F {s.f:.3f}"
    return f"  {name:<44} {figures}   ({s.pages} pages, {s.unpublished} unpublished)"


def read_html(archive: Path, pages: Sequence[Page]) -> dict[str, bytes]:
    """The saved HTML of each page, by page file name."""
    wanted = {p.name for p in pages}
    out: dict[str, bytes] = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if name in wanted and member.isfile() and (handle := tar.extractfile(member)) is not None:
                out[name] = handle.read()
    return out


def html_path(pages: Sequence[Page], archive: Path, cache: Path | None) -> dict[str, object]:
    """The HTML path: the saved pages as .html files, with and without the repetition pass; trafilatura alone."""
    from train_cleaner import weak_texts  # trafilatura's own texts (cached with --cache)

    html_pages = read_html(archive, pages)
    print(f"{HTML}: the {len(html_pages)} saved pages as .html files")
    extracted = weak_texts(archive, cache, pages) or {}
    out: dict[str, object] = {}
    alone = total(score_page(p, extracted.get(p.name)) for p in pages)
    print(_row("trafilatura alone (its text)", alone))
    out["trafilatura alone"] = alone.figures()
    for name, repetition in (
        ("newsgen: html, repetition within site", True),
        ("newsgen: html, each page alone", False),
    ):
        started = time.perf_counter()
        texts = published_texts(pages, HTML, SiteConfig(), html_pages=html_pages, repetition=repetition)
        seconds = time.perf_counter() - started
        score = total(score_page(p, t) for p, t in zip(pages, texts, strict=True))
        print(_row(name, score) + f"  {seconds / len(pages) * 1000:.1f} ms a page")
        out[name] = score.figures()
        if repetition:  # the metric counts the title, which trafilatura's text leaves out and the labels often do
            heads = [t.split("\n", 1)[0] + "\n" if t else "" for t in texts]
            titled = total(score_page(p, h + (extracted.get(p.name) or "")) for p, h in zip(pages, heads, strict=True))
            print(_row(TITLED, titled))
            out[TITLED] = titled.figures()
    return out


TITLED = "trafilatura's text under newsgen's title"


UNGATED = "the same, on every page (no furniture gate)"


@contextlib.contextmanager
def _gate(on: bool) -> Iterator[None]:
    """The cleaner's furniture gate as it ships, or off: the line model then judges every page."""
    saved = cleaner._FURNITURE, cleaner._ABOVE
    if not on:
        cleaner._FURNITURE, cleaner._ABOVE = 0, 0
    try:
        yield
    finally:
        cleaner._FURNITURE, cleaner._ABOVE = saved


def _with_line_model(config: SiteConfig, threshold: float) -> SiteConfig:
    return dataclasses.replace(config, cleaning=dataclasses.replace(config.cleaning, line_model=threshold))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="extraction-dev.jsonl.gz (from the shared corpus)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print N missed segments of each kind")
    parser.add_argument("--folds", type=int, default=0, metavar="K", help="held out: K line models, grouped by site")
    parser.add_argument("--html", type=Path, default=None, help="extraction-dev-html.tar.gz, for --folds' training")
    parser.add_argument("--cache", type=Path, default=None, help="keep trafilatura's texts here between runs")
    trained = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["threshold"]
    parser.add_argument(
        "--line-model", type=float, default=trained, metavar="P", help=f"cleaning.line_model (default {trained})"
    )
    parser.add_argument("--ungated", action="store_true", help="also score the line model on every page (no gate)")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)
    models: list[LineModel | None] = []
    if args.folds:
        from train_cleaner import all_rows, held_out_models, weak_texts  # training: LightGBM, trafilatura

        fold_models = held_out_models(pages, all_rows(pages, weak_texts(args.html, args.cache, pages)), args.folds)
        models = [fold_models[f] for f in site_folds(pages, args.folds)]
    sites, hosts = len({p.site for p in pages}), len({p.host for p in pages})
    print(f"{len(pages)} pages from {sites} sites ({hosts} hosts); segments as in trafilatura's evaluation")
    modelled = f"line model {args.line_model}, " + (f"held out ({args.folds} folds)" if models else "trained on these")
    runs = {
        "rules": (_with_line_model(SiteConfig(), 0), ()),
        modelled: (_with_line_model(SiteConfig(), args.line_model), models),
    }
    if args.ungated:
        runs[UNGATED] = runs[modelled]
    results: dict[str, dict[str, object]] = {}
    for variant in VARIANTS:
        print(variant)
        floor = keep_everything(pages, variant)
        print(_row("keep everything", floor))
        results[variant] = {"keep everything": floor.figures()}
        for name, (config, chosen) in runs.items():
            started = time.perf_counter()
            with _gate(name != UNGATED):
                cleaned = evaluate(pages, variant, chosen, config)
            seconds = time.perf_counter() - started
            print(_row(f"newsgen: {name}", cleaned) + f"  {seconds / len(pages) * 1000:.1f} ms a page")
            for label, lines in (("with, lost", cleaned.missed), ("without, kept", cleaned.kept)):
                for line in lines[: args.misses]:
                    print(f"    {label}: {line}")
            results[variant][f"newsgen: {name}"] = cleaned.figures()
    if args.html is not None:
        results[HTML] = html_path(pages, args.html, args.cache)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
