"""``newsgen import``: rows of a scraped-news CSV or JSON Lines file become text files in content/.

One file per row, in ``content/<source>/``, with front matter for the fields we know and the scraped
text as the body, unchanged: cleaning is the build's job, so the import can be repeated and reviewed.
File names are derived from the row alone (its id, else a hash of its URL or text), so importing the
same rows again finds the files already there instead of writing copies. Each row is imported whole or
reported: a row the importer cannot read or write never stops the others. ``plan_import`` is pure;
``apply_import`` is the only part that touches the disk.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import html
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path, PurePosixPath

import yaml

from newsgen.errors import NewsgenError
from newsgen.models import Diagnostic
from newsgen.sources.newfiles import MAX_NAME_BYTES, SURROGATES, create_file, cut_utf8
from newsgen.text.slugs import slugify

# The front matter fields an import fills, and the column names that commonly hold them. A field takes
# the first of its columns that has a value in the row; a list field (LIST_FIELDS) takes them all.
DEFAULT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "content": ("content", "text", "body"),
    "summary": ("summary", "description", "meta_description"),
    "date": ("date", "published", "published_at", "publish_date"),
    "url": ("url", "link"),
    "source": ("domain", "source", "site"),
    "authors": ("authors", "author"),
    "tags": ("tags", "keywords", "meta_keywords"),
    "id": ("id",),
}
LIST_FIELDS = ("authors", "tags")
SLUG_WORDS = 8  # words of the title in a file name: enough to recognise it in a listing
MAX_ROW_CHARS = 50 * 2**20  # one row of 50 MB is a stray dump, not an article: reported, not imported
MAX_DEPTH = 100  # JSON nesting; a news record nests a few levels, and deeper would exhaust the parser's stack
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


@dataclass(frozen=True, slots=True)
class Row:
    """One input record with where it starts in the file (line number), for error messages."""

    line: int
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A file an import wants to write: path relative to the content folder, and its text."""

    path: str
    text: str
    line: int  # where its row starts in the input file (a WARC's: its record's number)
    data: bytes | None = None  # the bytes to write, when they are not ``text`` in UTF-8 (a saved page)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What a set of rows becomes: files to write, the rows that could not be imported, and repairs made."""

    files: tuple[ImportedFile, ...]
    problems: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``apply_import`` did: every row is in exactly one of written, unchanged and problems."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]  # already there with the same text: a repeated import
    problems: tuple[Diagnostic, ...] = field(default=())
    warnings: tuple[Diagnostic, ...] = field(default=())  # rows imported with a repair


