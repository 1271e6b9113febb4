"""Inventory → networkx graph, and :class:`Stack`: the graph facts that several rules share.

Nodes are system ids (attribute ``system``: the model); edges are flows, keyed by flow identity
(attribute ``flow``), so parallel flows between one pair are all kept. Every traversal here is a
plain linear BFS over adjacency dicts: no subgraph views, no per-node ancestor queries.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from ..load.inventory import Inventory
from ..load.model import Flow, System
from .connectivity import Cut, cut_vertices
from .keeping import Keeping
from .options import Options
from .routes import Routes, bfs, predecessors

if TYPE_CHECKING:
    import networkx as nx



def build_graph(inventory: Inventory) -> nx.MultiDiGraph:
    """The whole inventory as a directed multigraph (retired systems included)."""
    import networkx as nx  # imported on first use: `check` needs no graph library for its rules

    graph = nx.MultiDiGraph()
    graph.add_nodes_from((sid, {"system": s}) for sid, s in inventory.systems.items())
    graph.add_edges_from((f.from_, f.to, f.key, {"flow": f}) for f in inventory.flows)
    return graph


class Stack(Keeping):
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
        return frozenset(bfs(self.records, predecessors(self.customer_flows)))

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

    def reaching_record_with(self, category: str) -> frozenset[str]:
        """Live systems with a directed path of flows carrying ``category`` into a system of record
        (records included); computed once per category."""
        return self.by_category("reaching-record", category, (self.record_set,),
                                lambda: frozenset(bfs(self.records, predecessors(self.flows_by_category.get(category, ())))))

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

    @cached_property
    def live_neighbours(self) -> dict[str, set[str]]:
        """Live system id → the live systems it has a flow with, either way (systems with none
        are left out; do not modify)."""
        adjacency: dict[str, set[str]] = {}
        for flow in self.live_flows:
            adjacency.setdefault(flow.from_, set()).add(flow.to)
            adjacency.setdefault(flow.to, set()).add(flow.from_)
        return adjacency

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
