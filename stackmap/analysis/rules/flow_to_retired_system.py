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
from ...load.inventory import describe_flow
from ...load.model import Flow

ID = "flow-to-retired-system"
SEVERITY = Severity.WARNING
SUMMARY = "A retired system that still has flows to or from live systems (error if customer data flows in)."
READS = reads(flows=FLOW_KEY, categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    live = stack.live
    by_retired: dict[str, list[Flow]] = {}
    for flow in stack.inventory.flows:
        gone_from, gone_to = flow.from_ not in live, flow.to not in live
        if gone_from != gone_to:  # a flow between two retired systems is history
            by_retired.setdefault(flow.from_ if gone_from else flow.to, []).append(flow)
    for sid in sorted(by_retired):
        flows = sorted(by_retired[sid], key=lambda f: f.key)
        inbound = sorted({c for f in flows if f.to == sid for c in stack.inventory.customer_data(f.data)})
        partners = sorted({f.from_ if f.to == sid else f.to for f in flows})
        said = (f" ({sid}) is retired but still has {plural(len(flows), 'flow')}: "
                f"{'; '.join(describe_flow(f) for f in flows)}")
        if inbound:
            said += f"; customer data ({', '.join(inbound)}) still flows into it"
        said += ": remove the flows or switch the integrations off"
        yield Fact(
            text(Named(sid), said),
            systems=(sid,),
            flows=tuple(f.key for f in flows),
            data=tuple(inbound),
            details={"flows": len(flows), "live_partners": partners, "customer_data_in": inbound},
            severity=Severity.ERROR if inbound else None,
        )
