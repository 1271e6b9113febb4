"""Handing a :class:`~stackmap.analysis.graph.Stack`'s facts on to the next version of the inventory.

Each fact declares the fields it reads (:data:`KEPT`, see :mod:`stackmap.analysis.reads`): it is
handed on as it is while none of them changed (:func:`carry_over`), and the facts built from
every flow are updated from the flows an edit removed and added (:func:`carry_by_difference`).
``tests/test_incremental.py`` checks both against a fresh stack.
"""

from __future__ import annotations

from collections.abc import Callable

from ..load.model import Flow
from .graph import Stack
from .reads import fields, reads

_FLOW = " ".join(fields("flows"))
KEPT: dict[str, frozenset[str]] = {
    "live": reads(),
    "live_flows": reads(flows=_FLOW),
    "customer_categories": reads(categories=True),
    "customer_flows": reads(flows=_FLOW, categories=True),
    "flows_by_category": reads(flows=_FLOW),
    "flow_fingerprint_ids": reads(flows=_FLOW),
    "flows_at": reads(flows=_FLOW),
    "received": reads(flows="from_ to data"),
    "live_neighbours": reads(flows="from_ to"),
    "_keyed": frozenset(),  # each entry is kept under everything it reads
    "_cuts": reads(flows="from_ to"),
    "live_degree": reads(flows="from_ to"),
    "customer_components": reads(flows="from_ to data", categories=True),
    "records": reads(systems="roles"),
    "record_set": reads(systems="roles"),
    "reaching_record": reads(systems="roles", flows="from_ to data", categories=True),
    "hubs": reads(systems="capabilities", capabilities=True),
    "_with_capability": reads(systems="capabilities", capabilities=True),
    "_providers": reads(systems="capabilities", capabilities=True),
    "_stored": reads(systems="data", categories=True),
    "stored_sets": reads(systems="data"),
    "storing": reads(systems="data"),
    "customer_systems": reads(systems="data", categories=True),
    "main_component": reads(systems="data roles", flows="from_ to data", categories=True),
    "silos": reads(systems="data roles", flows="from_ to data", categories=True),
}
"""What each fact a :class:`Stack` keeps reads of the inventory (:mod:`stackmap.analysis.reads`):
the editing loop hands a fact to the next version's stack while none of those fields changed. A
fact that holds flows reads every flow field (rules read the flows it hands them); the networkx
``graph`` holds every model object and is never handed on."""


def carry_over(before: Stack, after: Stack, changed: set[str]) -> None:
    """Give ``after`` every fact ``before`` computed that reads none of the ``changed`` fields (same
    analysis options only)."""
    if before.options != after.options:
        return
    for name, needs in KEPT.items():
        if name in before.__dict__ and changed.isdisjoint(needs):
            after.__dict__[name] = before.__dict__[name]


def carry_by_difference(before: Stack, after: Stack, removed: list[Flow], added: list[Flow],
                        changed: set[str]) -> None:
    """Give ``after`` the facts built from every flow that ``before`` computed, updated by the flows
    an edit ``removed`` and ``added`` (by object: a flow kept as it was is in neither), when they
    could not be handed on as they were. Only while no system's liveness can have changed (no
    system added, removed or given another lifecycle) and the options are the same."""
    if before.options != after.options or not changed.isdisjoint(("systems.id", "systems.lifecycle")):
        return
    mine, theirs = before.__dict__, after.__dict__
    if "flow_fingerprint_ids" in mine and "flow_fingerprint_ids" not in theirs:
        theirs["flow_fingerprint_ids"] = mine["flow_fingerprint_ids"].updated(removed, added)
    # Flows leave by identity (:attr:`Flow.key`, unique in a valid inventory), not by object: a fact
    # handed on as it was may hold another object of an equal flow (a file read again after it did
    # not parse keeps none of its objects).
    gone = {f.key for f in removed}
    if "flows_by_category" in mine and "flows_by_category" not in theirs:
        live = after.live
        arrived = [f for f in added if f.from_ in live and f.to in live]
        lists: dict[str, list[Flow]] = dict(mine["flows_by_category"])
        for category in {c for f in (*removed, *arrived) for c in f.data}:
            kept = [f for f in lists.get(category, ()) if f.key not in gone]
            kept.extend(f for f in arrived if category in f.data)
            if kept:
                lists[category] = kept
            else:
                lists.pop(category, None)
        theirs["flows_by_category"] = lists
    ends = {end for f in (*removed, *added) for end in (f.from_, f.to)}
    if "flows_at" in mine and "flows_at" not in theirs:
        at: dict[str, list[Flow]] = dict(mine["flows_at"])
        for end in ends:
            kept = [f for f in at.get(end, ()) if f.key not in gone]
            kept.extend(f for f in added if end == f.from_ or end == f.to)
            if kept:
                at[end] = kept
            else:
                at.pop(end, None)
        theirs["flows_at"] = at
    # per-system facts: computed again at the systems the changed flows touch, from their flows
    for name, one in (("received", _received_at), ("live_neighbours", _neighbours_at),
                      ("live_degree", _degree_at)):
        if name in mine and name not in theirs:
            table = dict(mine[name])
            for end in ends:
                value = one(after, end)
                if value is None:
                    table.pop(end, None)
                else:
                    table[end] = value
            theirs[name] = table
    if ("customer_components" in mine and "customer_components" not in theirs
            and not any(name.startswith("data_categories.") for name in changed)):
        theirs["customer_components"] = _components(before.customer_components, after, removed, added)


