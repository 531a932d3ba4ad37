"""How fast newsgen builds an archive of N synthetic articles, and how that compares with Hugo and Pelican.

Run: ``python benchmarks/run.py --sizes 1000,10000 --hugo`` (``--help`` lists the options; Linux only:
it reads /proc). It measures the newsgen that ``--newsgen`` runs (default ``python -m newsgen`` with
this interpreter, from a scratch folder: set ``PYTHONPATH`` to choose a checkout; the JSON records its
folder and git commit). If ``newsgen build --help`` lists ``--jobs``, ``--jobs N`` is passed on.

For each N, in a fresh folder (a temporary one, or ``--keep DIR``):

- generate: ``benchmarks/synthetic.py`` writes N deterministic scraped-text articles (timed, not counted);
- cleaning: the milliseconds one core takes to clean a file (up to 2,000 of them, in this process, with
  this checkout's newsgen), by the rules alone and by the rules then the line model;
- floor: a bare Python loop reads the N inputs and writes N trivial HTML pages into a fresh tree of
  ``YYYY/MM/DD/slug/index.html`` folders, timed in-process: no generator can beat it on this disk;
- newsgen full: ``newsgen build`` from scratch (output, staging folders and any ``.newsgen-cache``
  removed first), with the output's file count and bytes, and articles per second;
- newsgen no-op: the same build again, nothing changed;
- newsgen edit one: after appending a sentence to the body of article N/2;
- newsgen add 100: after writing 100 more articles at random dates (this build has N + 100); for each
  rebuild, the files (and HTML pages) it wrote, by their modification times, and pages per added article;
- hugo full (``--hugo``, if ``hugo`` is on PATH): the same N articles as a Hugo site: one Markdown file
  per article, ``content/posts/<source>/article-NNNNNN.md`` (front matter title, date, tags; the body's
  paragraphs without the scraped junk), permalinks ``/:year/:month/:day/:slug/``, a minimal single and
  list layout, a home page paginated by 20, tag pages, Hugo's RSS feeds; ``hugo --quiet`` from scratch;
- pelican full (``--pelican``, if ``pelican`` is importable): the same files for Pelican (metadata
  lines instead of front matter), its ``simple`` theme, ``ARTICLE_URL`` ``{date:%Y}/{date:%m}/{date:%d}/
  {slug}/``, tags, pagination by 20, an Atom feed, no cache; ``python -m pelican`` from scratch.

With ``--make-corpus PATH`` (the anchors' ``make_corpus.py``) the articles are that corpus's instead (its
``--format plain``, whose bodies share sentences as wire copy does; Hugo and Pelican get its own formats of
the same articles), its first N, then the next 100.

Every build runs as a subprocess, timed by wall clock, with its CPU seconds (its own and its workers',
from ``os.wait4``) and, from ``newsgen build --timings``, the CPU seconds of each of its stages. Memory:
"peak RSS" is the kernel's ``ru_maxrss`` from ``os.wait4``: the largest resident set of any one process
of the build (the build itself, a worker). "tree" is the largest sum over the whole process tree, sampled
every 50 ms from /proc: it can miss a short peak, and counts pages that forked workers share once per
worker; judge a process pool by it.

Reading it: the disk is noisy (the same build varies by up to 2x between runs), so compare figures of
one run: the ratios newsgen/hugo (below 1: newsgen is faster), pelican/newsgen (how many times faster
than Pelican newsgen is) and newsgen/floor (what the build costs beyond reading and writing files). The
no-op, edit and add rows are what day-to-day rebuilds cost; the targets are in issue 6. Everything goes
to a JSON (``--out``, by default ``benchmarks/results/DATE-SIZES.json``, written after every N) with
the machine described, so runs can be compared.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import article_parts, article_text, write_archive  # noqa: E402

SEED = 0
ADDED = 100
EDIT = "A sentence added by the benchmark changes this article."
OK_EXITS = (0, 2)  # newsgen build exits 2 when it built the site but rejected some files
PAGE = os.sysconf("SC_PAGE_SIZE")
Figures = dict[str, Any]


# --- measuring one build ----------------------------------------------------------------------------------


def tree_memory(root: int) -> tuple[int, int]:
    """Bytes resident now in process ``root`` and all its descendants: summed RSS, and summed PSS.

    Forked workers share most pages with the build process; RSS counts a shared page in each of them,
    PSS (proportional set size) divides it among them, so the PSS sum is what the build really holds.
    """
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):  # the process ended meanwhile
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    rss, pss, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError, IndexError, StopIteration, ValueError):
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            pss += int(next(line for line in rollup if line.startswith("Pss:")).split()[1]) * 1024
    return rss, pss


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Figures:
    """Run ``cmd`` in ``cwd`` (with ``env``): wall and CPU seconds (of it and its workers), peak RSS of its
    largest process, peak summed RSS and PSS of its process tree (MB), and the CPU seconds by stage that
    ``--timings`` printed."""
    peak, peak_pss, done = [0], [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            rss, pss = tree_memory(proc.pid)
            peak[0], peak_pss[0] = max(peak[0], rss), max(peak_pss[0], pss)

    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        printed = log.read().decode(errors="replace")
        if proc.returncode not in OK_EXITS:
            raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode} in {cwd}:\n{printed[-3000:]}")
    rss = usage.ru_maxrss * 1024  # Linux counts it in kilobytes
    mb = 2**20
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),  # with the workers it waited for
        "peak_rss_mb": round(rss / mb, 1),
        "tree_rss_mb": round(max(rss, peak[0]) / mb, 1),
        "tree_pss_mb": round(peak_pss[0] / mb, 1),  # 0 when the build ended before a sample
        "exit": proc.returncode,
    } | cpu_stages(printed)


def cpu_stages(printed: str) -> Figures:
    """The line ``newsgen build --timings`` prints, as figures: ``{"cpu_stages": {stage: seconds}}``."""
    found = re.search(r"^CPU seconds: (.*); [\d.]+ in all$", printed, re.MULTILINE)
    if not found:
        return {}
    parts = [part.rsplit(" ", 1) for part in found[1].split(", ")] if found[1] != "nothing built" else []
    return {"cpu_stages": {stage: float(seconds) for stage, seconds in parts}}


def file_times(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` and its modification time: what a build rewrote is what changed."""
    out: dict[str, int] = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            out[os.path.relpath(path, folder)] = os.stat(path).st_mtime_ns
    return out


