"""Build progress: a bar with counts and rate on a terminal, only for long builds, and nothing elsewhere.

Progress is for a person watching; a file, a pipe or a CI log gets the summary alone, the same however
long the build took.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
Report = Callable[[str, int, int], None]  # (stage, done, total)

SHOW_AFTER = 1.0  # seconds: a quick build prints nothing but its summary
_REDRAW = 0.1  # seconds between bar redraws


def counted(items: Iterable[T], stage: str, total: int, report: Report | None) -> Iterator[T]:
    """``items`` unchanged, telling ``report`` how many of ``total`` have passed."""
    if report is None:
        yield from items
        return
    done = 0
    for item in items:
        yield item
        done += 1
        report(stage, done, total)
    if done == 0:
        report(stage, 0, total)


class ProgressPrinter:
    """Prints progress to ``stream`` as a redrawn bar when it is a terminal; prints nothing otherwise."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.stage = ""
        self.stage_started = self.started
        self.drawn = 0.0
        self.bar_shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.stage_started = stage, now
        if not self.tty or now - self.started < SHOW_AFTER:
            return
        if done >= total or now - self.drawn >= _REDRAW:
            self.drawn = now
            self._bar(stage, done, total, now)

    def finish(self) -> None:
        """Clear the bar so that the summary starts on a clean line."""
        if self.bar_shown:
            print("\r\033[K", end="", file=self.stream, flush=True)

    def _bar(self, stage: str, done: int, total: int, now: float) -> None:
        width = 24
        filled = width * done // total if total else width
        rate = done / max(now - self.stage_started, 1e-6)
        line = f"{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}  {rate:,.0f}/s"
        print(f"\r\033[K{line}", end="", file=self.stream, flush=True)
        self.bar_shown = True
