"""The cache folder on disk: created private, opened without following any link.

Every folder and file is opened relative to the cache folder's descriptor with ``O_NOFOLLOW``; new
files are created with ``O_EXCL`` (never through a link, never over a file) and renamed into place. A
cache folder that is a link or belongs to another user, and a key file that is not a private regular
file, raise :class:`OSError`, which turns the cache off for the run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KEY_NAME = "key"
KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
_MARKERS = {
    ".gitignore": b"# Created by stackmap: a cache, safe to delete.\n*\n",
    "CACHEDIR.TAG": b"Signature: 8a477f597d28d172789f06886806bc55\n"
                    b"# This file marks a cache folder created by stackmap.\n",
}


def _root_fd(root: Path, create: bool) -> int:
    """An fd of the cache folder, refused when it is a link or another user's folder."""
    if create:
        try:
            os.makedirs(root, mode=0o700, exist_ok=True)
        except FileExistsError:
            pass
    fd = os.open(root, _DIR)
    info = os.fstat(fd)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        os.close(fd)
        raise PermissionError(f"{root}: not a folder of the current user")
    return fd


def prepare(root: Path) -> bytes:
    """Make the cache folder (marked for git and backup tools) and return this machine's secret."""
    fd = _root_fd(root, create=True)
    try:
        for name, text in _MARKERS.items():
            try:
                _create(fd, name, text, 0o644)
            except FileExistsError:
                pass
        try:
            _create(fd, KEY_NAME, os.urandom(KEY_BYTES), 0o600)
        except FileExistsError:
            pass
        key_fd = os.open(KEY_NAME, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        try:
            info = os.fstat(key_fd)
            private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
            if not private or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                raise PermissionError(f"{root}/{KEY_NAME}: not a private file of the current user")
            secret = os.read(key_fd, KEY_BYTES + 1)
        finally:
            os.close(key_fd)
    finally:
        os.close(fd)
    if len(secret) != KEY_BYTES:
        raise PermissionError(f"{root}/{KEY_NAME}: not a cache key")
    return secret


def _create(dir_fd: int, name: str, data: bytes, mode: int) -> None:
    """Create ``name`` in ``dir_fd`` (never through a link, never over an existing file)."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode, dir_fd=dir_fd)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def read_entry(root: Path, shard: str, name: str) -> bytes | None:
    """The bytes of ``root/shard/name``, or ``None`` (missing, a link, not a regular file)."""
    try:
        fd = _root_fd(root, create=False)
        try:
            shard_fd = os.open(shard, _DIR, dir_fd=fd)
        finally:
            os.close(fd)
        try:
            entry_fd = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=shard_fd)
        finally:
            os.close(shard_fd)
        with os.fdopen(entry_fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return handle.read()
    except OSError:
        return None


def write_entry(root: Path, shard: str, name: str, data: bytes) -> None:
    """Write ``root/shard/name`` atomically: a new temporary file, then a rename (no link followed)."""
    fd = _root_fd(root, create=False)
    try:
        try:
            os.mkdir(shard, 0o700, dir_fd=fd)
        except FileExistsError:
            pass
        shard_fd = os.open(shard, _DIR, dir_fd=fd)
    finally:
        os.close(fd)
    try:
        tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        _create(shard_fd, tmp, data, 0o600)
        try:
            os.replace(tmp, name, src_dir_fd=shard_fd, dst_dir_fd=shard_fd)
        except OSError:
            os.unlink(tmp, dir_fd=shard_fd)
            raise
    finally:
        os.close(shard_fd)
