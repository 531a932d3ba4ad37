"""Slugs: readable, ASCII where a transliteration exists, never a path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.pipeline import BuildReport
from newsgen.text.slugs import MAX_BYTES, MAX_LENGTH, slugify

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Russia-US deal on Syrian reconciliation ‘not yet finalized,’ talks to continue – Kremlin",
            "russia-us-deal-on-syrian-reconciliation-not-yet-finalized-talks-to-continue",
        ),
        ("Ça va? Über Straße", "ca-va-uber-strasse"),
        ("Путин и Обама встретились", "putin-i-obama-vstretilis"),
        ("Ελληνικά νέα", "ellinika-nea"),
        ("Łódź, Ærø and Þingvellir", "lodz-aero-and-thingvellir"),
        ("北京 news 2018", "北京-news-2018"),
        ("It's O'Brien's day", "its-obriens-day"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "scriptalert1-script"),
        ("   ", "article"),
        ("!!!", "article"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= MAX_LENGTH
    assert slug.endswith("word")


ASTRAL = "\U00020000\U00020001\U00020002"  # CJK ideographs past the BMP: four bytes each in UTF-8


@pytest.mark.parametrize("text", [ASTRAL * 34, "\U00013000" * 102, "北京" * 60, ("\U00020000" * 30 + " ") * 4])
def test_a_slug_is_a_file_name_in_bytes_with_room_for_a_suffix(text: str) -> None:
    slug = slugify(text)
    assert len(slug.encode()) <= MAX_BYTES
    assert len(f"{slug}-10000".encode()) <= 255  # a file system's limit on one name
    assert text.replace(" ", "-").startswith(slug)  # cut at a character, nothing mangled


def test_article_tag_author_and_source_of_astral_characters_build(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    long = ASTRAL * 34  # 102 characters, 408 bytes: "File name too long" before slugs were cut in bytes
    front = f"title: {long}\ndate: 2018-01-25\ntags: [{long}]\nauthors: [{long}]\nsource: {long}\n"
    make_content(
        {
            "news/a.md": f"---\n{front}---\n\nThe council approved the ferry budget.\n",
            "news/b.md": f"---\n{front}---\n\nThe harbour opened again on Monday.\n",
        }
    )
    report = build()
    assert not report.rejected and len(report.articles) == 2
    written = [p.relative_to(tmp_path / "_site") for p in (tmp_path / "_site").rglob("*")]
    assert max(len(part.encode()) for p in written for part in p.parts) <= 255
    slug = report.articles[0].slug.removesuffix("-2")
    assert (tmp_path / "_site" / "2018/01/25" / slug / "index.html").is_file()
    assert (tmp_path / "_site" / "2018/01/25" / f"{slug}-2" / "index.html").is_file()
    for folder in ("tags", "authors", "sources"):
        assert (tmp_path / "_site" / folder / slug / "index.html").is_file()


@given(st.text())
def test_slugs_are_always_safe_path_parts(text: str) -> None:
    slug = slugify(text)
    assert slug and slug not in {".", ".."}
    assert "/" not in slug and "\\" not in slug and "." not in slug
    assert slug == slug.strip("-")
    assert len(slug) <= MAX_LENGTH
    assert len(slug.encode()) <= MAX_BYTES
