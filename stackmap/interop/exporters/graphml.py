"""``stackmap export graphml``: the model graph for yEd, Gephi, Cytoscape, igraph and networkx.

Nodes are systems (node id = system id), edges are flows, so parallel flows between two systems are
all kept. GraphML types node and edge ids as ``xs:NMTOKEN`` (letters, digits, ``.``, ``-``, ``_``,
``:``): a system id always is one; an edge id is the flow's ``id`` when it has one, else its
identity (``crm->mail:api:contact``) with every other character written as ``_hex_``
(:func:`edge_id`). The identity itself is the ``key`` attribute. Attributes are those of
:mod:`stackmap.interop.attributes`, with lists joined as ``a; b`` because GraphML holds scalars
only, plus a ``label`` (the system name; the data carried by a flow) that Gephi shows and yEd can
map with its properties mapper. A flow's own ``id`` is written as ``flow_id``, because readers
(igraph) keep the GraphML element id in an attribute called ``id``. A field that is not set is left
out rather than written empty. A carriage return in a value is written as ``&#13;``, so that XML
line-end normalisation does not turn it into a line feed.
"""

from __future__ import annotations

import io
import re

import networkx as nx

from ...load.inventory import Inventory
from ...load.model import Flow
from .. import attributes

_NOT_NMTOKEN = re.compile(r"[^A-Za-z0-9.-]")


def edge_id(flow: Flow, used: set[str]) -> str:
    """A unique ``xs:NMTOKEN`` for ``flow``: its ``id``, else its identity with every character
    outside ``A-Za-z0-9.-`` (``_`` included, so the encoding is reversible) as ``_hex_``."""
    base = flow.id if flow.id is not None else _NOT_NMTOKEN.sub(lambda m: f"_{ord(m.group()):x}_", flow.key)
    ident, n = base, 2
    while ident in used:
        ident, n = f"{base}.{n}", n + 1
    used.add(ident)
    return ident


def graph(inventory: Inventory) -> nx.MultiDiGraph:
    """The inventory as a multigraph with scalar attributes, nodes and edges in sorted order; each
    edge's networkx key is its GraphML id."""
    g = nx.MultiDiGraph()
    for sid, s in inventory.systems.items():
        g.add_node(sid, label=s.name, **attributes.flat(attributes.system(inventory, s)))
    used: set[str] = set()
    for f in inventory.flows:
        attrs = attributes.flat(attributes.flow(inventory, f))
        if "id" in attrs:
            attrs["flow_id"] = attrs.pop("id")
        label = "; ".join(sorted(set(f.data))) or (f.mechanism or "")
        g.add_edges_from([(f.from_, f.to, edge_id(f, used), {"label": label, **attrs})])
    return g


def export(inventory: Inventory) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph(inventory), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8").replace("\r", "&#13;")
