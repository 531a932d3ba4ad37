"""Whether the site is already what a build would write: asked before the build's stages are imported.

A build that finds nothing changed should cost little more than a look at the files' sizes and times;
importing the cleaner, Jinja and the rest of the stages would cost more than the look.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from newsgen import __version__
from newsgen.config import SiteConfig
from newsgen.errors import NewsgenError
from newsgen.folders import Walked, walk_tree
from newsgen.incremental.stamp import Fingerprint, inputs_fingerprint, load_stamp
from newsgen.output.outputfolder import OutputListing, check_output_folder
from newsgen.output.theme import default_theme_dir
from newsgen.report import BuildReport

CODE = Path(__file__).resolve().parents[1]  # newsgen's own code: a new version of it is a new build


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a build's inputs are now, and the last build's report if its site is still what they make."""

    settings: tuple[str, ...]
    fingerprint: Fingerprint
    taken_ns: int  # when the inputs were looked at
    report: BuildReport | None  # marked unchanged; None: there is something to build
    content: Walked | None = None  # the content folder as it was looked at: the build reads, then empties it
    output: OutputListing | None = None  # the output as it was (being) listed: the build checks it against the cache


def last_build(
    config: SiteConfig,
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path | None = None,
    strict: bool = False,
    keep_all: bool = False,
    report: bool = True,
    drafts: bool = False,
    config_file: Path | None = None,
    force: bool = False,
) -> LastBuild:
    """Look at the inputs and the stamp of the last build into ``output_dir`` (arguments as ``build_site``'s)."""
    started = time.perf_counter()
    if not content_dir.is_dir():
        raise NewsgenError(f"content folder {content_dir} not found; create it or pass --content DIR")
    check_output_folder(output_dir, content_dir, templates_dir, config_file, force)
    taken = time.time_ns()
    last = load_stamp(output_dir)
    # The files the last build left, looked at one by one; else the whole output, listed meanwhile by find.
    known = last.files if last and not force else None
    output = OutputListing(output_dir.resolve(), known) if output_dir.is_dir() else None
    settings = (__version__, repr(config), f"strict={strict} keep_all={keep_all} drafts={drafts}")
    content = walk_tree(content_dir)
    folders = (content_dir, default_theme_dir(), templates_dir, CODE)
    fingerprint = inputs_fingerprint(settings, folders, {content_dir: content})
    previous = last.report if last and isinstance(last.report, BuildReport) else None
    replays = not force and (not report or bool(previous and previous.document is not None))
    if previous and replays and last and fingerprint.matches(last) and last.files == _files(output):
        done = dataclasses.replace(previous, seconds=time.perf_counter() - started, unchanged=True)
        return LastBuild(settings, fingerprint, taken, done)
    return LastBuild(settings, fingerprint, taken, None, content, output)


def _files(output: OutputListing | None) -> dict[str, tuple[int, int]]:
    """The output's files as they are (a page deleted or edited by hand means building)."""
    return output.state() if output else {}
