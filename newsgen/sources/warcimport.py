"""``newsgen import`` of web archives: each HTML page a WARC file captured becomes a ``.html`` file.

WARC is the format of the Internet Archive, Common Crawl's news crawl, Heritrix and Webrecorder. Each
``response`` record with status 200 and an HTML body becomes ``content/<host>/<name>.html``: the page
as it was captured, with front matter ahead of it that keeps the capture's address (``url``) and time
(``captured``; not the publication date, which the build reads from the page). Names come from the
address alone, so a second import of the same archive finds its files and writes nothing new. Every
other record is counted by kind (redirects, errors, other media, requests and metadata), never lost
in silence.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from newsgen.errors import NewsgenError
from newsgen.models import Diagnostic
from newsgen.sources.importer import ImportedFile, ImportPlan, _with_front_matter
from newsgen.sources.newfiles import MAX_NAME_BYTES, cut_utf8
from newsgen.text.slugs import slugify

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def plan_warc(path: Path) -> tuple[ImportPlan, Counter[str]]:
    """The ``.html`` file of each captured HTML page, and how many records of each other kind were skipped."""
    from warcio.archiveiterator import ArchiveIterator  # only for a web archive
    from warcio.exceptions import ArchiveLoadFailed

    files: list[ImportedFile] = []
    problems: list[Diagnostic] = []
    skipped: Counter[str] = Counter()
    seen: dict[str, int] = {}
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle, arc2warc=True), start=1):
                kind = _kind(record)
                if kind != "page":
                    skipped[kind] += 1
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                name = _file_name(url)
                if name in seen:  # captured twice: the first capture is the one kept
                    skipped["page captured again"] += 1
                    continue
                seen[name] = number
                front: dict[str, object] = {"url": url}
                if captured := record.rec_headers.get_header("WARC-Date"):
                    front["captured"] = captured
                header = _with_front_matter(front, "").rstrip("\n") + "\n"
                body = record.content_stream().read()
                if _cut_short(record.http_headers, len(body)):
                    message = f"the page of {url} is cut short ({len(body):,} bytes of its length); not imported"
                    problems.append(Diagnostic(path.name, message, number))
                    continue
                files.append(ImportedFile(name, header, number, header.encode("utf-8") + body))
    except FileNotFoundError:
        raise NewsgenError(f"{path}: no such file") from None
    except (OSError, ArchiveLoadFailed, EOFError, ValueError) as exc:
        problems.append(Diagnostic(path.name, f"cannot read the archive past this record: {exc}", len(seen) or None))
    return ImportPlan(tuple(files), tuple(problems)), skipped


def _cut_short(http: object, read: int) -> bool:
    """Fewer bytes than the response said it sent (a truncated archive: warcio reads what is there)."""
    get = getattr(http, "get_header", lambda name: None)
    declared = get("Content-Length")
    if not declared or not declared.strip().isdigit() or get("Content-Encoding") or get("Transfer-Encoding"):
        return False  # unknown, or the bytes were decoded: their length is not the one declared
    return read < int(declared)


def _kind(record: object) -> str:
    """What a record is: ``page`` (an HTML page to import), or the kind it is skipped as."""
    kind = getattr(record, "rec_type", "")
    if kind != "response":
        return f"{kind or 'unknown'} record"
    http = getattr(record, "http_headers", None)
    if http is None:
        return "response without HTTP headers"
    status = http.get_statuscode() or ""
    if status.startswith("3"):
        return "redirect"
    if status != "200":
        return f"HTTP {status or 'status missing'}"
    media = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return "page" if media in _HTML_TYPES else f"not HTML ({media or 'no type'})"


def _file_name(url: str) -> str:
    """``<host>/<last words of the path>-<hash of the address>.html``: one name per address, always."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").removeprefix("www.")
    folder = cut_utf8(slugify(host, fallback="unknown-host"), MAX_NAME_BYTES)
    words = [w for w in parts.path.split("/") if w][-1:] or ["index"]
    stem = cut_utf8(slugify(words[0].rsplit(".", 1)[0], fallback="page"), 80).rstrip("-")
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{folder}/{stem}-{digest}.html"
