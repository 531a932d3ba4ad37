"""Input files to SourceFile records: discovery, decoding and front matter.

``parse_source`` is pure (bytes in, record out); ``discover`` and ``read_source``
are the only places that touch the content folder.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import posixpath
import re
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from newsgen.config import SiteConfig
from newsgen.errors import ContentError
from newsgen.folders import Walked, walk_tree
from newsgen.models import Diagnostic, Line, Rejection, SourceFile
from newsgen.parallel import map_ordered
from newsgen.progress import Report, counted
from newsgen.safeyaml import CSafeLoader, DuplicateKeyError, joined_pairs, safe_load
from newsgen.text.slugs import slugify

Markup = Literal["text", "markdown", "html"]
MARKUP_BY_SUFFIX: Mapping[str, Markup] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
FRONT_MATTER_KEYS = tuple(
    "title date updated slug source url authors tags summary draft language captured layout".split()
)
PAGES_FOLDER = "pages/"  # a file under content/pages/ is a standalone page, as one with ``layout: page`` is
_BACKUP = re.compile(r"(~|\.swp|\.swo|\.bak|\.orig|\.tmp)$|^#.*#$|^\.#", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # in a file name: controls and undecodable bytes
# C0 controls other than tab, newline, form feed and carriage return: text has almost none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def discover(content_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every article file under ``content_dir``, sorted; links leaving the folder are refused."""
    found, refused = scan_content(content_dir)
    return [Path(file.path) for file in found], refused


@dataclass(frozen=True, slots=True)
class Found:
    """An article file as discovery saw it: where it is, its path as shown, and its size and time."""

    path: str
    shown: str  # relative to the content folder, with ``/``
    info: os.stat_result | None  # None: it could not be looked at (reading it will say why)


Scanned = tuple[list["Found"], list[Diagnostic]]  # files found, and those refused with why


def scan_content(content_dir: Path, walked: Walked | None = None, articles: bool = True) -> Scanned:
    """``discover``, with each file's stat: one system call per file, the least an incremental build needs.

    Links to folders are not walked into (a link cycle would never end); one leaving the folder is refused.
    ``walked``: ``walk_tree(content_dir)``, when the caller looked at the folder already. ``articles``:
    false, the other files instead (images, PDFs...), which the build copies beside the pages.
    """
    return scan_both(content_dir, walked)[0 if articles else 1]


def scan_both(content_dir: Path, walked: Walked | None = None) -> tuple[Scanned, Scanned]:
    """``scan_content`` of the articles and of the other files, in one pass over the folder's entries."""
    root = content_dir.resolve()
    found: tuple[list[Found], list[Found]] = ([], [])  # articles, other files
    refused: tuple[list[Diagnostic], list[Diagnostic]] = ([], [])
    hidden: dict[str, bool] = {"": False}  # by folder: whether it, or a folder it is in, is hidden
    escaped: set[str] = set()  # files whose name is not UTF-8, shown with \xNN
    for shown, entry in walk_tree(content_dir) if walked is None else walked:
        if not shown.isprintable() and shown != (shown := shown_path(shown)):  # compared with the name before
            escaped.add(entry.path)
        folder, _, name = shown.rpartition("/")
        if (in_hidden := hidden.get(folder)) is None:
            in_hidden = hidden[folder] = any(_is_hidden(part) for part in folder.split("/"))
        if in_hidden or _is_hidden(name):
            continue
        try:
            is_dir = entry.is_dir()  # a link to a folder (the walk lists links, and enters real folders only)
        except OSError:
            is_dir = False
        # a link to a folder is the articles' scan's to refuse
        side = 0 if is_dir or os.path.splitext(entry.name)[1].lower() in MARKUP_BY_SUFFIX else 1
        if entry.is_symlink() and not _inside(Path(entry.path), root):
            refused[side].append(Diagnostic(shown, _OUTSIDE, kind="not-read"))
        elif not is_dir:
            try:
                info: os.stat_result | None = entry.stat()
            except OSError:
                info = None
            if info is not None and not stat.S_ISREG(info.st_mode):  # a pipe or device would hang the build
                refused[side].append(Diagnostic(shown, _SPECIAL, kind="not-read"))
            else:
                found[side].append(Found(entry.path, shown, info))
    scanned = []
    for files, refusals in zip(found, refused, strict=True):
        if escaped:
            files, refusals = _one_file_a_name(files, escaped, refusals)
        files.sort(key=lambda f: f.shown)
        scanned.append((files, refusals))
    return scanned[0], scanned[1]


