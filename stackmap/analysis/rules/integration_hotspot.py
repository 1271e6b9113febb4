"""A system whose removal would cut other systems off from the rest of the stack.

The articulation points of the undirected flow graph of non-retired systems (every flow between
two of them, whatever it carries): if such a system fails, is replaced or is switched off, the
systems that only reach the rest of the stack through it are cut off. The finding names what would
be cut off: every part of the graph other than the largest remaining one (ties broken by the
smallest system id), listing the systems of a part when it has at most 10, else its size and its
smallest id. Computed by one linear depth-first search (no centrality measure), so it stays fast
on large inventories.

Passes (``web`` and ``shop`` also reach each other directly):

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: web, name: Website}
  - {id: shop, name: Shop}
flows:
  - {from: web, to: crm, data: [lead]}
  - {from: shop, to: crm, data: [contact]}
  - {from: web, to: shop, data: [behavioral]}
```

Fails (``crm`` is the only link between ``web`` and ``shop``):

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: web, name: Website}
  - {id: shop, name: Shop}
flows:
  - {from: web, to: crm, data: [lead]}
  - {from: shop, to: crm, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..connectivity import Piece, cut_vertices
from ..findings import Fact, Severity
from ..graph import Stack
from ...hints import plural

ID = "integration-hotspot"
SEVERITY = Severity.INFO
SUMMARY = "A system whose removal would disconnect other systems from the rest of the stack."

LIST_LIMIT = 10


def check(stack: Stack) -> Iterator[Fact]:
    adjacency: dict[str, set[str]] = {}
    for flow in stack.live_flows:
        adjacency.setdefault(flow.from_, set()).add(flow.to)
        adjacency.setdefault(flow.to, set()).add(flow.from_)
    for cut in cut_vertices(adjacency, LIST_LIMIT):
        system = stack.systems[cut.node]
        parts = "; ".join(_describe(p) for p in cut.pieces)
        yield Fact(
            f"{system.name} ({cut.node}) is a single point of failure: without it "
            f"{plural(cut.cut_off, 'system')} would be cut off from the {cut.kept} "
            f"other{'s' if cut.kept != 1 else ''} connected to it: {parts}",
            systems=(cut.node,),
            details={
                "cut_off": cut.cut_off,
                "kept": cut.kept,
                "pieces": [{"size": p.size, "first": p.first, "systems": list(p.members) if p.members else None}
                           for p in cut.pieces],
            },
        )


def _describe(piece: Piece) -> str:
    if piece.members is not None:
        return ", ".join(piece.members)
    return f"a group of {piece.size:,} systems (including {piece.first})"
