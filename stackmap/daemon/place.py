"""Where the daemon listens and which installation it serves (light imports: every command reads this).

The socket lives in a private folder of the current user: ``STACKMAP_RUNTIME_DIR`` when set, else
``$XDG_RUNTIME_DIR/stackmap``, else ``$TMPDIR/stackmap-<uid>`` (``/tmp`` without ``TMPDIR``). A folder
that is a link, belongs to another user or that others may enter is refused, so no other user can
reach the daemon or put a socket of theirs where a client looks for it. The socket's name is a digest
of the installation: the Python interpreter, the folder stackmap is imported from, and the name,
size and modification time of every file in it. A daemon therefore only ever answers for the very
code the client would have run itself; after an upgrade or an edit of stackmap the client finds no
socket under the new name (and the old daemon exits at its next look at its own files).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

SOCKET_SUFFIX = ".sock"
MAX_SOCKET_PATH = 100
"""Unix socket paths are limited to ~104-108 bytes depending on the system."""


def runtime_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder the daemon's socket is in (see the module docstring)."""
    env = os.environ if env is None else env
    override = env.get("STACKMAP_RUNTIME_DIR")
    if override:
        return Path(override)
    xdg = env.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "stackmap"
    tmp = env.get("TMPDIR", "")
    return Path(tmp if os.path.isabs(tmp) else "/tmp") / f"stackmap-{_uid()}"


def private_dir(path: Path, create: bool) -> Path:
    """``path`` when it is a folder of the current user that no one else may enter; creates it
    (mode 0700) when asked. Raises :class:`OSError` otherwise."""
    if create:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except FileExistsError:
            pass
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise PermissionError(f"{path}: not a folder (a link or a file is never used)")
    if info.st_uid != _uid():
        raise PermissionError(f"{path}: belongs to another user")
    if info.st_mode & 0o077:
        raise PermissionError(f"{path}: others may enter it (mode {stat.S_IMODE(info.st_mode):o}; want 700)")
    return path


def installation() -> str:
    """A digest of the code a process runs: interpreter, package folder and every file in it."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.sha256()
    digest.update(f"{sys.executable}\0{sys.version}\0{package}\0".encode("utf-8", "surrogateescape"))
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            rel = os.path.relpath(os.path.join(folder, name), package)
            digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def socket_path(env: Mapping[str, str] | None = None, key: str | None = None) -> Path:
    """Where the daemon for this installation listens (the folder is not checked here)."""
    return runtime_dir(env) / f"{(key or installation())[:24]}{SOCKET_SUFFIX}"


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0
