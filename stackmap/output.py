"""Writing output files: atomically (a temporary file in the same folder, then a rename), and never
over an inventory file that this process has read."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError

_read_files: set[tuple[int, int]] = set()
"""(device, inode) of every inventory file read in this process: no output may replace one."""


def protect(path: Path) -> None:
    """Remember ``path`` as an inventory file: :func:`write_atomic` refuses it, by any name or link."""
    try:
        info = path.stat()
    except OSError:
        return
    _read_files.add((info.st_dev, info.st_ino))


def is_protected(path: Path) -> bool:
    """Whether ``path`` is (or resolves through links to) an inventory file read in this process."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in _read_files


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never half."""
    if is_protected(path):
        raise UsageError(f"{path}: refusing to write over an inventory file this command read; "
                         "choose another output path")
    payload = data.encode("utf-8") if isinstance(data, str) else data
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
