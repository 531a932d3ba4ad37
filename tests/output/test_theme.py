"""The default theme's colours meet WCAG 2.1 AA contrast, in light and in dark mode, the calendar's shades too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "templates" / "assets" / "style.css").read_text(encoding="utf-8")


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--(bg|fg|muted|accent|kicker|panel|mark|(?:on-)?heat\d):\s*(#[0-9a-fA-F]{6})", block))


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
@pytest.mark.parametrize("text", ["fg", "muted", "accent", "kicker"])
@pytest.mark.parametrize("background", ["bg", "panel"])
def test_text_colours_meet_aa(mode: dict[str, str], text: str, background: str) -> None:
    assert {"bg", "fg", "muted", "accent", "panel"} <= set(mode)
    assert contrast(mode[text], mode[background]) >= 4.5, (text, background, mode)


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
def test_marked_search_words_meet_aa(mode: dict[str, str]) -> None:
    assert contrast(mode["fg"], mode["mark"]) >= 4.5, mode


@pytest.mark.parametrize("mode", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("level", range(5))
def test_day_numbers_meet_aa_on_every_shade_of_the_calendar(mode: dict[str, str], level: int) -> None:
    """The calendar's days and the archive's months: the text on a shade is the one the CSS gives that shade."""
    assert contrast(mode[f"on-heat{level}"], mode[f"heat{level}"]) >= 4.5, (level, mode)
