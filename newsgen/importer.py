"""``newsgen import``: rows of a scraped-news CSV or JSON Lines file become text files in content/.

One file per row, in ``content/<source>/``, with front matter for the fields we know and the scraped
text as the body, unchanged: cleaning is the build's job, so the import can be repeated and reviewed.
File names are derived from the row (its id, else a hash of its URL or text), so importing the same
rows again finds the files already there instead of writing copies. ``plan_import`` is pure;
``apply_import`` is the only part that touches the disk.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from newsgen.errors import NewsgenError
from newsgen.models import Diagnostic
from newsgen.slugs import slugify

# The front matter fields an import fills, and the column names that commonly hold them (first found wins).
DEFAULT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "content": ("content", "text", "body"),
    "date": ("date", "published", "published_at", "publish_date"),
    "url": ("url", "link"),
    "source": ("domain", "source", "site"),
    "authors": ("authors", "author"),
    "id": ("id",),
}
SLUG_WORDS = 8  # words of the title in a file name: enough to recognise it in a listing


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
    line: int  # where its row starts in the input file


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What a set of rows becomes: files to write, and the rows that could not be imported."""

    files: tuple[ImportedFile, ...]
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``apply_import`` did: every row is in exactly one of these."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]  # already there with the same text: a repeated import
    problems: tuple[Diagnostic, ...] = field(default=())


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
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Diagnostic(name, f"not valid JSON: {exc.msg}", number, "error"))
            continue
        if not isinstance(record, dict):
            problems.append(Diagnostic(name, "a line must hold one JSON object", number, "error"))
            continue
        columns.update(dict.fromkeys(str(k) for k in record))
        rows.append(Row(number, {str(k): v for k, v in record.items()}))
    return list(columns), rows, problems


def resolve_columns(available: Sequence[str], overrides: Mapping[str, str]) -> dict[str, str]:
    """Field name to column name; a field whose column is missing is left out (content is required)."""
    present = set(available)
    for key, column in overrides.items():
        if column not in present:
            raise NewsgenError(f"--map {key}={column}: no column {column!r}; columns are {', '.join(available)}")
    resolved = dict(overrides)
    for key, candidates in DEFAULT_COLUMNS.items():
        if key not in resolved:
            found = next((c for c in candidates if c in present), None)
            if found is not None:
                resolved[key] = found
    if "content" not in resolved:
        raise NewsgenError(
            f"no text column (looked for {', '.join(DEFAULT_COLUMNS['content'])}); name it with --map content=COLUMN"
        )
    return resolved


def plan_import(rows: Sequence[Row], columns: Mapping[str, str], input_name: str) -> ImportPlan:
    """The file for each row, or the reason it has none; pure, so it can be tested without a disk."""
    files: list[ImportedFile] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for row in rows:

        def value(key: str, row: Row = row) -> str:
            raw = row.values.get(columns[key]) if key in columns else None
            if isinstance(raw, list):
                return ", ".join(str(v) for v in raw if v is not None)
            return "" if raw is None else str(raw)

        body = value("content")
        if not body.strip():
            problems.append(Diagnostic(input_name, f"no text in column {columns['content']!r}; not imported", row.line))
            continue
        source = _source_name(value("source"))
        title = " ".join(value("title").split())
        key = value("id").strip() or _digest(value("url").strip() or body)[:12]
        stem = "-".join(slugify(title, fallback="").split("-")[:SLUG_WORDS])
        name = f"{slugify(key, fallback=_digest(key)[:12])}{'-' + stem if stem else ''}.txt"
        path = (PurePosixPath(slugify(source, fallback="imported")) / name).as_posix()
        if path in seen:
            message = f"same id or URL as the row on line {seen[path]}; not imported twice"
            problems.append(Diagnostic(input_name, message, row.line))
            continue
        seen[path] = row.line
        front: dict[str, object] = {}
        if title:
            front["title"] = title
        for key_name in ("date", "url"):
            if value(key_name).strip():
                front[key_name] = value(key_name).strip()
        if source:
            front["source"] = source
        authors = [a.strip() for a in value("authors").split(",") if a.strip()]
        if authors:
            front["authors"] = authors
        files.append(ImportedFile(path, _with_front_matter(front, body), row.line))
    return ImportPlan(tuple(files), tuple(problems))


def apply_import(plan: ImportPlan, content_dir: Path, input_name: str) -> ImportResult:
    """Write the planned files; an existing file is left alone (same text: unchanged; else: a problem)."""
    written: list[str] = []
    unchanged: list[str] = []
    problems = list(plan.problems)
    for file in plan.files:
        target = content_dir.joinpath(*PurePosixPath(file.path).parts)
        if target.exists():
            if target.read_bytes() == file.text.encode("utf-8"):
                unchanged.append(file.path)
            else:
                message = f"{file.path} exists with other text (edited?); left as it is, row not imported"
                problems.append(Diagnostic(input_name, message, file.line))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, encoding="utf-8", newline="\n")
        written.append(file.path)
    return ImportResult(tuple(written), tuple(unchanged), tuple(sorted(problems, key=lambda d: d.line or 0)))


def _source_name(value: str) -> str:
    """A domain as a source name: ``www.example.com`` and ``example.com`` are one publication."""
    name = value.strip()
    return name[4:] if name.lower().startswith("www.") else name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_front_matter(front: Mapping[str, object], body: str) -> str:
    header = yaml.safe_dump(dict(front), allow_unicode=True, sort_keys=False, width=10_000) if front else ""
    return f"---\n{header}---\n\n{body}" + ("" if body.endswith("\n") else "\n")