def rewritten(before: dict[str, int], after: dict[str, int]) -> Figures:
    """Files, and HTML pages, new or rewritten between two ``file_times``."""
    changed = [path for path, mtime in after.items() if before.get(path) != mtime]
    return {"written_files": len(changed), "written_pages": sum(1 for p in changed if p.endswith(".html"))}


def output_figures(folder: Path, n: int, seconds: float) -> Figures:
    """Files and bytes under ``folder``, and articles per second for a build of ``n`` in ``seconds``."""
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file()]
    return {"output_files": len(sizes), "output_bytes": sum(sizes), "articles_per_second": round(n / seconds, 1)}


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --- newsgen ----------------------------------------------------------------------------------------------


def newsgen_prefix(command: str) -> list[str]:
    """``--newsgen`` as argv; a leading ``python`` means this interpreter."""
    argv = shlex.split(command)
    return [sys.executable, *argv[1:]] if argv and argv[0] in ("python", "python3") else argv


def newsgen_info(prefix: list[str], cwd: Path) -> Figures:
    """Whether ``build`` takes ``--jobs``, and which checkout (folder, version, git commit) is measured.

    Asked from ``cwd``, like the builds: ``python -m`` imports from the current folder first.
    """

    def output(*cmd: str) -> str:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()

    info: Figures = {"command": shlex.join(prefix), "jobs_option": "--jobs" in output(*prefix, "build", "--help")}
    if prefix[1:3] == ["-m", "newsgen"]:
        code = "import newsgen, os; print(os.path.dirname(os.path.abspath(newsgen.__file__)), newsgen.__version__)"
        where, version = output(prefix[0], "-c", code).split()
        with contextlib.suppress(subprocess.CalledProcessError, OSError):  # not a git checkout
            info["commit"] = output("git", "-C", where, "describe", "--always", "--dirty", "--abbrev=7", "--exclude=*")
        info |= {"module": where, "version": version}
    return info


