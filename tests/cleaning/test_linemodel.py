"""The line model: features, the shipped model, training, and what the cleaner does with its scores.

The pages in ``fixtures/lines`` are labelled pages in several languages from the shared extraction set.
The shipped model was trained on that set, these pages with it, so what is asserted here is behaviour
(article lines kept, boilerplate removed, in every language) and not a quality figure: the held-out
figures come from ``benchmarks/extraction.py --folds 5``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from test_htmlpage import PARAGRAPHS

from newsgen.articles.article import parse_article
from newsgen.cleaning.cleaner import judge_lines, strip_boilerplate
from newsgen.cleaning.linemodel import FEATURES, MODEL_FILE, LineModel, default_model, page_features
from newsgen.config import CleaningSettings, SiteConfig
from newsgen.errors import ConfigError
from newsgen.models import Line
from newsgen.pipeline import clean_source
from newsgen.sources.loader import parse_source

ROOT = Path(__file__).resolve().parents[2]
PAGES = [json.loads(line) for line in (ROOT / "tests/fixtures/lines/pages.jsonl").read_text("utf-8").splitlines()]
ON = SiteConfig()  # the model is on by default, at the threshold it was trained for
RULES = SiteConfig(cleaning=CleaningSettings(line_model=0))


def load_script(name: str) -> ModuleType:
    """A script of benchmarks/ (not a package), loaded by path with its folder importable."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def squash(text: str) -> str:
    return " ".join(text.split())


def published(text: str, config: SiteConfig) -> str:
    """Title and body as a build publishes them, the page cleaned alone."""
    source = parse_source(text.encode("utf-8"), "site/page.txt")
    article = parse_article(source, clean_source(source, {}, config), config)
    return squash("\n".join((article.title, *article.paragraphs)))


