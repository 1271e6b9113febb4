"""The daemon process, started by the client (:func:`stackmap.daemon.client.start`).

It holds a lock file beside its socket for its whole life, so there is one daemon per identity (see
:mod:`.place`) and a socket left by one that was killed is replaced safely. It answers one connection
at a time, only from its own user (``SO_PEERCRED``), and only ``check`` command lines the client would
forward. It exits after its idle time without a request, when its identity changes or its socket is
gone or replaced (it looks every :data:`LOOK_EVERY` seconds), on ``stop``, and on SIGTERM or SIGINT;
before it exits on its own it removes its socket and answers the clients already waiting. A check
runs the real command line (:func:`stackmap.cli.main`) in the client's folder, environment, time zone
and umask, with what it writes captured and sent back.
"""

from __future__ import annotations

import fcntl
import io
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from ..process import RunInClient, stand_in
from .client import LOCK_HELD, runs_here
from .place import identity, private_dir
from .wire import WireError, peer_uid, receive, send

LOOK_EVERY = 20.0
"""Seconds between looks at the idle time, the identity and the socket."""
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
    """The kept workspaces, what a ``status`` request reports, and how one request is answered."""

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

    def serve(self, listener: socket.socket, path: Path) -> None:
        """Answer connections until it is time to go, then answer those already waiting."""
        bound = os.stat(path).st_ino
        listener.settimeout(min(LOOK_EVERY, self.idle))
        last = time.monotonic()
        while not self.stopping:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                if time.monotonic() - last >= self.idle or identity() != self.key or not _ours(path, bound):
                    break
                continue
            if self.handle(conn):
                last = time.monotonic()  # only a check counts as use: `status` does not keep it alive
        if _ours(path, bound):
            path.unlink()  # no new client can connect; those in the queue are still answered
        listener.setblocking(False)
        while True:
            try:
                conn, _ = listener.accept()
            except (BlockingIOError, OSError):
                return
            conn.setblocking(True)
            self.handle(conn)

    def handle(self, conn: socket.socket) -> bool:
        """Answer one connection; whether it was a check."""
        with conn:
            conn.settimeout(READ_TIMEOUT)
            try:
                return self.answer(conn)
            except (OSError, ValueError):
                pass  # a client that went away, or sent something else: the next one is served
            except Exception as exc:  # noqa: BLE001 - never stop serving for one request
                sys.stderr.write(f"stackmap daemon: {type(exc).__name__}: {exc}\n")
        return False

    def answer(self, conn: socket.socket) -> bool:
        if not _same_user(conn):
            return False
        header, _ = receive(conn, max_body=0)
        kind = header.get("kind")
        if kind == "check":
            argv = header.get("argv")
            if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv) or runs_here(argv):
                send(conn, {"local": "not a check the daemon answers"})
                return False
            env, cwd = header.get("env"), header.get("cwd")
            if not (isinstance(cwd, str) and isinstance(env, dict)
                    and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
                raise WireError("a check request needs argv, cwd and env")
            send(conn, {"ack": True})  # picked up: the client waits for the answer from now on
            self.requests += 1
            try:
                code, out, err = self.check(header, conn)
            except RunInClient as exc:
                if str(exc).startswith("internal error"):  # what it kept may be what failed
                    from .pool import Pool, activate

                    self.pool = Pool()
                    activate(self.pool)
                send(conn, {"local": str(exc)})
                return True
            send(conn, {"code": code}, out.encode("utf-8", "surrogatepass"), err.encode("utf-8", "surrogatepass"))
            return True
        elif kind == "status":
            send(conn, self.status())
        elif kind == "stop":
            self.stopping = True
            send(conn, {"stopped": os.getpid()})
        else:
            raise WireError(f"unknown request {kind!r}")
        return False

    def status(self) -> dict[str, Any]:
        import resource

        return {"pid": os.getpid(), "started": self.started, "requests": self.requests,
                "warm": self.pool.checks, "workspaces": self.pool.describe(), "idle": self.idle,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}

    def check(self, request: dict[str, Any], conn: socket.socket) -> tuple[int, str, str]:
        """Run the client's command line in its folder and environment; its exit code and output.
        Raises :class:`RunInClient` when the command must run in the client (it names a file of the
        client's process, hit an internal error, or the client hung up)."""
        from ..cli import main
        from ..load.loader import gc_paused
        from ..output import forget_read

        argv, env, cwd = request["argv"], request["env"], request["cwd"]
        tty = request.get("tty") or [False, False]
        saved = (dict(os.environ), os.getcwd(), sys.stdout, sys.stderr)
        out, err = Captured(bool(tty[0])), Captured(bool(tty[1]))
        umask = os.umask(int(request.get("umask", 0o022)) & 0o777)
        forget_read()  # the files an earlier request read are not this one's
        stand_in(lambda: _hung_up(conn))
        try:
            os.chdir(cwd)
            _environ(env)
            sys.stdout, sys.stderr = out, err
            with gc_paused():
                main(argv)
            code: object = 0
        except SystemExit as exc:
            code = exc.code
        finally:
            stand_in(None)
            os.umask(umask)
            sys.stdout, sys.stderr = saved[2], saved[3]
            _environ(saved[0])
            os.chdir(saved[1])
            forget_read()
        self.cycles.analysed()
        if code is None:
            code = 0
        elif not isinstance(code, int):
            err.write(f"{code}\n")
            code = 1
        return code, out.getvalue(), err.getvalue()


def main(args: list[str]) -> int:
    """``KEY IDLE_SECONDS RUNTIME_DIR``: serve as the daemon for identity ``KEY``."""
    key, idle, runtime = args[0], float(args[1]), Path(args[2])
    if identity() != key:
        sys.stderr.write("stackmap daemon: this process does not share the client's identity (code, "
                         "interpreter settings or rights); not started\n")
        return 2
    folder = private_dir(runtime, create=True)
    lock = os.open(folder / f"{key[:24]}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return LOCK_HELD
    os.ftruncate(lock, 0)
    os.write(lock, f"{os.getpid()}\n".encode("ascii"))  # for `stackmap daemon stop` when it is busy
    path = folder / f"{key[:24]}.sock"
    try:
        path.unlink()  # ours by the lock: a socket left by a daemon that was killed, or removed
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)
    try:
        listener.bind(os.fspath(path))
    finally:
        os.umask(umask)
    listener.listen(16)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    os.chdir("/")  # hold no folder busy between requests
    try:
        Daemon(key, idle).serve(listener, path)
    except Stop:
        try:
            path.unlink()
        except OSError:
            pass
    finally:
        listener.close()
        os.close(lock)
    return 0


class Stop(BaseException):
    """SIGTERM or SIGINT: not an ``Exception``, so no command's error handling catches it."""


def _stop(signum: int, frame: object) -> None:
    raise Stop


def _environ(env: dict[str, str]) -> None:
    """Make ``env`` this process's environment, time zone included (``date.today()`` reads it)."""
    os.environ.clear()
    os.environ.update(env)
    if hasattr(time, "tzset"):
        time.tzset()


def _hung_up(conn: socket.socket) -> bool:
    """Whether the client closed its end (it sends nothing after its request)."""
    try:
        if not select.select([conn], [], [], 0)[0]:
            return False
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _ours(path: Path, bound: int) -> bool:
    try:
        return os.stat(path).st_ino == bound
    except OSError:
        return False


def _same_user(conn: socket.socket) -> bool:
    return peer_uid(conn) in (None, os.getuid())
