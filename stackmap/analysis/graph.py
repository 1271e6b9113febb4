"""Inventory → networkx graph, and :class:`Stack`: the graph facts that several rules share.

Nodes are system ids (attribute ``system``: the model); edges are flows, keyed by flow identity
(attribute ``flow``), so parallel flows between one pair are all kept. Every traversal here is a
plain linear BFS over adjacency dicts: no subgraph views, no per-node ancestor queries.
"""

from __future__ import annotations

import operator
from collections import deque
from itertools import compress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from ..load.inventory import Inventory
from ..load.model import SYSTEM_OF_RECORD, Flow, System
from .connectivity import Cut, cut_vertices
from .reads import fields, reads

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")


def build_graph(inventory: Inventory) -> nx.MultiDiGraph:
    """The whole inventory as a directed multigraph (retired systems included)."""
    import networkx as nx  # imported on first use: `check` needs no graph library for its rules

    graph = nx.MultiDiGraph()
    graph.add_nodes_from((sid, {"system": s}) for sid, s in inventory.systems.items())
    graph.add_edges_from((f.from_, f.to, f.key, {"flow": f}) for f in inventory.flows)
    return graph


@dataclass(frozen=True)
class Options:
    """Analysis options shared by the rules (set from the configuration)."""

    record_roles: tuple[str, ...] = (SYSTEM_OF_RECORD,)
    """Roles that make a system a system of record."""
    non_exclusive: tuple[str, ...] = ()
    """Capabilities where several providers are normal, besides those defined ``exclusive: false``."""
    messaging_capabilities: tuple[str, ...] = (
        "email-marketing", "marketing-automation", "mobile-engagement", "sms", "push-notifications",
    )
    """Capabilities that send messages to people (``consent-not-propagated``); aliases resolve."""
    hub_capabilities: tuple[str, ...] = (
        "ipaas", "cdp", "data-pipeline", "reverse-etl", "data-warehouse", "tag-management",
        "marketing-automation", "ecommerce", "website", "product",
    )
    """Capabilities that make a system integration infrastructure, a hub by design: flows to or
    from it are not point-to-point integrations (``point-to-point-sprawl``), and it is never an
    accidental hub (``integration-hotspot``); aliases resolve."""
    replica_capabilities: tuple[str, ...] = ("data-warehouse", "data-lake", "business-intelligence")
    """Capabilities of systems that hold copies for analysis, never the data's owner: loading into
    them and syncing derived data back is not a loop (``sync-loop``); aliases resolve."""
    sprawl_ratio: float = 1.0
    """``point-to-point-sprawl`` fires when direct integrations per system reach this ratio..."""
    sprawl_connections: int = 10
    """...or when one system has at least this many direct integrations."""
    marketing_owners: tuple[str, ...] = ("marketing", "marketing-*", "*-marketing")
    """Owner names (shell-style patterns, case-insensitive) that count as marketing in ``spend``."""
    it_owners: tuple[str, ...] = ("it", "it-*")
    """Owner names (shell-style patterns, case-insensitive) that count as IT in ``spend``."""


