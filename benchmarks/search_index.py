"""Time and size newsgen's search index on synthetic news: ``python benchmarks/search_index.py [N ...]``.

For each N (default 10,000 and 100,000) it makes N articles of about 600 words, whose words follow a
Zipf law over a large vocabulary with a few topic words each, as real news does (a closed word list
such as synthetic.py's would give every term a posting list as long as the archive). It prints the time
to make the SearchDocs, the full index's time, peak memory beyond what the docs hold, files and bytes,
and the time of an update after editing one article, deleting one, and adding 100. One core; CPU
seconds are given beside wall seconds, as they vary less on a shared machine.
"""

from __future__ import annotations

import gc
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsgen.archive.collect import article_path
from newsgen.incremental.searchpatch import update_index
from newsgen.models import Article
from newsgen.output.searchdocs import SearchDoc, search_doc
from newsgen.output.searchindex import index_files

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by had are but from or have an they which "
    "one you were her all she there would their we him been has when who will more no if out so said what up "
    "its about into than them can only other new some could time these two may then do first any my now such"
).split()


class Corpus:
    """Reproducible synthetic articles: ``article(i)`` is always the same article."""

    def __init__(self, seed: int = 11) -> None:
        rng = random.Random(seed)
        letters = "abcdefghijklmnopqrstuvwxyz"
        self.vocabulary = sorted({"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(200_000)})
        rng.shuffle(self.vocabulary)
        self.weights = list(__import__("itertools").accumulate(1 / (rank + 1) for rank in range(len(self.vocabulary))))
        self.seed = seed

    def words(self, rng: random.Random, count: int, topic: list[str]) -> list[str]:
        chosen = rng.choices(self.vocabulary, cum_weights=self.weights, k=count)
        for i in range(count):
            if rng.random() < 0.45:
                chosen[i] = rng.choice(FUNCTION_WORDS)
            elif rng.random() < 0.08:
                chosen[i] = rng.choice(topic)
        return chosen

    def article(self, i: int, version: int = 0) -> Article:
        """Article ``i``; a later ``version`` has another third paragraph (an edit: same title, date, path)."""
        rng = random.Random(self.seed * 1_000_003 + i)
        topic = random.Random(i // 20).sample(self.vocabulary[1000:], 30)
        when = datetime(2010, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(15 * 365 * 24 * 60))
        title = " ".join(self.words(rng, rng.randint(6, 12), topic)).capitalize() + f" {i}"
        paragraphs = [" ".join(self.words(rng, 60, topic)).capitalize() + "." for _ in range(10)]
        if version:
            paragraphs[2] = " ".join(self.words(random.Random(version * 7919 + i), 60, topic)).capitalize() + "."
        source = f"source-{i % 50:02d}"
        return Article(
            source_path=f"{source}/{i}.txt",
            slug=f"article-{i}",
            title=title,
            published=when,
            updated=None,
            dateline=None,
            lead=paragraphs[0],
            paragraphs=tuple(paragraphs),
            body_html="",
            source=source,
            source_name=f"Source {i % 50}",
            url=None,
            authors=(f"Author {i % 300}",),
            tags=(f"tag-{i % 200}", f"tag-{(i * 7) % 200}"),
            summary=None,
            draft=False,
            word_count=600,
            removed=(),
            content_hash="",
        )

    def doc(self, i: int, version: int = 0) -> SearchDoc:
        article = self.article(i, version)
        return search_doc(article, article_path(article))

    def docs(self, numbers: range) -> tuple[dict[str, SearchDoc], float]:
        """The docs of articles ``numbers`` by path, and the seconds search_doc took (made in batches)."""
        docs: dict[str, SearchDoc] = {}
        seconds = 0.0
        for start in range(numbers.start, numbers.stop, 1000):
            articles = [self.article(i) for i in range(start, min(start + 1000, numbers.stop))]
            started = time.process_time()
            made = [search_doc(a, article_path(a)) for a in articles]
            seconds += time.process_time() - started
            docs.update((doc.path, doc) for doc in made)
        return docs, seconds


def rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from the current RSS


def measure(n: int, corpus: Corpus) -> None:
    docs, made = corpus.docs(range(n))
    gc.collect()
    reset_peak()
    base = rss_kib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    size = count = 0
    for _, data in index_files(docs.values()):  # as a build does: each file written, none kept
        size += len(data)
        count += 1
    full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = rss_kib("VmHWM") - base
    files = dict(index_files(docs.values()))
    postings = sum(len(d.weights) for d in docs.values())
    print(f"\nN = {n:,}: {postings / n:.0f} terms per article, {size / 1e6:.1f} MB in {count:,} files")
    print(f"  search_doc         {made / n * 1e6:8.0f} µs CPU per article ({made:.1f} s in all)")
    print(f"  full index         {full:8.2f} s ({full_cpu:.2f} s CPU), peak +{peak / 1024:.0f} MB beyond the docs")
    kinds: dict[str, list[int]] = {}
    for path, data in files.items():
        kinds.setdefault(path.split("/")[-2], []).append(len(data))
    for kind in ("words", "prefixes", "docs", "dates"):
        sizes = sorted(kinds[kind])
        print(f"  {kind + '/':18} {len(sizes):8,} files, {sum(sizes) / 1e6:.1f} MB, "
              f"median {sizes[len(sizes) // 2] / 1e3:.1f} kB, largest {sizes[-1] / 1e3:.0f} kB")  # fmt: skip
    for label, many in (("edit 1 article", 1), ("delete 1 article", 1), ("add 100 articles", 100)):
        times, touched = [], []
        for trial in range(5):
            picks = random.Random(trial).sample(sorted(docs), many)
            if label.startswith("edit"):
                removed = [docs[p] for p in picks]
                added = [corpus.doc(int(docs[p].title.rsplit(" ", 1)[1]), version=trial + 1) for p in picks]
                assert [d.path for d in added] == picks
            elif label.startswith("delete"):
                removed, added = [docs[p] for p in picks], []
            else:
                removed, added = [], [corpus.doc(n + trial * many + k) for k in range(many)]
            current = set(docs) - {d.path for d in removed} | {d.path for d in added}
            started = time.process_time()
            changes = update_index(removed, added, current, files.get)
            times.append(time.process_time() - started)
            assert changes is not None, label
            touched.append((len(changes), sum(len(b or b"") for b in changes.values())))
        files_changed, bytes_changed = sorted(touched)[2]
        print(
            f"  {label:18} {min(times) * 1000:8.1f} ms CPU (median {sorted(times)[2] * 1000:.1f} ms), "
            f"median {files_changed} files, {bytes_changed / 1e3:.0f} kB written",
            flush=True,
        )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    corpus = Corpus()
    for n in sizes:
        measure(n, corpus)


if __name__ == "__main__":
    main()
