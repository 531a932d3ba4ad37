"""What a build did with every input file; the build stamp keeps it for a build that finds nothing to do."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from newsgen.archive.collect import article_path
from newsgen.cleaning.duplicates import Duplicate
from newsgen.models import Article, Diagnostic, Rejection, RemovedLine


@dataclass(frozen=True, slots=True)
class NonArticle:
    """A file that reads as an index, error or bio page; left out (not an error) unless the build keeps all."""

    path: str
    reason: str
    published: bool


@dataclass(frozen=True, slots=True)
class Replay:
    """What an earlier build reported, kept by the build stamp instead of its articles (quick to load)."""

    article_count: int
    warnings: tuple[Diagnostic, ...]  # the articles' warnings
    report_json: str | None  # ``to_json()`` of that build, serialised; None when no report was asked for


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did with every input file."""

    articles: tuple[Article, ...]  # published, in site order; without their bodies (the pages hold them)
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
    replay: Replay | None = None  # set on a report kept by the build stamp, whose articles are not kept
    with_drafts: bool = False  # built with --drafts: the drafts are among the articles
    itemised: bool = True  # the articles hold their removed lines (a cached build fetches them for --report only)
    cpu: tuple[tuple[str, float], ...] = ()  # CPU seconds by stage (``CpuClock``); none when nothing was built

    @property
    def article_count(self) -> int:
        return self.replay.article_count if self.replay else len(self.articles)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        own = self.replay.warnings if self.replay else tuple(w for a in self.articles for w in a.warnings)
        return own + self.site_warnings

    def replayable(self, with_json: bool) -> BuildReport:
        """This report without its articles, for the build stamp: what a no-op build says again.

        ``with_json``: keep the ``--report`` document too (for 10,000 articles, megabytes and a third of
        a second, so only when one was asked for).
        """
        own = tuple(w for a in self.articles for w in a.warnings)
        report_json = json.dumps(self.to_json(), ensure_ascii=False) if with_json else None
        replay = Replay(len(self.articles), own, report_json)
        return dataclasses.replace(self, articles=(), replay=replay, cpu=())

    def removals(self) -> dict[str, dict[str, int]]:
        """Lines removed from published articles, counted per rule and per source (then per rule)."""
        assert self.itemised, "build_site(report=True) keeps the removed lines that a report lists"
        by_rule: Counter[str] = Counter()
        by_source: dict[str, Counter[str]] = {}
        for article in self.articles:
            for line in article.removed:
                by_rule[line.rule] += 1
                by_source.setdefault(article.source, Counter())[line.rule] += 1
        return {
            "by_rule": dict(sorted(by_rule.items())),
            **{f"source:{k}": dict(sorted(v.items())) for k, v in sorted(by_source.items())},
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` document: every input file appears exactly once (flags aside)."""
        if self.replay:
            assert self.replay.report_json is not None, "a build asked for a report does not replay one without"
            return dict(json.loads(self.replay.report_json))
        removals = self.removals()
        return {
            "articles": [
                {
                    "source": a.source_path,
                    "url": "/" + article_path(a).removesuffix("index.html"),
                    "title": a.title,
                    "date": a.published.isoformat() if a.published else None,
                    "date_from": a.date_from,
                    "warnings": [str(w) for w in a.warnings],
                    "removed_lines": [_removed_line(r) for r in a.removed],
                }
                for a in sorted(self.articles, key=lambda a: a.source_path)
            ],
            "rejected": [{"source": r.path, "error": str(r.error)} for r in self.rejected],
            "drafts": list(self.drafts),
            "duplicates": [
                {"source": d.path, "duplicate_of": d.duplicate_of, "similarity": d.similarity} for d in self.duplicates
            ],
            "non_articles": [
                {"source": n.path, "reason": n.reason, "published": n.published} for n in self.non_articles
            ],
            "removals": {
                "by_rule": removals.pop("by_rule"),
                "by_source": {k.removeprefix("source:"): v for k, v in removals.items()},
            },
            "pages": self.pages,
        }


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
