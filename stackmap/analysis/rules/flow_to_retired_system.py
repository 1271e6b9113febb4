"""A flow to or from a retired system.

Retired systems are switched off: a flow that still touches one is either stale documentation or
an integration that silently stopped. One finding per flow; the flow is left out of every other
rule, as are retired systems themselves.

Passes:

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: old-crm, name: Old CRM, lifecycle: retired}
  - {id: web, name: Website}
flows:
  - {from: web, to: crm, data: [lead]}
```

Fails:

```yaml
systems:
  - {id: crm, name: CRM}
  - {id: old-crm, name: Old CRM, lifecycle: retired}
flows:
  - {from: crm, to: old-crm, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack
from ...load.inventory import describe_flow

ID = "flow-to-retired-system"
SEVERITY = Severity.WARNING
SUMMARY = "A flow that starts or ends at a retired system."


def check(stack: Stack) -> Iterator[Fact]:
    live = stack.live
    for flow in stack.inventory.flows:
        retired = sorted({s for s in (flow.from_, flow.to) if s not in live})
        if retired:
            yield Fact(
                f"flow {describe_flow(flow)} touches retired system{'s' if len(retired) > 1 else ''} "
                f"{', '.join(retired)}",
                systems=(flow.from_, flow.to),
                flow=flow.key,
            )
