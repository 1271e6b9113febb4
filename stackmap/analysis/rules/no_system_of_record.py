"""Customer data exists but no system is marked as the customer master.

Reported once for the whole stack when a non-retired system stores customer data and no
non-retired system has the ``system-of-record`` role (or a role configured to mean it). Without a
system of record, ``customer-data-silo`` judges silos against the largest customer-data group and
``customer-data-unsynced`` stays silent. Points at line 1 of the first inventory file.

Passes:

```yaml
systems:
  - {id: hubspot, name: HubSpot, roles: [system-of-record], data: [contact]}
```

Fails:

```yaml
systems:
  - {id: hubspot, name: HubSpot, data: [contact]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Fact, Severity
from ..reads import reads
from ..graph import Stack
from ...hints import plural

ID = "no-system-of-record"
SEVERITY = Severity.WARNING
SUMMARY = "Customer data is stored but no system has the system-of-record role."
READS = reads(systems="data roles", categories=True)


def check(stack: Stack) -> Iterator[Fact]:
    if stack.records or not stack.customer_systems:
        return
    count = len(stack.customer_systems)
    roles = " or ".join(repr(r) for r in stack.options.record_roles)
    retired = sorted(
        sid for sid, s in stack.systems.items()
        if sid not in stack.live and set(stack.options.record_roles).intersection(s.roles)
    )
    text = (f"{plural(count, 'system')} {'stores' if count == 1 else 'store'} customer data but no active system has "
            f"the role {roles}; mark the customer master (CRM or CDP)")
    if retired:
        text += f" (the only ones are retired: {', '.join(retired)})"
    yield Fact(text, details={"customer_data_systems": count})
