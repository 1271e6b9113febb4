"""The preview's HTTP server (loopback only) and its file watchers.

``GET /`` serves the current page; ``GET /events`` is a server-sent-event stream that says the
page's version whenever it changes. A watcher thread (watchfiles) reads changed inventory files
again through the workspace and rebuilds the page; another watches the configuration's files
(:mod:`.config_files`) and loads the configuration again. When the new configuration names other
inventory paths or exclusions, the workspace is built again from them and the first watcher moves
to the new paths.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import StackmapError
from ..load.workspace import Workspace
from .config_files import ConfigFiles
from .page import Preview

if TYPE_CHECKING:
    from ..analysis.config import Config

HOST = "127.0.0.1"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream (so a dead client is noticed)."""


class Live:
    """The preview, its lock, and a condition that wakes the event streams when the page changes.

    ``load`` reads the configuration again: the inventory paths and the configuration, or a
    :class:`StackmapError` saying why it cannot.
    """

    def __init__(self, preview: Preview, today: Callable[[], datetime.date],
                 load: Callable[[], tuple[list[Path], Config]]) -> None:
        self.preview = preview
        self.today = today
        self.load = load
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.rewatch = threading.Event()
        """Set when the inventory paths changed: the inventory watcher starts again on the new ones."""
        with self.changed:
            preview.rebuild(today())

    def update(self, paths: list[Path]) -> None:
        """Files changed on disk: read them again and rebuild the page."""
        with self.changed:
            for path in paths:
                self.preview.workspace.reread(path)
            self.preview.rebuild(self.today())
            self.changed.notify_all()

    def reload_config(self) -> None:
        """A configuration file changed: load it again; while it is invalid, the page says why."""
        with self.changed:
            preview = self.preview
            try:
                paths, config = self.load()
            except StackmapError as exc:
                preview.config_error = str(exc)
            else:
                preview.config_error = None
                old = preview.workspace
                if (paths, config.exclude) != (old.paths, old.exclude):
                    preview.workspace = Workspace(paths, config.exclude, old.limits)
                    self.rewatch.set()
                preview.config = config
            preview.rebuild(self.today())
            self.changed.notify_all()

    def inventory_paths(self) -> list[Path]:
        with self.changed:
            return list(self.preview.workspace.paths)

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


def serve(live: Live, port: int, config_files: ConfigFiles, ready: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C): the page, its events, and the watchers."""
    httpd = PreviewServer((HOST, port), make_handler(live))
    watching = [threading.Event(), threading.Event()]
    threads = [threading.Thread(target=watch, args=(live, config_files, event), daemon=True)
               for watch, event in zip((_watch_inventory, _watch_config), watching)]
    for thread in threads:
        thread.start()
    for event in watching:
        event.wait(5)  # a file saved from now on is seen
    ready(f"http://{HOST}:{httpd.server_address[1]}/")
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        live.stop()
        httpd.server_close()
        for thread in threads:
            thread.join(timeout=2)


class _Stop(Protocol):
    """What watchfiles' ``stop_event`` needs."""

    def is_set(self) -> bool: ...


class _Either:
    """Set when either event is (watchfiles' ``stop_event`` takes one object with ``is_set``)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()


def _watch_inventory(live: Live, config_files: ConfigFiles, watching: threading.Event) -> None:
    """Watch the inventory paths (again, from the start, each time the configuration changes them)."""
    stop = _Either(live.stopping, live.rewatch)
    while not live.stopping.is_set():
        live.rewatch.clear()
        paths = [p for p in live.inventory_paths() if p.exists()]  # a path that went missing is not watched
        if not paths:
            watching.set()
            while not stop.is_set():
                live.stopping.wait(0.2)
            continue
        for changes in _changes(paths, stop, recursive=True):
            watching.set()  # the first (empty) batch comes once the watch is in place
            found = sorted({Path(p) for _, p in changes if p.endswith((".yaml", ".yml"))})
            found = [p for p in found if not config_files.holds(p)]  # the other watcher's
            if found:
                live.update(found)


def _watch_config(live: Live, config_files: ConfigFiles, watching: threading.Event) -> None:
    """Watch the folders where the configuration's files are looked for, for those files only."""
    for changes in _changes(config_files.folders, live.stopping, recursive=False):
        watching.set()
        if any(config_files.holds(Path(p)) for _, p in changes):
            live.reload_config()


def _changes(paths: list[Path], stop: _Stop, recursive: bool) -> Iterator[set[tuple[Any, str]]]:
    from watchfiles import watch as watch_files

    return watch_files(*paths, stop_event=stop, debounce=100, step=50, raise_interrupt=False,
                       rust_timeout=200, yield_on_timeout=True, recursive=recursive)
