"""``newsgen serve``: build, serve over HTTP on localhost, rebuild on change, reload open pages.

The reload script is added to HTML responses as they are served, never to the built files.
"""

from __future__ import annotations

import errno
import json
import logging
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import watchfiles

from newsgen.errors import NewsgenError
from newsgen.folders import CACHE_FOLDER

_log = logging.getLogger(__name__)

EVENTS_PATH = "/__newsgen/events"
_MARKER = "data-newsgen-live-reload"
_SCRIPT = """<script %s>
(function () {
  var error = %s;
  function overlay(message) {
    var box = document.getElementById("newsgen-build-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "newsgen-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;margin:0;padding:2rem;overflow:auto;z-index:2147483647;" +
        "background:#2b0000;color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "newsgen: the build failed; fix it and save, the page reloads by itself.\\n\\n" + message;
  }
  overlay(error);
  var events = new EventSource("%s?since=%d");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { overlay(JSON.parse(e.data)); });
})();
</script>
"""
_NOT_FOUND = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"


class BuildState:
    """What the watcher tells the page handlers: a build counter and the last build's error, if any."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.generation = 0
        self.error: str | None = None

    def finished(self, error: str | None) -> None:
        with self._changed:
            self.generation += 1
            self.error = error
            self._changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> tuple[int, str | None]:
        """Block until a build newer than ``seen`` finished (or ``timeout``); returns (generation, error)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation > seen, timeout)
            return self.generation, self.error


def _generation(query: str) -> int:
    """The build a page came from (``?since=N``); 0, so every build counts as new, when unreadable."""
    try:
        return int(parse_qs(query).get("since", ["0"])[0])
    except ValueError:
        return 0


def live_reload_script(state: BuildState) -> str:
    """The snippet injected before ``</body>``; it knows which build it came from, so no reload is missed."""
    error = json.dumps(state.error).replace("<", "\\u003c")
    return _SCRIPT % (_MARKER, error, EVENTS_PATH, state.generation)


