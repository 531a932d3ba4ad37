"""Progress: nothing for quick builds, a bar on a terminal, nothing at all elsewhere."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from newsgen import progress
from newsgen.cli import main
from newsgen.progress import ProgressPrinter, counted


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counted_passes_items_through_and_reports_each() -> None:
    seen: list[tuple[str, int, int]] = []
    assert list(counted(iter("abc"), "reading", 3, lambda *a: seen.append(a))) == ["a", "b", "c"]
    assert seen == [("reading", 1, 3), ("reading", 2, 3), ("reading", 3, 3)]
    assert list(counted(iter("ab"), "reading", 2, None)) == ["a", "b"]


def test_a_quick_build_prints_nothing() -> None:
    clock, out = Clock(), io.StringIO()
    printer = ProgressPrinter(out, clock)
    clock.now += 0.5
    printer("rendering", 10, 10)
    printer.finish()
    assert out.getvalue() == ""


def test_nothing_when_not_a_terminal_however_long_the_build() -> None:
    clock, out = Clock(), io.StringIO()
    printer = ProgressPrinter(out, clock)
    printer("reading", 0, 2000)
    clock.now += 20.0
    printer("reading", 1000, 2000)
    printer("reading", 2000, 2000)
    printer.finish()
    assert out.getvalue() == ""


def test_a_bar_with_counts_and_rate_on_a_terminal() -> None:
    clock, out = Clock(), Terminal()
    printer = ProgressPrinter(out, clock)
    printer("rendering", 0, 400)
    clock.now += 2.0
    printer("rendering", 100, 400)
    assert out.getvalue().endswith("rendering  [######..................] 100/400  50/s")
    printer.finish()
    assert out.getvalue().endswith("\r\033[K")


@pytest.fixture
def slow_build(
    make_content: Callable[[Mapping[str, str]], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site whose build counts as long from its first moment, as any build does on a busy machine."""
    make_content(
        {"desk/a.txt": "Harbour reopens after the storm\n\n25 Jan 2018 10:00\n\nThe harbour reopened today.\n"}
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)


@pytest.mark.usefixtures("slow_build")
def test_a_long_build_into_a_pipe_prints_only_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("Built 1 article into _site/") and out.count("\n") == 1


@pytest.mark.usefixtures("slow_build")
def test_a_long_build_on_a_terminal_shows_the_bar_then_clears_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["build"]) == 0
    assert "[########################] 1/1" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\033[K")
    assert capsys.readouterr().out.startswith("Built 1 article into _site/")
