"""Which application components an ArchiMate model connects, directly or through what they own.

Architects rarely draw a Flow between two components. They write that a component *realizes* an
application service that *serves* another component, that a component is *assigned* to an
application function that *flows* to another, that an interface *serves* a component, or that two
components both *access* a data object. This module follows those chains.

Ownership: a component owns itself; an application service, function, process, interaction, event or
interface is owned by the components that realize it, are assigned to it or compose/aggregate it
(transitively: component → function → service); an application collaboration is owned by the
components it aggregates. An owned element with none of these relationships that a view draws inside
a component (or inside something the component owns) belongs to it. A Flow, Triggering or Serving
relationship between two owned elements connects their owners: a flow from each owner of the source
to each owner of the target. Junctions pass relationships through. The chain each connection came
from is kept, to be written as a comment.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .archimate_xml import Model, Node

COMPONENT = "ApplicationComponent"
OWNED = frozenset({"ApplicationService", "ApplicationFunction", "ApplicationProcess", "ApplicationInteraction",
                   "ApplicationEvent", "ApplicationInterface", "ApplicationCollaboration"})
"""Elements that belong to the components that realize, are assigned to or compose them."""
OWNING = frozenset({"Realization", "Assignment", "Composition", "Aggregation"})
CONNECTING = frozenset({"Flow", "Triggering", "Serving"})
VERBS = {"Realization": "realizes", "Assignment": "is assigned to", "Composition": "is composed of",
         "Aggregation": "aggregates", "Flow": "flows to", "Triggering": "triggers", "Serving": "serves"}
MAX_CHAINS = 200_000
"""Bound on (element, owner) pairs followed, so a pathological model costs bounded time."""


@dataclass(frozen=True)
class Link:
    """A connection between two components: direct (one relationship) or derived (a chain)."""

    source: str
    target: str
    relationship: Node
    chain: str
    """Empty when direct; else ``'CRM' realizes 'Customer API' (ApplicationService) serves 'Shop'``."""


def label(node: Node) -> str:
    return f"'{node.name or node.ident}'"


def through_junctions(model: Model) -> list[Node]:
    """The relationships, with each pair passing through a Junction (in → out) joined into one."""
    junctions = {i for i, e in model.elements.items() if e.type == "Junction"}
    out = [r for r in model.relationships.values() if r.source not in junctions and r.target not in junctions]
    if not junctions:
        return out
    incoming: dict[str, list[Node]] = {}
    outgoing: dict[str, list[Node]] = {}
    for r in model.relationships.values():
        if r.target in junctions:
            incoming.setdefault(r.target, []).append(r)
        if r.source in junctions:
            outgoing.setdefault(r.source, []).append(r)
    for junction in sorted(junctions):
        for a in incoming.get(junction, []):
            for b in outgoing.get(junction, []):
                if a.source not in junctions and b.target not in junctions and len(out) < MAX_CHAINS:
                    out.append(Node(f"{a.ident}+{b.ident}", b.type, b.name or a.name,
                                    b.documentation or a.documentation, {**a.properties, **b.properties},
                                    a.source, b.target, b.access or a.access))
    return out


def owners(model: Model, relationships: list[Node]) -> dict[str, dict[str, str]]:
    """Element id → {owning component id: the chain from the component to it}."""
    elements = model.elements
    edges: dict[str, list[tuple[str, str]]] = {}
    for r in relationships:
        if r.type not in OWNING or r.source not in elements or r.target not in elements:
            continue
        source, target = elements[r.source], elements[r.target]
        if source.type == "ApplicationCollaboration" and target.type == COMPONENT and r.type in (
                "Composition", "Aggregation"):
            edges.setdefault(target.ident, []).append((source.ident, f"is part of {label(source)} ({source.type})"))
        elif target.type in OWNED and (source.type == COMPONENT or source.type in OWNED):
            step = f"{VERBS[r.type]} {label(target)} ({target.type})"
            edges.setdefault(source.ident, []).append((target.ident, step))
    owned_by_relationship = {t for pairs in edges.values() for t, _ in pairs}
    for child, parent in sorted(model.nested.items()):  # drawn inside it in a view, with no relationship
        inner, outer = elements.get(child), elements.get(parent)
        if inner is not None and outer is not None and inner.type in OWNED and child not in owned_by_relationship \
                and (outer.type == COMPONENT or outer.type in OWNED):
            edges.setdefault(parent, []).append((child, f"contains {label(inner)} ({inner.type}, drawn inside it)"))
    found: dict[str, dict[str, str]] = {}
    budget = MAX_CHAINS
    for ident, e in elements.items():
        if e.type != COMPONENT:
            continue
        found.setdefault(ident, {})[ident] = label(e)
        queue = deque([ident])
        while queue and budget > 0:
            here = queue.popleft()
            for there, step in edges.get(here, []):
                budget -= 1
                if ident in found.setdefault(there, {}):
                    continue
                found[there][ident] = f"{found[here][ident]} {step}"
                queue.append(there)
    return found


def links(model: Model, relationships: list[Node], owned: dict[str, dict[str, str]]) -> list[Link]:
    """Every component-to-component connection the relationships make, direct or derived."""
    out: list[Link] = []
    for r in relationships:
        if r.type not in CONNECTING or r.source not in owned or r.target not in owned:
            continue
        for a, chain_a in owned[r.source].items():
            for b in owned[r.target]:
                if a == b or len(out) >= MAX_CHAINS:
                    continue
                direct = r.source == a and r.target == b
                chain = "" if direct else f"{chain_a} {VERBS[r.type]} {_end(model, r.target, b)}"
                out.append(Link(a, b, r, chain))
    return out


def _end(model: Model, ident: str, owner: str) -> str:
    """The target side of a chain: ``'Shop'``, or ``'Checkout' (ApplicationFunction) of 'Shop'``."""
    node = model.elements[ident]
    return label(node) if ident == owner else f"{label(node)} ({node.type}) of {label(model.elements[owner])}"


def access(model: Model, relationships: list[Node], owned: dict[str, dict[str, str]]
           ) -> dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]]:
    """DataObject id → (writers, readers, other users): component id → chain, for each kind of access.
    An unspecified access (``Access``) counts as both reading and writing."""
    out: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}
    for r in relationships:
        if r.type != "Access" or r.source not in owned:
            continue
        target = model.elements.get(r.target)
        if target is None or target.type != "DataObject":
            continue
        writers, readers, others = out.setdefault(target.ident, ({}, {}, {}))
        kind = r.access.lower()
        for component, chain in owned[r.source].items():
            if kind in ("write", "readwrite", "access"):  # "access": unspecified, so possibly both
                writers.setdefault(component, chain)
            if kind in ("read", "readwrite", "access"):
                readers.setdefault(component, chain)
            if kind not in ("write", "read", "readwrite", "access"):
                others.setdefault(component, chain)
    return out