def _live_flows_at(stack: Stack, sid: str) -> list[Flow]:
    """The live flows at a system (none at a retired one), from :attr:`Stack.flows_at`."""
    live = stack.live
    if sid not in live:
        return []
    return [f for f in stack.flows_at.get(sid, ()) if f.from_ in live and f.to in live]


def _received_at(stack: Stack, sid: str) -> set[str] | None:
    """:attr:`Stack.received` of one system (``None``: no live flow into it)."""
    inbound = [f for f in _live_flows_at(stack, sid) if f.to == sid]
    return {c for f in inbound for c in f.data} if inbound else None


def _neighbours_at(stack: Stack, sid: str) -> set[str] | None:
    """:attr:`Stack.live_neighbours` of one system (``None``: it has no live flow)."""
    return {f.to if f.from_ == sid else f.from_ for f in _live_flows_at(stack, sid)} or None


def _degree_at(stack: Stack, sid: str) -> int | None:
    """:attr:`Stack.live_degree` of one system (``None``: it is retired)."""
    return len(_live_flows_at(stack, sid)) if sid in stack.live else None


def _components(before: list[list[str]], after: Stack, removed: list[Flow], added: list[Flow]) -> list[list[str]]:
    """:attr:`Stack.customer_components` of ``after`` from those of the version before it and the
    flows an edit removed and added. A component without an end of a changed flow is as it was.
    For each removed customer-data flow, a search from both ends at once (over the flows at each
    system) either meets, and the component holds, or runs out on one side, which is then a
    whole component, as is the other side, searched to its end (the only costly case: a real
    split). Every flow that ended up between two components then has both whole; what is left
    of each old component is therefore one piece, and added flows join pieces."""
    customer, live = after.customer_categories, after.live

    def carries(f: Flow) -> bool:
        return f.from_ in live and f.to in live and not customer.isdisjoint(f.data)

    def neighbours(sid: str) -> list[str]:
        return [f.to if f.from_ == sid else f.from_ for f in after.flows_at.get(sid, ()) if carries(f)]

    settled: list[set[str]] = []
    done: set[str] = set()
    for f in removed:
        if not carries(f) or (f.from_ in done and f.to in done):
            continue
        if f.from_ in done or f.to in done:  # the other end is in another component: all of it
            sides = [_reach(f.to if f.from_ in done else f.from_, neighbours)]
        else:
            sides = _split(f.from_, f.to, neighbours)
        for side in sides:
            settled.append(side)
            done |= side
    pieces: list[list[str]] = [sorted(side) for side in settled]
    pieces += [rest for rest in ([m for m in c if m not in done] for c in before) if rest]
    piece_of = {sid: i for i, piece in enumerate(pieces) for sid in piece}
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for f in added:
        if carries(f):
            a, b = root(piece_of[f.from_]), root(piece_of[f.to])
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for i, piece in enumerate(pieces):
        groups.setdefault(root(i), []).extend(piece)
    return sorted((sorted(g) if len(g) > 1 else g for g in groups.values()), key=lambda c: c[0])


def _split(a: str, b: str, neighbours: Callable[[str], list[str]]) -> list[set[str]]:
    """Nothing when ``a`` and ``b`` are connected (searching from both at once, always widening the
    smaller frontier, so a well-connected graph answers after a few steps); else both whole
    components: the side that ran out first, then the other searched to its end."""
    seen = ({a}, {b})
    frontier = ([a], [b])
    while frontier[0] and frontier[1]:
        i = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        mine, theirs = seen[i], seen[1 - i]
        nxt: list[str] = []
        for sid in frontier[i]:
            for other in neighbours(sid):
                if other in theirs:
                    return []
                if other not in mine:
                    mine.add(other)
                    nxt.append(other)
        frontier = (nxt, frontier[1]) if i == 0 else (frontier[0], nxt)
    rest = 1 if not frontier[0] else 0
    return [seen[1 - rest], _reach(frontier[rest], neighbours, seen[rest])]


def _reach(start: str | list[str], neighbours: Callable[[str], list[str]], seen: set[str] | None = None) -> set[str]:
    """Every system connected to ``start`` (a system, or a frontier whose systems are in ``seen``)."""
    queue = [start] if isinstance(start, str) else list(start)
    seen = set(queue) if seen is None else seen
    while queue:
        nxt = []
        for sid in queue:
            for other in neighbours(sid):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        queue = nxt
    return seen
