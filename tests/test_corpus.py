"""The cleaner on real scraped news: gold-set figures, the import-and-build acceptance, property tests."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.cleaning.cleaner import strip_boilerplate
from newsgen.cleaning.prose import reads_as_prose
from newsgen.cleaning.sitewide import profile_source
from newsgen.config import CleaningSettings
from newsgen.errors import ContentError
from newsgen.models import Line
from newsgen.sources.loader import parse_source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def load_benchmark() -> ModuleType:
    """benchmarks/cleaning.py is a script, not a package: load it by path."""
    spec = importlib.util.spec_from_file_location("cleaning_benchmark", ROOT / "benchmarks" / "cleaning.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark()


# --- the gold set itself ------------------------------------------------------------------------------


def test_gold_set_covers_enough_articles_and_sites_and_matches_the_corpus(bench: ModuleType) -> None:
    rows = {r["id"]: r for r in bench.load_rows()}
    gold = bench.load_gold()
    articles = [g for g in gold.values() if g.kind == "article"]
    assert len(articles) >= 40
    assert len({g.site for g in articles}) >= 8
    for path in sorted((CORPUS / "gold").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        content = rows[str(doc["id"])]["content"].split("\n")
        assert " ".join(rows[str(doc["id"])]["title"].split()) == doc["title"], path.name
        for key in ("boilerplate", "header"):
            for number, text in (doc.get(key) or {}).items():  # each label quotes the line it labels
                assert content[int(number) - 1].strip() == text, f"{path.name}: {key} line {number}"


# --- measured quality (benchmarks/cleaning.py prints the same figures) --------------------------------


def test_gold_figures_meet_the_targets(bench: ModuleType) -> None:
    gold = bench.load_gold()
    overall = bench.total(bench.run(bench.load_rows(), gold, CleaningSettings()).values())
    assert overall.recall >= 0.95, overall.missed_lines
    assert overall.lost <= 0.005, overall.lost_lines
    assert overall.title_share >= 0.98
    assert overall.precision >= 0.95
    assert overall.non_articles_found == overall.non_articles


def test_leave_one_site_out_figures_meet_the_targets(bench: ModuleType) -> None:
    pooled, _ = bench.leave_one_site_out(bench.load_rows(), bench.load_gold())
    assert pooled.recall >= 0.95
    assert pooled.lost <= 0.005
    assert pooled.title_share >= 0.98


# --- acceptance: import the corpus, build it, every row accounted for, no junk on any page -------------

JUNK = [
    re.compile(r"Headline: Bitcoin"),  # the promo line of 130 articles
    re.compile(r"% of readers think"),  # the reader poll
    re.compile(r"Add your two cents"),
    re.compile(r"<p>Source:", re.I),  # "Source: URL" lines, and the label left when the URL went
    re.compile(r"(?i)we encourage you to share|freely (?:shared|reproduced)|republished with permission"),
]


def test_every_corpus_row_is_a_page_a_duplicate_or_a_named_non_article(
    corpus_build: tuple[Path, dict[str, object]],
) -> None:
    root, report = corpus_build
    files = {p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.txt")}
    assert len(files) == 204
    pages = {a["source"] for a in report["articles"]}  # type: ignore[attr-defined]
    assert report["rejected"] == []  # every row could be read and parsed
    left_out = {n["source"] for n in report["non_articles"] if not n["published"]}  # type: ignore[attr-defined]
    copies = {d["source"] for d in report["duplicates"]}  # type: ignore[attr-defined]
    assert pages | left_out | copies == files
    assert len(pages) + len(left_out) + len(copies) == 204
    assert all(n["reason"].startswith("not an article: ") for n in report["non_articles"])  # type: ignore[attr-defined]
    assert report["removals"]["by_rule"]["repeated-in-source"] > 100  # type: ignore[index]


def test_corpus_site_links_resolve_and_pages_parse(corpus_build: tuple[Path, dict[str, object]]) -> None:
    from test_pipeline import assert_links_resolve, parse_html

    site = corpus_build[0] / "_site"
    assert assert_links_resolve(site) > 1000
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 184
    for page in pages:
        assert parse_html(page.read_bytes())[1] == [], page.relative_to(site).as_posix()


def test_no_corpus_page_shows_promo_poll_share_or_source_lines(corpus_build: tuple[Path, dict[str, object]]) -> None:
    root, _ = corpus_build
    for page in sorted((root / "_site").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        body = html.split('<div class="article-body">', 1)[-1].split("</div>", 1)[0] if "article-body" in html else ""
        for pattern in JUNK:
            assert not pattern.search(body), f"{page.relative_to(root)}: {pattern.pattern}"


def test_identical_corpus_articles_do_not_make_their_own_text_boilerplate() -> None:
    lines = ["A shared sentence that both copies of the article carry in full."]
    profile = profile_source(
        [["Title one", *lines], ["Title two", *lines], ["Other", "Different text."]], CleaningSettings()
    )
    assert profile.articles == 2
    assert profile.articles_with(lines[0]) == 1


# --- property tests ------------------------------------------------------------------------------------

WORDS = """the council said on tuesday that its budget for roads and schools would rise next year after a long
debate among members who had argued over taxes harbour ferry plans river town market farmers""".split()
sentence = st.lists(st.sampled_from(WORDS), min_size=9, max_size=30).map(lambda w: " ".join(w).capitalize() + ".")
junk = st.sampled_from(["Share this", "Headline: Buy gold now!", "Source: http://x.org/a", "Tweet", "Read more", ""])


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_loader_never_raises_anything_but_content_error_on_bytes(data: bytes) -> None:
    try:
        source = parse_source(data, "x.txt")
    except ContentError:
        return
    strip_boilerplate(source.lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=80), max_size=12), min_size=1, max_size=5))
def test_cleaner_never_raises_with_a_source_profile(texts: list[list[str]]) -> None:
    profile = profile_source(texts, CleaningSettings())
    for lines in texts:
        result = strip_boilerplate([Line(n, t) for n, t in enumerate(lines, 1)], profile=profile)
        assert len(result.kept) + len(result.removed) == len(lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(sentence | junk, min_size=1, max_size=12), min_size=1, max_size=6))
def test_prose_found_in_only_one_article_is_never_dropped(articles: list[list[str]]) -> None:
    profile = profile_source(articles, CleaningSettings())
    for lines in articles:
        result = strip_boilerplate([Line(n, t) for n, t in enumerate(lines, 1)], profile=profile)
        for removed in result.removed:
            unique = profile.articles_with(removed.text) == 1
            assert not (unique and reads_as_prose(removed.text)), removed


def test_the_imported_corpus_is_dated_from_its_urls_and_says_where_each_date_came_from(
    corpus_build: tuple[Path, dict[str, object]],
) -> None:
    folder, report = corpus_build
    articles = report["articles"]
    assert isinstance(articles, list)
    origins = Counter(a["date_from"] for a in articles)
    assert sum(n for origin, n in origins.items() if origin) >= 150, origins  # 5 had a date only before
    assert all((a["date"] is None) == (a["date_from"] is None) for a in articles)
    from_url = [a for a in articles if a["date_from"] == "url"]
    assert from_url
    for article in from_url:
        text = (folder / "content" / article["source"]).read_text(encoding="utf-8")
        address = yaml.safe_load(text.split("---\n")[1])["url"]
        found = re.search(r"/(\d{4})/(\d{2})/(?:(\d{2})/)?", address)
        assert found, address
        year, month, day = found.groups()
        assert article["date"].startswith(f"{year}-{month}-{day or '01'}")
        # a month alone is filed under the month, never under a day it is not
        assert article["url"] == f"/{year}/{month}/{day + '/' if day else ''}{article['url'].split('/')[-2]}/"
