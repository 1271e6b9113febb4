"""A flow that lists no data categories.

A flow with no ``data`` carries nothing as far as the analyses know: it links two systems (so
neither is isolated) but can never connect customer data to a system of record. Usually a first
draft; this note explains why nothing connects. Flows touching retired systems are left to
``flow-to-retired-system``.

When most flows list no data (at least five, and half or more of them: a first draft or an import
without that column), one stack-wide finding says so instead of one per flow.

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
from ..reads import FLOW_KEY, reads
from ..graph import Stack
from ...hints import plural
from ...load.model import describe_flow
from .rollup import ROLLUP_MIN, rollup

ID = "flow-without-data"
SEVERITY = Severity.INFO
SUMMARY = "A flow that lists no data categories, so it carries nothing for the analyses."
READS = reads(flows=FLOW_KEY)


def check(stack: Stack) -> Iterator[Fact]:
    empty = [f for f in stack.live_flows if not f.data]
    if len(empty) >= ROLLUP_MIN and 2 * len(empty) >= len(stack.live_flows):
        systems = sorted({s for f in empty for s in (f.from_, f.to)})
        yield rollup("flows-without-data",
                     f"{plural(len(empty), 'flow')} of {len(stack.live_flows)} list no data, so the customer-data "
                     "rules cannot see what they carry; add `data` to each. Systems concerned", systems,
                     flows=len(empty))
        return
    for flow in empty:
        if not flow.data:
            yield Fact(
                f"flow {describe_flow(flow)} lists no data; add what it carries under `data`",
                systems=(flow.from_, flow.to),
                flow=flow.key,
            )
