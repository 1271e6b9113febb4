"""Too many custom point-to-point integrations: where an integration hub would pay.

Most links in a marketing stack are not custom work: the vendors' own connectors into the CRM,
tags on the website, loads into the warehouse. Routing those through a hub would add a moving part,
not remove one. A direct (point-to-point) integration is a pair of non-retired systems joined by at
least one flow that is automated (mechanism other than ``manual``), does not run through an
integration platform (mechanism ``ipaas``), touches no system of record (its connectors are
vendor-built) and touches no hub by design (a system with a hub capability: by default ``ipaas``,
``cdp``, ``data-pipeline``, ``reverse-etl``, ``data-warehouse``, ``tag-management``,
``marketing-automation``, ``ecommerce``, ``website``, ``product``; configurable). Each such pair is one more custom connection to build, monitor and mend when either
side changes.

One stack-wide finding when the number of direct integrations per non-retired system reaches the
configured ratio (default 1.0: more links than systems) or one system has at least the configured
number of direct integrations (default 10). It states the ratio and the systems with the most
direct integrations (up to five): the place to start routing through a hub. Points at line 1 of
the first inventory file.

Passes (both integrations go through the CDP):

```yaml
systems:
  - {id: segment, name: Segment, capabilities: [cdp]}
  - {id: web, name: Website}
  - {id: crm, name: CRM}
flows:
  - {from: web, to: segment, data: [behavioral]}
  - {from: segment, to: crm, data: [behavioral]}
```

Fails (three systems, three direct links: 1.0 per system):

```yaml
systems:
  - {id: web, name: Website}
  - {id: crm, name: CRM}
  - {id: email, name: Email tool}
flows:
  - {from: web, to: crm, data: [lead], mechanism: api}
  - {from: crm, to: email, data: [contact], mechanism: batch}
  - {from: email, to: web, data: [content]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..reads import reads
from ..graph import Stack

ID = "point-to-point-sprawl"
SEVERITY = Severity.INFO
SUMMARY = "Many custom point-to-point integrations per system, or a system with many: where a hub would pay."
READS = reads(systems="roles capabilities", flows="from_ to mechanism", capabilities=True)

TOP = 5


def direct_integrations(stack: Stack) -> set[tuple[str, str]]:
    """The direct integrations as sorted pairs of system ids."""
    hubs = stack.hubs
    records = stack.record_set
    apart = hubs | records
    pairs: set[tuple[str, str]] = set()
    add = pairs.add
    for flow in stack.live_flows:
        a, b = flow.from_, flow.to
        if a in apart or b in apart or flow.mechanism in ("manual", "ipaas"):
            continue
        add((a, b) if a < b else (b, a))
    return pairs


def check(stack: Stack) -> Iterator[Fact]:
    systems = len(stack.live)
    if not systems:
        return
    pairs = direct_integrations(stack)
    degree: dict[str, int] = {}
    for a, b in pairs:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    ratio = len(pairs) / systems
    top = sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    busiest = top[0][1] if top else 0
    options = stack.options
    if ratio < options.sprawl_ratio and busiest < options.sprawl_connections:
        return
    listed = ", ".join(f"{sid} ({n})" for sid, n in top)
    yield Fact(
        f"{len(pairs)} custom point-to-point integrations between {systems} systems "
        f"({ratio:.2f} per system; vendor connectors to the system of record and links through hubs "
        f"not counted); most: {listed}; routing these through an integration hub would cut the "
        "links to build and maintain",
        details={
            "direct_integrations": len(pairs),
            "systems": systems,
            "ratio": round(ratio, 4),
            "most_connected": [{"system": sid, "direct_integrations": n} for sid, n in top],
        },
    )
