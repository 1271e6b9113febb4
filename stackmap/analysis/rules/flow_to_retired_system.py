"""A retired system that still has flows to or from live systems.

Retired systems are switched off: a flow that still touches one is either stale documentation or
an integration that silently stopped. One finding per retired system (not per flow), listing its
flows with the live systems it still exchanges data with; the flows are related locations. It is a
warning, and an error when customer data still flows *into* the retired system: personal data
going where nobody governs it any more. Retired systems and their flows are left out of every
other rule. Flows between two retired systems are history and are not reported.

Passes:

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: old-crm, name: Old CRM, lifecycle: retired}
  - {id: web, name: Website}
flows:
  - {from: web, to: crm, data: [lead]}
```

Fails (one finding for ``old-crm``, an error: contacts still flow into it):

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: web, name: Website}
  - {id: old-crm, name: Old CRM, lifecycle: retired}
flows:
  - {from: crm, to: old-crm, data: [contact]}
  - {from: old-crm, to: web, data: [content]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import FLOW_KEY, reads
from ..graph import Stack
from ...hints import plural
from ...load.model import describe_flow
from ...load.model import Flow

ID = "flow-to-retired-system"
SEVERITY = Severity.WARNING
SUMMARY = "A retired system that still has flows to or from live systems (error if customer data flows in)."
READS = reads(flows=FLOW_KEY, categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    live = stack.live
    flows_at = stack.flows_at
    for sid in sorted(sid for sid in stack.systems if sid not in live):
        # a flow between two retired systems is history
        flows = sorted((f for f in flows_at.get(sid, ()) if f.from_ in live or f.to in live), key=lambda f: f.key)
        if not flows:
            continue
        yield stack.each((ID, sid), lambda: (flows, stack.customer_categories), lambda: _fact(stack, sid, flows))


def _fact(stack: Stack, sid: str, flows: list[Flow]) -> Fact:
    inbound = sorted({c for f in flows if f.to == sid for c in stack.inventory.customer_data(f.data)})
    partners = sorted({f.from_ if f.to == sid else f.to for f in flows})
    said = (f" ({sid}) is retired but still has {plural(len(flows), 'flow')}: "
            f"{'; '.join(describe_flow(f) for f in flows)}")
    if inbound:
        said += f"; customer data ({', '.join(inbound)}) still flows into it"
    said += ": remove the flows or switch the integrations off"
    return Fact(
        text(Named(sid), said),
        systems=(sid,),
        flows=tuple(f.key for f in flows),
        data=tuple(inbound),
        details={"flows": len(flows), "live_partners": partners, "customer_data_in": inbound},
        severity=Severity.ERROR if inbound else None,
    )
