"""Reading an inventory as it was at a git commit, with git itself: no checkout, no work tree change.

Files are listed with ``git ls-tree`` and read in one ``git cat-file --batch`` process. The walk
follows the same rules as a directory walk of the work tree (:mod:`stackmap.load.sources`): YAML files
only, hidden files and folders skipped, exclude patterns applied; a path that names a file at the
commit is read strictly. Display paths are relative to the work tree root, as for the work tree.
"""

from __future__ import annotations

import fnmatch
import subprocess
from pathlib import Path

from ..errors import StackmapError, ToolMissingError, UsageError
from ..hints import safe_text
from .limits import Limits, env_name
from .sources import YAML_SUFFIXES, Source, check_total

FETCH_HINT = ("the clone may be shallow or the ref not fetched: fetch the history "
              "(`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout on GitHub; "
              "`GIT_DEPTH: 0` on GitLab)")


class GitRefError(StackmapError):
    """A ref that git cannot resolve, or history that is not there."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise ToolMissingError("git is not installed or not on PATH (needed to read a git ref)") from None


def work_tree_root(start: Path) -> Path:
    """The root of the git work tree containing ``start``."""
    folder = start if start.is_dir() else start.parent
    done = _git(folder.absolute(), "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise UsageError(f"{start}: not inside a git work tree (needed to compare with a git ref)")
    return Path(done.stdout.decode().strip())


def _shallow(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names; a :class:`GitRefError` with a fetch hint when git cannot tell."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"{ref!r} is not a git ref")
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if done.returncode != 0:
        shallow = " (this clone is shallow)" if _shallow(root) else ""
        raise GitRefError(f"cannot resolve git ref {ref!r}{shallow}: {FETCH_HINT}")
    return done.stdout.decode().strip()


def merge_base(root: Path, ref: str, head: str = "HEAD") -> str:
    """The merge base of ``ref`` and ``head``: the commit a pull request's changes start from."""
    base = resolve(root, ref)
    tip = resolve(root, head)
    done = _git(root, "merge-base", base, tip)
    if done.returncode != 0:
        shallow = " (this clone is shallow)" if _shallow(root) else ""
        raise GitRefError(f"no common history between {ref!r} and {head!r}{shallow}: {FETCH_HINT}")
    return done.stdout.decode().strip()


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    parts = rel.split("/")
    return any(
        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p)
        or any(fnmatch.fnmatch("/".join(parts[: i + 1]), p) or fnmatch.fnmatch(parts[i], p)
               for i in range(len(parts) - 1))
        for p in patterns
    )


def sources_at(root: Path, commit: str, paths: list[Path], exclude: tuple[str, ...] = (),
               limits: Limits | None = None) -> list[Source]:
    """The inventory files under ``paths`` (work-tree paths) as they are at ``commit``.

    A path missing at the commit contributes nothing (a pull request may add the inventory). The
    limits of the work tree apply (``limits``, else those of the environment): a blob over the size
    limit is not read (its source carries the problem), more files than the limit is a usage error.
    Submodules (``commit`` entries) are not entered, as a walk of the work tree does not enter them.
    """
    limits = Limits.from_env() if limits is None else limits
    real_root = root.resolve()
    wanted: list[str] = []
    for path in paths:
        try:
            rel = path.absolute().resolve().relative_to(real_root).as_posix()
        except ValueError:
            raise UsageError(f"{path}: outside the git work tree {root}") from None
        wanted.append("" if rel == "." else rel)
    done = _git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    if done.returncode != 0:
        raise GitRefError(f"cannot list files at {commit[:12]}: {done.stderr.decode().strip()}")
    blobs: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, sha, size = meta.decode().split()
        if kind == "blob" and mode in ("100644", "100755"):
            name = raw_name.decode("utf-8", "surrogateescape")
            blobs[name] = sha
            sizes[name] = int(size)
    chosen: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for rel in wanted:
        if rel in blobs:
            picked = [(rel, True)]
        else:
            prefix = f"{rel}/" if rel else ""
            picked = []
            for name in blobs:
                if not name.startswith(prefix):
                    continue
                inner = name[len(prefix):]
                if (name.endswith(YAML_SUFFIXES) and not any(p.startswith(".") for p in inner.split("/"))
                        and not _excluded(inner, exclude)):
                    picked.append((name, False))
            picked.sort(key=lambda item: item[0][len(prefix):])
        for name, explicit in picked:
            if name not in seen:
                seen.add(name)
                chosen.append((name, explicit))
    if len(chosen) > limits.max_files:
        raise UsageError(f"more than {limits.max_files:,} inventory files at {commit[:12]} (the limit; "
                         f"set {env_name('max_files')} to raise it)")
    small = [name for name, _ in chosen if sizes[name] <= limits.max_file_bytes]
    check_total(sum(sizes[name] for name in small), limits)
    contents = dict(zip(small, _read_blobs(root, [blobs[name] for name in small])))
    out: list[Source] = []
    for name, explicit in chosen:
        if name in contents:
            out.append(Source(safe_text(name), contents[name], explicit))
        else:
            out.append(Source(safe_text(name), b"", explicit, error=(
                f"file too large: {sizes[name]:,} bytes, over the limit of {limits.max_file_bytes:,} "
                f"(split it, or set {env_name('max_file_bytes')} to raise the limit)")))
    return out


def _read_blobs(root: Path, shas: list[str]) -> list[bytes]:
    if not shas:
        return []
    done = _git(root, "cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode())
    if done.returncode != 0:
        raise GitRefError(f"cannot read files from git: {done.stderr.decode().strip()}")
    out: list[bytes] = []
    data = done.stdout
    pos = 0
    for _ in shas:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3:
            raise GitRefError(f"cannot read a file from git: {data[pos:end].decode(errors='replace')}")
        size = int(header[2])
        out.append(data[end + 1: end + 1 + size])
        pos = end + 1 + size + 1
    return out
