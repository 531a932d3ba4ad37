"""What a build did with every input file; the build stamp keeps it for a build that finds nothing to do."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgen.archive.collect import article_path
from newsgen.cleaning.duplicates import Duplicate
from newsgen.models import ArticleMeta, Diagnostic, Rejection, RemovedLine


@dataclass(frozen=True, slots=True)
class NonArticle:
    """A file that reads as an index, error or bio page; left out (not an error) unless the build keeps all."""

    path: str
    reason: str
    published: bool


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did with every input file.

    A build that finds nothing to do says again what the last one said (``unchanged``), from the stamp,
    which keeps the report without its articles (``replayable``): the counts and warnings are fields of
    their own, so both read alike.
    """

    articles: tuple[ArticleMeta, ...]  # published, in site order; none in a report the stamp kept
    rejected: tuple[Rejection, ...]
    drafts: tuple[str, ...]  # paths of files marked draft: true (published too when with_drafts)
    pages: int
    bytes: int
    seconds: float
    duplicates: tuple[Duplicate, ...] = ()  # left out: another file holds the same article
    non_articles: tuple[NonArticle, ...] = ()  # flagged; left out unless published (never in `rejected`)
    site_warnings: tuple[Diagnostic, ...] = ()  # about the site as a whole, e.g. search not built
    unchanged: bool = False  # nothing was built: the inputs and the output are as the last build left them
    written: int = 0  # output files written (the others were already as this build would write them)
    with_drafts: bool = False  # built with --drafts: the drafts are among the articles
    cpu: tuple[tuple[str, float], ...] = ()  # CPU seconds by stage (``CpuClock``); none when nothing was built
    article_count: int = 0  # published articles
    article_warnings: tuple[Diagnostic, ...] = ()  # the published articles' own warnings
    document: str | None = None  # the ``--report`` document (``report_document``), when the build was asked
    standalone: tuple[ArticleMeta, ...] = ()  # the standalone pages published (About, ...); none in a stamp's

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.article_warnings + self.site_warnings

    def replayable(self) -> BuildReport:
        """This report without its articles, for the build stamp: what a no-op build says again."""
        return dataclasses.replace(self, articles=(), cpu=(), standalone=())

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` document: every input file appears exactly once (flags aside)."""
        if self.document is None:
            raise ValueError("this build was not asked for a report: build_site(report=True) makes one")
        return dict(json.loads(self.document))


def report_document(
    articles: Sequence[ArticleMeta], removed: Sequence[tuple[RemovedLine, ...]], report: BuildReport
) -> str:
    """The ``--report`` document of a build: each published article with the lines the cleaner removed from
    it, the standalone pages, then the other files (rejected, drafts, copies, non-articles), and the removals
    counted."""
    lines = sorted(zip(articles, removed, strict=True), key=lambda pair: pair[0].source_path)
    by_rule: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}
    for article, gone in lines:
        for line in gone:
            by_rule[line.rule] += 1
            by_source.setdefault(article.source, Counter())[line.rule] += 1
    document = {
        "articles": [
            {
                "source": a.source_path,
                "url": "/" + article_path(a).removesuffix("index.html"),
                "title": a.title,
                "date": a.published.isoformat() if a.published else None,
                "date_from": a.date_from,
                "warnings": [str(w) for w in a.warnings],
                "removed_lines": [_removed_line(r) for r in gone],
            }
            for a, gone in lines
        ],
        "standalone_pages": [
            {
                "source": p.source_path,
                "url": "/" + article_path(p).removesuffix("index.html"),
                "title": p.title,
                "warnings": [str(w) for w in p.warnings],
            }
            for p in report.standalone
        ],
        "rejected": [{"source": r.path, "error": str(r.error)} for r in report.rejected],
        "drafts": list(report.drafts),
        "duplicates": [
            {"source": d.path, "duplicate_of": d.duplicate_of, "similarity": d.similarity} for d in report.duplicates
        ],
        "non_articles": [{"source": n.path, "reason": n.reason, "published": n.published} for n in report.non_articles],
        "removals": {
            "by_rule": dict(sorted(by_rule.items())),
            "by_source": {k: dict(sorted(v.items())) for k, v in sorted(by_source.items())},
        },
        "pages": report.pages,
    }
    return json.dumps(document, ensure_ascii=False)


STAGES = ("load/clean", "parse", "sort out", "collect", "render", "write", "search")


class CpuClock:
    """CPU seconds by stage of a build (``STAGES``): this process's and its workers' (each ``map_ordered``
    waits for its workers, whose time then counts as this process's children's). Two system calls a stage."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self._last = cpu_seconds()

    def lap(self, stage: str) -> None:
        """The time since the last lap was ``stage``'s."""
        now = cpu_seconds()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now

    def part(self, stage: str, seconds: float) -> None:
        """Of the time until the next lap, ``seconds`` (measured where it was spent, in a worker) were ``stage``'s."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        self._last += seconds

    def stages(self) -> tuple[tuple[str, float], ...]:
        return tuple((stage, round(seconds, 3)) for stage, seconds in self.seconds.items())


def cpu_seconds() -> float:
    """CPU seconds, user and system, of this process and of its children that have ended."""
    try:
        import resource
    except ImportError:  # not on Unix: this process only
        return time.process_time()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _removed_line(line: RemovedLine) -> dict[str, Any]:
    """A removed line in the report: the line model's removals say how sure it was (its score)."""
    out: dict[str, Any] = {"line": line.number, "text": line.text, "rule": line.rule}
    if line.score is not None:
        out["score"] = line.score
    return out
