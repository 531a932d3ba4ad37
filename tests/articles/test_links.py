"""Links from a Markdown article to the files beside it: found when parsed, checked, pointed at the copies."""

from __future__ import annotations

import dataclasses

import pytest

from newsgen.articles.article import render_markdown
from newsgen.articles.links import checked, local_links, relocated, sanitised
from newsgen.models import Article, Line, LocalLink

BODY = """\
# A heading

Some *emphasis*, a [link](https://example.org/a?b=1&c=2), `code <b>` and a table:

| a | b |
|---|---|
| ![photo](photo.png "Its title") | [report](docs/my%20report.pdf#page=2) |

> quoted <img src="raw.png" onerror="alert(1)">

[up](../shared/map.svg) [page](../../2016/) [top](#top) [mail](mailto:a@example.org) [root](/feed.xml)
"""


def found(markdown: str) -> list[tuple[str, bool]]:
    seen: list[tuple[str, bool]] = []
    render_markdown(markdown, lambda url, image: seen.append((url, image)))
    return seen


def test_relative_links_and_images_are_found_with_their_file_and_line() -> None:
    lines = [Line(n, text) for n, text in enumerate(BODY.split("\n"), start=5)]
    assert local_links(found(BODY), "harbour/storm.md", lines) == (
        LocalLink("photo.png", "harbour/photo.png", 11, True),
        LocalLink("docs/my%20report.pdf#page=2", "harbour/docs/my report.pdf", 11, False),
        LocalLink("raw.png", "harbour/raw.png", 13, True),
        LocalLink("../shared/map.svg", "shared/map.svg", 15, False),
    )


@pytest.mark.parametrize("url", ["../../x.png", "../../../etc/passwd", "../.."])
def test_a_link_climbing_out_of_the_content_folder_names_no_file(url: str) -> None:
    assert local_links([(url, True)], "harbour/storm.md", []) == (LocalLink(url, None, None, True),)


def test_a_second_pass_of_the_sanitiser_changes_nothing_but_the_links_it_is_told_to() -> None:
    html = render_markdown(BODY)
    assert sanitised(html, lambda url, image: None) == html
    moved = sanitised(html, lambda url, image: "elsewhere.png" if url == "photo.png" else None)
    assert moved == html.replace('src="photo.png"', 'src="elsewhere.png"')


def article(body: str, links: tuple[LocalLink, ...]) -> Article:
    return Article(
        "harbour/storm.md", "storm", "Storm", None, None, None, "", "harbour", "Harbour", None, (), (), None,
        False, 0, "", "markdown", links=links, paragraphs=(), body_html=render_markdown(body), removed=(),
    )  # fmt: skip


def test_only_links_to_copied_files_stay_and_the_others_are_warnings_if_they_name_a_file() -> None:
    links = local_links(found(BODY), "harbour/storm.md", [Line(9, "![photo](photo.png)")])
    kept = checked(article(BODY, links), {"harbour/photo.png", "harbour/other.png"}, {"harbour/storm.md"})
    assert kept.links == links[:1]
    assert [(w.line, w.message) for w in kept.warnings] == [
        (
            None,
            "link 'docs/my%20report.pdf#page=2' not found: no file harbour/docs/my report.pdf in the content folder",
        ),
        (None, "image 'raw.png' not found: no file harbour/raw.png in the content folder"),
        (None, "link '../shared/map.svg' not found: no file shared/map.svg in the content folder"),
    ]
    assert checked(article("No links.", ()), set(), set()).warnings == ()


def test_relocated_bodies_point_at_the_copies_keeping_query_and_fragment() -> None:
    body = "![photo](photo.png) [report](docs/my%20report.pdf#page=2) [again](photo.png)"
    links = local_links(found(body), "harbour/storm.md", [])
    page = relocated(article(body, links), lambda path: "../../../../" + path)
    assert page.body_html.count('"../../../../harbour/photo.png"') == 2
    assert 'href="../../../../harbour/docs/my%20report.pdf#page=2"' in page.body_html
    unlinked = dataclasses.replace(page, links=())
    assert relocated(unlinked, lambda path: "x") is unlinked
