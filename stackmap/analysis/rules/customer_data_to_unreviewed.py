"""A flow carrying customer data into a system IT has not reviewed.

Each flow between non-retired systems that carries at least one customer-data category into a
system with ``it_reviewed: false`` is reported, at the flow, with the categories it carries. This
is how customer data leaks into shadow IT even when the tool was bought for something harmless.
A target whose review status is unknown is not reported here (``shadow-it`` asks for it), nor
is a target that itself declares customer data: ``shadow-it`` already reports that system once,
and one problem gets one finding. The finding points at the flow's own entry.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, it_reviewed: true}
  - {id: mailchimp, name: Mailchimp, it_reviewed: false}
flows:
  - {from: salesforce, to: mailchimp, data: [content]}
```

Fails:

```yaml
systems:
  - {id: salesforce, name: Salesforce, it_reviewed: true}
  - {id: mailchimp, name: Mailchimp, it_reviewed: false}
flows:
  - {from: salesforce, to: mailchimp, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import FLOW_KEY, reads
from ..graph import Stack
from ...load.model import describe_flow
from ...load.model import Flow

ID = "customer-data-to-unreviewed"
SEVERITY = Severity.WARNING
SUMMARY = "A flow carrying customer data into a system with it_reviewed: false."
READS = reads(systems="data it_reviewed", flows=FLOW_KEY, categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    systems = stack.systems
    live = stack.live
    customer = stack.customer_categories
    unreviewed = [sid for sid in live if systems[sid].it_reviewed is False and not stack.customer_data(sid)]
    inbound = [f for sid in unreviewed for f in stack.flows_at.get(sid, ()) if f.to == sid]
    for flow in inbound:
        if flow.from_ not in live or customer.isdisjoint(flow.data):  # only live flows of customer data
            continue
        yield stack.each((ID, flow.key), lambda: (flow, stack.customer_categories), lambda: _fact(stack, flow))


def _fact(stack: Stack, flow: Flow) -> Fact:
    data = stack.inventory.customer_data(flow.data)
    return Fact(
        text(f"flow {describe_flow(flow)} carries customer data ({', '.join(data)}) into ",
             Named(flow.to), f" ({flow.to}), which IT has not reviewed"),
        systems=(flow.from_, flow.to),
        flow=flow.key,
        data=tuple(data),
    )
