"""Web archives in: a WARC's captured HTML pages become .html files, everything else is counted."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from test_htmlpage import PAGE, PARAGRAPHS

from newsgen.cli import main
from newsgen.config import SiteConfig
from newsgen.pipeline import build_site
from newsgen.sources.loader import parse_source


def record(kind: str, url: str, block: bytes, content_type: str) -> bytes:
    """One WARC record, as the format spells it (written by hand: a crawler's own output looks the same)."""
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{zlib.crc32(url.encode() + block):08x}>\r\n"
        f"WARC-Date: 2024-03-14T08:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + block + b"\r\n\r\n", mtime=0)  # one gzip member a record


def response(url: str, status: str, media: str, body: bytes) -> bytes:
    http = f"HTTP/1.1 {status}\r\nContent-Type: {media}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    return record("response", url, http + body, "application/http; msgtype=response")


def make_warc(path: Path) -> None:
    url = "https://gazette.example/2024/03/12/storm-closes-the-harbour/"
    path.write_bytes(
        response(url, "200 OK", "text/html; charset=utf-8", PAGE.encode())
        + response("https://gazette.example/old", "301 Moved Permanently", "text/html", b"")
        + response("https://gazette.example/gone", "404 Not Found", "text/html", b"<p>Not found</p>")
        + response("https://gazette.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        + response(url, "200 OK", "text/html", PAGE.encode())  # captured again
        + record("request", url, b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request")
    )


def test_a_warc_becomes_one_page_per_captured_article_and_the_rest_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_warc(tmp_path / "crawl.warc.gz")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "crawl.warc.gz"]) == 0
    out, err = capsys.readouterr()
    assert "Imported 1 new file into content/; 0 already there, 0 not imported." in out
    assert "skipped 5 records that are no HTML page:" in err
    for kind in ("1 redirect", "1 HTTP 404", "1 not HTML (image/png)", "1 page captured again", "1 request record"):
        assert kind in err
    (page,) = (tmp_path / "content").rglob("*.html")
    assert page.parent.name == "gazette-example"
    source = parse_source(page.read_bytes(), "gazette-example/" + page.name)
    assert source.front_matter["url"] == "https://gazette.example/2024/03/12/storm-closes-the-harbour/"
    assert str(source.front_matter["captured"]).startswith("2024-03-14")
    assert main(["import", "crawl.warc.gz"]) == 0  # again: nothing new
    assert "Imported 0 new files into content/; 1 already there, 0 not imported." in capsys.readouterr().out
    build_site(SiteConfig(), tmp_path / "content", tmp_path / "_site")
    built = (tmp_path / "_site/2024/03/12/storm-closes-the-harbour/index.html").read_text("utf-8")
    assert all(p in built for p in PARAGRAPHS)  # dated by the page (12 March), not by the capture (14 March)


@pytest.mark.parametrize("keep", [1 / 8, 2 / 3])
def test_a_cut_archive_never_gives_a_cut_page(keep: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_warc(tmp_path / "crawl.warc.gz")
    data = (tmp_path / "crawl.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * keep)])
    status = main(["import", str(tmp_path / "cut.warc.gz"), "--content", str(tmp_path / "content")])
    err = capsys.readouterr().err
    pages = list((tmp_path / "content").rglob("*.html"))
    if keep < 0.5:  # inside the first page: reported, not imported
        assert status == 2 and "is cut short" in err and pages == []
    else:  # inside its second capture: the first is whole
        assert status == 0 and len(pages) == 1
        assert pages[0].read_bytes().endswith(PAGE.encode())
