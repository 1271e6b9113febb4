"""Writing output files: atomically (a temporary file in the same folder, then a rename), except into
a stream (``/dev/stdout``, a named pipe), and never over an inventory file that this process has read."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import UsageError
from .process import before_effects, guard

_read_files: set[tuple[int, int]] = set()
"""(device, inode) of every inventory file read in this process: no output may replace one."""


def protect(path: Path) -> None:
    """Remember ``path`` as an inventory file: :func:`write_atomic` refuses it, by any name or link."""
    try:
        info = path.stat()
    except OSError:
        return
    _read_files.add((info.st_dev, info.st_ino))


def forget_read() -> None:
    """Forget every file :func:`protect` remembered: a process that runs several commands (the
    daemon) starts each with none."""
    _read_files.clear()


def is_protected(path: Path) -> bool:
    """Whether ``path`` is (or resolves through links to) an inventory file read in this process."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in _read_files


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never half."""
    guard(path)
    before_effects()
    if is_protected(path):
        raise UsageError(f"{path}: refusing to write over an inventory file this command read; "
                         "choose another output path")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _stream(path):
        try:
            _write_stream(path, payload)
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _stream(path: Path) -> bool:
    """Whether ``path`` is written into rather than replaced: a path under ``/dev`` or ``/proc``
    (``-o sarif=/dev/stdout``, ``/dev/fd/3``, ``/dev/null``: replacing one would replace the link or
    device itself), or an existing file that is not a regular one (a named pipe, a terminal)."""
    if (os.path.abspath(path) + "/").startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_stream(path: Path, payload: bytes) -> None:
    """Write into a stream; into this process's own output or error stream by its descriptor, after
    what is already buffered, so ``-o sarif=/dev/stdout > out.txt`` appends rather than truncates."""
    for fd, buffered in ((1, sys.stdout), (2, sys.stderr)):
        try:
            same = os.path.samestat(path.stat(), os.fstat(fd))
        except OSError:
            continue
        if same:
            if buffered is not None:
                buffered.flush()
            with open(fd, "wb", closefd=False) as handle:
                handle.write(payload)
            return
    with open(path, "wb") as handle:
        handle.write(payload)
