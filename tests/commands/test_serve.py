"""serve: pages over HTTP, rebuild on change, a reload event, error overlay, clean stop."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgen.cli import main
from newsgen.commands.scaffold import init_site
from newsgen.commands.serve import EVENTS_PATH, DevServer
from newsgen.config import load_config
from newsgen.errors import NewsgenError
from newsgen.pipeline import build_site

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

    def __init__(self, host: str, port: int, since: int | str) -> None:
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


def site_builder(site: Path) -> Callable[[], str | None]:
    """What ``newsgen serve`` does to build: the site in ``site``, an error message or None."""

    def build() -> str | None:
        try:
            config = load_config(site / "site.yaml")
            build_site(config, site / "content", site / "_site", site / "templates")
        except NewsgenError as exc:
            return str(exc)
        return None

    return build


@contextlib.contextmanager
def serving(server: DevServer) -> Iterator[DevServer]:
    """``server`` started and answering in a thread; stopped, with its thread, at the end."""
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop()
        thread.join(timeout=5)
        assert not thread.is_alive()


def dev_server(site: Path, build: Callable[[], str | None] | None = None, **options: Any) -> DevServer:
    watched = (site / "content", site / "templates", site / "site.yaml")
    options = {"watch": watched, "host": "127.0.0.1", "port": 0, **options}
    return DevServer(build or site_builder(site), site / "_site", **options)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    init_site(tmp_path / "site")
    return tmp_path / "site"


@pytest.fixture
def served(site: Path) -> Iterator[tuple[DevServer, Path]]:
    with serving(dev_server(site)) as server:
        yield server, site


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
        preexec_fn=interruptible,
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


def interruptible() -> None:
    """Ctrl-C reaches the serve under test as it does one started at a prompt: a test run started in the
    background (``pytest &``) ignores SIGINT, its children inherit that, and Python then never raises it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def get_ok(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


# --- the watcher: never dies, never misses a change, never answers its own writes ---------------


def retitle(site: Path, words: str) -> None:
    """Give the example article the title "Harbour reopens <words>" (a short line is not taken for a title)."""
    article = site / ARTICLE
    text = article.read_text()
    article.write_text(text.replace(text.splitlines()[2], f"Harbour reopens {words}"))


def test_an_unexpected_error_in_a_build_is_shown_and_a_later_save_rebuilds(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, calls = site_builder(site), []

    def failing_once() -> str | None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("a bug in the build")
        return build()

    with serving(dev_server(site, failing_once)) as server:
        events = EventReader(server.host, server.port, server.state.generation)
        retitle(site, "First try")
        wait_for(lambda: events.events)
        name, data = events.events[0]
        assert name == "build-error" and "RuntimeError: a bug in the build" in data
        assert "RuntimeError: a bug in the build" in get(server.url)[1]  # over the page
        retitle(site, "Second try")
        wait_for(lambda: len(events.events) > 1)
        assert events.events[1][0] == "reload"
        assert "Second try" in get(server.url)[1] and "var error = null;" in get(server.url)[1]
        events.close()
    assert "Traceback" not in capsys.readouterr().err


def test_a_template_that_extends_itself_is_an_error_over_the_page(served: tuple[DevServer, Path]) -> None:
    server, site = served
    events = EventReader(server.host, server.port, server.state.generation)
    (site / "templates" / "base.html").write_text('{% extends "base.html" %}\n')
    wait_for(lambda: events.events)
    assert events.events[0][0] == "build-error"
    (site / "templates" / "base.html").unlink()
    retitle(site, "Fixed and rebuilt")
    wait_for(lambda: "Fixed and rebuilt" in get(server.url)[1])
    events.close()


def test_a_file_name_the_watcher_cannot_decode_does_not_stop_it(served: tuple[DevServer, Path]) -> None:
    server, site = served
    before = server.state.generation
    odd = os.path.join(os.fsencode(site / "content" / "example"), b"caf\xe9.txt")
    with open(odd, "wb") as file:
        file.write(b"Caf\xe9 opens\n\nA long enough article about a caf\xe9 by the harbour.\n")
    wait_for(lambda: server.state.generation > before)  # watchfiles raised; watching again, then built
    os.remove(odd)
    retitle(site, "Still watching")
    wait_for(lambda: "Still watching" in get(server.url)[1])


def test_an_edit_during_the_first_build_is_built_next(site: Path) -> None:
    """The issue's race, made certain: the edit lands before the first build has even finished."""
    build, calls = site_builder(site), []

    def build_and_edit() -> str | None:
        calls.append(1)
        error = build()
        if len(calls) == 1:
            retitle(site, "Edited at once")
        return error

    with serving(dev_server(site, build_and_edit)) as server:
        wait_for(lambda: "Edited at once" in get(server.url)[1])
        assert len(calls) == 2


def test_edits_during_a_build_give_one_more_build(site: Path) -> None:
    build, calls = site_builder(site), []

    def build_and_edit() -> str | None:
        calls.append(1)
        if len(calls) == 2:
            for title in ("Edit one", "Edit two", "Edit three"):
                retitle(site, title)
                time.sleep(0.1)
        return build()

    with serving(dev_server(site, build_and_edit)) as server:
        retitle(site, "Edit zero")
        wait_for(lambda: "Edit three" in get(server.url)[1])
        time.sleep(1.5)  # room for any build too many
        assert len(calls) == 3


def test_what_the_build_writes_never_triggers_a_build(site: Path) -> None:
    """Watching the whole site folder, output and cache included, as a site.yaml beside them makes it."""
    calls: list[int] = []
    build = site_builder(site)

    def counted() -> str | None:
        calls.append(1)
        return build()

    with serving(dev_server(site, counted, watch=(site,))):
        for own in ("_site/extra.html", ".newsgen-cache/extra", "._site.building-x/a.html"):
            (site / own).parent.mkdir(exist_ok=True)
            (site / own).write_text("written by a build")
        retitle(site, "One edit")
        wait_for(lambda: len(calls) == 2)
        time.sleep(1.5)  # each build writes the output and the cache: none of it may start another
        assert len(calls) == 2


def test_serve_refuses_an_output_inside_the_content_folder(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(site)
    assert main(["serve", "--port", "0", "--output", "content/_site"]) == 1
    err = capsys.readouterr().err
    assert "content/_site" in err and "inside the content folder content" in err and "--output" in err
    assert not (site / "content" / "_site").exists()


def test_the_command_survives_a_bug_in_a_build_and_prints_it_once(site: Path, tmp_path: Path) -> None:
    """As the issue tried it: serve, wait for the front page, edit at once; then a template that
    extends itself (a RecursionError, not a NewsgenError) and its fix."""
    port = free_port()
    with (tmp_path / "err").open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsgen", "serve", "--port", str(port)],
            cwd=site,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1"},
            preexec_fn=interruptible,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: get_ok(url))
        retitle(site, "Edited as soon as it answered")
        wait_for(lambda: "Edited as soon as it answered" in get(url)[1], timeout=20)
        (site / "templates" / "base.html").write_text('{% extends "base.html" %}\n')
        wait_for(lambda: "fix the problem and save" in (tmp_path / "err").read_text())
        (site / "templates" / "base.html").unlink()
        retitle(site, "Rebuilt after the fix")
        wait_for(lambda: "Rebuilt after the fix" in get(url)[1])
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)  # a rebuild under way finishes first; a loaded machine is slow at it
        finally:
            process.kill()
            process.wait()  # reaped: never a "still running" warning failing a later test on this worker
    errors = (tmp_path / "err").read_text()
    assert errors.count("RecursionError") == 1, errors
    assert "Traceback" not in errors


# --- the HTTP side ---------------------------------------------------------------------------------


def request(server: DevServer, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


BAD_PATHS = {
    "long part": "/" + "a" * 300 + ".html",
    "long part in bytes": "/" + "%C3%A9" * 200 + "/",
    "NUL": "/..%00/etc/passwd",
    "lone surrogate": "/%ED%A0%80.html",
}


@pytest.mark.parametrize("path", BAD_PATHS.values(), ids=BAD_PATHS.keys())
def test_paths_that_cannot_name_a_file_are_not_found(served: tuple[DevServer, Path], path: str) -> None:
    server, _ = served
    status, _, body = request(server, "GET", path)
    assert status == 404 and b"Page not found" in body


@pytest.mark.parametrize("since", ["%C2%B2", "x", "9" * 5000])
def test_an_unreadable_since_counts_every_build_as_new(served: tuple[DevServer, Path], since: str) -> None:
    server, _ = served
    events = EventReader(server.host, server.port, since)
    wait_for(lambda: events.events)
    assert events.events[0] == ("reload", str(server.state.generation))
    events.close()


def test_missing_pages_get_the_sites_404_page(served: tuple[DevServer, Path]) -> None:
    server, site = served
    status, headers, body = request(server, "GET", "/no/such/page.html")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith((site / "_site" / "404.html").read_bytes().split(b"</body>")[0])
    assert b"data-newsgen-live-reload" in body  # it reloads when the page is made
    assert request(server, "GET", "/assets/")[0] == 404  # a folder without an index is not listed
    (site / "_site" / "404.html").unlink()
    status, _, body = request(server, "GET", "/no/such/page.html")
    assert status == 404 and b"Not found" in body


@pytest.mark.parametrize("path", ["/", "/index.html", "/assets/style.css", "/missing.html", "/assets"])
def test_head_answers_as_get_does(served: tuple[DevServer, Path], path: str) -> None:
    server, _ = served
    status, headers, body = request(server, "GET", path)
    head_status, head_headers, head_body = request(server, "HEAD", path)
    assert (head_status, head_body) == (status, b"")
    assert head_headers["Content-Length"] == headers["Content-Length"] == str(len(body))
    assert head_headers.get("Location") == headers.get("Location")


def test_serves_on_ipv6(site: Path) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 on this machine")
    with serving(dev_server(site, host="::1")) as server:
        assert server.url.startswith("http://[::1]:")
        status, _, body = request(server, "GET", "/")
        assert status == 200 and b"Harbour reopens" in body


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_out_of_range_is_a_clear_error(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    monkeypatch.chdir(site)
    assert main(["serve", "--port", port]) == 1
    err = capsys.readouterr().err
    assert f"{port} is not a port" in err and "65535" in err and "unexpectedly" not in err


def test_many_connections_at_once_wait_to_be_answered(site: Path) -> None:
    server = dev_server(site)
    server.start()  # listening, not yet answering: connections queue up to the backlog
    try:
        sockets = [socket.create_connection((server.host, server.port), timeout=3) for _ in range(40)]
        for s in sockets:
            s.close()
    finally:
        server.stopping.set()
        assert server._httpd is not None
        server._httpd.server_close()


def test_a_client_that_goes_away_is_not_an_error(
    served: tuple[DevServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = served
    for path in ("/index.html", "/assets/style.css", EVENTS_PATH):
        for _ in range(10):
            with socket.create_connection((server.host, server.port), timeout=5) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset on close
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert get(server.url)[0] == 200
    time.sleep(1.5)  # the event streams find the reset at their next ping
    assert capsys.readouterr().err == ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
