"""Customer data that never flows into the customer master.

A non-retired system that stores customer data and is connected to a system of record in the
customer-data graph (so it is not a silo) but has no *directed* path over customer-data flows
into any system of record: what it collects (unsubscribes, consent, new contacts) never reaches
the customer master. Silent when there is no system of record, and for systems of record.

Passes:

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: mailchimp, name: Mailchimp, data: [contact, consent]}
flows:
  - {from: salesforce, to: mailchimp, data: [contact]}
  - {from: mailchimp, to: salesforce, data: [consent]}
```

Fails (``mailchimp`` only receives):

```yaml
systems:
  - {id: salesforce, name: Salesforce, roles: [system-of-record], data: [contact]}
  - {id: mailchimp, name: Mailchimp, data: [contact, consent]}
flows:
  - {from: salesforce, to: mailchimp, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..graph import Stack

ID = "customer-data-unsynced"
SEVERITY = Severity.WARNING
SUMMARY = "A connected system whose customer data has no directed path into a system of record."


def check(stack: Stack) -> Iterator[Fact]:
    if not stack.records:
        return
    silos = set(stack.silos)
    reaching = stack.reaching_record
    for sid in stack.customer_systems:
        if sid in silos or sid in reaching:
            continue
        data = stack.customer_data(sid)
        name = stack.systems[sid].name
        yield Fact(
            f"{name} ({sid}) stores customer data ({', '.join(data)}) but no customer-data flow leads "
            f"from it into a system of record ({', '.join(stack.records)})",
            systems=(sid,),
            data=tuple(data),
        )