def parse_column_map(text: str | None) -> dict[str, str]:
    """``title=headline,content=text`` to a mapping; unknown field names are an error."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, column = (s.strip() for s in part.partition("="))
        if not sep or not key or not column:
            raise NewsgenError(f"--map: expected FIELD=COLUMN, not {part.strip()!r}")
        if key not in DEFAULT_COLUMNS:
            raise NewsgenError(f"--map: unknown field {key!r}; fields are {', '.join(DEFAULT_COLUMNS)}")
        mapping[key] = column
    return mapping


def read_rows(path: Path) -> tuple[list[str], list[Row], list[Diagnostic]]:
    """The column names, rows and unreadable records of a .csv or .jsonl/.ndjson file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise NewsgenError(f"{path}: can import .csv and .jsonl files, not {suffix or 'files without a suffix'}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _csv_rows(handle, path.name) if suffix == ".csv" else _jsonl_rows(handle, path.name)
    except FileNotFoundError:
        raise NewsgenError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NewsgenError(f"{path}: cannot read: {exc}") from None


def _csv_rows(handle: Iterator[str], name: str) -> tuple[list[str], list[Row], list[Diagnostic]]:
    # Scraped article text is long: the csv module's default 128 KiB field limit rejects real rows.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(handle)
    rows: list[Row] = []
    problems: list[Diagnostic] = []
    start = 2  # line 1 is the header
    for record in reader:
        if None in record:  # more fields than columns: a broken quote, most likely
            problems.append(Diagnostic(name, "row has more fields than the header has columns", start, "error"))
        elif (size := sum(len(v) for v in record.values() if isinstance(v, str))) > MAX_ROW_CHARS:
            problems.append(Diagnostic(name, _too_large(size), start, "error"))
        else:
            rows.append(Row(start, {k: v for k, v in record.items() if k is not None}))
        start = reader.line_num + 1
    return list(reader.fieldnames or []), rows, problems


def _jsonl_rows(handle: Iterator[str], name: str) -> tuple[list[str], list[Row], list[Diagnostic]]:
    columns: dict[str, None] = {}
    rows: list[Row] = []
    problems: list[Diagnostic] = []
    for number, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        if len(text) > MAX_ROW_CHARS:
            problems.append(Diagnostic(name, _too_large(len(text)), number, "error"))
            continue
        if _nesting(text) > MAX_DEPTH:
            message = f"nested deeper than {MAX_DEPTH} levels; not imported (a news record nests a few)"
            problems.append(Diagnostic(name, message, number, "error"))
            continue
        try:
            record = json.loads(text)
        except ValueError as exc:  # JSONDecodeError, or an integer of over 4,300 digits
            problems.append(Diagnostic(name, f"not valid JSON: {getattr(exc, 'msg', exc)}", number, "error"))
            continue
        if not isinstance(record, dict):
            problems.append(Diagnostic(name, "a line must hold one JSON object", number, "error"))
            continue
        record = {SURROGATES.sub("\ufffd", str(k)): v for k, v in record.items()}  # a key is only looked up
        columns.update(dict.fromkeys(record))
        rows.append(Row(number, record))
    return list(columns), rows, problems


def _too_large(chars: int) -> str:
    return (
        f"row holds {chars:,} characters, over the limit of {MAX_ROW_CHARS:,} ({MAX_ROW_CHARS / 2**20:g} MB) "
        "for one row; not imported (a stray dump? split or trim it)"
    )


def _nesting(text: str) -> int:
    """How deep a JSON line nests, without parsing it: ``json.loads`` recurses, and a deep row exhausts the stack."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # cannot nest deeper than its brackets: the common case costs two counts
    brackets = re.findall(r"[\[\]{}]", _JSON_STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def resolve_columns(available: Sequence[str], overrides: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Field name to the columns it is read from; a field with none is left out (content is required)."""
    present = set(available)
    for key, column in overrides.items():
        if column not in present:
            raise NewsgenError(f"--map {key}={column}: no column {column!r}; columns are {', '.join(available)}")
    resolved: dict[str, tuple[str, ...]] = {key: (column,) for key, column in overrides.items()}
    for key, candidates in DEFAULT_COLUMNS.items():
        if key not in resolved and (found := tuple(c for c in candidates if c in present)):
            resolved[key] = found
    if "content" not in resolved:
        raise NewsgenError(
            f"no text column (looked for {', '.join(DEFAULT_COLUMNS['content'])}); name it with --map content=COLUMN"
        )
    return resolved


def plan_import(rows: Sequence[Row], columns: Mapping[str, Sequence[str]], input_name: str) -> ImportPlan:
    """The file for each row, or the reason it has none; pure, so it can be tested without a disk."""
    files: list[ImportedFile] = []
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    seen_keys: dict[tuple[str, str], int] = {}  # (folder, id): an id names one article of its source
    seen_paths: dict[str, int] = {}
    for row in rows:
        repaired: list[str] = []
        text = _row_reader(row, repaired)

        def first(key: str, text: Callable[[str], str] = text) -> str:
            return next((v for v in map(text, columns.get(key, ())) if v.strip()), "")

        body = first("content")
        if not body.strip():
            message = f"no text in column {' or '.join(map(repr, columns['content']))}; not imported"
            problems.append(Diagnostic(input_name, message, row.line))
            continue
        key = first("id").strip() or _digest(first("url").strip() or body)[:12]
        source = _source_name(first("source"))
        folder = cut_utf8(slugify(source, fallback="imported"), MAX_NAME_BYTES)
        if (folder, key) in seen_keys:
            message = f"same id or URL as the row on line {seen_keys[folder, key]}; not imported twice"
            problems.append(Diagnostic(input_name, message, row.line))
            continue
        seen_keys[folder, key] = row.line
        title = " ".join(first("title").split())
        path = f"{folder}/{_file_name(key, title)}"
        if path in seen_paths:  # two ids whose names agree even after the id's hash: never one file for both
            message = f"file name {path} is taken by the row on line {seen_paths[path]}; give this row another id"
            problems.append(Diagnostic(input_name, message, row.line))
            continue
        seen_paths[path] = row.line
        front: dict[str, object] = {}
        if title:
            front["title"] = title
        for key_name in ("date", "url"):
            if first(key_name).strip():
                front[key_name] = first(key_name).strip()
        if source:
            front["source"] = source
        for key_name in LIST_FIELDS:
            items = _merged_items(row, columns.get(key_name, ()), repaired)
            if items:
                front[key_name] = items
        summary = " ".join(first("summary").split())
        if summary and not _contains(body, summary):  # one the text holds would show twice on the page
            front["summary"] = summary
        if repaired:
            message = (
                f"lone surrogate (an unpaired \\ud800-\\udfff escape) in {', '.join(sorted(set(repaired)))} "
                "replaced with U+FFFD"
            )
            warnings.append(Diagnostic(input_name, message, row.line, "decoding"))
        files.append(ImportedFile(path, _with_front_matter(front, body), row.line))
    return ImportPlan(tuple(files), tuple(problems), tuple(warnings))


def apply_import(plan: ImportPlan, content_dir: Path, input_name: str) -> ImportResult:
    """Write the planned files, each whole or not at all; an existing file is left alone (same text: unchanged)."""
    written: list[str] = []
    unchanged: list[str] = []
    problems = list(plan.problems)
    for file in plan.files:
        target = content_dir.joinpath(*PurePosixPath(file.path).parts)
        data = file.text.encode("utf-8") if file.data is None else file.data
        try:
            if not target.exists():
                try:
                    create_file(target, data)
                    written.append(file.path)
                    continue
                except FileExistsError:
                    pass  # made since we looked: compared below like any other
            if target.read_bytes() == data:
                unchanged.append(file.path)
            else:
                message = f"{file.path} exists with other text (edited?); left as it is, row not imported"
                problems.append(Diagnostic(input_name, message, file.line))
        except OSError as exc:
            message = f"cannot write {file.path}: {exc.strerror or exc}; row not imported"
            problems.append(Diagnostic(input_name, message, file.line))
    return ImportResult(tuple(written), tuple(unchanged), _by_line(problems), _by_line(plan.warnings))


def _by_line(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: d.line or 0))


