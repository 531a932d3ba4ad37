"""How long newsgen takes over inputs that once made builds slow or heavy: ``python benchmarks/heavy_inputs.py``.

- collisions: N scraped-text articles with one title and one dateline, so every page but the first needs
  a suffix (``-2``, ``-3``, ...); the bodies differ, so none is a duplicate. Before suffixes were given
  in linear time, 10,000 of them took 1,112 s (issue 19); the target is under 30 s on two cores.
- reference: N ordinary synthetic articles (``benchmarks/synthetic.py``, each its own title), built in
  the same run: on a shared machine only the ratio of the two builds means much.
- big article: one article of ``--big-mb`` MB (one paragraph a line), and one of the same size on a single
  line: what a file just under ``max_article_bytes`` costs (the default 10 MB, with the README's figures).

Each build is ``python -m newsgen build`` from scratch in a temporary folder (set ``PYTHONPATH`` to choose
a checkout), timed by wall clock, with the peak RSS of its largest process (``ru_maxrss``). It prints one
line per build; nothing is written but the temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import sentence, write_archive


def collisions(content: Path, n: int) -> None:
    """N articles of one title and day, in 10 sources; each body its own.

    Title and date are in front matter: repeated in a source's scraped text, the cleaner would take them out.
    """
    rng = random.Random(19)
    for i in range(n):
        folder = content / f"source-{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(" ".join(sentence(rng, rng.randint(12, 24)) for _ in range(3)) for _ in range(4))
        text = f"---\ntitle: Council approves the harbour budget\ndate: 2018-01-25 16:17\n---\n\n{body}\n"
        (folder / f"article-{i:06d}.txt").write_text(text, encoding="utf-8")


def big_article(content: Path, megabytes: float, one_line: bool) -> None:
    """One article of about ``megabytes`` MB, in paragraphs or as one line."""
    rng = random.Random(19)
    paragraphs: list[str] = []
    size, target = 0, int(megabytes * 1_000_000)
    while size < target:
        paragraphs.append(" ".join(sentence(rng, rng.randint(12, 24)) for _ in range(3)))
        size += len(paragraphs[-1]) + 2
    body = (" " if one_line else "\n\n").join(paragraphs)
    folder = content / "dump"
    folder.mkdir(parents=True)
    (folder / "big.txt").write_text(f"A very long article indeed\n25 January 2018\n\n{body}\n", encoding="utf-8")


def build(site: Path, jobs: int | None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the largest process, and the build's last line."""
    command = [sys.executable, "-m", "newsgen", "build", "--content", "content", "--output", "_site"]
    if jobs:
        command += ["--jobs", str(jobs)]
    log = site / "build.log"
    start = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=site, stdout=out, stderr=subprocess.STDOUT)
        _, _, usage = os.wait4(process.pid, 0)  # not wait(): wait4 gives this build's own peak
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped above
    lines = log.read_text().strip().splitlines()
    return wall, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collisions", default="1000,10000", help="sizes of the same-title archive (0: skip)")
    parser.add_argument("--reference", action="store_true", help="also build N ordinary articles, for each N")
    parser.add_argument("--big-mb", type=float, default=9.9, help="size of the big article in MB (0: skip)")
    parser.add_argument("--jobs", type=int, default=None, help="passed on to newsgen build")
    args = parser.parse_args()
    cases: list[tuple[str, object]] = []
    for n in (int(size) for size in args.collisions.split(",") if int(size)):
        cases.append((f"collisions {n:,}", lambda c, n=n: collisions(c, n)))
        if args.reference:
            cases.append((f"reference {n:,}", lambda c, n=n: write_archive(c, n)))
    if args.big_mb:
        for one_line in (False, True):
            shape = "one line" if one_line else "paragraphs"
            cases.append(
                (f"big article {args.big_mb} MB, {shape}", lambda c, o=one_line: big_article(c, args.big_mb, o))
            )
    for name, make in cases:
        with tempfile.TemporaryDirectory(prefix="newsgen-heavy-") as scratch:
            site = Path(scratch)
            make(site / "content")  # type: ignore[operator]
            wall, peak, last = build(site, args.jobs)
            print(f"{name:<36} {wall:8.1f} s  peak RSS {peak:7.0f} MB  | {last}", flush=True)


if __name__ == "__main__":
    main()
