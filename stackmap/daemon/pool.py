"""The workspaces a daemon keeps warm between checks, and whether this process is a daemon.

``stackmap check`` asks :func:`active` for the pool: ``None`` in every ordinary process (the check
loads once and keeps nothing), the daemon's pool in the daemon. A kept workspace is found again by
everything its load depends on: the working folder (paths are shown relative to it outside git),
the inventory paths and exclusions, the limits, the cache folder and the number of parsing
processes. Each check reads every file on disk again; the workspace parses only those whose bytes
changed and the analysis reuses what the change did not touch (see
:mod:`stackmap.analysis.incremental`), so the answer is the one a new process would give.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from ..load.limits import Limits
from ..load.loader import FileCache
from ..load.workspace import Workspace

KEPT = 2
"""Workspaces kept at once (each holds its inventory and analysis: ~290 MB at 10,000 systems)."""

_ACTIVE: Pool | None = None


class Pool:
    """The kept workspaces, the most recently used last."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._workspaces: OrderedDict[tuple[object, ...], Workspace] = OrderedDict()
        self.checks = 0
        """Checks answered with a kept workspace (for ``stackmap daemon status`` and the tests)."""

    def workspace(self, paths: list[Path], exclude: tuple[str, ...], limits: Limits,
                  cache: FileCache | None, workers: int) -> Workspace:
        """The kept workspace for this load, its files read from disk again; a new one if none."""
        key = (os.getcwd(), tuple(os.fspath(p) for p in paths), exclude, limits,
               os.fspath(getattr(cache, "root", "")) if cache is not None else None, workers)
        found = self._workspaces.pop(key, None)
        if found is None:
            found = Workspace(paths, exclude, limits, cache, workers)
        else:
            found.scan()
            self.checks += 1
        self._workspaces[key] = found
        while len(self._workspaces) > self.kept:
            self._workspaces.popitem(last=False)
        return found

    def describe(self) -> list[str]:
        """One line per kept workspace: its folder and paths."""
        return [f"{key[0]}: {' '.join(str(p) for p in key[1])}"  # type: ignore[attr-defined]
                for key in self._workspaces]


def active() -> Pool | None:
    """The daemon's pool in the daemon, ``None`` in any other process."""
    return _ACTIVE


def activate(pool: Pool | None) -> None:
    """Make this process a daemon with ``pool`` (``None``: an ordinary process again)."""
    global _ACTIVE
    _ACTIVE = pool

