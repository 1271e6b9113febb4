"""``stackmap export json``: networkx node-link JSON with every attribute and the findings.

``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "links": [...],
"findings": [...]}``: load it with ``networkx.node_link_graph(doc, edges="links")`` or feed it to
D3. Nodes carry every system attribute (lists stay lists, unset fields are ``null``) and
``findings``, the sorted rule ids of the findings that name the system; links carry every flow
attribute, ``key`` (the flow identity) and the findings on that flow. ``graph`` holds the data
categories (id → customer data or not) and the capability definitions. ``findings`` is the list of
the ``check --format json`` report, in the same order.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from ...analysis.engine import analyse
from ...load.inventory import Inventory
from ...formats.json import finding
from .. import attributes


def document(inventory: Inventory) -> dict[str, Any]:
    result = analyse(inventory)
    by_system: dict[str, set[str]] = {}
    by_flow: dict[str, set[str]] = {}
    for f in result.findings:
        if f.flow is not None:
            by_flow.setdefault(f.flow, set()).add(f.rule)
        for sid in f.systems:
            by_system.setdefault(sid, set()).add(f.rule)
    g = nx.MultiDiGraph()
    g.graph["data_categories"] = dict(inventory.data_categories)
    g.graph["capabilities"] = [
        {"id": c.id, "name": c.name, "aliases": list(c.aliases), "exclusive": c.exclusive}
        for c in inventory.capabilities.values()
    ]
    for sid, s in inventory.systems.items():
        g.add_node(sid, **attributes.system(inventory, s), findings=sorted(by_system.get(sid, ())))
    for fl in inventory.flows:
        attrs = attributes.flow(inventory, fl)
        del attrs["key"]  # node-link writes the edge key itself, as "key"
        g.add_edge(fl.from_, fl.to, key=fl.key, **attrs, findings=sorted(by_flow.get(fl.key, ())))
    doc: dict[str, Any] = nx.node_link_data(g, edges="links")
    doc["findings"] = [finding(f) for f in result.findings]
    return doc


def export(inventory: Inventory) -> str:
    return json.dumps(document(inventory), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
