"""The preview's HTTP server (loopback only) and its file watcher.

``GET /`` serves the current page; ``GET /events`` is a server-sent-event stream that says the
page's version whenever it changes. A watcher thread (watchfiles) reads changed files again
through the workspace and rebuilds the page.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .page import Preview

HOST = "127.0.0.1"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream (so a dead client is noticed)."""


class Live:
    """The preview, its lock, and a condition that wakes the event streams when the page changes."""

    def __init__(self, preview: Preview, today: Callable[[], datetime.date]) -> None:
        self.preview = preview
        self.today = today
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        with self.changed:
            preview.rebuild(today())

    def update(self, paths: list[Path]) -> None:
        """Files changed on disk: read them again and rebuild the page."""
        with self.changed:
            for path in paths:
                self.preview.workspace.reread(path)
            self.preview.rebuild(self.today())
            self.changed.notify_all()

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


def make_handler(live: Live) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "stackmap-preview"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows only rebuilds
            return

        def do_GET(self) -> None:
            if self.path in ("/", "/index.html"):
                body = live.preview.page.html
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self._common()
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/events":
                self._events()
            else:
                body = b"not found\n"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self._common()
                self.end_headers()
                self.wfile.write(body)

        def _common(self) -> None:
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self._common()
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            sent = -1
            try:
                while not live.stopping.is_set():
                    with live.changed:
                        if live.preview.page.version == sent:
                            live.changed.wait(KEEPALIVE)
                        version = live.preview.page.version
                    if live.stopping.is_set():
                        return
                    message = f"event: version\ndata: {version}\n\n" if version != sent else ": idle\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    sent = version
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(live: Live, port: int, watch: list[Path], ready: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C): the page, its events, and a watcher on ``watch``."""
    httpd = PreviewServer((HOST, port), make_handler(live))
    watching = threading.Event()
    watcher = threading.Thread(target=_watch, args=(live, watch, watching), daemon=True)
    watcher.start()
    watching.wait(5)  # a file saved from now on is seen
    ready(f"http://{HOST}:{httpd.server_address[1]}/")
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        live.stop()
        httpd.server_close()
        watcher.join(timeout=2)


def _watch(live: Live, watch: list[Path], watching: threading.Event) -> None:
    from watchfiles import watch as watch_files

    for changes in watch_files(*watch, stop_event=live.stopping, debounce=100, step=50,
                               raise_interrupt=False, rust_timeout=200, yield_on_timeout=True):
        watching.set()  # the first (empty) batch comes once the watch is in place
        paths = sorted({Path(p) for _, p in changes if p.endswith((".yaml", ".yml"))})
        if paths:
            live.update(paths)
