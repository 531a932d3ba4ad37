"""What a build reports: here, the CPU seconds of its stages (the rest is checked through the builds)."""

from __future__ import annotations

import pytest

from newsgen import report
from newsgen.report import STAGES, CpuClock


def test_a_stage_gets_the_time_since_the_last_lap_less_what_workers_said_was_another_stages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [10.0]
    monkeypatch.setattr(report, "cpu_seconds", lambda: now[0])
    clock = CpuClock()
    now[0] = 14.0  # 4 s of loading, cleaning and parsing, of which the workers timed 1.5 s of parsing
    clock.part("parse", 1.0)
    clock.part("parse", 0.5)
    clock.lap("load/clean")
    now[0] = 15.0
    clock.lap("render")
    now[0] = 15.25
    clock.lap("render")
    assert dict(clock.stages()) == dict.fromkeys(STAGES, 0.0) | {"load/clean": 2.5, "parse": 1.5, "render": 1.25}
    assert [stage for stage, _ in clock.stages()] == list(STAGES)  # in the build's order, whatever came first