def bench_newsgen(site: Path, n: int, prefix: list[str], jobs: int | None, corpus: Corpus | None = None) -> Figures:
    """Full, no-op, one-edit and 100-added builds of ``site/content`` (which holds articles 0 .. n-1), with
    the files (and HTML pages) each rebuild wrote, by their modification times."""
    corpus = corpus or Corpus()
    cmd = [*prefix, "build", "--content", "content", "--output", "_site", "--config", "site.yaml", "--quiet"]
    cmd += ["--jobs", str(jobs)] if jobs is not None else []
    options = subprocess.run([*prefix, "build", "--help"], cwd=site, capture_output=True, text=True).stdout
    cmd += ["--timings"] if "--timings" in options else []  # an older newsgen does not say
    for entry in site.iterdir():  # output, staging folders, caches: everything but the inputs
        if entry.name not in ("content", "site.yaml"):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.rmtree(site / "content" / ".newsgen-cache", ignore_errors=True)
    env = compiled_env(site.parent / "pycache")
    figures: Figures = {"full": measure(cmd, site, env)}
    figures |= output_figures(site / "_site", n, figures["full"]["seconds"])
    for step in ("noop", "edit_one", "add_100"):
        before = file_times(site / "_site")
        if step == "edit_one":
            corpus.edit(site / "content", n // 2)
        elif step == "add_100":
            corpus.write(site / "content", ADDED, start=n)
        figures[step] = measure(cmd, site, env)
        figures[step] |= rewritten(before, file_times(site / "_site"))
    figures["add_100"]["pages_per_added"] = round(figures["add_100"]["written_pages"] / ADDED, 1)
    return figures


def compiled_env(folder: Path) -> dict[str, str]:
    """The environment for newsgen's builds: Python keeps the modules it compiles (in ``folder``), as an
    installed newsgen has them compiled at install. With PYTHONDONTWRITEBYTECODE set (a sandbox, a CI
    job), every rebuild would compile newsgen's source again: 0.1-0.3 s of a no-op's or an edit's CPU."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(folder)}


class Corpus:
    """The benchmark's own articles (``benchmarks/synthetic.py``): random words, so no two share a sentence."""

    name = "random words"

    def write(self, content: Path, n: int, start: int = 0) -> None:
        """Articles ``start`` .. ``start + n - 1`` into ``content``."""
        write_archive(content, n, SEED, start=start)

    def edit(self, content: Path, i: int) -> None:
        """Append :data:`EDIT` to the last paragraph of article ``i``'s body."""
        last = article_parts(i, SEED).paragraphs[-1]
        path, text = article_text(i, SEED)
        (content / path).write_text(text.replace(last, f"{last} {EDIT}", 1), encoding="utf-8")

    def other_site(self, name: str, folder: Path, n: int) -> tuple[list[str], Path]:
        """Articles 0 .. n-1 as a Hugo or Pelican site in ``folder``: the command that builds it, its output."""
        return other_site(name, folder, n)


class SharedCorpus(Corpus):
    """The anchors' corpus, written by their ``make_corpus.py`` (``--format plain`` for newsgen): bodies made
    of a pool of 200 sentences, as wire copy and reposts share them. Its first K articles are those of a
    K-article corpus, so the N measured and the 100 added are the first N + 100 of one."""

    name = "shared sentences"

    def __init__(self, script: Path, folder: Path, n: int) -> None:
        self.script, self.folder = script, folder
        plain = fresh(folder / "plain")
        subprocess.run([sys.executable, str(script), str(plain), str(n + ADDED), "--format", "plain"], check=True)
        rows = (plain / "_manifest.tsv").read_text("utf-8").splitlines()[1:]
        self.paths = [plain / row.split("\t")[1] for row in rows]

    def write(self, content: Path, n: int, start: int = 0) -> None:
        for path in self.paths[start : start + n]:
            target = content / path.relative_to(self.folder / "plain")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)

    def edit(self, content: Path, i: int) -> None:
        target = content / self.paths[i].relative_to(self.folder / "plain")
        text = target.read_text("utf-8")
        body, player = text.rsplit("\n\nPodcasts\n", 1)
        target.write_text(f"{body} {EDIT}\n\nPodcasts\n{player}", "utf-8")

    def other_site(self, name: str, folder: Path, n: int) -> tuple[list[str], Path]:
        cmd, out = other_site(name, folder, 0)  # the configuration and layouts, without articles
        subprocess.run([sys.executable, str(self.script), str(folder), str(n), "--format", name], check=True)
        return cmd, out


