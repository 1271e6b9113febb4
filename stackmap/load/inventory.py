"""The whole inventory: every file's entries joined, cross-file rules checked, aliases resolved.

Checked here (each a problem at its own ``file:line:col``, all reported together): system ids unique
across files; capability and data-category definitions unique, aliases clashing with nothing; every
data category used is built in or defined; every flow endpoint names a system; no flow from a system
to itself; no two flows with the same identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import InventoryError, Problem, UsageError
from ..hints import Suggester
from .limits import DEFAULT_LIMITS, Limits
from .loader import FileCache, FileDoc, Loaded, load
from .merge import Joined, assemble, merge
from .model import BUILTIN_APPEND_ONLY, BUILTIN_DATA_CATEGORIES, CapabilityDef, DataCategoryDef, Flow, System
from .sources import Source, read_sources
from .yamlio import show



@dataclass(frozen=True, order=True)
class Location:
    """A place in an inventory file (1-based line and column)."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Ignore:
    """An inline waiver: ``x-stackmap-ignore: {rule-id: reason}`` on a system or a flow."""

    rule: str
    reason: str
    location: Location


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
) -> Inventory:
    """Read, parse, validate and join the inventory at ``paths``; raises :class:`InventoryError`.

    With a ``cache`` (:class:`stackmap.cache.Cache`), files read before are not parsed again;
    everything that spans files is always checked again.
    """
    notes: list[str] = []
    sources = read_sources(paths, exclude, limits, notes)
    if not sources:
        raise no_yaml_files(paths, exclude)
    inventory = build_inventory(sources, cache, limits, notes)
    if not inventory.files:  # a wrong folder must not pass CI as an empty, clean stack
        raise no_inventory_files(paths, inventory.skipped)
    return inventory


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
) -> Inventory:
    """Join already-read sources into an :class:`Inventory`; raises :class:`InventoryError`."""
    loaded = load(sources, limits, cache)
    loaded.notes = list(notes or ())
    return join(loaded)


def join(loaded: Loaded) -> Inventory:
    """Join per-file results, run the cross-file checks, raise if anything is wrong anywhere.

    A valid inventory is merged from each file's share, kept between loads (:mod:`.merge`); the
    entry-by-entry join runs when anything may be wrong, and reports every problem."""
    merged = merge(loaded)
    return assemble(loaded, merged) if merged is not None else join_entries(loaded)


