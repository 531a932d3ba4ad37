"""Progress: nothing for quick builds, a bar on a terminal, a line per stage elsewhere."""

from __future__ import annotations

import io

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


def test_plain_lines_for_finished_stages_when_not_a_terminal() -> None:
    clock, out = Clock(), io.StringIO()
    printer = ProgressPrinter(out, clock)
    printer("reading", 0, 2000)
    clock.now += 2.0
    printer("reading", 1000, 2000)
    printer("reading", 2000, 2000)
    assert out.getvalue() == "reading: 2,000 in 2.0 s\n"


def test_a_bar_with_counts_and_rate_on_a_terminal() -> None:
    clock, out = Clock(), Terminal()
    printer = ProgressPrinter(out, clock)
    printer("rendering", 0, 400)
    clock.now += 2.0
    printer("rendering", 100, 400)
    assert out.getvalue().endswith("rendering  [######..................] 100/400  50/s")
    printer.finish()
    assert out.getvalue().endswith("\r\033[K")
