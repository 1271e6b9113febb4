"""``stackmap export graphml``: the model graph for yEd, Gephi and Cytoscape.

Nodes are systems (node id = system id), edges are flows (edge id = flow identity, so parallel flows
between two systems are all kept). Attributes are those of :mod:`stackmap.interop.attributes`, with
lists joined as ``a; b`` because GraphML holds scalars only, plus a ``label`` (the system name; the
data carried by a flow) that Gephi shows and yEd can map with its properties mapper. A field that is
not set is left out rather than written empty.
"""

from __future__ import annotations

import io

import networkx as nx

from ...load.inventory import Inventory
from .. import attributes


def graph(inventory: Inventory) -> nx.MultiDiGraph:
    """The inventory as a multigraph with scalar attributes, nodes and edges in sorted order."""
    g = nx.MultiDiGraph()
    for sid, s in inventory.systems.items():
        g.add_node(sid, label=s.name, **attributes.flat(attributes.system(inventory, s)))
    for f in inventory.flows:
        attrs = attributes.flat(attributes.flow(inventory, f))
        label = "; ".join(sorted(set(f.data))) or (f.mechanism or "")
        g.add_edges_from([(f.from_, f.to, f.key, {"label": label, **attrs})])
    return g


def export(inventory: Inventory) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph(inventory), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")
