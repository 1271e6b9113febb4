"""Parsing on a second core: one forked helper process for a one-shot check.

A cold ``stackmap check`` spends most of its per-file work in libyaml's event stream, on one core.
When a load has enough YAML left to parse (:data:`MIN_BYTES`), :func:`start` forks one helper that
prepares (decodes and parses: :func:`stackmap.load.validate.prepare`) the last files of the load
while the parent reads the first ones, and hands each file back as soon as it is done: plain data
(dicts, lists, scalars; nothing keyed by object identity), pickled, in a frame with its index,
length and CRC-32. The parent validates what it receives, in source order, exactly as it validates
what it parsed itself (see ``docs/performance.md`` for the numbers, and why plain data rather than
validated results).

Only a caller that asks for it forks (``workers=2``: the ``check`` command), never the language
server or the preview server (threads, an event loop), and only on Linux with two usable CPUs and
no other thread running. The helper never writes anything but its pipe and leaves with
``os._exit`` (no atexit handlers, no flushing of inherited buffers). Whatever goes wrong with it
(an exception, a non-zero exit, a kill, a truncated or garbled frame) the parent parses the files it
did not get a good frame for itself: a helper can only ever save time, never change a result.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Mapping

from ..errors import ConfigError
from .limits import Limits
from .results import FileResult
from .sources import Source
from .validate import Prepared, prepare

WORKERS_ENV = "STACKMAP_WORKERS"
MIN_BYTES = 2_000_000
"""Least YAML left to parse (bytes, about 3,000 systems) for which forking a helper pays."""
HELPER_SHARE = 0.55
"""The share of the bytes left that the helper parses: more than half, since the parent also
validates and unpickles what the helper sends (measured, ``docs/performance.md``)."""
_HEADER = struct.Struct("<IIQ")
"""A frame: file index, CRC-32 of the payload, payload length; then the payload."""
_MAX_FRAME = 1 << 31
EXIT_WAIT = 2.0
"""Seconds a helper that sent its last frame is given to exit before it is killed."""


def workers_from_env(environ: Mapping[str, str] | None = None) -> int:
    """``STACKMAP_WORKERS``: ``1`` parses in one process, ``2`` (the default) lets a check parse on
    two cores when it has enough to parse; anything else is a usage error."""
    env = os.environ if environ is None else environ
    raw = env.get(WORKERS_ENV, "").strip()
    if raw == "":
        return 2
    if raw not in ("1", "2"):
        raise ConfigError(f"{WORKERS_ENV}={raw[:40]!r}: expected 1 (parse in one process) or 2 (parse on "
                          "two cores when there is enough to parse)")
    return int(raw)


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 1


def can_fork() -> bool:
    """Whether forking a helper is safe and useful here: Linux, two usable CPUs, no other thread."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and usable_cpus() >= 2
            and threading.active_count() == 1)


def plan(sources: list[Source], first: int, min_bytes: int = MIN_BYTES,
         share: float = HELPER_SHARE) -> list[int]:
    """The indexes of the files a helper should parse, from ``first`` on: the last readable files,
    about ``share`` of the bytes left; none when fewer than ``min_bytes`` are left."""
    left = [i for i in range(first, len(sources)) if sources[i].error is None]
    total = sum(len(sources[i].data) for i in left)
    if total < min_bytes or len(left) < 2:
        return []
    taken: list[int] = []
    size = 0
    for i in reversed(left[1:]):  # the parent keeps at least the first file
        if size >= total * share:
            break
        taken.append(i)
        size += len(sources[i].data)
    return taken[::-1]