def shown_path(path: str) -> str:
    """``path`` as shown and kept, printable, storable and hashable: the bytes of a name that are not UTF-8,
    which ``os`` decodes to lone surrogates (``surrogateescape``), and control characters (a newline, a
    terminal's escape) written ``\\xNN``; other surrogates, which Windows names may hold, ``\\uNNNN``."""
    return _UNSHOWN.sub(_escape, path)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte it stands for
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def _one_file_a_name(
    found: list[Found], escaped: set[str], refused: list[Diagnostic]
) -> tuple[list[Found], list[Diagnostic]]:
    """Refuse a file whose name, written with escapes, is another file's name: a path is one file."""
    names = Counter(f.shown for f in found)
    twice = [f for f in found if f.path in escaped and names[f.shown] > 1]
    refused = refused + [Diagnostic(f.shown, _LOOKALIKE, kind="not-read") for f in twice]
    return [f for f in found if f not in twice], refused


_OUTSIDE = "symbolic link points outside the content folder; not followed (copy the file in instead)"
_SPECIAL = "not a regular file (a pipe, socket or device); not read"
_LOOKALIKE = (
    "file name, its control characters and bytes that are not UTF-8 written \\xNN, is another file's; rename it"
)


def read_source(file: Path, content_dir: Path, max_bytes: int | None = None) -> SourceFile:
    """Read one file from disk; raises ContentError when it cannot be an article.

    A file over ``max_bytes`` is refused having read no more than that: one stray database dump of
    100 MB took a build 54 s and 3 GB.
    """
    shown = _relative(file, content_dir)
    try:
        with file.open("rb") as handle:
            data = handle.read(-1 if max_bytes is None else max_bytes + 1)
            too_big = max_bytes is not None and len(data) > max_bytes
            size = max(len(data), os.fstat(handle.fileno()).st_size) if too_big else 0
    except OSError as exc:
        raise ContentError(shown, f"cannot read file: {exc.strerror or exc}") from None
    if too_big:
        message = (
            f"{size:,} bytes, over the limit of {max_bytes:,} for an article file; split it, remove it, "
            "or raise max_article_bytes in site.yaml"
        )
        raise ContentError(shown, message, kind="too-big")
    return parse_source(data, shown)


def parse_source(data: bytes, path: str) -> SourceFile:
    """Decode ``data`` and split off its front matter; ``path`` is relative to content/."""
    markup = markup_of(path)
    if markup == "html":
        from newsgen.sources.htmlpage import saved_page

        if not data.strip():
            raise ContentError(path, _EMPTY)
        front_matter, text, date_from = saved_page(data, path)
        body, encoding, first_body_line = text, "html", 1
        warnings: list[Diagnostic] = []
    else:
        date_from = None
        text, encoding, warnings = decode(data, path)
        front_matter, first_body_line, body = split_front_matter(text, path)
    key_lines: dict[str, int] = {}
    if front_matter and markup != "html":
        block = text.split("\n", first_body_line - 2)[1:-1]  # the body is not split: it may be megabytes
        for number, line in enumerate(block, start=2):
            if line[:1] not in ("", " ", "\t", "#", "-") and ":" in line:  # "key: value" at the margin
                key_lines.setdefault(line.partition(":")[0].strip().strip("'\""), number)
        if any("\\" in line for line in block):  # only an escape makes a surrogate: "\ud800"
            try:
                front_matter = _whole_characters(front_matter, path, key_lines, warnings)
            except RecursionError:
                raise ContentError(path, _TOO_DEEP, 2, "front-matter") from None
    warnings += _check_front_matter_keys(front_matter, path)
    lines = tuple(Line(first_body_line + i, t) for i, t in enumerate(body.split("\n")))
    if not any(line.text.strip() for line in lines) and not front_matter:
        raise ContentError(path, "file has no text; add an article or delete the file")
    return SourceFile(
        path=path,
        lines=lines,
        front_matter=front_matter,
        encoding=encoding,
        markup=markup,
        digest=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
        front_matter_lines=key_lines,
        date_from=date_from,
    )


