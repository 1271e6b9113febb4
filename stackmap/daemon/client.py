"""The entry point of every ``stackmap`` command: a ``check`` goes to the daemon when one runs.

Light on purpose: a forwarded check imports only this package's client side, so it starts in a few
hundredths of a second. ``STACKMAP_DAEMON`` picks what happens:

- unset: a ``check`` goes to the daemon if one runs for this process's identity (see
  :mod:`.place`), else runs here;
- ``auto``: the same, starting the daemon first when none runs;
- ``off``: every command runs in this process.

A check runs here, whatever the mode, when it cannot mean the same in another process:
``--no-cache`` and ``--help``, output streams that are closed or not UTF-8, a CPU time or memory
limit (the daemon's life and its kept workspaces would count against it); the daemon hands a check
back when it names a file of this process (``-o sarif=/dev/stdout``, ``--baseline /dev/stdin``; see
:mod:`stackmap.process`) or hits an internal error. A daemon that does not pick the request up
within :data:`ACK_TIMEOUT` seconds (busy with another client's check) is not waited for. When the
daemon cannot be reached, the check runs here; when it goes away after picking the request up, the
check runs here after a note on stderr. So the daemon can only make a check faster, never change or
lose its answer.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .place import identity, private_dir, runtime_dir, socket_path
from .wire import peer_uid, receive, send

MODES = ("auto", "off")
IDLE_MINUTES = 60
"""How long a daemon started by ``STACKMAP_DAEMON=auto`` waits for the next check before it exits."""
START_TIMEOUT = 20.0
ASK_TIMEOUT = 10.0
"""How long ``stackmap daemon status|stop`` waits for a daemon busy with a check."""
ACK_TIMEOUT = 3.0
"""How long a check waits for the daemon to pick its request up before it runs here instead."""
_LOCAL_FLAGS = ("--no-cache", "--help", "-h")
_INTERRUPTED = 130
"""What ``stackmap check`` exits with on Ctrl-C in its own process (the command line's handling)."""
LOCK_HELD = 3
"""The exit code of a daemon that finds another one holding the lock (see :mod:`.server`)."""
_BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
         "from stackmap.daemon.server import main; sys.exit(main(sys.argv[2:]))")


def main() -> None:
    """``stackmap ...``: forward a check to the daemon, or run the command here."""
    try:
        code = forward(sys.argv[1:])
    except KeyboardInterrupt:
        sys.exit(_INTERRUPTED)
    except Exception as exc:  # a bad STACKMAP_DAEMON (errors imported only then: they cost 14 ms)
        from ..errors import UsageError

        if not isinstance(exc, UsageError):
            raise
        sys.stderr.write(f"stackmap: {exc}\n")
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


def runs_here(argv: list[str]) -> bool:
    """Whether a command line is never one for the daemon: not a check, or a check that asks for a
    cold run or for help."""
    return not argv or argv[0] != "check" or any(a in _LOCAL_FLAGS for a in argv[1:])


def forward(argv: list[str]) -> int | None:
    """Run ``argv`` in the daemon: its exit code, or ``None`` to run it in this process."""
    if runs_here(argv):
        return None
    chosen = mode()
    if chosen == "off" or not hasattr(socket, "AF_UNIX"):
        return None
    try:
        request = _request(argv)
    except (OSError, ValueError, AttributeError):  # no working folder, closed streams...
        return None
    if request is None:
        return None
    conn = connect() or (start(identity(), IDLE_MINUTES * 60) if chosen == "auto" else None)
    if conn is None:
        return None
    with conn:
        try:
            conn.settimeout(ACK_TIMEOUT)
            send(conn, request)
            header, _ = receive(conn, max_body=0)  # picked up, or handed back
            if "local" in header:
                return None
            conn.settimeout(None)
        except OSError:  # too large to send, busy with another check, or gone: nothing ran yet
            return None
        try:
            header, parts = receive(conn)
            if "local" in header:
                return None
            code = int(header["code"])
            out, err = (p.decode("utf-8", "surrogatepass") for p in parts)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.stderr.write(f"stackmap: note: the daemon did not answer ({exc}); checking in this process\n")
            return None
    return _write(out, err, code)


def _write(out: str, err: str, code: int) -> int:
    """Print the daemon's answer as the command would have: a closed pipe exits 1 quietly, another
    failure to write is the command line's internal error (exit 2)."""
    try:
        sys.stderr.write(err)
        sys.stderr.flush()
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        try:
            sys.stderr.write(f"stackmap: internal error: {type(exc).__name__}: {exc}\n"
                             "This is a bug in stackmap; set STACKMAP_DEBUG=1 to see the traceback.\n")
        except OSError:
            pass
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    return code


