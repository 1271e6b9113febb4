"""Finding and reading the input files of an import, with a size bound and display paths."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..load.sources import display_path

if TYPE_CHECKING:
    from .draft import Draft

MAX_BYTES = 64 * 1024 * 1024
"""The largest input file read (a catalog or model larger than this is refused, not half-read)."""


def excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    """Whether ``path`` (as given, or as displayed), its name or any folder on it matches a pattern."""
    if not patterns:
        return False
    shown = PurePosixPath(display(path))
    given = PurePosixPath(path.as_posix())
    candidates = {str(shown), str(given), *shown.parts, *given.parts}
    for i in range(1, len(given.parts)):
        candidates.add(str(PurePosixPath(*given.parts[:i])))
    for i in range(1, len(shown.parts)):
        candidates.add(str(PurePosixPath(*shown.parts[:i])))
    return any(fnmatch.fnmatchcase(c, p.rstrip("/")) for c in candidates for p in patterns)


def expand(paths: list[Path], suffixes: tuple[str, ...], recursive: bool, exclude: tuple[str, ...] = (),
           draft: Draft | None = None) -> list[Path]:
    """Files named, and the files with ``suffixes`` in folders named (skipping hidden ones and those
    ``exclude`` matches, counted in a note on ``draft``), each once, sorted by display path so that
    the order on the command line does not matter."""
    if not paths:
        raise UsageError("no input given")
    found: dict[Path, None] = {}
    skipped = 0
    for path in paths:
        if path.is_file():
            if excluded(path, exclude):
                skipped += 1
                continue
            found[path] = None
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
                for name in files:
                    if name.lower().endswith(suffixes) and not name.startswith("."):
                        if excluded(Path(folder) / name, exclude):
                            skipped += 1
                            continue
                        found[Path(folder) / name] = None
        elif path.exists():
            raise UsageError(f"{path}: not a regular file or directory")
        else:
            raise UsageError(f"{path}: no such file or directory")
    unique: dict[Path, Path] = {}
    for file in found:
        unique.setdefault(file.resolve(), file)
    files = sorted(unique.values(), key=display)
    if skipped and draft is not None:
        draft.note("--exclude", f"{skipped} file{'s' if skipped != 1 else ''} left out ({', '.join(exclude)})")
    if not files:
        raise UsageError(f"no {'/'.join(suffixes)} files in {', '.join(str(p) for p in paths)}")
    return files


def display(path: Path) -> str:
    """How a file is named in comments and messages (relative to the git work tree or cwd)."""
    return display_path(path)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a :class:`UsageError` for an unreadable or oversized file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UsageError(f"{path}: {size:,} bytes is more than the {MAX_BYTES:,} an import reads")
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
