"""newsgen import: rows to content files, every row accounted for, repeatable."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.errors import NewsgenError
from newsgen.importer import Row, parse_column_map, plan_import, read_rows, resolve_columns
from newsgen.loader import parse_source

BODY = "Headline: Buy gold now!\n\nThe council met on Tuesday.\n\nSource: http://example.org/a"


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def corpus_row(**values: str) -> dict[str, str]:
    row = {"id": "7", "domain": "www.example.com", "url": "http://example.com/a", "content": BODY}
    row |= {"title": "Council meets", "authors": "Ann Lee, Bo Chan", "scraped_at": "2018-01-25 16:17"}
    return row | values


def test_csv_row_becomes_a_file_with_front_matter_and_the_body_unchanged(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [corpus_row()])
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 0
    [file] = (tmp_path / "content").rglob("*.txt")
    assert file.relative_to(tmp_path / "content").as_posix() == "example-com/7-council-meets.txt"
    parsed = parse_source(file.read_bytes(), "x.txt")
    assert parsed.front_matter == {
        "title": "Council meets",
        "url": "http://example.com/a",
        "source": "example.com",
        "authors": ["Ann Lee", "Bo Chan"],
    }  # scraped_at is when it was scraped, not published: no date is invented
    assert file.read_text(encoding="utf-8").endswith("\n\n" + BODY + "\n")


def test_importing_twice_writes_nothing_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [corpus_row(), corpus_row(id="8", title="Other")])
    content = tmp_path / "content"
    assert main(["import", str(source), "--content", str(content)]) == 0
    assert main(["import", str(source), "--content", str(content)]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .endswith(f"0 new files into {content}/; 2 already there, 0 not imported.")
    )
    assert len(list(content.rglob("*.txt"))) == 2


def test_rows_that_cannot_be_imported_are_reported_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [corpus_row(), corpus_row(id="8", content="  "), corpus_row()]
    source = write_csv(tmp_path / "in.csv", rows)
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("not imported: in.csv:7: no text in column 'content'")
    assert err[1].startswith("not imported: in.csv:8: same id or URL as the row on line 2")


def test_an_edited_file_is_not_overwritten(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [corpus_row()])
    content = tmp_path / "content"
    main(["import", str(source), "--content", str(content)])
    [file] = content.rglob("*.txt")
    file.write_text("edited by hand\n", encoding="utf-8")
    assert main(["import", str(source), "--content", str(content)]) == 2
    assert file.read_text(encoding="utf-8") == "edited by hand\n"


def test_jsonl_with_mapped_columns_and_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps({"headline": "A", "article": "Text one.", "site": "Daily", "published": "2018-01-25"}),
        "{not json",
        json.dumps({"headline": "B", "article": "Text two.", "site": "Daily", "author": ["X", "Y"]}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["import", str(source), "--content", str(tmp_path / "c"), "--map", "title=headline,content=article"]
    assert main(args) == 2
    assert "in.jsonl:2: not valid JSON" in capsys.readouterr().err
    files = sorted((tmp_path / "c" / "daily").glob("*.txt"))
    fronts = [parse_source(f.read_bytes(), "x.txt").front_matter for f in files]
    assert sorted(f["title"] for f in fronts) == ["A", "B"]
    assert {f.get("date") for f in fronts} == {"2018-01-25", None}
    assert [f.get("authors") for f in fronts if f["title"] == "B"] == [["X", "Y"]]


def test_file_names_without_id_come_from_the_url_and_are_stable() -> None:
    columns = resolve_columns(["title", "text", "link"], {})
    assert columns == {"title": "title", "content": "text", "url": "link"}
    row = Row(2, {"title": "Hello world", "text": "Body.", "link": "http://x.org/1"})
    first = plan_import([row], columns, "in.csv").files[0].path
    assert first == plan_import([row], columns, "in.csv").files[0].path
    assert first.startswith("imported/") and first.endswith("-hello-world.txt")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [("title", "expected FIELD=COLUMN"), ("colour=x", "unknown field 'colour'")],
)
def test_bad_map_is_an_error(mapping: str, message: str) -> None:
    with pytest.raises(NewsgenError, match=message):
        parse_column_map(mapping)


def test_missing_text_column_or_mapped_column_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NewsgenError, match="no text column"):
        resolve_columns(["title", "url"], {})
    with pytest.raises(NewsgenError, match="no column 'headline'"):
        resolve_columns(["title", "content"], {"title": "headline"})
    with pytest.raises(NewsgenError, match=r"can import \.csv and \.jsonl"):
        read_rows(tmp_path / "x.xml")


def test_long_csv_fields_are_read(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [corpus_row(content="word " * 100_000)])
    _, rows, problems = read_rows(source)
    assert len(rows) == 1 and not problems
