"""Where the daemon listens, and what a process must share with it (light imports: every command
reads this).

The socket lives in a private folder of the current user: ``STACKMAP_RUNTIME_DIR`` when set, else
``$XDG_RUNTIME_DIR/stackmap``, else ``$TMPDIR/stackmap-<uid>`` (``/tmp`` without ``TMPDIR``); a relative
value is made absolute. A folder that is a link, belongs to another user or that others may enter is
refused, so no other user can reach the daemon or put a socket of theirs where a client looks for it.

The socket's name is a digest of everything that makes one process's check differ from another's
besides the command line, the folder and the environment it sends (:func:`identity`): the code (the
interpreter, its flags, the import path and the modification time of each folder on it, every file
of stackmap), the settings Python reads only when it starts (``PYTHON*`` variables, the locale, the
file-system encoding), and what the system lets the process do (user, groups, mount namespace,
resource limits). A daemon therefore only ever answers a process that would have run the very same
code with the same rights; any other finds no socket under its name and checks in its own process.
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
_LOCALE = ("LC_ALL", "LC_CTYPE", "LANG")
_STATUS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp")
"""Lines of ``/proc/self/status``: capabilities (root without ``CAP_DAC_OVERRIDE`` reads less) and
sandboxing."""


def runtime_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder the daemon's socket is in (see the module docstring), always absolute."""
    env = os.environ if env is None else env
    override = env.get("STACKMAP_RUNTIME_DIR")
    if override:
        return Path(os.path.abspath(override))
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


def identity() -> str:
    """A digest of what a process shares with the daemon that may answer it (module docstring)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [sys.executable, sys.version, repr(sys.flags), sys.getfilesystemencoding(), package,
             *(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("PYTHON") or k in _LOCALE),
             *(f"{entry}@{_mtime(entry)}" for entry in sys.path[1:]), *_rights()]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape"))
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
    """Where the daemon for this process's identity listens (the folder is not checked here)."""
    return runtime_dir(env) / f"{(key or identity())[:24]}{SOCKET_SUFFIX}"


def _mtime(entry: str) -> str:
    """A folder on the import path changes time when a package is installed in it or removed."""
    try:
        return str(os.stat(entry or ".").st_mtime_ns)
    except OSError:
        return "-"


def _rights() -> list[str]:
    """User, groups, capabilities, sandboxing, mount namespace and resource limits: what decides
    which files a check can read and how much it may use."""
    out = []
    if hasattr(os, "getuid"):
        out += [f"uid={os.getuid()},{os.geteuid()}", f"gid={os.getgid()},{os.getegid()}",
                f"groups={sorted(os.getgroups())}"]
    try:
        out.append(f"mnt={os.stat('/proc/self/ns/mnt').st_ino}")
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            out += [line.strip() for line in status if line.startswith(_STATUS)]
        with open("/proc/self/attr/current", "rb") as label:  # an LSM label (AppArmor, SELinux)
            out.append(label.read().decode("ascii", "replace"))
    except OSError:
        pass
    try:
        import resource

        out += [f"{name}={resource.getrlimit(getattr(resource, name))}"
                for name in ("RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_NOFILE", "RLIMIT_STACK", "RLIMIT_FSIZE",
                             "RLIMIT_CPU") if hasattr(resource, name)]
    except ImportError:
        pass
    return out


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0
