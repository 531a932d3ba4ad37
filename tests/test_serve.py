"""serve: pages over HTTP, rebuild on change, a reload event, error overlay, clean stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.config import load_config
from newsgen.errors import NewsgenError
from newsgen.pipeline import build_site
from newsgen.scaffold import init_site
from newsgen.serve import EVENTS_PATH, DevServer

ARTICLE = "content/example/harbour-reopens.txt"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition: object, timeout: float = 60.0) -> None:
    """Until ``condition()`` holds; the timeout only turns a hang into a failure, so it allows for a busy machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


class EventReader:
    """Reads the server-sent event stream in a thread and keeps the event names it saw."""

    def __init__(self, host: str, port: int, since: int) -> None:
        self.events: list[tuple[str, str]] = []
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.connection.request("GET", f"{EVENTS_PATH}?since={since}")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, line[6:]))
                    name = ""
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[DevServer, Path]]:
    site = tmp_path / "site"
    init_site(site)

    def build() -> str | None:
        try:
            config = load_config(site / "site.yaml")
            build_site(config, site / "content", site / "_site", site / "templates")
        except NewsgenError as exc:
            return str(exc)
        return None

    watched = (site / "content", site / "templates", site / "site.yaml")
    server = DevServer(build, site / "_site", watched, "127.0.0.1", 0)
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, site
    server.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_edit_rebuilds_and_sends_a_reload_event(served: tuple[DevServer, Path]) -> None:
    server, site = served
    status, page = get(server.url + "index.html")
    assert status == 200 and "Harbour reopens after winter storm repairs" in page
    assert "data-newsgen-live-reload" in page
    events = EventReader(server.host, server.port, server.state.generation)
    article = site / ARTICLE
    article.write_text(article.read_text().replace("Harbour reopens", "Harbour finally reopens"))
    wait_for(lambda: events.events)
    assert events.events[0][0] == "reload"
    status, page = get(server.url)
    assert "Harbour finally reopens after winter storm repairs" in page
    events.close()


def test_build_error_shows_an_overlay_and_fixing_recovers(served: tuple[DevServer, Path]) -> None:
    server, site = served
    config = site / "site.yaml"
    good = config.read_text()
    events = EventReader(server.host, server.port, server.state.generation)
    config.write_text(good + "\nunknown_setting: 1\n")
    wait_for(lambda: events.events)
    name, data = events.events[0]
    assert name == "build-error" and "unknown key 'unknown_setting'" in data
    status, page = get(server.url)
    assert status == 200 and "unknown key" in page  # the last good site, with the error overlay
    config.write_text(good)
    wait_for(lambda: len(events.events) > 1)
    assert events.events[1][0] == "reload"
    assert "var error = null;" in get(server.url)[1]
    events.close()


def test_reload_script_is_never_written_to_disk(served: tuple[DevServer, Path]) -> None:
    _, site = served
    pages = list((site / "_site").rglob("*.html"))
    assert pages
    assert not [p for p in pages if "newsgen-live-reload" in p.read_text() or EVENTS_PATH in p.read_text()]


def test_a_build_missed_before_the_stream_opened_is_still_announced(served: tuple[DevServer, Path]) -> None:
    server, _ = served
    events = EventReader(server.host, server.port, since=0)
    wait_for(lambda: events.events)
    assert events.events[0] == ("reload", str(server.state.generation))
    events.close()


def test_static_files_and_missing_pages(served: tuple[DevServer, Path]) -> None:
    server, _ = served
    status, css = get(server.url + "assets/style.css")
    assert status == 200 and "data-newsgen-live-reload" not in css
    assert get(server.url + "no/such/page.html")[0] == 404


def test_port_in_use_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    init_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is in use" in err and f"--port {port + 1}" in err
    assert "Traceback" not in err


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    init_site(tmp_path / "site")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "serve", "--port", str(port)],
        cwd=tmp_path / "site",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        wait_for(lambda: get_ok(f"http://127.0.0.1:{port}/"))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.communicate()  # reaped and its pipes closed, whatever happened above
    assert process.returncode == 0, err
    assert f"Serving _site/ at http://127.0.0.1:{port}/" in out
    assert out.rstrip().endswith("Stopped.")
    assert "Traceback" not in err


def get_ok(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False
