"""Two builds into one output at once: started a second apart, again and again.

Each round changes the site's title (so the first build renders every page again, for several
seconds) and edits one article, starts ``newsgen build``, and a second one a second later. Every
build must exit 0 (the second waits for the first) or say that another build is running; the site
must then be byte for byte what a fresh build into another folder makes; and the build cache must
never be deleted or replaced while they run (watched every 5 ms: its inode, and no ``.corrupt-*``).

    python benchmarks/two_builds.py [--articles 2000] [--rounds 20] [--work DIR]

Prints one line a round and a summary; exits 1 if any round broke a rule.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from synthetic import write_archive
from trees import tree

BUILD = [sys.executable, "-m", "newsgen", "build", "--config", "site.yaml", "--quiet"]


class CacheWatch:
    """Notes every moment the cache database is missing or is another file than at the start."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.inode = db.stat().st_ino
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            try:
                inode = self.db.stat().st_ino
            except FileNotFoundError:
                self.problems.append("cache missing")
                continue
            if inode != self.inode:
                self.problems.append("cache replaced")
                self.inode = inode
            if any(self.db.parent.glob("*.corrupt-*")):
                self.problems.append("cache set aside as corrupt")

    def stop(self) -> list[str]:
        self._stop.set()
        self._thread.join()
        return sorted(set(self.problems))


def run_round(site: Path, n: int) -> tuple[list[str], float, float, bool]:
    """One round; returns its problems, the two builds' times, and whether the second waited for the first."""
    (site / "site.yaml").write_text(f"title: Round {n}\n", encoding="utf-8")
    article = sorted((site / "content").rglob("*.txt"))[n]
    article.write_text(article.read_text(encoding="utf-8") + f"\nRound {n} adds this line.\n", encoding="utf-8")
    watch = CacheWatch(site / ".newsgen-cache" / "_site.db")
    started = time.perf_counter()
    first = subprocess.Popen(BUILD, cwd=site, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    second = subprocess.Popen(BUILD, cwd=site, stderr=subprocess.PIPE, text=True)
    problems: list[str] = []
    times = []
    waited = False
    for name, process in (("first", first), ("second", second)):
        _, err = process.communicate()
        times.append(time.perf_counter() - started)
        waited |= "waiting for another build" in err
        if process.returncode != 0 and "another build is running" not in err:
            problems.append(f"{name} build exited {process.returncode}: {err.strip()[-300:]}")
    problems += watch.stop()
    fresh = site / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    for leftover in (site / ".newsgen-cache").glob("fresh.*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    subprocess.run([*BUILD, "--output", "fresh"], cwd=site, check=True)
    if tree(site / "_site") != tree(fresh):
        problems.append("the site differs from a fresh build")
    return problems, times[0], times[1], waited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="two-builds-"))
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    write_archive(site / "content", args.articles)
    (site / "site.yaml").write_text("title: Round start\n", encoding="utf-8")
    subprocess.run(BUILD, cwd=site, check=True)  # a first build: the cache to watch
    where = os.environ.get("PYTHONPATH") or "the installed package"
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    print(f"{args.articles} articles, {args.rounds} rounds, {os.cpu_count()} cores; newsgen from {where}")
    failed = waits = 0
    for n in range(args.rounds):
        problems, first, second, waited = run_round(site, n)
        failed += bool(problems)
        waits += waited
        verdict = "ok" if not problems else "; ".join(problems)
        how = "waited" if waited else "did not wait"
        print(
            f"round {n + 1:2}: first done at {first:5.1f} s, second ({how}) at {second:5.1f} s: {verdict}", flush=True
        )
    print(f"{args.rounds - failed} of {args.rounds} rounds kept every rule; the second build waited in {waits}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
