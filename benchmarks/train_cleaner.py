"""Train the line model (``newsgen/cleaning/cleaner_model.json``) that the cleaner asks about lines no rule removed.

Data: the labelled pages of the shared extraction set (``extraction-dev.jsonl.gz``: hundreds of sites,
several languages), each in both scraped-text renderings. A line is labelled from the page's
hand-picked segments: article (it holds a ``with`` segment, or is a long part of one) or boilerplate
(the same for ``without``). Only about 3% of lines get such a label, too few to learn what a menu or a
teaser list looks like; with ``--html`` (the set's HTML pages), every other line gets a weak label,
weighted down: whether trafilatura, reading the page's HTML, kept it. The model never sees a page's
site, address or wording, only the line features of ``newsgen.cleaning.linemodel``.

Deterministic: the same data gives the same file (LightGBM on one thread, fixed seeds; numbers rounded).
``benchmarks/extraction.py --folds K`` scores it held out: each page cleaned by a model trained on the
other sites only.

Run: ``python benchmarks/train_cleaner.py ../shared/corpus/extraction/extraction-dev.jsonl.gz
--html ../shared/corpus/extraction/extraction-dev-html.tar.gz`` (needs ``pip install -e '.[train]'``).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction import VARIANTS, Page, load_pages, read_html, site_folds, squash  # noqa: E402

from newsgen.cleaning.linemodel import FEATURES, MODEL_FILE, LineModel, page_features  # noqa: E402

# A trafilatura label counts this much against a hand-picked segment's: the best held-out F of 1, 0.3, 0.1,
# 0.05, 0.03 and 0.01 (0.870, 0.883, 0.891, 0.893, 0.894, 0.893 at threshold 0.4, html-text rendering).
WEAK_WEIGHT = 0.03
THRESHOLD = 0.4  # a line scoring below this is removed (held-out best F on the labelled segments)
ROUNDS = 300  # trees
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.06,
    "max_depth": 6,
    "num_leaves": 40,
    "min_data_in_leaf": 50,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "seed": 0,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbosity": -1,
}


def page_lines(text: str) -> tuple[list[str], list[int]]:
    """A page's non-blank lines, whitespace collapsed, and each one's block (as the cleaner sees them)."""
    texts: list[str] = []
    blocks: list[int] = []
    block, blank = 0, False
    for raw in text.split("\n"):
        line = squash(raw)
        if not line:
            blank = True
            continue
        if blank and texts:
            block += 1
        blank = False
        texts.append(line)
        blocks.append(block)
    return texts, blocks


def segment_labels(page: Page, texts: Sequence[str]) -> list[float | None]:
    """1 for a line of a ``with`` segment, 0 for one of a ``without`` segment, None for the rest."""
    keep = [squash(s) for s in page.with_]
    drop = [squash(s) for s in page.without]

    def holds(line: str, segments: Sequence[str]) -> bool:
        return any(s in line or (len(line) >= 10 and line in s) for s in segments)

    out: list[float | None] = []
    for line in texts:
        kept, dropped = holds(line, keep), holds(line, drop)
        out.append(1.0 if kept and not dropped else 0.0 if dropped and not kept else None)
    return out


def trafilatura_texts(html_archive: Path, pages: Sequence[Page]) -> dict[str, str]:
    """What trafilatura keeps of each page's HTML (its main text), by page file name."""
    import trafilatura  # training only

    return {
        name: trafilatura.extract(data, include_comments=False, include_tables=True) or ""
        for name, data in read_html(html_archive, pages).items()
    }


def weak_labels(texts: Sequence[str], extracted: str) -> list[float]:
    """1 for a line trafilatura kept (a whole line of its text, or a long part of it), else 0."""
    whole = squash(extracted)
    lines = {squash(x) for x in extracted.split("\n")}
    return [1.0 if t in lines or (len(t) >= 20 and t in whole) else 0.0 for t in texts]


Rows = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def page_rows(page: Page, variant: str, extracted: str | None) -> Rows:
    """Features, labels and weights of a page's labelled lines."""
    texts, blocks = page_lines(page.texts[variant])
    features = page_features(texts, blocks)
    strong = segment_labels(page, texts)
    weak = weak_labels(texts, extracted) if extracted is not None else [None] * len(texts)
    labels = [s if s is not None else w for s, w in zip(strong, weak, strict=True)]
    weights = [1.0 if s is not None else WEAK_WEIGHT for s in strong]
    chosen = [i for i, label in enumerate(labels) if label is not None]
    return (
        features[chosen],
        np.array([labels[i] for i in chosen], dtype=np.float64),
        np.array([weights[i] for i in chosen], dtype=np.float64),
    )


