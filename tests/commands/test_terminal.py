"""Colour only on a terminal, and never with NO_COLOR."""

from __future__ import annotations

import io

import pytest

from newsgen.commands.terminal import paint


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert paint("x", "red", FakeTerminal()) == "\033[31mx\033[0m"


def test_no_colour_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert paint("x", "red", io.StringIO()) == "x"


def test_no_colour_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("x", "red", FakeTerminal()) == "x"
