"""The pages of a site, rendered: relative links, escaping, JSON-LD, template overrides."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.archive.collect import collect
from newsgen.config import config_from_mapping
from newsgen.errors import ThemeError
from newsgen.models import Article
from newsgen.output.environment import make_environment
from newsgen.output.pages import Renderer, links_from

MSK = timezone(timedelta(hours=3))
HOSTILE = '</script><script>alert("x")</script>'


def article(**over: object) -> Article:
    fields: dict[str, object] = dict(
        source_path="rt/a.txt",
        slug="a",
        title="A title",
        published=datetime(2016, 9, 8, 14, 1, tzinfo=MSK),
        updated=None,
        dateline="8 Sep, 2016 14:01",
        lead="Lead.",
        paragraphs=("Lead.", "Two."),
        body_html="<p>Lead.</p>\n<p>Two.</p>",
        source="rt",
        source_name="RT",
        url="https://rt.com/a",
        authors=(),
        tags=(),
        summary=None,
        draft=False,
        word_count=2,
        removed=(),
        content_hash="h",
    )
    fields.update(over)
    return Article(**fields)  # type: ignore[arg-type]


def render_all(items: list[Article], templates: Path | None = None, **settings: object) -> dict[str, str]:
    renderer = Renderer(make_environment(templates), config_from_mapping(settings))
    return {job.path: renderer.html(job) for job in renderer.page_jobs(collect(items))}


def test_links_are_relative_and_name_index_html_by_default() -> None:
    pages = render_all([article()])
    page = pages["2016/09/08/a/index.html"]
    assert 'href="../../../../index.html"' in page
    assert 'href="../../../../assets/style.css"' in page
    assert 'href="2016/09/08/a/index.html"' in pages["index.html"]


def test_pretty_urls_drop_index_html() -> None:
    pages = render_all([article()], pretty_urls=True)
    assert 'href="../../../../"' in pages["2016/09/08/a/index.html"]
    assert 'href="2016/09/08/a/"' in pages["index.html"]


def test_canonical_urls_only_with_base_url() -> None:
    assert "canonical" not in render_all([article()])["2016/09/08/a/index.html"]
    page = render_all([article()], base_url="https://ex.org/news")["2016/09/08/a/index.html"]
    assert '<link rel="canonical" href="https://ex.org/news/2016/09/08/a/">' in page


def test_article_page_structure_and_jsonld() -> None:
    page = render_all([article(authors=("Jane Doe",))])["2016/09/08/a/index.html"]
    assert '<time datetime="2016-09-08T14:01:00+03:00">8 September 2016, 14:01 UTC+03:00</time>' in page
    assert re.search(r'<div class="article-body">\s*<p>Lead.</p>\s*<p>Two.</p>\s*</div>', page)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "A title"
    assert data["datePublished"] == "2016-09-08T14:01:00+03:00"
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert data["publisher"]["name"] == "RT"
    assert data["url"] == "/2016/09/08/a/"


def test_hostile_title_is_escaped_everywhere() -> None:
    pages = render_all([article(title=HOSTILE, lead=HOSTILE)])
    for page in pages.values():
        assert '<script>alert("x")' not in page
    assert "&lt;/script&gt;&lt;script&gt;" in pages["2016/09/08/a/index.html"]
    assert "\\u003c/script\\u003e" in pages["2016/09/08/a/index.html"]


def test_site_template_overrides_one_file_and_can_extend_the_theme(tmp_path: Path) -> None:
    (tmp_path / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block title %}OVERRIDDEN {{ article.title }}{% endblock %}'
    )
    pages = render_all([article()], templates=tmp_path)
    assert "<title>OVERRIDDEN A title</title>" in pages["2016/09/08/a/index.html"]
    assert "OVERRIDDEN" not in pages["index.html"]


@pytest.mark.parametrize(
    ("template", "message"),
    [("{{ no_such_variable }}", "no_such_variable"), ("{% if %}", "index.html:1: template syntax error")],
)
def test_template_errors_name_the_template(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "index.html").write_text(template)
    with pytest.raises(ThemeError, match=message):
        render_all([article()], templates=tmp_path)


def test_an_article_page_is_in_the_articles_language() -> None:
    pages = render_all([article(language="de"), article(slug="b", source_path="rt/b.txt")], language="en")
    assert '<html lang="de">' in pages["2016/09/08/a/index.html"]
    assert '<html lang="en">' in pages["2016/09/08/b/index.html"] and '<html lang="en">' in pages["index.html"]


def days() -> list[Article]:
    """Articles of two days, of a month known only to its month, and undated, newest first."""
    return [
        article(slug="late", published=datetime(2016, 9, 8, 23, 30, tzinfo=MSK)),  # 20:30 UTC: 8 September in Moscow
        article(slug="noon", published=datetime(2016, 9, 8, 12, 0, tzinfo=UTC)),
        article(slug="seventh", published=datetime(2016, 9, 7, 9, 0, tzinfo=UTC)),
        article(slug="month", published=datetime(2016, 8, 1, tzinfo=UTC), month_only=True),
        article(slug="none", published=None),
    ]


def test_lists_are_grouped_under_a_heading_a_day() -> None:
    pages = render_all(days())
    year = re.findall(r'<h2 class="date-heading"[^>]*><time datetime="([\d-]+)">', pages["2016/index.html"])
    assert year == ["2016-09-08", "2016-09-07", "2016-08"]
    front = re.findall(r'<h2 class="date-heading"[^>]*>(.*?)</h2>', pages["index.html"])
    assert front == ["Undated"]  # the newest leads, the next three stand under it, the rest go under their days


segment = st.sampled_from(["2016", "09", "08", "a", "b", "tags", "page", "2"])


@given(st.lists(segment, max_size=5), st.lists(segment, max_size=5), st.sampled_from(["index.html", "x.xml"]))
def test_links_agree_with_relpath(here: list[str], there: list[str], name: str) -> None:
    from_path, to_path = "/".join([*here, "index.html"]), "/".join([*there, name])
    assert links_from(from_path)(to_path) == posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
