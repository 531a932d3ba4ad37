"""The default theme's colours meet WCAG 2.1 AA contrast, in light and in dark mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "templates" / "assets" / "style.css").read_text(encoding="utf-8")


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--(bg|fg|muted|accent|panel|mark):\s*(#[0-9a-fA-F]{6})", block))


def luminance(colour: str) -> float:
    """WCAG relative luminance of an #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = {**LIGHT, **palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])}


def test_known_contrast_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("text", ["fg", "muted", "accent"])
@pytest.mark.parametrize("background", ["bg", "panel"])
def test_text_colours_meet_aa(mode: dict[str, str], text: str, background: str) -> None:
    assert {"bg", "fg", "muted", "accent", "panel"} <= set(mode)
    assert contrast(mode[text], mode[background]) >= 4.5, (text, background, mode)


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
def test_marked_search_words_meet_aa(mode: dict[str, str]) -> None:
    assert contrast(mode["fg"], mode["mark"]) >= 4.5, mode
