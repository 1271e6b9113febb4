"""The daemon process: ``python -m stackmap.daemon.server KEY IDLE_SECONDS`` (started by the client).

It holds a lock file beside its socket for its whole life, so there is one daemon per installation
and a socket left by one that was killed is replaced safely. It answers one connection at a time,
only from the current user (``SO_PEERCRED``), and exits after ``IDLE_SECONDS`` without a request,
when its installation changes (it looks every :data:`LOOK_EVERY` seconds), on ``stop`` and on
SIGTERM or SIGINT. A check runs the real command line (:func:`stackmap.cli.main`) in the client's
folder, environment and umask, with what it writes captured and sent back.
"""

from __future__ import annotations

import fcntl
import io
import os
import signal
import socket
import struct
import sys
import time
from typing import Any

from .place import installation, private_dir, runtime_dir
from .wire import WireError, receive, send

LOOK_EVERY = 20.0
"""Seconds between looks at the idle time and the installation."""
READ_TIMEOUT = 30.0
"""A client has this long to send its request and to read each part of the answer."""


class Captured(io.StringIO):
    """What a command writes to a stream, with the client's answer to ``isatty()``."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class Daemon:
    """The listening socket, the kept workspaces and what a ``status`` request reports."""

    def __init__(self, key: str, idle: float) -> None:
        from ..load.loader import Cycles
        from .pool import Pool, activate

        self.key, self.idle = key, idle
        self.pool = Pool()
        activate(self.pool)
        self.cycles = Cycles()
        self.started = time.time()
        self.requests = 0
        self.stopping = False

    def serve(self, listener: socket.socket) -> None:
        listener.settimeout(min(LOOK_EVERY, self.idle))
        last = time.monotonic()
        while not self.stopping:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                if time.monotonic() - last >= self.idle or installation() != self.key:
                    return
                continue
            with conn:
                conn.settimeout(READ_TIMEOUT)
                try:
                    self.answer(conn)
                except (OSError, ValueError):
                    pass  # a client that went away, or sent something else: the next one is served
                except Exception as exc:  # never stop serving for one request
                    sys.stderr.write(f"stackmap daemon: {type(exc).__name__}: {exc}\n")
            last = time.monotonic()

    def answer(self, conn: socket.socket) -> None:
        if not _same_user(conn):
            return
        header, _ = receive(conn)
        kind = header.get("kind")
        if kind == "check":
            self.requests += 1
            code, out, err = self.check(header)
            send(conn, {"code": code}, out.encode("utf-8", "surrogatepass"), err.encode("utf-8", "surrogatepass"))
        elif kind == "status":
            send(conn, self.status())
        elif kind == "stop":
            self.stopping = True
            send(conn, {"stopped": os.getpid()})
        else:
            raise WireError(f"unknown request {kind!r}")

    def status(self) -> dict[str, Any]:
        import resource

        return {"pid": os.getpid(), "started": self.started, "requests": self.requests,
                "warm": self.pool.checks, "workspaces": self.pool.describe(), "idle": self.idle,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}

    def check(self, request: dict[str, Any]) -> tuple[int, str, str]:
        """Run the client's command line in its folder and environment; its exit code and output."""
        from ..cli import main
        from ..load.loader import gc_paused

        argv, env, cwd = request.get("argv"), request.get("env"), request.get("cwd")
        if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv) and isinstance(cwd, str)
                and isinstance(env, dict) and all(isinstance(v, str) for v in env.values())):
            raise WireError("a check request needs argv, cwd and env")
        tty = request.get("tty") or [False, False]
        saved = (dict(os.environ), os.getcwd(), sys.stdout, sys.stderr)
        out, err = Captured(bool(tty[0])), Captured(bool(tty[1]))
        umask = os.umask(int(request.get("umask", 0o022)) & 0o777)
        try:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            sys.stdout, sys.stderr = out, err
            with gc_paused():
                main(argv)
            code: object = 0
        except SystemExit as exc:
            code = exc.code
        finally:
            os.umask(umask)
            sys.stdout, sys.stderr = saved[2], saved[3]
            os.environ.clear()
            os.environ.update(saved[0])
            os.chdir(saved[1])
        self.cycles.analysed()
        if code is None:
            code = 0
        elif not isinstance(code, int):
            err.write(f"{code}\n")
            code = 1
        return code, out.getvalue(), err.getvalue()


def run(key: str, idle: float) -> int:
    """Serve as the daemon for installation ``key``; 0 when another daemon already serves it."""
    if installation() != key:
        sys.stderr.write("stackmap daemon: this interpreter imports other code than the client's\n")
        return 2
    folder = private_dir(runtime_dir(), create=True)
    lock = os.open(folder / f"{key[:24]}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another daemon serves this installation
    path = folder / f"{key[:24]}.sock"
    try:
        path.unlink()  # ours by the lock: a socket left by a daemon that was killed
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)
    try:
        listener.bind(os.fspath(path))
    finally:
        os.umask(umask)
    listener.listen(16)
    bound = os.stat(path).st_ino
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    os.chdir("/")  # hold no folder busy between requests
    try:
        Daemon(key, idle).serve(listener)
    except Stop:
        pass
    finally:
        listener.close()
        try:
            if os.stat(path).st_ino == bound:
                path.unlink()
        except OSError:
            pass
        os.close(lock)
    return 0


class Stop(BaseException):
    """SIGTERM or SIGINT: not an ``Exception``, so no command's error handling catches it."""


def _stop(signum: int, frame: object) -> None:
    raise Stop


def _same_user(conn: socket.socket) -> bool:
    peer = getattr(socket, "SO_PEERCRED", None)
    if peer is None:
        return True  # the folder is private: only its owner reaches the socket
    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, peer, struct.calcsize("3i")))
    return bool(uid == os.getuid())


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], float(sys.argv[2])))
