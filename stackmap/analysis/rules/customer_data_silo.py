"""Customer data stored in a system with no path to the customer master.

A non-retired system that stores customer data (any customer data category in ``data``) and has
no path to any system with the ``system-of-record`` role in the customer-data graph: the
undirected graph of flows (between non-retired systems) that carry at least one customer data
category. Direction does not matter here; any customer-data link to the record's group counts
(see ``customer-data-unsynced`` for direction). Systems of record themselves are never silos.

When no system has the role (``no-system-of-record``), the silo rule reports every customer-data
system outside the largest group: the connected component with the most customer-data systems,
ties broken by the smallest system id.

The set of silos is exactly that; how they are reported depends on whether one cause explains them
all. When no system of record is marked, or no flow carries customer data at all, and five or more
systems are silos, one stack-wide finding lists them (the cause is one fact about the inventory);
otherwise each silo is its own finding.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: typeform, name: Typeform, data: [lead]}
flows:
  - {from: typeform, to: salesforce, data: [lead]}
```

Fails (``typeform`` is only linked by a flow that carries no customer data):

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: typeform, name: Typeform, data: [lead]}
flows:
  - {from: salesforce, to: typeform, data: [content]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Named, Severity, text
from ..reads import reads
from ..graph import Stack
from ...hints import plural
from .rollup import ROLLUP_MIN, rollup

ID = "customer-data-silo"
SEVERITY = Severity.ERROR
SUMMARY = "A system storing customer data with no customer-data path to a system of record."
READS = reads(systems="data roles", flows="from_ to data", categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    records = stack.records
    silos = stack.silos
    if len(silos) >= ROLLUP_MIN and (not records or not stack.customer_flows):
        why = ("no system of record is marked" if not records
               else "no flow carries customer data at all")
        yield rollup("no-record" if not records else "no-customer-flows",
                     f"{plural(len(silos), 'system')} store customer data with no customer-data path to "
                     f"{'a system of record' if records else 'the largest customer-data group'}, because "
                     f"{why}", silos, data=sorted({c for s in silos for c in stack.customer_data(s)}))
        return
    if records:
        target = "a system of record (" + ", ".join(records) + ")"
    else:
        anchor = min(stack.main_component) if stack.main_component else ""
        target = f"the largest customer-data group (the one with {anchor})"
    for sid in stack.silos:
        data = stack.customer_data(sid)
        yield Fact(
            text(Named(sid), f" ({sid}) stores customer data ({', '.join(data)}) with no customer-data "
                 f"flow path to {target}"),
            systems=(sid,),
            data=tuple(data),
        )
