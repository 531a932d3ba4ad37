"""Loader: encodings, front matter, discovery. Inputs are real byte strings, not mocks."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.errors import ContentError
from newsgen.pipeline import BuildReport
from newsgen.sources.loader import decode, discover, parse_source, read_source, scan_content, split_front_matter

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]

TEXT = "Café owner says “no” to déjà vu\n\nBody line — with dashes.\n"


@pytest.mark.parametrize(
    ("data", "encoding", "warned"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", False),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16", False),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", False),
        (TEXT.encode("utf-16-le"), "utf-16-le", True),
        (TEXT.encode("cp1252"), "cp1252", True),
    ],
)
def test_decode_recovers_the_same_text(data: bytes, encoding: str, warned: bool) -> None:
    text, used, warnings = decode(data, "a.txt")
    assert text == TEXT
    assert used == encoding
    assert bool(warnings) is warned


def test_legacy_decoding_warning_names_line_and_advice() -> None:
    data = "line one\nline two is caf\xe9\n".encode("latin-1")
    _, used, warnings = decode(data, "x/a.txt")
    assert used == "cp1252"
    assert warnings[0].line == 2
    assert str(warnings[0]).startswith("x/a.txt:2: not valid UTF-8 (byte 0xe9)")
    assert "UTF-8" in warnings[0].message


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    text, used, _ = decode(b"abc \x81\x8d def\n", "a.txt")
    assert used == "latin-1"
    assert text == "abc \x81\x8d def\n"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_are_normalised(newline: str) -> None:
    text, _, _ = decode(f"a{newline}b{newline}".encode(), "a.txt")
    assert text == "a\nb\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n\t\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "binary file"),
        (bytes(range(1, 32)) * 50, "binary file"),
        (codecs.BOM_UTF8 + b"\xff\xfe broken", "not valid UTF-8-SIG"),
    ],
)
def test_unreadable_files_are_named_errors(data: bytes, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        decode(data, "bad.txt")
    assert str(caught.value).startswith("bad.txt")
    assert message in str(caught.value)


def test_front_matter_is_split_and_body_keeps_file_line_numbers() -> None:
    source = parse_source(b"---\ntitle: Hello\ntags: [a, b]\n---\nFirst body line\n", "src/a.md")
    assert source.front_matter == {"title": "Hello", "tags": ["a", "b"]}
    assert source.lines[0].number == 5
    assert source.lines[0].text == "First body line"
    assert source.markup == "markdown"


def test_no_front_matter_when_file_does_not_start_with_dashes() -> None:
    data, first, body = split_front_matter("Title\n---\nnot yaml\n", "a.txt")
    assert data == {}
    assert first == 1
    assert body.startswith("Title")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: ok\ndate: [unclosed\n---\nbody\n", 3, "invalid front matter"),
        ("---\ntitle: a\n  bad: indent\n---\nbody\n", 3, "invalid front matter"),
        ("---\ntitle: never closed\nbody\n", 1, "no closing '---'"),
        ("---\n- a\n- b\n---\nbody\n", 2, "must be 'key: value'"),
        ("---\nx: !!python/object/apply:os.system ['echo pwned']\n---\nbody\n", 2, "YAML tags are not allowed"),
    ],
)
def test_malformed_front_matter_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        split_front_matter(text, "m.md")
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"m.md:{line}: ")


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("---\ntitle: One\ndate: 2016-09-08\ntitle: Two\n---\nbody\n", 4, 2),  # plain: read by libyaml
        ("---\ntitle: One # the first\ndate: 2016-09-08\ntitle: Two\n---\nbody\n", 4, 2),  # by PyYAML
        ("---\ntitle: T\nextra:\n  a: 1\n  b: 2\n  a: 3\n---\nbody\n", 6, 4),  # nested
        ("---\n{title: One, title: Two}\n---\nbody\n", 2, 2),
    ],
)
def test_duplicate_front_matter_key_names_both_lines(text: str, line: int, first: int) -> None:
    with pytest.raises(ContentError) as caught:
        parse_source(text.encode(), "d.md")
    key = "a" if "a: 3" in text else "title"
    assert str(caught.value) == f"d.md:{line}: invalid front matter: duplicate key '{key}' (first set on line {first})"
    assert caught.value.kind == "front-matter"


def test_a_merge_key_overridden_is_not_a_duplicate() -> None:
    data, _, _ = split_front_matter("---\nx: &d {a: 1, b: 2}\ny:\n  <<: *d\n  a: 3\n---\nbody\n", "m.md")
    assert data["y"] == {"a": 3, "b": 2}


def test_unknown_front_matter_key_is_a_warning_with_a_suggestion() -> None:
    source = parse_source(b"---\ntitel: Hi\n---\nBody\n", "a.md")
    assert [w.message for w in source.warnings] == ["unknown front matter key 'titel' ignored; did you mean 'title'?"]


@pytest.mark.parametrize(
    ("value", "title", "warned"),
    [('"Caf\\ud800 news"', "Caf\ufffd news", True), ('"Smile \\ud83d\\ude00"', "Smile \U0001f600", False)],
    ids=["lone", "pair"],
)
def test_surrogates_escaped_in_front_matter_are_mended(value: str, title: str, warned: bool) -> None:
    # a lone one made UnicodeEncodeError wherever the title was encoded (tokenising, the cache, pages)
    source = parse_source(f"---\nslug: x\ntitle: {value}\ntags: [{value}, b]\n---\nBody\n".encode(), "a.md")
    assert source.front_matter == {"slug": "x", "title": title, "tags": [title, "b"]}
    expected = "lone surrogate (half a UTF-16 pair, written as a \\u escape) replaced with U+FFFD"
    assert [(w.line, w.message) for w in source.warnings] == ([(3, expected), (4, expected)] if warned else [])


def test_front_matter_nested_hundreds_deep_is_rejected_not_a_crash() -> None:
    # the escape sends it to PyYAML's own parser, which nests a Python call for each level
    text = '---\ntitle: "a\\x41"\ntags: ' + "[" * 600 + "]" * 600 + "\n---\nBody\n"
    with pytest.raises(ContentError, match="nested hundreds deep") as caught:
        parse_source(text.encode(), "a.md")
    assert caught.value.line == 2


def test_digest_identifies_the_bytes() -> None:
    a = parse_source(b"Title\n\nBody\n", "a.txt")
    b = parse_source(b"Title\n\nBody!\n", "a.txt")
    assert a.digest != b.digest and len(a.digest) == 64


def test_discover_finds_articles_and_skips_hidden_backups_and_other_files(tmp_path: Path) -> None:
    for name in [
        "a.txt",
        "sub/b.md",
        "sub/deeper/c.markdown",
        "sub/D.TXT",
        ".hidden.txt",
        ".git/x.txt",
        "sub/e.txt~",
        "sub/#f.txt#",
        "sub/g.txt.swp",
        "image.png",
        "notes.rst",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    files, refused = discover(tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a.txt",
        "sub/D.TXT",
        "sub/b.md",
        "sub/deeper/c.markdown",
    ]
    assert refused == []
    others, refused = scan_content(tmp_path, articles=False)  # the files a build copies: hidden ones skipped alike
    assert [f.shown for f in others] == ["image.png", "notes.rst"] and refused == []


def test_a_file_name_that_is_not_utf8_is_built_and_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the name's bytes, decoded with surrogateescape, made UnicodeEncodeError in the cache
    (tmp_path / "content" / "news").mkdir(parents=True)
    Path(os.fsdecode(os.fsencode(tmp_path / "content/news") + b"/caf\xe9.txt")).write_bytes(
        b"Council approves the budget\n\nBody.\n"
    )
    files, refused = discover(tmp_path / "content")
    assert [read_source(f, tmp_path / "content").path for f in files] == ["news/caf\\xe9.txt"] and not refused
    args = ["--content", str(tmp_path / "content"), "--output", str(tmp_path / "_site")]
    assert main(["check", *args[:2]]) == 0
    assert "news/caf\\xe9.txt: no date" in capsys.readouterr().out
    assert main(["build", *args]) == 0
    (tmp_path / "content/news/other.txt").write_text("Harbour opens again\n\n25 January 2018\n\nShips sailed.\n")
    assert main(["build", *args]) == 0  # this build takes the file's row from the cache the first one wrote
    assert "news/caf\\xe9.txt: no date" in capsys.readouterr().err
    assert (tmp_path / "_site/undated/council-approves-the-budget/index.html").is_file()


def test_control_characters_in_a_name_are_shown_escaped(tmp_path: Path) -> None:
    # a newline in a name split the report's lines; an ESC would have reached the terminal
    (tmp_path / "a\nb\x1b[31m.txt").write_text("x")
    files, _ = discover(tmp_path)
    assert [read_source(f, tmp_path).path for f in files] == ["a\\x0ab\\x1b[31m.txt"]


def test_a_name_escaped_like_another_files_name_is_refused_not_lost(tmp_path: Path) -> None:
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt")).write_text("one")
    (tmp_path / "caf\\xe9.txt").write_text("two")  # a backslash is a character like any other in a name
    files, refused = discover(tmp_path)
    assert [f.read_text() for f in files] == ["two"]
    assert [str(d) for d in refused] == [
        "caf\\xe9.txt: file name, its control characters and bytes that are not UTF-8 written \\xNN, "
        "is another file's; rename it"
    ]


def test_a_file_over_max_article_bytes_is_rejected_naming_its_size_and_the_setting(
    make_content: MakeContent, build: Build
) -> None:
    body = "Council approves the budget\n\n25 January 2018\n\nThe council met on Thursday.\n"
    make_content({"fits.txt": body, "big.txt": body + "x"})
    limit = len(body.encode())
    report = build({"max_article_bytes": limit})
    assert [a.source_path for a in report.articles] == ["fits.txt"]
    assert [str(r.error) for r in report.rejected] == [
        f"big.txt: {limit + 1:,} bytes, over the limit of {limit:,} for an article file; split it, remove it, "
        "or raise max_article_bytes in site.yaml"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_leaving_the_content_folder_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    content = tmp_path / "content"
    content.mkdir()
    (content / "ok.txt").write_text("fine")
    (content / "inside-link.txt").symlink_to(content / "ok.txt")
    (content / "leak.txt").symlink_to(outside / "secret.txt")
    (content / "leakdir").symlink_to(outside, target_is_directory=True)
    (content / "leak.png").symlink_to(outside / "secret.txt")
    files, refused = discover(content)
    assert [f.name for f in files] == ["inside-link.txt", "ok.txt"]
    assert sorted(d.path for d in refused) == ["leak.txt", "leakdir"]
    assert all("outside the content folder" in d.message for d in refused)
    others, refused = scan_content(content, articles=False)  # a link to a folder is the articles' scan's to refuse
    assert others == [] and [d.path for d in refused] == ["leak.png"]
