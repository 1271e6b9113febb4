"""Roll-up: each group collapsed into one node, flows between groups counted and aggregated.

Used when a diagram is too big to read (``--engine auto`` past a threshold) or to fit Mermaid's
limits. Flows inside a group become a count on its node; flows between two groups become one edge
carrying the number of flows and the union of their data. Systems outside any group share one
``(no group)`` node.
"""

from __future__ import annotations

from dataclasses import replace

from .diagram import Diagram, Edge, Mark, Node, slug

NO_GROUP = "(no group)"
_LISTED = 25
"""How many member ids a rolled-up node's tooltip lists."""


def group_node_id(key: str) -> str:
    return f"group_{slug(key)}"


def roll_up(diagram: Diagram, reason: str, keep: frozenset[str] = frozenset()) -> Diagram:
    """``diagram`` with one node per group; ``reason`` goes into the diagram's notes. Nodes named in
    ``keep`` (the systems a focused view is about) stay as they are, outside any group."""
    labels = {g.key: g.label for g in diagram.groups}
    members: dict[str, list[Node]] = {}
    where: dict[str, str] = {}
    kept: list[Node] = []
    for node in diagram.nodes:
        if node.id in keep:
            kept.append(replace(node, group=None))
            where[node.id] = node.id
            continue
        key = node.group if node.group is not None else ""
        members.setdefault(key, []).append(node)
        where[node.id] = group_node_id(key)
    internal: dict[str, int] = {}
    pairs: dict[tuple[str, str], list[Edge]] = {}
    for edge in diagram.edges:
        src, dst = where[edge.source], where[edge.target]
        if src == dst:
            internal[src] = internal.get(src, 0) + edge.flows
        else:
            pairs.setdefault((src, dst), []).append(edge)
    nodes = [_group_node(key, labels.get(key, NO_GROUP), group, internal.get(group_node_id(key), 0))
             for key, group in sorted(members.items())]
    nodes.sort(key=lambda n: n.id)
    edges = tuple(
        group[0] if len(group) == 1 and src in keep and dst in keep else Edge(
            source=src,
            target=dst,
            data=tuple(sorted({c for e in group for c in e.data})),
            mechanisms=tuple(sorted({m for e in group for m in e.mechanisms})),
            customer=any(e.customer for e in group),
            retired=all(e.retired for e in group),
            flows=sum(e.flows for e in group),
        )
        for (src, dst), group in sorted(pairs.items())
    )
    groups = f"{len(nodes)} groups" + (f" and {len(kept)} systems drawn one by one" if kept else "")
    nodes = kept + nodes
    note = (f"rolled up ({reason}): {diagram.systems} systems in {groups}, "
            f"{diagram.flows} flows in {len(edges)} edges")
    title = f"{diagram.title} (rolled up by group)"
    return Diagram(title, tuple(nodes), edges, (), rolled_up=True, notes=(*diagram.notes, note))


def _group_node(key: str, label: str, members: list[Node], internal: int) -> Node:
    count = sum(n.systems for n in members)
    lines = [f"{count} system{'s' if count != 1 else ''}"]
    if internal:
        lines.append(f"{internal} flow{'s' if internal != 1 else ''} inside")
    marks = tuple(sorted({Mark(m.kind, n.id) for n in members for m in n.marks},
                         key=lambda m: (m.kind, m.detail)))
    ids = sorted(n.id for n in members)
    listed = ", ".join(ids[:_LISTED]) + (f", ... ({len(ids) - _LISTED} more)" if len(ids) > _LISTED else "")
    tooltip = f"{label}: {lines[0]}\n{listed}"
    return Node(
        id=group_node_id(key),
        name=label,
        lines=tuple(lines),
        group=None,
        tooltip=tooltip,
        record=any(n.record for n in members),
        retired=all(n.retired for n in members),
        context=all(n.context for n in members),
        marks=marks,
        systems=count,
        rolled=True,
    )
