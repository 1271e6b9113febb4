"""Too many direct integrations: where an integration hub would pay.

A direct (point-to-point) integration is a pair of non-retired systems joined by at least one flow
that is automated (mechanism other than ``manual``), does not run through an integration platform
(mechanism ``ipaas``) and touches no integration hub (a system with a hub capability: by default
``ipaas``, ``cdp``, ``data-pipeline``, ``reverse-etl``; configurable). Each such pair is one more
connection to build, monitor and mend when either side changes.

One stack-wide finding when the number of direct integrations per non-retired system reaches the
configured ratio (default 1.0: more links than systems) or one system has at least the configured
number of direct integrations (default 5). It states the ratio and the systems with the most
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
from ..graph import Stack

ID = "point-to-point-sprawl"
SEVERITY = Severity.INFO
SUMMARY = "Many direct integrations per system, or a system with many of them: where a hub would pay."

TOP = 5


def direct_integrations(stack: Stack) -> set[tuple[str, str]]:
    """The direct integrations as sorted pairs of system ids."""
    inventory = stack.inventory
    hub_caps = {inventory.aliases.get(c, c) for c in stack.options.hub_capabilities}
    hubs = {sid for sid in stack.live if hub_caps.intersection(inventory.capabilities_of(stack.systems[sid]))}
    pairs: set[tuple[str, str]] = set()
    for flow in stack.live_flows:
        if flow.mechanism in ("manual", "ipaas") or flow.from_ in hubs or flow.to in hubs:
            continue
        a, b = sorted((flow.from_, flow.to))
        pairs.add((a, b))
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
        f"{len(pairs)} direct point-to-point integrations between {systems} systems "
        f"({ratio:.2f} per system); most direct integrations: {listed}; routing these through an "
        "integration hub would cut the links to build and maintain",
        details={
            "direct_integrations": len(pairs),
            "systems": systems,
            "ratio": round(ratio, 4),
            "most_connected": [{"system": sid, "direct_integrations": n} for sid, n in top],
        },
    )
