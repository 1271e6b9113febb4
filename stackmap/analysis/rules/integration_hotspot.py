"""An accidental hub: a system that is not built to be one, whose removal would cut the stack apart.

The articulation points of the undirected flow graph of non-retired systems (every flow between
two of them, whatever it carries): if such a system fails, is replaced or is switched off, the
systems that only reach the rest of the stack through it are cut off. Hubs by design are not
reported: systems of record and systems with a hub capability (``hub_capabilities``: by default
``ipaas``, ``cdp``, ``data-pipeline``, ``reverse-etl``, ``data-warehouse``, ``tag-management``)
are meant to sit in the middle. Nor is a system that only cuts off one leaf: every system with a
single integration hangs off something. A finding needs the removal to cut off two or more
systems, or to strand a system that stores customer data from every system of record.

The finding names what would be cut off: every part of the graph other than the largest remaining
one (ties broken by the smallest system id), listing the systems of a part when it has at most 10,
else its size and its smallest id. Computed by one linear depth-first search (no centrality
measure), so it stays fast on large inventories.

Passes (``crm`` is the system of record: a hub by design):

```yaml
systems:
  - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
  - {id: web, name: Website}
  - {id: shop, name: Shop}
flows:
  - {from: web, to: crm, data: [lead]}
  - {from: shop, to: crm, data: [contact]}
```

Fails (the CMS is the only link of two systems to the rest):

```yaml
systems:
  - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
  - {id: cms, name: CMS}
  - {id: web, name: Website}
  - {id: social, name: Social tool}
flows:
  - {from: cms, to: crm, data: [lead]}
  - {from: cms, to: web, data: [content]}
  - {from: cms, to: social, data: [content]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..connectivity import Cut, Piece, cut_vertices
from ..findings import Fact, Severity
from ..graph import Stack
from ...hints import plural

ID = "integration-hotspot"
SEVERITY = Severity.INFO
SUMMARY = "A system that is not a hub by design but whose removal would cut two or more systems (or customer data) off."

LIST_LIMIT = 10


def check(stack: Stack) -> Iterator[Fact]:
    adjacency: dict[str, set[str]] = {}
    for flow in stack.live_flows:
        adjacency.setdefault(flow.from_, set()).add(flow.to)
        adjacency.setdefault(flow.to, set()).add(flow.from_)
    by_design = stack.record_set | stack.hubs
    for cut in cut_vertices(adjacency, LIST_LIMIT):
        if cut.node in by_design or not (cut.cut_off >= 2 or _strands(stack, cut)):
            continue
        system = stack.systems[cut.node]
        parts = "; ".join(_describe(p) for p in cut.pieces)
        yield Fact(
            f"{system.name} ({cut.node}) is an accidental hub: without it "
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


def _strands(stack: Stack, cut: Cut) -> bool:
    """Whether the removal leaves a customer-data system with no system of record in its part (the
    pieces cut off here are single systems: larger ones are reported anyway)."""
    records = stack.record_set
    if not records:
        return False
    for piece in cut.pieces:
        members = piece.members or ()
        if any(m in records for m in members):
            return True  # the record is cut off from the (larger) rest, which holds the others
        if any(stack.customer_data(m) for m in members):
            return True
    return False
