"""Full-text search: run Pagefind over the staged site, before it is published.

Pagefind ships as a binary inside the ``pagefind[bin]`` wheel. It writes its index and its UI into
``pagefind/`` inside the folder it is given; indexing the staging folder keeps the publish atomic.
A missing or failing binary costs the search, never the site: the caller gets a message to report.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SEARCH_FOLDER = "pagefind"
# Only article pages are indexed (they alone mark data-pagefind-body): spare Pagefind reading the lists.
ARTICLE_PAGES = "{[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html,undated/*/index.html}"
TIMEOUT_SECONDS = 600


def pagefind_binary() -> Path | None:
    """The Pagefind executable: ``NEWSGEN_PAGEFIND`` if set, the one in ``pagefind_bin``, or one on PATH."""
    chosen = os.environ.get("NEWSGEN_PAGEFIND")
    if chosen:
        return Path(chosen)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return Path(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        return Path(found) if found else None


def search_binary_identity() -> tuple[str, int] | None:
    """Which Pagefind a build would run (path and modification time): installing it changes the site."""
    binary = pagefind_binary()
    try:
        return (str(binary), binary.stat().st_mtime_ns) if binary else None
    except OSError:
        return (str(binary), 0)


def build_search_index(site: Path, keep_index_url: bool) -> str | None:
    """Index ``site`` in place; returns None on success, else why search is missing from the site."""
    binary = pagefind_binary()
    if binary is None:
        return "the Pagefind binary was not found (pip install 'pagefind[bin]'); the site was built without search"
    command = [str(binary), "--site", str(site), "--output-subdir", SEARCH_FOLDER, "--silent", "--glob", ARTICLE_PAGES]
    if keep_index_url:  # links work from any static server without directory-index rewriting
        command.append("--keep-index-url")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Pagefind could not run ({binary}: {exc}); the site was built without search"
    if result.returncode != 0:
        shutil.rmtree(site / SEARCH_FOLDER, ignore_errors=True)  # no half-written index
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[0] if detail else f"exit status {result.returncode}"
        return f"Pagefind failed ({reason}); the site was built without search"
    return None
