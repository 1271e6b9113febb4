"""What the language server knows: the workspace, its configuration, and per-file indexes.

Every handler reads from here; only :meth:`State.edit`, :meth:`State.close` and :meth:`State.saved`
change it. Files are named by their display path inside and by URI at the protocol's edge.
"""

from __future__ import annotations

import datetime
import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygls import uris

from ..errors import StackmapError
from ..load.model import BUILTIN_DATA_CATEGORIES, CapabilityDef, DataCategoryDef, Flow, System
from ..load.loader import gc_paused
from ..load.sources import display_path
from ..load.workspace import Snapshot, Workspace
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
        from ..analysis.config import Config, load_config

        self.root = root
        self.config_error: str | None = None
        try:
            self.config = load_config(None, root)
        except StackmapError as exc:
            self.config_error = f"stackmap: {exc}"
            self.config = Config()
        paths = self.config.inventory_paths() or [root]
        self.workspace = Workspace([Path(os.path.relpath(p, root)) if Path(p).is_absolute() else Path(p)
                                    for p in paths], self.config.exclude)
        self._indexes: dict[str, tuple[str, FileIndex]] = {}
        self._catalog: tuple[int, Catalog] | None = None
        self._fragments: dict[str, tuple[Any, list[tuple[str, Any, Place]]]] = {}
        self.published: dict[str, list[object]] = {}
        """The keys of the diagnostics each file has in the editor."""
        self.diagnostic_cache: dict[object, Any] = {}
        self.completions: dict[str, tuple[Catalog, list[Any]]] = {}
        """Completion items by context, for the catalog they were built from."""
        self.completion_items: dict[tuple[Any, ...], Any] = {}

    # --- files and URIs -------------------------------------------------------------------------

    def display(self, uri: str) -> str | None:
        path = uris.to_fs_path(uri)
        return display_path(Path(path)) if path else None

    def uri(self, display: str) -> str:
        path = self.workspace.path_of(display) or Path(display)
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
        from ..commands.options import today

        try:
            day = today()
        except StackmapError:
            day = datetime.date.today()
        return self.workspace.snapshot(self.config, day)

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

    def catalog(self) -> Catalog:
        """Every valid entry of every file (see :class:`Catalog`), rebuilt when a file changed."""
        self.snapshot()  # loads every file
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
        gc.freeze()  # the kept inventory is long-lived: keep the cyclic GC from walking it again and again
        return cat


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
