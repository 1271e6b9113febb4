"""Which files make up an inventory, and how their paths are displayed.

A directory is walked recursively for ``*.yaml``/``*.yml`` files in sorted order, skipping hidden
files and folders (names starting with ``.``) and the exclude patterns. A file named explicitly is
always read. Paths are displayed relative to the git work tree when the inventory is inside one,
else relative to the current directory.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """One file of an inventory."""

    display: str
    """The path as shown in every output (POSIX separators)."""
    data: bytes
    explicit: bool
    """Named on the command line (always read strictly) rather than found by a directory walk."""


def git_root(start: Path) -> Path | None:
    """The work tree root containing ``start`` (looks for ``.git`` upward; runs no git)."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to its git work tree, else to ``cwd``; absolute if neither contains it."""
    absolute = Path(os.path.abspath(path))  # normalised: `inv/team/../a.yaml` is `inv/a.yaml`
    root = git_root(absolute)
    bases = [b for b in (root, cwd or Path.cwd()) if b is not None]
    for base in bases:
        try:
            return absolute.relative_to(base.absolute()).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def discover(paths: list[Path], exclude: tuple[str, ...] = ()) -> list[tuple[Path, bool]]:
    """The files to read, as (path, explicit), in a deterministic order without repeats."""
    if not paths:
        raise UsageError("no inventory path given")
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            walked: list[Path] = []
            for folder, dirs, files in os.walk(path):
                rel_folder = Path(folder).relative_to(path).as_posix()
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and not _excluded(_join(rel_folder, d), exclude)
                )
                for name in files:
                    rel = _join(rel_folder, name)
                    if (
                        name.endswith(YAML_SUFFIXES)
                        and not name.startswith(".")
                        and not _excluded(rel, exclude)
                    ):
                        walked.append(Path(folder) / name)
            for file in sorted(walked, key=lambda p: p.relative_to(path).as_posix()):
                if file.is_file() and file.resolve() not in seen:
                    seen.add(file.resolve())
                    found.append((file, False))
        elif path.is_file():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, True))
            else:  # also found by walking a directory named before it: still named explicitly
                found = [(p, explicit or p.resolve() == path.resolve()) for p, explicit in found]
        elif path.exists():
            raise UsageError(f"{path}: not a regular file or directory")
        else:
            raise UsageError(f"{path}: no such file or directory")
    return found


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def read_sources(paths: list[Path], exclude: tuple[str, ...] = ()) -> list[Source]:
    """Discover and read every file of the inventory."""
    cwd = Path.cwd()
    sources: list[Source] = []
    for path, explicit in discover(paths, exclude):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
        sources.append(Source(display_path(path, cwd), data, explicit))
    return sources