class LiveHandler(SimpleHTTPRequestHandler):
    """Static files from the output folder, HTML with the reload script, and the event stream."""

    state: BuildState
    stopping: threading.Event

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        """GET and HEAD alike: HEAD gets the headers GET would, the same Content-Length included."""
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._stream_events(_generation(url.query), body)
            return
        try:
            target = Path(self.translate_path(self.path))
            if target.is_dir() and url.path.endswith("/"):
                target = target / "index.html"
            page = target.read_bytes() if target.suffix == ".html" and target.is_file() else None
            found = page is not None or target.exists()
        except (OSError, ValueError):  # a part too long for the disk, a NUL byte: no such file
            page, found = None, False
        if page is not None:
            self._send_html(page, HTTPStatus.OK, body)
        elif not found:
            missing = Path(self.directory) / "404.html"
            page = missing.read_bytes() if missing.is_file() else _NOT_FOUND
            self._send_html(page, HTTPStatus.NOT_FOUND, body)
        elif body:
            super().do_GET()  # other files as they are; a folder without its slash is redirected
        else:
            super().do_HEAD()

    def _send_html(self, page: bytes, status: HTTPStatus, body: bool) -> None:
        script = live_reload_script(self.state).encode("utf-8")
        at = page.rfind(b"</body>")
        page = page[:at] + script + page[at:] if at >= 0 else page + script
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(page)

    def _stream_events(self, seen: int, body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        self.wfile.write(b"retry: 1000\n\n")
        self.wfile.flush()
        while not self.stopping.is_set():
            generation, error = self.state.wait_after(seen, timeout=1.0)
            if generation == seen:
                self.wfile.write(b": ping\n\n")  # finds closed connections
            elif error is None:
                self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
            else:
                self.wfile.write(f"event: build-error\ndata: {json.dumps(error)}\n\n".encode())
            seen = generation
            self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build results."""


def refuse_output_inside(output: Path, content: Path) -> None:
    """Refuse an output folder inside the content folder: its pages would be read back as articles."""
    if output.resolve().is_relative_to(content.resolve()):
        raise NewsgenError(
            f"refusing to use {output} as the output folder: it is inside the content folder {content}, "
            "so the built pages would be read as articles; choose an --output outside it"
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # a page asks for its styles, scripts and images at once (the default is 5)
    debug = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that goes away mid-answer is normal; anything else is one line, or a traceback with --debug."""
        problem = sys.exc_info()[1]
        if isinstance(problem, (ConnectionError, TimeoutError)):
            return
        if self.debug:
            super().handle_error(request, client_address)
        else:
            _log.error("error: answering a request: %s: %s", type(problem).__name__, problem)


@dataclass
class DevServer:
    """Serves ``output`` while a watcher rebuilds it: ``start()``, then ``serve_forever()``, then ``stop()``."""

    build: Callable[[], str | None]  # builds the site; returns an error message or None
    output: Path
    watch: tuple[Path, ...]  # folders and files whose changes trigger a rebuild
    host: str = "127.0.0.1"
    port: int = 8000
    on_build: Callable[[str | None], None] = lambda error: None
    debug: bool = False  # tracebacks for unexpected errors

    def __post_init__(self) -> None:
        self.state = BuildState()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: _Server | None = None
        self._serving = False  # in serve_forever: only then may stop() ask it to end (else shutdown() waits forever)
        wanted = [p.resolve() for p in self.watch]
        self._wanted = wanted
        folders = {w if w.is_dir() else w.parent for w in wanted if w.exists() or w.parent.exists()}
        self._roots = sorted(f for f in folders if not any(f != g and f.is_relative_to(g) for g in folders))
        # What a build writes: the output, the cache and staging folders beside it (under either name of it).
        self._beside = {(p.parent, p.name) for p in (self.output.absolute(), self.output.resolve())}

    def start(self) -> None:
        """Bind the port (so a busy port fails first), start watching, then build once.

        Watching starts before the build, so an edit made while it runs is seen and built next.
        """
        self._httpd = self._listen()
        changes = self._watching()
        self._rebuild()
        watcher = threading.Thread(target=self._watch, args=(changes,), name="newsgen-watch", daemon=True)
        watcher.start()
        self._threads.append(watcher)

    def serve_forever(self) -> None:
        assert self._httpd is not None, "start() first"
        self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._serving = False

    def stop(self) -> None:
        """Stop serving and watching: from another thread while serving, or after serving ended (Ctrl-C)."""
        self.stopping.set()
        if self._httpd is not None:
            if self._serving:
                self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _listen(self) -> _Server:
        if not 0 <= self.port <= 65535:
            raise NewsgenError(f"{self.port} is not a port: choose one from 1 to 65535 (or 0 for any free one)")
        handler = type("Handler", (LiveHandler,), {"state": self.state, "stopping": self.stopping})
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server = type("Server", (_Server,), {"address_family": family, "debug": self.debug})
        try:
            httpd: _Server = server((self.host, self.port), partial(handler, directory=str(self.output)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise NewsgenError(
                    f"port {self.port} on {self.host} is in use; stop the other server or pass --port {self.port + 1}"
                ) from None
            raise NewsgenError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self.port = httpd.server_address[1]
        return httpd

    def _rebuild(self) -> None:
        """Build, and tell the pages; whatever goes wrong is reported as the build's error, never raised."""
        try:
            error = self.build()
        except Exception as exc:  # a bug, not bad input: the server goes on, and a later save builds again
            if self.debug:
                traceback.print_exc()
            error = f"the build failed unexpectedly ({type(exc).__name__}: {exc}); run with --debug for details"
        self.state.finished(error)
        self.on_build(error)

    def _watching(self) -> Iterator[set[tuple[watchfiles.Change, str]]] | None:
        """A watch already under way: changes are kept from now on, even while a build runs, until asked for."""
        try:
            changes = watchfiles.watch(
                *self._roots,
                watch_filter=self._relevant,
                stop_event=self.stopping,
                debounce=300,
                step=50,
                rust_timeout=200,
                yield_on_timeout=True,
            )
            next(changes, None)  # sets up the watches, then returns in rust_timeout (or with changes made meanwhile)
        except Exception as exc:
            _log.warning("note: cannot watch for changes (%s: %s); trying again", type(exc).__name__, exc)
            return None
        return changes

    def _watch(self, changes: Iterator[set[tuple[watchfiles.Change, str]]] | None) -> None:
        """Rebuild after each batch of changes (those made during a build: once, after it) until stopped.

        A watch that fails (watchfiles cannot decode a file name) is started again, then the site rebuilt.
        """
        while not self.stopping.is_set():
            if changes is None:
                if (changes := self._watching()) is None:
                    self.stopping.wait(1.0)
                    continue
                self._rebuild()
            try:
                for batch in changes:
                    if batch:
                        self._rebuild()
            except Exception as exc:
                _log.warning("note: watching for changes again after %s: %s", type(exc).__name__, exc)
                changes = None

    def _relevant(self, change: watchfiles.Change, path: str) -> bool:
        changed = Path(path)
        if not any(changed == w or changed.is_relative_to(w) for w in self._wanted):
            return False
        for folder, name in self._beside:  # never what the build itself writes
            if changed.is_relative_to(folder) and len(changed.parts) > len(folder.parts):
                first = changed.parts[len(folder.parts)]
                if first in (name, CACHE_FOLDER) or first.startswith((f".{name}.building-", f".{name}.old-")):
                    return False
        return True