_EMPTY = "file is empty; add an article or delete the file"


def decode(data: bytes, path: str) -> tuple[str, str, list[Diagnostic]]:
    """Bytes to text with newlines normalised, trying the encodings scrapers really produce."""
    if not data.strip():
        raise ContentError(path, _EMPTY)
    warnings: list[Diagnostic] = []
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, encoding = _strict(data, codec, path), codec
            break
    if text is None and b"\x00" in data:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise ContentError(path, "binary file (contains NUL bytes), not text; remove it from content/")
        text, encoding = _strict(data, guessed, path), guessed
        warnings.append(Diagnostic(path, f"no byte-order mark; read as {guessed.upper()}", kind="decoding"))
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            for legacy in ("cp1252", "latin-1"):
                try:
                    text, encoding = data.decode(legacy), legacy
                    break
                except UnicodeDecodeError:
                    continue
            warnings.append(
                Diagnostic(
                    path,
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); read as {encoding}. "
                    "Save the file as UTF-8 to silence this",
                    line,
                    kind="decoding",
                )
            )
    assert text is not None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ContentError(path, "binary file (mostly control characters), not text; remove it from content/")
    return text, encoding, warnings


def _whole_characters(
    front_matter: dict[str, Any], path: str, key_lines: Mapping[str, int], warnings: list[Diagnostic]
) -> dict[str, Any]:
    """Front matter without lone surrogates, which YAML's ``"\\ud800"`` makes and no page can be written with.

    Each becomes U+FFFD, with a warning on its key's line; a pair written as two escapes becomes its character.
    """
    memo: dict[int, Any] = {}  # by id: aliases make one list many values (a YAML alias bomb stays cheap)
    lone = 0  # lone surrogates replaced so far

    def mend(value: Any) -> Any:
        nonlocal lone
        if isinstance(value, str):
            mended = joined_pairs(value, "replace")
            lone += mended.count("\ufffd") - value.count("\ufffd")
            return mended
        if isinstance(value, list | dict) and id(value) not in memo:
            memo[id(value)] = (
                [mend(v) for v in value] if isinstance(value, list) else {mend(k): mend(v) for k, v in value.items()}
            )
        return memo.get(id(value), value)

    out = {}
    for key, value in front_matter.items():
        before = lone
        out[mend(key)] = mend(value)
        if lone > before:
            message = "lone surrogate (half a UTF-16 pair, written as a \\u escape) replaced with U+FFFD"
            warnings.append(Diagnostic(path, message, key_lines.get(key), "decoding"))
    return out


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], int, str]:
    """Split a leading ``---`` YAML block from the body; return (data, body's first line number, body)."""
    if not re.match(r"---[ \t]*\n", text):
        return {}, 1, text
    lines = text.split("\n")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise ContentError(path, "front matter starts with '---' but has no closing '---' line", 1, "front-matter")
    block = "\n".join(lines[1:end])
    try:
        data = _load_yaml(block)
    except DuplicateKeyError as exc:  # line 1 is the opening '---'
        raise ContentError(path, f"invalid front matter: {exc.message(1)}", exc.line + 1, "front-matter") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        if isinstance(exc, yaml.constructor.ConstructorError):
            problem = f"{problem} (YAML tags are not allowed in front matter)"
        raise ContentError(path, f"invalid front matter: {problem}", line, "front-matter") from None
    except RecursionError:  # PyYAML's own parser (not libyaml) nests a call for each level
        raise ContentError(path, _TOO_DEEP, 2, "front-matter") from None
    except (ValueError, OverflowError) as exc:  # PyYAML builds dates itself: 2016-02-30 fails here, without a mark
        line = next((n for n, text in enumerate(lines[1:end], start=2) if _bad_value(text)), 1)
        raise ContentError(
            path, f"invalid front matter: {exc} (a date that does not exist?)", line, "front-matter"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            path, "front matter must be 'key: value' lines, not a list or a single value", 2, "front-matter"
        )
    return {str(k): v for k, v in data.items()}, end + 2, "\n".join(lines[end + 1 :])


_TOO_DEEP = "invalid front matter: lists or mappings nested hundreds deep; front matter is a few 'key: value' lines"

