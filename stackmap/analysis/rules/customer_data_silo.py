"""Customer data stored in a system with no path to the customer master.

A non-retired system that stores customer data (any customer data category in ``data``) and has
no path to any system with the ``system-of-record`` role in the customer-data graph: the
undirected graph of flows (between non-retired systems) that carry at least one customer data
category. Direction does not matter here; any customer-data link to the record's group counts
(see ``customer-data-unsynced`` for direction). Systems of record themselves are never silos.

When no system has the role (``no-system-of-record``), the silo rule reports every customer-data
system outside the largest group: the connected component with the most customer-data systems,
ties broken by the smallest system id.

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

from ..findings import Fact, Severity
from ..graph import Stack

ID = "customer-data-silo"
SEVERITY = Severity.ERROR
SUMMARY = "A system storing customer data with no customer-data path to a system of record."


def check(stack: Stack) -> Iterator[Fact]:
    records = stack.records
    if records:
        target = "a system of record (" + ", ".join(records) + ")"
    else:
        anchor = min(stack.main_component) if stack.main_component else ""
        target = f"the largest customer-data group (the one with {anchor})"
    for sid in stack.silos:
        data = stack.customer_data(sid)
        name = stack.systems[sid].name
        yield Fact(
            f"{name} ({sid}) stores customer data ({', '.join(data)}) with no customer-data flow path "
            f"to {target}",
            systems=(sid,),
            data=tuple(data),
        )
