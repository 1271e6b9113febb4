"""The entry point of every ``stackmap`` command: a ``check`` goes to the daemon when one runs.

Light on purpose: a forwarded check imports only this package's client side, so it starts in a few
hundredths of a second. ``STACKMAP_DAEMON`` picks what happens:

- unset: a ``check`` goes to the daemon if one runs for this installation, else runs here;
- ``auto``: the same, starting the daemon first when none runs;
- ``off``: every command runs in this process.

``check --no-cache`` and ``check --help`` always run here. When the daemon cannot be reached, or goes
away before it answers, the check runs here (after a note on stderr in the second case), so the
daemon can only make a check faster, never change or lose its answer.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .place import installation, private_dir, runtime_dir, socket_path
from .wire import receive, send

MODES = ("auto", "off")
IDLE_MINUTES = 60
"""How long a daemon started by ``STACKMAP_DAEMON=auto`` waits for the next check before it exits."""
START_TIMEOUT = 20.0
_LOCAL_ONLY = ("--no-cache", "--help", "-h")


def main() -> None:
    """``stackmap ...``: forward a check to the daemon, or run the command here."""
    try:
        code = forward(sys.argv[1:])
    except Exception as exc:  # a bad STACKMAP_DAEMON (errors imported only then: they cost 14 ms)
        from ..errors import UsageError

        if not isinstance(exc, UsageError):
            raise
        sys.stderr.write(f"stackmap: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("stackmap: interrupted\n")
        sys.exit(2)
    if code is not None:
        sys.exit(code)
    from ..cli import main as run_here

    run_here()


def mode(env: Mapping[str, str] | None = None) -> str:
    """``""`` (use a running daemon), ``auto`` or ``off``: the value of ``STACKMAP_DAEMON``."""
    value = (os.environ if env is None else env).get("STACKMAP_DAEMON", "").strip().lower()
    if value and value not in MODES:
        from ..errors import UsageError

        raise UsageError(f"STACKMAP_DAEMON={value!r} is not a mode: use auto or off, or leave it unset")
    return value


def forward(argv: list[str]) -> int | None:
    """Run ``argv`` in the daemon: its exit code, or ``None`` to run it in this process."""
    if not argv or argv[0] != "check" or any(a in _LOCAL_ONLY for a in argv[1:]):
        return None
    chosen = mode()
    if chosen == "off" or not hasattr(socket, "AF_UNIX"):
        return None
    key = installation()
    conn = connect(key) or (start(key, IDLE_MINUTES * 60) if chosen == "auto" else None)
    if conn is None:
        return None
    try:
        request = _request(argv)
    except OSError:  # the working folder is gone: let the command say so
        conn.close()
        return None
    with conn:
        try:
            send(conn, request)
            header, (out, err) = receive(conn)
            code = header["code"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.stderr.write(f"stackmap: note: the daemon did not answer ({exc}); checking in this process\n")
            return None
    try:
        sys.stderr.write(err.decode("utf-8", "surrogatepass"))
        sys.stderr.flush()
        sys.stdout.write(out.decode("utf-8", "surrogatepass"))
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    return int(code)


def connect(key: str | None = None) -> socket.socket | None:
    """A connection to the daemon for this installation, or ``None`` when none answers."""
    try:
        private_dir(runtime_dir(), create=False)
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return None
    try:
        conn.connect(os.fspath(socket_path(key=key)))
    except OSError:
        conn.close()
        return None
    return conn


def ask(kind: str) -> dict[str, Any] | None:
    """Send ``status`` or ``stop`` to the daemon; its answer, or ``None`` when none runs."""
    conn = connect()
    if conn is None:
        return None
    with conn:
        try:
            send(conn, {"kind": kind})
            return receive(conn)[0]
        except OSError:
            return None


def start(key: str, idle_seconds: float) -> socket.socket | None:
    """Start the daemon for installation ``key`` and connect to it (``None`` if it does not come up)."""
    import subprocess

    try:
        folder = private_dir(runtime_dir(), create=True)
        if len(os.fspath(socket_path(key=key))) > 100:
            return None
        log = os.open(folder / f"{key[:24]}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND
                      | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    try:
        # Started in the folder this very package was imported from, never in the user's folder: a
        # `stackmap/` folder in a checked-out repository must not become the daemon's code.
        process = subprocess.Popen(
            [sys.executable, "-m", "stackmap.daemon.server", key, str(idle_seconds)], cwd=_package_parent(),
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    except OSError:
        return None
    finally:
        os.close(log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        conn = connect(key)
        if conn is not None:
            return conn
        if process.poll() not in (None, 0):
            return None  # it failed: see the log beside the socket
        time.sleep(0.02)
    return None


def _package_parent() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _request(argv: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    if "COLUMNS" not in env and sys.stdout.isatty():  # the width the command would see here
        env["COLUMNS"] = str(os.get_terminal_size(sys.stdout.fileno()).columns)
    umask = os.umask(0o022)
    os.umask(umask)
    return {"kind": "check", "argv": argv, "cwd": os.getcwd(), "env": env, "umask": umask,
            "tty": [sys.stdout.isatty(), sys.stderr.isatty()]}


def log_path(key: str | None = None) -> Path:
    """The daemon's log: what it wrote to stderr (beside the socket)."""
    return runtime_dir() / f"{(key or installation())[:24]}.log"
