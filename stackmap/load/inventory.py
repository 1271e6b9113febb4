"""The whole inventory: every file's entries joined, cross-file rules checked, aliases resolved.

:func:`load_inventory` reads the files (:mod:`.sources`), reads each on its own (:mod:`.loader`) and
joins them (:func:`join`): a merge of each file's share when every file is clean (:mod:`.merge`),
else the entry-by-entry join that reports every cross-file problem at its place
(:mod:`.crosscheck`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import UsageError
from .crosscheck import join_entries
from .limits import DEFAULT_LIMITS, Limits
from .loader import FileCache, FileDoc, Loaded, load
from .location import Ignore, Location
from .merge import assemble, merge
from .model import BUILTIN_APPEND_ONLY, CapabilityDef, Flow, System
from .sources import Source

__all__ = [
    "Ignore", "Inventory", "Location", "build_inventory", "join", "load_inventory", "no_inventory_files",
    "no_yaml_files",
]


@dataclass
class Inventory:
    """A valid inventory. Systems are keyed and ordered by id, flows ordered by identity."""

    systems: dict[str, System]
    flows: list[Flow]
    capabilities: dict[str, CapabilityDef]
    aliases: dict[str, str]
    """Capability alias → defined capability id."""
    data_categories: dict[str, bool]
    """Every known data category (built-in and defined) → whether it is customer data."""
    system_locations: dict[str, Location]
    flow_locations: dict[str, Location]
    """Flow identity (:attr:`Flow.key`) → where the flow is written."""
    files: list[str]
    """Display paths of the inventory files read (skipped files excluded)."""
    skipped: list[str] = field(default_factory=list)
    """Display paths of walked YAML files that are not inventories."""
    ignores: dict[tuple[str, str], tuple[Ignore, ...]] = field(default_factory=dict)
    """Inline waivers by ``("system", id)`` or ``("flow", flow identity)``."""
    notes: list[str] = field(default_factory=list)
    """What the directory walk skipped and why (symbolic links, pipes), one sentence each."""
    append_only: frozenset[str] = frozenset(BUILTIN_APPEND_ONLY)
    """The categories whose records are only ever appended (built-in and defined)."""

    docs: tuple[FileDoc, ...] = field(default=(), repr=False, compare=False)
    """The files' per-file results the inventory was joined from (the editing loop keys what it
    keeps on them); empty for an inventory built in memory."""

    @cached_property
    def first_location(self) -> Location:
        """Line 1 of the first file (in sorted path order) that defines a system, else of the first
        file: where stack-wide findings point."""
        defining = {loc.file for loc in self.system_locations.values()}
        candidates = sorted(defining or self.files)  # sorted: the order of the arguments must not matter
        return Location(candidates[0] if candidates else "<inventory>", 1, 1)

    def capabilities_of(self, system: System) -> tuple[str, ...]:
        """The system's capabilities with aliases resolved, each once, in the order written."""
        resolved = self._capabilities_by_system.get(system.id)
        if resolved is None:
            resolved = _resolve(system.capabilities, self.aliases)
        return resolved

    @cached_property
    def _capabilities_by_system(self) -> dict[str, tuple[str, ...]]:
        return {sid: _resolve(s.capabilities, self.aliases) for sid, s in self.systems.items()}

    def customer_data(self, categories: list[str]) -> list[str]:
        """The customer-data categories among ``categories``, each once, sorted."""
        known = self.data_categories
        return sorted({c for c in categories if known.get(c, False)})


def _resolve(capabilities: list[str], aliases: dict[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for cap in capabilities:
        out[aliases.get(cap, cap)] = None
    return tuple(out)


def load_inventory(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    cache: FileCache | None = None,
    limits: Limits = DEFAULT_LIMITS,
    workers: int = 1,
) -> Inventory:
    """Read, parse, validate and join the inventory at ``paths``; raises :class:`InventoryError`.

    A one-shot load through :class:`stackmap.load.workspace.Workspace`, the one way every command
    loads an inventory. With a ``cache`` (:class:`stackmap.load.cache.Cache`), files read before are
    not parsed again; everything that spans files is always checked again.
    """
    from .workspace import Workspace

    return Workspace(paths, exclude, limits, cache, workers).inventory()


def no_yaml_files(paths: list[Path], exclude: Sequence[str]) -> UsageError:
    """The usage error for paths that hold no YAML file (after the exclude patterns)."""
    hint = f" (after the exclude patterns {', '.join(exclude)})" if exclude else ""
    return UsageError(f"no YAML files found in {', '.join(str(p) for p in paths)}{hint}")


def no_inventory_files(paths: list[Path], skipped: list[str]) -> UsageError:
    """The usage error for paths whose YAML files are all skipped as not inventories."""
    return UsageError(f"no inventory files in {', '.join(str(p) for p in paths)}: {len(skipped)} YAML file"
                      f"{'s' if len(skipped) != 1 else ''} skipped as not inventories "
                      f"({', '.join(skipped[:5])}{', …' if len(skipped) > 5 else ''})")


def build_inventory(
    sources: list[Source],
    cache: FileCache | None = None,
    limits: Limits = DEFAULT_LIMITS,
    notes: list[str] | None = None,
    workers: int = 1,
) -> Inventory:
    """Join already-read sources into an :class:`Inventory`; raises :class:`InventoryError`.

    ``workers=2`` lets the load parse on two cores (see :func:`stackmap.load.loader.load`)."""
    loaded = load(sources, limits, cache, workers=workers)
    loaded.notes = list(notes or ())
    return join(loaded)


def join(loaded: Loaded) -> Inventory:
    """Join per-file results, run the cross-file checks, raise if anything is wrong anywhere.

    A valid inventory is merged from each file's share, kept between loads (:mod:`.merge`); the
    entry-by-entry join runs when anything may be wrong, and reports every problem."""
    merged = merge(loaded)
    return assemble(loaded, merged) if merged is not None else join_entries(loaded)
