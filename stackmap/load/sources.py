"""Which files make up an inventory, and how their paths are displayed.

A directory is walked recursively for ``*.yaml``/``*.yml`` files in sorted order, skipping hidden
files and folders (names starting with ``.``) and the exclude patterns. A file named explicitly is
always read. Paths are displayed relative to the git work tree when the inventory is inside one,
else relative to the current directory.

A walk never leaves the folder it was given: symbolic links to folders are not followed, and a link
to a file outside the folder, a broken or looping link and a file that is not a regular file (a pipe,
a device) are skipped with a note. A file larger than :attr:`Limits.max_file_bytes` is not read
(its source carries the problem); more files than :attr:`Limits.max_files` is a usage error.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..hints import safe_text
from ..output import protect
from ..process import guard
from .limits import DEFAULT_LIMITS, Limits, env_name

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """One file of an inventory."""

    display: str
    """The path as shown in every output (POSIX separators)."""
    data: bytes
    explicit: bool
    """Named on the command line (always read strictly) rather than found by a directory walk."""
    error: str | None = None
    """Why the file was not read (too large): reported as a problem at its line 1."""


def git_root(start: Path) -> Path | None:
    """The work tree root containing ``start`` (looks for ``.git`` upward; runs no git)."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to its git work tree when it is inside one, else relative to ``cwd``
    (with ``..`` where needed: ``../shared/stack.yaml``), with control characters, bidi overrides and
    bytes that are not UTF-8 escaped (:func:`stackmap.hints.safe_text`): every output gets a name that
    is valid UTF-8 and cannot forge a line or drive a terminal."""
    return safe_text(_relative(path, cwd))


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link resolved, is ``root`` or inside it."""
    guard(path)  # resolved in this process: /dev/stdin would be the daemon's own
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _relative(path: Path, cwd: Path | None) -> str:
    absolute = Path(os.path.abspath(path))  # normalised: `inv/team/../a.yaml` is `inv/a.yaml`
    root = git_root(absolute)
    if root is not None:
        try:
            return absolute.relative_to(root.absolute()).as_posix()
        except ValueError:
            pass
    base = (cwd or Path.cwd()).absolute()
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive: no relative path exists
        return absolute.as_posix()


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def discover(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    limits: Limits = DEFAULT_LIMITS,
    notes: list[str] | None = None,
) -> list[tuple[Path, bool]]:
    """The files to read, as (path, explicit), in a deterministic order without repeats.

    What a walk skips for a reason worth telling (links, pipes) is added to ``notes``.
    """
    if not paths:
        raise UsageError("no inventory path given")
    notes = [] if notes is None else notes
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for file in _walk(path, exclude, notes):
                resolved = file.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    found.append((file, False))
                    _check_count(len(found), limits, path)
        elif path.is_file():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, True))
                _check_count(len(found), limits, path)
            else:  # also found by walking a directory named before it: still named explicitly
                found = [(p, explicit or p.resolve() == path.resolve()) for p, explicit in found]
        elif path.is_symlink():
            raise UsageError(f"{safe_text(str(path))}: a broken or looping symbolic link")
        elif path.exists():
            raise UsageError(f"{safe_text(str(path))}: not a regular file or directory")
        else:
            raise UsageError(f"{safe_text(str(path))}: no such file or directory")
    return found


def _walk(root: Path, exclude: tuple[str, ...], notes: list[str]) -> list[Path]:
    """The YAML files under ``root`` (sorted by relative path) that a walk may read."""
    walked: list[Path] = []
    real_root = root.resolve()
    cwd = Path.cwd()
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not _excluded(_join(rel_folder, d), exclude)
        )
        for d in list(dirs):
            if os.path.islink(os.path.join(folder, d)):  # os.walk does not follow these
                notes.append(f"skipped {display_path(Path(folder) / d, cwd)}: "
                             "a symbolic link to a folder (not followed)")
            elif os.path.lexists(os.path.join(folder, d, ".git")):  # not part of this work tree
                dirs.remove(d)
                parent = display_path(Path(folder), cwd)
                shown = safe_text(d) if parent in (".", "") else f"{parent}/{safe_text(d)}"
                notes.append(f"skipped {shown}: a git submodule or another repository (not walked)")
        for name in files:
            rel = _join(rel_folder, name)
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".") and not _excluded(rel, exclude):
                walked.append(Path(folder) / name)
    readable: list[Path] = []
    for file in sorted(walked, key=lambda p: p.relative_to(root).as_posix()):
        reason = _unreadable(file, real_root)
        if reason is None:
            readable.append(file)
        else:
            notes.append(f"skipped {display_path(file, cwd)}: {reason}")
    return readable


def _unreadable(file: Path, real_root: Path) -> str | None:
    """Why a walked file is not read, or ``None``."""
    if file.is_symlink():
        guard(file)  # resolved below in this process: /dev/stdin would be the daemon's own
        try:
            target = file.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a broken or looping symbolic link"
        if not target.is_relative_to(real_root):
            return f"a symbolic link to {safe_text(target.as_posix())}, outside {safe_text(real_root.as_posix())}"
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def check_total(total: int, limits: Limits) -> None:
    """A usage error once the files of one inventory hold more than :attr:`Limits.max_total_bytes`."""
    if total > limits.max_total_bytes:
        raise UsageError(f"the inventory files hold more than {limits.max_total_bytes:,} bytes together (the "
                         f"limit; set {env_name('max_total_bytes')} to raise it)")


def _check_count(count: int, limits: Limits, path: Path) -> None:
    if count > limits.max_files:
        raise UsageError(
            f"{path}: more than {limits.max_files:,} inventory files (the limit; "
            f"set {env_name('max_files')} to raise it)"
        )


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def read_sources(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    limits: Limits = DEFAULT_LIMITS,
    notes: list[str] | None = None,
    paths_out: dict[str, Path] | None = None,
) -> list[Source]:
    """Discover and read every file of the inventory (a file over the size limit is not read);
    ``paths_out``, when given, receives the path of each source by its display path.

    A walked file that cannot be read, or that is no longer a regular file when it is opened (swapped
    for a pipe after the walk), is skipped with a note; a named one is a usage error. Every file read
    is registered with :func:`stackmap.output.protect`, so no output of this process replaces it.
    """
    cwd = Path.cwd()
    notes = [] if notes is None else notes
    sources: list[Source] = []
    total = 0
    for path, explicit in discover(paths, exclude, limits, notes):
        display = display_path(path, cwd)
        if paths_out is not None:
            paths_out[display] = path
        try:
            data, size = read_regular(path, limits.max_file_bytes)
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            if explicit:
                raise UsageError(f"{display}: {reason}") from None
            notes.append(f"skipped {display}: {reason}")
            continue
        protect(path)
        total += len(data)
        check_total(total, limits)
        if len(data) > limits.max_file_bytes:
            sources.append(Source(display, b"", explicit, error=(
                f"file too large: {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
                f"(split it, or set {env_name('max_file_bytes')} to raise the limit)")))
            continue
        sources.append(Source(display, data, explicit))
    return sources


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """Up to ``limit + 1`` bytes of ``path`` and its size; opened without blocking, so a file swapped
    for a pipe or a device after the walk is an error rather than a hang."""
    guard(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(limit + 1), info.st_size
