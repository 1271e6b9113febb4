"""The incremental workspace: the one object every command, the language server and the preview
load an inventory through.

It holds every file's bytes and per-file result (parse, marks, per-file validation) in memory, with
editor buffers that override the files on disk. When one file changes only that file is parsed
again; the cross-file join runs again over the kept per-file results (it costs a small part of a
parse: see ``docs/performance.md``), and the analysis runs again only when some file's bytes changed.
Every kept result is keyed by the exact bytes it came from (and whether the file was named
explicitly), so a stale answer is impossible::

    ws = Workspace([Path("inventories")], cache=default_cache(...))
    inventory = ws.inventory()          # raises InventoryError / UsageError like load_inventory
    ws.set_buffer(path, b"systems: ...") # an unsaved editor buffer
    snapshot = ws.snapshot(config, today)  # inventory, result or problems, never raises for a bad file
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InventoryError, Problem, StackmapError
from .inventory import Inventory, build_inventory, no_inventory_files, no_yaml_files
from .limits import DEFAULT_LIMITS, Limits, env_name
from .loader import FileCache, gc_paused
from .memo import Memo
from .results import FileResult
from .sources import YAML_SUFFIXES, Source, _excluded, display_path, read_sources

if TYPE_CHECKING:
    from ..analysis.config import Config
    from ..analysis.engine import Accepted, Result
    from ..analysis.incremental import Analyser


@dataclass
class Snapshot:
    """The workspace at one moment: a valid inventory with its analysis, or the problems."""

    version: int
    inventory: Inventory | None = None
    result: Result | None = None
    problems: list[Problem] = field(default_factory=list)
    """Every load problem (empty when the inventory is valid)."""
    error: str | None = None
    """A problem that is not at a place in a file (no inventory files found, a bad inline ignore)."""


class Workspace:
    """Every file of an inventory, kept in memory; see the module docstring."""

    def __init__(
        self,
        paths: list[Path],
        exclude: tuple[str, ...] = (),
        limits: Limits = DEFAULT_LIMITS,
        cache: FileCache | None = None,
        workers: int = 1,
    ) -> None:
        self.paths = list(paths)
        self.workers = workers
        """``2`` lets a load parse on two cores (a one-shot command only: it forks; see
        :func:`stackmap.load.loader.load`)."""
        self.exclude = exclude
        self.limits = limits
        self._memo = Memo(cache)
        self._disk: dict[str, Source] = {}
        self._files: dict[str, Path] = {}
        """Display path → path of every file found (disk files and buffers)."""
        self._buffers: dict[str, Source] = {}
        self.notes: list[str] = []
        self.version = 0
        self._inventory: tuple[tuple[tuple[bytes, ...], tuple[str, ...]], Inventory | InventoryError] | None = None
        self._analysed: tuple[tuple[object, ...], Snapshot] | None = None
        self._analyser: Analyser | None = None
        self._scanned = False
        self._given = False
        """Whether the files were given (:meth:`of`) rather than found on disk."""

    @classmethod
    def of(cls, sources: list[Source], limits: Limits = DEFAULT_LIMITS, workers: int = 1) -> Workspace:
        """A workspace of files that are not read from disk (a commit's files, an importer's text):
        never scanned; an inventory without inventory files is empty rather than a usage error."""
        workspace = cls([], (), limits, None, workers)
        workspace._disk = {s.display: s for s in sources}
        workspace._files = {s.display: Path(s.display) for s in sources}
        workspace._scanned = workspace._given = True
        return workspace

    # --- the files ------------------------------------------------------------------------------

    def scan(self) -> None:
        """Find and read every file on disk again (buffers still override them)."""
        if self._given:
            return
        notes: list[str] = []
        files: dict[str, Path] = {}
        sources = read_sources(self.paths, self.exclude, self.limits, notes, files)
        self._disk = {s.display: s for s in sources}
        self._files = {d: files.get(d, Path(d)) for d in self._disk}
        self.notes = notes
        self._scanned = True
        self.version += 1

    def reread(self, path: Path) -> None:
        """Read one file on disk again (after it was saved, created or deleted)."""
        if not self._scanned:
            self.scan()
            return
        display = display_path(path)
        if not path.is_file():
            if self._disk.pop(display, None) is not None:
                self.version += 1
            return
        if display not in self._disk and not self.contains(path):
            return
        source = self._source(display, path.read_bytes() if path.stat().st_size <= self.limits.max_file_bytes
                              else None, self._disk[display].explicit if display in self._disk else False,
                              path.stat().st_size)
        self._disk[display] = source
        self._files[display] = path
        self.version += 1

    def contains(self, path: Path) -> bool:
        """Whether ``path`` is a file of this inventory, or would be found by its directory walk."""
        if not path.name.endswith(YAML_SUFFIXES) or path.name.startswith("."):
            return False
        absolute = Path(os.path.abspath(path))
        for root in self.paths:
            root_abs = Path(os.path.abspath(root))
            if absolute == root_abs:
                return True
            if root.is_dir() and absolute.is_relative_to(root_abs):
                rel = absolute.relative_to(root_abs)
                folders = ["/".join(rel.parts[:i]) for i in range(1, len(rel.parts))]
                return not any(part.startswith(".") for part in rel.parts) and not any(
                    _excluded(name, self.exclude) for name in (*folders, rel.as_posix()))
        return False

    def set_buffer(self, path: Path, data: bytes | None) -> None:
        """The unsaved text of an editor buffer for ``path`` (``None``: the file on disk again)."""
        if not self._scanned:
            self.scan()
        display = display_path(path)
        if data is None:
            if self._buffers.pop(display, None) is not None:
                self.version += 1
            return
        explicit = self._disk[display].explicit if display in self._disk else False
        self._buffers[display] = self._source(display, data, explicit, len(data))
        self._files[display] = path
        self.version += 1

    def _source(self, display: str, data: bytes | None, explicit: bool, size: int) -> Source:
        if data is None or len(data) > self.limits.max_file_bytes:
            return Source(display, b"", explicit, error=(
                f"file too large: {size:,} bytes, over the limit of {self.limits.max_file_bytes:,} "
                f"(split it, or set {env_name('max_file_bytes')} to raise the limit)"))
        return Source(display, data, explicit)

    def sources(self) -> list[Source]:
        """Every file in the order a load reads them (buffers in place of their files)."""
        if not self._scanned:
            self.scan()
        merged = dict(self._disk)
        merged.update(self._buffers)
        order = list(self._disk)  # the order of the walk
        for display in sorted(d for d in self._buffers if d not in self._disk):
            key = self._walk_key(display)
            at = next((i for i, d in enumerate(order) if self._walk_key(d) > key), len(order))
            order.insert(at, display)
        return [merged[d] for d in order]

    def _walk_key(self, display: str) -> tuple[int, str]:
        """Where a walk of :attr:`paths` reads a file: the first path that holds it, then its path
        below that one. A new file not saved yet takes the place it will have once saved."""
        path = Path(os.path.abspath(self._files.get(display, Path(display))))
        for i, root in enumerate(self.paths):
            base = Path(os.path.abspath(root))
            if path == base:
                return (i, "")
            if path.is_relative_to(base):
                return (i, path.relative_to(base).as_posix())
        return (len(self.paths), display)

    def path_of(self, display: str) -> Path | None:
        """The path of the file shown as ``display``."""
        return self._files.get(display)

    def source_of(self, display: str) -> Source | None:
        """The current source of a file (its buffer if open): a new object whenever its bytes change."""
        return self._buffers.get(display) or self._disk.get(display)

    def text_of(self, display: str) -> str | None:
        """The current text of a file (its buffer if open), or ``None`` if unknown or unreadable."""
        source = self.source_of(display)
        if source is None or source.error is not None:
            return None
        try:
            return source.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None

    def result_of(self, display: str) -> FileResult | None:
        """The kept per-file result of a file (after a load)."""
        source = self._buffers.get(display) or self._disk.get(display)
        return self._memo.latest(source) if source is not None else None

    @property
    def rules_ran(self) -> list[str]:
        """The rules the last analysis ran (the others reused their facts; see
        :mod:`stackmap.analysis.incremental`)."""
        return list(self._analyser.ran) if self._analyser is not None else []

    @property
    def parsed(self) -> int:
        """Files parsed since the workspace was created (a measure of how incremental it was)."""
        return self._memo.parsed

    # --- loading --------------------------------------------------------------------------------

    def inventory(self) -> Inventory:
        """The joined inventory; raises :class:`InventoryError` or :class:`UsageError` (no files)."""
        sources = self.sources()
        if not sources and not self._given:
            raise no_yaml_files(self.paths, self.exclude)
        key = (tuple(self._memo.key(s) + s.display.encode() + (s.error or "").encode() for s in sources),
               tuple(self.notes))  # what the walk noted (a broken link, say) is part of the inventory
        if self._inventory is None or self._inventory[0] != key:
            try:
                found: Inventory | InventoryError = build_inventory(sources, self._memo, self.limits, self.notes,
                                                                    self.workers)
            except InventoryError as exc:
                found = exc
            self._inventory = (key, found)
            self._memo.forget({s.display for s in sources}, sources)
        found = self._inventory[1]
        if isinstance(found, InventoryError):
            raise found.with_traceback(None)  # kept: without it each raise would add to its traceback
        if not found.files and not self._given:  # a wrong folder must not pass CI as an empty, clean stack
            raise no_inventory_files(self.paths, found.skipped)
        return found

    def snapshot(
        self,
        config: Config | None = None,
        today: datetime.date | None = None,
        accepted: tuple[Accepted, ...] = (),
    ) -> Snapshot:
        """The inventory and its analysis, or every problem; never raises for anything in a file."""
        from ..analysis.incremental import exhaust

        return exhaust(self.snapshot_steps(config, today, accepted))

    def snapshot_steps(
        self,
        config: Config | None = None,
        today: datetime.date | None = None,
        accepted: tuple[Accepted, ...] = (),
    ) -> Generator[None, None, Snapshot]:
        """:meth:`snapshot` a step at a time: it yields after the join and between the rules (see
        :meth:`Analyser.steps`); the caller may drop it at any step (after an edit, say)."""
        with gc_paused():  # a large acyclic object graph: the cyclic GC would only cost time
            return (yield from self._snapshot(config, today, accepted))

    def _snapshot(self, config: Config | None, today: datetime.date | None,
                  accepted: tuple[Accepted, ...]) -> Generator[None, None, Snapshot]:
        try:
            inventory = self.inventory()
        except InventoryError as exc:
            return Snapshot(self.version, problems=list(exc.problems))
        except StackmapError as exc:
            return Snapshot(self.version, error=str(exc))
        key = (inventory, config, today, accepted)  # the objects, kept alive: an id is never reused
        kept = self._analysed
        if kept is not None and kept[0][0] is inventory and kept[0][1] is config and kept[0][2:] == key[2:]:
            return kept[1]
        yield
        try:
            result = yield from self._kept_analyser().steps(inventory, config, accepted, today)
        except InventoryError as exc:  # a bad inline ignore
            return Snapshot(self.version, inventory, problems=list(exc.problems))
        snap = Snapshot(self.version, inventory, result)
        self._analysed = (key, snap)
        return snap

    def analyse(self, inventory: Inventory, config: Config, accepted: tuple[Accepted, ...],
                today: datetime.date) -> Result:
        """The analysis of :meth:`inventory`, the same as :func:`~stackmap.analysis.engine.analyse`
        gives, reusing what this workspace's last analysis can; raises like it."""
        with gc_paused():
            return self._kept_analyser().analyse(inventory, config, accepted, today)

    def _kept_analyser(self) -> Analyser:
        from ..analysis.incremental import Analyser

        if self._analyser is None:
            self._analyser = Analyser()
        return self._analyser