class Stack:
    """The inventory and its graph, with the derived facts rules share, each computed once."""

    def __init__(self, inventory: Inventory, options: Options | None = None,
                 graph: nx.MultiDiGraph | None = None, keeps: bool = False) -> None:
        self.inventory = inventory
        self.options = options or Options()
        self.keeps = keeps
        """Whether what :meth:`each` builds is kept for a next version (the editing loop's stacks)."""
        if graph is not None:  # a caller that already has the graph (e.g. a what-if view) shares it
            self.__dict__["graph"] = graph

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph of the whole inventory, built on first use."""
        return build_graph(self.inventory)

    @property
    def systems(self) -> dict[str, System]:
        return self.inventory.systems

    @cached_property
    def live(self) -> frozenset[str]:
        """Ids of the systems that are not retired: the only ones rules look at."""
        return frozenset(sid for sid, s in self.systems.items() if s.lifecycle != "retired")

    @cached_property
    def live_flows(self) -> list[Flow]:
        """Flows between two non-retired systems."""
        live = self.live
        return [f for f in self.inventory.flows if f.from_ in live and f.to in live]

    def customer_data(self, system_id: str) -> list[str]:
        """Customer-data categories the system stores, sorted."""
        return self._stored[system_id]

    @cached_property
    def _stored(self) -> dict[str, list[str]]:
        return {sid: self.inventory.customer_data(s.data) for sid, s in self.systems.items()}

    @cached_property
    def customer_systems(self) -> list[str]:
        """Non-retired systems that store customer data, sorted."""
        return [sid for sid in sorted(self.live) if self._stored[sid]]

    @cached_property
    def records(self) -> list[str]:
        """Non-retired systems of record, sorted."""
        roles = set(self.options.record_roles)
        return [sid for sid in sorted(self.live) if roles.intersection(self.systems[sid].roles)]

    @cached_property
    def customer_categories(self) -> frozenset[str]:
        """The data categories that are customer data."""
        return frozenset(c for c, is_customer in self.inventory.data_categories.items() if is_customer)

    @cached_property
    def customer_flows(self) -> list[Flow]:
        """Live flows that carry at least one customer-data category."""
        customer = self.customer_categories
        return [f for f in self.live_flows if not customer.isdisjoint(f.data)]

    @cached_property
    def customer_components(self) -> list[list[str]]:
        """Connected components of the undirected customer-data graph over live systems, each
        sorted, isolated systems included as singletons; ordered by their smallest id."""
        return self._kept_under(("customer-components", ""), (Routes(self.customer_flows), self.live),
                                self._customer_components)

    def _customer_components(self) -> list[list[str]]:
        adjacency: dict[str, set[str]] = {sid: set() for sid in self.live}
        for f in self.customer_flows:
            adjacency[f.from_].add(f.to)
            adjacency[f.to].add(f.from_)
        seen: set[str] = set()
        components: list[list[str]] = []
        for start in sorted(adjacency):
            if start in seen:
                continue
            seen.add(start)
            members = [start]
            queue = deque([start])
            while queue:
                for nxt in adjacency[queue.popleft()]:
                    if nxt not in seen:
                        seen.add(nxt)
                        members.append(nxt)
                        queue.append(nxt)
            components.append(sorted(members))
        return components

    @cached_property
    def main_component(self) -> frozenset[str]:
        """Without a system of record: the component with the most customer-data systems, ties
        broken by the smallest system id. With one: every component that holds a system of record."""
        if self.records:
            records = set(self.records)
            return frozenset(m for c in self.customer_components if records.intersection(c) for m in c)
        stored = self._stored
        best: list[str] = []
        best_count = 0
        for component in self.customer_components:  # ordered by smallest id: first wins ties
            count = sum(1 for m in component if stored[m])
            if count > best_count:
                best, best_count = component, count
        return frozenset(best)

    @cached_property
    def silos(self) -> list[str]:
        """Customer-data systems with no customer-data path to a system of record (or, with no
        system of record, outside the main component), sorted."""
        main = self.main_component
        return [sid for sid in self.customer_systems if sid not in main]

    @cached_property
    def reaching_record(self) -> frozenset[str]:
        """Live systems with a directed customer-data path into a system of record (records included)."""
        return frozenset(_bfs(self.records, _predecessors(self.customer_flows)))

    @cached_property
    def record_set(self) -> frozenset[str]:
        return frozenset(self.records)

    def with_capability(self, capabilities: Iterable[str]) -> frozenset[str]:
        """Live systems with any of ``capabilities`` (aliases resolve); computed once per set."""
        inventory = self.inventory
        wanted = frozenset(inventory.aliases.get(c, c) for c in capabilities)
        found = self._with_capability.get(wanted)
        if found is None:
            providers = self._providers
            found = self._with_capability[wanted] = frozenset().union(*(providers.get(c, ()) for c in wanted))
        return found

    @cached_property
    def _providers(self) -> dict[str, set[str]]:
        """Capability (aliases resolved) → the live systems that provide it."""
        out: dict[str, set[str]] = {}
        systems, capabilities_of = self.systems, self.inventory.capabilities_of
        for sid in self.live:
            for capability in capabilities_of(systems[sid]):
                out.setdefault(capability, set()).add(sid)
        return out

    @cached_property
    def _with_capability(self) -> dict[frozenset[str], frozenset[str]]:
        return {}

    @cached_property
    def hubs(self) -> frozenset[str]:
        """Live systems with a hub capability (:attr:`Options.hub_capabilities`)."""
        return self.with_capability(self.options.hub_capabilities)

    @cached_property
    def stored_sets(self) -> dict[str, frozenset[str]]:
        """System id → every data category it declares it stores."""
        return {sid: frozenset(s.data) for sid, s in self.systems.items()}

    def stores(self, system_id: str, category: str) -> bool:
        """Whether the system declares it stores ``category`` (else it only passes it on: a pipe)."""
        return category in self.stored_sets[system_id]

    @cached_property
    def flows_by_category(self) -> dict[str, list[Flow]]:
        """Live flows by each category they carry (a flow with several is listed under each)."""
        out: dict[str, list[Flow]] = {}
        for f in self.live_flows:
            data = f.data
            for c in (data if len(data) < 2 else dict.fromkeys(data)):
                bucket = out.get(c)
                if bucket is None:
                    out[c] = [f]
                else:
                    bucket.append(f)
        return out

    @cached_property
    def flows_at(self) -> dict[str, list[Flow]]:
        """System id → every flow to or from it, retired systems and flows included, in no
        particular order (do not modify)."""
        out: dict[str, list[Flow]] = {}
        for f in self.inventory.flows:
            for end in (f.from_, f.to):
                bucket = out.get(end)
                if bucket is None:
                    out[end] = [f]
                else:
                    bucket.append(f)
        return out

    @cached_property
    def received(self) -> dict[str, set[str]]:
        """Live system id → the categories live flows bring into it (do not modify)."""
        out: dict[str, set[str]] = {}
        for f in self.live_flows:
            got = out.get(f.to)
            if got is None:
                out[f.to] = set(f.data)
            else:
                got.update(f.data)
        return out

    def _received_at(self, sid: str) -> set[str] | None:
        """:attr:`received` of one system, from the flows at it (``None``: no live flow into it)."""
        inbound = [f for f in self._live_flows_at(sid) if f.to == sid]
        return {c for f in inbound for c in f.data} if inbound else None

    def reaching_record_with(self, category: str) -> frozenset[str]:
        """Live systems with a directed path of flows carrying ``category`` into a system of record
        (records included); computed once per category."""
        return self.by_category("reaching-record", category, (self.record_set,),
                                lambda: frozenset(_bfs(self.records, _predecessors(self.flows_by_category.get(category, ())))))

    def created(self, system_id: str, messaging: frozenset[str] = frozenset()) -> list[str]:
        """The customer-data categories a system creates: stored, not append-only, and brought to it
        by no live flow (or ``consent``, for a messaging system, which records its own opt-outs)."""
        received = self.received.get(system_id, ())
        append_only = self.inventory.append_only
        return [c for c in self.customer_data(system_id) if c not in append_only
                and (c not in received or (c == "consent" and system_id in messaging))]

    @cached_property
    def flow_fingerprint_ids(self) -> Mapping[str, str]:
        """Flow identity → the identity its findings' fingerprints use (see
        :func:`stackmap.analysis.findings.flow_fingerprint_ids`)."""
        from .findings import flow_fingerprint_ids

        return flow_fingerprint_ids(self.inventory.flows)

    @cached_property
    def storing(self) -> dict[str, frozenset[str]]:
        """Data category → the systems (retired ones included) that declare they store it."""
        out: dict[str, set[str]] = {}
        for sid, system in self.systems.items():
            for category in system.data:
                out.setdefault(category, set()).add(sid)
        return {category: frozenset(sids) for category, sids in out.items()}

    def by_category(self, rule: str, category: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, a result for one category over that category's live flows, kept under
        those flows' routes and ``key``: everything else it reads (who stores the category, the
        systems it treats apart). The editing loop hands these on from one version to the next,
        so an edit runs this again only for the categories whose flows or key it changed."""
        slot = (rule, category)
        checked = self._checked
        if slot in checked and checked[slot][0] == key:  # already computed or checked for this version
            return checked[slot][1]  # type: ignore[no-any-return]
        value = self._kept_under(slot, (Routes(self.flows_by_category.get(category, [])), *key), compute)
        checked[slot] = (key, value)
        return value

    def each(self, slot: tuple[str, str], key: Callable[[], tuple[object, ...]], build: Callable[[], T]) -> T:
        """``build()`` for one subject of a rule (``slot``: the rule and, say, a system id), or, in
        the editing loop, what an earlier version built for it under an equal ``key()``: everything
        ``build`` reads. A rule that runs again after an edit then builds only the facts of the
        subjects the edit changed, and hands on the very objects it made before for the others, so
        they are not stamped again either. A one-shot analysis keeps nothing and builds no key."""
        if not self.keeps:
            return build()
        return self._kept_under(slot, key(), build)

    def _kept_under(self, slot: tuple[str, str], key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or the value kept in ``slot`` by an earlier version under an equal ``key``
        (everything the value is computed from)."""
        kept = self._keyed.get(slot)
        if kept is not None and kept[0] == key:
            return kept[1]  # type: ignore[no-any-return]
        value = compute()
        self._keyed[slot] = (key, value)
        return value

    @cached_property
    def _checked(self) -> dict[tuple[str, str], tuple[tuple[object, ...], object]]:
        """The :meth:`by_category` results of this version, by slot (never handed on)."""
        return {}

    @cached_property
    def _keyed(self) -> dict[tuple[str, str], tuple[tuple[object, ...], object]]:
        """Values kept by slot under the key they were computed from (:meth:`_kept_under`); handed
        on from version to version whatever changed, since each entry checks its own key."""
        return {}

    @cached_property
    def live_neighbours(self) -> dict[str, set[str]]:
        """Live system id → the live systems it has a flow with, either way (systems with none
        are left out; do not modify)."""
        adjacency: dict[str, set[str]] = {}
        for flow in self.live_flows:
            adjacency.setdefault(flow.from_, set()).add(flow.to)
            adjacency.setdefault(flow.to, set()).add(flow.from_)
        return adjacency

    def _live_flows_at(self, sid: str) -> list[Flow]:
        """The live flows at a system (none at a retired one), from :attr:`flows_at`."""
        live = self.live
        if sid not in live:
            return []
        return [f for f in self.flows_at.get(sid, ()) if f.from_ in live and f.to in live]

    def _neighbours_at(self, sid: str) -> set[str] | None:
        """:attr:`live_neighbours` of one system (``None``: it has no live flow)."""
        return {f.to if f.from_ == sid else f.from_ for f in self._live_flows_at(sid)} or None

    def _degree_at(self, sid: str) -> int | None:
        """:attr:`live_degree` of one system (``None``: it is retired)."""
        return len(self._live_flows_at(sid)) if sid in self.live else None

    def cut_vertices(self, list_limit: int) -> list[Cut]:
        """The cut vertices of the undirected graph of live flows (see
        :func:`stackmap.analysis.connectivity.cut_vertices`), computed once per listing limit."""
        cache = self._cuts
        if list_limit not in cache:
            cache[list_limit] = self._kept_under(("cut-vertices", str(list_limit)), (Routes(self.live_flows),),
                                                 lambda: cut_vertices(self.live_neighbours, list_limit))
        return cache[list_limit]

    @cached_property
    def _cuts(self) -> dict[int, list[Cut]]:
        return {}

    @cached_property
    def live_degree(self) -> dict[str, int]:
        """Number of flows each live system has with other live systems."""
        degree = dict.fromkeys(self.live, 0)
        for f in self.live_flows:
            degree[f.from_] += 1
            degree[f.to] += 1
        return degree


class Routes:
    """A list of flows compared by route (``from``, ``to``, ``mechanism``), in order: equal when
    each flow is the same object or has the same route, so comparing one version's flows of a
    category with the next costs an identity check per unchanged flow."""

    __slots__ = ("flows",)

    def __init__(self, flows: list[Flow]) -> None:
        self.flows = flows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Routes):
            return NotImplemented
        mine, theirs = self.flows, other.flows
        if mine is theirs:
            return True
        if len(mine) != len(theirs):
            return False
        differ = list(map(operator.is_not, mine, theirs))  # in C: only flows that are not the same object
        return all(a.from_ == b.from_ and a.to == b.to and a.mechanism == b.mechanism
                   for a, b in zip(compress(mine, differ), compress(theirs, differ)))

    __hash__ = None  # type: ignore[assignment]


def _predecessors(flows: Iterable[Flow]) -> dict[str, list[str]]:
    pred: dict[str, list[str]] = {}
    for f in flows:
        pred.setdefault(f.to, []).append(f.from_)
    return pred


def _bfs(starts: Iterable[str], adjacency: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in adjacency.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


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


def carry_by_difference(before: Stack, after: Stack, removed: list[Flow], added: list[Flow], changed: set[str]) -> None:
    """Give ``after`` the facts built from every flow that ``before`` computed, updated by the flows
    an edit ``removed`` and ``added`` (by object: a flow kept as it was is in neither), when they
    could not be handed on as they were. Only while no system's liveness can have changed (no
    system added, removed or given another lifecycle) and the options are the same."""
    if before.options != after.options or not changed.isdisjoint(("systems.id", "systems.lifecycle")):
        return
    mine, theirs = before.__dict__, after.__dict__
    if "flow_fingerprint_ids" in mine and "flow_fingerprint_ids" not in theirs:
        theirs["flow_fingerprint_ids"] = mine["flow_fingerprint_ids"].updated(removed, added)
    if "flows_by_category" in mine and "flows_by_category" not in theirs:
        live = after.live
        gone = {id(f) for f in removed}
        arrived = [f for f in added if f.from_ in live and f.to in live]
        lists: dict[str, list[Flow]] = dict(mine["flows_by_category"])
        for category in {c for f in (*removed, *arrived) for c in f.data}:
            kept = [f for f in lists.get(category, ()) if id(f) not in gone]
            kept.extend(f for f in arrived if category in f.data)
            if kept:
                lists[category] = kept
            else:
                lists.pop(category, None)
        theirs["flows_by_category"] = lists
    ends = {end for f in (*removed, *added) for end in (f.from_, f.to)}
    if "flows_at" in mine and "flows_at" not in theirs:
        gone = {id(f) for f in removed}
        at: dict[str, list[Flow]] = dict(mine["flows_at"])
        for end in ends:
            kept = [f for f in at.get(end, ()) if id(f) not in gone]
            kept.extend(f for f in added if end == f.from_ or end == f.to)
            if kept:
                at[end] = kept
            else:
                at.pop(end, None)
        theirs["flows_at"] = at
    # per-system facts: computed again at the systems the changed flows touch, from their flows
    for name, one in (("received", after._received_at), ("live_neighbours", after._neighbours_at),
                      ("live_degree", after._degree_at)):
        if name in mine and name not in theirs:
            table = dict(mine[name])
            for end in ends:
                value = one(end)
                if value is None:
                    table.pop(end, None)
                else:
                    table[end] = value
            theirs[name] = table