class Helper:
    """A forked process that prepares some files of a load; see the module docstring.

    The helper writes each frame to an in-memory file (``memfd``, which never fills up, so the
    helper never waits for the parent), then one byte to a pipe; the parent blocks on the pipe only
    when it needs a frame not yet written, and the end of the pipe tells it the helper is gone. No
    thread reads for the parent: it would take the GIL from the parent's own parsing for every
    chunk, and throttle the helper on a full pipe meanwhile (tried: at 10,000 systems the load took
    0.67 s with a reader thread, 0.45 s without, 0.80 s on one core)."""

    def __init__(self, sources: list[Source], indexes: list[int], limits: Limits,
                 work: Callable[[Source, Limits], FileResult | Prepared] | None = None) -> None:
        self.indexes = indexes
        self._expected = set(indexes)
        self._last = -1
        """The index of the last frame read: the helper writes its files in order."""
        self.status: int | None = None
        """The helper's exit code once reaped (negative: the signal that ended it)."""
        self._data = _memory_file()
        self._offset = 0
        self._ready = 0
        """Frames the helper said are complete and not yet read."""
        self._ended = False
        self._broken = False
        self._ahead: tuple[int, int, bytes] | None = None
        """A frame read while looking for an earlier index that never came."""
        try:
            read, write = os.pipe()
        except OSError:
            os.close(self._data)
            raise
        try:
            self.pid = os.fork()
        except OSError:
            for fd in (read, write, self._data):
                os.close(fd)
            raise
        if self.pid == 0:  # the helper
            code = 1
            try:
                os.close(read)
                _serve(self._data, write, [(i, sources[i]) for i in indexes], limits, work or prepare)
                code = 0
            except BaseException:  # noqa: BLE001 - whatever it is, the parent parses instead
                pass
            finally:
                os._exit(code)
        os.close(write)
        self._pipe = read

    def take(self, index: int) -> FileResult | Prepared | None:
        """What the helper sent for file ``index``, or ``None`` (not one of its files, never sent,
        or not a good frame): then the caller parses the file itself. Indexes are asked in order."""
        if index not in self._expected:  # the parent's own file: never wait for the helper
            return None
        frame = self._frame(index)
        if frame is None:
            return None
        crc, payload = frame
        if zlib.crc32(payload) != crc:
            return None
        try:
            sent_index, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a garbled frame: parse the file here
            return None
        if sent_index != index or not isinstance(value, (FileResult, Prepared)):
            return None
        return value

    def _frame(self, index: int) -> tuple[int, bytes] | None:
        """The (CRC, payload) the helper wrote for ``index``, skipping frames of earlier files."""
        while True:
            if self._ahead is not None:
                sent, crc, payload = self._ahead
                if sent > index:
                    return None
                self._ahead = None
            else:
                got = self._next()
                if got is None:
                    return None
                sent, crc, payload = got
            if sent == index:
                return crc, payload
            if sent > index:
                self._ahead = (sent, crc, payload)
                return None

    def _next(self) -> tuple[int, int, bytes] | None:
        """The next frame in the file, waiting for the helper to write it; ``None`` at the end."""
        if self._broken:
            return None
        while self._ready == 0:
            if self._ended:
                return None
            try:
                notes = os.read(self._pipe, 65536)
            except OSError:
                notes = b""
            if not notes:
                self._ended = True
            self._ready += len(notes)
        self._ready -= 1
        head = os.pread(self._data, _HEADER.size, self._offset)
        if len(head) < _HEADER.size:
            self._broken = True
            return None
        index, crc, length = _HEADER.unpack(head)
        if length > _MAX_FRAME or index not in self._expected or index <= self._last:
            self._broken = True  # garbled: nothing after this is framed
            return None
        payload = os.pread(self._data, length, self._offset + _HEADER.size)
        if len(payload) != length:
            self._broken = True
            return None
        self._offset += _HEADER.size + length
        self._last = index
        return index, crc, payload

    def close(self) -> None:
        """Stop the helper if it still runs, and reap it."""
        if self.status is not None:
            return
        done = self._ended or (not self._broken and self._last == max(self.indexes, default=-1))
        if not (done and self._exited(EXIT_WAIT)):  # still at work (or hung): its files are not needed
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            if self.status is None:
                _, status = os.waitpid(self.pid, 0)
                self.status = os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # reaped by someone else: nothing more is read from it anyway
            self.status = -1
        os.close(self._pipe)
        os.close(self._data)


    def _exited(self, seconds: float) -> bool:
        """Whether the helper, done with its files, exits within ``seconds`` (it is reaped if so):
        one that sent its last frame is on its way out, and is let finish rather than killed."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.status = -1
                return True
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)


def _memory_file() -> int:
    """A file descriptor for an unnamed file in memory (a temporary file where there is no memfd)."""
    try:
        return os.memfd_create("stackmap-helper", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        import tempfile

        with tempfile.TemporaryFile() as handle:
            return os.dup(handle.fileno())


def _serve(data: int, notes: int, jobs: list[tuple[int, Source]], limits: Limits,
           work: Callable[[Source, Limits], FileResult | Prepared]) -> None:
    """The helper's work: each file in order, one frame each, and a note once a frame is written."""
    for index, source in jobs:
        try:
            value = work(source, limits)
            if isinstance(value, Prepared):
                value.text = None  # the parent decodes again only if it must point into the file
            payload = pickle.dumps((index, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - e.g. a value nested too deep to pickle: the parent parses it
            continue
        frame = _HEADER.pack(index, zlib.crc32(payload), len(payload)) + payload
        view = memoryview(frame)
        while view:
            view = view[os.write(data, view):]
        os.write(notes, b"\x01")


def start(sources: list[Source], first: int, limits: Limits, workers: int,
          min_bytes: int | None = None) -> Helper | None:
    """A helper for the files from ``first`` on, when asked for (``workers`` ≥ 2), possible and
    worth it (at least ``min_bytes``, default :data:`MIN_BYTES`, left to parse)."""
    if workers < 2 or not can_fork():
        return None
    indexes = plan(sources, first, MIN_BYTES if min_bytes is None else min_bytes)
    if not indexes:
        return None
    try:
        return Helper(sources, indexes, limits)
    except OSError:  # no fork (process limit, memory): parse everything here
        return None
