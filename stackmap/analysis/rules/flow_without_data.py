"""A flow that lists no data categories.

A flow with no ``data`` carries nothing as far as the analyses know: it links two systems (so
neither is isolated) but can never connect customer data to a system of record. Usually a first
draft; this note explains why nothing connects. Flows touching retired systems are left to
``flow-to-retired-system``.

Passes:

```yaml
systems:
  - {id: web, name: Website}
  - {id: crm, name: CRM}
flows:
  - {from: web, to: crm, data: [lead]}
```

Fails:

```yaml
systems:
  - {id: web, name: Website}
  - {id: crm, name: CRM}
flows:
  - {from: web, to: crm}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack
from ...load.inventory import describe_flow

ID = "flow-without-data"
SEVERITY = Severity.INFO
SUMMARY = "A flow that lists no data categories, so it carries nothing for the analyses."


def check(stack: Stack) -> Iterator[Fact]:
    for flow in stack.live_flows:
        if not flow.data:
            yield Fact(
                f"flow {describe_flow(flow)} lists no data; add what it carries under `data`",
                systems=(flow.from_, flow.to),
                flow=flow.key,
            )
