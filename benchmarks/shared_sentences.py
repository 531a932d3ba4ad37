"""A full build of a corpus whose articles share sentences, and how many texts near-duplicate work compares.

Wire copy and reposts share sentences; a corpus of random words hides what that costs. Make one with
the anchors' generator and time newsgen on it:

    python ../shared/bench/make_corpus.py /tmp/c2500 2500 --format plain
    python benchmarks/shared_sentences.py /tmp/c2500 [--jobs 2] [--count]

Prints the full build's wall and CPU seconds (a fresh output, search on); with ``--count`` it builds
again in this process, on one core, counting the exact Jaccard comparisons of the per-source profiles
and of the duplicate search.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def timed_build(corpus: Path, work: Path, jobs: int | None) -> dict[str, float]:
    """Wall and CPU seconds of ``newsgen build`` into an empty folder, in a process of its own."""
    site = work / "site.yaml"
    site.write_text("base_url: https://example.org/\nsearch: true\n", "utf-8")
    cmd = [sys.executable, "-m", "newsgen", "build", "--content", str(corpus), "--output", str(work / "_site")]
    cmd += ["--config", str(site), "--quiet", *(["--jobs", str(jobs)] if jobs else [])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 2):
        sys.exit(f"build failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "exit": done.returncode}


@contextlib.contextmanager
def counting() -> Iterator[Counter[str]]:
    """Counts ``duplicates.jaccard`` calls by the stage that made them (profiles, duplicates)."""
    from newsgen import pipeline
    from newsgen.cleaning import duplicates
    from newsgen.incremental import parsed

    counts: Counter[str] = Counter()
    stage = ["other"]
    jaccard = duplicates.jaccard

    def counted(a: frozenset[int], b: frozenset[int]) -> float:
        counts[stage[0]] += 1
        return jaccard(a, b)

    def within(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            stage[0] = name
            try:
                return function(*args, **kwargs)
            finally:
                stage[0] = "other"

        return run

    patches = [
        (duplicates, "jaccard", counted),
        (parsed, "profile_sketched", within("profiles", parsed.profile_sketched)),
        (pipeline, "find_duplicates", within("duplicates", pipeline.find_duplicates)),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
    for module, name, value in patches:
        setattr(module, name, value)
    try:
        yield counts
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def counted_build(corpus: Path, work: Path) -> dict[str, Any]:
    """Exact comparisons of a one-core build in this process (so that the counter sees every one)."""
    sys.path.insert(0, str(ROOT))
    from newsgen.cli import main

    site = work / "site.yaml"
    site.write_text("base_url: https://example.org/\nsearch: true\n", "utf-8")
    args = ["build", "--content", str(corpus), "--output", str(work / "_counted"), "--config", str(site)]
    with counting() as counts, contextlib.redirect_stdout(None):
        start = time.perf_counter()
        main([*args, "--quiet", "--jobs", "1"])
        wall = time.perf_counter() - start
    return {"seconds_one_core": round(wall, 2), "comparisons": dict(counts), "total": sum(counts.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder written by make_corpus.py --format plain")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to newsgen build (default: all cores)")
    parser.add_argument("--count", action="store_true", help="also count exact comparisons (a one-core build)")
    args = parser.parse_args()
    files = sum(1 for p in args.corpus.rglob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="newsgen-shared-") as tmp:
        full = timed_build(args.corpus.resolve(), Path(tmp), args.jobs)
        print(f"{files:,} articles: full build {full['seconds']} s, {full['cpu_seconds']} s CPU (exit {full['exit']})")
        if args.count:
            counted = counted_build(args.corpus.resolve(), Path(tmp))
            by_stage = ", ".join(f"{k} {v:,}" for k, v in sorted(counted["comparisons"].items()))
            print(
                f"exact comparisons: {counted['total']:,} ({by_stage}); one-core build {counted['seconds_one_core']} s"
            )


if __name__ == "__main__":
    main()