def _row_reader(row: Row, repaired: list[str]) -> Callable[[str], str]:
    """A column's value as text, lone surrogates replaced (a JSON escape can hold one; no file can)."""

    def text(column: str) -> str:
        raw = row.values.get(column)
        if isinstance(raw, list):
            value = ", ".join(str(v) for v in raw if v is not None)
        else:
            value = "" if raw is None else str(raw)
        value, found = SURROGATES.subn("\ufffd", value)
        if found:
            repaired.append(repr(column))
        return value

    return text


def _merged_items(row: Row, columns: Sequence[str], repaired: list[str]) -> list[str]:
    """Names from every column, in order, once each (by slug, as the site groups them); junk left out."""
    out: dict[str, str] = {}
    for column in columns:
        for item in _items(row.values.get(column)):
            item, found = SURROGATES.subn("\ufffd", " ".join(html.unescape(item).split()))
            if found:
                repaired.append(repr(column))
            if re.search(r"\w", item) and "://" not in item:  # '', "['']", '&udarr;' and links are no names
                out.setdefault(slugify(item, fallback=item), item)
    return list(out.values())


def _items(raw: object) -> list[str]:
    """A list cell as scrapers write it: a JSON list, ``a, b``, or a Python list's text ``['a', 'b']``."""
    if isinstance(raw, list):
        return [str(v) for v in raw if v is not None]
    text = "" if raw is None else str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            value = ast.literal_eval(text)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return [part.strip().strip("'\"") for part in text[1:-1].split(",")]
        if isinstance(value, list | tuple):
            return [str(v) for v in value if v is not None]
    return text.split(",")


def _contains(body: str, summary: str) -> bool:
    """Whether the text already holds the summary (a description is often its first sentence, cut with "...")."""
    return " ".join(summary.rstrip(".… ").split()) in " ".join(body.split())


def _file_name(key: str, title: str) -> str:
    """``<id>-<first words of the title>.txt``, under MAX_NAME_BYTES, one name per id.

    An id that is not its own slug (``ABC``, ``a/b``) also gets a hash of itself, so ids that slug alike
    (``abc``, ``a-b``) keep their own files; the name depends on the row alone, so it is stable.
    """
    room = MAX_NAME_BYTES - len(".txt")
    name = slugify(key, fallback="")
    if name != key or len(name.encode("utf-8")) > room:
        name = "-".join(filter(None, (cut_utf8(name, room - 9).rstrip("-"), _digest(key)[:8])))
    stem = "-".join(slugify(title, fallback="").split("-")[:SLUG_WORDS])
    stem = cut_utf8(stem, room - len(name.encode("utf-8")) - 1).rstrip("-")
    return f"{name}{'-' + stem if stem else ''}.txt"


def _source_name(value: str) -> str:
    """A domain as a source name: ``www.example.com`` and ``example.com`` are one publication."""
    name = value.strip()
    return name[4:] if name.lower().startswith("www.") else name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_front_matter(front: Mapping[str, object], body: str) -> str:
    header = yaml.safe_dump(dict(front), allow_unicode=True, sort_keys=False, width=10_000) if front else ""
    return f"---\n{header}---\n\n{body}" + ("" if body.endswith("\n") else "\n")