def join_entries(loaded: Loaded) -> Inventory:
    """The join entry by entry, with every cross-file check; raises :class:`InventoryError`."""
    problems = list(loaded.problems)
    docs = loaded.docs

    systems: dict[str, System] = {}
    system_locations: dict[str, Location] = {}
    capabilities: dict[str, CapabilityDef] = {}
    capability_where: dict[str, Location] = {}
    aliases: dict[str, str] = {}
    alias_where: dict[str, Location] = {}
    defined: dict[str, DataCategoryDef] = {}
    defined_where: dict[str, Location] = {}

    for doc in docs:
        for i, cap in doc.entries("capabilities"):
            if cap.id in capabilities:
                here = _loc(doc, ("capabilities", i, "id"))
                problems.append(_dup(here, "capability", cap.id, capability_where[cap.id]))
                continue
            capabilities[cap.id] = cap
            capability_where[cap.id] = _mark(doc, "capabilities", i)
        for i, cat in doc.entries("data_categories"):
            if cat.id in defined:
                here = _loc(doc, ("data_categories", i, "id"))
                problems.append(_dup(here, "data category", cat.id, defined_where[cat.id]))
                continue
            defined[cat.id] = cat
            defined_where[cat.id] = _mark(doc, "data_categories", i)
        for i, system in doc.entries("systems"):
            if system.id in systems:
                here = _loc(doc, ("systems", i, "id"))
                problems.append(_dup(here, "system id", system.id, system_locations[system.id]))
                continue
            if system.id in loaded.claimed.get("systems", ()):
                problems.append(doc.problem(("systems", i, "id"), f"duplicate system id {show(system.id)}: "
                                            "another entry, one with problems of its own, has it too"))
            systems[system.id] = system
            system_locations[system.id] = _mark(doc, "systems", i)

    for doc in docs:
        for i, cap in doc.entries("capabilities"):
            if capabilities.get(cap.id) is not cap:
                continue
            for j, alias in enumerate(cap.aliases):
                if alias == cap.id:
                    continue
                if alias in loaded.claimed.get("capabilities", ()):
                    clash = "is itself a capability (defined by an entry with problems of its own)"
                elif alias in capabilities:
                    clash = f"is itself a capability, defined at {capability_where[alias]}"
                elif alias in aliases and aliases[alias] != cap.id:
                    clash = f"is already an alias of {aliases[alias]!r} at {alias_where[alias]}"
                else:
                    aliases[alias] = cap.id
                    alias_where[alias] = capability_where[cap.id]
                    continue
                problems.append(doc.problem(("capabilities", i, "aliases", j),
                                            f"alias {alias!r} of capability {cap.id!r} {clash}"))

    categories = dict(BUILTIN_DATA_CATEGORIES)
    categories.update({cid: cat.customer for cid, cat in defined.items()})
    known_categories = sorted(categories)
    claimed_systems = loaded.claimed.get("systems", set())
    claimed_categories = loaded.claimed.get("data_categories", set())
    system_ids = sorted(systems)
    near_system = Suggester([*system_ids, *claimed_systems])  # an index: many dangling ids stay cheap
    near_category = Suggester(known_categories)

    for doc in docs:
        for i, system in doc.entries("systems"):
            for j, cat in enumerate(system.data):
                if cat not in categories and cat not in claimed_categories:
                    problems.append(_unknown_category(doc, ("systems", i, "data", j), cat, near_category))

    unread = sorted(loaded.unread)
    maybe_there = (f" (it may be defined in {', '.join(unread[:3])}{', …' if len(unread) > 3 else ''}, "
                   f"which could not be read)") if unread else ""
    for doc in docs:  # flows that failed validation still name systems: check those too
        for i, end, value in doc.refs:
            if value not in systems and value not in claimed_systems:
                problems.append(doc.problem(
                    ("flows", i, end),
                    f"flows[{i}].{end}: no system has the id {show(value)}"
                    f"{near_system(value)}{maybe_there}",
                ))
    flows: dict[str, Flow] = {}
    flow_locations: dict[str, Location] = {}
    for doc in docs:
        for i, flow in doc.entries("flows"):
            ok = True
            for end, value in (("from", flow.from_), ("to", flow.to)):
                if value in claimed_systems:
                    ok = False
                elif value not in systems:
                    ok = False
                    problems.append(doc.problem(
                        ("flows", i, end),
                        f"flows[{i}].{end}: no system has the id {show(value)}"
                        f"{near_system(value)}{maybe_there}",
                    ))
            if ok and flow.from_ == flow.to:
                ok = False
                problems.append(doc.problem(("flows", i, "to"),
                                            f"flows[{i}]: a flow from {flow.from_!r} to itself"))
            for j, cat in enumerate(flow.data):
                if cat in claimed_categories:
                    ok = False
                elif cat not in categories:
                    ok = False
                    problems.append(_unknown_category(doc, ("flows", i, "data", j), cat, near_category))
            here = _mark(doc, "flows", i)
            key = flow.key
            if key in flows:
                what = f"flow id {key!r}" if flow.id else f"flow {describe_flow(flow)}"
                problems.append(Problem(here.file, here.line, here.column,
                                        f"duplicate {what}: the same flow is at {flow_locations[key]}"
                                        + ("" if flow.id else " (give one of them an `id` if both are meant)")))
                continue
            if ok:
                flows[key] = flow
                flow_locations[key] = here

    ignores: dict[tuple[str, str], tuple[Ignore, ...]] = {}
    for doc in docs:
        if not doc.ignores:
            continue
        for section, kind in (("systems", "system"), ("flows", "flow")):
            for i, entry in doc.entries(section):
                ident = entry.key if kind == "flow" else entry.id
                if kind == "flow" and flow_locations.get(ident) != _mark(doc, section, i):
                    continue
                found = _ignores(doc, section, i)
                if found:
                    ignores[(kind, ident)] = found

    if problems:
        raise InventoryError(problems, files=loaded.files)

    return assemble(loaded, Joined(systems, flows, capabilities, aliases, defined, system_locations,
                                   flow_locations, ignores))


def _ignores(doc: FileDoc, section: str, index: int) -> tuple[Ignore, ...]:
    """The entry's inline waivers, read and checked per file by the loader."""
    found = doc.ignores.get(section, {}).get(index, ())
    return tuple(Ignore(rule, reason, Location(doc.source.display, line, col))
                 for rule, reason, line, col in found)


def describe_flow(flow: Flow) -> str:
    """A short human name for a flow: ``a → b (api: contact, lead)`` or its id."""
    detail = ", ".join(sorted(set(flow.data)))
    if flow.mechanism:
        detail = f"{flow.mechanism}: {detail}" if detail else flow.mechanism
    text = f"{flow.from_} → {flow.to}"
    if detail:
        text += f" ({detail})"
    return f"{flow.id!r}: {text}" if flow.id else text


def _mark(doc: FileDoc, section: str, index: int) -> Location:
    line, col = doc.mark_of(section, index)
    return Location(doc.source.display, line, col)


def _loc(doc: FileDoc, path: tuple[object, ...]) -> Location:
    line, col = doc.where(path)
    return Location(doc.source.display, line, col)


def _dup(here: Location, what: str, ident: str, first: Location) -> Problem:
    return Problem(here.file, here.line, here.column,
                   f"duplicate {what} {ident!r}: first defined at {first}")


def _unknown_category(doc: FileDoc, path: tuple[object, ...], cat: str, near: Suggester) -> Problem:
    return doc.problem(
        path,
        f"{path[0]}[{path[1]}].data: unknown data category {show(cat)}{near(cat)}; "
        "define it under data_categories or use a built-in one",
    )