def train_booster(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], w: npt.NDArray[np.float64]) -> Any:
    """LightGBM's trees for features ``x``, labels ``y`` and weights ``w`` (the same data, the same trees)."""
    import lightgbm  # training only

    return lightgbm.train(PARAMS, lightgbm.Dataset(x, y, weight=w), num_boost_round=ROUNDS)


def fit(rows: Sequence[Rows]) -> dict[str, Any]:
    """Train on ``rows`` and return the model as the JSON ``LineModel.from_json`` reads."""
    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    w = np.concatenate([r[2] for r in rows])
    booster = train_booster(x, y, w)
    trees = [_flat_tree(t["tree_structure"]) for t in booster.dump_model()["tree_info"]]
    return {
        "about": "newsgen line model: gradient-boosted trees over newsgen.cleaning.linemodel.FEATURES; see "
        "train_cleaner.py",
        "features": list(FEATURES),
        "depth": PARAMS["max_depth"],
        "threshold": THRESHOLD,
        "trees": trees,
    }


def _flat_tree(root: Mapping[str, Any]) -> dict[str, list[Any]]:
    """A LightGBM tree as parallel lists, root first; a leaf has feature -1."""
    tree: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right", "value")}

    def add(node: Mapping[str, Any]) -> int:
        at = len(tree["feature"])
        for k in tree:
            tree[k].append(None)
        if "leaf_value" in node:
            tree["feature"][at], tree["threshold"][at], tree["left"][at], tree["right"][at] = -1, 0.0, -1, -1
            tree["value"][at] = round(float(node["leaf_value"]), 8)
            return at
        assert node["decision_type"] == "<=", node["decision_type"]  # no missing values: features are numbers
        tree["feature"][at] = int(node["split_feature"])
        tree["threshold"][at] = float(node["threshold"])
        tree["value"][at] = 0.0
        tree["left"][at] = add(node["left_child"])
        tree["right"][at] = add(node["right_child"])
        return at

    add(root)
    return tree


def clean_rows(extracted: str) -> Rows:
    """trafilatura's text of a page as a page of its own, every line the article's.

    Scrapers that extract the article (newspaper, trafilatura) leave text that is nearly all article;
    trained on whole pages alone, the model took such a text's first and last paragraphs for chrome.
    """
    texts, blocks = page_lines(extracted)
    n = len(texts)
    return page_features(texts, blocks), np.ones(n), np.full(n, WEAK_WEIGHT)


def all_rows(pages: Sequence[Page], extracted: Mapping[str, str] | None) -> list[list[Rows]]:
    """Each page's rows, both renderings and its extracted text (all go to the same side of a fold)."""
    out = []
    for p in pages:
        text = extracted.get(p.name) if extracted is not None else None
        rows = [page_rows(p, v, text) for v in VARIANTS]
        if text:
            rows.append(clean_rows(text))
        out.append(rows)
    return out


def held_out_models(pages: Sequence[Page], rows: Sequence[Sequence[Rows]], k: int) -> list[LineModel]:
    """One model per fold, each trained on the pages of the other folds' sites only."""
    folds = site_folds(pages, k)
    models = []
    for fold in range(k):
        train = [r for f, page_rows_ in zip(folds, rows, strict=True) if f != fold for r in page_rows_]
        models.append(LineModel.from_json(fit(train)))
    return models


def weak_texts(html: Path | None, cache: Path | None, pages: Sequence[Page]) -> dict[str, str] | None:
    """trafilatura's texts of the pages (None without ``html``), kept in ``cache`` when given: a minute's work."""
    if html is None:
        return None
    if cache is not None and cache.exists():
        return dict(pickle.loads(cache.read_bytes()))
    extracted = trafilatura_texts(html, pages)
    if cache is not None:
        cache.write_bytes(pickle.dumps(extracted))
    return extracted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="extraction-dev.jsonl.gz (from the shared corpus)")
    parser.add_argument("--html", type=Path, default=None, help="extraction-dev-html.tar.gz: weak labels from it")
    parser.add_argument("--output", type=Path, default=MODEL_FILE, help=f"model file (default: {MODEL_FILE})")
    parser.add_argument("--cache", type=Path, default=None, help="keep trafilatura's texts here between runs")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)
    model = fit([r for page in all_rows(pages, weak_texts(args.html, args.cache, pages)) for r in page])
    args.output.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    size = args.output.stat().st_size
    print(f"{args.output}: {len(model['trees'])} trees over {len(FEATURES)} features, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