def connect(key: str | None = None, timeout: float | None = None) -> socket.socket | None:
    """A connection to the daemon for this process's identity, or ``None`` when none answers or the
    one that answers is another user's. Without a runtime folder there is no daemon: the identity's
    digest (~9 ms) is not even computed."""
    try:
        private_dir(runtime_dir(), create=False)
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return None
    try:
        conn.settimeout(timeout)
        conn.connect(os.fspath(socket_path(key=key or identity())))
        if peer_uid(conn) not in (None, os.getuid()):
            raise PermissionError("the socket's owner is another user")
    except OSError:
        conn.close()
        return None
    return conn


def ask(kind: str) -> dict[str, Any] | None:
    """Send ``status`` or ``stop`` to the daemon; its answer, or ``None`` when none runs. Raises
    :class:`TimeoutError` when one runs but does not answer within :data:`ASK_TIMEOUT` seconds (busy
    with a long check, or stuck)."""
    conn = connect(timeout=ASK_TIMEOUT)
    if conn is None:
        return None
    with conn:
        try:
            send(conn, {"kind": kind})
            return receive(conn, max_body=0)[0]
        except TimeoutError:
            raise
        except OSError:
            return None


def daemon_pid(key: str | None = None) -> int | None:
    """The process id the daemon wrote in its lock file, if that process is still a daemon."""
    try:
        folder = private_dir(runtime_dir(), create=False)
        fd = os.open(folder / f"{(key or identity())[:24]}.lock", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            pid = int(os.read(fd, 32).decode("ascii").strip() or "0")
        finally:
            os.close(fd)
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return pid if pid > 0 and b"stackmap.daemon.server" in handle.read() else None
    except (OSError, ValueError):
        return None


def start(key: str, idle_seconds: float) -> socket.socket | None:
    """Start the daemon for identity ``key`` and connect to it (``None`` if it does not come up)."""
    import subprocess

    runtime = runtime_dir()
    try:
        folder = private_dir(runtime, create=True)
        if len(os.fspath(socket_path(key=key))) > 100:
            return None
        log = os.open(folder / f"{key[:24]}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND
                      | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    # The daemon imports through this process's very import path and interpreter flags (so it runs
    # the same code: its identity must match), started outside the user's folder.
    flags = [*getattr(subprocess, "_args_from_interpreter_flags", list)(),
             *(arg for key, value in getattr(sys, "_xoptions", {}).items()
               for arg in ("-X", key if value is True else f"{key}={value}"))]
    try:
        process = subprocess.Popen(
            [sys.executable, *flags, "-c", _BOOT, _json(sys.path), key, str(idle_seconds), os.fspath(runtime)],
            cwd="/", stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    except OSError:
        return None
    finally:
        os.close(log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        conn = connect(key)
        if conn is not None:
            return conn
        code = process.poll()
        if code is not None and code != LOCK_HELD:
            return None  # it failed: see its log
        if code == LOCK_HELD:  # another daemon holds the lock: it is binding, or lost its socket
            deadline = min(deadline, time.monotonic() + 0.5)
        time.sleep(0.02)
    return None


def log_path(key: str | None = None) -> Path:
    """The daemon's log: what it wrote to stderr (beside the socket)."""
    return runtime_dir() / f"{(key or identity())[:24]}.log"


def _request(argv: list[str]) -> dict[str, Any] | None:
    """What the daemon needs to run ``argv`` as this process would, or ``None`` when it cannot."""
    streams = (sys.stdout, sys.stderr)
    if any(s is None or (getattr(s, "encoding", "") or "").lower().replace("-", "") != "utf8" for s in streams):
        return None  # the output could not be written as the command would write it
    cwd = os.getcwd()
    if cpu_limited():
        return None
    env = dict(os.environ)
    if "COLUMNS" not in env and sys.stdout.isatty():  # the width the command would see here
        env["COLUMNS"] = str(os.get_terminal_size(sys.stdout.fileno()).columns)
    umask = os.umask(0o022)
    os.umask(umask)
    return {"kind": "check", "argv": argv, "cwd": cwd, "env": env, "umask": umask,
            "tty": [sys.stdout.isatty(), sys.stderr.isatty()]}


def cpu_limited() -> bool:
    """A CPU time limit counts a process's whole life, a memory limit also the daemon's kept
    workspaces: a daemon would run out where the check in its own process would not."""
    try:
        import resource
    except ImportError:
        return False
    return any(resource.getrlimit(getattr(resource, name))[0] != resource.RLIM_INFINITY
               for name in ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_DATA") if hasattr(resource, name))


def _json(value: object) -> str:
    import json

    return json.dumps(value)
