"""A build killed with SIGKILL at any moment leaves a whole site, and the next build puts it right.

A first build stages the site beside the output and swaps it in; later builds replace changed files
one by one, each atomically, and commit the cache last. So at any moment every file in the output is
a whole file of one build or the other, and the next build, trusting nothing it has not checked, ends
with exactly the site a build from scratch writes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

from trees import tree

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_archive

N = 120
SHAPE = {"sources": 12, "tags": 30}  # dense: a small archive whose every list has several articles
SETTINGS = "base_url: https://archive.example.org/\n"


def build(root: Path, output: str = "_site") -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsgen", "build", "--quiet", "--output", output, "--jobs", "2"]
    return subprocess.Popen(
        command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode in (0, 2), err.decode()


def assert_whole(site: Path) -> None:
    """Every page is a complete document and every feed and sitemap parses: nothing half-written."""
    if not site.exists():
        return  # killed during the very first build: no site yet, and no half of one either
    pages = list(site.rglob("*.html"))
    assert len(pages) > N
    for page in pages:
        assert page.read_bytes().rstrip().endswith(b"</html>"), page
    for xml in site.rglob("*.xml"):
        ElementTree.parse(xml)
    for index in site.rglob("*.json"):
        json.loads(index.read_bytes())


def change(content: Path, rng: random.Random, round: int) -> None:
    files = sorted(content.rglob("*.txt"))
    for file in rng.sample(files, 3):
        file.write_text(file.read_text(encoding="utf-8") + f"\nAn update, round {round}.\n", encoding="utf-8")
    for file in rng.sample(files, 2):
        file.unlink()
    write_archive(content, 4, start=N + 10 * round, **SHAPE)


def test_builds_killed_at_random_moments_never_leave_a_broken_site(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SETTINGS, encoding="utf-8")
    write_archive(tmp_path / "content", N, **SHAPE)
    rng = random.Random(6)
    started = time.monotonic()
    finish(build(tmp_path))
    duration = time.monotonic() - started
    site = tmp_path / "_site"
    kills = 0
    for round in range(16):  # until five builds were killed: on a fast machine some finish first
        change(tmp_path / "content", rng, round)
        if round == 0:  # the first build of all, into no site at all
            os.rename(site, tmp_path / "first")
        process = build(tmp_path)
        time.sleep(rng.uniform(0.1, duration if round == 0 else duration / (2 + round)))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the build and its worker processes
            kills += 1
        process.communicate()
        assert_whole(site)
        if kills == 5:
            break
    assert kills == 5
    finish(build(tmp_path))
    assert_whole(site)
    finish(build(tmp_path, "fresh"))
    assert tree(site) == tree(tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".newsgen-cache") == []
