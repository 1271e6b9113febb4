"""Views: which systems and flows a diagram shows.

``overview`` (every non-retired system and flow), ``customer-data`` (systems that store customer
data, the flows that carry it and the systems those flows pass through), ``system:ID`` (one system
and its neighbourhood up to a depth, both directions), ``capability:ID`` (the systems providing a
capability and their direct flows) and ``owner:NAME`` (one department's systems and their flows in
and out). Retired systems are left out unless asked for; a system named in ``system:ID`` is always
shown.
"""

from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass

from ..errors import UsageError
from ..analysis.graph import Stack
from ..hints import plural, suggest
from ..load.model import Flow

VIEW_CHOICES: tuple[str, ...] = ("overview", "customer-data", "system:ID", "capability:ID", "owner:NAME")
"""The view forms, as listed in error messages and help."""

_LISTED = 12
"""How many valid ids an error message lists before it says how many more there are."""


@dataclass(frozen=True)
class View:
    """The selection a diagram is drawn from. Systems sorted by id, flows by identity."""

    name: str
    """The view as asked for, e.g. ``system:salesforce``."""
    title: str
    systems: tuple[str, ...]
    flows: tuple[Flow, ...]
    focus: frozenset[str]
    """The systems the view is about; the others are shown as context (flow partners)."""
    side_by_side: tuple[str, ...] = ()
    """Systems to draw in one group on one rank (the providers of a capability)."""
    side_by_side_label: str = ""
    customer_only: bool = False
    """Edge labels show only customer-data categories."""


def select(stack: Stack, spec: str, depth: int | None = None, include_retired: bool = False) -> View:
    """The view named by ``spec``; raises :class:`UsageError` for a bad view or an unknown id."""
    kind, sep, arg = spec.partition(":")
    if depth is not None and kind != "system":
        raise UsageError(f"--depth applies only to system:ID views, not {spec!r}")
    if depth is not None and depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    visible = set(stack.systems) if include_retired else set(stack.live)
    if not sep and kind == "overview":
        return _overview(stack, visible)
    if not sep and kind == "customer-data":
        return _customer_data(stack, visible)
    if sep and kind == "system" and arg:
        return _system(stack, visible, arg, 1 if depth is None else depth)
    if sep and kind == "capability" and arg:
        return _capability(stack, visible, arg)
    if sep and kind == "owner" and arg:
        return _owner(stack, visible, arg)
    forms = ", ".join(VIEW_CHOICES)
    return _bad_view(spec, forms)


def _bad_view(spec: str, forms: str) -> View:
    bare, sep, arg = spec.partition(":")
    hint = suggest(spec, ["overview", "customer-data"])
    if not hint and sep:
        close = difflib.get_close_matches(bare, ["system", "capability", "owner"], n=1, cutoff=0.6)
        hint = f" (did you mean {close[0] + ':' + arg!r}?)" if close and arg else ""
    if not hint and bare in ("system", "capability", "owner"):
        hint = f" ({bare} views name one: {bare}:{'NAME' if bare == 'owner' else 'ID'})"
    raise UsageError(f"unknown view {spec!r}{hint}; valid views: {forms}")


def _flows_among(stack: Stack, members: set[str]) -> tuple[Flow, ...]:
    return tuple(f for f in stack.inventory.flows if f.from_ in members and f.to in members)


def _touching(stack: Stack, visible: set[str], core: set[str]) -> tuple[set[str], tuple[Flow, ...]]:
    """Flows with one end in ``core`` and the other visible, and the systems they reach."""
    flows = tuple(f for f in stack.inventory.flows
                  if (f.from_ in core and f.to in visible) or (f.to in core and f.from_ in visible))
    systems = set(core)
    for f in flows:
        systems.add(f.from_)
        systems.add(f.to)
    return systems, flows


def _overview(stack: Stack, visible: set[str]) -> View:
    return View("overview", "Overview", tuple(sorted(visible)), _flows_among(stack, visible),
                frozenset(visible))


def _customer_data(stack: Stack, visible: set[str]) -> View:
    stores = {sid for sid in visible if stack.customer_data(sid)}
    known = stack.inventory.data_categories
    flows = tuple(f for f in stack.inventory.flows if f.from_ in visible and f.to in visible
                  and any(known.get(c, False) for c in f.data))
    systems = set(stores)
    for f in flows:
        systems.add(f.from_)
        systems.add(f.to)
    return View("customer-data", "Customer data", tuple(sorted(systems)), flows, frozenset(stores),
                customer_only=True)


def _system(stack: Stack, visible: set[str], sid: str, depth: int) -> View:
    if sid not in stack.systems:
        raise UsageError(f"no system has the id {sid!r}{suggest(sid, stack.systems)}; "
                         f"systems: {_listing(sorted(stack.systems))}")
    members = visible | {sid}
    adjacency: dict[str, list[str]] = {}
    for f in stack.inventory.flows:
        if f.from_ in members and f.to in members:
            adjacency.setdefault(f.from_, []).append(f.to)
            adjacency.setdefault(f.to, []).append(f.from_)
    distance = {sid: 0}
    queue = deque([sid])
    while queue:
        here = queue.popleft()
        if distance[here] >= depth:
            continue
        for nxt in adjacency.get(here, ()):
            if nxt not in distance:
                distance[nxt] = distance[here] + 1
                queue.append(nxt)
    chosen = set(distance)
    name = stack.systems[sid].name
    title = f"{name} ({sid}) and its neighbours" + (f" up to {plural(depth, 'step')}" if depth != 1 else "")
    return View(f"system:{sid}", title, tuple(sorted(chosen)), _flows_among(stack, chosen),
                frozenset({sid}))


def _capability(stack: Stack, visible: set[str], arg: str) -> View:
    inventory = stack.inventory
    cap = inventory.aliases.get(arg, arg)
    provided: dict[str, list[str]] = {}
    for sid in sorted(visible):
        for c in inventory.capabilities_of(stack.systems[sid]):
            provided.setdefault(c, []).append(sid)
    if cap not in provided:
        choices = sorted(provided)
        known = " (no system shown provides it)" if cap in inventory.capabilities else ""
        raise UsageError(f"unknown capability {arg!r}{known}{suggest(arg, [*choices, *inventory.aliases])}; "
                         f"capabilities: {_listing(choices)}")
    providers = set(provided[cap])
    systems, flows = _touching(stack, visible, providers)
    definition = inventory.capabilities.get(cap)
    label = definition.name if definition is not None and definition.name else cap
    return View(f"capability:{cap}", f"Capability: {label}", tuple(sorted(systems)), flows,
                frozenset(providers), side_by_side=tuple(sorted(providers)), side_by_side_label=label)


def _owner(stack: Stack, visible: set[str], owner: str) -> View:
    owners = sorted({s.owner for sid, s in stack.systems.items() if sid in visible and s.owner})
    if owner not in owners:
        raise UsageError(f"unknown owner {owner!r}{suggest(owner, owners)}; owners: {_listing(owners)}")
    members = {sid for sid in visible if stack.systems[sid].owner == owner}
    systems, flows = _touching(stack, visible, members)
    return View(f"owner:{owner}", f"Owner: {owner}", tuple(sorted(systems)), flows, frozenset(members))


def _listing(values: list[str]) -> str:
    if not values:
        return "(none)"
    shown = ", ".join(values[:_LISTED])
    return shown if len(values) <= _LISTED else f"{shown}, ... ({len(values) - _LISTED} more)"