def segments_kept(config: SiteConfig, rendering: str, pages: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(with kept, with, without kept, without) over ``pages``."""
    kept = total = junk_kept = junk = 0
    for page in pages:
        text = published(page[rendering], config)
        kept += sum(squash(s) in text for s in page["with"])
        total += len(page["with"])
        junk_kept += sum(squash(s) in text for s in page["without"])
        junk += len(page["without"])
    return kept, total, junk_kept, junk


@pytest.mark.parametrize("rendering", ["text_html_text", "text_inscriptis"])
def test_the_model_keeps_article_text_and_removes_boilerplate_in_every_language(rendering: str) -> None:
    judged = [p for p in PAGES if published(p[rendering], ON) != published(p[rendering], RULES)]
    assert len(judged) >= 5, len(judged)  # the rest, the gate left to the rules (too little furniture kept)
    kept, total, junk_kept, junk = segments_kept(ON, rendering, judged)
    assert kept / total >= 0.9, (kept, total)
    _, _, rules_junk_kept, _ = segments_kept(RULES, rendering, judged)
    assert rules_junk_kept / junk >= 0.8  # the rules alone keep most of a page they were not written for
    assert junk_kept <= rules_junk_kept / 3, (junk_kept, rules_junk_kept)  # the model takes most of it


def test_on_by_default_and_zero_leaves_the_rules_alone() -> None:
    assert SiteConfig().cleaning.line_model == json.loads(MODEL_FILE.read_text("utf-8"))["threshold"]
    lines = [Line(n, t) for n, t in enumerate(PAGES[1]["text_html_text"].split("\n"), 1)]
    rules = strip_boilerplate(lines)
    assert judge_lines(lines, rules, 0) is rules
    source = parse_source(PAGES[1]["text_html_text"].encode("utf-8"), "site/page.txt")
    assert clean_source(source, {}, RULES) == rules
    assert clean_source(source, {}, ON) != rules


def test_removed_lines_say_they_were_the_models_and_how_sure_it_was() -> None:
    lines = [Line(n, t) for n, t in enumerate(PAGES[1]["text_html_text"].split("\n"), 1)]
    cleaned = judge_lines(lines, strip_boilerplate(lines), 0.4)
    judged = [r for r in cleaned.removed if r.rule == "line-model"]
    assert judged
    assert all(r.score is not None and 0 <= r.score < 0.4 for r in judged)
    assert {ln.number for ln in cleaned.kept}.isdisjoint(r.number for r in cleaned.removed)
    assert len(cleaned.kept) + len(cleaned.removed) == len(lines)


MENU = ["Politics", "Economy", "Science", "Culture", "Opinion", "Travel", "Health", "Education", "Media", "Motoring"]
BODY = PARAGRAPHS  # a real article's paragraphs: the saved-page tests' own


def test_the_lines_above_the_article_are_left_for_the_header() -> None:
    text = "\n".join([*MENU, "", "Storm closes the harbour", "12 March 2024", "", *(f"{p}\n" for p in BODY), *MENU])
    source = parse_source(text.encode("utf-8"), "site/storm.txt")
    article = parse_article(source, clean_source(source, {}, ON), ON)
    assert article.title == "Storm closes the harbour"
    assert article.published is not None and article.published.date().isoformat() == "2024-03-12"
    assert article.paragraphs == tuple(BODY)
    gone = {r.text for r in article.removed if r.rule == "line-model"}
    assert gone and gone <= set(MENU)


def test_the_pages_own_title_first_gives_the_headline_not_what_the_model_kept_first() -> None:
    """A whole page saved as text starts with its <title>; judged, it went with the menus around it."""
    top = ["Storm closes the harbour | The Gazette", *MENU, "", "Video", "Photo of the day"]
    text = "\n".join([*top, "", "Storm closes the harbour", "12 March 2024", "", *(f"{p}\n" for p in BODY), *MENU])
    source = parse_source(text.encode("utf-8"), "site/storm.txt")
    article = parse_article(source, clean_source(source, {}, ON), ON)
    assert article.title == "Storm closes the harbour"
    assert article.paragraphs == tuple(BODY)  # the headline printed again is the title, not a paragraph
    assert article.published is not None and article.published.date().isoformat() == "2024-03-12"
    rules = {r.text: r.rule for r in article.removed}
    assert rules[top[0]] == "title" and rules["Storm closes the harbour"] == "title-repeat"  # not the model's


def test_text_a_scraper_already_extracted_is_left_to_the_rules() -> None:
    """No furniture around the article: the short lines are the article's own list, not a menu."""
    items = ["Cedar Bayou at FM 1942: 51.88", "Clear Creek at I-45: 49.40", "Dayton 0.2 E: 49.23", "Friendswood: 44.05"]
    text = "\n".join(["Storm closes the harbour", "", BODY[0], "", *items, "", BODY[1], "", BODY[2]])
    lines = [Line(n, t) for n, t in enumerate(text.split("\n"), 1)]
    rules = strip_boilerplate(lines)
    assert judge_lines(lines, rules, 0.4) is rules
    framed = "\n".join([*MENU, *MENU, "", text, "", *MENU])  # the same text in its page: the menus go, the list stays
    lines = [Line(n, t) for n, t in enumerate(framed.split("\n"), 1)]
    gone = {r.text for r in judge_lines(lines, strip_boilerplate(lines), 0.4).removed}
    assert set(MENU) <= gone


def test_a_page_with_no_line_of_article_is_left_to_the_rules() -> None:
    lines = [Line(n, t) for n, t in enumerate(MENU, 1)]
    rules = strip_boilerplate(lines)
    assert judge_lines(lines, rules, 0.4) == rules


def test_the_shipped_model_reads_the_features_this_version_computes() -> None:
    data = json.loads(MODEL_FILE.read_text("utf-8"))
    assert data["features"] == list(FEATURES)
    model = default_model()
    scores = model.scores(page_features(["Home", "A line of text that reads like a sentence of news."], [0, 1]))
    assert scores.shape == (2,) and np.all((scores > 0) & (scores < 1))


def _features_digest(seed: str) -> str:
    code = (
        "import hashlib, json, sys; sys.path.insert(0, 'benchmarks');"
        "from train_cleaner import page_lines; from newsgen.cleaning.linemodel import page_features;"
        "pages = [json.loads(l) for l in open('tests/fixtures/lines/pages.jsonl', encoding='utf-8')];"
        "print(hashlib.sha256(b''.join(page_features(*page_lines(p[v])).tobytes()"
        " for p in pages for v in ('text_html_text', 'text_inscriptis'))).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_features_do_not_depend_on_the_hash_seed() -> None:
    assert _features_digest("1") == _features_digest("2")


def test_training_twice_gives_the_same_file_and_numpy_walks_the_trees_as_lightgbm(tmp_path: Path) -> None:
    train = load_script("train_cleaner")
    rows = [r for page in train.all_rows([_page(train, p) for p in PAGES], None) for r in page]
    first, second = train.fit(rows), train.fit(rows)
    assert json.dumps(first) == json.dumps(second)
    model = LineModel.from_json(first)
    x, y, w = (np.concatenate([r[k] for r in rows]) for k in range(3))
    assert np.allclose(model.scores(x), train.train_booster(x, y, w).predict(x), atol=1e-6)


def _page(train: ModuleType, row: dict[str, object]) -> object:
    extraction = sys.modules.get("extraction") or load_script("extraction")
    return extraction.Page(
        "host", "site", row["file"], tuple(row["with"]), tuple(row["without"]), {v: row[v] for v in train.VARIANTS}
    )


def test_a_model_for_other_features_is_refused() -> None:
    data = json.loads(MODEL_FILE.read_text("utf-8"))
    with pytest.raises(ValueError, match="other features"):
        LineModel.from_json({**data, "features": data["features"][:-1]})


def test_a_new_model_file_is_a_new_cache(tmp_path: Path) -> None:
    from newsgen.incremental.keys import code_digest

    (tmp_path / "cleaner.py").write_bytes((ROOT / "newsgen/cleaning/cleaner.py").read_bytes())
    (tmp_path / MODEL_FILE.name).write_bytes(MODEL_FILE.read_bytes())
    before = code_digest(tmp_path)
    (tmp_path / MODEL_FILE.name).write_bytes(MODEL_FILE.read_bytes().replace(b'"depth":', b'"depth" :'))
    assert code_digest(tmp_path) != before  # cleaned lines cached under the old model are not read


def test_setting_it_per_source_in_site_yaml(tmp_path: Path) -> None:
    from newsgen.config import load_config

    yaml = "cleaning:\n  line_model: 0\nsources:\n  wire:\n    cleaning:\n      line_model: 0.5\n"
    (tmp_path / "site.yaml").write_text(yaml, "utf-8")
    config = load_config(tmp_path / "site.yaml")
    assert config.cleaning_for("wire").line_model == 0.5
    assert config.cleaning_for("other").line_model == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("cleaning:\n  line_model: 1.5\n", "utf-8")
    with pytest.raises(ConfigError, match="line_model must be between 0 and 1"):
        load_config(bad)