def floor(content: Path, out: Path) -> Figures:
    """Read every input and write one trivial page for each into a fresh dated folder tree, in-process."""
    fresh(out)
    started = time.perf_counter()
    for i, path in enumerate(sorted(content.rglob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        page = out / f"{2010 + i % 15}/{i % 12 + 1:02d}/{i % 28 + 1:02d}/{path.stem}/index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><title>{path.stem}</title><pre>{html.escape(text)}</pre>\n", "utf-8")
    return {"seconds": round(time.perf_counter() - started, 3), "files": sum(1 for _ in out.rglob("*.html"))}


# --- the same articles for Hugo and Pelican ---------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Benchmark"
paginate = 20
[permalinks]
  posts = "/:year/:month/:day/:slug/"
[taxonomies]
  tag = "tags"
"""
HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
HUGO_LAYOUTS = {
    "single": HEAD
    + """</head><body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>
{{ .Content }}<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</ul>
</body></html>
""",
    "list": HEAD
    + """{{ with .OutputFormats.Get "rss" }}<link rel="alternate" href="{{ .RelPermalink }}">{{ end }}
</head><body><h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}{{ $pager := .Paginate $pages }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}
{{ end }}</ul>{{ with $pager.Prev }}<a href="{{ .URL }}">newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">older</a>{{ end }}</body></html>
""",
}
PELICAN_CONFIG = """AUTHOR = SITENAME = "Benchmark"
SITEURL = FEED_DOMAIN = "https://example.org"
PATH, TIMEZONE, DEFAULT_LANG, THEME = "content", "UTC", "en", "simple"
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = "feeds/all.atom.xml"
"""
PELICAN = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
INSTALL = {"hugo": "apt-get install hugo", "pelican": "pip install pelican"}


def other_site(name: str, folder: Path, n: int) -> tuple[list[str], Path]:
    """Articles 0 .. n-1 as a Hugo or Pelican site in ``folder``: the command that builds it, its output."""
    fresh(folder)
    if name == "hugo":
        (folder / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
        (folder / "layouts" / "_default").mkdir(parents=True)
        for layout, text in HUGO_LAYOUTS.items():
            (folder / "layouts" / "_default" / f"{layout}.html").write_text(text, "utf-8")
    else:
        (folder / "pelicanconf.py").write_text(PELICAN_CONFIG, "utf-8")
    for i in range(n):
        a = article_parts(i, SEED)
        if name == "hugo":
            target = folder / "content" / "posts" / a.source / f"article-{i:06d}.md"
            head = f"---\ntitle: {json.dumps(a.title)}\ndate: {a.when.isoformat()}Z\ntags: {json.dumps(a.tags)}\n---\n"
        else:
            target = folder / "content" / a.source / f"article-{i:06d}.md"
            head = f"Title: {a.title}\nDate: {a.when:%Y-%m-%d %H:%M}\nTags: {', '.join(a.tags)}\n\n"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(head + "\n\n".join(a.paragraphs) + "\n", "utf-8")
    return (["hugo", "--quiet"], folder / "public") if name == "hugo" else (PELICAN, folder / "output")


def bench_other(name: str, folder: Path, n: int, corpus: Corpus | None = None) -> Figures:
    """A full build of the same ``n`` articles by Hugo or Pelican: seconds, memory, output."""
    cmd, out = (corpus or Corpus()).other_site(name, folder, n)
    figures = measure(cmd, folder)
    return figures | output_figures(out, n, figures["seconds"])


def tool_version(name: str) -> str | None:
    """Version of hugo or pelican, or None when it is not installed."""
    if name == "hugo":
        hugo = shutil.which("hugo")
        return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip() if hugo else None
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        return f"pelican {importlib.metadata.version('pelican')}"
    return None


# --- one size, the machine, the report --------------------------------------------------------------------


def cleaning(content: Path, limit: int = 2000) -> Figures:
    """Milliseconds a file to clean the first ``limit`` files on one core, in this process (this checkout's
    newsgen): the rules alone, and the rules then the line model (the default)."""
    from newsgen.cleaning.sitewide import profile_sources
    from newsgen.config import CleaningSettings, SiteConfig
    from newsgen.pipeline import clean_source
    from newsgen.sources.loader import parse_source

    paths = sorted(content.rglob("*.txt"))[:limit]
    sources = [parse_source(path.read_bytes(), path.relative_to(content).as_posix()) for path in paths]
    out: Figures = {"files": len(sources)}
    for name, config in (("rules_ms", SiteConfig(cleaning=CleaningSettings(line_model=0))), ("model_ms", SiteConfig())):
        profiles = profile_sources(sources, config)
        started = time.process_time()
        for source in sources:
            clean_source(source, profiles, config)
        out[name] = round((time.process_time() - started) / max(len(sources), 1) * 1000, 3)
    return out


def run_size(
    work: Path,
    n: int,
    prefix: list[str],
    search: bool,
    jobs: int | None,
    others: list[str],
    make_corpus: Path | None = None,
) -> Figures:
    """Every figure for archives of ``n`` articles, worked out in ``work`` (emptied first); ``make_corpus``:
    the anchors' generator, to measure its articles rather than the benchmark's own."""
    site = fresh(work) / "newsgen"
    started = time.perf_counter()
    corpus = SharedCorpus(make_corpus, work / "corpus", n) if make_corpus else Corpus()
    corpus.write(site / "content", n)
    result: Figures = {"n": n, "corpus": corpus.name, "generate_seconds": round(time.perf_counter() - started, 3)}
    (site / "site.yaml").write_text(f"base_url: https://example.org/\nsearch: {str(search).lower()}\n", "utf-8")
    result["floor"] = floor(site / "content", work / "floor")
    result["cleaning"] = cleaning(site / "content")
    result["newsgen"] = bench_newsgen(site, n, prefix, jobs, corpus)
    full = result["newsgen"]["full"]["seconds"]
    ratios = {"newsgen/floor": round(full / result["floor"]["seconds"], 2)}
    for name in others:
        result[name] = bench_other(name, work / name, n, corpus)
        if name == "hugo":
            ratios["newsgen/hugo"] = round(full / result[name]["seconds"], 2)
        else:
            ratios["pelican/newsgen"] = round(result[name]["seconds"] / full, 2)
    return result | {"ratios": ratios}


def machine(work: Path) -> Figures:
    """Platform, CPU, cores, memory, Python, and the file system the builds write to."""

    def field(file: str, key: str) -> str | None:
        lines = Path(file).read_text().splitlines() if Path(file).exists() else []
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), None)

    memory, here = field("/proc/meminfo", "MemTotal"), str(work.resolve())
    mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    fs = max((m for m in mounts if here.startswith(m[1])), key=lambda m: len(m[1]), default=[None] * 3)[2]
    return {
        "platform": platform.platform(),
        "cpu": field("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory.split()[0]) / 2**20, 1) if memory else None,
        "python": platform.python_version(),
        "filesystem": fs,
    }


def print_table(r: Figures, search: bool) -> None:
    ng, generated = r["newsgen"], f"generated in {r['generate_seconds']:.1f} s, not counted"
    print(f"\nN = {r['n']:,}, {r.get('corpus', 'random words')} ({generated}; search {'on' if search else 'off'})")
    print(f"  {'':18}{'seconds':>9}{'CPU s':>8}{'peak RSS MB':>13}{'tree MB':>9}{'PSS MB':>8}")
    print(f"  {'floor':18}{r['floor']['seconds']:9.2f}")
    c = r["cleaning"]
    print(f"  cleaning, one core: {c['rules_ms']:.2f} ms a file (rules), {c['model_ms']:.2f} (rules, line model)")
    rows = [("newsgen full", ng["full"], ng), ("newsgen no-op", ng["noop"], None)]
    rows += [("newsgen edit one", ng["edit_one"], None), (f"newsgen add {ADDED}", ng["add_100"], None)]
    rows += [(f"{name} full", r[name], r[name]) for name in ("hugo", "pelican") if name in r]
    for label, f, out in rows:
        row = f"  {label:18}{f['seconds']:9.2f}{f.get('cpu_seconds', 0):8.2f}{f['peak_rss_mb']:13.0f}"
        row += f"{f['tree_rss_mb']:9.0f}{f['tree_pss_mb']:8.0f}"
        if out:
            row += f"  {out['articles_per_second']:,.0f} articles/s, {out['output_files']:,} files"
            row += f", {out['output_bytes'] / 1e6:,.1f} MB ({out['output_bytes'] / r['n'] / 1e3:,.1f} KB an article)"
        elif "written_files" in f:
            row += f"  {f['written_files']:,} files written, {f['written_pages']:,} of them pages"
            row += f" ({f['pages_per_added']} an added article)" if "pages_per_added" in f else ""
        print(row)
    for label, f in (("full", ng["full"]), ("edit one", ng["edit_one"]), (f"add {ADDED}", ng["add_100"])):
        if f.get("cpu_stages"):
            print(f"  CPU s by stage, {label}: " + ", ".join(f"{k} {v:.2f}" for k, v in f["cpu_stages"].items()))
    print("  ratios: " + ", ".join(f"{k} {v}x" for k, v in r["ratios"].items()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated N (default 1000,10000)")
    parser.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/DATE-SIZES.json)")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo on the same articles")
    parser.add_argument("--pelican", action="store_true", help="also time Pelican on the same articles")
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=True, help="the search index")
    parser.add_argument("--keep", type=Path, help="work in DIR/nN (emptied first) and keep it")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to newsgen build, if it has the option")
    parser.add_argument("--newsgen", default="python -m newsgen", help="command that runs newsgen")
    parser.add_argument(
        "--make-corpus",
        type=Path,
        metavar="MAKE_CORPUS_PY",
        help="measure the anchors' corpus (make_corpus.py --format plain; Hugo and Pelican get its own formats)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if not all(0 < n <= 1_000_000 for n in sizes):
        parser.error("sizes must be between 1 and 1,000,000")
    named = f"{datetime.now():%Y-%m-%d}-{'-'.join(map(str, sizes))}{'-shared' if args.make_corpus else ''}.json"
    out = args.out or ROOT / "benchmarks" / "results" / named
    prefix, work = newsgen_prefix(args.newsgen), args.keep or Path(tempfile.mkdtemp(prefix="newsgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info, jobs = newsgen_info(prefix, work), args.jobs
    if jobs is not None and not info["jobs_option"]:
        print(f"note: this newsgen build has no --jobs option: it runs with its default, not --jobs {jobs}")
        jobs = None
    versions = {name: tool_version(name) for name in ("hugo", "pelican") if getattr(args, name)}
    for name in [name for name, version in versions.items() if not version]:
        print(f"note: {name} is not installed ({INSTALL[name]}): skipped")
    others = [name for name, version in versions.items() if version]
    settings = {"sizes": sizes, "search": args.search, "jobs": jobs, "seed": SEED, "added": ADDED, "newsgen": info}
    settings["corpus"] = "random words" if args.make_corpus is None else f"{args.make_corpus.name} --format plain"
    report: Figures = {"machine": machine(work), "date": datetime.now(UTC).isoformat(timespec="seconds")}
    report |= {"settings": settings | versions, "results": []}
    print(
        f"measuring newsgen {info.get('version', '')} at {info.get('module', info['command'])} ({info.get('commit')})"
    )
    try:
        for n in sizes:
            corpus = args.make_corpus.resolve() if args.make_corpus else None
            report["results"].append(run_size(work / f"n{n}", n, prefix, args.search, jobs, others, corpus))
            print_table(report["results"][-1], args.search)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")  # after every N: a long run keeps its figures
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
