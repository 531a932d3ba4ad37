"""``newsgen serve``: build, serve over HTTP on localhost, rebuild on change, reload open pages.

The reload script is added to HTML responses as they are served, never to the built files.
"""

from __future__ import annotations

import errno
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import watchfiles

from newsgen.errors import NewsgenError

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


def live_reload_script(state: BuildState) -> str:
    """The snippet injected before ``</body>``; it knows which build it came from, so no reload is missed."""
    error = json.dumps(state.error).replace("<", "\\u003c")
    return _SCRIPT % (_MARKER, error, EVENTS_PATH, state.generation)


class LiveHandler(SimpleHTTPRequestHandler):
    """Static files from the output folder, HTML with the reload script, and the event stream."""

    state: BuildState
    stopping: threading.Event

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            since = parse_qs(url.query).get("since", ["0"])[0]
            self._stream_events(int(since) if since.isdigit() else 0)
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir() and url.path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self._send_html(target.read_bytes(), HTTPStatus.OK)
        elif self.state.error is not None and not target.exists():
            self._send_html(
                b"<!doctype html><title>Build failed</title><body></body>", HTTPStatus.INTERNAL_SERVER_ERROR
            )
        else:
            super().do_GET()

    def _send_html(self, body: bytes, status: HTTPStatus) -> None:
        script = live_reload_script(self.state).encode("utf-8")
        at = body.rfind(b"</body>")
        body = body[:at] + script + body[at:] if at >= 0 else body + script
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self, seen: int) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
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
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build results."""


@dataclass
class DevServer:
    """Serves ``output`` while a watcher rebuilds it: ``start()``, then ``serve_forever()``, then ``stop()``."""

    build: Callable[[], str | None]  # builds the site; returns an error message or None
    output: Path
    watch: tuple[Path, ...]  # folders and files whose changes trigger a rebuild
    host: str = "127.0.0.1"
    port: int = 8000
    on_build: Callable[[str | None], None] = lambda error: None

    def __post_init__(self) -> None:
        self.state = BuildState()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> None:
        """Bind the port (so a busy port fails first), build once, and start watching."""
        handler = type("Handler", (LiveHandler,), {"state": self.state, "stopping": self.stopping})
        try:
            self._httpd = ThreadingHTTPServer((self.host, self.port), partial(handler, directory=str(self.output)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise NewsgenError(
                    f"port {self.port} on {self.host} is in use; stop the other server or pass --port {self.port + 1}"
                ) from None
            raise NewsgenError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._rebuild()
        watcher = threading.Thread(target=self._watch, name="newsgen-watch", daemon=True)
        watcher.start()
        self._threads.append(watcher)

    def serve_forever(self) -> None:
        assert self._httpd is not None, "start() first"
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _rebuild(self) -> None:
        error = self.build()
        self.state.finished(error)
        self.on_build(error)

    def _watch(self) -> None:
        folders = {p if p.is_dir() else p.parent for p in self.watch if p.exists() or p.parent.exists()}
        roots = sorted(f for f in folders if not any(f != g and f.is_relative_to(g) for g in folders))
        wanted = [p.resolve() for p in self.watch]

        def relevant(change: watchfiles.Change, path: str) -> bool:
            changed = Path(path).resolve()
            return any(changed == w or changed.is_relative_to(w) for w in wanted)

        for _ in watchfiles.watch(
            *roots, watch_filter=relevant, stop_event=self.stopping, debounce=300, step=50, rust_timeout=500
        ):
            self._rebuild()
