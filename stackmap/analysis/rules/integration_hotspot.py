"""An accidental hub: a system that is not built to be one, whose removal would cut the stack apart.

The articulation points of the undirected flow graph of non-retired systems (every flow between
two of them, whatever it carries): if such a system fails, is replaced or is switched off, the
systems that only reach the rest of the stack through it are cut off. Hubs by design are not
reported: systems of record and systems with a hub capability (``hub_capabilities``: by default
``ipaas``, ``cdp``, ``data-pipeline``, ``reverse-etl``, ``data-warehouse``, ``tag-management``,
``marketing-automation``, ``ecommerce``, ``website``, ``product``: the CRM, the warehouse, the
iPaaS, the shop and the company's own product)
are meant to sit in the middle, and so are pipes (systems that store no data at all). Nor is a
system that only cuts off leaves: every system with a single integration hangs off something, and
a star of leaves is a design. A finding needs the removal to cut off a group of two or more
connected systems, or to strand a system from every system of record: customer data it creates (see
``customer-data-unsynced``) reaches a record today, and only through this system.

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

Fails (the CMS is the only link of the website and its social tool to the rest):

```yaml
systems:
  - {id: crm, name: CRM, roles: [system-of-record], data: [contact]}
  - {id: cms, name: CMS, data: [content]}
  - {id: web, name: Website, data: [content]}
  - {id: social, name: Social tool, data: [content]}
flows:
  - {from: cms, to: crm, data: [lead]}
  - {from: cms, to: web, data: [content]}
  - {from: web, to: social, data: [content]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..connectivity import Cut, Piece
from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack
from ...hints import plural

ID = "integration-hotspot"
SEVERITY = Severity.INFO
SUMMARY = "A system that is not a hub by design but whose removal would cut two or more systems (or customer data) off."
READS = reads(systems="data roles capabilities", flows="from_ to data", capabilities=True, categories=True)

LIST_LIMIT = 10


def check(stack: Stack) -> Iterator[Fact]:
    pipes = {sid for sid in stack.live_neighbours if not stack.systems[sid].data}
    by_design = stack.record_set | stack.hubs | pipes
    for cut in stack.cut_vertices(LIST_LIMIT):
        if cut.node in by_design:
            continue
        if not (any(p.size >= 2 for p in cut.pieces) or _strands(stack, cut)):
            continue
        parts = "; ".join(_describe(p) for p in cut.pieces)
        yield Fact(
            text(Named(cut.node), f" ({cut.node}) is an accidental hub: without it "
                 f"{plural(cut.cut_off, 'system')} would be cut off from the {cut.kept} "
                 f"other{'s' if cut.kept != 1 else ''} connected to it: {parts}"),
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
        if any(m in stack.reaching_record_with(c) for m in members for c in stack.created(m)):
            return True  # data it creates reaches a record today, and only through this system
    return False
