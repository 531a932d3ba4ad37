"""Slugs: readable, ASCII where a transliteration exists, never a path."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.slugs import MAX_LENGTH, slugify


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


@given(st.text())
def test_slugs_are_always_safe_path_parts(text: str) -> None:
    slug = slugify(text)
    assert slug and slug not in {".", ".."}
    assert "/" not in slug and "\\" not in slug and "." not in slug
    assert slug == slug.strip("-")
    assert len(slug) <= MAX_LENGTH