# Front matter of these characters only (no tabs, block scalars, comments, tags, anchors, flow mappings,
# byte-order marks or other line breaks) reads the same with libyaml as with PyYAML's own parser: fuzzed.
_PLAIN_FRONT_MATTER = re.compile(r"[A-Za-z0-9 _.,:/'\"()+\[\]\n-]*")


def _load_yaml(block: str) -> Any:
    """``safe_load``, several times faster through libyaml where the two are known to agree."""
    if CSafeLoader is not None and _PLAIN_FRONT_MATTER.fullmatch(block):
        try:
            return safe_load(block, CSafeLoader)
        except Exception:
            pass  # PyYAML's error, with its line, is the one we report
    return safe_load(block)


def _bad_value(line: str) -> bool:
    """Whether this one line, alone, holds a value YAML cannot build (which line to blame)."""
    try:
        yaml.safe_load(line)
    except (ValueError, OverflowError):
        return True
    except yaml.YAMLError:  # a line of a multi-line value: not the culprit on its own
        pass
    return False


def _check_front_matter_keys(front_matter: Mapping[str, Any], path: str) -> list[Diagnostic]:
    import difflib

    out = []
    for key in front_matter:
        if key not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(FRONT_MATTER_KEYS)}"
            out.append(Diagnostic(path, f"unknown front matter key '{key}' ignored{hint}", kind="front-matter"))
    return out


def _strict(data: bytes, codec: str, path: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, f"starts like {codec.upper()} but is not valid {codec.upper()}: {exc.reason}"
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin script has a NUL in every other byte; binary files do not."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or bool(_BACKUP.search(name))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def markup_of(path: str) -> Markup:
    """How a file is written, by its suffix: Markdown, a saved web page, else scraped text."""
    return MARKUP_BY_SUFFIX.get(posixpath.splitext(path)[1].lower(), "text")


def _relative(path: Path, content_dir: Path) -> str:
    """``path`` as shown to the user and kept in reports: relative to the content folder, with ``/``."""
    try:
        shown = path.relative_to(content_dir).as_posix()
    except ValueError:
        shown = path.as_posix()
    return shown if shown.isprintable() else shown_path(shown)


def source_of(fm: Mapping[str, Any], path: str, config: SiteConfig) -> tuple[str, str]:
    """The source key (slug) and display name of a file: front matter ``source``, else its first folder."""
    given = fm.get("source")
    if isinstance(given, str) and given.strip():
        key = slugify(given, fallback=config.default_source)
        return key, config.source_name(key, given)
    raw = _folder(path) or config.default_source
    key = slugify(raw, fallback="archive")
    return key, config.source_name(key, raw)


def is_page(fm: Mapping[str, Any], path: str) -> bool:
    """Whether a file is a standalone page rather than an article: under ``content/pages/``, or ``layout: page``."""
    layout = fm.get("layout")
    return layout == "page" if layout is not None else path.startswith(PAGES_FOLDER)


def _folder(path: str) -> str | None:
    """The first folder of ``path``, if it is in one: ``PurePosixPath(path).parts[0]`` with more parts after it.

    Asked three times of each file; a content path ("source/file.txt") needs no parsing by pathlib.
    """
    head, _, rest = path.partition("/")
    if head and head != "." and rest.strip("/."):  # a part past the first one that pathlib keeps
        return head
    parts = PurePosixPath(path).parts
    return parts[0] if len(parts) > 1 else None


def read_sources(
    content_dir: Path, max_bytes: int | None = None, jobs: int = 1, progress: Report | None = None
) -> tuple[list[SourceFile], list[Rejection]]:
    """Every article file under ``content_dir``, decoded; unreadable files become rejections."""
    files, refused = discover(content_dir)
    rejected = [Rejection(d.path, d) for d in refused]
    sources: list[SourceFile] = []
    reads = map_ordered(_read_one, (content_dir, max_bytes), files, jobs)
    for result in counted(reads, "reading", len(files), progress):
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            sources.append(result)
    return sources, rejected


def _read_one(state: tuple[Path, int | None], file: Path) -> SourceFile | Rejection:
    try:
        return read_source(file, *state)
    except ContentError as exc:
        return rejection(exc)


def rejection(exc: ContentError) -> Rejection:
    """A file left out, with its error as the build reports it."""
    return Rejection(exc.path, Diagnostic(exc.path, exc.message, exc.line, kind=exc.kind))
