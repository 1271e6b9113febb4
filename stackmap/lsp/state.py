"""What the language server knows: the workspace, its configuration, and per-file indexes.

Every handler reads from here; only :meth:`State.edit`, :meth:`State.close`, :meth:`State.saved` and
:meth:`State.reload_config` change it. Files are named by their display path inside and by URI at the
protocol's edge.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygls import uris

from ..analysis.config import CONFIG_NAME, WAIVERS_NAME, Config
from ..analysis.config_file import load_config
from ..errors import StackmapError
from ..load.model import BUILTIN_DATA_CATEGORIES, CapabilityDef, DataCategoryDef, Flow, System
from ..load.limits import Limits
from ..load.loader import gc_paused
from ..load.sources import display_path
from ..load.inventory import Inventory
from ..load.workspace import Snapshot, Workspace
from ..serve.config_files import ConfigFiles
from .index import FileIndex, Occurrence, build


@dataclass(frozen=True)
class Place:
    """Where an entry is written: display path and 0-based line and column."""

    file: str
    line: int
    column: int


@dataclass
class Catalog:
    """Every valid entry of every file, whether or not the inventory joins: what completion, hover and
    go-to-definition offer while the user is still typing."""

    systems: dict[str, tuple[System, Place]]
    flows: list[tuple[Flow, Place]]
    capabilities: dict[str, tuple[CapabilityDef, Place]]
    aliases: dict[str, str]
    categories: dict[str, tuple[DataCategoryDef | None, Place | None]]


class State:
    """The workspace as the server sees it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config_files = ConfigFiles(None, root)
        """Where the configuration and the waivers are looked for (as ``stackmap check`` in ``root``)."""
        self.config_paths = {display_path(folder / name): folder / name
                             for folder in self.config_files.folders for name in (CONFIG_NAME, WAIVERS_NAME)}
        """The configuration and waivers files that may be read, by display path (as errors name them)."""
        self.config_error: str | None = None
        """Why the configuration files do not load, while they do not (the last good one is used)."""
        self.config = self._load_config() or Config()
        self.workspace = self._new_workspace()
        self._indexes: dict[str, tuple[str, FileIndex]] = {}
        self._catalog: tuple[int, Catalog] | None = None
        self._fragments: dict[str, tuple[Any, list[tuple[str, Any, Place]]]] = {}
        self.published: dict[str, list[object]] = {}
        """The keys of the diagnostics each file has in the editor."""
        self.diagnostic_cache: dict[object, Any] = {}
        self.finding_keys: dict[int, tuple[Any, list[str], str]] = {}
        """The diagnostic key of each finding published, by the finding object (see ``collect``)."""
        self.lines_cache: dict[str, tuple[Any, list[str]]] = {}
        """Each file's lines, by display path, with the source they were split from."""
        self.completions: dict[str, tuple[Catalog, list[Any]]] = {}
        """Completion items by context, for the catalog they were built from."""
        self.completion_items: dict[tuple[Any, ...], Any] = {}

    # --- the configuration ----------------------------------------------------------------------

    def _load_config(self) -> Config | None:
        """The configuration on disk, or ``None`` with :attr:`config_error` saying why not."""
        try:
            config = load_config(None, self.root)
        except StackmapError as exc:
            self.config_error = str(exc)
            return None
        self.config_error = None
        return config

    def _new_workspace(self) -> Workspace:
        paths = self.config.inventory_paths() or [self.root]
        return Workspace([Path(os.path.relpath(p, self.root)) if Path(p).is_absolute() else Path(p)
                          for p in paths], self.config.exclude, Limits.from_env())

    def reload_config(self, buffers: Mapping[str, str]) -> bool:
        """A configuration file was saved, created or deleted: load the configuration again; whether
        it changed. An invalid one keeps the last good configuration (see :attr:`config_error`). When
        ``paths`` or ``exclude`` changed the workspace is built again, with the editor's open
        ``buffers`` (text by URI) applied to it; otherwise its parsed files are kept."""
        config = self._load_config()
        if config is None or config == self.config:
            return False
        self.config = config
        self.completions.clear()  # the roles offered come from the options
        workspace = self._new_workspace()
        if (workspace.paths, workspace.exclude) == (self.workspace.paths, self.workspace.exclude):
            return True
        self.workspace = workspace
        self._indexes.clear()
        self._catalog = None  # kept by workspace version, which starts again
        self._fragments.clear()
        for uri, text in buffers.items():
            self.edit(uri, text)
        return True

    def config_lines(self, display: str) -> list[str]:
        """The lines of a configuration file on disk (none if it cannot be read)."""
        path = self.config_paths.get(display)
        try:
            return path.read_text(encoding="utf-8", errors="replace").split("\n") if path else []
        except OSError:
            return []

    # --- files and URIs -------------------------------------------------------------------------

    def display(self, uri: str) -> str | None:
        path = uris.to_fs_path(uri)
        return display_path(Path(path)) if path else None

    def uri(self, display: str) -> str:
        path = self.workspace.path_of(display) or self.config_paths.get(display) or Path(display)
        return uris.from_fs_path(os.path.abspath(path)) or display

    def edit(self, uri: str, text: str) -> bool:
        """An editor buffer changed; whether it is a file of the inventory."""
        path = uris.to_fs_path(uri)
        if not path or not self.workspace.contains(Path(path)):
            return False
        self.workspace.set_buffer(Path(path), text.encode("utf-8", "surrogatepass"))
        return True

    def close(self, uri: str) -> None:
        path = uris.to_fs_path(uri)
        if path:
            self.workspace.set_buffer(Path(path), None)
            self.workspace.reread(Path(path))

    def saved(self, uri: str) -> None:
        path = uris.to_fs_path(uri)
        if path:
            self.workspace.reread(Path(path))

    def snapshot(self) -> Snapshot:
        """The inventory and its analysis (see :meth:`Workspace.snapshot`)."""
        return self.workspace.snapshot(self.config, _today())

    def snapshot_steps(self) -> Generator[None, None, Snapshot]:
        """:meth:`snapshot`, a step at a time (see :meth:`Workspace.snapshot_steps`)."""
        return self.workspace.snapshot_steps(self.config, _today())

    # --- indexes --------------------------------------------------------------------------------

    def index(self, display: str) -> FileIndex:
        """The index of a file's current text (rebuilt only when the text changed)."""
        text = self.workspace.text_of(display) or ""
        kept = self._indexes.get(display)
        if kept is not None and kept[0] == text:
            return kept[1]
        found = self.workspace.result_of(display)
        index = build(text) if found is not None and found.kind == "inventory" else FileIndex()
        self._indexes[display] = (text, index)
        return index

    def files(self) -> list[str]:
        return [s.display for s in self.workspace.sources()]

    def occurrences(self, kind: str, name: str) -> list[tuple[str, Occurrence]]:
        """Every place ``name`` is written as a ``kind``, across all files."""
        out: list[tuple[str, Occurrence]] = []
        for display in self.files():
            out += [(display, o) for o in self.index(display).occurrences if o.kind == kind and o.name == name]
        return out

    def loaded(self) -> Inventory | None:
        """The joined inventory, or ``None`` while it does not load; every file's per-file result is
        loaded either way. No analysis: completion and navigation answer without waiting for it."""
        try:
            return self.workspace.inventory()
        except StackmapError:
            return None

    def catalog(self) -> Catalog:
        """Every valid entry of every file (see :class:`Catalog`), rebuilt when a file changed."""
        self.loaded()
        version = self.workspace.version
        if self._catalog is not None and self._catalog[0] == version:
            return self._catalog[1]
        with gc_paused():
            return self._build_catalog(version)

    def _build_catalog(self, version: int) -> Catalog:
        cat = Catalog({}, [], {}, {}, {c: (None, None) for c in BUILTIN_DATA_CATEGORIES})
        fragments: dict[str, tuple[Any, list[tuple[str, Any, Place]]]] = {}
        for display in self.files():
            found = self.workspace.result_of(display)
            if found is None or found.kind != "inventory":
                continue
            kept = self._fragments.get(display)
            if kept is None or kept[0] is not found:  # only the files that changed are walked again
                kept = (found, _fragment(display, found))
            fragments[display] = kept
            for section, entry, place in kept[1]:
                if section == "systems":
                    cat.systems.setdefault(entry.id, (entry, place))
                elif section == "flows":
                    cat.flows.append((entry, place))
                elif section == "capabilities":
                    cat.capabilities.setdefault(entry.id, (entry, place))
                    for alias in entry.aliases:
                        cat.aliases.setdefault(alias, entry.id)
                else:
                    cat.categories[entry.id] = (entry, place)
        self._fragments = fragments
        self._catalog = (version, cat)
        return cat  # gc_paused, around this, moves it out of the cyclic collector's sight


def _fragment(display: str, found: Any) -> list[tuple[str, Any, Place]]:
    """One file's valid entries with their places."""
    out: list[tuple[str, Any, Place]] = []
    for section, i, entry in _entries(found):
        marks = found.marks.get(section, [])
        line, col = marks[i] if i < len(marks) else (0, 0)
        out.append((section, entry, Place(display, line, col)))
    return out


def _entries(found: Any) -> list[tuple[str, int, Any]]:
    out: list[tuple[str, int, Any]] = []
    for section in ("systems", "flows", "capabilities", "data_categories"):
        if found.valid is not None:
            items = found.valid.get(section, [])
        else:
            items = list(enumerate(getattr(found.content, section, None) or ()))
        out += [(section, i, entry) for i, entry in items]
    return out


def _today() -> datetime.date:
    """The clock for waiver expiry: ``STACKMAP_TODAY`` when set and valid, else today."""
    from ..commands.options import today

    try:
        return today()
    except StackmapError:
        return datetime.date.today()
