"""The join entry by entry, with every cross-file check: each problem at its own ``file:line:col``,
all reported together.

Checked here: system ids unique across files; capability and data-category definitions unique,
aliases clashing with nothing; every data category used is built in or defined; every flow endpoint
names a system; no flow from a system to itself; no two flows with the same identity. A load whose
files are all clean takes the quicker merge of :mod:`stackmap.load.merge`, which checks the same;
this join runs when anything may be wrong, to report every problem at its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InventoryError, Problem
from ..hints import Suggester
from .loader import Loaded
from .location import Ignore, Location, ignores_of
from .merge import Joined, assemble
from .model import BUILTIN_DATA_CATEGORIES, CapabilityDef, DataCategoryDef, Flow, System, describe_flow
from .results import FileDoc
from .yaml_scalars import show

if TYPE_CHECKING:
    from .inventory import Inventory


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
        _definitions(doc, "capabilities", "capability", capabilities, capability_where, problems)
        _definitions(doc, "data_categories", "data category", defined, defined_where, problems)
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
                found = ignores_of(doc, section, i)
                if found:
                    ignores[(kind, ident)] = found

    if problems:
        raise InventoryError(problems, files=loaded.files)

    return assemble(loaded, Joined(systems, flows, capabilities, aliases, defined, system_locations,
                                   flow_locations, ignores))


def _mark(doc: FileDoc, section: str, index: int) -> Location:
    line, col = doc.mark_of(section, index)
    return Location(doc.source.display, line, col)



def _definitions(doc: FileDoc, section: str, kind: str, found: dict[str, Any], where: dict[str, Location],
                 problems: list[Problem]) -> None:
    """The definitions of one section of a file into ``found``; a second one of an id is a problem
    at it that names the first."""
    for i, entry in doc.entries(section):
        if entry.id in found:
            problems.append(_dup(_loc(doc, (section, i, "id")), kind, entry.id, where[entry.id]))
            continue
        found[entry.id] = entry
        where[entry.id] = _mark(doc, section, i)

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
