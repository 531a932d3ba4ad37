"""Acceptance on the shipped sample site: the seed article's page, read back as a browser would."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib

from newsgen.pipeline import BuildReport

SEED_DIR = "2016/09/08/russia-us-deal-on-syrian-reconciliation-not-yet-finalized-talks-to-continue"
NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(path: Path) -> Element:
    return html5lib.parse(path.read_bytes(), transport_encoding="utf-8")  # type: ignore[no-any-return]


def text(element: Element) -> str:
    return "".join(element.itertext())


def test_seed_page(sample_site: tuple[Path, BuildReport]) -> None:
    out, _ = sample_site
    page = out / SEED_DIR / "index.html"
    doc = parse(page)
    article = doc.find(".//h:article", NS)
    assert article is not None
    assert text(article.find(".//h:h1", NS)) == (  # type: ignore[arg-type]
        "Russia-US deal on Syrian reconciliation ‘not yet finalized,’ talks to continue – Kremlin"
    )
    time = article.find(".//h:time", NS)
    assert time is not None and time.get("datetime") == "2016-09-08T14:01:00+03:00"
    body = next(e for e in article.iter() if "article-body" in (e.get("class") or "").split())
    paragraphs = [text(p) for p in body.findall("h:p", NS)]
    assert len(paragraphs) == 15
    assert paragraphs[0].startswith("Russia-US talks on Syrian reconciliation")
    assert paragraphs[-1].endswith("were not disclosed.")
    raw = page.read_text(encoding="utf-8")
    for junk in ("bookmarkicon", "chevron", "Podcasts", "27:19", "26:12", "0:00"):
        assert junk not in raw
    assert not re.search(r"\bfm\b", text(doc))
    script = next(s for s in doc.iter(f"{{{NS['h']}}}script") if s.get("type") == "application/ld+json")
    data = json.loads(text(script))
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2016-09-08T14:01:00+03:00"
    assert data["url"] == f"https://archive.example.org/{SEED_DIR}/"
    assert data["publisher"]["name"] == "RT"


def test_front_page_links_to_the_seed(sample_site: tuple[Path, BuildReport]) -> None:
    out, _ = sample_site
    hrefs = [a.get("href") for a in parse(out / "index.html").iter(f"{{{NS['h']}}}a")]
    assert f"{SEED_DIR}/index.html" in hrefs


def test_every_sample_file_became_a_page(sample_site: tuple[Path, BuildReport]) -> None:
    _out, report = sample_site
    content = Path(__file__).resolve().parent.parent / "content"
    inputs = {p.relative_to(content).as_posix() for p in content.rglob("*") if p.suffix in {".txt", ".md"}}
    assert {a.source_path for a in (*report.articles, *report.standalone)} == inputs
    assert not report.rejected


def test_every_page_has_canonical_opengraph_and_structured_data(sample_site: tuple[Path, BuildReport]) -> None:
    out, report = sample_site
    articles = {a.slug for a in report.articles}
    for page in sorted(out.rglob("*.html")):
        name = page.relative_to(out).as_posix()
        if name in ("404.html", "search/index.html"):
            continue
        doc = parse(page)
        heads = {(m.get("property") or m.get("name")): m.get("content") for m in doc.iter(f"{{{NS['h']}}}meta")}
        canonical = next(link.get("href") for link in doc.iter(f"{{{NS['h']}}}link") if link.get("rel") == "canonical")
        assert canonical == "https://archive.example.org/" + name.removesuffix("index.html"), name
        assert heads["og:url"] == canonical and heads["og:title"] and heads["twitter:card"] == "summary", name
        script = next(s for s in doc.iter(f"{{{NS['h']}}}script") if s.get("type") == "application/ld+json")
        data = json.loads(text(script))
        if page.parent.name in articles and name.count("/") >= 2:
            assert data["@type"] == "NewsArticle" and heads["og:type"] == "article", name
        else:
            assert data["@type"] == ("WebPage" if name == "about/index.html" else "CollectionPage"), name
            crumbs = data["breadcrumb"]["itemListElement"]
            assert crumbs[0]["item"] == "https://archive.example.org/" and crumbs[-1]["item"] == canonical, name
